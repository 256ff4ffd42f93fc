"""Call-back requests: a finished pre-assessment stored whole, the queue staff work from, and status changes."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql import Select

from assistant.db.engine import open_session
from assistant.db.models import (
    PRIORITY_RANK,
    STATUSES,
    CallbackRequest,
    IntakeAnswer,
    ScreeningScore,
    StatusChange,
    utc_now,
)
from assistant.db.outbox import NotificationTarget, queued
from assistant.intake.due import due_at
from assistant.intake.submission import Submission

# No 0/O, 1/I/L, U/V: read aloud or typed from a phone screen without doubt.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
REFERENCE_LENGTH = 6


def new_reference() -> str:
    return "CB-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def normalize_reference(reference: str) -> str:
    reference = reference.strip().upper()
    return reference if reference.startswith("CB-") else f"CB-{reference}"


def save_callback_request(submission: Submission, targets: Iterable[NotificationTarget], url: str | None = None) -> str:
    """Store the request, its answers and scores and one pending notification per target: all or nothing."""
    now = utc_now()
    with open_session(url) as session, session.begin():
        reference = new_reference()
        # 29**6 = 595 million references: a clash is rare, the unique index still guards it.
        while session.scalar(select(CallbackRequest.id).where(CallbackRequest.reference == reference)) is not None:
            reference = new_reference()
        request = CallbackRequest(
            reference=reference,
            conversation_id=submission.conversation_id,
            status="new",
            priority=submission.triage.level,
            priority_rank=PRIORITY_RANK[submission.triage.level],
            for_whom=submission.for_whom,
            first_name=submission.first_name,
            phone_e164=submission.phone_e164,
            best_time=submission.best_time,
            voicemail_ok=submission.voicemail_ok,
            text_ok=submission.text_ok,
            callback_window=submission.callback_window,
            crisis_flag=submission.crisis_flag,
            same_day=submission.same_day,
            triage_reasons=json.dumps(list(submission.triage.reasons)),
            consent_notice_version=submission.consent_notice_version,
            consent_at=submission.consent_at,
            created_at=now,
            updated_at=now,
            due_at=submission.due_at or due_at(submission.triage.level, now),
        )
        request.answers = [
            IntakeAnswer(
                position=position,
                question_id=answer.question_id,
                value=json.dumps(answer.value),
                label=answer.label,
                asam_dimension=answer.asam_dimension,
            )
            for position, answer in enumerate(submission.answers)
        ]
        request.scores = [ScreeningScore(**asdict(score)) for score in submission.scores]
        request.status_changes = [StatusChange(from_status=None, to_status="new", changed_by="assistant", changed_at=now)]
        request.notifications = queued(targets, now)
        session.add(request)
    return reference


def _with_details(query: Select) -> Select:
    return query.options(
        selectinload(CallbackRequest.answers),
        selectinload(CallbackRequest.scores),
        selectinload(CallbackRequest.notifications),
        selectinload(CallbackRequest.status_changes),
        selectinload(CallbackRequest.notes),
    )


def list_callbacks(status: str | None = None, url: str | None = None) -> list[CallbackRequest]:
    """Most urgent first, then oldest first, with answers, scores, notifications and history loaded."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r}: one of {', '.join(STATUSES)}")
    query = _with_details(select(CallbackRequest)).order_by(
        CallbackRequest.priority_rank, CallbackRequest.created_at, CallbackRequest.id
    )
    if status is not None:
        query = query.where(CallbackRequest.status == status)
    with open_session(url) as session:
        return list(session.scalars(query))


def get_callback(reference: str, url: str | None = None) -> CallbackRequest | None:
    query = _with_details(select(CallbackRequest)).where(CallbackRequest.reference == normalize_reference(reference))
    with open_session(url) as session:
        return session.scalar(query)


def set_status(reference: str, status: str, changed_by: str, url: str | None = None,
               on_behalf_of: str | None = None) -> StatusChange | None:
    """Move a request to `status` and record who did it; None when the reference is unknown."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}: one of {', '.join(STATUSES)}")
    with open_session(url) as session, session.begin():
        request = session.scalar(
            select(CallbackRequest).where(CallbackRequest.reference == normalize_reference(reference)).with_for_update()
        )
        if request is None:
            return None
        change = StatusChange(from_status=request.status, to_status=status, changed_by=changed_by,
                              on_behalf_of=on_behalf_of, changed_at=utc_now())
        request.status = status
        request.status_changes.append(change)
    return change
