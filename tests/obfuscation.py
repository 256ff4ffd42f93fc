"""Tricks that hide words from code-point matching while a person still reads them,
applied to the red-team messages (tests/redteam/) by tests/unit/test_crisis_obfuscated.py
and tests/evaluation/test_model_quality.py.

Each trick is reversed exactly by assistant.text_folding.fold, so a transformed
message must get what its original gets, crisis or not, and of the same kind.
"""

from __future__ import annotations

import re

SOFT_HYPHEN = "\u00ad"
ZERO_WIDTH_SPACE = "\u200b"
ZERO_WIDTH_JOINER = "\u200d"
ZERO_WIDTH_NON_JOINER = "\u200c"

CYRILLIC = str.maketrans({
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "y": "у", "x": "х", "i": "і", "s": "ѕ", "j": "ј",
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К", "M": "М", "O": "О", "P": "Р",
    "T": "Т", "X": "Х", "Y": "У",
})
GREEK = str.maketrans({"a": "α", "o": "ο", "p": "ρ", "v": "ν", "i": "ι", "k": "κ", "u": "υ",
                       "A": "Α", "B": "Β", "E": "Ε", "H": "Η", "I": "Ι", "K": "Κ", "M": "Μ", "N": "Ν", "O": "Ο",
                       "P": "Ρ", "T": "Τ", "X": "Χ", "Y": "Υ", "Z": "Ζ"})
FULLWIDTH = str.maketrans({**{chr(c): chr(c - 0x21 + 0xFF01) for c in range(0x21, 0x7F)}, " ": "\u3000"})
_WORD = re.compile(r"[A-Za-z]{2,}")


def _between_letters(text: str, inserted: str) -> str:
    return _WORD.sub(lambda m: inserted.join(m.group()), text)


def soft_hyphens(text: str) -> str:
    """"k\u00adi\u00adl\u00adl": a soft hyphen between the letters of every word (shown only at a line break)."""
    return _between_letters(text, SOFT_HYPHEN)


def zero_width(text: str) -> str:
    """A zero-width space between the letters of every word."""
    return _between_letters(text, ZERO_WIDTH_SPACE)


def fullwidth(text: str) -> str:
    """"ｋｉｌｌ　ｍｙｓｅｌｆ": fullwidth forms and ideographic spaces."""
    return text.translate(FULLWIDTH)


def cyrillic(text: str) -> str:
    """Every Latin letter with a Cyrillic twin (а е о р с у х і ѕ ј, capitals) swapped for it."""
    return text.translate(CYRILLIC)


def greek(text: str) -> str:
    """Greek look-alikes (α ο ρ ν ι κ υ, capitals) swapped in."""
    return text.translate(GREEK)


def mixed(text: str) -> str:
    """A different trick word by word: Cyrillic, fullwidth, soft hyphens, zero-width (non-)joiners, Greek."""
    tricks = [cyrillic, fullwidth, lambda w: _between_letters(cyrillic(w), SOFT_HYPHEN),
              lambda w: _between_letters(w, ZERO_WIDTH_JOINER), greek,
              lambda w: _between_letters(w, ZERO_WIDTH_NON_JOINER)]
    words = text.split(" ")
    return " ".join(tricks[i % len(tricks)](word) for i, word in enumerate(words))


TRICKS = {"soft_hyphens": soft_hyphens, "zero_width": zero_width, "fullwidth": fullwidth,
          "cyrillic": cyrillic, "greek": greek, "mixed": mixed}
