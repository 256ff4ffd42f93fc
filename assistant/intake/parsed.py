"""What the parser makes of a reply (Parsed), and the label a stored value is read by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberFormat

from assistant.intake.places import STATES
from assistant.intake.questions import SKIPPED, UNKNOWN, Question, as_question, catalog


@dataclass(frozen=True)
class Parsed:
    status: str  # "ok" | "skip" | "unknown" | "invalid" | "ask_count" (label: what to ask instead)
    value: Any = None  # option value, list of values, E.164 phone, name, state code, text, "skipped" or "unknown"
    label: str = ""  # what the person and staff read
    also: tuple[tuple[str, Parsed], ...] = ()  # other answers in the same text: a name given with the phone number
    asks: bool = False  # the reply also asks a question ("yes but will they tell my job?")


INVALID = Parsed("invalid")


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


def ok(q: Question, value: Any, for_whom: str | None) -> Parsed:
    return Parsed("ok", value, label_for(q, value, for_whom))
