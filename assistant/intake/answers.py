"""Free text or a tapped button -> an answer value.

Whatever the person typed is only data: it is matched against known phrases,
never evaluated or formatted into anything else.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

from assistant.intake.questions import SKIPPED, UNKNOWN, Question, as_question, buttons_for, catalog, question

MAX_FREE_TEXT = 200
MAX_NAME = 40
# Longer messages are not an answer to one question; also keeps matching cheap.
MAX_MATCHED_TEXT = 1000


@dataclass(frozen=True)
class Parsed:
    status: str  # "ok" | "skip" | "unknown" | "invalid" | "ask_count" (label: what to ask instead)
    value: Any = None  # option value, list of values, E.164 phone, name, state code, text, "skipped" or "unknown"
    label: str = ""  # what the person and staff read
    also: tuple[tuple[str, Parsed], ...] = ()  # other answers in the same text: a name given with the phone number


INVALID = Parsed("invalid")

_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_NEGATIONS = {"not", "no", "never", "dont", "didnt", "doesnt", "isnt", "arent", "havent", "without", "nor"}
_FILLERS = {"the", "a", "an", "in", "my", "any", "during", "really"}

# Plain yes / no replies; they pick the options marked `means: yes|no` (and options valued "yes"/"no").
_YES = (
    "yes", "y", "yeah", "yea", "ya", "yah", "yep", "yup", "ye", "yess", "yesss", "yas", "mhm", "uh huh", "si",
    "yes i have", "i have", "i did", "i do", "they have", "they did", "they do", "he has", "she has", "he did",
    "she did", "he does", "she does", "yes they have", "correct", "affirmative", "definitely", "absolutely", "of course",
)
_NO = (
    "no", "n", "nope", "nah", "nahh", "naw", "nay", "nop", "noo", "nooo", "never", "no never", "not really",
    "not at all", "not lately", "not recently", "not at the moment", "not now", "i havent", "i have not", "havent",
    "have not", "i did not", "i didnt", "didnt", "i dont", "i do not", "dont", "do not", "negative", "no way",
    "hell no", "no thanks", "none", "nothing", "they havent", "they have not", "they dont", "they didnt",
    "he hasnt", "she hasnt", "he doesnt", "she doesnt", "not that i know of", "i dont think so", "dont think so",
    "definitely not", "absolutely not", "of course not", "certainly not",
)
# "I have" / "they did" answer a yes/no question only on their own or going on as
# a yes does ("I have, a few times", "I did in the past"); "I have to go" or
# "I did my best" say something else.
_PRONOUN_YES_STARTS = {"i", "they", "he", "she"}
_YES_GOES_ON = {
    "yes", "yeah", "yep", "before", "once", "twice", "a", "in", "last", "recently", "lately", "sometimes", "often",
    "several", "many", "some", "few", "every", "daily", "too", "also", "but", "and", "though", "unfortunately",
    "sadly", "actually", "honestly", "more", "when", "since", "years", "yrs", "months", "ago",
}
_UNKNOWN_PHRASES = (
    "i dont know", "dont know", "i dont no", "dont no", "idk", "idek", "dk", "dunno", "i dunno", "no idea",
    "i have no idea", "not sure", "im not sure", "unsure", "no clue", "not certain", "who knows",
)
_SKIP_CORE = (
    r"skip|skip it|skip this|skip this 1|skip this question|skip that|pass|pass on this|pass on that|next|"
    r"prefer not to say|prefer not to answer|prefer not|rather not|rather not say|rather not answer|no comment|"
    r"decline|not saying|thats private|none of your business|"
    r"dont want to (?:say|answer|share|tell|give (?:it|that|my name|my number))"
)
_SKIP_RE = re.compile(
    rf"^(?:(?:i|id|i would|would|please|just|can we|can i|lets|ok|okay|um|uh|sorry)\s+)*(?:{_SKIP_CORE})"
    r"(?:\s+(?:please|thanks|thank you|for now|on this 1|on that 1))*$"
)
_BARE_NUMBERS = re.compile(r"^(?:option\s+)?\d{1,2}(?:\s+(?:and\s+)?\d{1,2})*$")
_DURATION = re.compile(r"(?<!\S)(\d+|a|an)\s+(hours?|hrs?|days?|weeks?|wks?|months?|years?|yrs?)(?!\S)")
_DAYS_PER_UNIT = {"h": 1 / 24, "d": 1, "w": 7, "m": 30, "y": 365}


def _norm(text: str) -> str:
    """Lower case, no punctuation, number words as digits: the form labels, synonyms and replies are compared in."""
    text = unicodedata.normalize("NFKC", text[:MAX_MATCHED_TEXT]).lower().replace("\u2019", "'").replace("'", "")
    tokens = re.sub(r"[^a-z0-9]+", " ", text).split()
    out: list[str] = []
    for token in tokens:
        if token in _TENS:
            out.append(str(_TENS[token]))
        elif token in _ONES:
            if out and out[-1].isdigit() and int(out[-1]) in _TENS.values() and 0 < _ONES[token] < 10:
                out[-1] = str(int(out[-1]) + _ONES[token])  # "thirty four" -> 34
            else:
                out.append(str(_ONES[token]))
        else:
            out.append(token)
    return " ".join(out)


_YES_NORMS = frozenset(_norm(phrase) for phrase in _YES)


@cache  # hundreds of phrases: more than the re module's own cache holds
def _phrase_re(phrase: str) -> re.Pattern:
    return re.compile(rf"(?<!\S){re.escape(phrase)}(?!\S)")


@cache
def _table(question_id: str, for_whom: str | None, generic_phrases: bool = True) -> tuple[tuple[str, str, bool], ...]:
    """(normalized phrase, value, explicit) for one question on one path, longest phrase first.

    Explicit labels and synonyms win over the generic yes/no and "don't know" phrases.
    """
    q = question(question_id)
    generic: dict[str, str] = {}
    not_sure = q.option("not_sure")
    for phrase in _UNKNOWN_PHRASES if generic_phrases else ():
        generic[_norm(phrase)] = not_sure.value if not_sure else UNKNOWN
    for opt in q.options if generic_phrases else ():
        means = opt.means or (opt.value if opt.value in ("yes", "no") else None)
        for phrase in {"yes": _YES, "no": _NO}.get(means or "", ()):
            generic.setdefault(_norm(phrase), opt.value)
    explicit: dict[str, str] = {}
    for opt in q.options:
        for name in (opt.label, opt.label_loved_one, *opt.synonyms):
            key = _norm(name or "")
            if not key:
                continue
            if explicit.get(key, opt.value) != opt.value:
                raise ValueError(f"{question_id}: '{key}' is listed under {explicit[key]} and {opt.value}")
            explicit[key] = opt.value
    if q.allows_unknown(for_whom) and generic_phrases:
        explicit[_norm(catalog().unknown_label)] = UNKNOWN
    merged = {**{k: (v, False) for k, v in generic.items()}, **{k: (v, True) for k, v in explicit.items()}}
    return tuple(sorted(((k, v, e) for k, (v, e) in merged.items()), key=lambda item: (-len(item[0]), item[0])))


def _negated(norm: str, start: int, phrase: str) -> bool:
    """A negation word just before the phrase ("no benzos", "not in the morning"), not one that starts it."""
    if phrase.split()[0] in _NEGATIONS:
        return False
    before = [word for word in norm[:start].split()[-3:] if word not in _FILLERS]
    return bool(before) and before[-1] in _NEGATIONS


def _pronoun_yes_says_something_else(norm: str, end: int, phrase: str) -> bool:
    """`phrase` (normalized, found in `norm` up to `end`) is "I have" and the like, going on as something else."""
    if phrase not in _YES_NORMS or phrase.split()[0] not in _PRONOUN_YES_STARTS:
        return False
    after = norm[end:].split()
    return bool(after) and after[0] not in _YES_GOES_ON


def _scan(question_id: str, for_whom: str | None, norm: str, generic_phrases: bool = True) -> tuple[list[str], str]:
    """Values of the phrases found in `norm` in text order, and the text left over.

    A negated option ("no benzos") is left out. Plain yes/no phrases are never read as negated: "no, I have"
    stays both a no and a yes, so the question is asked again rather than guessed.
    """
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, str]] = []
    for phrase, value, explicit in _table(question_id, for_whom, generic_phrases):
        for match in _phrase_re(phrase).finditer(norm):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            if not explicit and _pronoun_yes_says_something_else(norm, end, phrase):
                continue
            taken.append((start, end))
            if not (explicit and _negated(norm, start, phrase)):
                found.append((start, value))
    rest = norm
    for start, end in taken:
        rest = rest[:start] + " " * (end - start) + rest[end:]
    return [value for _, value in sorted(found)], rest


def _matches(question_id: str, for_whom: str | None, norm: str, generic_phrases: bool = True) -> list[str]:
    return _scan(question_id, for_whom, norm, generic_phrases)[0]


def _from_numbers(q: Question, norm: str) -> str | None:
    """The one option whose range holds every number in the reply ("I'm 34", "6 beers", "2 days ago")."""
    if q.unit == "days":
        numbers = [
            int((1 if count in ("a", "an") else int(count)) * _DAYS_PER_UNIT[unit[0]])
            for count, unit in _DURATION.findall(norm)
        ]
    else:
        numbers = [int(n) for n in re.findall(r"(?<!\S)\d{1,4}(?!\S)", norm)]
    values = set()
    for n in numbers:
        holding = [opt.value for opt in q.options if opt.range and opt.range[0] <= n <= opt.range[1]]
        if not holding:
            return None
        values.update(holding)
    return values.pop() if len(values) == 1 else None


def _ok(q: Question, value: Any, for_whom: str | None) -> Parsed:
    return Parsed("ok", value, label_for(q, value, for_whom))


def parse(q: Question | str, text: str, for_whom: str | None) -> Parsed:
    """The answer `text` gives to question `q`, for the person themself or a family member (`for_whom`)."""
    q = as_question(q)
    raw = (text or "").strip()
    norm = _norm(raw)
    if not raw:
        return INVALID
    if q.skippable and _SKIP_RE.match(norm):
        assert q.skip_label is not None  # a skippable question has one (questions._question)
        return Parsed("skip", SKIPPED, q.skip_label)
    if q.ask_count_for and _names_a_container(q, norm):
        return Parsed("ask_count", None, q.ask_count_text or "")
    if q.kind in ("single", "multi", "confirm"):
        return _parse_choice(q, norm, for_whom)
    buttons = buttons_for(q, for_whom)  # "Skip", "I don't know": their numbers work as for options
    if norm.isdigit() and 1 <= int(norm) <= len(buttons):
        return parse(q, buttons[int(norm) - 1][1], for_whom)
    if q.allows_unknown(for_whom) and _matches(q.id, for_whom, norm) == [UNKNOWN]:
        return Parsed("unknown", UNKNOWN, catalog().unknown_label)
    if q.kind == "phone":
        name, phone = split_name_and_phone(raw)
        if phone is None:
            return INVALID
        also = (("intake_name", Parsed("ok", name, name)),) if name else ()
        return Parsed("ok", phone, label_for(q, phone, for_whom), also)
    if q.kind == "name":
        name = parse_name(raw)
        return Parsed("ok", name, name) if name else INVALID
    if q.kind == "state":
        code = parse_state(raw)
        return _ok(q, code, for_whom) if code else INVALID
    cleaned = " ".join("".join(ch for ch in raw if unicodedata.category(ch) != "Cc").split())
    return Parsed("ok", cleaned, cleaned) if 0 < len(cleaned) <= MAX_FREE_TEXT else INVALID


def _names_a_container(q: Question, norm: str) -> bool:
    """"A bottle", "2 pints": no count of drinks, whatever number comes with it."""
    return any(_phrase_re(_norm(word)).search(norm) for word in q.ask_count_for)


def _parse_choice(q: Question, norm: str, for_whom: str | None) -> Parsed:
    labels = [label for label, _ in buttons_for(q, for_whom)]
    if _BARE_NUMBERS.match(norm) and q.unit != "drinks":  # a count of drinks is never an option number
        picks = [int(n) for n in re.findall(r"\d+", norm)]
        if all(1 <= n <= len(labels) for n in picks) and (q.kind == "multi" or len(picks) == 1):
            if len(picks) == 1:
                return parse(q, labels[picks[0] - 1], for_whom)
            norm = " ".join(_norm(labels[n - 1]) for n in picks)
    # Numbers a phrase already used ("Under 18", "2 days ago") are not read again as an age or a count.
    phrase_values, rest = _scan(q.id, for_whom, norm)
    values = list(dict.fromkeys(phrase_values))
    if q.unit:
        number_value = _from_numbers(q, rest)
        if number_value is not None:
            values.append(number_value)
    concrete = list(dict.fromkeys(v for v in values if v != UNKNOWN))
    if not concrete:
        if values and q.allows_unknown(for_whom):
            return Parsed("unknown", UNKNOWN, catalog().unknown_label)
        return INVALID
    if q.kind == "multi":
        ordered = [opt.value for opt in q.options if opt.value in concrete]
        return _ok(q, ordered, for_whom)
    return _ok(q, concrete[0], for_whom) if len(concrete) == 1 else INVALID


def label_for(q: Question | str, value: Any, for_whom: str | None) -> str:
    """What the person and staff read for a stored value."""
    q = as_question(q)
    if value == SKIPPED:
        return q.skip_label or catalog().skipped_label
    if value == UNKNOWN:
        return catalog().unknown_label
    if isinstance(value, list):
        return ", ".join(label_for(q, item, for_whom) for item in value)
    if q.kind == "phone":
        return phonenumbers.format_number(phonenumbers.parse(value, None), PhoneNumberFormat.NATIONAL)
    if q.kind == "state":
        return STATES.get(value, value)
    opt = q.option(value) if q.options else None
    return opt.label_for(for_whom) if opt else str(value)


# --- phone and name ---------------------------------------------------------------


def _phone_match(text: str, region: str):
    return next(iter(PhoneNumberMatcher(text[:MAX_MATCHED_TEXT], region, leniency=Leniency.VALID)), None)


def normalize_phone(text: str, region: str = "US") -> str | None:
    """The first valid phone number in `text`, in E.164; dates and made-up numbers are not phone numbers."""
    match = _phone_match(text or "", region)
    return phonenumbers.format_number(match.number, PhoneNumberFormat.E164) if match else None


def split_name_and_phone(text: str, region: str = "US") -> tuple[str | None, str | None]:
    """("Sam", "+16175550142") from "Sam 617 555 0142" or "it's Maria, 617-555-0142"."""
    text = text or ""
    match = _phone_match(text, region)
    if match is None:
        return parse_name(text), None
    rest = text[: match.start] + " " + text[match.end :]
    return parse_name(rest), phonenumbers.format_number(match.number, PhoneNumberFormat.E164)


# Words around a name in a reply ("it's Sam", "call me Sam", "ask for Sam in the evening").
_NAME_STOP = {
    "a", "about", "actually", "afternoon", "after", "am", "an", "and", "anytime", "any", "ask", "asking", "at",
    "back", "be", "before", "best", "but", "by", "call", "called", "calls", "can", "cell", "cellphone", "could",
    "do", "dont", "evening", "everyone", "first", "for", "friends", "from", "give", "go", "goes", "hello", "her",
    "hers", "here", "hey", "hi", "his", "home", "i", "im", "in", "instead", "is", "it", "its", "just", "landline",
    "later", "me", "mine", "mobile", "morning", "my", "name", "names", "nickname", "no", "none", "nope", "not",
    "now", "number", "of", "ok", "okay", "on", "or", "our", "people", "phone", "please", "pm", "prefer", "rather",
    "reach", "say", "skip", "so", "sorry", "sure", "text", "thanks", "thank", "thats", "the", "their", "them",
    "they", "this", "time", "to", "today", "tomorrow", "tonight", "txt", "uh", "um", "us", "want", "we", "well",
    "with", "work", "yeah", "yes", "you", "your",
    # leaving or not knowing is not a name: "ok gotta run", "I have no idea"
    "bye", "goodbye", "goodnight", "night", "gotta", "gonna", "run", "log", "off", "talk", "have", "has", "had",
    "been", "idea", "know", "idk", "need", "needed", "all", "done", "leave", "leaving", "going", "got", "ride",
    # the caller saying who they are to the person: "I'm his mom, Linda"
    "aunt", "brother", "dad", "daughter", "father", "friend", "grandma", "grandmother", "grandpa", "he", "hes",
    "husband", "mom", "mother", "partner", "she", "shes", "sister", "son", "uncle", "wife",
}
_NAME_TOKEN = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")
_INITIALS = re.compile(r"^(?:[^\W\d_]\.){1,3}$")


def parse_name(text: str) -> str | None:
    """A first name or initials from a short reply ("my name is Sam" -> "Sam"); None if there is none."""
    names = []
    for token in re.split(r"[\s,;:!?()\"]+", (text or "")[:MAX_MATCHED_TEXT]):
        token = token.strip(".")
        if _INITIALS.match(token + "."):
            token = token.replace(".", "")
        if not token or not _NAME_TOKEN.match(token):
            continue
        if token.lower().replace("'", "").replace("’", "") in _NAME_STOP:
            continue
        names.append(token)
    if not names or len(names) > 3:  # more words than a name: a sentence, not an answer
        return None
    name = "".join(names) if all(len(n) == 1 for n in names) else names[0]
    if len(name) > MAX_NAME:
        return None
    return name[0].upper() + name[1:] if name.islower() else name


# --- state ---------------------------------------------------------------------------

STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky",
    "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "PR": "Puerto Rico", "RI": "Rhode Island",
    "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}
# Common abbreviations that are not everyday words, recognised anywhere in a reply.
_STATE_ABBREVIATIONS = {
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "cali": "CA", "colo": "CO", "conn": "CT", "fla": "FL",
    "mass": "MA", "mich": "MI", "minn": "MN", "miss": "MS", "mont": "MT", "neb": "NE", "nebr": "NE", "nev": "NV",
    "okla": "OK", "penn": "PA", "penna": "PA", "tenn": "TN", "tex": "TX", "wisc": "WI", "wyo": "WY",
    "washington dc": "DC", "washington d c": "DC", "d c": "DC", "district of columbia": "DC", "n y": "NY",
    "n j": "NJ", "n h": "NH", "n c": "NC", "n d": "ND", "n m": "NM", "s c": "SC", "s d": "SD", "r i": "RI",
    "w va": "WV", "jersey": "NJ", "the bronx": "NY", "socal": "CA", "norcal": "CA",
}
# Abbreviations that are also English words ("ill", "wash", "me"): only as the whole reply.
_STATE_ABBREVIATIONS_ALONE = {
    "cal": "CA", "del": "DE", "ga": "GA", "ill": "IL", "ind": "IN", "kan": "KS", "kans": "KS", "ky": "KY",
    "la": "LA", "md": "MD", "mo": "MO", "ore": "OR", "oreg": "OR", "pa": "PA", "va": "VA", "vt": "VT",
    "wash": "WA", "wis": "WI",
}
# Two-letter codes inside a sentence only when written in capitals, and not these everyday words.
_CODE_WORDS = {"OK", "HI", "ME", "OR", "IN", "DE", "LA", "ID", "CO"}


@lru_cache(maxsize=1)
def _state_phrases() -> tuple[tuple[str, str], ...]:
    phrases = {_norm(name): code for code, name in STATES.items()}
    phrases.update(_STATE_ABBREVIATIONS)
    return tuple(sorted(phrases.items(), key=lambda item: -len(item[0])))


def parse_state(text: str) -> str | None:
    """Two-letter code from a state name, code or common abbreviation ("mass", "Calif", "MA"); None if none or several."""
    raw = (text or "")[:MAX_MATCHED_TEXT]
    norm = _norm(raw)
    whole = norm.replace(" ", "") if len(norm.replace(" ", "")) == 2 else norm
    if whole.upper() in STATES:
        return whole.upper()
    if norm in _STATE_ABBREVIATIONS_ALONE:
        return _STATE_ABBREVIATIONS_ALONE[norm]
    found: dict[str, None] = {}
    taken: list[tuple[int, int]] = []
    for phrase, code in _state_phrases():
        for match in _phrase_re(phrase).finditer(norm):
            if not any(match.start() < end and start < match.end() for start, end in taken):
                taken.append(match.span())
                found[code] = None
    for token in re.findall(r"\b[A-Z]{2}\b", raw):
        if token in STATES and token not in _CODE_WORDS:
            found[token] = None
    return next(iter(found)) if len(found) == 1 else None


# --- corrections typed at any time -----------------------------------------------------

_CUE = re.compile(
    r"(?<!\S)(?:actually|instead|change|changed|correct|correction|wrong|not|sorry|meant|update|updated|oops|"
    r"mistake|my bad|rather|switch|new)(?!\S)"
)
_PHONE_CONTEXT = re.compile(r"(?<!\S)(?:number|phone|cell|mobile|digits)(?!\S)")
_NAME_IS = re.compile(r"\b(?:my\s+(?:first\s+)?name\s+is|my\s+name['’]?s|name\s+is)\s+([^\s,.;!?]+)", re.IGNORECASE)
_CALL_ME_NAME = re.compile(r"\b[Cc]all me\s+([A-Z][^\s,.;!?]*)")
_CALL_CONTEXT = re.compile(r"(?<!\S)(?:call|calls|calling|reach|ring|contact|time)(?!\S)")
_INSURANCE_CONTEXT = re.compile(r"(?<!\S)(?:insurance|coverage|covered|insured|insurer|plan|medicaid|medicare)(?!\S)")
_STATE_CONTEXT = re.compile(r"(?<!\S)(?:live|living|lives|moved|move|state|from|located|reside|based)(?!\S)")
_MESSAGE_CONTEXT = re.compile(r"(?<!\S)(?:voicemail|voicemails|voice mail|vm|text|texts|texting|txt|sms|message|messages)(?!\S)")


def _one_option(question_id: str, norm: str) -> Parsed | None:
    """The single option of `question_id` named in `norm` by its label or synonyms.

    Plain yes/no does not count, nor do short one-word synonyms ("am", "any", "now"): too common in other sentences.
    """
    values: set[str] = set()
    for phrase, value, _ in _table(question_id, None, generic_phrases=False):
        if " " in phrase or len(phrase) >= 5:
            values.update(value for m in _phrase_re(phrase).finditer(norm) if not _negated(norm, m.start(), phrase))
    return _ok(question(question_id), values.pop(), None) if len(values) == 1 else None


def detect_correction(text: str) -> list[tuple[str, Parsed]]:
    """Earlier answers corrected in `text` ("actually my number is ...", "call me in the evening instead").

    Conservative: each needs a correction cue and words about what changes.
    """
    raw = (text or "")[:MAX_MATCHED_TEXT]
    norm = _norm(raw)
    name_match = _NAME_IS.search(raw)
    cue = bool(_CUE.search(norm))
    phone_context = bool(_PHONE_CONTEXT.search(norm))
    found: list[tuple[str, Parsed]] = []
    phone = normalize_phone(raw) if cue or phone_context else None
    if phone:
        found.append(("intake_phone", _ok(question("intake_phone"), phone, None)))
    call_me = _CALL_ME_NAME.search(raw) if cue else None
    for match in (name_match, call_me):
        name = parse_name(match.group(1)) if match else None
        if name:
            found.append(("intake_name", Parsed("ok", name, name)))
            break
    if not cue:
        return found
    checks = (
        ("intake_best_time", _CALL_CONTEXT),
        ("intake_insurance", _INSURANCE_CONTEXT),
        ("intake_contact_safety", _MESSAGE_CONTEXT),
    )
    for question_id, context in checks:
        if context.search(norm):
            parsed = _one_option(question_id, norm)
            if parsed:
                found.append((question_id, parsed))
    if _STATE_CONTEXT.search(norm):
        code = parse_state(raw)
        if code:
            found.append(("intake_state", _ok(question("intake_state"), code, None)))
    return found
