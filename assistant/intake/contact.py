"""Phone numbers and first names in a reply ("you can reach me at 702 463 2292, my name is Alex")."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

from assistant.intake.words import MAX_MATCHED_TEXT, words

MAX_NAME = 40
_NAME_TOKEN = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")
_INITIALS = re.compile(r"^(?:[^\W\d_]\.){1,3}$")


def _phone_match(text: str, region: str):
    return next(iter(PhoneNumberMatcher(text[:MAX_MATCHED_TEXT], region, leniency=Leniency.VALID)), None)


# Digit groups a phone number is typed in when the matcher does not see one ("area code 702, 463 2292").
PHONE_GROUPS = ((3, 3, 4), (1, 3, 3, 4), (3, 7), (10,), (11,))


def _digits(text: str) -> str:
    """Number words as digits ("seven oh two" -> "7 0 2"), everything else as it is."""
    digit_words = {**{k: str(v) for k, v in words().raw["ones"].items() if int(v) < 10}, "oh": "0", "o": "0"}
    return " ".join(digit_words.get(token.lower(), token) for token in re.split(r"\s+", text))


def _grouped_phone(text: str, region: str) -> str | None:
    """A number typed in groups or in words that the matcher misses; only digit groups shaped like one."""
    groups = re.findall(r"\d+", _digits(text))
    joined = "".join(groups)
    if tuple(len(g) for g in groups) not in PHONE_GROUPS and not (
            all(len(g) == 1 for g in groups) and len(groups) in (10, 11)):  # "7 0 2 4 6 3 ..."
        return None
    try:
        number = phonenumbers.parse(joined, region)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164) if phonenumbers.is_valid_number(number) else None


def normalize_phone(text: str, region: str = "US") -> str | None:
    """The first valid phone number in `text`, in E.164; dates and made-up numbers are not phone numbers."""
    match = _phone_match(text or "", region)
    return phonenumbers.format_number(match.number, PhoneNumberFormat.E164) if match else None


def split_phone(text: str, region: str = "US") -> tuple[str, str | None]:
    """(the text around the number, the number in E.164), or (text, None) without a valid number."""
    text = text or ""
    match = _phone_match(text, region)
    if match is None:
        grouped = _grouped_phone(text, region)
        return (re.sub(r"[\d()+.-]+", " ", _digits(text)), grouped) if grouped else (text, None)
    return text[: match.start] + " , " + text[match.end :], phonenumbers.format_number(match.number, PhoneNumberFormat.E164)


def split_name_and_phone(text: str, region: str = "US") -> tuple[str | None, str | None]:
    """("Sam", "+16175550142") from "Sam 617 555 0142" or "it's Maria, 617-555-0142"."""
    rest, phone = split_phone(text, region)
    return parse_name(rest), phone


def _name_word(token: str, not_names: frozenset[str]) -> str | None:
    """`token` as a word of a name, without a possessive ("Dave's" -> "Dave"); None if it is no name."""
    if "." in token and _INITIALS.match(token.strip(".") + "."):
        return token.replace(".", "").upper()  # "J.D.", "k.t."
    token = token.strip(".")
    token = re.sub(r"['’]s$", "", token)
    if not token or not _NAME_TOKEN.match(token):
        return None
    plain = token.lower().replace("'", "").replace("’", "")
    if plain in not_names or (plain.endswith("s") and plain[:-1] in not_names):  # "moms phone"
        return None
    return token


def parse_name(text: str, most: int = 3) -> str | None:
    """A first name or initials from a short reply, as typed: "my name is Sam" -> "Sam", "Mary Ann" ->
    "Mary Ann", "Tony or Anthony" -> "Tony". None if there is none, or more than `most` words that could
    be one (a sentence, not a name)."""
    not_names = words().words("not_names")
    runs: list[list[str]] = [[]]
    for token in re.split(r"([\s,;:!?()\"]+)", (text or "")[:MAX_MATCHED_TEXT]):
        if not token.strip():
            continue
        word = None if re.fullmatch(r"[\s,;:!?()\"]+", token) else _name_word(token, not_names)
        if word:
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])  # the name ends at a word that is no name, or at a comma
    names = [word for run in runs for word in run]
    if not names and re.fullmatch(r"\s*[^\W\d_]\.?\s*", text or ""):
        return (text or "").strip().strip(".").upper()  # "A": an initial, not the article
    if not names or len(names) > most:  # more words than a name: a sentence, not an answer
        return None
    first = runs[0]
    initials = all(len(n) == 1 for n in first)
    name = "".join(first).upper() if initials else " ".join(first)
    if len(name) > MAX_NAME:
        return None
    return name[0].upper() + name[1:] if name.islower() else name
