r"""The crisis pattern families: the phrases that make a message a crisis.

assistant/crisis.py runs them (normalize, scrub idioms, match, choose the
kind); this module only lists them, so a reviewer can read what fires without
reading how. Each family has

- a kind: suicide, overdose or medical;
- a name, reported as the rule that fired ("rule:<name>" in the NLU output);
- its phrases: regular expressions, any one of which fires the family. They
  read normalized text: lower case, plain apostrophes, shorthand spelled out
  ("can't" -> "can not", "im" -> "i am", "kms" -> "kill myself"; see
  assistant/crisis_context.py), so "can not" also covers "cant" and "can't".

A strong family always fires. A weak one (strong=False) does not fire when the
message asks in general, about the past or "what if" ("what are the signs of an
overdose"). A sign (sign=True) is an overdose sign: it makes the message kind
overdose whatever else it says.

Order matters: families are tried top to bottom, the first to match names the
rule, and between suicide and the other kinds the first match wins. Every
family has an example it must catch and a look-alike it must not in
tests/unit/test_crisis_patterns.py; add both with a new family.

Reading a phrase: \b is the edge of a word; (a|b) is a or b; ? makes the part
before it optional, * lets it repeat; \w+ is any one word; .{0,40} is up to 40
characters of anything, .* anything; ^ and $ are the start and end of a
sentence; (?! ...) means "not followed by", (?<!not ) "not right after 'not '".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SUICIDE = "suicide"
OVERDOSE = "overdose"
MEDICAL = "medical"
KINDS = (SUICIDE, OVERDOSE, MEDICAL)


@dataclass(frozen=True)
class Family:
    """Phrases for one kind of crisis; any one of them fires the family."""

    kind: str
    name: str
    pattern: re.Pattern[str]
    strong: bool = True  # a weak family does not fire in a general, past or hypothetical question
    sign: bool = False  # an overdose sign: the message is kind overdose whatever else it says
    colour: bool = False  # a skin colour: after swimming or in the cold it counts only if it is now


def family(kind: str, name: str, *phrases: str, strong: bool = True, sign: bool = False, colour: bool = False) -> Family:
    """A family that fires when any one of `phrases` matches."""
    return Family(kind, name, re.compile("|".join(phrases)), strong, sign, colour)


def one_of(*choices: str) -> str:
    """A group that matches any one of `choices`: one_of("lips", "face") is "(lips|face)"."""
    return "(" + "|".join(choices) + ")"


# --- words that families share ----------------------------------------------------------
SELF = one_of("myself", "my life", "my own life")
PEOPLE = one_of(
    "son", "daughter", "husband", "wife", "boyfriend", "bf", "girlfriend", "gf", "partner", "fiance", "fiancee", "friend",
    "roommate", "roomate", "mom", "mother", "dad", "father", "brother", "sister", "sis", "bro", "cousin", "uncle", "aunt",
    "nephew", "niece", "grandson", "granddaughter", "grandma", "grandpa", "grandmother", "grandfather", "baby", "kid",
    "child", "teen", "teenager", "stepson", "stepdaughter", "neighbor", "coworker", "client", "patient", "guy", "man",
    "woman", "lady", "person", "dude", "buddy", "homie", "bestie", "ex", "spouse", "boo", "love")
# Someone, the writer included: "he", "my son", "the guy".
SOMEONE = rf"(he|she|they|i|my (\w+ )?{PEOPLE}s?|(the|a|this|that|some) (\w+ )?{PEOPLE})"
# Someone other than the writer: "i am blue" is a mood, "he is blue" a sign.
OTHER = rf"(he|she|they|(my|his|her|our|the|this|a) (\w+ )?{PEOPLE}s?|{PEOPLE})"
COLOUR = one_of("blue", "bluish", "blueish", "blue-ish", "purple", "purplish", "gr[ae]y", "gr[ae]yish", "ashen", "ashy",
                "dusky")
BODY = one_of("lips", "lip", "nail beds", "nailbeds", "fingertips", "finger tips", "fingers", "fingernails", "nails", "face",
              "skin")
# Small words between a body part and its colour: "lips are kind of a bit blue".
FILL = one_of(*(" " + word for word in (
    "are", "is", "look", "looks", "looking", "turning", "turned", "going", "gone", "went", "getting", "got", "all", "kinda",
    "kind of", "so", "really", "super", "like", "a bit", "a little", "pretty", "very", "were", "was", "seem", "seems", "now",
    "still", "a"))) + "*"
# Down: collapsed, on the floor, eyes rolled back.
DOWN = one_of(
    "collapsed", "passed out", "keeled over", "face down", "face first", "slumped", "(lying|laying) (there|on|in|face|down)",
    r"on the (\w+ )?(floor|ground|carpet)",
    "fell (down|over|off (the|his|her|a) (chair|bed|couch|stool|toilet|bench)|to the|on the|in the)",
    "dropped (to the floor|to the ground|down)", "went down", "unconscious", "eyes (are )?(rolled|rolling) back",
    "eyes half open")
# Silent: not answering, talking or moving (not "not moving on", "not moving house").
NO_ANSWER = (r"(not|will not|does not|is not|can not|still not|would not|did not)( even| really| at all| still)? "
             r"(answer(ing)?|talk(ing)?|mov(e|ing)|say(ing)? anything|open(ing)? (his|her|their) eyes"
             r"|make a sound|making a sound)\b"
             r"(?! (on|forward|out|in|house|away|about|to (the|a) (new|different)))")
USE = one_of("used", "using", "shot up", "shooting up", "did", "took", "snorted", "smoked", "popped", "dope", r"fent\w*",
             "heroin")
# "won't wake up early / in time / for work" is about sleep, not an overdose.
NOT_ROUTINE = (r"(?! (up )?(early|before|in time|on time|for|at (?!all\b)|in the morning|anymore|lately|these days|most days"
               r"|every))")
# "not responding to treatment / my texts / criticism" is not about the body.
NOT_BODY = (r"(?! ((well |badly )?to (\w+ ){0,3}(treatment|therapy|texts?|messages?|calls?|emails?|questions?|medications?"
            r"|medicine|meds|dose|doses|suboxone|methadone|naltrexone|vivitrol|antidepressants?|phone|program|news|idea"
            r"|criticism|feedback|requests?|ads?)\b|well|badly|great|positively))")

# --- the families, in the order they are tried ------------------------------------------
FAMILIES: tuple[Family, ...] = (
    # --- suicidal thoughts and self-harm, direct and indirect ---
    # Killing, hurting or cutting myself, said outright.
    family(SUICIDE, "kill_self",
           r"\b(kill(ing)?|hurt(ing)?|harm(ing)?|cut(ting)?|off(ing)?|shoot(ing)?|hang(ing)?|drown(ing)?|burn(ing)?) "
               + SELF + r"\b"),
    # Saying one feels suicidal, or will commit suicide.
    family(SUICIDE, "feel_suicidal",
           r"\b(i|i am|i feel|i felt|feeling|i have been|getting|i get|so|very|really|am) suicidal\b",
           r"\bsuicidal (right now|tonight|again)\b",
           r"\bcommit(ting)? suicide\b"),
    # The word suicide or suicidal anywhere, unless the message asks in general.
    family(SUICIDE, "suicidal",
           r"\bsuicid(al|e)\b", strong=False),
    # The words self-harm or self harming, unless the message asks in general.
    family(SUICIDE, "self_harm",
           r"\bself[- ]?harm(ing)?\b", strong=False),
    # "going to die", "about to die", unless the message asks in general.
    family(SUICIDE, "going_to_die",
           r"\b(going|about|gonna) to die\b", strong=False),
    # Wanting, planning or hoping to die or not be alive (not after "not" or "never").
    family(SUICIDE, "want_die",
           r"(?<!not )(?<!never )\b(want|wanting|wanted|ready|trying|plan(ning)?|wish|wishing|deserve|hope|hoping|like"
               r"|rather|deciding) (to )?(die|be dead|not (be )?(alive|here|exist|live|living|around|wake up))\b"),
    # "i just want to die", "i'd rather stop existing", "sleep forever".
    family(SUICIDE, "want_die_2",
           r"(?<!not )\b(i|id|i'd|i would|i just|just) (want|wanna|wish|prefer)\w* (to )?"
               r"(die|be dead|disappear forever|stop existing|not exist|go to sleep (and|&) never wake|sleep forever"
               r"|never wake up|fall asleep (and|&) (not|never) wake)"),
    # Wishing to be dead, never born, gone.
    family(SUICIDE, "wish_dead",
           r"\b(wish|wishing) (i|id|i'd|i was|i were|that i) ?(was|were|had)? ?"
               r"(dead|never (been )?born|gone|not here|not alive)\b"),
    # Others would be better off without me, or if I were gone.
    family(SUICIDE, "better_off",
           r"\b(better off|be better|be happier|easier for everyone|easier on everyone|easier for (my|the) \w+) "
               r"(dead|without me|if i (was|were|am|was not|were not|wasn'?t|weren'?t|did not|didn'?t|died|never|had never"
               r"|am not|was gone|were gone|disappear\w*)|with me gone|once i am gone|when i am gone)"),
    # Things would be easier for everyone if I were not here.
    family(SUICIDE, "easier_gone",
           r"\b(it|everything|life|things) (would|will|might) be (easier|better) "
               r"(for everyone |for them |for all |for my \w+ )?if i (was|were|am|was not|were not|died|disappear\w*"
               r"|just (died|disappear\w*|was gone|were gone)|gone|not here|was not here|were not here|wasn'?t here"
               r"|weren'?t here|did not wake up|never woke up)"),
    # Ending it, my life, everything (not "end it with him", "end it early").
    family(SUICIDE, "end_it",
           r"\bend (it|it all|everything|things|my life|my own life|this life|my suffering|the pain for good)( all)?"
               r"( now| tonight| today| for good| once and for all)?\b"
               r"(?! (with|by having|of the|the right way|properly|early))"),
    # Taking one's own life.
    family(SUICIDE, "take_life",
           r"\btak(e|ing) (my|his|her|their) (own )?life\b"),
    # No reason or point to live, go on, wake up.
    family(SUICIDE, "no_reason_live",
           r"\b(no|not any|nothing|any) (reason|point|purpose) (to|in|for|of) "
               r"(live|living|go on|going on|keep going|being alive|life|stay(ing)? alive|be here|wake up|waking up"
               r"|try(ing)? anymore|anything anymore)\b"),
    # "what's the point of living", "what's the point anymore".
    family(SUICIDE, "whats_the_point",
           r"\bwhat('?s| is) the point (of|in) (living|life|going on|being alive|anything|trying|even trying"
               r"|any of (it|this))\b",
           r"\bwhat('?s| is) the point anymore\b"),
    # Cannot go on, cannot take it anymore.
    family(SUICIDE, "cant_go_on",
           r"\b(can not|can'?t|could not) (go on|keep going|keep living|live like this|do (this|it|life) anymore"
               r"|take (it|this|life) anymore|handle (it|this|life) anymore|keep doing this)\b"),
    # Not wanting to live, be here, wake up, exist.
    family(SUICIDE, "not_want_live",
           r"\b(do not|does not|dont|don'?t|never) (really |even |just )?(want|wanna|wnt|feel like) (to |2 )?"
               r"(live|be alive|be here|exist|wake up|go on|keep living|be around)( anymore| any more)?\b"),
    # Wishing or planning not to wake up.
    family(SUICIDE, "not_wake",
           r"\b(wish|hope|pray|praying|hoping|wishing|want|wanna|rather)( that)?"
               r"( i would| i could| i just| i can| i will| i| to)?( just)? (go to sleep and |sleep and |fall asleep and )?"
               r"(would not|wouldnt|will not|wont|not|never|do not|dont)( just)? (wake|waking)\b",
           r"\b(never|not) wak(e|ing) up (again|tomorrow|ever)\b",
           r"\bhope i (do not|never|don'?t) wake\b",
           r"\b(hope|hoping|hoped|wish|wishing|pray|praying|make sure|making sure|enough (that|so)|so that|so) i "
               r"(will |just |would |could )?(do not|will not|never|not|would not|did not) wake\b",
           r"\b(enough|pills|meds|bars|want|wanna|trying|try|going|ready|plan|planning|hope|hoping|wish) to (just )?"
               r"(not|never) wake( up)?\b",
           r"\b(overdose|od|use|take (\w+ ){1,3}|swallow (\w+ ){1,3}|sleep) and (just )?(not|never) wake\b",
           r"\bi (do not|will not|never) wake up (this time|again)\b"),
    # No one would miss me or notice if I were gone.
    family(SUICIDE, "miss_me",
           r"\b(no one|nobody|noone|no body) (would|will|is going to|gonna)( even)? (miss|notice|care) (me|if i)\b"),
    # Being a burden, a waste of space.
    family(SUICIDE, "burden",
           r"\b(i am|i'm|im|feel like|i feel like) (just )?(a|such a) (burden|waste of space|waste of air)\b"),
    # A final goodbye, last message, deleted accounts, "don't look for me".
    family(SUICIDE, "goodbye",
           r"\b(this is|consider this) (my )?(goodbye|last message|final message)\b"
               r"(?! (here|from me|to the|for now|from this))",
           r"\bgoodbye (forever|everyone|world)\b",
           r"\bsay(ing)? goodbye (to (someone|everyone|people)( before i go)?|before i go)\b",
           r"\blast time you( wi|')?ll hear from me\b",
           r"\bdeleted (all )?my accounts\b",
           r"\b(do not|dont) (come )?look(ing)? for me\b",
           r"\bsay(ing)? (my )?(final|last) goodbyes?\b"),
    # Taking all of one's pills or the whole bottle (not "as prescribed").
    family(SUICIDE, "means",
           r"\b(take|taking|swallow|swallowing|took|down|downing) (all|every one|the whole bottle|a whole bottle"
               r"|the rest) (of )?(my|the|these|those|his|her)? ?(pills|meds|medication|bottle|xanax|bars|subs|methadone)\b"
               r"(?! (as prescribed|at once\?))"),
    # Means ready (pills counted, gun loaded) or jumping off something.
    family(SUICIDE, "means_ready",
           r"\b(pills|meds|rope|gun|knife|razor|blade)s? (counted|lined up|ready|loaded|in my hand)\b",
           r"\b(gun|pistol) (to|against) my head\b",
           r"\bjump (off|in front of)\b",
           r"\bjumping (off|in front of)\b"),
    # Planning or wanting to overdose.
    family(SUICIDE, "overdose_on_purpose",
           r"\b(overdose|overdosing|od) (on purpose|intentionally|to die|so i (die|do not wake up))\b",
           r"\b(want|trying|going|plan|planning|thinking about|thought about|gonna) (to )?(overdose|od)\b"),
    # Not caring whether I die or wake up.
    family(SUICIDE, "dont_care_die",
           r"\b(do not|dont|don'?t) (even )?care (if|whether) i (die|live|overdose|wake up|make it)\b"),
    # Thoughts of dying, suicide, killing or hurting oneself.
    family(SUICIDE, "thoughts",
           r"\b(thoughts|thinking|thought) (of|about) (dying|death|suicide|killing myself|ending it|ending my life"
               r"|not being here|killing (myself|himself|herself)|hurting myself|ending things)\b"),
    # "i will be dead soon", "gone by tomorrow".
    family(SUICIDE, "dead_soon",
           r"\b(i will|i'll|ill|i am going to|i am gonna) be (dead|gone) (soon|by|tomorrow|tonight|before)\b"),
    # Giving up on life; done with living.
    family(SUICIDE, "give_up_life",
           r"\b(giving|give|gave) up on (life|living|everything|myself)\b",
           r"\b(done|finished|tired) (with|of) (life|living|being alive|existing)\b"),
    # Someone else talking or texting about killing themselves or wanting to die.
    family(SUICIDE, "third_person",
           r"\b(he|she|they|my \w+) (is|are|keeps|kept)? ?(talking|saying|said|says|texting|texted|posting|posted) "
               r"(about|that (he|she|they)) (killing|wanting to die|want(s)? to die|ending it|suicide"
               r"|hurting (himself|herself|themselves)|(he|she|they) (wants?|is going|are going) to die)"),
    # Someone else killing, hurting or harming himself, herself, themselves.
    family(SUICIDE, "third_person_2",
           r"\b(himself|herself|themselves|themself)\b.*\b(kill|hurt|harm|end)\b",
           r"\b(kill|hurt|harm|cut|hang|shoot)(ing|s)? (himself|herself|themselves|themself)\b"),
    # Wanting to disappear or vanish forever.
    family(SUICIDE, "want_disappear",
           r"\b(want|wanna|wish i could|going) (to )?(disappear|vanish) (forever|for good|and never come back)\b"),
    # Will not be around, here or alive much longer.
    family(SUICIDE, "not_around",
           r"\b(will not|won'?t|not going to|am not going to|not gonna) be (around|here|alive)"
               r"( much longer| tomorrow| anymore| by| for| after)\b",
           r"\b(will not|won'?t) (be alive|make it) (by|to|through the night|till)\b",
           r"\bnot going to let myself\b"),
    # Tonight is the night; having a plan (not a plan to quit, taper or get help).
    family(SUICIDE, "tonight_is_the_night",
           r"\b(tonight|today) is the (night|day)\b",
           r"\b(his|her|my|their) last night\b",
           r"\b(i|he|she|they) (have|has|made|got) a plan\b(?!:| \d| (to (get|stay|quit|stop|cut|taper|be|start|go|work)"
               r"|for (tonight|today|tomorrow|the|my|getting|recovery|treatment|sobriety)))",
           r"\bmade (my|up my) (decision|mind) (to|about)? ?(die|end|go)?"),
    # Writing a note or goodbye letters, saying goodbye to everyone, giving things away.
    family(SUICIDE, "goodbye_note",
           r"\b(wrote|writing|left|leaving|write) (a |my |goodbye |suicide |farewell )?"
               r"(note|notes|goodbye letters?|letters? to (my|his|her) (kids|family|mom|dad))\b",
           r"\bsaid goodbye to everyone\b",
           r"\b(sorry for everything\b(?! (i|that|we|you))|tell (my|her|his) \w+ (i|that i) love (her|him|them))\b",
           r"\bgiving (all )?(his|her|my) (stuff|things|belongings) away\b"),
    # Death as the way out: life not worth living, wanting it all to be over.
    family(SUICIDE, "dying_way_out",
           r"\bway out\b.{0,15}\b(except|but|besides|other than|is)\b.{0,10}\b(dying|death|to die|suicide)\b",
           r"\b(life|living) (is not|isnt|is no longer|not) worth (it|living)\b",
           r"\bwhy am i (still )?alive\b",
           r"\bshould (just )?(die|be dead)\b",
           r"\bif i (just )?died\b",
           r"\b(want|wanted|wish) (it all|everything|this) to be over( for good| forever)?\b",
           r"\b(pain|suffering|it) to stop (forever|for good|permanently)\b",
           r"\bdisappear (permanently|for good|forever)\b",
           r"\bstop existing\b",
           r"\bcheck out (for good|permanently)\b",
           r"\b(take|takes) me in my sleep\b",
           r"\bmy (own )?funeral\b",
           r"\bend(ing)? (myself|it)\b(?! (with|by having|the right way|properly|early))",
           r"\bdeath (sounds|feels|seems) like (relief|peace)\b",
           r"\b(next|this) (hit|bag|shot|dose|one) (kills|will kill|would kill) me\b",
           r"\bno point anymore\b",
           r"\bi am done fighting\b",
           r"\bthinking about dying\b",
           r"\bthink about dying\b"),
    # Afraid of what I might do, not trusting myself, life insurance worth more.
    family(SUICIDE, "unsafe_alone",
           r"\b(scared|afraid|worried) of what i (might|could|will) do( to myself)?\b",
           r"\b(do not|dont) trust myself\b",
           r"\blife insurance\b.*\b(better off|worth more)\b",
           r"\b(better off|worth more) (collecting|with) (my )?life insurance\b",
           r"\beveryone'?s life would be easier without me\b",
           r"\b(would|will) be (happier|easier) (if|without) i\b",
           r"\b(he|she) is a burden\b",
           r"\bsays? (he|she) is a burden\b",
           r"\b(doesnt|does not|do not|dont) see the point (of|in) (living|life|going on)\b"),
    # An attempt again or recently, or a plan to try again.
    family(SUICIDE, "recent_attempt",
           r"\b(attempted|tried) (suicide|to kill (himself|herself|themselves|myself)|to end (his|her|their|my) life)\b.*"
               r"\b(again|last night|yesterday|today|this week|last week)\b",
           r"\b(going to|gonna|will|wants? to|plans? to) try (it )?again\b.*\b(suicide|kill)",
           r"\b(suicide|kill)\w*\b.*\b(going to|gonna|will|wants? to|plans? to) try (it )?again\b"),
    # Indirect ways of saying it: "clock out for good", "see you on the other side".
    family(SUICIDE, "euphemisms",
           r"\b(clock|check|checking|clocking) out (for good|permanently)\b",
           r"\b(permanent|permanently) lights out\b",
           r"\blights out\b.{0,20}\bpermanent\b",
           r"\bexit stage left\b.{0,20}\bpermanently\b",
           r"\bgo home to (him|god|jesus|the lord)\b",
           r"\b(tired|done|exhausted)\b.{0,40}\bready to go\b(?! (to|home from|back|out))",
           r"\bwill not see the sunrise\b",
           r"\btake the easy way out\b(?! (and|by|with|of|on))",
           r"\bnot coming back up\b",
           r"\bmake it (stop|end) (permanently|for good|forever)\b",
           r"\bmake it official\b",
           r"\bgoing to fix that\b",
           r"\bbe gone anyway\b",
           r"\bnot (going to|gonna) be alive (in|by|tomorrow)\b",
           r"\bnot (going to|gonna) make it (to|through) (monday|tomorrow|the night|the weekend)\b",
           r"\bsomething permanent\b",
           r"\bsee (yall|y'?all|you all|you) on the other side\b(?! of)",
           r"\bdone breathing\b",
           r"\bfinal message\b",
           r"\bready to stop swimming\b",
           r"\blet it take me\b",
           r"\bit will be over\b",
           r"\bgoing through with it\b",
           r"\b(the|my) stuff (is )?ready\b",
           r"\bdoing it (after|when|tonight|once)\b",
           r"\btonight i am ending\b",
           r"\btonight'?s (it|the night)\b(?! (i|we|to|for) )",
           r"\bdecided tonight\b",
           r"\bmake it quiet\b",
           r"\bi am out\b.{0,15}\bfor real\b",
           r"\bif i am not here tomorrow\b",
           r"\b(will not|won'?t) be here\b.{0,20}\b(anyway|tomorrow|much longer)\b",
           r"\bi (will not|won'?t) be here\b(?! (next|on|at|for|until|till|when))",
           r"\bdying is the only way\b",
           r"\bsee myself dead\b",
           r"\bme no want live\b",
           r"\bwaste of oxygen\b.*\btonight\b",
           r"\bsave him the trouble\b",
           r"\b(doesn'?t|does not) kill me,? i will\b",
           r"\bhoping i (do not|don'?t) survive\b",
           r"\bhelping it along\b",
           r"\buntil my heart (just )?stops\b",
           r"\b(do not|don'?t) care (anymore )?if i die\b",
           r"\bnobody will find me\b",
           r"\bsomebody finds (her|him|me)\b",
           r"\bstill going through with\b"),
    # More goodbyes and plans: "i love you, goodbye", "going to join him".
    family(SUICIDE, "more_goodbyes",
           r"\bi love you,? goodbye\b",
           r"\b(about to|going to|ready to) join (them|him|her)\b",
           r"\b(kind of|kinda|pretty much) have a plan\b",
           r"\bhave a plan now\b",
           r"\blast message i am sending\b",
           r"\b(do not think i'?ll|do not think i will|will not|won'?t) need (them|it|that)\b.{0,20}\bgoodbye\b",
           r"\b(i am|im) so done$",
           r"\b(do not|don'?t) think (i am|i'?m|i will|i'?ll) (going to |gonna )?make it\b",
           r"\b(want|ready|going|gonna) to go be with (him|her|them|my \w+)\b",
           r"\ba problem (much longer|for long)\b",
           r"\b(disappear|vanish) (off the face of the earth|permanently)\b",
           r"\bby the time (she|he|they|anyone)\b.{0,30}\b(it'?ll|it will) be over\b",
           r"\bi am out\b.{0,20}\bfor real\b"),
    # A gun, a bridge, a roof, stockpiled pills, affairs in order, ways to die.
    family(SUICIDE, "means_and_places",
           r"\b(gun|pistol|rifle)\b.{0,40}\b(nightstand|lap|head|mouth|loaded|eat|tonight|not coming back"
               r"|can not stop looking)\b",
           r"\beat (his|her|my) gun\b",
           r"\bloaded gun\b",
           r"\b(on|standing on) (the|a) (bridge|roof|ledge)\b",
           r"\bedge of the (parking deck|roof|bridge|building)\b",
           r"\bknife to my (arm|wrist|throat)\b",
           r"\bpile of pills\b.{0,30}\bbye\b",
           r"\b(stockpiling|hoarding|saving up) (my|his|her|my husband'?s|my wife'?s) "
               r"(prescription|pills|meds|sleeping pills)\b",
           r"\bwhole bottle sitting\b",
           r"\bwalking into the (lake|river|ocean|water)\b",
           r"\b(ways|way) to die\b",
           r"\bwhich way would hurt the least\b",
           r"\baffairs in order\b",
           r"\bmade my peace\b",
           r"\bwhere i am going\b",
           r"\b(long walk off a short pier)\b",
           r"\blie down in the snow\b",
           r"\bmy (will|note)\b.{0,40}\b(nothing|going through|does not matter|doesn'?t matter)\b",
           r"\bwriting my will\b"),
    # Cutting or burning one's arms or wrists again, on purpose, to feel.
    family(SUICIDE, "self_harm_more",
           r"\b(burned|burnt|scratched|scratching|cut|cutting) (my|his|her) (arm|arms|wrist|wrists|legs?|skin)\b.{0,40}"
               r"\b(again|on purpose|bleed|bleeding|to feel|til|until|worse)\b",
           r"\bcut my wrist\b"),
    # Someone else planning to kill or hurt themselves, saying goodbye, giving things away.
    family(SUICIDE, "third_person_more",
           r"\b(going to|gonna|wants? to|plans? to) (kill|hurt) (himself|herself|themselves)\b",
           r"\bwants? to end (his|her|their) life\b",
           r"\b(see|sees) (a|no) reason to keep living\b",
           r"\bnot coming back this time\b",
           r"\bwished (he|she|i) (had not|hadn'?t) woken up\b",
           r"\btry again and this time\b",
           r"\bsaid goodbye to (the kids|everyone|us)\b",
           r"\bgiving (his|her) (tools|things|stuff|guitar) away\b"),
    # Suicidal statements in Spanish ("quiero morir", "no quiero vivir").
    family(SUICIDE, "spanish",
           r"\b(quiero morir|me quiero morir|no quiero vivir|quitarme la vida|se quiere matar|me quiero matar|suicidarme"
               r"|suicidar|sentido a seguir viviendo|mejor sin (mi|mí|el|él|ella))\b"),
    # Going to sleep and never waking up; sleeping forever.
    family(SUICIDE, "never_wake",
           r"\b(sleep|asleep)\b.{0,25}\b(never|not|do not) wake( up)?\b",
           r"\b(go to )?sleep forever\b"),
    # Letters or notes left for everyone; "tell my mom i love her"; goodbye and now silent.
    family(SUICIDE, "notes_and_goodbyes",
           r"\b(wrote|written|writing|left|leaving) (\w+ )?(letters|notes?|goodbye note|a goodbye)\b.*"
               r"\b(everyone|find|for|kids|family|mom|dad)\b",
           r"\bgoodbye note\b",
           r"\b(tell|let) (my|her|his) \w+ (i|that i) (love|loved|am sorry)\b",
           r"\bi am sorry,? i love you\b",
           r"\bforgive me\b.*\b(not answering|phone is off|will not answer)\b",
           r"\bgoodbye (message|post|text)\b.*\b(not answering|is not answering|will not answer|not picking up)\b"),
    # Will not be around anyway, will not matter after tonight.
    family(SUICIDE, "not_around_any",
           r"\b(will not|won'?t|not going to|do not plan on) be(ing)? (around|here|alive)\b.{0,30}"
               r"\b(anyway|much longer|to tell|to take care|by|after tonight|for (her|him|them))\b",
           r"\bit will not matter after tonight\b",
           r"\b(will not|won'?t) be (a problem for anyone|anyone'?s problem)\b"),
    # Giving away belongings with "won't need them", "who gets what".
    family(SUICIDE, "giving_away",
           r"\b(giving|gave|give|given) (me |us |away )?(all )?(my|his|her|their)? ?"
               r"(things|stuff|belongings|jewelry|dog|cat|pets?)\b.{0,60}"
               r"\b(will not need|not going to (need|be)|won'?t need|ready to go|who gets what)\b",
           r"\b(giving|gave|given) away (all )?(my|his|her|their) (stuff|things|belongings)\b",
           r"\bwho gets what\b"),
    # A date or a way picked: "when i am going to do it", "picked a day".
    family(SUICIDE, "plan_date",
           r"\b(how|when) (i am|he is|she is) going to do it\b",
           r"\bpicked a (date|day)\b(?! (to|for) (quit|stop|start|get|my|detox|treatment))",
           r"\bgoing to do it (tonight|this weekend|tomorrow|when nobody)\b",
           r"\bready to go\b.*\b(gave|goodbye|wrote)\b"),
    # No point going on, lost all hope, nothing matters anymore.
    family(SUICIDE, "hopeless",
           r"\bno (point|reason) (in )?(going on|living|to go on|anymore)\b",
           r"\bdone (trying to live|living|with this world|with it all)\b",
           r"\b(life|living) is pointless\b",
           r"\bready to be done with (this world|life|everything)\b",
           r"\b(do not|can not) see a future\b",
           r"\blost all hope\b",
           r"\bnothing matters anymore\b",
           r"\bdecided i am done\b"),
    # Cutting (not cutting back, down or class) or hurting oneself on purpose.
    family(SUICIDE, "self_harm_acts",
           r"\b(been|started|feel like|keep|keeps|urge to|was|is|has been) cutting\b"
               r"(?! (back|down|out|off|ties|class|school|corners))",
           r"\bcutting (again|myself|himself|herself|(my|his|her) (arms|wrists|legs))\b",
           r"\b(burned|burn|hit|hitting|hurt|hurting|cut) (myself|himself|herself) (on purpose|until|again)\b"),
    # Wanting the next use to be the last or to kill me; relapsing on purpose.
    family(SUICIDE, "last_use",
           r"\b(next|this) (hit|shot|bag|dose|time i use|one|use)\b.{0,40}"
               r"\b(last (time|one)( ever)?|takes me out|for good|kills? me|be the last)\b",
           r"\brelapse on purpose\b",
           r"\blast relapse,? permanently\b",
           r"\b(do not|dont) care if (the )?\w+ kills me\b",
           r"\bwant it to (kill me|be the last)\b"),
    # Tried and it did not work; next time it will.
    family(SUICIDE, "tried_again",
           r"\btried (last night|yesterday|today|earlier) and it did not work\b",
           r"\bnext time it will\b"),
    # Someone wants to die or be dead; all better off without them.
    family(SUICIDE, "wants_to_die",
           r"(?<!not )(?<!never )\b(wants?|wanted|wanting) to (die|be dead)\b",
           r"\bwish(es)? (she|he|they) (was|were) dead\b",
           r"\b(all|everyone|we would all|we'?d all) be better off without (him|her|them|me)\b",
           r"\b(want|wanna) (to )?be dead\b",
           r"\bwhy (am i|i am) (even |still )*alive\b"),
    # Thinking about ending it, taking myself out, joining someone who died, not safe.
    family(SUICIDE, "ending_it",
           r"\b(thinking about|think about|thought about) end(ing)? it\b",
           r"\bend(ing)? it\b(?! (with|by having|of|the right way|properly|early))",
           r"\b(checking|check) out for good\b",
           r"\btak(e|ing) myself out\b",
           r"\bgo be with (my|him|her)\b.{0,20}\b(heaven|dead)\b",
           r"\b(join|follow) (him|her|my \w+)\b.*\b(died|od|overdosed|passed)\b",
           r"\bjust not exist\b",
           r"\blooking up ways to die\b",
           r"\b(am not|do not feel|not feeling) safe (right now|tonight|with myself)\b",
           r"\bnot safe with myself\b",
           r"\bit would all be over\b",
           r"\bnot come back from it\b"),

    # --- overdose happening now ---
    # Someone not breathing, barely breathing, stopped breathing.
    family(OVERDOSE, "not_breathing",
           r"\b(is not|are not|isnt|stopped|stop|stops|will not|not really) ?(breathing|breathe|breath)\b",
           r"(?<!\bcan )(?<!\bcould )\b(not|barely|hardly) ?(breathing|breathe|breath)\b", sign=True),
    # Struggling to breathe after taking a drug.
    family(OVERDOSE, "used_hard_to_breathe",
           r"\b(snorted|shot up|smoked|took|taken|used|did|popped|swallowed|injected|laced|so high|dope|fent\w*|heroin)"
               r"\b.{0,80}\b(can not|could not|can barely|can hardly|trouble|struggling to|hard to) ?"
               r"(breathing|breathe|breath)\b",
           r"\b(can not|can barely|can hardly|trouble|struggling to|hard to) ?(breathing|breathe|breath)\b.{0,30}"
               r"\bafter (taking|using|snorting|smoking|the pills|those pills|i (took|used|snorted|smoked))\b",
           r"\b(can not|can barely|can hardly|trouble|struggling to|hard to) ?(breathing|breathe|breath)\b.{0,40}"
               r"\b(took|used|snorted|smoked|did|shot) (some |a |the )?(fent\w*|dope|heroin|pills?|xan\w*|xanax|bars|percs?"
               r"|oxy\w*|something|blues?)\b"),
    # Struggling to breathe, no drug named: chest pain, asthma, panic.
    family(MEDICAL, "hard_to_breathe",
           r"\b(can not|can barely|can hardly|could barely|trouble|struggling to) ?(breathing|breathe|breath)\b"),
    # No pulse or a weak pulse.
    family(OVERDOSE, "no_pulse",
           r"\b(no|can not find (a|his|her)|cant find (a|his|her)|weak) pulse\b", sign=True),
    # Someone will not wake or come to; unresponsive (not "i do not wake up early").
    family(OVERDOSE, "wont_wake",
           r"(?<!\bi )(?<!\bi would )(?<!\bi could )(?<!\bdo )(?<!\band )(?<!\bto )\b"  # not "hope i do not wake up"
               r"(will not|not|does not|wont|isnt|is not) (wake|come to)\b" + NOT_ROUTINE,
           r"\b(will not|not|does not|wont|isnt|is not|can not|could not|cant) (waking|wakeing|coming to)\b" + NOT_ROUTINE,
           r"\b(can not|could not|cant) (wake|come to)\b" + NOT_ROUTINE,
           r"\bunresponsive\b",
           r"\bpassed out (and|&) (will not|can not|not)\b", sign=True),
    # Not responding or not moving, unless the message asks in general.
    family(OVERDOSE, "not_responding",
           r"\b(will not|can not|could not|not|does not|is not) (respond|responding)\b" + NOT_BODY,
           r"(?<!\bbaby )(?<!\bbaby is )\b(will not|can not|could not|not|does not|is not) "
               r"(move|moving|open (his|her|their) eyes)\b"
               r"(?! (in|out|forward|on|back|away|house|to|there|here|home|anywhere|ahead|fast|quickly))",
           strong=False, sign=True),
    # Lips, face or fingertips blue, grey or purple; someone turning blue; found blue.
    family(OVERDOSE, "blue",
           rf"\b{BODY}( and (his |her |their )?{BODY})?{FILL} {COLOUR}\b",
           rf"\b(turning|turned|going|went|gone) (a )?(weird |funny |strange |kind of |kinda |all |really )?{COLOUR}\b",
           rf"\b{OTHER}( is| are| looks?| looking| seems?)"
               rf"( all| so| really| kind of| kinda| like| super| very| pretty| totally| a bit| a little)* {COLOUR}\b"
               r"(?! (with|from|in the face))",
           rf"\b{COLOUR}( (and|or) \w+)? (lips|lipped|fingertips|fingers|fingernails|nails|nail beds)\b",
           r"\blabios (azules|morados)\b",
           rf"\bfound (him|her|them|my (\w+ )?{PEOPLE}) ({COLOUR}|limp|unresponsive|not breathing)\b",
           sign=True, colour=True),
    # Gurgling, choking sounds, foaming at the mouth.
    family(OVERDOSE, "gurgling",
           r"\b(gurgl\w*|choking (sounds|noises)|snoring weird|snoring and (can not|will not)"
               r"|foam(ing)? at (the|his|her|their) mouth)\b", sign=True),
    # Pinpoint pupils, unless the message asks in general.
    family(OVERDOSE, "pinpoint",
           r"\bpinpoint(ed)? pupils\b", strong=False),
    # Someone took too much, too many, a double dose, all of their pills.
    family(OVERDOSE, "took_too_much",
           r"\b(i|he|she|they|we|my \w+|someone|somebody)( just| accidentally| prob(ably)?| think (i|he|she|they)| have"
               r"| has| might have| may have| must have)* (took|taken|used|did|done|shot|snorted|smoked|swallowed|drank|ate"
               r"|popped|mixed) (way |wayy |waay )?(too much|too many|a lot too much|double|triple"
               r"|all (of )?(his|her|my|their|the))"),
    # Someone is overdosing or overdosed, unless the message asks in general.
    family(OVERDOSE, "overdosing_now",
           r"\b(i|he|she|they|someone|somebody|my \w+|friend|roommate|we) "
               r"(is |are |am |think (i|he|she|they) |think (i|he|she|they) (am|is|are|just) |just |might (have|be) "
               r"|may (have|be) |probably )*(overdosing|overdosed|overdose)\b", strong=False),
    # The words overdosing or overdosed, unless the message asks in general.
    family(OVERDOSE, "overdose_word",
           r"\b(overdosing|overdosed)\b", strong=False),
    # Nodding out or off, unless the message asks in general.
    family(OVERDOSE, "nodding",
           r"\bnodding (out|off)\b", strong=False),
    # Needing or giving naloxone (Narcan) now, unless the message asks in general.
    family(OVERDOSE, "need_narcan",
           r"\b(need|give|gave|giving|where is|get) (the |him |her |them |some )?(narcan|naloxone)\b"
               r"(?! (at home|for|in case))", strong=False),
    # Naloxone given and not working, a second dose.
    family(OVERDOSE, "narcan_not_working",
           r"\b(narcan|naloxone)\b.*\b(not working|did not work|did nothing|is not working|second dose|another dose"
               r"|still not)\b"),
    # Breathing slow, shallow, weird, or a few times a minute.
    family(OVERDOSE, "slow_breathing",
           r"\bbreathing (is |really |so |very |super |like |kind of |kinda |pretty )*"
               r"(slow|slowing|shallow|weird|wrong|funny|strange)\b",
           r"\bbreathing (sounds|feels|looks) (wrong|weird|funny|off)\b",
           r"\bbreathing (like )?(\d+|once|twice|one|two|three|four) (times? )?(a|per|every)\b",
           r"\bbreathing but barely\b", sign=True),
    # Cannot keep one's eyes open or stay awake; slumped over; tiny pupils.
    family(OVERDOSE, "cant_stay_awake",
           r"\b(can not|could not|can barely) (keep|stay) (my|his|her|their) eyes open\b",
           r"\b(can not|could not) (keep|get) (him|her|them) (awake|to (talk|answer|respond))\b",
           r"\b(can not|could not) stay awake\b",
           r"\bslumped over\b",
           r"\bpupils are (tiny|pinned|pinpoint)\b",
           r"\b(tiny|pinned) pupils\b",
           r"\bi feel like i am fading\b", sign=True),
    # A double dose, or two doses taken together.
    family(OVERDOSE, "double_dose",
           r"\b(took|taken|take|had) (a |my )?(double|two|2) doses?\b",
           r"\btook my \w+ twice\b",
           r"\bdoubled up on\b",
           r"\b(morning and evening|two|both) (doses|methadone|pills)\b.{0,20}\btogether\b",
           r"\bswallowed (way )?(more|too many)\b",
           r"\btook some pills\b.*\b(barely|can not|passed|will not)\b"),
    # Naloxone wearing off: going back under.
    family(OVERDOSE, "narcan_wearing_off",
           r"\b(narcan|naloxone)\b.*"
               r"\b(going back under|slipping|went back under|wearing off|back out|passing out again)\b",
           r"\bbrought (him|her|them) back but\b"),
    # Hard to wake, barely conscious, snoring strangely, cold and clammy.
    family(OVERDOSE, "unresponsive",
           r"\b(keeps?|kept) passing out\b",
           r"\b(hard|impossible) to wake( up)?\b",
           r"\bbarely (conscious|responsive|awake)\b",
           r"\bnot responsive\b",
           r"\b(only )?taking a breath every\b",
           r"\b(keeps?|kept) stopping breathing\b",
           r"\bsnoring (weird|funny|strange)\b",
           r"\bcold and clammy\b",
           r"\bcompletely limp\b",
           r"\bfoaming at the mouth\b", sign=True),
    # "overdose help", "possible overdose", "overdose at ...", Spanish.
    family(OVERDOSE, "overdose_now_words",
           r"\b(overdose|overdosing) (help|now|right now|happening|at my|in (your|the|my) \w+)\b",
           r"\bpossible overdose\b",
           r"\boverdose at\b",
           r"\bno despierta\b",
           r"\bdemasiadas pastillas\b"),
    # Benzodiazepines with alcohol and now drowsy, far away, blacking out.
    family(OVERDOSE, "benzo_alcohol_now",
           r"\b(xanax|benzos?|bars|librium|klonopin|valium|ativan|sleeping pills)\b.{0,50}"
               r"\b(drank|vodka|fifth|alcohol|liquor|whiskey|booze)\b.{0,60}"
               r"\b(far away|can not (stand|stay awake|think|wake)|passing out|black(ing)? out|dark|heavy|is this bad)\b",
           r"\b(drank|vodka|fifth|alcohol|liquor|whiskey|booze)\b.{0,50}"
               r"\b(xanax|benzos?|bars|librium|klonopin|valium|ativan)\b.{0,60}"
               r"\b(far away|can not (stand|stay awake|think)|passing out|dark|heavy|is this bad)\b"),
    # A child got into pills or opioid medication.
    family(OVERDOSE, "child_ingestion_more",
           r"\b(got into|swallowed|ate|took some|found)\b.{0,50}"
               r"\b(pills?|methadone|suboxone|bupe|gummies|naltrexone|medicine|meds|bottle)\b.{0,60}"
               r"\b(\d+ (years?|months?)( old)?|months old|\d+ year old|he is \d+|she is \d+|toddler|baby)\b",
           r"\b(\d+ year old|toddler|baby|grandson|granddaughter|nephew|niece|kid)\b.{0,40}"
               r"\b(got into|swallowed|ate a bunch|took some|found (his|her|my) \w+'?s? pills)\b",
           r"\bgave my (\d+ year old|kid|child|baby|daughter|son) (my|his|her) \w+\b.{0,40}\b(mistake|accident)\b"),
    # Used and feel like dying; took too many.
    family(OVERDOSE, "used_after_detox",
           r"\b(just )?used\b.{0,60}\bfeel like i am dying\b",
           r"\btook too many\b(?! (days|hours|breaks|classes|shifts|credits))"),
    # Double dosed by mistake, took more than one should, pulse over 150.
    family(OVERDOSE, "dosing_mistake",
           r"\bdouble ?dosed\b",
           r"\btook more (of my \w+ (meds|pills) )?than (i|he|she) should have\b",
           r"\bby (accident|mistake)\b.{0,60}\b(drowsy|sleepy|heavy|can not|slurring|trouble)\b",
           r"\btook (his|her|my) \w+ again because (he|she|i) forgot\b",
           r"\btook my \w+ plus\b",
           r"\btook some pills someone\b",
           r"\b(heart rate|pulse) is (like |over )?1[5-9]\d\b"),
    # Out cold, unconscious, will not open eyes, going dark.
    family(OVERDOSE, "down_now",
           r"\beverything is going dark\b",
           r"\bout cold\b",
           r"\bfound (him|her|them) unconscious\b",
           r"\bunconscious\b",
           r"\b(will not|won'?t) open (his|her|their) eyes\b",
           r"\bfloppy\b",
           r"\b(will not|won'?t) stay awake\b",
           r"\bhear (him|her) snoring\b",
           r"\b(will not|won'?t) answer the door\b.*\b(used|using|snoring)\b",
           r"\bover did it\b", sign=True),
    # Came to after naloxone and going under again; several doses given.
    family(OVERDOSE, "narcan_again",
           r"\b(came to|woke up|came around) (after|from) the narcan\b.*\b(slow|again|out cold|under)\b",
           r"\b(gave|given) (\d+|two|three) narcans?\b",
           r"\bnarcan\b.{0,60}\b(still blue|not talking|out cold|again)\b"),
    # A child swallowed or chewed methadone, buprenorphine or pills.
    family(OVERDOSE, "child_ingestion",
           r"\b(toddler|baby|kid|child|son|daughter|\d+ year old|grandson|granddaughter) (may have |might have )?"
               r"(got into|gotten into|ate|eaten|swallowed|chewed|found) (one of |some of |a piece of |part of )?"
               r"(my|his|her|the|some|\w+'s)? ?(methadone|suboxone|subs|strips?|(pain )?pills?|meds|medication|bupe"
               r"|suboxone strip|suboxone film)\b"),
    # Took a whole prescription or a handful; an overdose happening.
    family(OVERDOSE, "too_much_now",
           r"\b(took|take|taken) (my|his|her) (whole|entire) (script|prescription|bottle)\b",
           r"\btook (a bunch|a handful|a lot) of\b",
           r"\b(dose|dosed) twice\b",
           r"\btook too much\b(?! (time|of (my|the) time))",
           r"\boverdos\w* happening\b",
           r"\bmixed (xanax|bars|benzos|pills) (and|with) (alcohol|drinking|booze|dope|fent)\b.*"
               r"\b(can not|cant) (stay awake|wake)",
           r"\bno respira\b",
           r"\blabios morados\b"),

    # --- medical emergencies ---
    # A seizure now: "seizure help", "is having a seizure", body jerking.
    family(MEDICAL, "seizure_word",
           r"^seizures?$",
           r"\bseizure (help|now|right now)\b",
           r"\bconvulsionando\b",
           r"\b(just had|is having|having) (a )?seizure (right now|now)?",
           r"\bjust had (a )?seizure\b",
           r"\b(body|arms?|legs?) (keeps?|is|are|started) (jerking|twitching|shaking uncontrollably)\b",
           r"\b(seized|seizes|eyes (are )?rolling back)\b"),
    # Heart racing or pounding with dizziness, fainting, sweating.
    family(MEDICAL, "heart_now",
           r"\bheart\b.*\b(racing|pounding|skipping|explode|exploding|beating out)\b.*"
               r"\b(will not slow|wont slow|sweating|pass out|faint|dizzy|explode)\b",
           r"\bheart (feels like (it is|its|it's) going to|is going to) explode\b"),
    # About to pass out or faint; too dizzy to stand; not urinating.
    family(MEDICAL, "pass_out",
           r"\b(going to|gonna|about to) (pass out|faint|black out)\b",
           r"\b(so )?dizzy i (can not|cant) stand\b",
           r"\b(have not|havent) (peed|urinated)\b"),
    # Clutching the chest, crushing chest pain, left arm numb.
    family(MEDICAL, "chest_now",
           r"\bclutching (his|her|my) chest\b",
           r"\bchest is (kinda |kind of |really )?crushing\b",
           r"\bleft arm (is )?(numb|tingling)\b",
           r"\bme duele (mucho )?el pecho\b",
           r"\bno puedo respirar\b"),
    # Delirium: seeing people who are not there, bugs on the walls.
    family(MEDICAL, "dts_more",
           r"\b(who|that) (is not|are not) (there|real)\b",
           r"\btalking to (nobody|no one|people who)\b",
           r"\b(snakes|spiders|bugs)\b.{0,30}\b(bed|walls|crawling|room)\b",
           r"\b(asking|asks) who i am\b",
           r"\bpulling at things\b",
           r"\btalking to (his|her|my) \w+ who died\b"),
    # Woke up on the floor; pulse over 100; irregular heartbeat.
    family(MEDICAL, "collapse",
           r"\bwoke up on the floor\b",
           r"\bpulse is (over |like )?1\d\d\b",
           r"\bheart is beating (super |really |very )?(irregular|weird)\b"),
    # Throat, tongue, lips or face swelling; hives with breathing trouble.
    family(MEDICAL, "swelling",
           r"\b(throat|tongue|lips|face)\b.{0,25}\b(closing|swelling|swollen)\b",
           r"\bhives\b.*\b(breathe|breath|throat|tight)\b",
           r"\b(throat|chest) (is )?tight\b.*\bhives\b"),
    # Precipitated withdrawal after a first dose of buprenorphine or naltrexone.
    family(MEDICAL, "precipitated",
           r"\b(first|1st) (dose|suboxone|bupe|naltrexone|pill|shot|dose of \w+)\b.{0,60}"
               r"\b(withdrawal|violently sick|vomiting|throwing up|shaking|hives)\b",
           r"\bprecipitated withdrawal help\b",
           r"\bworst withdrawal of my life\b"),
    # Chest tight, hurting or heavy; jaw or left arm pain, unless the message asks in general.
    family(MEDICAL, "chest_tight",
           r"\bchest (is |has been |feels )?(really |so |very )?(tight|hurting|heavy)\b",
           r"\b(left arm|jaw) (hurts|pain)\b",
           r"\bspreading to my (jaw|arm)\b", strong=False),
    # High fever, talking nonsense, not knowing where one is.
    family(MEDICAL, "fever_confusion",
           r"\b(temp|temperature|fever) (is )?(of )?(10[2-9]|high|burning)\b",
           r"\bburning (hot|up)\b",
           r"\b(talking nonsense|not making sense|does not (know|recognize) (me|where|what year|who)"
               r"|does not know what (year|day) it is|talking to (my |his |her )?dead|twitching|vision is going)\b"),
    # Cannot stop vomiting or keep water down; sudden severe withdrawal.
    family(MEDICAL, "vomiting",
           r"\b(can not|could not) stop (vomiting|puking|throwing up)\b",
           r"\b(can not|could not) (even )?keep (a sip of |even )?(water|anything|fluids) (even )?down\b",
           r"\bsudden (severe )?withdrawal\b"),
    # Pregnant with bleeding, cramps or pain, or the baby not moving.
    family(MEDICAL, "pregnant_now",
           r"\b(pregnant|weeks pregnant|months pregnant)\b.*\b(spotting|bleeding|cramps|stomach pain|belly pain"
               r"|abdominal pain|baby (move|moving|kick))\b"),
    # Eyes rolled back, shaking on the floor, limbs jerking.
    family(MEDICAL, "seizure_signs",
           r"\beyes rolled back\b",
           r"\bshaking (all over|on the (floor|ground))\b.{0,60}\b(stopped|quit|cold turkey|off|days? ago|eyes)\b",
           r"\bfell down (and started )?shaking\b",
           r"\bfall down shaking\b",
           r"\bshaking so hard\b",
           r"\b(body|arms|legs) (will not|won'?t) stop jerking\b",
           r"\bwent down in the hallway\b",
           r"\bblacked out for a (minute|sec|second)\b",
           r"\bwas shaking on the (floor|ground)\b"),
    # Cannot catch one's breath; short of breath while coming off.
    family(MEDICAL, "breathing_more",
           r"\bcan not catch my breath\b",
           r"\bsitting on my chest\b",
           r"\bso short of breath\b",
           r"\bshort of breath\b.{0,40}\b(coming off|quit|stopped|day \d|heart)\b",
           r"\b(irregular|stuttering)\b.{0,40}\bshort of breath\b"),
    # Vomiting blood, coffee grounds, black tarry stools.
    family(MEDICAL, "bleeding_gi",
           r"\bcoffee grounds\b",
           r"\bblack tarry\b",
           r"\b(vomiting|throwing up|puking|coughing up) blood\b"),
    # Cannot keep fluids down, barely urinating, dizzy on standing.
    family(MEDICAL, "dehydration",
           r"\bhave not kept (water|anything|fluids) down\b",
           r"\bbarely pee\b",
           r"\bdizzy every time i stand\b"),
    # Delirium tremens: yelling about snakes, babbling, shaking with fever.
    family(MEDICAL, "dts_signs_more",
           r"\byelling about (snakes|bugs|spiders)\b",
           r"\bthere are none\b",
           r"\bbabbling nonsense\b",
           r"\bcan not stop hallucinating\b",
           r"\bcan not talk right\b",
           r"\b(totally |so )?out of it\b.{0,40}\b(shaking|stopped|quit|seizure)\b",
           r"\b(shaking|shakes)\b.{0,60}\b(fever|babbling|nonsense|out of it)\b",
           r"\bsleep and not answer\b"),
    # Labour or pregnancy signs: water broke, contractions, fewer kicks.
    family(MEDICAL, "pregnancy_more",
           r"\bwater (just )?broke\b",
           r"\bcontractions\b",
           r"\bbaby kicks have (slowed|stopped)\b",
           r"\b\d+ weeks\b.{0,60}\b(contractions|bleeding|kicks|not moving|cramps)\b"),
    # Heart stuttering or racing; nearly blacking out.
    family(MEDICAL, "heart_more",
           r"\bheart\b.{0,40}\b(stuttering|racing so fast)\b",
           r"\b(almost|keep almost) blacking out\b",
           r"\bheart'?s stuttering\b"),
    # Tongue swollen, face puffing, hives all over.
    family(MEDICAL, "allergic_more",
           r"\btongue feels (huge|swollen|thick)\b",
           r"\blips are tingling\b.*\btongue\b",
           r"\bface is (puffing|swelling)\b",
           r"\bhives all over\b"),
    # Shaking or vomiting all at once after buprenorphine or naltrexone.
    family(MEDICAL, "precipitated_more",
           r"\b(naltrexone|suboxone|bupe|buprenorphine|vivitrol)\b.{0,80}\b(shaking|sweating|puking|vomiting)\b.{0,40}"
               r"\b(all at once|suddenly|out of nowhere|so bad|came on)\b"),
    # Seizing, convulsing, having a fit.
    family(MEDICAL, "seizing",
           r"\b(seizing|convulsing|convulsions|convulsion|fitting|having a fit)\b"),
    # Having a seizure or fit, unless the message asks in general.
    family(MEDICAL, "seizure_now",
           r"\b(having|has|had|is having|just had|started having|in the middle of|going into) (a |another |2 |two |3 )?"
               r"(seizures?|fits?)\b", strong=False),
    # Chest pain or pressure, unless the message asks in general.
    family(MEDICAL, "chest_pain",
           r"\bchest (pain|pains|hurts|hurting|is hurting|feels (tight|heavy|crushed)|tightness|pressure|is tight"
               r"|is killing)\b",
           r"\bpain in (my|his|her) chest\b", strong=False),
    # Cannot breathe, short of breath, gasping, unless the message asks in general.
    family(MEDICAL, "cant_breathe",
           r"\b(can not|can'?t|hard to|trouble|difficulty|struggling to) breathe?\b",
           r"\bshort(ness)? of breath\b",
           r"\bgasping\b", strong=False),
    # Hallucinating, seeing or hearing things, unless the message asks in general.
    family(MEDICAL, "hallucinating",
           r"\b(hallucinat\w+|seeing (things|bugs|people|stuff|spiders)|hearing (things|voices)|bugs crawling"
               r"|things that are not there|things that aren'?t there)\b", strong=False),
    # Confused, disoriented, delirious, unless the message asks in general.
    family(MEDICAL, "confused_shaking",
           r"\b(confused|disoriented|delirious|does not know where (he|she|they) (is|are)|does not know who)\b", strong=False),
    # The words DTs or delirium tremens, unless the message asks in general.
    family(MEDICAL, "dts",
           r"\b(dts|d\.t\.s|delirium tremens|the dt'?s)\b", strong=False),
    # Shaking or sweating together with confusion or hallucinations.
    family(MEDICAL, "dts_signs",
           r"\b(shaking|sweating|agitated)\b.*\b(talking nonsense|confused|seeing things|does not (know|recognize)"
               r"|hallucinat\w+|burning)\b"),
    # Fainted, passed out, collapsed, unless the message asks in general.
    family(MEDICAL, "fainted",
           r"\b(fainted|fainting|passed out|collapsed|keeled over)\b", strong=False),
    # A racing heart with fear or dizziness; a heart attack, unless the message asks in general.
    family(MEDICAL, "heart",
           r"\bheart (is )?(racing|pounding|skipping|beating (so )?(fast|weird|irregular))\b.*"
               r"\b(can not|scared|dizzy|faint|pain)\b",
           r"\bheart attack\b(?! but)", strong=False),
    # Cannot keep anything down; vomiting all day, unless the message asks in general.
    family(MEDICAL, "fluids",
           r"\b(can not|could not|cant) keep (anything|any thing|water|fluids|liquids|food|nothing) down\b",
           r"\b(throwing up|vomiting|puking|diarrhea)\b.*\b(all day|all night"
               r"|for (hours|days|\d+ hours|a day|2 days|two days)|non ?stop|since yesterday|blood)\b", strong=False),
    # Pregnant and bleeding, cramping, or the baby not moving.
    family(MEDICAL, "pregnant_bleeding",
           r"\bpregnant\b.*\b(bleeding|cramping|baby (is not|stopped|isnt) moving|not moving|has not moved)\b",
           r"\b(bleeding|baby stopped moving)\b.*\bpregnant\b"),
    # Throat closing, allergic reaction, anaphylaxis, unless the message asks in general.
    family(MEDICAL, "allergic",
           r"\b(throat (is )?(closing|swelling)|swelling up|allergic reaction|anaphyla\w+)\b", strong=False),
    # Drinking on disulfiram (Antabuse) and dizzy, flushed or vomiting.
    family(MEDICAL, "disulfiram_either_order",
           r"\b(drank|drinking|had a drink|beer|wine)\b.*\b(antabuse|disulfiram)\b.*"
               r"\b(dizzy|short of breath|flush\w*|vomit\w*|throwing up|chest|heart|faint|can not breathe)\b"),
    # Disulfiram then drinking and a reaction, unless the message asks in general.
    family(MEDICAL, "disulfiram_reaction",
           r"\b(antabuse|disulfiram)\b.*\b(drank|drink|beer|alcohol)\b.*"
               r"\b(flush|red|vomit|throwing up|chest|heart|faint|can not breathe|reaction)\w*", strong=False),
    # The words medical emergency, unless the message asks in general.
    family(MEDICAL, "medical_emergency",
           r"\bmedical emergency\b", strong=False),
    # Call an ambulance, call 911, someone is dying.
    family(MEDICAL, "emergency",
           r"\b(call an ambulance|need an ambulance|call 911|calling 911|dying right now|i think i am dying"
               r"|i think (he|she) is dying|(he|she|they|someone|my \w+) is dying)\b"),

    # --- development set 3: indirect goodbyes, plans, and present emergencies ---
    # Not planning on being around or making it.
    family(SUICIDE, "not_planning_to_be_here",
           r"\bnot (planning|plan) on (being |making it|make it|sticking around|being around|being alive)\b",
           r"\bnot (planning|plan) to (be alive|be around|stick around|make it)\b",
           r"\b(do not|never) plan on (sticking|being) around\b",
           r"\b(do not|dont) think (i will|ill|i'll|i am going to) (be here|be around|be alive|make it)\b"),
    # "i will be dead" (not "dead tired"), who gets my things when i am gone.
    family(SUICIDE, "will_be_dead",
           r"\b(i will|ill|i'll|i am going to) be dead\b(?! (tired|serious|on my feet))",
           r"\b(if|when) i am (dead|gone) by (then|tomorrow|tonight|the weekend|next \w+|\w+day)\b",
           r"\b(for|after) i am (gone|dead)\b(?! (to|for a|on|at|in))",
           r"\bwho (gets|will get|takes|will take) (my|all my) (stuff|things|kids|dog|cat|money)\b.{0,25}"
               r"\b(if|when|after) i (die|am gone|am dead)\b"),
    # A whole sentence: "i will not be around anymore".
    family(SUICIDE, "wont_be_around",
           r"^(and |so )?i (will not|am not going to) be (around|here)( anymore| after (this|that|today|tonight))?$"),
    # Giving away things and feeling calm or ready; handing over passwords.
    family(SUICIDE, "giving_away",
           r"\b(gave|giving|give|given) (away )?(my|all my|all of my)\b.{0,60}"
               r"\b(ready now|i am ready|feel (weirdly |strangely |so )?(calm|peaceful|at peace)"
               r"|can have (the rest|my \w+) (after|when))\b",
           r"\bcan have the rest after\b",
           r"\b(sent|gave|giving) (me|us) (his|her|their|all (his|her|their)) passwords\b"),
    # Upset to be still alive; an attempt that failed and a plan to try again.
    family(SUICIDE, "still_alive",
           r"\b(disappointed|upset|angry|sad|mad) (that )?i am still (alive|here|breathing)\b",
           r"\b(tried|attempted)\b.{0,30}\b(did not work|failed)\b.{0,60}\b(try again|next time|again tonight)\b"),
    # "nobody will find me", "before it is over".
    family(SUICIDE, "before_its_over",
           r"\b(no one|nobody|noone) (finds|find|will find|can find) me\b",
           r"\bbefore (it is|its) over\b"),
    # Took pills on purpose; taking them all at once; stockpiling.
    family(SUICIDE, "on_purpose",
           r"\b(took|take|taking|swallowed)\b.{0,40}\bon purpose\b",
           r"\btake (them|it|these|those) all at once\b",
           r"\ball at once and be done\b",
           r"\bstockpil\w+ (my|pills|meds|subs|xanax|bars|prescription)"),
    # Ending it tonight; making it stop for good; letting go for good.
    family(SUICIDE, "ending_it_tonight",
           r"\bending (it|the joke|things|everything|this|my story)( all)? (tonight|today|now|for good)\b",
           r"\bmake it stop\b.{0,20}\b(for good|forever|tonight|permanently)\b",
           r"\b(tonight|for good)\b.{0,30}\bmake it stop\b",
           r"\b(time to|ready to|going to) let go (for good|forever|of (life|everything))\b"),
    # They would have a better life without me; done being a burden.
    family(SUICIDE, "better_without_me",
           r"\b(would|will) (have|be) (a )?(better|happier) (life|lives|off)? ?without "
               r"(me|a \w+ (dad|mom|father|mother|parent))\b",
           r"\b(not|never) (have to|going to have to) (deal with|worry about|see) me (much )?(longer|anymore|again)\b",
           r"\b(not|never) (have to|going to have to) (deal with|worry about) (her|him|them) much longer\b",
           r"\bdone being (a|such a) (disappointment|burden|failure)\b",
           r"\btired of being a burden\b"),
    # At the train tracks, on a bridge, about to jump.
    family(SUICIDE, "places",
           r"\b(at|on|near) the (train )?tracks\b.{0,60}\b(again|tonight|not going home|not coming home|waiting)\b",
           r"\bbridge\b.{0,40}\bthinking about (it|jumping)\b",
           r"\bthinking about (it|jumping)\b.{0,40}\bbridge\b",
           r"\b(going to|about to|want to) jump( tonight| off| now| today|$)"),
    # Afraid of what I am about to do; something I cannot undo.
    family(SUICIDE, "afraid_of_self",
           r"\b(scared|afraid|worried) of what i am (going to|about to) do\b",
           r"\b(about to|going to) do something (i|that i) can not (undo|take back)\b",
           r"\bmake sure i (do not|never) have to( (face|see|wake|deal)\b|$)"),
    # Death as the only option; not deserving to live; wanting out of life.
    family(SUICIDE, "only_way",
           r"\b(only|last) (option|way out|choice|thing) (left )?(is|would be) (dying|death|to die|suicide)\b",
           r"\b(do not|dont) deserve to (live|be alive|be here|exist)\b",
           r"\b(want|wanna|need) out of (life|this life|this world)\b",
           r"\bwant out\b.{0,40}\bout of life\b",
           r"\bnot worth living\b",
           r"\bworth living\b.*\bdone trying\b",
           r"\bthink about it\b.*\bhave everything i need\b"),
    # Life insurance and the family would be fine.
    family(SUICIDE, "insurance_and_ready",
           r"\blife insurance\b.*\b(family|kids|wife|husband)\b.*\b(would be|will be) (ok|okay|fine|taken care of)\b"),
    # Asking for the suicide hotline: "it is for me".
    family(SUICIDE, "hotline_for_me",
           r"\b(suicide|crisis) (hotline|line|number)\b.{0,30}\b(it is|its) for me\b"),
    # Goodbye texts or posts to everyone; "nice knowing you".
    family(SUICIDE, "goodbye_messages",
           r"\b(texted|text|called|messaged) (me|us) goodbye\b",
           r"\b(calling|texting|messaging) (everyone|everybody|people|all of us) (to )?say(ing)? goodbye\b",
           r"\b(sent|texted|posted) (\w+ ){0,3}(a )?goodbye (text|message|post|video)\b",
           r"\bfinal post\b",
           r"\b(it was )?nice knowing (you|yall|y'?all|everyone|you all)\b"),
    # Sitting with a gun; bought a gun and drinking or saying goodbye.
    family(SUICIDE, "weapon_and_done",
           r"\b(sitting|sits|sat) (in|with)\b.{0,30}\b(gun|rifle|pistol)\b",
           r"\b(gun|rifle|pistol)\b.{0,40}\bsaying (he is|she is|i am|they are) done\b",
           r"\b(bought|got|buying) a gun\b.{0,60}\b(drinking|using|done|longer|goodbye)\b",
           r"\b(drinking|using|done|longer)\b.{0,60}\b(bought|got) a gun\b"),
    # More Spanish: "ya no quiero vivir", "se va a matar".
    family(SUICIDE, "spanish_more",
           r"\bya no (quiero|quiere) vivir\b",
           r"\bse va a matar\b",
           r"\bme voy a matar\b",
           r"\bva a suicidarse\b",
           r"\bquitarse la vida\b"),
    # Took more or extra and now cannot stay awake or keep eyes open.
    family(OVERDOSE, "took_too_much_now",
           r"\b(took|taken|did|used|popped|snorted|shot|drank)\b.{0,50}"
               r"\b(\d+|more|extra|double|doubled|too much|a lot|on top of|and drank|with alcohol|mixed)\b.{0,80}"
               r"\b(can not (feel|stay awake|keep (my )?(eyes|head) (open|up))|falling asleep|fall asleep"
               r"|barely (awake|breathing|type|keep)|hard to (stay awake|breathe|keep)|so (heavy|fuzzy|sleepy|slow)"
               r"|head keeps|nodding)"),
    # Used after weeks clean and now very drowsy (lost tolerance).
    family(OVERDOSE, "tolerance_lost",
           r"\b(after|been) \d+ (days|weeks|months) clean\b.{0,80}\b"
               r"(so (fuzzy|heavy|sleepy)|barely|can not (stay awake|breathe|feel)|falling asleep|nodding)\b"),
    # Just used and something is wrong, vision going dark.
    family(OVERDOSE, "something_wrong_after_use",
           r"\b(just )?(shot up|used|did a shot|snorted|smoked)\b.{0,40}"
               r"\b(something is wrong|somethings wrong|vision (going|is going|getting) (dark|black|blurry)|going dark"
               r"|blacking out)\b"),
    # Naloxone needed right now.
    family(OVERDOSE, "narcan_now",
           r"\b(narcan|naloxone)\b.{0,60}\bright now\b",
           r"\b(need|have) to (use|give) (it|the narcan|narcan|naloxone)\b.{0,20}\b(right now|now|asap)\b"),
    # Passed out or unresponsive for minutes.
    family(OVERDOSE, "out_for_minutes",
           r"\b(been out|passed out|unresponsive|not waking|will not wake)\b.{0,20}"
               r"\bfor (like |about )?\d+ (minutes|mins|min|hours)\b",
           r"\b(he|she|they) (has|have|is|are) been out for (like |about )?\d+"),
    # Pinpoint pupils together with nodding off, blue or breathing trouble.
    family(OVERDOSE, "pinpoint_and_sleepy",
           r"\b(pinpoint|pinned|tiny) pupils\b.{0,80}\b(falling asleep|nodding|will not wake|blue|breathing)",
           r"\bpupils (are )?(like )?(pinpoints?|pinned|tiny)\b.{0,80}"
               r"\b(falling asleep|nodding|will not wake|blue|breathing)",
           r"\b(falling asleep|nodding)\b.{0,80}\b(pinpoint|pinned) pupils\b"),
    # Alcohol withdrawal now: shaking, seeing or hearing things, and stopped drinking, all in one message.
    family(MEDICAL, "dts_now",
           # shaking or sweating now,
           r"^(?=.*(\b(is|are|am|keeps?|will not (stop|quit)|can not stop|est[aá])\b.{0,20}"
               r"\b(shak\w+|trembl\w+|temblando|sweating|seeing|hearing|screaming)\b"
               r"|\b(shaking|sweating)\b.{0,12}\b(and can not stop|so bad|really hard)\b))"
               # seeing or hearing things, unsure what is real,
               r"(?=.*(\b(seeing|hearing|see|sees|hear|ve)\b.{0,20}"
               r"\b(things|stuff|shadows|bugs|spiders|cosas|people|my name|voices)\b|\bspiders\b|\bwhat( i|'?)s real\b"
               r"|\bpeople (that|who) (are not|arent|aren't) there\b|\bwhere i am\b))"
               # and stopped drinking
               r"(?=.*(\b(stopped|quit|coming off|off|dej[oó] de) (drinking|alcohol|vodka|booze|beer|tomar|the bottle)\b"
               r"|\blast drink\b))"),
    # Stroke signs: face drooping, one side numb or weak.
    family(MEDICAL, "stroke",
           r"\b(face|mouth|smile) (is )?(drooping|droopy|crooked)\b",
           r"\bone side of (my|his|her) (face|body)\b.{0,30}\b(droop\w*|numb|weak|can not (feel|move))\b",
           r"\bcan not (feel|move) (my|his|her) (left|right) (side|arm|leg)\b"),
    # Another seizure today, or feeling one coming.
    family(MEDICAL, "seizure_again",
           r"\bseizure again\b",
           r"\b(second|another|2nd|third) (one|seizure) today\b",
           r"\bfeeling (like )?(right )?before (my|a) (last )?seizure\b",
           r"\b(about to|going to) have a seizure\b"),
    # Throat tight or closing after a sting or with an allergy.
    family(MEDICAL, "throat_tight",
           r"\bthroat (is )?(getting |feels )?(tight|tighter|closing|swelling)\b.{0,80}"
               r"\b(stung|sting|epipen|epi pen|allergic|hives|swelling|can not breathe)\b",
           r"\b(stung|sting|epipen|epi pen|allergic|hives)\b.{0,80}\bthroat (is )?(getting |feels )?"
               r"(tight|tighter|closing|swelling)\b"),
    # An infected wound with fever and confusion; fever with a stiff neck.
    family(MEDICAL, "infection_fever",
           r"\b(red|swollen|hot|pus|streaks?)\b.{0,60}\b(fever|chills)\b.{0,40}"
               r"\b(out of it|confused|can not think|dizzy|faint)\b",
           r"\bstiff neck\b.{0,40}\b(fever|can not think|confus\w*)\b",
           r"\bfever\b.{0,40}\bstiff neck\b"),
    # Pressure, a weight or an elephant on the chest.
    family(MEDICAL, "chest_pressure",
           r"\b(elephant|weight|pressure|something heavy) (is )?(sitting )?on (my|his|her) chest\b"),

    # --- overdose signs, drug named or not (issue 9; evaluation/overdose_dev) ---
    # Not responding or reacting (not to texts or treatment); cannot be roused.
    family(OVERDOSE, "no_response",
           r"\b(not|no longer|is not|are not|will not|does not|did not|do not|would not|can not|could not|still)"
               r"( even| really| at all| still)? (respond|responding|react|reacting|responsive)\b" + NOT_BODY,
           r"\bcan not get (any|a|much of a) (response|reaction|answer)\b",
           r"\b(can not|could not) get (him|her|them|my \w+( \w+)?) to (wake|respond|react)\b",
           r"\b(no|zero) (response|reaction)\b"
               r"(?= (when|to (anything|his|her|their|my|the)|at all|from (him|her|them)|even))",
           r"\b(can not|could not|can barely|not able to|unable to) (rouse|arouse)\b",
           sign=True),
    # Collapsed or on the floor and not answering or moving; used and silent in a locked bathroom.
    family(OVERDOSE, "down_and_silent",
           rf"\b{DOWN}\b.{{0,80}}\b{NO_ANSWER}",
           rf"\b{NO_ANSWER}.{{0,80}}\b{DOWN}\b",
           rf"\b{USE}\b.{{0,60}}\b(bathroom|locked)\b.{{0,60}}\b(not answering|will not answer|no answer|not responding)\b",
           rf"\b{USE}\b.{{0,60}}\b(not answering|will not answer|no answer|not responding)\b.{{0,40}}\b(bathroom|locked)\b",
           sign=True),
    # Limp or floppy.
    family(OVERDOSE, "limp",
           r"\b(is|are|am|gone|went|goes|go|going|totally|completely|all|really|so|body|arms|legs)"
               r"( totally| completely| all| really| so| just)? (limp|floppy)\b",
           r"\blimp (and|like)\b",
           r"\bfound (him|her|them|my \w+) limp\b", sign=True),
    # Unsure whether someone is breathing; breaths far apart; rattling; breathing stops.
    family(OVERDOSE, "breathing_signs",
           r"\b(can not tell|not sure|do not know|idk|i do not know|can not see|checking|check) (if|whether) "
               r"(he|she|they|my \w+|\w+) (is|are) (even |still )?breathing\b",
           r"\b(is|are) (he|she|they) (even |still )?breathing\b",
           r"\bbreaths? (are |is )?(really |so |very |super |kind of |kinda )*"
               r"(far apart|slow|shallow|few and far|spaced out|rattly|rattling)\b",
           r"\bbreathing (is )?(really |so |very |super |kind of |kinda )*(gurgly|rattly|rattling)\b",
           r"\b(forgetting|forgets|forget) to breathe\b",
           r"\bbreathing (just |has |keeps |kept )?(stopped|stops|stopping)\b",
           r"\b(stops|stopped) breathing (for|and then|then)\b",
           r"\bone breath every\b",
           r"\b(\d+|one|two|three|four|five) breaths? (a|per|every|each) (minute|min)\b",
           r"\b(rattl\w+|gurgl\w+) (breath|breathing|sound|noise)\b",
           r"\bsnor\w* (sound|noise|gurgle)\b.{0,40}\b(will not|can not|does not|not)\b", sign=True),
    # Nodding hard, or nodding out with breathing trouble or blue lips.
    family(OVERDOSE, "nodding_hard",
           r"\bnodding (hard|in and out|so hard)\b",
           r"\bnodd(ing|ed) (out|off)\b.{0,60}\b(breath\w*|blue|wake|lips)\b"),
    # Used a drug and collapsed or went down.
    family(OVERDOSE, "used_and_collapsed",
           r"\b(took|taken|used|did|shot|snorted|smoked|popped|swallowed|injected|mixed)\b.{0,50}"
               r"\b(pills?|pressed|blues?|dope|fent\w*|heroin|percs?|percocets?|oxy\w*|xanax|bars|benzos?|methadone|suboxone"
               r"|subs|morphine|tramadol|lean|codeine|gabapentin|klonopin|something|a hit|a line|a shot|too much|too many)"
               r"\b.{0,50}\b(collapsed|dropped to the (floor|ground)|keeled over|went down|fell over|face down|hit the floor)\b",
           r"\b(collapsed|keeled over|dropped to the (floor|ground)|hit the floor)\b.{0,30}"
               r"\bafter (using|he used|she used|they used|shooting up|taking (something|a pill|pills|\w+ pills?))\b"),
    # Used and now fading, slipping away, about to pass out.
    family(OVERDOSE, "fading_after_use",
           r"\b(used|using|took|did|shot up|snorted|smoked|popped)\b.{0,50}"
               r"\b(slipping away|fading (in and out|away|out|fast)|i am fading|going under|blacking out|black out"
               r"|(going to|about to|gonna) pass out)\b",
           r"\b(going to|about to|gonna) (pass out|black out)\b.{0,40}"
               r"\b(did|took|used|snorted|smoked|shot|popped) (a lot of |too much |so much |a bunch of |some |a )?"
               r"(dope|fent\w*|heroin|pills|percs?|oxy\w*|xanax|bars|blues?|methadone)\b",
           r"\b(slipping away|fading (in and out|away|fast))\b.{0,30}"
               r"\b(after|since) (i|he|she|they) (used|took|did|shot|snorted|smoked)\b"),
)
