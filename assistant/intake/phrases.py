"""The phrases of a reply: each option's labels and synonyms (questions.yml) and the words of every
answer (answer_words.yml) found as whole words, longest first, each with what it says.

A negated option ("no benzos") counts as no answer for it (for a yes/no question, "no fever" is a no); one
only wished for, past or pending ("I'd like to try suboxone") is left out; a plain yes or no inside a
sentence ("...when I have a panic attack") is no answer. What they add up to is for choices.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from assistant.intake.questions import UNKNOWN, Question, catalog, question
from assistant.intake.words import CLAUSE_BREAK, blank, has, norm, phrase_re, words

# Kinds of phrase: an option's own words, plain yes/no/"don't know", a hedged yes, past use ("I quit"),
# an option's words negated ("no fever": a no to a yes/no question), words that are no answer here.
EXPLICIT, GENERIC, HEDGE, STOPPED, NEGATED, IGNORED = "explicit", "generic", "hedge", "stopped", "negated", "ignored"


@dataclass(frozen=True)
class Found:
    values: list[tuple[str, str]]  # (value, kind) in text order
    rest: str  # the text the phrases did not use


def yes_no_values(q: Question) -> tuple[str | None, str | None]:
    """The options a plain yes and a plain no pick."""
    def meaning(means: str) -> str | None:
        return next((o.value for o in q.options if (o.means or (o.value if o.value in ("yes", "no") else None))
                     == means), None)
    return meaning("yes"), meaning("no")


@cache
def table(question_id: str, for_whom: str | None, generic: bool = True) -> tuple[tuple[str, str, str], ...]:
    """(normalized phrase, value, kind) for one question on one path, longest phrase first.

    Explicit labels and synonyms win over the generic phrases.
    """
    q = question(question_id)
    general: dict[str, tuple[str, str]] = {}
    if generic:
        not_sure = q.option("not_sure")
        for phrase in words().phrases("unknown"):
            general[phrase] = (not_sure.value if not_sure else UNKNOWN, GENERIC)
        yes, no = yes_no_values(q)
        kinds: list[tuple[str, str | None, str]] = [("yes", yes, GENERIC), ("no", no, GENERIC), ("hedged_yes", yes, HEDGE)]
        if q.asks_ok:
            kinds.append(("agree", yes, GENERIC))
        if yes and no:  # "not anymore" is a no; for a time window, past use says to look at the time
            kinds.append(("no_longer", "" if q.window_days else no, STOPPED))
            if q.window_days:
                kinds.append(("past_use", "", STOPPED))
        for key, meaning, kind in kinds:
            if meaning is not None:
                for phrase in words().phrases(key):
                    general.setdefault(phrase, (meaning, kind))
    explicit: dict[str, str] = {}
    for opt in q.options:
        for name in (opt.label, opt.label_loved_one, *opt.synonyms):
            key = norm(name or "")
            if key and explicit.setdefault(key, opt.value) != opt.value:
                raise ValueError(f"{question_id}: '{key}' is listed under {explicit[key]} and {opt.value}")
    if relation_value := (words().raw.get("relation_option") or {}).get(question_id):
        _add_relations(explicit, relation_value)
    if q.allows_unknown(for_whom) and generic:
        explicit[norm(catalog().unknown_label)] = UNKNOWN
    ignored = {norm(str(p)): ("", IGNORED) for p in (words().raw.get("not_answers") or {}).get(question_id) or ()}
    merged = {**general, **ignored, **{k: (v, EXPLICIT) for k, v in explicit.items()}}
    return tuple(sorted(((k, v, kind) for k, (v, kind) in merged.items()), key=lambda item: (-len(item[0]), item[0])))


@cache
def _relation_re() -> re.Pattern:
    relations = "|".join(re.escape(r) for r in sorted(words().phrases("relations"), key=len, reverse=True))
    owners = "|".join(re.escape(o) for o in words().phrases("relation_owners"))
    return re.compile(rf"(?<!\S)(?:{owners})\s+(?:\S+\s+){{0,3}}(?:{relations})s?(?!\S)")


def relation(q: Question, rest: str) -> str | None:
    """"my 19 year old son": the option a relation picks (answer_words.yml relation_option)."""
    value = (words().raw.get("relation_option") or {}).get(q.id)
    return value if value and _relation_re().search(rest) else None


def _add_relations(explicit: dict[str, str], value: str) -> None:
    """"my nephew", "I'm his mom": the question is about someone else (answer_words.yml relations)."""
    for relation in words().phrases("relations"):
        for frame in words().raw["relation_frames"]:
            explicit.setdefault(norm(frame.format(relation)), value)


def _negation(text: str, start: int, phrase: str) -> int | None:
    """Where a negation just before the phrase starts ("no benzos", "not in the morning"); None if there is
    none (or the phrase itself starts with one)."""
    if phrase.split()[0] in words().words("negations") | words().words("clause_starts"):
        return None
    gap, negations = words().words("negation_gap"), words().words("negations")
    position = start
    for word in reversed(text[:start].split()[-4:]):
        position = text.rindex(word, 0, position)
        if word in negations:
            return position
        if word not in gap:
            return None
    return None


def negated(text: str, start: int, phrase: str) -> bool:
    return _negation(text, start, phrase) is not None


@cache
def _not_now(question_id: str) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
    """(words, option values or None for all) of answer_words.yml not_now_before for the question."""
    config = (words().raw.get("not_now_before") or {}).get(question_id) or {}
    options = config.get("options")
    return tuple(norm(str(w)) for w in config.get("words") or ()), tuple(options) if options else None


def _not_had_now(question_id: str, value: str, text: str, start: int, phrase: str) -> bool:
    """"I'd like to try suboxone", "I was on suboxone", "applied for medicaid": wished for, past or
    pending, not had now. The option's own first words count too ("was *on suboxone*")."""
    not_now, options = _not_now(question_id)
    if not not_now or (options is not None and value not in options):
        return False
    clause = text[:start].rsplit(CLAUSE_BREAK, 1)[-1]  # "no, medicaid": the "no" is another part's
    window = clause.split()[-4:] + phrase.split()[:-1]
    return has(not_now, " ".join(window))


def _at_clause_start(text: str, start: int) -> bool:
    """Only lead-ins ("honestly", "lol") between the start of the reply's part and `start`."""
    before = text[:start].rsplit(CLAUSE_BREAK, 1)[-1].strip()
    lead_ins = words().phrases("lead_ins")
    while before:
        for lead in sorted(lead_ins, key=len, reverse=True):
            if before == lead or before.startswith(lead + " "):
                before = before[len(lead):].strip()
                break
        else:
            return False
    return True


def _says_something_else(text: str, end: int, phrase: str) -> bool:
    """"I have" / "they did" going on as something else ("I have to go", "I did my best")."""
    if phrase not in words().phrases("yes") or phrase.split()[0] not in words().words("pronoun_yes_starts"):
        return False
    after = text[end:].split()
    return bool(after) and after[0] != CLAUSE_BREAK and after[0] not in words().words("yes_goes_on")


def _in_a_range(text: str, start: int, phrase: str) -> bool:
    """"3-4 times a week" holds "4 times a week": a phrase starting with a number right after another."""
    before = text[:start].split()[-2:]
    return phrase[0].isdigit() and bool(before) and (before[-1].isdigit() or (
        len(before) == 2 and before[0].isdigit() and before[1] in ("or", "to")))


def scan(q: Question, for_whom: str | None, text: str, generic: bool = True,
         read_first: list[tuple[int, int]] | None = None) -> Found:
    """The option values named in normalized `text`, in text order, and the text left over.

    `read_first`: spans already read as numbers ("once or twice a week"), not read again as words.
    """
    taken: list[tuple[int, int]] = list(read_first or [])
    found: list[tuple[int, str, str]] = []
    negators: set[int] = set()  # where a "no" only negates an option ("no fever"): it is no answer itself
    yes, no = yes_no_values(q)
    for phrase, value, kind in table(q.id, for_whom, generic):
        for match in phrase_re(phrase).finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            if (kind == GENERIC and _says_something_else(text, end, phrase)) or _in_a_range(text, start, phrase):
                continue
            if kind in (GENERIC, HEDGE) and value != UNKNOWN and not _at_clause_start(text, start):
                continue  # "I only take xanax when I have a panic attack": no "I have"
            if start in negators and " " not in phrase:
                continue
            taken.append((start, end))
            # "no, I'm not": a no said twice is still a no; only other options are negated.
            negation = _negation(text, start, phrase) if kind in (EXPLICIT, HEDGE) and value != no else None
            if negation is not None:
                negators.add(negation)
                if value == yes and no is not None:  # "no fever": a no, unless another sign is named
                    found.append((start, no, NEGATED))
            elif kind != IGNORED and (kind != EXPLICIT or not _not_had_now(q.id, value, text, start, phrase)):
                found.append((start, value, kind))
    phrases_taken = taken[len(read_first or []):]  # what was read first is left for the numbers
    return Found([(value, kind) for _, value, kind in sorted(found)], blank(text, phrases_taken))


def one_option(question_id: str, text: str, min_length: int = 5) -> str | None:
    """The single option named in normalized `text` by its own words (plain yes/no does not count),
    leaving out one-word synonyms shorter than `min_length` ("am", "any", "now"): too common in other sentences."""
    values: set[str] = set()
    for phrase, value, _ in table(question_id, None, generic=False):
        if " " in phrase or len(phrase) >= min_length:
            values.update(value for m in phrase_re(phrase).finditer(text) if not negated(text, m.start(), phrase))
    return values.pop() if len(values) == 1 else None
