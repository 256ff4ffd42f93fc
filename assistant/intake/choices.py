"""A reply to a question with options: the option(s) it picks, or none when it is not clear.

The phrases it names (phrases.py) add up with the numbers it gives, read in the
question's `unit` (amounts.py), the time it says for a question about a window
("in the past 3 months"), and for messages what it says of voicemail and texts
(messages.py). Whatever disagrees, straddles two options or is unclear ("opiates")
is asked again, never guessed.
"""

from __future__ import annotations

import re

from assistant.intake import amounts, messages
from assistant.intake.fuzzy import closest
from assistant.intake.parsed import INVALID, Parsed, ok
from assistant.intake.phrases import (
    EXPLICIT,
    GENERIC,
    HEDGE,
    NEGATED,
    STOPPED,
    Found,
    negated,
    relation,
    scan,
    table,
    yes_no_values,
)
from assistant.intake.questions import UNKNOWN, Question, buttons_for, catalog
from assistant.intake.words import has, norm, phrase_re, words

_BARE_NUMBERS = re.compile(r"^(?:option\s+|number\s+|#\s*)?\d{1,2}(?:\s+(?:and\s+|or\s+)?\d{1,2})*$")
READERS = {"age": amounts.ages, "days": amounts.days_ago, "drinks": amounts.counts, "per_week": amounts.per_week,
           "days_of_14": amounts.days_of_14, "hour": amounts.hours}


CONFLICT = ""


def _from_numbers(q: Question, rest: str) -> str | None:
    """The one option whose range holds every number the reply gives ("I'm 34", "6 beers", "2 days ago");
    None without a number, CONFLICT when one straddles two options ("in my 20s") or they pick different ones."""
    reader = READERS.get(q.unit or "")
    values: set[str] = set()
    for low, high in reader(rest) if reader else ():
        holding = [o.value for o in q.options if o.range and o.range[0] <= low and high <= o.range[1]]
        if len(holding) != 1:
            return CONFLICT
        values.update(holding)
    if not values:
        return None
    return values.pop() if len(values) == 1 else CONFLICT


STRADDLES = "straddles"


def _in_window(q: Question, text: str) -> str | None:
    """For a question about a time window: yes if the time said is within it, no if before it, STRADDLES
    if it may be either ("last year" for the past 12 months); None without a time."""
    yes, no = yes_no_values(q)
    times = amounts.days_ago(text) if q.window_days else []
    if not q.window_days or not times or yes is None or no is None:
        return None
    if all(high <= q.window_days for _, high in times):
        return yes
    if all(low > q.window_days for low, _ in times):
        return no
    return STRADDLES


def option_labels(q: Question, text: str, for_whom: str | None) -> list[str]:
    """"2", "option 3", "1 and 4": the labels of the buttons with those numbers; [] for anything else."""
    if not _BARE_NUMBERS.match(text) or q.unit == "drinks":  # a count of drinks is never an option number
        return []
    labels = [label for label, _ in buttons_for(q, for_whom)]
    picks = [int(n) for n in re.findall(r"\d+", text)]
    if not all(1 <= n <= len(labels) for n in picks) or (q.kind != "multi" and len(picks) > 1):
        return []
    return [labels[n - 1] for n in picks]


def parse_choice(q: Question, text: str, parts: list[str], for_whom: str | None) -> Parsed:
    """`text`: the normalized answer, its parts joined by CLAUSE_BREAK; `parts`: the parts."""
    # A count per period is read before the options' words: "once or twice a week" is not "once or twice".
    counted = amounts.frequency_spans(text) if q.unit in ("per_week", "days_of_14") else []
    found = scan(q, for_whom, text, read_first=counted)
    if _unclear(q, found):
        return INVALID  # "benzos and opiates": not read in part
    values = _values(q, found, text, parts)
    if values is None:
        return INVALID
    if not found.values and not values and (typo := _fuzzy_value(q, for_whom, text)):
        values = {typo}
    if not values:
        unknown = any(value == UNKNOWN for value, _ in found.values)
        return Parsed("unknown", UNKNOWN, catalog().unknown_label) if unknown and q.allows_unknown(for_whom) else INVALID
    if q.kind == "multi":
        return ok(q, [o.value for o in q.options if o.value in values], for_whom)
    return ok(q, values.pop(), for_whom) if len(values) == 1 else INVALID


def _unclear(q: Question, found: Found) -> bool:
    """A word that may mean several options ("opiates", "pills") and is not explained by one of them named
    beside it (answer_words.yml unclear)."""
    named = {value for value, kind in found.values if kind == EXPLICIT}
    for word, means in ((words().raw.get("unclear") or {}).get(q.id) or {}).items():
        phrase = norm(str(word))
        for match in phrase_re(phrase).finditer(found.rest):
            if not negated(found.rest, match.start(), phrase) and not named & set(means):
                return True
    return False


def _values(q: Question, found: Found, text: str, parts: list[str]) -> set[str] | None:
    """The option values the reply gives, or None when what it says disagrees or is not enough to pick one."""
    by_kind: dict[str, list[str]] = {}
    for value, kind in found.values:
        by_kind.setdefault(kind, []).append(value)
    number = _from_numbers(q, found.rest)
    if number == CONFLICT:
        return None  # "9am to 5pm", "in my 20s": more than one option
    named = {v for v in [*by_kind.get(EXPLICIT, []), number, relation(q, found.rest)] if v and v != UNKNOWN}
    general = {v for kind in (GENERIC, HEDGE, STOPPED) for v in by_kind.get(kind, []) if v and v != UNKNOWN}
    if not named:  # "no fever": a no; "no fever but my arm is swollen": the sign named wins
        general |= set(by_kind.get(NEGATED, []))
    window = _in_window(q, text)
    if q.window_days and STOPPED in by_kind:
        if window in (None, STRADDLES):
            return None  # "I quit": when? (or the time said is on the window's edge)
        # "not anymore", "I used to inject": about now, or naming what stopped; the time said decides.
        general, named = set(), named - {yes_no_values(q)[0]}
    elif window == STRADDLES:
        return None
    said = messages.permission_value(parts) if messages.asks_permissions(q.id) else None
    if said == messages.UNCLEAR:
        return None  # "no texts": and voicemail?
    if said:
        return {said}  # each of voicemail and texts said OK or not is what counts
    if q.asks_ok and named:
        general = set()  # "yes, texts only", "ok but change my phone": the option named is the answer
    for winner, losers in ((words().raw.get("outranks") or {}).get(q.id) or {}).items():
        if winner in named:  # "Anthem Medicaid": the plan type, not the company
            named -= set(losers)
    values = named | general | ({window} if window else set())
    if values and all(yes_no_values(q)) and has(words().phrases("doubt"), text):
        return None  # "a little nauseous but i think thats from something i ate"
    return values


def _fuzzy_value(q: Question, for_whom: str | None, text: str) -> str | None:
    """One option a typo names ("femal", "medicade"); explicit words only."""
    own_words = {phrase: value for phrase, value, kind in table(q.id, for_whom) if kind == EXPLICIT}
    values = {own_words[phrase] for phrase in closest(text, own_words)}
    return values.pop() if len(values) == 1 else None
