r"""What crisis detection reads around the patterns: shorthand, idioms and context cues.

assistant/crisis.py uses these in order:

1. SHORTHAND spells out what people type ("kms", "cant", "u", "breathin"), so one
   pattern in assistant/crisis_patterns.py covers every spelling;
2. IDIOMS are removed before matching: figures of speech ("this detox is killing
   me"), jokes, education and plans for someday that only look like crises;
3. the cues decide whether a match counts: a general or past question
   (GENERAL_QUESTION) silences weak families; a "what if" (HYPOTHETICAL) or an
   event that is over (RESOLVED) silences strong overdose ones, unless the
   message says it is happening now (NOW) or names someone in that state
   (NAMED_SIGN).

All of them read normalized text (lower case, plain apostrophes). Regular
expressions as in crisis_patterns.py: \b a word edge, (a|b) a or b, ? optional.
"""

from __future__ import annotations

import re

from assistant.crisis_patterns import SOMEONE, one_of

# --- 1. shorthand, spelled out so one pattern covers both (applied in this order) --------
SHORTHAND: list[tuple[str, str]] = [
    # crisis words
    (r"\bkms\b", "kill myself"),
    (r"\bk\.m\.s\b", "kill myself"),
    (r"\bunalive\s+(my ?self|me)\b", "kill myself"),
    (r"\bunaliv\w*\b", "kill"),
    (r"\bsewer ?slide\b", "suicide"),
    (r"\bo\.?d\.?'?(?:ing|in)\b", "overdosing"),
    (r"\bo\.?d\.?'?(?:ed|d)\b", "overdosed"),
    (r"\bod\b", "overdose"),
    # contractions, with and without the apostrophe
    (r"\bwanna\b", "want to"),
    (r"\bgonna\b", "going to"),
    (r"\bgotta\b", "got to"),
    (r"\bim\b", "i am"),
    (r"\bi'm\b", "i am"),
    (r"\bi m\b", "i am"),
    (r"\bhes\b", "he is"),
    (r"\bshes\b", "she is"),
    (r"\bhe's\b", "he is"),
    (r"\bshe's\b", "she is"),
    (r"\bthey're\b", "they are"),
    (r"\bisnt\b", "is not"),
    (r"\bisn't\b", "is not"),
    (r"\bwont\b", "will not"),
    (r"\bwon't\b", "will not"),
    (r"\bcant\b", "can not"),
    (r"\bcan't\b", "can not"),
    (r"\bcannot\b", "can not"),
    (r"\bdont\b", "do not"),
    (r"\bdon't\b", "do not"),
    (r"\bdoesnt\b", "does not"),
    (r"\bdoesn't\b", "does not"),
    (r"\bain'?t\b", "is not"),
    (r"\bwasnt\b", "was not"),
    (r"\bwasn't\b", "was not"),
    (r"\bwerent\b", "were not"),
    (r"\bweren't\b", "were not"),
    (r"\bdidnt\b", "did not"),
    (r"\bdidn't\b", "did not"),
    # text-message shorthand
    (r"\bu\b", "you"),
    (r"\bur\b", "your"),
    (r"\br\b", "are"),
    (r"\bn\b", "and"),
    (r"\brn\b", "right now"),
    (r"\bbc\b", "because"),
    (r"\bcuz\b", "because"),
    (r"\bpls\b", "please"),
    (r"\bplz\b", "please"),
    # typos and dropped letters
    (r"\bmyslef\b", "myself"),
    (r"\bkil\b", "kill"),
    (r"\bdnt\b", "do not"),
    (r"\bcnt\b", "can not"),
    (r"\bhaven'?t\b", "have not"),
    (r"\bhasn'?t\b", "has not"),
    (r"\bnemore\b", "anymore"),
    (r"\b(thinkin|endin|havin|snorin|breathin|tryin|cuttin|dyin|goin|nothin|somethin)\b", r"\1g"),
    (r"\bbout\b", "about"),
    (r"\bb\b", "be"),
    (r"\by\b", "why"),
    (r"\bbreathng\b", "breathing"),
    (r"\bsezure", "seizure"),
    (r"\bwnt\b", "want"),
    (r"\bwnat\b", "want"),
    (r"\bdne\b", "done"),
    (r"\bths\b", "this"),
    (r"\banymre\b", "anymore"),
    (r"\bhrs\b", "hours"),
    (r"\bmy self\b", "myself"),
    (r"\bbreathin\b", "breathing"),
    (r"\bbreathign\b", "breathing"),
    (r"\bbreating\b", "breathing"),
    (r"\bbrething\b", "breathing"),
    (r"\bseizur\b", "seizure"),
    (r"\bsiezure", "seizure"),
    (r"\bseazure", "seizure"),
    (r"\bsuicidle\b", "suicidal"),
    (r"\bsuicde\b", "suicide"),
    (r"\bsucide\b", "suicide"),
    (r"\boverdoes", "overdos"),
    (r"\bblu\b", "blue"),
    (r"\b(makin|snorin|gaspin|respondin|reactin|movin|answerin)\b", r"\1g"),
]

# --- 2. idioms and education that must never fire; each is removed before matching -------
# Applied in this order, so an earlier one can remove words a later one would need.
IDIOMS: list[str] = [
    # figures of speech
    r"\bdying (to|for) (know|see|try|hear|ask|get|find|start)\w*",
    r"\b(this|that|it|withdrawal|withdrawl|detox|the wait|waiting|work|my job|my back|cravings?|the cravings?"
        r"|being sick|these \w+)( is| are|'s)? (literally |just |really |fucking )?killing me\b",
    r"\bkilling me (slowly )?(with|waiting)\b",
    r"\bkill(ing|s)? (the|my|these|those|off the|off my) "
        r"(cravings?|urges?|pain|buzz|boredom|time|habit|addiction|vibe)\b",
    r"\b(i|we|you|he|she) (killed|kill|crushed) it\b",
    r"\b(i'?d|i would|i could) kill for\b",
    r"\bkill (the|a|my) (time|hangover|headache)\b",
    r"\bend (my|the|this|his|her|their) (addiction|habit|use|using|drinking|treatment|methadone|suboxone|program"
        r"|prescription|relationship with \w+)\w*",
    r"\bend (of|the) (my )?(day|week|month|year)\b",
    r"\b(dead|dying) (tired|serious|set)\b",
    r"\bsick (and tired )?of being sick\b",
    r"\b(school|class|college|research) (project|paper|assignment)\b.*",
    # hyperbole and jokes
    r"\b(phone|battery|plant|plants|laptop|car|flowers?)\b( in [\w ]+)? is (about to )?(die|dying|dead)\b",
    r"\b(overdos\w*|od'?d|oded|od'?ing) on (catnip|coffee|caffeine|sugar|candy|chocolate|\w+ cookies|cookies|netflix"
        r"|tv|pizza|cake|sweets|energy drinks)\b",
    r"\b(sugar|caffeine|coffee) overdose\b",
    r"\bbreathing a word\b",
    r"\bcan not breathe\b(?=.*\b(funny|laugh\w*|hilarious)\b)",
    r"\b(nearly|almost) (had|gave me|give me) a heart attack\b",
    r"\bkilling myself with (all this |this |all the )?(overtime|work|worry|stress|studying|school|job|hours)\b",
    r"\bhaving a seizure over\b",
    r"\bblue from (the|a|my) \w+",
    # denials, asking when to act, everyday talk
    r"\b(nobody|no one|noone) is (overdosing|od'?ing|in danger|hurt)\b",
    r"\b(when|whether|if) (to|i should|should i|we should|you should) call 911\b",
    r"\bnot (thinking about|going to|planning to|planning on|wanting to) (hurt|hurting|kill|killing|harm|harming) "
        r"(myself|me)\b",
    r"\bif i (ever|ever again) (felt|feel|get|got|start)\b.*",
    r"\b(ask|asks|asking|asked) (about|if|whether)\b(?:(?!\bbut\b)[^,;])*",  # up to a comma or "but"
    r"\bgoodbye (letter|note) to (alcohol|drinking|drugs|pills|my addiction|booze|heroin|the bottle|using)\b",
    r"\bgoodbye to (the old me|alcohol|drinking|drugs|pills|my addiction|booze|the bottle|using)\b",
    r"\bpassed out (on the couch|in bed|early|after a long \w+)\b",
    r"\b(i'?d|i would) rather die than\b",
    r"\b(almost|nearly) passed out (from|with) (relief|joy|laughing|happiness|excitement)\b",
    r"\b(cat|dog|kitten|puppy|pet) (overdosed|od'?d)\b",
    r"\bno (thoughts|plans?|intention)s? (of|to|about) (killing|hurting|harming|suicide|ending|dying)\w*( myself)?\b",
    r"\b(someone|somebody|a person|people) who (might|may|could) be\b.*",
    # prevention, grief, recovery, dreams, side effects
    r"\bsuicide (prevention|awareness|rates?|statistics|hotline number for|watch)\b",
    r"\b(not|never been|never was|am not|i'?m not) (suicidal|going to hurt myself)\b",
    r"\b(died by|died of|lost \w+( \w+)? to|after|grief) suicide\b",
    r"\btak(e|ing) my life back\b",
    r"\b(stop|quit|stopping|quitting) (hurting|killing|poisoning) myself with\b",
    r"\bdie (sober|of old age|peacefully|someday|one day)\b",
    r"\bif (i|you|we) ever (find|see|come across|need)\b.*",
    r"\b(dream|dreams|dreamt|dreamed|nightmare|nightmares)\b.*",
    r"\bsuicid\w* (thoughts? |ideation )?(as |is |are )?(a |one of the )?(side effects?|warnings?|risks?)\b",
    r"\b(cause|causes|causing|increase|increases|raise|raises) (depression (or|and) )?suicid\w*( thoughts?| ideation)?",
    r"\boverdose (prevention|awareness|training|class(es)?|kits?|rates?|deaths? (in|statistics))\b",
    # hypotheticals and plans for someday (development set 3)
    r"\bif (someone|somebody|a friend|my \w+|he|she|they|you) (ods|overdoses|od|is overdosing|ever)\b.*",
    r"\bif (they|we|you|staff|someone) (find|finds|ever find) (someone|somebody|a person)\b.*",
    r"\bif i ever (call|have to call|need to call)\b.*",
    r"\bgood samaritan laws?\b.*",
    r"\btake all my (pills|meds|medications?) "
        r"(in the morning|at night|at once or|at the same time|together|with food)\b",
    r"\b(almost|nearly) passed out when i (saw|heard|read|got|opened)\b",
    r"\b(going to|gonna) die of (boredom|embarrassment|laughter|shame|old age|cringe)\b",
    r"\bthought i was (going to|gonna) die\b(?=.*\b(lol|lmao|haha|class|workout|gym|hike|run)\b)",
    # things, not people, that "won't wake" or "turn purple" (overdose signs, issue 9)
    r"\b(phone|laptop|computer|app|website|site|chat|server|portal|screen|tablet|ipad|zoom|video|wifi|internet|printer"
        r"|system|page|pilot light|furnace|tv|browser|link|button)"
        r"(?: (?!he\b|she\b|they\b|him\b|her\b|i\b|and\b)\w+){0,3} "
        r"(is |was |keeps |just |went down and |froze and |freezes and )?"
        r"(unresponsive|not responding|(will not|does not|is not|did not|can not|would not) "
        r"(respond|wake|turn on|come on|load|relight)\w*)",
    r"\b(leaves|plants?|seedlings|flowers?|sky|hair|paint|walls?|ink|tomatoes|basil)\b"
        r"(?: (?!and\b|lips\b|face\b|skin\b)\w+){0,3} (turning|turned|going|went|go|goes|gone|look|looks|are|is) "
        r"(a little |kind of )?(blue|bluish|purple|gr[ae]y)\w*",
    r"\b(gr[ae]y|blue|purple) (with|from) (disappointment|worry|age|stress|sadness|envy|rage|anger)\b"
        r"|\bblue in the face\b|\bblue from (holding|laughing|\w+ing)\b",
    r"\bgr[ae]y[- ]?(haired|hairs?|beard)\b|\b(went|going|turning|gone|goes) gr[ae]y (overnight|early|young|at \d+)\b",
    r"\b(should|do) (i|we) (call 911|give (the )?(narcan|naloxone)) (first|or|before)\b",
    r"\bout cold on (this|that|the) (deal|idea|one|plan|project|issue|offer|proposal|subject)\b",
    r"\b(went|turned|going|turning) (white|pale|gr[ae]y) (when|after|as) (she|he|they|i|we) "
        r"(heard|saw|read|found out|got)\b",
    r"\bpassed out (asleep|after a (double|long|\d+ hour|night) shift)\b",
]

# A past attempt told as history is removed too: "back in 2019 i tried to kill myself. i'm doing well now".
PAST_MARKER = re.compile(r"\b(back in (19|20)\d\d|in (19|20)\d\d|\d+ years? ago|years ago"
                         r"|doing (well|better|great|good|fine) now)\b")
PAST_ATTEMPT = re.compile(r"\b(tried|attempted) (to kill (myself|himself|herself)|suicide)\b")

# --- 3. context cues ----------------------------------------------------------------------
# A message that asks in general, about the past, or "what if": weak families do not fire
# inside it. Strong ones still do.
GENERAL_QUESTION = re.compile("|".join((
    # starts like a question
    r"^(what|whats|what's|how|can|could|does|do|is|are|will|would|should|why|when|which|if|in case)\b",
    r"\b" + one_of(
        # signs, risks, prevention, "what if"
        "signs of", "symptoms of", "risk of", "risks of", "chance of", "prevent(ing)?", "avoid(ing)?", "in case", "what if",
        r"if (he|she|they|someone|my \w+|i) (ever|ever does|does)", "ever (overdoses?|has a|had a)",
        "when(ever)? i (am|get|feel)",
        # the past
        "years? ago", "long time ago", "while ago", "my last (detox|rehab|time|stay|relapse|seizure)", "during my last",
        # study, books and shows; asking where or who
        "psych class", "thesis", "book club", "memoir", "movie", "documentary", "novel", "where can", "where do", "who do",
        "research question", "med student", "percentage", "podcast", "read that", "heard a", "show on", "netflix",
        # planning ahead
        "planning to", "so (i|he|she) (do not|does not|will not) (end up|have)",
        # the past, family history, risk
        "in high school", "in college", "survived", "pulled through", "months? ago",
        "last (year|month|time|summer|winter|spring|fall)", "used to", "in the past", "history of", "have had",
        "i had a seizure (once|before)", "died (of|from)", "passed away", r"lost (my|a) \w+ to", r"in (19|20)\d\d",
        r"in the (19|20)?\d0'?s", "am i more likely",
        "(his|her|their|my) (dad|mom|father|mother|parents?|grandpa|grandma|uncle|aunt|brother|sister) had (bad )?seizures when",
        "back in", "twice this year", "last (week|weekend|month)", "when i was",
        # worry and warning signs
        "worried (i|he|she|they)", "afraid (i|he|she|they) (will|might)", "how (can|do) you tell", "warning signs",
    ) + r"\b",
)))
# Happening now: overrides a general question, a "what if" and an event that is over.
NOW = re.compile(r"\b(right now|currently|tonight|today|hurry|911|asap|happening"
                 r"|please help|help me|help him|help her|help us)\b")

# Strong overdose matches do not count in a sentence that asks in general or supposes
# ("if someone won't wake up, ...", "why does fentanyl make people stop breathing",
# "is gurgling a sign of overdose"), unless it also says it is happening now or names
# someone in that state ("is he overdosing? he is blue").
HYPOTHETICAL = re.compile("|".join((
    r"\b(if|when|whenever|in case) (someone|somebody|a person|anyone|anybody|people|a friend|a loved one)\b",
    r"\b(suppose|supposing|hypothetically)\b",
    r"\bjust in case\b",
    r"\b(if|when) (\w+ ){1,2}ever\b",
    r"^(is|are|what|which|how)\b[^,]*\b(signs?|symptoms?) of\b",
    r"\b(what are|which are|know|learn|recognize|spot|tell|about) (\w+ ){0,3}(signs?|symptoms?) of\b",
    r"\bwhat (would|could) happen if\b",
    r"\b(make|makes|made|making|cause|causes|caused|causing) (people|someone|somebody|you|a person|your body|users)"
    r"( to)? (stop|slow)\w*",
)))
NAMED_SIGN = re.compile("|".join((
    rf"\b{SOMEONE} (is|are|am)( still| just| now| totally| completely| really| so)* (not |barely |hardly )?"
    r"(breathing|blue|gr[ae]y|purple|unresponsive|limp|responding|waking|gurgling)\b",
    rf"\b{SOMEONE} (will not|can not|does not|is not|are not) (wake|respond|breathe)\b",
    r"\b(can not|could not) (wake|rouse) (him|her|them|my \w+)\b",
    r"\b(lips|face|skin|fingers|fingertips|nails) (are|is|look|looks|turning|going)( so| really| kind of| all)? "
    r"(blue|gr[ae]y|purple)\b",
)))

# A past event that is over: strong overdose matches that are not in the present tense
# ("turned blue", "stopped breathing", "found him unresponsive") are skipped when the
# message says it ended well. (How long ago alone says nothing: "grandpa is talking to
# his brother who died 10 years ago" is a crisis now.)
RESOLVED = re.compile(r"\b" + one_of(
    "(fine|ok|okay|alright|all right|better|safe|home|warm|sober|clean) now",
    "(in a program|in treatment|in recovery|out of the hospital|back home) now",
    "(he|she|they|i|we) (is|are|am) "
    "(fine|ok|okay|alright|all right|safe|home|warm|sober|clean|playing again|doing (well|better|great|good|fine))",
    "pulled through", "survived", "made it through", "saved (him|her|them|me|his life|her life|my life)",
    "been (clean|sober|discharged|home|fine|okay|ok)( since)?", "out of the hospital", "discharged", "warmed up",
    "handled it", "came (back|around|to) (fine|ok|okay|quickly|right away)",
) + r"\b")
# A colour after swimming or in the cold is not a sign unless it is now ("is blue", not "turned blue").
COLD = re.compile(r"\b(cold water|cold bath|the cold|freezing|swimming|swim|pool|lake|beach|ski|skiing|snow|ice fishing"
                  r"|polar plunge|winter|raynaud'?s|circulation|shiver\w*)\b")
PRESENT = re.compile(r"\b(is|are|am|will not|can not|does not|do not|keeps?|still|now|right now|just)\b")

# "wish i would just not wake up" is a wish to die, not someone who cannot be woken.
WISH_NOT_WAKE = re.compile(
    r"\b(wish|hope|pray|praying|hoping|wishing|want|wanna|rather)( that)?( i would| i could| i just| i can| i will| i| to)?"
    r"( just)? (go to sleep and |sleep and |fall asleep and )?(would not|wouldnt|will not|wont|not|never|do not|dont)"
    r"( just)? (wake|waking)\b")
