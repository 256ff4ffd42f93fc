"""What one finished pre-assessment hands to the records and the notifications.

The one definition of the priority levels: triage, the call-back promises and
the records (assistant/db/models.py, which ranks them for the queue) import them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal

ForWhom = Literal["self", "loved_one"]
Level = Literal["URGENT", "HIGH", "ROUTINE"]
LEVELS: tuple[Level, ...] = ("URGENT", "HIGH", "ROUTINE")  # most urgent first


@dataclass(frozen=True)
class Answer:
    question_id: str
    value: Any  # option value, list of values, free text, "skipped" or "unknown"
    label: str  # what staff read: the option label(s) or the text
    asam_dimension: str | None  # "D1".."D6", None for contact/consent


@dataclass(frozen=True)
class Score:
    instrument: str  # "AUDIT-C", "TAPS-1", "PHQ-2", "GAD-2", "C-SSRS"
    score: int | None  # None when not scorable (items skipped)
    max_score: int | None
    positive: bool | None
    detail: str  # one line for staff, e.g. "cut-off 3 (women) / 4 (men)"


@dataclass(frozen=True)
class Triage:
    level: Level
    reasons: tuple[str, ...]  # staff-facing, e.g. "positive suicide screen"


@dataclass(frozen=True)
class Submission:
    conversation_id: str
    for_whom: ForWhom
    first_name: str
    phone_e164: str
    best_time: str
    voicemail_ok: bool | None
    text_ok: bool | None
    answers: tuple[Answer, ...]
    scores: tuple[Score, ...]
    triage: Triage
    crisis_flag: bool  # positive suicide screen or a crisis path in this conversation
    same_day: bool  # staff must reach the person today
    consent_notice_version: str
    callback_window: str  # what the person was told, e.g. "today before 6 pm"
    consent_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    # When staff should have called (assistant/intake/due.py), from the moment of the promise; None: from when stored.
    due_at: datetime | None = None
