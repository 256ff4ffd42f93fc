"""Numbers in an answer, read in the unit its question asks for (the question's `unit`, questions.yml).

Each reader takes normalized text (words.norm) and returns intervals (lowest,
highest): one per number said, in the unit's terms. "5 or 6 beers" is (5, 6);
"born in 1990" an age of (34, 35); "like twice a month" 0.46 times a week.
An option is picked only when its `range` holds every interval whole, so a
number that straddles two options ("in my 20s") is asked again, never guessed.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from assistant.intake.words import blank, find, has, norm, words

Interval = tuple[float, float]
MAX_DAYS = 100000.0
_COUNT = r"\d+(?:\s+(?:or\s+|to\s+)?\d+)?"  # "5", "5 6" (typed 5-6), "5 or 6", "5 to 6"


def _count(text: str) -> Interval:
    numbers = [float(n) for n in re.findall(r"\d+", text)]
    return min(numbers), max(numbers)


def _alternation(keys) -> str:
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


def _bounded(text: str, start: int, end: int, low: float, high: float, guesses: bool = False) -> Interval:
    """The interval a number said means with the words around it: "over 18", "65+", "less than a week";
    with `guesses`, also "almost 30" and "like 40"."""
    table = words().raw["number_bounds"]
    before, after = " ".join(text[:start].split()[-3:]), " ".join(text[end:].split()[:3])

    def said(key: str, where: str, at_end: bool) -> bool:
        return any((where == p or where.endswith(" " + p)) if at_end else (where == p or where.startswith(p + " "))
                   for p in (norm(str(w)) for w in table.get(key) or ()))

    if said("above", before, True):
        return low + 1, MAX_DAYS  # "over 18", "more than 3 months"
    if said("above_after", after, False):
        return low, MAX_DAYS  # "65+", "10 or more"
    if said("below", before, True):
        return 0.0, max(0.0, low - 1)
    if guesses and said("almost", before, True):
        return low - 1, low - 1
    if guesses and (said("about", before, True) or said("about", after, False)):
        return low - 2, high + 2
    return low, high


# --- ages and counts ---------------------------------------------------------------------


def counts(text: str) -> list[Interval]:
    """Each number said: "maybe 5 or 6 beers" -> [(5, 5), (6, 6)]; "more than 10" -> (10, ...)."""
    return [_bounded(text, m.start(), m.end(), float(m.group()), float(m.group()))
            for m in re.finditer(r"(?<!\S)\d{1,4}(?!\S)", text)]


@lru_cache(maxsize=1)
def _decade_re() -> re.Pattern:
    parts = _alternation(words().table("decade_parts"))
    named = _alternation(words().table("decades"))
    return re.compile(rf"(?<!\S)(?:({parts})\s+)?(?:(\d)0s|({named}))(?!\S)")


def ages(text: str, today: date | None = None) -> list[Interval]:
    """Ages said as a number, a birth year ("born in 1990") or a decade ("late 30s")."""
    year = (today or date.today()).year
    found: list[Interval] = []
    spans = []
    for match in _decade_re().finditer(text):
        part, digit, named = match.groups()
        start = int(digit) * 10 if digit else int(words().table("decades")[named])
        low, high = words().table("decade_parts").get(part, [0, 9]) if part else (0, 9)
        found.append((start + low, start + high))
        spans.append(match.span())
    rest = blank(text, spans)
    for match in re.finditer(r"(?<!\S)\d{1,4}(?!\S)", rest):
        number = float(match.group())
        if 1900 <= number <= year:
            found.append((year - number - 1, year - number))  # a birth year: before or after this year's birthday
        elif number <= 120:
            low, high = _bounded(rest, match.start(), match.end(), number, number, guesses=True)
            found.append((low, min(high, 120.0)))
        else:
            return []  # a number that is no age: nothing is read
    return found


# --- how long ago --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _duration_re() -> re.Pattern:
    table = words().table
    counts_ = _alternation(table("duration_counts"))
    units = _alternation(table("duration_units"))
    return re.compile(rf"(?<!\S)(?:({_COUNT}|{counts_})\s+)?(?:of\s+)?({units})(?!\S)")


def _span_before(text: str, start: int) -> bool:
    """"for 10 years": how long, not how long ago (unless "clean for a year")."""
    before = text[:start].split()[-3:]
    spans, ago, negations = words().words("span_words"), words().words("ago_words"), words().words("negations")
    for i, word in enumerate(before):
        if word in spans:  # "not for a year", "havent in 2 years": the last time was that long ago
            sober = any(w in ago for w in text[:start].split()[-6:])  # "sober from alcohol for 10 years"
            return not (i and before[i - 1] in negations) and not sober
    return False


def _years(text: str, today: date) -> tuple[list[Interval], list[tuple[int, int]]]:
    """"in 2019": the days between the end and the start of that year and today."""
    found, spans = [], []
    for match in re.finditer(r"(?<!\S)(19[5-9]\d|20\d\d)(?!\S)", text):
        year = int(match.group())
        if year <= today.year:
            first, last = (today - date(year, 1, 1)).days, (today - date(year, 12, 31)).days
            found.append((float(max(0, last)), float(first)))
            spans.append(match.span())
    return found, spans


def _denied(text: str, start: int) -> bool:
    """"not lately", "not this week": a time said not to be when it happened ("not for a year" is when)."""
    before = text[:start].split()[-2:]
    negations = words().words("negations")
    return bool(before) and (before[-1] in negations or (
        len(before) == 2 and before[0] in negations and before[1] not in words().words("span_words")))


def days_ago(text: str, today: date | None = None) -> list[Interval]:
    """When something last happened, in days: "yesterday" (1, 1), "2 weeks ago" (14, 14), "years ago", "in 2019"."""
    table = words().table
    named = table("days_ago")
    found, spans = _years(text, today or date.today())
    for start, end, phrase in find(tuple(named), blank(text, spans)):
        spans.append((start, end))
        if not _denied(text, start):
            found.append((float(named[phrase][0]), float(named[phrase][1])))
    rest = blank(text, spans)
    unit_days, plural, word_counts = table("duration_units"), table("duration_plural"), table("duration_counts")
    for match in _duration_re().finditer(rest):
        count, unit = match.groups()
        if _span_before(rest, match.start()) or _denied(rest, match.start()):
            continue
        per = float(unit_days[unit])
        if count is None:
            if unit not in plural:
                continue  # "day", "week" alone: no count
            found.append((float(plural[unit][0]), float(plural[unit][1])))
        else:
            low, high = _count(count) if count[0].isdigit() else word_counts[count]
            found.append(_bounded(rest, match.start(), match.end(), int(low * per), int(high * per)))
    return found


# --- how often -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _frequency_re() -> re.Pattern:
    table = words().table
    times = _alternation(table("times_words"))
    periods = _alternation(table("periods"))
    things = _alternation(words().phrases("counted_things"))
    per = _alternation(words().phrases("per_period"))
    return re.compile(rf"(?<!\S)({_COUNT}|{times})\s+(?:(?:{things})\s+)?(?:{per})\s+({periods})(?!\S)")


def frequency_spans(text: str) -> list[tuple[int, int]]:
    """Where normalized `text` says a count per period ("once or twice a week"): read before any option's words."""
    return [match.span() for match in _frequency_re().finditer(text)]


def per_week(text: str) -> list[Interval]:
    """How many times a week: "twice a month" (0.46, 0.46), "5-6 days a week" (5, 6), "every day" (7, 7)."""
    table = words().table
    every, times, periods = table("every"), table("times_words"), table("periods")
    found: list[Interval] = []
    spans = []
    for match in _frequency_re().finditer(text):
        count, period = match.groups()
        low, high = _count(count) if count[0].isdigit() else times[count]
        weeks = float(periods[period])
        found.append((low / weeks, high / weeks))
        spans.append(match.span())
    for _, _, phrase in find(tuple(every), blank(text, spans)):
        found.append((float(every[phrase]), float(every[phrase])))
    return found


def days_of_14(text: str) -> list[Interval]:
    """Days out of the past two weeks (PHQ-2, GAD-2): "13 days", "3 days a week" (6)."""
    rates = per_week(text)
    found = [(min(14.0, low * 2), min(14.0, high * 2)) for low, high in rates]
    if not rates:
        for match in re.finditer(rf"(?<!\S)({_COUNT})\s+(?:days|dias)(?!\S)", text):
            low, high = _count(match.group(1))
            if high > 14:
                return []
            found.append((low, high))
    return found


# --- what time of day --------------------------------------------------------------------


@lru_cache(maxsize=1)
def _clock_re() -> re.Pattern:
    marks = _alternation(words().phrases("clock_am") + words().phrases("clock_pm"))
    oclock = _alternation(words().phrases("oclock"))
    return re.compile(rf"(?<!\S)(\d{{1,2}})(?:\s+(\d{{2}}))?(?:\s+(?:{oclock}))?(?:\s+({marks}))?(?!\S)")


def _last_words(text: str, start: int, count: int = 3) -> str:
    return " ".join(text[:start].split()[-count:])


def hours(text: str) -> list[Interval]:
    """The hour of a time said (0-23): "10am" 10, "2pm" 14, "7 in the evening" 19.

    Without am or pm only the hours people mean one way are read: 9-11 in the morning, 12-6 after noon.
    """
    am, pm = words().words("clock_am"), words().words("clock_pm")
    found: list[Interval] = []
    for match in _clock_re().finditer(text):
        hour, minutes, mark = int(match.group(1)), int(match.group(2) or 0), match.group(3)
        if hour > 23 or minutes > 59:
            continue
        if mark is None and 5 <= hour <= 8 and has(words().phrases("clock_after"), _last_words(text, match.start())):
            mark = "pm"  # "after 7": in the evening (answer_words.yml clock_after)
        if mark in pm and hour < 12:
            hour += 12
        elif mark in am and hour == 12:
            hour = 0
        elif mark is None and not 9 <= hour <= 18:
            if 1 <= hour <= 6:
                hour += 12
            else:
                continue  # "at 7", "at 8": morning or evening?
        found.append((hour + minutes / 60, hour + minutes / 60))
    return found
