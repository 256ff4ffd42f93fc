"""Phone numbers, email addresses and first names taken out of a message, for text that leaves the system.

scrub("I'm Dana, call 617-555-0142") == "I'm [name], call [phone]". Used on the
messages `intake flagged --export nlu` writes as training examples. Best effort,
leaning to over-scrubbing: a capitalized word after "I'm" is taken for a name.
Not covered: surnames alone, street addresses, dates of birth.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from phonenumbers import Leniency, PhoneNumberMatcher

FIRST_NAMES = Path(__file__).with_name("first_names.txt")
MAX_TEXT = 5000  # PhoneNumberMatcher is slow on long text; a chat message is far shorter

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# "dana at gmail dot com": spelled out so a form would not take it
SPELLED_EMAIL = re.compile(r"\b[\w.+-]+\s+at\s+[\w-]+\s+dot\s+(?:com|net|org|edu|gov|us|me|io)\b", re.IGNORECASE)
# What PhoneNumberMatcher leaves: any 7 or more digits written as one number ("555 01 42 99", "5550142").
DIGIT_RUN = re.compile(r"(?<![\w\]])\+?\d(?:[\s().-]{0,2}\d){6,}(?![\w\[])")
YEAR_RANGE = re.compile(r"(?:19|20)\d\d\s*-\s*(?:19|20)\d\d")  # "2019-2024": years, not a number to call
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

# After these the next word is the name whatever it is (unless it is in NOT_A_NAME): "my name is xiomara".
NAMING = r"(?:my\s+|the\s+)?name\s+is|(?:my\s+)?name[’']?s|my\s+name|i\s+go\s+by|(?:you\s+can\s+|they\s+)call\s+me"
# After these only a capitalized word, or one in first_names.txt: "I'm Dana", "im dana", but not "I'm scared".
HINTING = r"i[’']?m|i\s+am|this\s+is|call\s+me|ask\s+for|it[’']?s"
CUE = re.compile(rf"(?:^|[^\w’'])(?:(?P<naming>{NAMING})|(?P<hinting>{HINTING}))\s+$", re.IGNORECASE)
CUE_REACH = 40  # characters before a word where its cue may start


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# First names that are also everyday words: replaced only after a cue ("Will it help?" stays).
COMMON_WORDS = _words("""
    amber angel april art austin autumn bill bob carol charlotte chase christian crystal dale dawn destiny drew faith
    frank grace guy harper holly hope hunter ivy jack jay jean jordan joy june madison mark max miles pat penny ray
    rich robin rose ruby sandy sue summer victoria virginia will
""")
# Words that follow a cue and are no name: "call me back", "ask for help", "I'm Not sure", "my name is not important".
NOT_A_NAME = _words("""
    a about after again all also always an and any anytime anyone are around as asap at back bad be been before best
    but by calling can cannot checking clean concerned confused could currently depressed doing done drunk each
    either else even ever everyone fine for from getting glad going gonna good great happy having he hello help her
    here hers hey hi high him his hoping how i if in into is it its just kind lately later let like looking lost me
    more morning mostly much my myself need needing nervous never new no nobody not nothing now of off ok okay on
    once one only or our out over please pretty probably quite ready really right sad same scared she should sick
    so sober some someone something sometimes sorry still struggling such sure than thank thanks that the their
    them then there these they thinking this those through tired to today together tomorrow tonight too trying
    um unsure up us using very was we well were what when where whether which while who why wondering worried would
    yeah yes yet you your
    monday tuesday wednesday thursday friday saturday sunday january february march may july august september
    october november december
""")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    lines = FIRST_NAMES.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def scrub(text: str) -> str:
    """`text` with phone numbers, email addresses and names replaced by [phone], [email] and [name]."""
    text = text[:MAX_TEXT]
    text = SPELLED_EMAIL.sub("[email]", EMAIL.sub("[email]", text))
    return _scrub_names(_scrub_phones(text))


def _scrub_phones(text: str) -> str:
    matches = PhoneNumberMatcher(text, "US", leniency=Leniency.POSSIBLE)
    spans = [(match.start, match.end) for match in matches]
    for start, end in reversed(spans):
        text = text[:start] + "[phone]" + text[end:]
    return DIGIT_RUN.sub(lambda m: m.group() if YEAR_RANGE.fullmatch(m.group()) else "[phone]", text)


def _is_name(word: str, cue: str | None) -> bool:
    folded = word.lower()
    if folded in NOT_A_NAME or word == "I":
        return False
    capitalized = word[0].isupper()
    listed = folded in first_names()
    if cue == "naming":
        return True
    if cue == "hinting":
        return capitalized or (listed and folded not in COMMON_WORDS)
    return capitalized and listed and folded not in COMMON_WORDS


def _scrub_names(text: str) -> str:
    spans: list[tuple[int, int]] = []
    for match in WORD.finditer(text):
        word, start = match.group(), match.start()
        follows_name = bool(spans) and text[spans[-1][1]:start] == " "
        if follows_name and word[0].isupper() and word.lower() not in NOT_A_NAME and word != "I":
            spans[-1] = (spans[-1][0], match.end())  # a surname: "Dana Smith" is one [name]
            continue
        cue = CUE.search(text, max(0, start - CUE_REACH), start)  # only the words just before
        kind = cue.lastgroup if cue else None
        if _is_name(word, kind):
            spans.append((start, match.end()))
    for start, end in reversed(spans):
        text = text[:start] + "[name]" + text[end:]
    return text
