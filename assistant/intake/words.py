"""The words of answers (assistant/intake/answer_words.yml) and the normalization answers are compared in."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

WORDS_PATH = Path(__file__).with_name("answer_words.yml")
# Longer messages are not an answer to one question; also keeps matching cheap.
MAX_MATCHED_TEXT = 1000
# Between the parts of a normalized reply: no phrase or negation reaches across a comma ("no, I have").
CLAUSE_BREAK = "|"


@dataclass(frozen=True)
class Words:
    """answer_words.yml, each phrase normalized as answers are."""

    raw: dict[str, Any]

    def phrases(self, key: str) -> tuple[str, ...]:
        return _phrases(key)

    def words(self, key: str) -> frozenset[str]:
        return frozenset(_phrases(key))

    def table(self, key: str) -> dict[str, Any]:
        """A mapping of the file, its keys normalized ("todos los días" -> "todos los dias")."""
        return {norm(str(k)): v for k, v in (self.raw.get(key) or {}).items()}


@lru_cache(maxsize=1)
def words() -> Words:
    return Words(yaml.safe_load(WORDS_PATH.read_text(encoding="utf-8")))


@cache
def _phrases(key: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p for p in (norm(str(item)) for item in words().raw.get(key) or ()) if p))


def _fold_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _number_words() -> tuple[dict[str, int], dict[str, int]]:
    raw = words().raw
    return {str(k): int(v) for k, v in raw["ones"].items()}, {str(k): int(v) for k, v in raw["tens"].items()}


@lru_cache(maxsize=1)
def _glued() -> re.Pattern:
    units = sorted((str(u) for u in words().raw["glued_units"]), key=len, reverse=True)
    return re.compile(rf"(?<![a-z])(\d+)({'|'.join(map(re.escape, units))})(?![a-z])")


@lru_cache(maxsize=4096)
def norm(text: str) -> str:
    """Lower case, emoji as words, no accents or punctuation, number words as digits.

    What labels, synonyms, answer_words.yml and replies are compared in.
    """
    text = unicodedata.normalize("NFKC", (text or "")[:MAX_MATCHED_TEXT])
    for emoji, word in (words().raw.get("emoji") or {}).items():
        if emoji in text:
            text = text.replace(emoji, f" {word} ")
    text = _fold_accents(text.lower()).replace("\u2019", "'").replace("'", "")
    text = re.sub(r"(\d)\s*\+", r"\1 plus ", text)  # "65+"
    text = _glued().sub(r"\1 \2", re.sub(r"[^a-z0-9?]+", " ", text).replace("?", " ? "))
    ones, tens = _number_words()
    out: list[str] = []
    for token in text.split():
        if token == "?":
            continue
        if token in tens:
            out.append(str(tens[token]))
        elif token in ones:
            if out and out[-1].isdigit() and int(out[-1]) in tens.values() and 0 < ones[token] < 10:
                out[-1] = str(int(out[-1]) + ones[token])  # "thirty four" -> 34
            else:
                out.append(str(ones[token]))
        else:
            out.append(token)
    return " ".join(out)


@cache  # hundreds of phrases: more than the re module's own cache holds
def phrase_re(phrase: str) -> re.Pattern:
    """`phrase` as whole words."""
    return re.compile(rf"(?<!\S){re.escape(phrase)}(?!\S)")


def find(phrases: tuple[str, ...] | frozenset[str], text: str) -> list[tuple[int, int, str]]:
    """(start, end, phrase) of each phrase in normalized `text`, longest first, none overlapping."""
    taken: list[tuple[int, int, str]] = []
    for phrase in sorted(phrases, key=len, reverse=True):
        for match in phrase_re(phrase).finditer(text):
            if not any(match.start() < end and start < match.end() for start, end, _ in taken):
                taken.append((match.start(), match.end(), phrase))
    return sorted(taken)


def has(phrases: tuple[str, ...] | frozenset[str], text: str) -> bool:
    return any(phrase_re(phrase).search(text) for phrase in phrases)


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the spans replaced by spaces (positions kept)."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text
