"""Typos of long words ("femal", "Pensylvania", "medicade"): read only when nothing matched as typed."""

from __future__ import annotations

from collections.abc import Iterable

# Shorter words are too close to other words ("male" / "mail") to guess at.
MIN_LENGTH = 5
# Two typos are allowed only in words this long ("massachusets", "tennesee").
LONG = 9


def distance(a: str, b: str, limit: int) -> int:
    """Edit distance with transpositions (optimal string alignment), or limit + 1 once it is over `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def closest(text: str, phrases: Iterable[str], min_length: int = MIN_LENGTH) -> list[str]:
    """The phrases that a run of words in normalized `text` misspells by one typo (two in long words).

    Only one-word phrases, and runs of the same number of words ("new hamshire"): "i almost did" is
    not "i almost died". A run that could be either of two phrases gives neither.
    """
    tokens = text.split()
    found: list[str] = []
    by_size: dict[int, list[str]] = {}
    for phrase in phrases:
        size = len(phrase.split())
        if len(phrase) >= min_length and not any(c.isdigit() for c in phrase):
            by_size.setdefault(size, []).append(phrase)
    for size, candidates in by_size.items():
        for i in range(len(tokens) - size + 1):
            run = " ".join(tokens[i:i + size])
            if len(run) < min_length or run in candidates:
                continue
            limit = 2 if len(run) >= LONG and size == 1 else 1
            # Typos keep the first letter, and in a phrase of several words, every word's: "half the time" is
            # not "all the time", "almost did" not "almost died".
            near = {phrase for phrase in candidates if _same_starts(run, phrase) and distance(run, phrase, limit) <= limit
                    and (size == 1 or _one_word_differs(run, phrase))}
            if len(near) == 1:
                found.append(near.pop())
    return found


def _same_starts(run: str, phrase: str) -> bool:
    return all(a[0] == b[0] for a, b in zip(run.split(), phrase.split(), strict=True))


def _one_word_differs(run: str, phrase: str) -> bool:
    """In a phrase of several words, the typo is in one long word; the others are as typed."""
    differ = [(a, b) for a, b in zip(run.split(), phrase.split(), strict=True) if a != b]
    return len(differ) == 1 and len(differ[0][1]) >= MIN_LENGTH + 1
