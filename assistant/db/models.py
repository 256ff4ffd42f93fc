"""The tables of the records database, in one metadata (migrations/env.py compares it with the migrations)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any, get_args

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import declarative_base, relationship

from assistant.intake.submission import LEVELS, ForWhom

STATUSES = ("new", "contacted", "scheduled", "closed", "no_answer")
# Stored next to the level, so the queue sorts by an integer (0 = URGENT) without a CASE.
PRIORITY_RANK = {level: rank for rank, level in enumerate(LEVELS)}
CHANNELS = ("smtp", "webhook")
NOTIFICATION_STATUSES = ("pending", "sent", "failed")
# A notification is about exactly one thing: a call-back request or a crisis event (migration 0005 has the same text).
SUBJECT_CHECK = "(request_id IS NULL) <> (crisis_event_id IS NULL)"
ACCESS_ACTIONS = (
    "list", "export", "show", "set-status", "notifications", "deliver", "crises", "transcript", "review-crisis",
    "user-add", "user-list", "user-disable", "user-password",  # `intake users ...`: the account in AccessLog.account
)  # fmt: skip
STAFF_ROLES = ("coordinator", "clinician", "admin")

# Named constraints, so migrations are the same on SQLite and PostgreSQL.
# Any: SQLAlchemy 1.4 ships no type information, and a type checker cannot see a class returned by a call.
Base: Any = declarative_base(
    metadata=MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        }
    )
)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class UtcDateTime(TypeDecorator):
    """Aware UTC datetimes in and out (SQLite keeps no offset, so it would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware one")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _one_of(column: str, values: Iterable[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class CrisisEvent(Base):
    """A crisis path the assistant entered, for staff review (see 42 CFR 2.51)."""

    __tablename__ = "crisis_events"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    kind = Column(String(32), nullable=False)  # suicide | overdose | medical
    detected_by = Column(String(64), nullable=False)  # rule:<name> | model | button
    created_at = Column(UtcDateTime, nullable=False, default=utc_now)
    reviewed_at = Column(UtcDateTime, nullable=True)
    reviewed_by = Column(String(255), nullable=True)  # the OS user who ran `intake review-crisis`
    reviewed_on_behalf_of = Column(String(255), nullable=True)  # a name they gave (--by, --staff): not verified

    notifications = relationship("Notification", order_by="Notification.id", back_populates="crisis_event")


class CallbackRequest(Base):
    """One finished pre-assessment: who to call, how, and how soon."""

    __tablename__ = "callback_requests"
    __table_args__ = (
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        CheckConstraint(_one_of("priority", LEVELS), name="priority"),
        CheckConstraint(_one_of("for_whom", get_args(ForWhom)), name="for_whom"),
        Index("ix_callback_requests_queue", "priority_rank", "created_at"),
    )

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False, unique=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    status = Column(String(16), nullable=False, default="new", index=True)
    priority = Column(String(8), nullable=False)
    priority_rank = Column(Integer, nullable=False)  # PRIORITY_RANK of priority
    for_whom = Column(String(16), nullable=False)
    first_name = Column(String(100), nullable=False)
    phone_e164 = Column(String(20), nullable=False)
    best_time = Column(String(255), nullable=False)
    voicemail_ok = Column(Boolean, nullable=True)
    text_ok = Column(Boolean, nullable=True)
    callback_window = Column(String(255), nullable=False)
    crisis_flag = Column(Boolean, nullable=False)
    same_day = Column(Boolean, nullable=False)
    triage_reasons = Column(Text, nullable=False)  # JSON list of strings
    consent_notice_version = Column(String(32), nullable=False)
    consent_at = Column(UtcDateTime, nullable=False)
    created_at = Column(UtcDateTime, nullable=False, default=utc_now)
    updated_at = Column(UtcDateTime, nullable=False, default=utc_now, onupdate=utc_now)

    answers = relationship("IntakeAnswer", order_by="IntakeAnswer.position", back_populates="request")
    scores = relationship("ScreeningScore", order_by="ScreeningScore.id", back_populates="request")
    notifications = relationship("Notification", order_by="Notification.id", back_populates="request")
    status_changes = relationship("StatusChange", order_by="StatusChange.id", back_populates="request")

    @property
    def reasons(self) -> list[str]:
        return json.loads(self.triage_reasons)


class IntakeAnswer(Base):
    __tablename__ = "intake_answers"

    id = Column(Integer, primary_key=True)
    request_id = Column(Integer, ForeignKey("callback_requests.id"), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    question_id = Column(String(64), nullable=False)
    value = Column(Text, nullable=False)  # JSON: option value, list of values or free text
    label = Column(Text, nullable=False)
    asam_dimension = Column(String(8), nullable=True)

    request = relationship("CallbackRequest", back_populates="answers")

    @property
    def parsed_value(self) -> Any:
        return json.loads(self.value)


class ScreeningScore(Base):
    __tablename__ = "screening_scores"

    id = Column(Integer, primary_key=True)
    request_id = Column(Integer, ForeignKey("callback_requests.id"), nullable=False, index=True)
    instrument = Column(String(32), nullable=False)
    score = Column(Integer, nullable=True)
    max_score = Column(Integer, nullable=True)
    positive = Column(Boolean, nullable=True)
    detail = Column(Text, nullable=False)

    request = relationship("CallbackRequest", back_populates="scores")


class Notification(Base):
    """Outbox: one staff notification per target for a request or a crisis alert, retried until sent or given up."""

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(_one_of("channel", CHANNELS), name="channel"),
        CheckConstraint(_one_of("status", NOTIFICATION_STATUSES), name="status"),
        CheckConstraint(SUBJECT_CHECK, name="subject"),
        Index("ix_notifications_due", "status", "next_attempt_at"),
    )

    id = Column(Integer, primary_key=True)
    request_id = Column(Integer, ForeignKey("callback_requests.id"), nullable=True, index=True)
    crisis_event_id = Column(Integer, ForeignKey("crisis_events.id"), nullable=True, index=True)
    channel = Column(String(16), nullable=False)
    target = Column(String(255), nullable=False)  # where to, for staff: never a secret
    status = Column(String(16), nullable=False, default="pending")
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(UtcDateTime, nullable=False, default=utc_now)
    last_error = Column(String(255), nullable=True)  # error class and reason, never message content
    created_at = Column(UtcDateTime, nullable=False, default=utc_now)
    delivered_at = Column(UtcDateTime, nullable=True)

    request = relationship("CallbackRequest", back_populates="notifications")
    crisis_event = relationship("CrisisEvent", back_populates="notifications")

    @property
    def kind(self) -> str:
        return "crisis" if self.crisis_event_id is not None else "request"


class StatusChange(Base):
    __tablename__ = "status_changes"

    id = Column(Integer, primary_key=True)
    request_id = Column(Integer, ForeignKey("callback_requests.id"), nullable=False, index=True)
    from_status = Column(String(16), nullable=True)  # NULL: the request was created
    to_status = Column(String(16), nullable=False)
    changed_by = Column(String(255), nullable=False)  # "assistant", or the OS user who ran `intake set-status`
    on_behalf_of = Column(String(255), nullable=True)  # a name they gave (--by, --staff): not verified
    changed_at = Column(UtcDateTime, nullable=False, default=utc_now)

    request = relationship("CallbackRequest", back_populates="status_changes")


class AccessLog(Base):
    """Who saw or changed which request, and when (HIPAA audit controls, 45 CFR 164.312(b))."""

    __tablename__ = "access_log"
    __table_args__ = (CheckConstraint(_one_of("action", ACCESS_ACTIONS), name="action"),)

    id = Column(Integer, primary_key=True)
    who = Column(String(255), nullable=False)  # the OS user the command ran as
    on_behalf_of = Column(String(255), nullable=True)  # a name they gave (--staff, $INTAKE_STAFF, --by): not verified
    action = Column(String(16), nullable=False)
    reference = Column(String(16), nullable=True, index=True)  # NULL: nothing request-specific
    conversation_id = Column(String(255), nullable=True, index=True)  # set when a transcript or crisis was seen
    account = Column(String(64), nullable=True, index=True)  # the staff account a `users` command acted on
    at = Column(UtcDateTime, nullable=False, default=utc_now)


class StaffUser(Base):
    """A staff login for the console: role, argon2id password hash, and the state of its sign-ins."""

    __tablename__ = "staff_users"
    __table_args__ = (
        CheckConstraint(_one_of("role", STAFF_ROLES), name="role"),
        # Stored lower-cased, so the plain unique constraint is case-insensitive on every database.
        CheckConstraint("username = lower(username)", name="username_lower"),
    )

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    role = Column(String(16), nullable=False)
    password_hash = Column(String(255), nullable=False)  # argon2id, PHC string: parameters and salt included
    disabled = Column(Boolean, nullable=False, default=False)
    created_at = Column(UtcDateTime, nullable=False, default=utc_now)
    password_changed_at = Column(UtcDateTime, nullable=False, default=utc_now)
    failed_logins = Column(Integer, nullable=False, default=0)  # since the last good one: for the login lockout
    locked_until = Column(UtcDateTime, nullable=True)
    totp_secret = Column(String(64), nullable=True)  # base32, once the second factor is set up


class SmsNumber(Base):
    """A phone number that texted the SMS channel: its opt-out, the privacy notice and the options last offered."""

    __tablename__ = "sms_numbers"

    phone = Column(String(32), primary_key=True)  # Twilio's From (E.164): the conversation id on SMS
    opted_out = Column(Boolean, nullable=False, default=False)
    opted_out_at = Column(UtcDateTime, nullable=True)  # the last opt-out (kept after a START, as a record)
    opted_in_at = Column(UtcDateTime, nullable=True)  # the last START after an opt-out
    privacy_notice_at = Column(UtcDateTime, nullable=True)  # told that texts are not private on shared phones
    offered_options = Column(Text, nullable=True)  # JSON {"1": payload}: the options of the last reply
    updated_at = Column(UtcDateTime, nullable=False, default=utc_now, onupdate=utc_now)


class SmsMessage(Base):
    """An inbound SMS, by Twilio's MessageSid: a retried webhook gets the same answer, not a second turn."""

    __tablename__ = "sms_messages"

    message_sid = Column(String(64), primary_key=True)
    received_at = Column(UtcDateTime, nullable=False, default=utc_now)
    answered_at = Column(UtcDateTime, nullable=True, index=True)  # NULL: still being answered
    # The TwiML answered (the bot's reply, also in the tracker store's transcript); NULL after sms_state.SMS_REPLY_RETENTION.
    reply_twiml = Column(Text, nullable=True)
