"""SMS text: segments, GSM-7 normalization, numbered options, keywords and TwiML (plain Python).

channels/sms.py (the Twilio webhook) and scripts/sms_lengths.py (the segment
report) share these rules, so the report measures exactly what is sent. The
words of the options line are in channels/texts.yml.

Segments: a GSM-7 text of up to 160 characters is one SMS; longer texts are
cut into parts of 153 (the rest carries the concatenation header). Any other
character makes the whole text UCS-2: 70, then 67 per part. The extended GSM
characters (^ { } [ ] ~ | \\ €) take two places.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

from assistant.channel_texts import channel_texts

# 3GPP TS 23.038 basic set (without the escape character) and its extension table.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")
GSM = GSM_BASIC | GSM_EXTENDED
SEGMENT_LIMITS = {"GSM-7": (160, 153), "UCS-2": (70, 67)}
TARGET_SEGMENTS = 2
MAX_SEGMENTS = 4
# Twilio refuses a message body above 1,600 characters: longer replies go out as several messages.
MAX_BODY = 1600

# Typography phones render the same in GSM-7: one curly quote must not turn a reply into UCS-2 (70-character parts).
_TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u2026": "...", "\u2022": "-",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",
})

OPT_OUT = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPT OUT"})
# YES re-subscribes only a number that opted out: otherwise it is an answer ("Yes" to a question).
OPT_IN = frozenset({"START", "UNSTOP", "YES"})
HELP = frozenset({"HELP", "INFO"})
# Dictation and autocorrect end a lone word with a period: "Stop." is still STOP.
_KEYWORD_PUNCTUATION = ".!"
# Characters XML 1.0 does not allow: a TwiML document holding one is rejected by Twilio.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def encoding(text: str) -> str:
    return "GSM-7" if all(ch in GSM for ch in text) else "UCS-2"


def segments(text: str) -> int:
    """How many SMS parts `text` is sent as; a part never splits an escape pair or a surrogate pair."""
    if not text:
        return 0
    kind = encoding(text)
    single, part = SEGMENT_LIMITS[kind]
    wide = GSM_EXTENDED.__contains__ if kind == "GSM-7" else (lambda ch: ord(ch) > 0xFFFF)
    units = [2 if wide(ch) else 1 for ch in text]
    if sum(units) <= single:
        return 1
    count, used = 1, 0
    for size in units:
        if used + size > part:
            count, used = count + 1, 0
        used += size
    return count


def normalize(text: str) -> str:
    """Curly quotes, dashes, ellipses and odd spaces as GSM-7; accents dropped only when that makes the whole text GSM-7.

    Text that stays UCS-2 anyway (emoji, other scripts) keeps its accents.
    """
    text = text.translate(_TYPOGRAPHY)
    if encoding(text) == "GSM-7":
        return text
    plain = "".join(ch if ch in GSM else _without_accent(ch) for ch in text)
    return plain if encoding(plain) == "GSM-7" else text


def _without_accent(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)) or ch


def keyword(text: str) -> str | None:
    """"opt_out", "opt_in" or "help" when the whole message is one keyword (case-insensitive, trimmed), else None."""
    word = " ".join((text or "").split()).rstrip(_KEYWORD_PUNCTUATION).upper()
    if word in OPT_OUT:
        return "opt_out"
    if word in OPT_IN:
        return "opt_in"
    if word in HELP:
        return "help"
    return None


@dataclass(frozen=True)
class Option:
    key: str  # what the person replies: "1", or "A" when option titles hold numbers
    title: str
    payload: str


def number_options(buttons: list[dict]) -> list[Option]:
    """Buttons as options to reply to, in order.

    Titles with numbers in them ("1 or 2" drinks, "18-25") get letters, so a
    reply of "3" still means three drinks and never the third option.
    """
    letters = any(ch.isdigit() for button in buttons for ch in button.get("title", ""))
    return [Option(chr(ord("A") + i) if letters else str(i + 1), button.get("title", ""), button.get("payload", ""))
            for i, button in enumerate(buttons)]


def options_line(options: list[Option]) -> str:
    """"Reply 1 for Yes, 2 for No.": the wording is channels/texts.yml's (sms.options, sms.option)."""
    texts = channel_texts().sms
    return texts.options.format(
        options=texts.option_separator.join(texts.option.format(key=o.key, title=o.title) for o in options))


def chosen_payload(text: str, offered: dict[str, str]) -> str | None:
    """The payload of the option the reply names ("1", "b", " 2. "), if it names one."""
    key = (text or "").strip().rstrip(".").upper()
    return offered.get(key)


def compose(messages: list[dict]) -> tuple[str, list[Option]]:
    """The bot's messages as one SMS text, each followed by its options, and the options offered.

    Options are keyed across the whole reply, so every key in it is unique.
    Payloads are never shown: only titles.
    """
    options = number_options([b for m in messages for b in m.get("buttons") or []])
    parts, position = [], 0
    for message in messages:
        mine = options[position:position + len(message.get("buttons") or [])]
        position += len(mine)
        text = (message.get("text") or "").strip()
        part = "\n".join(p for p in (text, options_line(mine) if mine else "") if p)
        if part:
            parts.append(part)
    return normalize("\n".join(parts)), options


def bodies(text: str) -> list[str]:
    """`text` as message bodies of at most MAX_BODY characters, cut at line breaks, else at spaces."""
    out: list[str] = []
    for piece in (piece for line in text.split("\n") for piece in _cut(line)):
        if out and len(out[-1]) + 1 + len(piece) <= MAX_BODY:
            out[-1] += "\n" + piece
        else:
            out.append(piece)
    return [body for body in out if body.strip()]


def _cut(line: str) -> list[str]:
    """A line longer than MAX_BODY in pieces cut at spaces (anywhere when it has none)."""
    pieces = []
    while len(line) > MAX_BODY:
        cut = line.rfind(" ", 0, MAX_BODY + 1)
        cut = cut if cut > 0 else MAX_BODY
        pieces.append(line[:cut])
        line = line[cut:].lstrip()
    return [*pieces, line]


def twiml(messages: list[str]) -> str:
    """A TwiML answer sending each text as one message; no text: an empty <Response/> (nothing is sent)."""
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    if not messages:
        return f"{head}<Response/>"
    return head + "<Response>" + "".join(f"<Message>{escape(_NOT_XML.sub('', m))}</Message>" for m in messages) + "</Response>"
