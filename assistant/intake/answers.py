"""Free text or a tapped button -> an answer value: `parse`, what the form's validation calls for every reply.

Whatever the person typed is only data: it is matched against known phrases,
never evaluated or formatted into anything else. A reply that cannot be read
with confidence is INVALID (the form asks again); a wrong value is never stored.
The words are data: questions.yml (each option's labels and synonyms),
answer_words.yml (yes, no, skip, numbers, time...) and places.yml (states).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from assistant.intake.choices import option_labels, parse_choice
from assistant.intake.clauses import split_reply
from assistant.intake.contact import normalize_phone, parse_name, split_name_and_phone, split_phone
from assistant.intake.corrections import detect_correction
from assistant.intake.parsed import INVALID, Parsed, label_for, ok
from assistant.intake.phrases import one_option
from assistant.intake.places import STATES, parse_state
from assistant.intake.questions import SKIPPED, UNKNOWN, Question, as_question, buttons_for, catalog, question
from assistant.intake.words import CLAUSE_BREAK, blank, find, norm, phrase_re, words

__all__ = ["INVALID", "STATES", "Parsed", "detect_correction", "label_for", "normalize_phone", "parse",
           "parse_name", "parse_state", "split_name_and_phone"]

MAX_FREE_TEXT = 200


@lru_cache(maxsize=1)
def _skip_re() -> re.Pattern:
    def alternation(key: str) -> str:
        return "|".join(re.escape(p) for p in sorted(words().phrases(key), key=len, reverse=True))

    return re.compile(rf"^(?:(?:{alternation('skip_before')})\s+)*(?:{alternation('skip')})"
                      rf"(?:\s+(?:{alternation('skip_after')}))*$")


def _only(text: str, key: str) -> bool:
    """`text` is one of the phrases of `key`, give or take fillers ("lol idk", "umm not sure")."""
    fillers = words().words("fillers")
    spans = [(start, end) for start, end, _ in find(words().phrases(key), text)]
    return bool(spans) and all(w in fillers for w in blank(text, spans).split())


def parse(q: Question | str, text: str, for_whom: str | None) -> Parsed:
    """The answer `text` gives to question `q`, for the person themself or a family member (`for_whom`)."""
    q = as_question(q)
    raw = (text or "").strip()
    if q.skippable and _skip_re().match(norm(raw)):  # "can we skip this?" asks to skip: no question to set aside
        assert q.skip_label is not None  # a skippable question has one (questions._question)
        return Parsed("skip", SKIPPED, q.skip_label)
    reply = split_reply(raw)
    answer = norm(reply.answer)
    if not answer:
        return INVALID  # nothing, or only a question ("is this confidential?")
    parsed = _parse(q, raw, reply.answer, answer, for_whom)
    return Parsed(parsed.status, parsed.value, parsed.label, parsed.also, True) if reply.asks else parsed


def _parse(q: Question, raw: str, answer_raw: str, answer: str, for_whom: str | None) -> Parsed:
    if q.skippable and _skip_re().match(answer):
        assert q.skip_label is not None  # a skippable question has one (questions._question)
        return Parsed("skip", SKIPPED, q.skip_label)
    if q.ask_count_for and any(phrase_re(norm(word)).search(answer) for word in q.ask_count_for):
        return Parsed("ask_count", None, q.ask_count_text or "")  # "a bottle": no count of drinks
    if q.kind in ("single", "multi", "confirm"):
        labels = option_labels(q, answer, for_whom)  # "6": the sixth button, as if tapped
        if labels and len(labels) == 1:
            return parse(q, labels[0], for_whom)
        if labels:
            answer_raw = ", ".join(labels)
        parts = [p for p in (norm(part) for part in re.split(r"[,.;!?\n]+", answer_raw)) if p]
        return parse_choice(q, f" {CLAUSE_BREAK} ".join(parts), parts, for_whom)
    buttons = buttons_for(q, for_whom)  # "Skip", "I don't know": their numbers work as for options
    if answer.isdigit() and 1 <= int(answer) <= len(buttons):
        return parse(q, buttons[int(answer) - 1][1], for_whom)
    if q.allows_unknown(for_whom) and (_only(answer, "unknown") or answer == norm(catalog().unknown_label)):
        return Parsed("unknown", UNKNOWN, catalog().unknown_label)
    if q.kind == "phone":
        return _phone(q, raw, for_whom)
    if q.kind == "name":
        return _name(raw, for_whom)
    if q.kind == "state":
        code = parse_state(raw)
        return ok(q, code, for_whom) if code else INVALID
    return _free_text(raw, answer)


def _best_time(rest: str, for_whom: str | None) -> tuple[tuple[str, Parsed], ...]:
    """A time to call said with a number or a name ("702-463-2294 mornings", "Chris, evenings"); not short
    words that say other things next to a number ("call me now", "am")."""
    best_time = one_option("intake_best_time", norm(rest))
    return (("intake_best_time", ok(question("intake_best_time"), best_time, for_whom)),) if best_time else ()


def _phone(q: Question, raw: str, for_whom: str | None) -> Parsed:
    """The number, with a first name and a time to call given with it ("Sam, 702-463-2294 mornings")."""
    rest, phone = split_phone(raw)
    if phone is None:
        return INVALID
    name = parse_name(rest, most=1)  # next to a number, one word that is no other word: "it's a google voice" is none
    also = _best_time(rest, for_whom) + ((("intake_name", Parsed("ok", name, name)),) if name else ())
    return Parsed("ok", phone, label_for(q, phone, for_whom), also)


def _name(raw: str, for_whom: str | None) -> Parsed:
    """The name, with a phone number or a time to call given with it ("Nico, text me at 7024632295")."""
    rest, phone = split_phone(raw)
    name = parse_name(rest)
    if not name:
        return INVALID
    also = (("intake_phone", ok(question("intake_phone"), phone, None)),) if phone else ()
    return Parsed("ok", name, name, also + _best_time(rest, for_whom))


def _free_text(raw: str, answer: str) -> Parsed:
    """The text itself, unless it says nothing ("huh?", "what")."""
    if _only(answer, "no_answer") or all(w in words().words("fillers") for w in answer.split()):
        return INVALID
    cleaned = " ".join("".join(ch for ch in raw if unicodedata.category(ch) != "Cc").split())
    return Parsed("ok", cleaned, cleaned) if 0 < len(cleaned) <= MAX_FREE_TEXT else INVALID
