"""Fold look-alike text to the plain letters it shows, before crisis detection and NLU.

    fold("i wаnt to k\u00adіll mysеlf")  ->  "i want to kill myself"   (Cyrillic а, і, е; a soft hyphen)
    fold("ｉ ｗａｎｔ ｔｏ ｄｉｅ")          ->  "i want to die"           (fullwidth)

A message can read as plain English on screen and still hide its words from
patterns and from a model that sees code points. In order:

1. Format characters (Unicode category Cf: soft hyphen, zero-width space,
   joiner and non-joiner, word joiner, byte-order mark, bidi controls, tag
   characters) are removed: they are invisible or direct only how text is laid
   out. Emoji lose their zero-width joiners ("👨‍👩‍👧" becomes three emoji).
2. Compatibility forms become their plain letters (NFKC, character by
   character): fullwidth "ｋｉｌｌ", mathematical "𝐤𝐢𝐥𝐥", circled "ⓚⓘⓛⓛ",
   superscripts, ligatures "ﬁ". A character whose compatibility form is longer
   than MAX_EXPANSION characters (Arabic ligatures, squared CJK words) is kept
   as it is, so a message can grow at most that many times. Then NFC composes
   accents typed separately ("e" + U+0301 becomes "é").
3. Cyrillic and Greek letters that look like Latin ones (CONFUSABLES: а е о р
   с у х і ј ѕ ԁ һ ӏ ԛ ԝ к, ο α ρ ν ι, their capitals, ...) become those Latin
   letters, in a word that also holds a Latin letter ("wаnt") or consists only
   of look-alikes ("і", "ѕех"). A word in Russian or Greek keeps its letters
   ("привет", "νερό": letters with no Latin twin), so other languages still
   read as themselves; lower-case Cyrillic в, м, н, т look like small capitals,
   not like b, m, h, t, and are never folded.
4. Combining marks left on a plain Latin letter (strike-through "k̶i̶l̶l̶",
   "Zalgo" stacks) are removed; accents that compose ("é", "ñ") were composed
   in step 2 and stay.

Pure ASCII text is returned as it is (one regex search). fold() is idempotent.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_EXPANSION = 3

# Cyrillic, Greek and a few Armenian letters that render like a Latin letter in common fonts
# (Unicode's confusables.txt, plus Cyrillic к, which people use for k).
CONFUSABLES = {
    # Cyrillic small
    "а": "a", "е": "e", "к": "k", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s", "і": "i",
    "ј": "j", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ү": "y", "ѵ": "v",
    # Cyrillic capital
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ԁ": "D", "Һ": "H", "Ӏ": "I", "Ԛ": "Q", "Ԝ": "W",
    "Ү": "Y", "Ѵ": "V",
    # Greek small
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k", "υ": "u", "χ": "x", "γ": "y", "ϲ": "c",
    "ϳ": "j", "τ": "t", "ε": "e",
    # Greek capital
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C",
    # Armenian small
    "օ": "o", "ս": "u", "հ": "h", "ո": "n", "ց": "g", "զ": "q",
    # Latin letters outside ASCII that NFKC keeps
    "ɡ": "g", "ı": "i", "ȷ": "j",
}

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_WORD = re.compile(r"[^\W\d_]+")
_CONFUSABLE_CHARS = re.compile("[" + "".join(sorted(CONFUSABLES)) + "]")
_TRANSLATE = str.maketrans(CONFUSABLES)
_MARKS_AFTER_LATIN = re.compile(r"(?<=[A-Za-z])[^\x00-\x7f]+")


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if unicodedata.category(ch) == "Cf":
        return ""
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) <= MAX_EXPANSION else ch


def _fold_word(match: re.Match) -> str:
    word = match.group()
    if not _CONFUSABLE_CHARS.search(word):
        return word
    if any(c.isascii() for c in word) or all(c in CONFUSABLES for c in word):
        return word.translate(_TRANSLATE)
    return word


def _drop_marks(match: re.Match) -> str:
    text = match.group()
    start = 0
    while start < len(text) and unicodedata.category(text[start]).startswith("M"):
        start += 1
    return text[start:]


def fold(text: str) -> str:
    """`text` with invisible format characters removed, compatibility forms and look-alike letters
    made plain (see the module's docstring)."""
    if not text or not _NON_ASCII.search(text):
        return text or ""
    text = _NON_ASCII.sub(lambda m: _fold_char(m.group()), text)
    text = unicodedata.normalize("NFC", text)
    if _CONFUSABLE_CHARS.search(text):
        text = _WORD.sub(_fold_word, text)
    return _MARKS_AFTER_LATIN.sub(_drop_marks, text)
