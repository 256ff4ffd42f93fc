"""Deterministic crisis detection: suicidal thoughts, overdose, medical emergency.

This layer runs on every message in the NLU pipeline, after the intent
classifier, so that no crisis message is lost to a low-confidence prediction.
It errs towards recall: a false alarm costs one kind check, a miss can cost a
life. How it works:

1. normalize: invisible characters removed, fullwidth and look-alike letters
   made plain (assistant/text_folding.py), lower case, plain apostrophes,
   common SMS shorthand spelled out (crisis_context.SHORTHAND);
2. scrub idioms that only look like crises ("dying to know", "this detox is
   killing me", "kill the cravings"), so they cannot match below
   (crisis_context.IDIOMS);
3. match the pattern families (assistant/crisis_patterns.py), in order. A
   "strong" family always fires. A "weak" one (e.g. "overdose", "seizure")
   fires unless the message reads as a general, past or hypothetical question
   ("what are signs of an overdose", "my last seizure was years ago").
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

The red-team set in tests/redteam/ measures recall and false alarms;
tests/unit/test_crisis_patterns.py holds an example and a look-alike per family.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.crisis_context import (
    COLD,
    GENERAL_QUESTION,
    HYPOTHETICAL,
    IDIOMS,
    NAMED_SIGN,
    NOW,
    PAST_ATTEMPT,
    PAST_MARKER,
    PRESENT,
    RESOLVED,
    SHORTHAND,
    WISH_NOT_WAKE,
)
from assistant.crisis_patterns import FAMILIES, KINDS, MEDICAL, OVERDOSE, SUICIDE, Family, one_of
from assistant.text_folding import fold

__all__ = ["KINDS", "MEDICAL", "MAX_SPAN", "OVERDOSE", "SUICIDE", "WHOLE_MESSAGE_MAX", "CrisisSignal", "about_someone_else",
           "detect", "normalize"]


@dataclass(frozen=True)
class CrisisSignal:
    kind: str  # SUICIDE, OVERDOSE or MEDICAL
    rule: str  # the name of the family that fired


_SHORTHAND_RE = [(re.compile(pattern), spelled_out) for pattern, spelled_out in SHORTHAND]
_IDIOM_RE = [re.compile(pattern) for pattern in IDIOMS]


def normalize(text: str) -> str:
    text = fold(text or "").lower()  # soft hyphens, fullwidth and look-alike letters read as what they show
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"[^\w\s'.,!?&-]", " ", text)
    text = re.sub(r"(\w)\1{2,}", r"\1\1", text)  # "pleaseeee" -> "pleasee"
    for pattern, spelled_out in _SHORTHAND_RE:
        text = pattern.sub(spelled_out, text)
    return re.sub(r"\s+", " ", text).strip()


def _scrub_idioms(text: str, message: str) -> str:
    for pattern in _IDIOM_RE:
        text = pattern.sub(" ", text)
    if PAST_MARKER.search(message):  # "back in 2019 i tried to kill myself. i'm doing well now"
        text = PAST_ATTEMPT.sub(" ", text)
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


def _counts(family: Family, text: str, hypothetical: bool, over: bool, cold: bool) -> bool:
    """Whether `family` matches `text` in a way that is a crisis now.

    Weak families are kept to the present by the general-question check; these
    gates are for the strong overdose ones.
    """
    if family.kind != OVERDOSE or not family.strong:
        return bool(family.pattern.search(text))
    if hypothetical or (family.name == "wont_wake" and WISH_NOT_WAKE.search(text)):
        return False
    for match in family.pattern.finditer(text):
        if not (over or (cold and family.colour)):
            return True
        if PRESENT.search(text[max(0, match.start() - 20):match.end()]):  # "turned blue" is over, "is blue" is now
            return True
    return False


def _signals(text: str, message: str, strong_only: bool, over: bool) -> tuple[CrisisSignal | None, CrisisSignal | None, CrisisSignal | None]:
    """The first signal, the first overdose signal and the first overdose sign in one piece of text."""
    scrubbed = _scrub_idioms(text, message)
    now = bool(NOW.search(scrubbed))
    general = bool(GENERAL_QUESTION.search(scrubbed)) and not now
    hypothetical = (bool(HYPOTHETICAL.search(scrubbed)) and not NAMED_SIGN.search(scrubbed)
                    and not NOW.search(scrubbed.replace("911", " ")))  # "if someone ..., should i call 911"
    cold = bool(COLD.search(scrubbed))
    first = overdose = None
    for family in FAMILIES:
        if not family.strong and (strong_only or general):
            continue
        if not _counts(family, scrubbed, hypothetical, over, cold):
            continue
        signal = CrisisSignal(family.kind, family.name)
        first = first or signal
        if family.kind == OVERDOSE:
            if family.sign:
                return first, overdose or signal, signal
            overdose = overdose or signal
    return first, overdose, None


def detect(text: str) -> CrisisSignal | None:
    """The crisis signal of `text`, or None. Pure and fast (regex only).

    An overdose sign anywhere wins; then any overdose match over a medical one;
    otherwise the first match (sentence by sentence, families in order).
    """
    normalized = normalize(text)
    if not normalized:
        return None
    over = bool(RESOLVED.search(normalized)) and not NOW.search(normalized)
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
_RELATIONS = one_of(
    "son", "daughter", "kid", "child", "husband", "wife", "partner", "boyfriend", "girlfriend", "bf", "gf", "fiance",
    "fiancee", "mom", "mother", "mum", "dad", "father", "brother", "sister", "bro", "sis", "friend", "best friend", "cousin",
    "grandson", "granddaughter", "nephew", "niece", "uncle", "aunt", "roommate", "stepson", "stepdaughter", "grandma",
    "grandmother", "grandpa", "grandfather", "coworker", "neighbor", "teen", "teenager", "loved one", "family member", "ex",
    "spouse")
_ABOUT_OTHER = re.compile("|".join((
    r"\b(himself|herself|themselves|themself)\b",
    # "he says", "my sister keeps texting", "she tried"
    rf"\b(he|she|my {_RELATIONS}s?)( \w+)?( just| also| really| even| now| keeps| kept)? (says|said|saying|talks|talked|talking|"
    r"texted|texts|posted|wants|wanted|is going|was going|is gonna|tried|has tried|is trying|is planning|plans|planned|has|"
    r"had|is|was|threatened|threatens|is threatening|wrote|left)\b",
    r"\bthey (say|said|keep saying|kept saying|are talking|texted|posted|want|wanted|are going|tried|are planning|threatened)\b",
    r"\bse va a matar\b",
    r"\bva a suicidarse\b",
    r"\bya no quiere vivir\b",
)))
_ABOUT_SELF = re.compile("|".join((
    r"\b(myself|kill me|without me|me gone|my (own )?life|i am (done|a burden|suicidal|going to die))\b",
    # "i really want ... to die", "i keep thinking about ending it"
    r"\b(i|me) (really |just |kind of |kinda |honestly |also )?(want|wanna|wish|plan|feel|will|need|do not want|dont want|"
    r"am going to|am gonna|am thinking|keep thinking|have been thinking|think about|thought about|am ready|no want)\b"
    r".{0,30}\b(die|dying|dead|suicid\w*|end (it|things|everything|my)|kill|alive|here|around|live|living|wake up|exist)\b",
    r"\bme voy a matar\b",
    r"\bya no quiero vivir\b",
)))


def about_someone_else(text: str) -> bool:
    """A suicide message about another person ("she keeps saying she wants to die"), not the writer.

    When the writer speaks of themself too ("he left and i want to die"), it is about the writer.
    """
    normalized = normalize(text)
    return bool(_ABOUT_OTHER.search(normalized)) and not _ABOUT_SELF.search(normalized)
