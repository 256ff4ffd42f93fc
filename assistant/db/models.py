"""The tables of the records database, in one metadata (migrations/env.py compares it with the migrations)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any, get_args

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import declarative_base, relationship

from assistant.intake.submission import LEVELS, ForWhom

# unable_to_reach: UNANSWERED_LIMIT call attempts went unanswered; a person reviews it (assistant/db/calls.py).
STATUSES = ("new", "contacted", "scheduled", "closed", "no_answer", "unable_to_reach")
# Stored next to the level, so the queue sorts by an integer (0 = URGENT) without a CASE.
PRIORITY_RANK = {level: rank for rank, level in enumerate(LEVELS)}
CHANNELS = ("smtp", "webhook")
NOTIFICATION_STATUSES = ("pending", "sent", "failed")
# A notification is about exactly one thing: a call-back request or a crisis event (migration 0005 has the same text).
SUBJECT_CHECK = "(request_id IS NULL) <> (crisis_event_id IS NULL)"
STAFF_ROLES = ("coordinator", "clinician", "admin")
REPLY_FLAG_KINDS = ("wrong", "unsafe")

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
    review_note = Column(Text, nullable=True)  # the reviewing clinician's note (console)

    notifications = relationship("Notification", order_by="Notification.id", back_populates="crisis_event")


class CallbackRequest(Base):
    """One finished pre-assessment: who to call, how, and how soon."""

    __tablename__ = "callback_requests"
    __table_args__ = (
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        CheckConstraint(_one_of("priority", LEVELS), name="priority"),
        CheckConstraint(_one_of("for_whom", get_args(ForWhom)), name="for_whom"),
        Index("ix_callback_requests_queue", "priority_rank", "created_at"),
        Index("ix_callback_requests_due", "priority_rank", "due_at"),
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
    # When staff should have called: the end of the triage window in the center's hours (assistant/intake/due.py).
    due_at = Column(UtcDateTime, nullable=True)
    claimed_by = Column(String(64), nullable=True)  # the staff account calling now ("I'm calling")
    claimed_at = Column(UtcDateTime, nullable=True)
    attempts = Column(Integer, nullable=False, default=0, server_default="0")  # calls recorded with an outcome
    unanswered_attempts = Column(Integer, nullable=False, default=0, server_default="0")

    answers = relationship("IntakeAnswer", order_by="IntakeAnswer.position", back_populates="request")
    scores = relationship("ScreeningScore", order_by="ScreeningScore.id", back_populates="request")
    notifications = relationship("Notification", order_by="Notification.id", back_populates="request")
    status_changes = relationship("StatusChange", order_by="StatusChange.id", back_populates="request")
    notes = relationship("RequestNote", order_by="RequestNote.id", back_populates="request")

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
    outcome = Column(String(32), nullable=True)  # the call's outcome (assistant/db/calls.py OUTCOMES); NULL: none given
    scheduled_for = Column(Date, nullable=True)  # the assessment date, for outcome "scheduled"

    request = relationship("CallbackRequest", back_populates="status_changes")


class RequestNote(Base):
    """A staff note on a request: append-only (no code updates or deletes one)."""

    __tablename__ = "request_notes"

    id = Column(Integer, primary_key=True)
    request_id = Column(Integer, ForeignKey("callback_requests.id"), nullable=False, index=True)
    author = Column(String(64), nullable=False)
    note = Column(Text, nullable=False)  # written by staff, never a visitor's message
    at = Column(UtcDateTime, nullable=False, default=utc_now)

    request = relationship("CallbackRequest", back_populates="notes")


class AccessLog(Base):
    """Who saw or changed what, when and from where (HIPAA audit controls, 45 CFR 164.312(b)).

    Append-only and hash-chained: each row_hash covers the row and the hash before it (assistant/db/audit.py).
    """

    __tablename__ = "access_log"

    id = Column(Integer, primary_key=True)
    who = Column(String(255), nullable=False)  # the staff account, or the OS user a plain `intake` ran as
    on_behalf_of = Column(String(255), nullable=True)  # a name they gave (--staff, $INTAKE_STAFF, --by): not verified
    action = Column(String(32), nullable=False)  # one of assistant/db/audit.py ACTIONS
    reference = Column(String(16), nullable=True, index=True)  # NULL: nothing request-specific
    conversation_id = Column(String(255), nullable=True, index=True)  # set when a transcript or crisis was seen
    account = Column(String(64), nullable=True, index=True)  # the staff account a `users` command acted on
    at = Column(UtcDateTime, nullable=False, default=utc_now)
    address = Column(String(64), nullable=True)  # the client's IP address (console), "local" for the command
    detail = Column(String(255), nullable=True)  # what, without PHI: a page, a status, an outcome, a setting
    row_hash = Column(String(64), nullable=True)


class AuditChainHead(Base):
    """The one row (id 1) with the last access_log row's hash: writers lock it, so the chain has no forks."""

    __tablename__ = "audit_chain_head"

    id = Column(Integer, primary_key=True)
    last_id = Column(Integer, nullable=True)
    last_hash = Column(String(64), nullable=False)


class ConversationTag(Base):
    __tablename__ = "conversation_tags"
    __table_args__ = (UniqueConstraint("conversation_id", "tag", name="uq_conversation_tags_conversation_tag"),)

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False)
    tag = Column(String(40), nullable=False, index=True)
    added_by = Column(String(64), nullable=False)
    at = Column(UtcDateTime, nullable=False, default=utc_now)


class ReplyFlag(Base):
    """An assistant reply staff flagged as wrong or unsafe, for whoever maintains the training data."""

    __tablename__ = "reply_flags"
    __table_args__ = (CheckConstraint(_one_of("kind", REPLY_FLAG_KINDS), name="kind"),)

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    event_id = Column(Integer, nullable=False)  # the reply's row in the tracker store's events table
    kind = Column(String(16), nullable=False)
    note = Column(Text, nullable=False)
    flagged_by = Column(String(64), nullable=False)
    at = Column(UtcDateTime, nullable=False, default=utc_now)


class StaffSession(Base):
    """A console sign-in, kept on the server: the cookie holds a random id, this table only its SHA-256."""

    __tablename__ = "staff_sessions"

    id_hash = Column(String(64), primary_key=True)
    username = Column(String(64), nullable=True)  # NULL until the password (and second factor) are through
    data = Column(Text, nullable=False)  # JSON: the CSRF token, the login step
    created_at = Column(UtcDateTime, nullable=False)
    last_seen_at = Column(UtcDateTime, nullable=False, index=True)


class StaffToken(Base):
    """A personal token made in the console: `intake` with $INTAKE_TOKEN acts as that account."""

    __tablename__ = "staff_tokens"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False)
    token_hash = Column(String(64), nullable=False, unique=True)  # SHA-256 of the token: the token is shown once
    label = Column(String(64), nullable=False)
    created_at = Column(UtcDateTime, nullable=False, default=utc_now)
    last_used_at = Column(UtcDateTime, nullable=True)
    revoked_at = Column(UtcDateTime, nullable=True)


class ConsoleSetting(Base):
    """A setting an admin changes in the console (e.g. require_totp), with who changed it last."""

    __tablename__ = "console_settings"

    key = Column(String(64), primary_key=True)
    value = Column(String(255), nullable=False)
    changed_by = Column(String(64), nullable=False)
    changed_at = Column(UtcDateTime, nullable=False, default=utc_now)


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
    totp_last_step = Column(BigInteger, nullable=True)  # the last code's time step: each code works once


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
