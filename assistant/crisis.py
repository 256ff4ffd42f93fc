"""Deterministic crisis detection: suicidal thoughts, overdose, medical emergency.

This layer runs on every message in the NLU pipeline, after the intent
classifier, so that no crisis message is lost to a low-confidence prediction.
It errs towards recall: a false alarm costs one kind check, a miss can cost a
life. How it works:

1. normalize: invisible characters removed, fullwidth and look-alike letters
   made plain (assistant/text_folding.py), lower case, plain apostrophes,
   common SMS shorthand spelled out;
2. scrub idioms that only look like crises ("dying to know", "this detox is
   killing me", "kill the cravings"), so they cannot match below;
3. match patterns per kind. A "strong" pattern always fires. A "weak" one
   (e.g. "overdose", "seizure") fires unless the message reads as a general,
   past or hypothetical question ("what are signs of an overdose", "my last
   seizure was years ago").
4. choose the kind. Overdose signs (someone unresponsive, not breathing or
   breathing very slowly, blue or gray, unable to wake) make it kind overdose
   wherever they are in the message and whatever else it says (a seizure, a
   collapse, suicidal words, a named drug or none): the overdose reply (911,
   rescue breathing, naloxone) is right for all of them, and naloxone does no
   harm when no opioid is involved. Otherwise any overdose pattern wins over a
   medical one, and the first match wins between suicide and the others. Signs
   in a hypothetical or education question ("if someone won't wake up, ...",
   "why does fentanyl make people stop breathing") or in a past event that is
   over ("last year he turned blue, he's fine now") do not count.

The red-team set in tests/redteam/ measures recall and false alarms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text_folding import fold

SUICIDE = "suicide"
OVERDOSE = "overdose"
MEDICAL = "medical"
KINDS = (SUICIDE, OVERDOSE, MEDICAL)


@dataclass(frozen=True)
class CrisisSignal:
    kind: str
    rule: str


# Shorthand people type, spelled out so one pattern covers both.
_SHORTHAND = [
    (r"\bkms\b", "kill myself"),
    (r"\bk\.m\.s\b", "kill myself"),
    (r"\bunalive\s+(my ?self|me)\b", "kill myself"),
    (r"\bunaliv\w*\b", "kill"),
    (r"\bsewer ?slide\b", "suicide"),
    (r"\bo\.?d\.?'?(?:ing|in)\b", "overdosing"),
    (r"\bo\.?d\.?'?(?:ed|d)\b", "overdosed"),
    (r"\bod\b", "overdose"),
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
    (r"\bu\b", "you"),
    (r"\bur\b", "your"),
    (r"\br\b", "are"),
    (r"\bn\b", "and"),
    (r"\brn\b", "right now"),
    (r"\bbc\b", "because"),
    (r"\bcuz\b", "because"),
    (r"\bpls\b", "please"),
    (r"\bplz\b", "please"),
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
_SHORTHAND_RE = [(re.compile(p), r) for p, r in _SHORTHAND]

# Idioms and education that must never fire. Each is removed before matching.
_IDIOMS = [
    r"\bdying (to|for) (know|see|try|hear|ask|get|find|start)\w*",
    r"\b(this|that|it|withdrawal|withdrawl|detox|the wait|waiting|work|my job|my back|cravings?|the cravings?|being sick|these \w+)( is| are|'s)? (literally |just |really |fucking )?killing me\b",
    r"\bkilling me (slowly )?(with|waiting)\b",
    r"\bkill(ing|s)? (the|my|these|those|off the|off my) (cravings?|urges?|pain|buzz|boredom|time|habit|addiction|vibe)\b",
    r"\b(i|we|you|he|she) (killed|kill|crushed) it\b",
    r"\b(i'?d|i would|i could) kill for\b",
    r"\bkill (the|a|my) (time|hangover|headache)\b",
    r"\bend (my|the|this|his|her|their) (addiction|habit|use|using|drinking|treatment|methadone|suboxone|program|prescription|relationship with \w+)\w*",
    r"\bend (of|the) (my )?(day|week|month|year)\b",
    r"\b(dead|dying) (tired|serious|set)\b",
    r"\bsick (and tired )?of being sick\b",
    r"\b(school|class|college|research) (project|paper|assignment)\b.*",
    # hyperbole and jokes
    r"\b(phone|battery|plant|plants|laptop|car|flowers?)\b( in [\w ]+)? is (about to )?(die|dying|dead)\b",
    r"\b(overdos\w*|od'?d|oded|od'?ing) on (catnip|coffee|caffeine|sugar|candy|chocolate|\w+ cookies|cookies|netflix|tv|pizza|cake|sweets|energy drinks)\b",
    r"\b(sugar|caffeine|coffee) overdose\b",
    r"\bbreathing a word\b",
    r"\bcan not breathe\b(?=.*\b(funny|laugh\w*|hilarious)\b)",
    r"\b(nearly|almost) (had|gave me|give me) a heart attack\b",
    r"\bkilling myself with (all this |this |all the )?(overtime|work|worry|stress|studying|school|job|hours)\b",
    r"\bhaving a seizure over\b",
    r"\bblue from (the|a|my) \w+",
    r"\b(nobody|no one|noone) is (overdosing|od'?ing|in danger|hurt)\b",
    r"\b(when|whether|if) (to|i should|should i|we should|you should) call 911\b",
    r"\bnot (thinking about|going to|planning to|planning on|wanting to) (hurt|hurting|kill|killing|harm|harming) (myself|me)\b",
    r"\bif i (ever|ever again) (felt|feel|get|got|start)\b.*",
    r"\b(ask|asks|asking|asked) (about|if|whether)\b(?:(?!\bbut\b)[^,;])*",
    r"\bgoodbye (letter|note) to (alcohol|drinking|drugs|pills|my addiction|booze|heroin|the bottle|using)\b",
    r"\bgoodbye to (the old me|alcohol|drinking|drugs|pills|my addiction|booze|the bottle|using)\b",
    r"\bpassed out (on the couch|in bed|early|after a long \w+)\b",
    r"\b(i'?d|i would) rather die than\b",
    r"\b(almost|nearly) passed out (from|with) (relief|joy|laughing|happiness|excitement)\b",
    r"\b(cat|dog|kitten|puppy|pet) (overdosed|od'?d)\b",
    r"\bno (thoughts|plans?|intention)s? (of|to|about) (killing|hurting|harming|suicide|ending|dying)\w*( myself)?\b",
    r"\b(someone|somebody|a person|people) who (might|may|could) be\b.*",
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
    r"\btake all my (pills|meds|medications?) (in the morning|at night|at once or|at the same time|together|with food)\b",
    r"\b(almost|nearly) passed out when i (saw|heard|read|got|opened)\b",
    r"\b(going to|gonna) die of (boredom|embarrassment|laughter|shame|old age|cringe)\b",
    r"\bthought i was (going to|gonna) die\b(?=.*\b(lol|lmao|haha|class|workout|gym|hike|run)\b)",
    # things, not people, that "won't wake" or "turn purple" (overdose signs, issue 9)
    r"\b(phone|laptop|computer|app|website|site|chat|server|portal|screen|tablet|ipad|zoom|video|wifi|internet|printer|system|page|pilot light|furnace|tv|browser|link|button)"
    r"(?: (?!he\b|she\b|they\b|him\b|her\b|i\b|and\b)\w+){0,3} (is |was |keeps |just |went down and |froze and |freezes and )?"
    r"(unresponsive|not responding|(will not|does not|is not|did not|can not|would not) (respond|wake|turn on|come on|load|relight)\w*)",
    r"\b(leaves|plants?|seedlings|flowers?|sky|hair|paint|walls?|ink|tomatoes|basil)\b(?: (?!and\b|lips\b|face\b|skin\b)\w+){0,3} (turning|turned|going|went|go|goes|gone|look|looks|are|is) (a little |kind of )?(blue|bluish|purple|gr[ae]y)\w*",
    r"\b(gr[ae]y|blue|purple) (with|from) (disappointment|worry|age|stress|sadness|envy|rage|anger)\b|\bblue in the face\b|\bblue from (holding|laughing|\w+ing)\b",
    r"\bgr[ae]y[- ]?(haired|hairs?|beard)\b|\b(went|going|turning|gone|goes) gr[ae]y (overnight|early|young|at \d+)\b",
    r"\b(should|do) (i|we) (call 911|give (the )?(narcan|naloxone)) (first|or|before)\b",
    r"\bout cold on (this|that|the) (deal|idea|one|plan|project|issue|offer|proposal|subject)\b",
    r"\b(went|turned|going|turning) (white|pale|gr[ae]y) (when|after|as) (she|he|they|i|we) (heard|saw|read|found out|got)\b",
    r"\bpassed out (asleep|after a (double|long|\d+ hour|night) shift)\b",
]
_IDIOM_RE = [re.compile(p) for p in _IDIOMS]

# A message that asks in general, about the past, or "what if" - weak patterns
# do not fire inside it. Strong patterns still do.
_GENERAL_QUESTION = re.compile(
    r"^(what|whats|what's|how|can|could|does|do|is|are|will|would|should|why|when|which|if|in case)\b"
    r"|\b(signs of|symptoms of|risk of|risks of|chance of|prevent(ing)?|avoid(ing)?|in case|what if|if (he|she|they|someone|my \w+|i) (ever|ever does|does)|ever (overdoses?|has a|had a)"
    r"|when(ever)? i (am|get|feel)|years? ago|long time ago|while ago|my last (detox|rehab|time|stay|relapse|seizure)|during my last|psych class|thesis|book club|memoir|movie|documentary|novel|where can|where do|who do|research question|med student|percentage|podcast|read that|heard a|show on|netflix|planning to|so (i|he|she) (do not|does not|will not) (end up|have)|in high school|in college|survived|pulled through|months? ago|last (year|month|time|summer|winter|spring|fall)|used to|in the past|history of|have had|i had a seizure (once|before)"
    r"|died (of|from)|passed away|lost (my|a) \w+ to|in (19|20)\d\d|in the (19|20)?\d0'?s|am i more likely|(his|her|their|my) (dad|mom|father|mother|parents?|grandpa|grandma|uncle|aunt|brother|sister) had (bad )?seizures when|back in|twice this year|last (week|weekend|month)|when i was|worried (i|he|she|they)|afraid (i|he|she|they) (will|might)|how (can|do) you tell|warning signs)\b"
)
_NOW = re.compile(r"\b(right now|currently|tonight|today|hurry|911|asap|happening|please help|help me|help him|help her|help us)\b")

# Strong overdose matches do not count in a sentence that asks in general or supposes
# ("if someone won't wake up, ...", "why does fentanyl make people stop
# breathing", "is gurgling a sign of overdose"), unless it also says it is
# happening now or names someone in that state ("is he overdosing? he is blue").
_PEOPLE = (r"(son|daughter|husband|wife|boyfriend|bf|girlfriend|gf|partner|fiance|fiancee|friend|roommate|roomate|mom|mother|"
           r"dad|father|brother|sister|sis|bro|cousin|uncle|aunt|nephew|niece|grandson|granddaughter|grandma|grandpa|"
           r"grandmother|grandfather|baby|kid|child|teen|teenager|stepson|stepdaughter|neighbor|coworker|client|patient|"
           r"guy|man|woman|lady|person|dude|buddy|homie|bestie|ex|spouse|boo|love)")
_SOMEONE = rf"(he|she|they|i|my (\w+ )?{_PEOPLE}s?|(the|a|this|that|some) (\w+ )?{_PEOPLE})"
_HYPOTHETICAL = re.compile(
    r"\b(if|when|whenever|in case) (someone|somebody|a person|anyone|anybody|people|a friend|a loved one)\b"
    r"|\b(suppose|supposing|hypothetically)\b|\bjust in case\b|\b(if|when) (\w+ ){1,2}ever\b"
    r"|^(is|are|what|which|how)\b[^,]*\b(signs?|symptoms?) of\b|\b(what are|which are|know|learn|recognize|spot|tell|about) (\w+ ){0,3}(signs?|symptoms?) of\b"
    r"|\bwhat (would|could) happen if\b"
    r"|\b(make|makes|made|making|cause|causes|caused|causing) (people|someone|somebody|you|a person|your body|users)( to)? (stop|slow)\w*")
_NAMED_SIGN = re.compile(
    rf"\b{_SOMEONE} (is|are|am)( still| just| now| totally| completely| really| so)* (not |barely |hardly )?"
    r"(breathing|blue|gr[ae]y|purple|unresponsive|limp|responding|waking|gurgling)\b"
    rf"|\b{_SOMEONE} (will not|can not|does not|is not|are not) (wake|respond|breathe)\b"
    r"|\b(can not|could not) (wake|rouse) (him|her|them|my \w+)\b"
    r"|\b(lips|face|skin|fingers|fingertips|nails) (are|is|look|looks|turning|going)( so| really| kind of| all)? (blue|gr[ae]y|purple)\b")
# A past event that is over: skip strong overdose matches that are not in the present
# tense ("turned blue", "stopped breathing", "found him unresponsive") when the
# message says it ended well. (How long ago alone says nothing: "grandpa is
# talking to his brother who died 10 years ago" is a crisis now.)
_RESOLVED = re.compile(
    r"\b((fine|ok|okay|alright|all right|better|safe|home|warm|sober|clean) now|(in a program|in treatment|in recovery|out of the hospital|back home) now"
    r"|(he|she|they|i|we) (is|are|am) (fine|ok|okay|alright|all right|safe|home|warm|sober|clean|playing again|doing (well|better|great|good|fine))"
    r"|pulled through|survived|made it through|saved (him|her|them|me|his life|her life|my life)|been (clean|sober|discharged|home|fine|okay|ok)( since)?"
    r"|out of the hospital|discharged|warmed up|handled it|came (back|around|to) (fine|ok|okay|quickly|right away))\b")
_COLD = re.compile(r"\b(cold water|cold bath|the cold|freezing|swimming|swim|pool|lake|beach|ski|skiing|snow|ice fishing|polar plunge|winter|raynaud'?s|circulation|shiver\w*)\b")
_PRESENT = re.compile(r"\b(is|are|am|will not|can not|does not|do not|keeps?|still|now|right now|just)\b")


def _p(kind: str, name: str, pattern: str, strong: bool = True) -> tuple[str, str, re.Pattern, bool]:
    return kind, name, re.compile(pattern), strong


_SELF = r"(myself|my life|my own life)"
# Overdose signs: colours, body parts, someone other than the writer ("i am blue" is a mood).
_COLOR = r"(blue|bluish|blueish|blue-ish|purple|purplish|gr[ae]y|gr[ae]yish|ashen|ashy|dusky)"
_BODY = r"(lips|lip|nail beds|nailbeds|fingertips|finger tips|fingers|fingernails|nails|face|skin)"
_FILL = (r"( are| is| look| looks| looking| turning| turned| going| gone| went| getting| got| all| kinda| kind of| so| really"
         r"| super| like| a bit| a little| pretty| very| were| was| seem| seems| now| still| a)*")
_OTHER = rf"(he|she|they|(my|his|her|our|the|this|a) (\w+ )?{_PEOPLE}s?|{_PEOPLE})"
_DOWN = (r"(collapsed|passed out|keeled over|face down|face first|slumped|(lying|laying) (there|on|in|face|down)|on the (\w+ )?(floor|ground|carpet)"
         r"|fell (down|over|off (the|his|her|a) (chair|bed|couch|stool|toilet|bench)|to the|on the|in the)|dropped (to the floor|to the ground|down)|went down|unconscious"
         r"|eyes (are )?(rolled|rolling) back|eyes half open)")
_NO_ANSWER = (r"(not|will not|does not|is not|can not|still not|would not|did not)( even| really| at all| still)? "
              r"(answer(ing)?|talk(ing)?|mov(e|ing)|say(ing)? anything|open(ing)? (his|her|their) eyes|make a sound|making a sound)\b"
              r"(?! (on|forward|out|in|house|away|about|to (the|a) (new|different)))")
_USE = r"(used|using|shot up|shooting up|did|took|snorted|smoked|popped|dope|fent\w*|heroin)"
# "not responding to treatment / my texts / criticism" is not about the body
_NOT_BODY = (r"(?! ((well |badly )?to (\w+ ){0,3}(treatment|therapy|texts?|messages?|calls?|emails?|questions?|medications?|medicine|meds|dose|doses"
             r"|suboxone|methadone|naltrexone|vivitrol|antidepressants?|phone|program|news|idea|criticism|feedback|requests?|ads?)\b|well|badly|great|positively))")
_PATTERNS = [
    # --- suicidal thoughts and self-harm, direct and indirect ---
    _p(SUICIDE, "kill_self", r"\b(kill(ing)?|hurt(ing)?|harm(ing)?|cut(ting)?|off(ing)?|shoot(ing)?|hang(ing)?|drown(ing)?|burn(ing)?) " + _SELF + r"\b"),
    _p(SUICIDE, "feel_suicidal", r"\b(i|i am|i feel|i felt|feeling|i have been|getting|i get|so|very|really|am) suicidal\b|\bsuicidal (right now|tonight|again)\b|\bcommit(ting)? suicide\b"),
    _p(SUICIDE, "suicidal", r"\bsuicid(al|e)\b", strong=False),
    _p(SUICIDE, "self_harm", r"\bself[- ]?harm(ing)?\b", strong=False),
    _p(SUICIDE, "going_to_die", r"\b(going|about|gonna) to die\b", strong=False),
    _p(SUICIDE, "want_die", r"(?<!not )(?<!never )\b(want|wanting|wanted|ready|trying|plan(ning)?|wish|wishing|deserve|hope|hoping|like|rather|deciding) (to )?(die|be dead|not (be )?(alive|here|exist|live|living|around|wake up))\b"),
    _p(SUICIDE, "want_die_2", r"(?<!not )\b(i|id|i'd|i would|i just|just) (want|wanna|wish|prefer)\w* (to )?(die|be dead|disappear forever|stop existing|not exist|go to sleep (and|&) never wake|sleep forever|never wake up|fall asleep (and|&) (not|never) wake)"),
    _p(SUICIDE, "wish_dead", r"\b(wish|wishing) (i|id|i'd|i was|i were|that i) ?(was|were|had)? ?(dead|never (been )?born|gone|not here|not alive)\b"),
    _p(SUICIDE, "better_off", r"\b(better off|be better|be happier|easier for everyone|easier on everyone|easier for (my|the) \w+) (dead|without me|if i (was|were|am|was not|were not|wasn'?t|weren'?t|did not|didn'?t|died|never|had never|am not|was gone|were gone|disappear\w*)|with me gone|once i am gone|when i am gone)"),
    _p(SUICIDE, "easier_gone", r"\b(it|everything|life|things) (would|will|might) be (easier|better) (for everyone |for them |for all |for my \w+ )?if i (was|were|am|was not|were not|died|disappear\w*|just (died|disappear\w*|was gone|were gone)|gone|not here|was not here|were not here|wasn'?t here|weren'?t here|did not wake up|never woke up)"),
    _p(SUICIDE, "end_it", r"\bend (it|it all|everything|things|my life|my own life|this life|my suffering|the pain for good)( all)?( now| tonight| today| for good| once and for all)?\b(?! (with|by having|of the|the right way|properly|early))"),
    _p(SUICIDE, "take_life", r"\btak(e|ing) (my|his|her|their) (own )?life\b"),
    _p(SUICIDE, "no_reason_live", r"\b(no|not any|nothing|any) (reason|point|purpose) (to|in|for|of) (live|living|go on|going on|keep going|being alive|life|stay(ing)? alive|be here|wake up|waking up|try(ing)? anymore|anything anymore)\b"),
    _p(SUICIDE, "whats_the_point", r"\bwhat('?s| is) the point (of|in) (living|life|going on|being alive|anything|trying|even trying|any of (it|this))\b|\bwhat('?s| is) the point anymore\b"),
    _p(SUICIDE, "cant_go_on", r"\b(can not|can'?t|could not) (go on|keep going|keep living|live like this|do (this|it|life) anymore|take (it|this|life) anymore|handle (it|this|life) anymore|keep doing this)\b"),
    _p(SUICIDE, "not_want_live", r"\b(do not|does not|dont|don'?t|never) (really |even |just )?(want|wanna|wnt|feel like) (to |2 )?(live|be alive|be here|exist|wake up|go on|keep living|be around)( anymore| any more)?\b"),
    _p(SUICIDE, "not_wake", r"\b(wish|hope|pray|praying|hoping|wishing|want|wanna|rather)( that)?( i would| i could| i just| i can| i will| i| to)?( just)? (go to sleep and |sleep and |fall asleep and )?(would not|wouldnt|will not|wont|not|never|do not|dont)( just)? (wake|waking)\b|\b(never|not) wak(e|ing) up (again|tomorrow|ever)\b|\bhope i (do not|never|don'?t) wake\b"
       r"|\b(hope|hoping|hoped|wish|wishing|pray|praying|make sure|making sure|enough (that|so)|so that|so) i (will |just |would |could )?(do not|will not|never|not|would not|did not) wake\b"
       r"|\b(enough|pills|meds|bars|want|wanna|trying|try|going|ready|plan|planning|hope|hoping|wish) to (just )?(not|never) wake( up)?\b"
       r"|\b(overdose|od|use|take (\w+ ){1,3}|swallow (\w+ ){1,3}|sleep) and (just )?(not|never) wake\b|\bi (do not|will not|never) wake up (this time|again)\b"),
    _p(SUICIDE, "miss_me", r"\b(no one|nobody|noone|no body) (would|will|is going to|gonna)( even)? (miss|notice|care) (me|if i)\b"),
    _p(SUICIDE, "burden", r"\b(i am|i'm|im|feel like|i feel like) (just )?(a|such a) (burden|waste of space|waste of air)\b"),
    _p(SUICIDE, "goodbye", r"\b(this is|consider this) (my )?(goodbye|last message|final message)\b(?! (here|from me|to the|for now|from this))|\bgoodbye (forever|everyone|world)\b|\bsay(ing)? goodbye (to (someone|everyone|people)( before i go)?|before i go)\b|\blast time you( wi|')?ll hear from me\b|\bdeleted (all )?my accounts\b|\b(do not|dont) (come )?look(ing)? for me\b|\bsay(ing)? (my )?(final|last) goodbyes?\b"),
    _p(SUICIDE, "means", r"\b(take|taking|swallow|swallowing|took|down|downing) (all|every one|the whole bottle|a whole bottle|the rest) (of )?(my|the|these|those|his|her)? ?(pills|meds|medication|bottle|xanax|bars|subs|methadone)\b(?! (as prescribed|at once\?))"),
    _p(SUICIDE, "means_ready", r"\b(pills|meds|rope|gun|knife|razor|blade)s? (counted|lined up|ready|loaded|in my hand)\b|\b(gun|pistol) (to|against) my head\b|\bjump (off|in front of)\b|\bjumping (off|in front of)\b"),
    _p(SUICIDE, "overdose_on_purpose", r"\b(overdose|overdosing|od) (on purpose|intentionally|to die|so i (die|do not wake up))\b|\b(want|trying|going|plan|planning|thinking about|thought about|gonna) (to )?(overdose|od)\b"),
    _p(SUICIDE, "dont_care_die", r"\b(do not|dont|don'?t) (even )?care (if|whether) i (die|live|overdose|wake up|make it)\b"),
    _p(SUICIDE, "thoughts", r"\b(thoughts|thinking|thought) (of|about) (dying|death|suicide|killing myself|ending it|ending my life|not being here|killing (myself|himself|herself)|hurting myself|ending things)\b"),
    _p(SUICIDE, "dead_soon", r"\b(i will|i'll|ill|i am going to|i am gonna) be (dead|gone) (soon|by|tomorrow|tonight|before)\b"),
    _p(SUICIDE, "give_up_life", r"\b(giving|give|gave) up on (life|living|everything|myself)\b|\b(done|finished|tired) (with|of) (life|living|being alive|existing)\b"),
    _p(SUICIDE, "third_person", r"\b(he|she|they|my \w+) (is|are|keeps|kept)? ?(talking|saying|said|says|texting|texted|posting|posted) (about|that (he|she|they)) (killing|wanting to die|want(s)? to die|ending it|suicide|hurting (himself|herself|themselves)|(he|she|they) (wants?|is going|are going) to die)"),
    _p(SUICIDE, "third_person_2", r"\b(himself|herself|themselves|themself)\b.*\b(kill|hurt|harm|end)\b|\b(kill|hurt|harm|cut|hang|shoot)(ing|s)? (himself|herself|themselves|themself)\b"),
    _p(SUICIDE, "want_disappear", r"\b(want|wanna|wish i could|going) (to )?(disappear|vanish) (forever|for good|and never come back)\b"),
    _p(SUICIDE, "not_around", r"\b(will not|won'?t|not going to|am not going to|not gonna) be (around|here|alive)( much longer| tomorrow| anymore| by| for| after)\b|\b(will not|won'?t) (be alive|make it) (by|to|through the night|till)\b|\bnot going to let myself\b"),
    _p(SUICIDE, "tonight_is_the_night", r"\b(tonight|today) is the (night|day)\b|\b(his|her|my|their) last night\b|\b(i|he|she|they) (have|has|made|got) a plan\b(?!:| \d| (to (get|stay|quit|stop|cut|taper|be|start|go|work)|for (tonight|today|tomorrow|the|my|getting|recovery|treatment|sobriety)))|\bmade (my|up my) (decision|mind) (to|about)? ?(die|end|go)?"),
    _p(SUICIDE, "goodbye_note", r"\b(wrote|writing|left|leaving|write) (a |my |goodbye |suicide |farewell )?(note|notes|goodbye letters?|letters? to (my|his|her) (kids|family|mom|dad))\b|\bsaid goodbye to everyone\b|\b(sorry for everything\b(?! (i|that|we|you))|tell (my|her|his) \w+ (i|that i) love (her|him|them))\b|\bgiving (all )?(his|her|my) (stuff|things|belongings) away\b"),
    _p(SUICIDE, "dying_way_out", r"\bway out\b.{0,15}\b(except|but|besides|other than|is)\b.{0,10}\b(dying|death|to die|suicide)\b|\b(life|living) (is not|isnt|is no longer|not) worth (it|living)\b|\bwhy am i (still )?alive\b|\bshould (just )?(die|be dead)\b|\bif i (just )?died\b|\b(want|wanted|wish) (it all|everything|this) to be over( for good| forever)?\b|\b(pain|suffering|it) to stop (forever|for good|permanently)\b|\bdisappear (permanently|for good|forever)\b|\bstop existing\b|\bcheck out (for good|permanently)\b|\b(take|takes) me in my sleep\b|\bmy (own )?funeral\b|\bend(ing)? (myself|it)\b(?! (with|by having|the right way|properly|early))|\bdeath (sounds|feels|seems) like (relief|peace)\b|\b(next|this) (hit|bag|shot|dose|one) (kills|will kill|would kill) me\b|\bno point anymore\b|\bi am done fighting\b|\bthinking about dying\b|\bthink about dying\b"),
    _p(SUICIDE, "unsafe_alone", r"\b(scared|afraid|worried) of what i (might|could|will) do( to myself)?\b|\b(do not|dont) trust myself\b|\blife insurance\b.*\b(better off|worth more)\b|\b(better off|worth more) (collecting|with) (my )?life insurance\b|\beveryone'?s life would be easier without me\b|\b(would|will) be (happier|easier) (if|without) i\b|\b(he|she) is a burden\b|\bsays? (he|she) is a burden\b|\b(doesnt|does not|do not|dont) see the point (of|in) (living|life|going on)\b"),
    _p(SUICIDE, "recent_attempt", r"\b(attempted|tried) (suicide|to kill (himself|herself|themselves|myself)|to end (his|her|their|my) life)\b.*\b(again|last night|yesterday|today|this week|last week)\b|\b(going to|gonna|will|wants? to|plans? to) try (it )?again\b.*\b(suicide|kill)|\b(suicide|kill)\w*\b.*\b(going to|gonna|will|wants? to|plans? to) try (it )?again\b"),
    _p(SUICIDE, "euphemisms", r"\b(clock|check|checking|clocking) out (for good|permanently)\b|\b(permanent|permanently) lights out\b|\blights out\b.{0,20}\bpermanent\b|\bexit stage left\b.{0,20}\bpermanently\b|\bgo home to (him|god|jesus|the lord)\b|\b(tired|done|exhausted)\b.{0,40}\bready to go\b(?! (to|home from|back|out))|\bwill not see the sunrise\b|\btake the easy way out\b(?! (and|by|with|of|on))|\bnot coming back up\b|\bmake it (stop|end) (permanently|for good|forever)\b|\bmake it official\b|\bgoing to fix that\b|\bbe gone anyway\b|\bnot (going to|gonna) be alive (in|by|tomorrow)\b|\bnot (going to|gonna) make it (to|through) (monday|tomorrow|the night|the weekend)\b|\bsomething permanent\b|\bsee (yall|y'?all|you all|you) on the other side\b(?! of)|\bdone breathing\b|\bfinal message\b|\bready to stop swimming\b|\blet it take me\b|\bit will be over\b|\bgoing through with it\b|\b(the|my) stuff (is )?ready\b|\bdoing it (after|when|tonight|once)\b|\btonight i am ending\b|\btonight'?s (it|the night)\b(?! (i|we|to|for) )|\bdecided tonight\b|\bmake it quiet\b|\bi am out\b.{0,15}\bfor real\b|\bif i am not here tomorrow\b|\b(will not|won'?t) be here\b.{0,20}\b(anyway|tomorrow|much longer)\b|\bi (will not|won'?t) be here\b(?! (next|on|at|for|until|till|when))|\bdying is the only way\b|\bsee myself dead\b|\bme no want live\b|\bwaste of oxygen\b.*\btonight\b|\bsave him the trouble\b|\b(doesn'?t|does not) kill me,? i will\b|\bhoping i (do not|don'?t) survive\b|\bhelping it along\b|\buntil my heart (just )?stops\b|\b(do not|don'?t) care (anymore )?if i die\b|\bnobody will find me\b|\bsomebody finds (her|him|me)\b|\bstill going through with\b"),
    _p(SUICIDE, "more_goodbyes", r"\bi love you,? goodbye\b|\b(about to|going to|ready to) join (them|him|her)\b|\b(kind of|kinda|pretty much) have a plan\b|\bhave a plan now\b|\blast message i am sending\b|\b(do not think i'?ll|do not think i will|will not|won'?t) need (them|it|that)\b.{0,20}\bgoodbye\b|\b(i am|im) so done$|\b(do not|don'?t) think (i am|i'?m|i will|i'?ll) (going to |gonna )?make it\b|\b(want|ready|going|gonna) to go be with (him|her|them|my \w+)\b|\ba problem (much longer|for long)\b|\b(disappear|vanish) (off the face of the earth|permanently)\b|\bby the time (she|he|they|anyone)\b.{0,30}\b(it'?ll|it will) be over\b|\bi am out\b.{0,20}\bfor real\b"),
    _p(SUICIDE, "means_and_places", r"\b(gun|pistol|rifle)\b.{0,40}\b(nightstand|lap|head|mouth|loaded|eat|tonight|not coming back|can not stop looking)\b|\beat (his|her|my) gun\b|\bloaded gun\b|\b(on|standing on) (the|a) (bridge|roof|ledge)\b|\bedge of the (parking deck|roof|bridge|building)\b|\bknife to my (arm|wrist|throat)\b|\bpile of pills\b.{0,30}\bbye\b|\b(stockpiling|hoarding|saving up) (my|his|her|my husband'?s|my wife'?s) (prescription|pills|meds|sleeping pills)\b|\bwhole bottle sitting\b|\bwalking into the (lake|river|ocean|water)\b|\b(ways|way) to die\b|\bwhich way would hurt the least\b|\baffairs in order\b|\bmade my peace\b|\bwhere i am going\b|\b(long walk off a short pier)\b|\blie down in the snow\b|\bmy (will|note)\b.{0,40}\b(nothing|going through|does not matter|doesn'?t matter)\b|\bwriting my will\b"),
    _p(SUICIDE, "self_harm_more", r"\b(burned|burnt|scratched|scratching|cut|cutting) (my|his|her) (arm|arms|wrist|wrists|legs?|skin)\b.{0,40}\b(again|on purpose|bleed|bleeding|to feel|til|until|worse)\b|\bcut my wrist\b"),
    _p(SUICIDE, "third_person_more", r"\b(going to|gonna|wants? to|plans? to) (kill|hurt) (himself|herself|themselves)\b|\bwants? to end (his|her|their) life\b|\b(see|sees) (a|no) reason to keep living\b|\bnot coming back this time\b|\bwished (he|she|i) (had not|hadn'?t) woken up\b|\btry again and this time\b|\bsaid goodbye to (the kids|everyone|us)\b|\bgiving (his|her) (tools|things|stuff|guitar) away\b"),
    _p(SUICIDE, "spanish", r"\b(quiero morir|me quiero morir|no quiero vivir|quitarme la vida|se quiere matar|me quiero matar|suicidarme|suicidar|sentido a seguir viviendo|mejor sin (mi|mí|el|él|ella))\b"),
    _p(SUICIDE, "never_wake", r"\b(sleep|asleep)\b.{0,25}\b(never|not|do not) wake( up)?\b|\b(go to )?sleep forever\b"),
    _p(SUICIDE, "notes_and_goodbyes", r"\b(wrote|written|writing|left|leaving) (\w+ )?(letters|notes?|goodbye note|a goodbye)\b.*\b(everyone|find|for|kids|family|mom|dad)\b|\bgoodbye note\b|\b(tell|let) (my|her|his) \w+ (i|that i) (love|loved|am sorry)\b|\bi am sorry,? i love you\b|\bforgive me\b.*\b(not answering|phone is off|will not answer)\b|\bgoodbye (message|post|text)\b.*\b(not answering|is not answering|will not answer|not picking up)\b"),
    _p(SUICIDE, "not_around_any", r"\b(will not|won'?t|not going to|do not plan on) be(ing)? (around|here|alive)\b.{0,30}\b(anyway|much longer|to tell|to take care|by|after tonight|for (her|him|them))\b|\bit will not matter after tonight\b|\b(will not|won'?t) be (a problem for anyone|anyone'?s problem)\b"),
    _p(SUICIDE, "giving_away", r"\b(giving|gave|give|given) (me |us |away )?(all )?(my|his|her|their)? ?(things|stuff|belongings|jewelry|dog|cat|pets?)\b.{0,60}\b(will not need|not going to (need|be)|won'?t need|ready to go|who gets what)\b|\b(giving|gave|given) away (all )?(my|his|her|their) (stuff|things|belongings)\b|\bwho gets what\b"),
    _p(SUICIDE, "plan_date", r"\b(how|when) (i am|he is|she is) going to do it\b|\bpicked a (date|day)\b(?! (to|for) (quit|stop|start|get|my|detox|treatment))|\bgoing to do it (tonight|this weekend|tomorrow|when nobody)\b|\bready to go\b.*\b(gave|goodbye|wrote)\b"),
    _p(SUICIDE, "hopeless", r"\bno (point|reason) (in )?(going on|living|to go on|anymore)\b|\bdone (trying to live|living|with this world|with it all)\b|\b(life|living) is pointless\b|\bready to be done with (this world|life|everything)\b|\b(do not|can not) see a future\b|\blost all hope\b|\bnothing matters anymore\b|\bdecided i am done\b"),
    _p(SUICIDE, "self_harm_acts", r"\b(been|started|feel like|keep|keeps|urge to|was|is|has been) cutting\b(?! (back|down|out|off|ties|class|school|corners))|\bcutting (again|myself|himself|herself|(my|his|her) (arms|wrists|legs))\b|\b(burned|burn|hit|hitting|hurt|hurting|cut) (myself|himself|herself) (on purpose|until|again)\b"),
    _p(SUICIDE, "last_use", r"\b(next|this) (hit|shot|bag|dose|time i use|one|use)\b.{0,40}\b(last (time|one)( ever)?|takes me out|for good|kills? me|be the last)\b|\brelapse on purpose\b|\blast relapse,? permanently\b|\b(do not|dont) care if (the )?\w+ kills me\b|\bwant it to (kill me|be the last)\b"),
    _p(SUICIDE, "tried_again", r"\btried (last night|yesterday|today|earlier) and it did not work\b|\bnext time it will\b"),
    _p(SUICIDE, "wants_to_die", r"(?<!not )(?<!never )\b(wants?|wanted|wanting) to (die|be dead)\b|\bwish(es)? (she|he|they) (was|were) dead\b|\b(all|everyone|we would all|we'?d all) be better off without (him|her|them|me)\b|\b(want|wanna) (to )?be dead\b|\bwhy (am i|i am) (even |still )*alive\b"),
    _p(SUICIDE, "ending_it", r"\b(thinking about|think about|thought about) end(ing)? it\b|\bend(ing)? it\b(?! (with|by having|of|the right way|properly|early))|\b(checking|check) out for good\b|\btak(e|ing) myself out\b|\bgo be with (my|him|her)\b.{0,20}\b(heaven|dead)\b|\b(join|follow) (him|her|my \w+)\b.*\b(died|od|overdosed|passed)\b|\bjust not exist\b|\blooking up ways to die\b|\b(am not|do not feel|not feeling) safe (right now|tonight|with myself)\b|\bnot safe with myself\b|\bit would all be over\b|\bnot come back from it\b"),

    # --- overdose happening now ---
    _p(OVERDOSE, "not_breathing", r"\b(is not|are not|isnt|stopped|stop|stops|will not|not really) ?(breathing|breathe|breath)\b"
       r"|(?<!\bcan )(?<!\bcould )\b(not|barely|hardly) ?(breathing|breathe|breath)\b"),
    # struggling to breathe is not the overdose sign (not breathing, very slow breathing): chest pain, asthma,
    # panic; unless a drug was just taken
    _p(OVERDOSE, "used_hard_to_breathe", r"\b(snorted|shot up|smoked|took|taken|used|did|popped|swallowed|injected|laced|so high|dope|fent\w*|heroin)\b.{0,80}\b(can not|could not|can barely|can hardly|trouble|struggling to|hard to) ?(breathing|breathe|breath)\b"
       r"|\b(can not|can barely|can hardly|trouble|struggling to|hard to) ?(breathing|breathe|breath)\b.{0,30}\bafter (taking|using|snorting|smoking|the pills|those pills|i (took|used|snorted|smoked))\b"
       r"|\b(can not|can barely|can hardly|trouble|struggling to|hard to) ?(breathing|breathe|breath)\b.{0,40}\b(took|used|snorted|smoked|did|shot) (some |a |the )?"
       r"(fent\w*|dope|heroin|pills?|xan\w*|xanax|bars|percs?|oxy\w*|something|blues?)\b"),
    _p(MEDICAL, "hard_to_breathe", r"\b(can not|can barely|can hardly|could barely|trouble|struggling to) ?(breathing|breathe|breath)\b"),
    _p(OVERDOSE, "no_pulse", r"\b(no|can not find (a|his|her)|cant find (a|his|her)|weak) pulse\b"),
    _p(OVERDOSE, "wont_wake", r"(?<!\bi )(?<!\bi would )(?<!\bi could )(?<!\bdo )(?<!\band )(?<!\bto )\b(will not|not|does not|wont|isnt|is not) (wake|come to)\b(?! (up )?(early|before|in time|on time|for|at (?!all\b)|in the morning|anymore|lately|these days|most days|every))"  # not "hope i do not wake up"
       r"|\b(will not|not|does not|wont|isnt|is not|can not|could not|cant) (waking|wakeing|coming to)\b(?! (up )?(early|before|in time|on time|for|at (?!all\b)|in the morning|anymore|lately|these days|most days|every))"
       r"|\b(can not|could not|cant) (wake|come to)\b(?! (up )?(early|before|in time|on time|for|at (?!all\b)|in the morning|anymore|lately|these days|most days|every))|\bunresponsive\b|\bpassed out (and|&) (will not|can not|not)\b"),
    _p(OVERDOSE, "not_responding", r"\b(will not|can not|could not|not|does not|is not) (respond|responding)\b" + _NOT_BODY
       + r"|(?<!\bbaby )(?<!\bbaby is )\b(will not|can not|could not|not|does not|is not) (move|moving|open (his|her|their) eyes)\b"
       r"(?! (in|out|forward|on|back|away|house|to|there|here|home|anywhere|ahead|fast|quickly))", strong=False),
    _p(OVERDOSE, "blue", rf"\b{_BODY}( and (his |her |their )?{_BODY})?{_FILL} {_COLOR}\b|\b(turning|turned|going|went|gone) (a )?(weird |funny |strange |kind of |kinda |all |really )?{_COLOR}\b"
       rf"|\b{_OTHER}( is| are| looks?| looking| seems?)( all| so| really| kind of| kinda| like| super| very| pretty| totally| a bit| a little)* {_COLOR}\b(?! (with|from|in the face))"
       rf"|\b{_COLOR}( (and|or) \w+)? (lips|lipped|fingertips|fingers|fingernails|nails|nail beds)\b|\blabios (azules|morados)\b"
       rf"|\bfound (him|her|them|my (\w+ )?{_PEOPLE}) ({_COLOR}|limp|unresponsive|not breathing)\b"),
    _p(OVERDOSE, "gurgling", r"\b(gurgl\w*|choking (sounds|noises)|snoring weird|snoring and (can not|will not)|foam(ing)? at (the|his|her|their) mouth)\b"),
    _p(OVERDOSE, "pinpoint", r"\bpinpoint(ed)? pupils\b", strong=False),
    _p(OVERDOSE, "took_too_much", r"\b(i|he|she|they|we|my \w+|someone|somebody)( just| accidentally| prob(ably)?| think (i|he|she|they)| have| has| might have| may have| must have)* (took|taken|used|did|done|shot|snorted|smoked|swallowed|drank|ate|popped|mixed) (way |wayy |waay )?(too much|too many|a lot too much|double|triple|all (of )?(his|her|my|their|the))"),
    _p(OVERDOSE, "overdosing_now", r"\b(i|he|she|they|someone|somebody|my \w+|friend|roommate|we) (is |are |am |think (i|he|she|they) |think (i|he|she|they) (am|is|are|just) |just |might (have|be) |may (have|be) |probably )*(overdosing|overdosed|overdose)\b", strong=False),
    _p(OVERDOSE, "overdose_word", r"\b(overdosing|overdosed)\b", strong=False),
    _p(OVERDOSE, "nodding", r"\bnodding (out|off)\b", strong=False),
    _p(OVERDOSE, "need_narcan", r"\b(need|give|gave|giving|where is|get) (the |him |her |them |some )?(narcan|naloxone)\b(?! (at home|for|in case))", strong=False),
    _p(OVERDOSE, "narcan_not_working", r"\b(narcan|naloxone)\b.*\b(not working|did not work|did nothing|is not working|second dose|another dose|still not)\b"),
    _p(OVERDOSE, "slow_breathing", r"\bbreathing (is |really |so |very |super |like |kind of |kinda |pretty )*(slow|slowing|shallow|weird|wrong|funny|strange)\b|\bbreathing (sounds|feels|looks) (wrong|weird|funny|off)\b|\bbreathing (like )?(\d+|once|twice|one|two|three|four) (times? )?(a|per|every)\b|\bbreathing but barely\b"),
    _p(OVERDOSE, "cant_stay_awake", r"\b(can not|could not|can barely) (keep|stay) (my|his|her|their) eyes open\b|\b(can not|could not) (keep|get) (him|her|them) (awake|to (talk|answer|respond))\b|\b(can not|could not) stay awake\b|\bslumped over\b|\bpupils are (tiny|pinned|pinpoint)\b|\b(tiny|pinned) pupils\b|\bi feel like i am fading\b"),
    _p(OVERDOSE, "double_dose", r"\b(took|taken|take|had) (a |my )?(double|two|2) doses?\b|\btook my \w+ twice\b|\bdoubled up on\b|\b(morning and evening|two|both) (doses|methadone|pills)\b.{0,20}\btogether\b|\bswallowed (way )?(more|too many)\b|\btook some pills\b.*\b(barely|can not|passed|will not)\b"),
    _p(OVERDOSE, "narcan_wearing_off", r"\b(narcan|naloxone)\b.*\b(going back under|slipping|went back under|wearing off|back out|passing out again)\b|\bbrought (him|her|them) back but\b"),
    _p(OVERDOSE, "unresponsive", r"\b(keeps?|kept) passing out\b|\b(hard|impossible) to wake( up)?\b|\bbarely (conscious|responsive|awake)\b|\bnot responsive\b|\b(only )?taking a breath every\b|\b(keeps?|kept) stopping breathing\b|\bsnoring (weird|funny|strange)\b|\bcold and clammy\b|\bcompletely limp\b|\bfoaming at the mouth\b"),
    _p(OVERDOSE, "overdose_now_words", r"\b(overdose|overdosing) (help|now|right now|happening|at my|in (your|the|my) \w+)\b|\bpossible overdose\b|\boverdose at\b|\bno despierta\b|\bdemasiadas pastillas\b"),
    _p(OVERDOSE, "benzo_alcohol_now", r"\b(xanax|benzos?|bars|librium|klonopin|valium|ativan|sleeping pills)\b.{0,50}\b(drank|vodka|fifth|alcohol|liquor|whiskey|booze)\b.{0,60}\b(far away|can not (stand|stay awake|think|wake)|passing out|black(ing)? out|dark|heavy|is this bad)\b|\b(drank|vodka|fifth|alcohol|liquor|whiskey|booze)\b.{0,50}\b(xanax|benzos?|bars|librium|klonopin|valium|ativan)\b.{0,60}\b(far away|can not (stand|stay awake|think)|passing out|dark|heavy|is this bad)\b"),
    _p(OVERDOSE, "child_ingestion_more", r"\b(got into|swallowed|ate|took some|found)\b.{0,50}\b(pills?|methadone|suboxone|bupe|gummies|naltrexone|medicine|meds|bottle)\b.{0,60}\b(\d+ (years?|months?)( old)?|months old|\d+ year old|he is \d+|she is \d+|toddler|baby)\b|\b(\d+ year old|toddler|baby|grandson|granddaughter|nephew|niece|kid)\b.{0,40}\b(got into|swallowed|ate a bunch|took some|found (his|her|my) \w+'?s? pills)\b|\bgave my (\d+ year old|kid|child|baby|daughter|son) (my|his|her) \w+\b.{0,40}\b(mistake|accident)\b"),
    _p(OVERDOSE, "used_after_detox", r"\b(just )?used\b.{0,60}\bfeel like i am dying\b|\btook too many\b(?! (days|hours|breaks|classes|shifts|credits))"),
    _p(OVERDOSE, "dosing_mistake", r"\bdouble ?dosed\b|\btook more (of my \w+ (meds|pills) )?than (i|he|she) should have\b|\bby (accident|mistake)\b.{0,60}\b(drowsy|sleepy|heavy|can not|slurring|trouble)\b|\btook (his|her|my) \w+ again because (he|she|i) forgot\b|\btook my \w+ plus\b|\btook some pills someone\b|\b(heart rate|pulse) is (like |over )?1[5-9]\d\b"),
    _p(OVERDOSE, "down_now", r"\beverything is going dark\b|\bout cold\b|\bfound (him|her|them) unconscious\b|\bunconscious\b|\b(will not|won'?t) open (his|her|their) eyes\b|\bfloppy\b|\b(will not|won'?t) stay awake\b|\bhear (him|her) snoring\b|\b(will not|won'?t) answer the door\b.*\b(used|using|snoring)\b|\bover did it\b"),
    _p(OVERDOSE, "narcan_again", r"\b(came to|woke up|came around) (after|from) the narcan\b.*\b(slow|again|out cold|under)\b|\b(gave|given) (\d+|two|three) narcans?\b|\bnarcan\b.{0,60}\b(still blue|not talking|out cold|again)\b"),
    _p(OVERDOSE, "child_ingestion", r"\b(toddler|baby|kid|child|son|daughter|\d+ year old|grandson|granddaughter) (may have |might have )?(got into|gotten into|ate|eaten|swallowed|chewed|found) (one of |some of |a piece of |part of )?(my|his|her|the|some|\w+'s)? ?(methadone|suboxone|subs|strips?|(pain )?pills?|meds|medication|bupe|suboxone strip|suboxone film)\b"),
    _p(OVERDOSE, "too_much_now", r"\b(took|take|taken) (my|his|her) (whole|entire) (script|prescription|bottle)\b|\btook (a bunch|a handful|a lot) of\b|\b(dose|dosed) twice\b|\btook too much\b(?! (time|of (my|the) time))|\boverdos\w* happening\b|\bmixed (xanax|bars|benzos|pills) (and|with) (alcohol|drinking|booze|dope|fent)\b.*\b(can not|cant) (stay awake|wake)|\bno respira\b|\blabios morados\b"),

    # --- medical emergencies ---
    _p(MEDICAL, "seizure_word", r"^seizures?$|\bseizure (help|now|right now)\b|\bconvulsionando\b|\b(just had|is having|having) (a )?seizure (right now|now)?|\bjust had (a )?seizure\b|\b(body|arms?|legs?) (keeps?|is|are|started) (jerking|twitching|shaking uncontrollably)\b|\b(seized|seizes|eyes (are )?rolling back)\b"),
    _p(MEDICAL, "heart_now", r"\bheart\b.*\b(racing|pounding|skipping|explode|exploding|beating out)\b.*\b(will not slow|wont slow|sweating|pass out|faint|dizzy|explode)\b|\bheart (feels like (it is|its|it's) going to|is going to) explode\b"),
    _p(MEDICAL, "pass_out", r"\b(going to|gonna|about to) (pass out|faint|black out)\b|\b(so )?dizzy i (can not|cant) stand\b|\b(have not|havent) (peed|urinated)\b"),
    _p(MEDICAL, "chest_now", r"\bclutching (his|her|my) chest\b|\bchest is (kinda |kind of |really )?crushing\b|\bleft arm (is )?(numb|tingling)\b|\bme duele (mucho )?el pecho\b|\bno puedo respirar\b"),
    _p(MEDICAL, "dts_more", r"\b(who|that) (is not|are not) (there|real)\b|\btalking to (nobody|no one|people who)\b|\b(snakes|spiders|bugs)\b.{0,30}\b(bed|walls|crawling|room)\b|\b(asking|asks) who i am\b|\bpulling at things\b|\btalking to (his|her|my) \w+ who died\b"),
    _p(MEDICAL, "collapse", r"\bwoke up on the floor\b|\bpulse is (over |like )?1\d\d\b|\bheart is beating (super |really |very )?(irregular|weird)\b"),
    _p(MEDICAL, "swelling", r"\b(throat|tongue|lips|face)\b.{0,25}\b(closing|swelling|swollen)\b|\bhives\b.*\b(breathe|breath|throat|tight)\b|\b(throat|chest) (is )?tight\b.*\bhives\b"),
    _p(MEDICAL, "precipitated", r"\b(first|1st) (dose|suboxone|bupe|naltrexone|pill|shot|dose of \w+)\b.{0,60}\b(withdrawal|violently sick|vomiting|throwing up|shaking|hives)\b|\bprecipitated withdrawal help\b|\bworst withdrawal of my life\b"),
    _p(MEDICAL, "chest_tight", r"\bchest (is |has been |feels )?(really |so |very )?(tight|hurting|heavy)\b|\b(left arm|jaw) (hurts|pain)\b|\bspreading to my (jaw|arm)\b", strong=False),
    _p(MEDICAL, "fever_confusion", r"\b(temp|temperature|fever) (is )?(of )?(10[2-9]|high|burning)\b|\bburning (hot|up)\b|\b(talking nonsense|not making sense|does not (know|recognize) (me|where|what year|who)|does not know what (year|day) it is|talking to (my |his |her )?dead|twitching|vision is going)\b"),
    _p(MEDICAL, "vomiting", r"\b(can not|could not) stop (vomiting|puking|throwing up)\b|\b(can not|could not) (even )?keep (a sip of |even )?(water|anything|fluids) (even )?down\b|\bsudden (severe )?withdrawal\b"),
    _p(MEDICAL, "pregnant_now", r"\b(pregnant|weeks pregnant|months pregnant)\b.*\b(spotting|bleeding|cramps|stomach pain|belly pain|abdominal pain|baby (move|moving|kick))\b"),
    _p(MEDICAL, "seizure_signs", r"\beyes rolled back\b|\bshaking (all over|on the (floor|ground))\b.{0,60}\b(stopped|quit|cold turkey|off|days? ago|eyes)\b|\bfell down (and started )?shaking\b|\bfall down shaking\b|\bshaking so hard\b|\b(body|arms|legs) (will not|won'?t) stop jerking\b|\bwent down in the hallway\b|\bblacked out for a (minute|sec|second)\b|\bwas shaking on the (floor|ground)\b"),
    _p(MEDICAL, "breathing_more", r"\bcan not catch my breath\b|\bsitting on my chest\b|\bso short of breath\b|\bshort of breath\b.{0,40}\b(coming off|quit|stopped|day \d|heart)\b|\b(irregular|stuttering)\b.{0,40}\bshort of breath\b"),
    _p(MEDICAL, "bleeding_gi", r"\bcoffee grounds\b|\bblack tarry\b|\b(vomiting|throwing up|puking|coughing up) blood\b"),
    _p(MEDICAL, "dehydration", r"\bhave not kept (water|anything|fluids) down\b|\bbarely pee\b|\bdizzy every time i stand\b"),
    _p(MEDICAL, "dts_signs_more", r"\byelling about (snakes|bugs|spiders)\b|\bthere are none\b|\bbabbling nonsense\b|\bcan not stop hallucinating\b|\bcan not talk right\b|\b(totally |so )?out of it\b.{0,40}\b(shaking|stopped|quit|seizure)\b|\b(shaking|shakes)\b.{0,60}\b(fever|babbling|nonsense|out of it)\b|\bsleep and not answer\b"),
    _p(MEDICAL, "pregnancy_more", r"\bwater (just )?broke\b|\bcontractions\b|\bbaby kicks have (slowed|stopped)\b|\b\d+ weeks\b.{0,60}\b(contractions|bleeding|kicks|not moving|cramps)\b"),
    _p(MEDICAL, "heart_more", r"\bheart\b.{0,40}\b(stuttering|racing so fast)\b|\b(almost|keep almost) blacking out\b|\bheart'?s stuttering\b"),
    _p(MEDICAL, "allergic_more", r"\btongue feels (huge|swollen|thick)\b|\blips are tingling\b.*\btongue\b|\bface is (puffing|swelling)\b|\bhives all over\b"),
    _p(MEDICAL, "precipitated_more", r"\b(naltrexone|suboxone|bupe|buprenorphine|vivitrol)\b.{0,80}\b(shaking|sweating|puking|vomiting)\b.{0,40}\b(all at once|suddenly|out of nowhere|so bad|came on)\b"),
    _p(MEDICAL, "seizing", r"\b(seizing|convulsing|convulsions|convulsion|fitting|having a fit)\b"),
    _p(MEDICAL, "seizure_now", r"\b(having|has|had|is having|just had|started having|in the middle of|going into) (a |another |2 |two |3 )?(seizures?|fits?)\b", strong=False),
    _p(MEDICAL, "chest_pain", r"\bchest (pain|pains|hurts|hurting|is hurting|feels (tight|heavy|crushed)|tightness|pressure|is tight|is killing)\b|\bpain in (my|his|her) chest\b", strong=False),
    _p(MEDICAL, "cant_breathe", r"\b(can not|can'?t|hard to|trouble|difficulty|struggling to) breathe?\b|\bshort(ness)? of breath\b|\bgasping\b", strong=False),
    _p(MEDICAL, "hallucinating", r"\b(hallucinat\w+|seeing (things|bugs|people|stuff|spiders)|hearing (things|voices)|bugs crawling|things that are not there|things that aren'?t there)\b", strong=False),
    _p(MEDICAL, "confused_shaking", r"\b(confused|disoriented|delirious|does not know where (he|she|they) (is|are)|does not know who)\b", strong=False),
    _p(MEDICAL, "dts", r"\b(dts|d\.t\.s|delirium tremens|the dt'?s)\b", strong=False),
    _p(MEDICAL, "dts_signs", r"\b(shaking|sweating|agitated)\b.*\b(talking nonsense|confused|seeing things|does not (know|recognize)|hallucinat\w+|burning)\b"),
    _p(MEDICAL, "fainted", r"\b(fainted|fainting|passed out|collapsed|keeled over)\b", strong=False),
    _p(MEDICAL, "heart", r"\bheart (is )?(racing|pounding|skipping|beating (so )?(fast|weird|irregular))\b.*\b(can not|scared|dizzy|faint|pain)\b|\bheart attack\b(?! but)", strong=False),
    _p(MEDICAL, "fluids", r"\b(can not|could not|cant) keep (anything|any thing|water|fluids|liquids|food|nothing) down\b|\b(throwing up|vomiting|puking|diarrhea)\b.*\b(all day|all night|for (hours|days|\d+ hours|a day|2 days|two days)|non ?stop|since yesterday|blood)\b", strong=False),
    _p(MEDICAL, "pregnant_bleeding", r"\bpregnant\b.*\b(bleeding|cramping|baby (is not|stopped|isnt) moving|not moving|has not moved)\b|\b(bleeding|baby stopped moving)\b.*\bpregnant\b"),
    _p(MEDICAL, "allergic", r"\b(throat (is )?(closing|swelling)|swelling up|allergic reaction|anaphyla\w+)\b", strong=False),
    _p(MEDICAL, "disulfiram_either_order", r"\b(drank|drinking|had a drink|beer|wine)\b.*\b(antabuse|disulfiram)\b.*\b(dizzy|short of breath|flush\w*|vomit\w*|throwing up|chest|heart|faint|can not breathe)\b"),
    _p(MEDICAL, "disulfiram_reaction", r"\b(antabuse|disulfiram)\b.*\b(drank|drink|beer|alcohol)\b.*\b(flush|red|vomit|throwing up|chest|heart|faint|can not breathe|reaction)\w*", strong=False),
    _p(MEDICAL, "medical_emergency", r"\bmedical emergency\b", strong=False),
    _p(MEDICAL, "emergency", r"\b(call an ambulance|need an ambulance|call 911|calling 911|dying right now|i think i am dying|i think (he|she) is dying|(he|she|they|someone|my \w+) is dying)\b"),
    # --- development set 3: indirect goodbyes, plans, and present emergencies ---
    _p(SUICIDE, "not_planning_to_be_here", r"\bnot (planning|plan) on (being |making it|make it|sticking around|being around|being alive)\b|\bnot (planning|plan) to (be alive|be around|stick around|make it)\b|\b(do not|never) plan on (sticking|being) around\b|\b(do not|dont) think (i will|ill|i'll|i am going to) (be here|be around|be alive|make it)\b"),
    _p(SUICIDE, "will_be_dead", r"\b(i will|ill|i'll|i am going to) be dead\b(?! (tired|serious|on my feet))|\b(if|when) i am (dead|gone) by (then|tomorrow|tonight|the weekend|next \w+|\w+day)\b|\b(for|after) i am (gone|dead)\b(?! (to|for a|on|at|in))|\bwho (gets|will get|takes|will take) (my|all my) (stuff|things|kids|dog|cat|money)\b.{0,25}\b(if|when|after) i (die|am gone|am dead)\b"),
    _p(SUICIDE, "wont_be_around", r"^(and |so )?i (will not|am not going to) be (around|here)( anymore| after (this|that|today|tonight))?$"),
    _p(SUICIDE, "giving_away", r"\b(gave|giving|give|given) (away )?(my|all my|all of my)\b.{0,60}\b(ready now|i am ready|feel (weirdly |strangely |so )?(calm|peaceful|at peace)|can have (the rest|my \w+) (after|when))\b|\bcan have the rest after\b|\b(sent|gave|giving) (me|us) (his|her|their|all (his|her|their)) passwords\b"),
    _p(SUICIDE, "still_alive", r"\b(disappointed|upset|angry|sad|mad) (that )?i am still (alive|here|breathing)\b|\b(tried|attempted)\b.{0,30}\b(did not work|failed)\b.{0,60}\b(try again|next time|again tonight)\b"),
    _p(SUICIDE, "before_its_over", r"\b(no one|nobody|noone) (finds|find|will find|can find) me\b|\bbefore (it is|its) over\b"),
    _p(SUICIDE, "on_purpose", r"\b(took|take|taking|swallowed)\b.{0,40}\bon purpose\b|\btake (them|it|these|those) all at once\b|\ball at once and be done\b|\bstockpil\w+ (my|pills|meds|subs|xanax|bars|prescription)"),
    _p(SUICIDE, "ending_it_tonight", r"\bending (it|the joke|things|everything|this|my story)( all)? (tonight|today|now|for good)\b|\bmake it stop\b.{0,20}\b(for good|forever|tonight|permanently)\b|\b(tonight|for good)\b.{0,30}\bmake it stop\b|\b(time to|ready to|going to) let go (for good|forever|of (life|everything))\b"),
    _p(SUICIDE, "better_without_me", r"\b(would|will) (have|be) (a )?(better|happier) (life|lives|off)? ?without (me|a \w+ (dad|mom|father|mother|parent))\b|\b(not|never) (have to|going to have to) (deal with|worry about|see) me (much )?(longer|anymore|again)\b|\b(not|never) (have to|going to have to) (deal with|worry about) (her|him|them) much longer\b|\bdone being (a|such a) (disappointment|burden|failure)\b|\btired of being a burden\b"),
    _p(SUICIDE, "places", r"\b(at|on|near) the (train )?tracks\b.{0,60}\b(again|tonight|not going home|not coming home|waiting)\b|\bbridge\b.{0,40}\bthinking about (it|jumping)\b|\bthinking about (it|jumping)\b.{0,40}\bbridge\b|\b(going to|about to|want to) jump( tonight| off| now| today|$)"),
    _p(SUICIDE, "afraid_of_self", r"\b(scared|afraid|worried) of what i am (going to|about to) do\b|\b(about to|going to) do something (i|that i) can not (undo|take back)\b|\bmake sure i (do not|never) have to( (face|see|wake|deal)\b|$)"),
    _p(SUICIDE, "only_way", r"\b(only|last) (option|way out|choice|thing) (left )?(is|would be) (dying|death|to die|suicide)\b|\b(do not|dont) deserve to (live|be alive|be here|exist)\b|\b(want|wanna|need) out of (life|this life|this world)\b|\bwant out\b.{0,40}\bout of life\b|\bnot worth living\b|\bworth living\b.*\bdone trying\b|\bthink about it\b.*\bhave everything i need\b"),
    _p(SUICIDE, "insurance_and_ready", r"\blife insurance\b.*\b(family|kids|wife|husband)\b.*\b(would be|will be) (ok|okay|fine|taken care of)\b"),
    _p(SUICIDE, "hotline_for_me", r"\b(suicide|crisis) (hotline|line|number)\b.{0,30}\b(it is|its) for me\b"),
    _p(SUICIDE, "goodbye_messages", r"\b(texted|text|called|messaged) (me|us) goodbye\b|\b(calling|texting|messaging) (everyone|everybody|people|all of us) (to )?say(ing)? goodbye\b|\b(sent|texted|posted) (\w+ ){0,3}(a )?goodbye (text|message|post|video)\b|\bfinal post\b|\b(it was )?nice knowing (you|yall|y'?all|everyone|you all)\b"),
    _p(SUICIDE, "weapon_and_done", r"\b(sitting|sits|sat) (in|with)\b.{0,30}\b(gun|rifle|pistol)\b|\b(gun|rifle|pistol)\b.{0,40}\bsaying (he is|she is|i am|they are) done\b|\b(bought|got|buying) a gun\b.{0,60}\b(drinking|using|done|longer|goodbye)\b|\b(drinking|using|done|longer)\b.{0,60}\b(bought|got) a gun\b"),
    _p(SUICIDE, "spanish_more", r"\bya no (quiero|quiere) vivir\b|\bse va a matar\b|\bme voy a matar\b|\bva a suicidarse\b|\bquitarse la vida\b"),
    _p(OVERDOSE, "took_too_much_now", r"\b(took|taken|did|used|popped|snorted|shot|drank)\b.{0,50}\b(\d+|more|extra|double|doubled|too much|a lot|on top of|and drank|with alcohol|mixed)\b.{0,80}\b(can not (feel|stay awake|keep (my )?(eyes|head) (open|up))|falling asleep|fall asleep|barely (awake|breathing|type|keep)|hard to (stay awake|breathe|keep)|so (heavy|fuzzy|sleepy|slow)|head keeps|nodding)"),
    _p(OVERDOSE, "tolerance_lost", r"\b(after|been) \d+ (days|weeks|months) clean\b.{0,80}\b(so (fuzzy|heavy|sleepy)|barely|can not (stay awake|breathe|feel)|falling asleep|nodding)\b"),
    _p(OVERDOSE, "something_wrong_after_use", r"\b(just )?(shot up|used|did a shot|snorted|smoked)\b.{0,40}\b(something is wrong|somethings wrong|vision (going|is going|getting) (dark|black|blurry)|going dark|blacking out)\b"),
    _p(OVERDOSE, "narcan_now", r"\b(narcan|naloxone)\b.{0,60}\bright now\b|\b(need|have) to (use|give) (it|the narcan|narcan|naloxone)\b.{0,20}\b(right now|now|asap)\b"),
    _p(OVERDOSE, "out_for_minutes", r"\b(been out|passed out|unresponsive|not waking|will not wake)\b.{0,20}\bfor (like |about )?\d+ (minutes|mins|min|hours)\b|\b(he|she|they) (has|have|is|are) been out for (like |about )?\d+"),
    _p(OVERDOSE, "pinpoint_and_sleepy", r"\b(pinpoint|pinned|tiny) pupils\b.{0,80}\b(falling asleep|nodding|will not wake|blue|breathing)|\bpupils (are )?(like )?(pinpoints?|pinned|tiny)\b.{0,80}\b(falling asleep|nodding|will not wake|blue|breathing)|\b(falling asleep|nodding)\b.{0,80}\b(pinpoint|pinned) pupils\b"),
    _p(MEDICAL, "dts_now", r"^(?=.*(\b(is|are|am|keeps?|will not (stop|quit)|can not stop|est[aá])\b.{0,20}\b(shak\w+|trembl\w+|temblando|sweating|seeing|hearing|screaming)\b|\b(shaking|sweating)\b.{0,12}\b(and can not stop|so bad|really hard)\b))(?=.*(\b(seeing|hearing|see|sees|hear|ve)\b.{0,20}\b(things|stuff|shadows|bugs|spiders|cosas|people|my name|voices)\b|\bspiders\b|\bwhat( i|'?)s real\b|\bpeople (that|who) (are not|arent|aren't) there\b|\bwhere i am\b))(?=.*(\b(stopped|quit|coming off|off|dej[oó] de) (drinking|alcohol|vodka|booze|beer|tomar|the bottle)\b|\blast drink\b))"),
    _p(MEDICAL, "stroke", r"\b(face|mouth|smile) (is )?(drooping|droopy|crooked)\b|\bone side of (my|his|her) (face|body)\b.{0,30}\b(droop\w*|numb|weak|can not (feel|move))\b|\bcan not (feel|move) (my|his|her) (left|right) (side|arm|leg)\b"),
    _p(MEDICAL, "seizure_again", r"\bseizure again\b|\b(second|another|2nd|third) (one|seizure) today\b|\bfeeling (like )?(right )?before (my|a) (last )?seizure\b|\b(about to|going to) have a seizure\b"),
    _p(MEDICAL, "throat_tight", r"\bthroat (is )?(getting |feels )?(tight|tighter|closing|swelling)\b.{0,80}\b(stung|sting|epipen|epi pen|allergic|hives|swelling|can not breathe)\b|\b(stung|sting|epipen|epi pen|allergic|hives)\b.{0,80}\bthroat (is )?(getting |feels )?(tight|tighter|closing|swelling)\b"),
    _p(MEDICAL, "infection_fever", r"\b(red|swollen|hot|pus|streaks?)\b.{0,60}\b(fever|chills)\b.{0,40}\b(out of it|confused|can not think|dizzy|faint)\b|\bstiff neck\b.{0,40}\b(fever|can not think|confus\w*)\b|\bfever\b.{0,40}\bstiff neck\b"),
    _p(MEDICAL, "chest_pressure", r"\b(elephant|weight|pressure|something heavy) (is )?(sitting )?on (my|his|her) chest\b"),
    # --- overdose signs, drug named or not (issue 9; evaluation/overdose_dev) ---
    _p(OVERDOSE, "no_response", r"\b(not|no longer|is not|are not|will not|does not|did not|do not|would not|can not|could not|still)( even| really| at all| still)? "
       r"(respond|responding|react|reacting|responsive)\b" + _NOT_BODY +
       r"|\bcan not get (any|a|much of a) (response|reaction|answer)\b|\b(can not|could not) get (him|her|them|my \w+( \w+)?) to (wake|respond|react)\b"
       r"|\b(no|zero) (response|reaction)\b(?= (when|to (anything|his|her|their|my|the)|at all|from (him|her|them)|even))"
       r"|\b(can not|could not|can barely|not able to|unable to) (rouse|arouse)\b"),
    _p(OVERDOSE, "down_and_silent", rf"\b{_DOWN}\b.{{0,80}}\b{_NO_ANSWER}|\b{_NO_ANSWER}.{{0,80}}\b{_DOWN}\b"
       rf"|\b{_USE}\b.{{0,60}}\b(bathroom|locked)\b.{{0,60}}\b(not answering|will not answer|no answer|not responding)\b"
       rf"|\b{_USE}\b.{{0,60}}\b(not answering|will not answer|no answer|not responding)\b.{{0,40}}\b(bathroom|locked)\b"),
    _p(OVERDOSE, "limp", r"\b(is|are|am|gone|went|goes|go|going|totally|completely|all|really|so|body|arms|legs)( totally| completely| all| really| so| just)? (limp|floppy)\b"
       r"|\blimp (and|like)\b|\bfound (him|her|them|my \w+) limp\b"),
    _p(OVERDOSE, "breathing_signs", r"\b(can not tell|not sure|do not know|idk|i do not know|can not see|checking|check) (if|whether) (he|she|they|my \w+|\w+) (is|are) (even |still )?breathing\b"
       r"|\b(is|are) (he|she|they) (even |still )?breathing\b|\bbreaths? (are |is )?(really |so |very |super |kind of |kinda )*(far apart|slow|shallow|few and far|spaced out|rattly|rattling)\b"
       r"|\bbreathing (is )?(really |so |very |super |kind of |kinda )*(gurgly|rattly|rattling)\b|\b(forgetting|forgets|forget) to breathe\b"
       r"|\bbreathing (just |has |keeps |kept )?(stopped|stops|stopping)\b|\b(stops|stopped) breathing (for|and then|then)\b|\bone breath every\b|\b(\d+|one|two|three|four|five) breaths? (a|per|every|each) (minute|min)\b"
       r"|\b(rattl\w+|gurgl\w+) (breath|breathing|sound|noise)\b|\bsnor\w* (sound|noise|gurgle)\b.{0,40}\b(will not|can not|does not|not)\b"),
    _p(OVERDOSE, "nodding_hard", r"\bnodding (hard|in and out|so hard)\b|\bnodd(ing|ed) (out|off)\b.{0,60}\b(breath\w*|blue|wake|lips)\b"),
    _p(OVERDOSE, "used_and_collapsed", r"\b(took|taken|used|did|shot|snorted|smoked|popped|swallowed|injected|mixed)\b.{0,50}\b(pills?|pressed|blues?|dope|fent\w*|heroin|percs?"
       r"|percocets?|oxy\w*|xanax|bars|benzos?|methadone|suboxone|subs|morphine|tramadol|lean|codeine|gabapentin|klonopin|something|a hit|a line|a shot|too much|too many)\b"
       r".{0,50}\b(collapsed|dropped to the (floor|ground)|keeled over|went down|fell over|face down|hit the floor)\b"
       r"|\b(collapsed|keeled over|dropped to the (floor|ground)|hit the floor)\b.{0,30}\bafter (using|he used|she used|they used|shooting up|taking (something|a pill|pills|\w+ pills?))\b"),
    _p(OVERDOSE, "fading_after_use", r"\b(used|using|took|did|shot up|snorted|smoked|popped)\b.{0,50}\b(slipping away|fading (in and out|away|out|fast)|i am fading|going under|blacking out|black out|(going to|about to|gonna) pass out)\b"
       r"|\b(going to|about to|gonna) (pass out|black out)\b.{0,40}\b(did|took|used|snorted|smoked|shot|popped) (a lot of |too much |so much |a bunch of |some |a )?"
       r"(dope|fent\w*|heroin|pills|percs?|oxy\w*|xanax|bars|blues?|methadone)\b"
       r"|\b(slipping away|fading (in and out|away|fast))\b.{0,30}\b(after|since) (i|he|she|they) (used|took|did|shot|snorted|smoked)\b"),
]
# Signs that make a message kind overdose whatever else it says.
_SIGNS = frozenset({"not_breathing", "no_pulse", "wont_wake", "not_responding", "blue", "gurgling", "slow_breathing", "cant_stay_awake",
                    "unresponsive", "down_now", "no_response", "down_and_silent", "limp", "breathing_signs"})
_COLOUR_RULES = frozenset({"blue"})  # a colour after swimming or in the cold is not a sign unless it is now


def normalize(text: str) -> str:
    text = fold(text or "").lower()  # soft hyphens, fullwidth and look-alike letters read as what they show
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"[^\w\s'.,!?&-]", " ", text)
    text = re.sub(r"(\w)\1{2,}", r"\1\1", text)  # "pleaseeee" -> "pleasee"
    for pattern, repl in _SHORTHAND_RE:
        text = pattern.sub(repl, text)
    return re.sub(r"\s+", " ", text).strip()


_PAST_MARKER = re.compile(r"\b(back in (19|20)\d\d|in (19|20)\d\d|\d+ years? ago|years ago|doing (well|better|great|good|fine) now)\b")
_PAST_ATTEMPT = re.compile(r"\b(tried|attempted) (to kill (myself|himself|herself)|suicide)\b")


def _scrub_idioms(text: str, message: str) -> str:
    for pattern in _IDIOM_RE:
        text = pattern.sub(" ", text)
    if _PAST_MARKER.search(message):  # "back in 2019 i tried to kill myself. i'm doing well now"
        text = _PAST_ATTEMPT.sub(" ", text)
    return text


MAX_SPAN = 1000  # longer runs without punctuation are read in overlapping pieces
WHOLE_MESSAGE_MAX = 2000


def _sentences(text: str) -> list[str]:
    """Sentences, with very long ones cut into overlapping pieces so that time stays linear."""
    pieces = []
    for sentence in (s.strip() for s in re.split(r"[.!?\n]+", text)):
        for start in range(0, max(len(sentence), 1), MAX_SPAN - 100):
            piece = sentence[start:start + MAX_SPAN].strip()
            if piece:
                pieces.append(piece)
    return pieces


# "wish i would just not wake up" is a wish to die, not someone who cannot be woken.
_WISH_NOT_WAKE = re.compile(r"\b(wish|hope|pray|praying|hoping|wishing|want|wanna|rather)( that)?( i would| i could| i just| i can| i will| i| to)?( just)? (go to sleep and |sleep and |fall asleep and )?(would not|wouldnt|will not|wont|not|never|do not|dont)( just)? (wake|waking)\b")


def _counts(kind: str, name: str, strong: bool, pattern: re.Pattern, text: str, hypothetical: bool, over: bool,
            cold: bool) -> bool:
    """Whether `pattern` matches `text` in a way that is a crisis now.

    Weak patterns are kept to the present by the general-question check; these
    gates are for the strong overdose ones.
    """
    if kind != OVERDOSE or not strong:
        return bool(pattern.search(text))
    if hypothetical or (name == "wont_wake" and _WISH_NOT_WAKE.search(text)):
        return False
    for match in pattern.finditer(text):
        if not (over or (cold and name in _COLOUR_RULES)):
            return True
        if _PRESENT.search(text[max(0, match.start() - 20):match.end()]):  # "turned blue" is over, "is blue" is now
            return True
    return False


def _signals(text: str, message: str, strong_only: bool, over: bool) -> tuple[CrisisSignal | None, CrisisSignal | None, CrisisSignal | None]:
    """The first signal, the first overdose signal and the first overdose sign in one piece of text."""
    scrubbed = _scrub_idioms(text, message)
    now = bool(_NOW.search(scrubbed))
    general = bool(_GENERAL_QUESTION.search(scrubbed)) and not now
    hypothetical = (bool(_HYPOTHETICAL.search(scrubbed)) and not _NAMED_SIGN.search(scrubbed)
                    and not _NOW.search(scrubbed.replace("911", " ")))  # "if someone ..., should i call 911"
    cold = bool(_COLD.search(scrubbed))
    first = overdose = None
    for kind, name, pattern, strong in _PATTERNS:
        if not strong and (strong_only or general):
            continue
        if not _counts(kind, name, strong, pattern, scrubbed, hypothetical, over, cold):
            continue
        signal = CrisisSignal(kind, name)
        first = first or signal
        if kind == OVERDOSE:
            if name in _SIGNS:
                return first, overdose or signal, signal
            overdose = overdose or signal
    return first, overdose, None


def detect(text: str) -> CrisisSignal | None:
    """The crisis signal of `text`, or None. Pure and fast (regex only).

    An overdose sign anywhere wins; then any overdose match over a medical one;
    otherwise the first match (sentence by sentence, patterns in order).
    """
    normalized = normalize(text)
    if not normalized:
        return None
    over = bool(_RESOLVED.search(normalized)) and not _NOW.search(normalized)
    sentences = _sentences(normalized)
    first = overdose = None
    for sentence in sentences:
        found, found_overdose, sign = _signals(sentence, normalized, False, over)
        if sign:
            return sign
        first, overdose = first or found, overdose or found_overdose
    if (first is None or (first.kind == MEDICAL and overdose is None)) and len(sentences) >= 2 and len(normalized) <= WHOLE_MESSAGE_MAX:
        # Strong patterns also across sentences: "exit stage left. permanently.", "the dope was
        # laced. i can not breathe right" (a very long message is only checked piece by piece)
        found, found_overdose, sign = _signals(normalized, normalized, True, over)
        if sign:
            return sign
        first, overdose = first or found, overdose or found_overdose
    if first is not None and first.kind == MEDICAL and overdose is not None:
        return overdose
    return first


# --- whom a suicide message is about ----------------------------------------------------
# "my son says he wants to kill himself" gets words about that person, not "you matter".
_RELATIONS = (r"(son|daughter|kid|child|husband|wife|partner|boyfriend|girlfriend|bf|gf|fiance|fiancee|mom|mother|mum|"
              r"dad|father|brother|sister|bro|sis|friend|best friend|cousin|grandson|granddaughter|nephew|niece|uncle|"
              r"aunt|roommate|stepson|stepdaughter|grandma|grandmother|grandpa|grandfather|coworker|neighbor|teen|"
              r"teenager|loved one|family member|ex|spouse)")
_ABOUT_OTHER = re.compile(
    r"\b(himself|herself|themselves|themself)\b"
    rf"|\b(he|she|my {_RELATIONS}s?)( \w+)?( just| also| really| even| now| keeps| kept)? (says|said|saying|talks|talked|talking|"
    r"texted|texts|posted|wants|wanted|is going|was going|is gonna|tried|has tried|is trying|is planning|plans|planned|has|"
    r"had|is|was|threatened|threatens|is threatening|wrote|left)\b"
    r"|\bthey (say|said|keep saying|kept saying|are talking|texted|posted|want|wanted|are going|tried|are planning|threatened)\b"
    r"|\bse va a matar\b|\bva a suicidarse\b|\bya no quiere vivir\b"
)
_ABOUT_SELF = re.compile(
    r"\b(myself|kill me|without me|me gone|my (own )?life|i am (done|a burden|suicidal|going to die))\b"
    r"|\b(i|me) (really |just |kind of |kinda |honestly |also )?(want|wanna|wish|plan|feel|will|need|do not want|dont want|"
    r"am going to|am gonna|am thinking|keep thinking|have been thinking|think about|thought about|am ready|no want)\b"
    r".{0,30}\b(die|dying|dead|suicid\w*|end (it|things|everything|my)|kill|alive|here|around|live|living|wake up|exist)\b"
    r"|\bme voy a matar\b|\bya no quiero vivir\b"
)


def about_someone_else(text: str) -> bool:
    """A suicide message about another person ("she keeps saying she wants to die"), not the writer.

    When the writer speaks of themself too ("he left and i want to die"), it is about the writer.
    """
    normalized = normalize(text)
    return bool(_ABOUT_OTHER.search(normalized)) and not _ABOUT_SELF.search(normalized)
