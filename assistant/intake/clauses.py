"""The parts of a reply that answer, and whether it also asks something.

"yes but will they tell my job?" answers yes and asks a question: the question
is set aside (the form may answer it on the side) and "yes" is the answer.
"is this confidential?" only asks: there is no answer in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.intake.words import MAX_MATCHED_TEXT, norm, words


@dataclass(frozen=True)
class Reply:
    answer: str  # the answering parts, as typed, joined by ", "
    asks: bool  # some part is a question


@lru_cache(maxsize=1)
def _break_re() -> re.Pattern:
    breaks = "|".join(re.escape(w) for w in words().raw["clause_breaks"])
    return re.compile(rf"\s+(?=(?:{breaks})\b)", re.IGNORECASE)


def _parts(text: str) -> list[tuple[str, bool]]:
    """(part, ends with "?") at punctuation and at "but"."""
    pieces = re.split(r"([.;!?\n,]+(?=\s|$)|[;!?\n]+)", text)  # not the dots of "480.213.5566"
    parts = []
    for i in range(0, len(pieces), 2):
        end = pieces[i + 1] if i + 1 < len(pieces) else ""
        sub = [s for s in _break_re().split(pieces[i]) if s.strip()]
        for j, piece in enumerate(sub):
            parts.append((piece.strip(), "?" in end and j == len(sub) - 1))
    return [(p, q) for p, q in parts if p]


def is_question(part: str, ends_with_question_mark: bool) -> bool:
    """"what is naltrexone", "is this confidential?", "but will they tell my job?"; not "sometimes?"."""
    tokens = norm(part).split()
    openers = words().words("clause_openers")
    while tokens and tokens[0] in openers and len(tokens) > 1:
        tokens = tokens[1:]
    if not tokens:
        return False
    if tokens[0] in words().words("question_words"):
        return True
    if tokens[0] in words().words("question_verbs") and len(tokens) > 1:
        return ends_with_question_mark or tokens[1] in words().words("question_subjects")
    return False


def split_reply(text: str) -> Reply:
    parts = _parts((text or "")[:MAX_MATCHED_TEXT])
    answering = [part for part, mark in parts if not is_question(part, mark)]
    return Reply(", ".join(answering), len(answering) < len(parts))
