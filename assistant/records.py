"""Records kept for staff, through SQLAlchemy: SQLite by default, PostgreSQL in production.

Set ASSISTANT_DATABASE_URL (e.g. postgresql://user@host/db); the default is a
SQLite file under var/. Message text is never stored here: the transcript
stays in Rasa's tracker store, and staff open it from the conversation id.
The schema is owned by the Alembic migrations in migrations/; engine_for()
brings a database to the latest revision the first time a process opens it.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

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
    create_engine,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, declarative_base, relationship, selectinload

from assistant.private_files import secure_sqlite, sqlite_path

if TYPE_CHECKING:
    from assistant.intake.submission import Submission

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'assistant.db'}"
MIGRATIONS = PROJECT_ROOT / "migrations"
SCHEMA_REVISION = "0006"  # the newest file in migrations/versions (a test checks)

STATUSES = ("new", "contacted", "scheduled", "closed", "no_answer")
PRIORITY_RANK = {"URGENT": 0, "HIGH": 1, "ROUTINE": 2}
CHANNELS = ("smtp", "webhook")
NOTIFICATION_STATUSES = ("pending", "sent", "failed")
# A notification is about exactly one thing: a call-back request or a crisis event (migration 0005 has the same text).
SUBJECT_CHECK = "(request_id IS NULL) <> (crisis_event_id IS NULL)"
DEFAULT_CRISIS_ALERT_WINDOW = timedelta(minutes=30)
ACCESS_ACTIONS = ("list", "export", "show", "set-status", "notifications", "deliver", "crises", "transcript", "review-crisis")
# No 0/O, 1/I/L, U/V: read aloud or typed from a phone screen without doubt.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
REFERENCE_LENGTH = 6
# Twilio retries a webhook within minutes; after a day the reply text is dropped, the MessageSid kept.
SMS_REPLY_RETENTION = timedelta(days=1)

# Named constraints, so migrations are the same on SQLite and PostgreSQL.
Base = declarative_base(
    metadata=MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        }
    )
)


def _now() -> datetime:
    return datetime.now(timezone.utc)


class UtcDateTime(TypeDecorator):
    """Aware UTC datetimes in and out (SQLite keeps no offset, so it would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware one")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
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
    created_at = Column(UtcDateTime, nullable=False, default=_now)
    reviewed_at = Column(UtcDateTime, nullable=True)
    reviewed_by = Column(String(255), nullable=True)  # the OS user who ran `intake review-crisis`
    reviewed_on_behalf_of = Column(String(255), nullable=True)  # a name they gave (--by, --staff): not verified

    notifications = relationship("Notification", order_by="Notification.id", back_populates="crisis_event")


class CallbackRequest(Base):
    """One finished pre-assessment: who to call, how, and how soon."""

    __tablename__ = "callback_requests"
    __table_args__ = (
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        CheckConstraint(_one_of("priority", PRIORITY_RANK), name="priority"),
        CheckConstraint(_one_of("for_whom", ("self", "loved_one")), name="for_whom"),
        Index("ix_callback_requests_queue", "priority_rank", "created_at"),
    )

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False, unique=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    status = Column(String(16), nullable=False, default="new", index=True)
    priority = Column(String(8), nullable=False)
    priority_rank = Column(Integer, nullable=False)  # 0 = URGENT: sorts without a CASE
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
    created_at = Column(UtcDateTime, nullable=False, default=_now)
    updated_at = Column(UtcDateTime, nullable=False, default=_now, onupdate=_now)

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
    def parsed_value(self):
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
    next_attempt_at = Column(UtcDateTime, nullable=False, default=_now)
    last_error = Column(String(255), nullable=True)  # error class and reason, never message content
    created_at = Column(UtcDateTime, nullable=False, default=_now)
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
    changed_at = Column(UtcDateTime, nullable=False, default=_now)

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
    at = Column(UtcDateTime, nullable=False, default=_now)


class SmsNumber(Base):
    """A phone number that texted the SMS channel: its opt-out, the privacy notice and the options last offered."""

    __tablename__ = "sms_numbers"

    phone = Column(String(32), primary_key=True)  # Twilio's From (E.164): the conversation id on SMS
    opted_out = Column(Boolean, nullable=False, default=False)
    opted_out_at = Column(UtcDateTime, nullable=True)  # the last opt-out (kept after a START, as a record)
    opted_in_at = Column(UtcDateTime, nullable=True)  # the last START after an opt-out
    privacy_notice_at = Column(UtcDateTime, nullable=True)  # told that texts are not private on shared phones
    offered_options = Column(Text, nullable=True)  # JSON {"1": payload}: the options of the last reply
    updated_at = Column(UtcDateTime, nullable=False, default=_now, onupdate=_now)


class SmsMessage(Base):
    """An inbound SMS, by Twilio's MessageSid: a retried webhook gets the same answer, not a second turn."""

    __tablename__ = "sms_messages"

    message_sid = Column(String(64), primary_key=True)
    received_at = Column(UtcDateTime, nullable=False, default=_now)
    answered_at = Column(UtcDateTime, nullable=True, index=True)  # NULL: still being answered
    # The TwiML answered (the bot's reply, also in the tracker store's transcript); NULL after SMS_REPLY_RETENTION.
    reply_twiml = Column(Text, nullable=True)


class NotificationTarget(Protocol):
    channel: str
    target: str


def database_url() -> str:
    return os.environ.get("ASSISTANT_DATABASE_URL") or DEFAULT_URL


def migrate(url: str) -> None:
    """`alembic upgrade head` on this database (engine_for does it once per process and URL)."""
    engine = _engine(url)
    try:
        _upgrade(engine)
    finally:
        engine.dispose()


def _upgrade(engine: Engine) -> None:
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several processes start at once in production: one migrates, the others wait.
            connection.execute(text("SELECT pg_advisory_xact_lock(7270313)"))
        tables = set(inspect(connection).get_table_names())
        # Up to date, the usual case: no need to load alembic (a third of a second, and log lines).
        if "alembic_version" in tables and connection.scalar(text("SELECT version_num FROM alembic_version")) == SCHEMA_REVISION:
            return
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        if "crisis_events" in tables and "alembic_version" not in tables:
            # Created by create_all before the migrations existed: it is revision 0001.
            command.stamp(config, "0001")
        command.upgrade(config, "head")


def _engine(url: str) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        secure_sqlite(path)  # owner-only: requests, answers and crisis events (and a file left readable is fixed)
    # hide_parameters: a failed statement's error message must not carry names or phone numbers.
    return create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True)


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    engine = _engine(url)
    _upgrade(engine)
    return engine


def _session(url: str | None) -> Session:
    return Session(engine_for(url or database_url()), expire_on_commit=False)


def record_crisis_event(conversation_id: str, kind: str, detected_by: str, targets: Iterable[NotificationTarget] = (),
                        alert_window: timedelta = DEFAULT_CRISIS_ALERT_WINDOW, url: str | None = None) -> int:
    """Store a crisis event and, in the same transaction, one pending staff alert per target.

    No new alert when one was queued for this conversation within alert_window:
    a crisis often spans several messages, and staff need one alert to open it.
    """
    now = _now()
    with _session(url) as session, session.begin():
        event = CrisisEvent(conversation_id=conversation_id, kind=kind, detected_by=detected_by, created_at=now)
        targets = list(targets)
        if targets and not _alerted_since(session, conversation_id, now - alert_window):
            event.notifications = [
                Notification(channel=t.channel, target=t.target, status="pending", attempts=0, next_attempt_at=now,
                             created_at=now)
                for t in targets
            ]
        session.add(event)
        session.flush()
        return event.id


def _alerted_since(session: Session, conversation_id: str, since: datetime) -> bool:
    query = (
        select(Notification.id)
        .join(CrisisEvent, Notification.crisis_event_id == CrisisEvent.id)
        .where(CrisisEvent.conversation_id == conversation_id, CrisisEvent.created_at >= since)
        .limit(1)
    )
    return session.scalar(query) is not None


def crisis_events(url: str | None = None, unreviewed_only: bool = False,
                  conversation_id: str | None = None) -> list[CrisisEvent]:
    """Newest first."""
    with _session(url) as session:
        query = select(CrisisEvent).order_by(CrisisEvent.created_at.desc(), CrisisEvent.id.desc())
        if unreviewed_only:
            query = query.where(CrisisEvent.reviewed_at.is_(None))
        if conversation_id is not None:
            query = query.where(CrisisEvent.conversation_id == conversation_id)
        return list(session.scalars(query))


def crises_for_review(unreviewed_only: bool = False, url: str | None = None) -> list[tuple[CrisisEvent, str | None]]:
    """Crisis events, newest first, each with the reference of its conversation's call-back request (or None)."""
    # Newest request when a conversation has several: its status is the one staff act on.
    reference = (
        select(CallbackRequest.reference)
        .where(CallbackRequest.conversation_id == CrisisEvent.conversation_id)
        .order_by(CallbackRequest.created_at.desc(), CallbackRequest.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    query = select(CrisisEvent, reference).order_by(CrisisEvent.created_at.desc(), CrisisEvent.id.desc())
    if unreviewed_only:
        query = query.where(CrisisEvent.reviewed_at.is_(None))
    with _session(url) as session:
        return [(event, ref) for event, ref in session.execute(query)]


def get_crisis_event(event_id: int, url: str | None = None) -> CrisisEvent | None:
    with _session(url) as session:
        return session.get(CrisisEvent, event_id)


def review_crisis(event_id: int, reviewed_by: str, url: str | None = None,
                  on_behalf_of: str | None = None) -> tuple[CrisisEvent, bool] | None:
    """Mark a crisis event reviewed: (the event, whether this call did it); None when the id is unknown.

    A second review keeps the first reviewer and time.
    """
    with _session(url) as session, session.begin():
        # One conditional UPDATE: of two staff reviewing at once, exactly one is recorded.
        result = session.execute(
            update(CrisisEvent)
            .where(CrisisEvent.id == event_id, CrisisEvent.reviewed_at.is_(None))
            .values(reviewed_at=_now(), reviewed_by=reviewed_by, reviewed_on_behalf_of=on_behalf_of)
            .execution_options(synchronize_session=False)
        )
        event = session.get(CrisisEvent, event_id)
        return None if event is None else (event, result.rowcount == 1)


def new_reference() -> str:
    return "CB-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def normalize_reference(reference: str) -> str:
    reference = reference.strip().upper()
    return reference if reference.startswith("CB-") else f"CB-{reference}"


def save_callback_request(submission: Submission, targets: Iterable[NotificationTarget], url: str | None = None) -> str:
    """Store the request, its answers and scores and one pending notification per target: all or nothing."""
    now = _now()
    with _session(url) as session, session.begin():
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
        request.notifications = [
            Notification(channel=t.channel, target=t.target, status="pending", attempts=0, next_attempt_at=now, created_at=now)
            for t in targets
        ]
        session.add(request)
    return reference


def _with_details(query):
    return query.options(
        selectinload(CallbackRequest.answers),
        selectinload(CallbackRequest.scores),
        selectinload(CallbackRequest.notifications),
        selectinload(CallbackRequest.status_changes),
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
    with _session(url) as session:
        return list(session.scalars(query))


def get_callback(reference: str, url: str | None = None) -> CallbackRequest | None:
    query = _with_details(select(CallbackRequest)).where(CallbackRequest.reference == normalize_reference(reference))
    with _session(url) as session:
        return session.scalar(query)


def set_status(reference: str, status: str, changed_by: str, url: str | None = None,
               on_behalf_of: str | None = None) -> StatusChange | None:
    """Move a request to `status` and record who did it; None when the reference is unknown."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}: one of {', '.join(STATUSES)}")
    with _session(url) as session, session.begin():
        request = session.scalar(
            select(CallbackRequest).where(CallbackRequest.reference == normalize_reference(reference)).with_for_update()
        )
        if request is None:
            return None
        change = StatusChange(from_status=request.status, to_status=status, changed_by=changed_by,
                              on_behalf_of=on_behalf_of, changed_at=_now())
        request.status = status
        request.status_changes.append(change)
    return change


def _notifications(url: str | None, *conditions, order_by) -> list[Notification]:
    query = (
        select(Notification)
        .outerjoin(CallbackRequest, Notification.request_id == CallbackRequest.id)
        .options(selectinload(Notification.request), selectinload(Notification.crisis_event))
        .where(*conditions)
        .order_by(*order_by)
    )
    with _session(url) as session:
        return list(session.scalars(query))


def pending_notifications(now: datetime, url: str | None = None) -> list[Notification]:
    """Pending notifications due at `now`: crisis alerts first, then the most urgent request first."""
    return _notifications(
        url,
        Notification.status == "pending",
        Notification.next_attempt_at <= now,
        # False sorts before True on SQLite and PostgreSQL alike.
        order_by=(Notification.crisis_event_id.is_(None), CallbackRequest.priority_rank, Notification.next_attempt_at,
                  Notification.id),
    )


def notifications(undelivered_only: bool = False, url: str | None = None) -> list[Notification]:
    """All notifications, newest first; undelivered ones are pending or given up (failed)."""
    conditions = (Notification.status != "sent",) if undelivered_only else ()
    return _notifications(url, *conditions, order_by=(Notification.created_at.desc(), Notification.id.desc()))


def undelivered_notifications(url: str | None = None) -> list[Notification]:
    return notifications(undelivered_only=True, url=url)


def claim_notification(notification_id: int, now: datetime, lease: timedelta, url: str | None = None) -> bool:
    """Take a due notification for one sender: pushes its next attempt past the lease, atomically.

    Two senders (the worker and an `intake deliver`) never send the same one twice;
    a sender that dies mid-send leaves it to be retried when the lease ends.
    """
    with _session(url) as session, session.begin():
        result = session.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.status == "pending", Notification.next_attempt_at <= now)
            .values(next_attempt_at=now + lease)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1


def record_attempt(
    notification_id: int, now: datetime, error: str | None = None, retry_at: datetime | None = None, url: str | None = None
) -> None:
    """One delivery attempt: sent when error is None, else pending until retry_at, or failed without one."""
    with _session(url) as session, session.begin():
        notification = session.get(Notification, notification_id, with_for_update=True)
        notification.attempts += 1
        if error is None:
            notification.status, notification.delivered_at, notification.last_error = "sent", now, None
        else:
            notification.last_error = error[:255]
            if retry_at is None:
                notification.status = "failed"
            else:
                notification.next_attempt_at = retry_at


def log_access(who: str, action: str, references: Iterable[str | None] = (None,), url: str | None = None,
               on_behalf_of: str | None = None) -> None:
    """One audit row per request seen (or one with no reference), in one transaction."""
    log_access_rows(who, action, [(reference, None) for reference in references], url=url, on_behalf_of=on_behalf_of)


def log_access_rows(who: str, action: str, seen: Iterable[tuple[str | None, str | None]], url: str | None = None,
                    on_behalf_of: str | None = None) -> None:
    """One audit row per (request reference, conversation id) seen, in one transaction (committed on return)."""
    now = _now()
    with _session(url) as session, session.begin():
        session.add_all(
            AccessLog(who=who, on_behalf_of=on_behalf_of, action=action, reference=reference,
                      conversation_id=conversation_id, at=now)
            for reference, conversation_id in seen
        )


def access_log(url: str | None = None) -> list[AccessLog]:
    with _session(url) as session:
        return list(session.scalars(select(AccessLog).order_by(AccessLog.id)))


# --- SMS channel state (channels/sms.py) -------------------------------------------


@dataclass(frozen=True)
class SmsState:
    opted_out: bool = False
    privacy_noticed: bool = False
    offered: dict[str, str] | None = None  # option key -> payload, from the last reply


def sms_state(phone: str, url: str | None = None) -> SmsState:
    with _session(url) as session:
        number = session.get(SmsNumber, phone)
    if number is None:
        return SmsState()
    offered = json.loads(number.offered_options) if number.offered_options else None
    return SmsState(number.opted_out, number.privacy_notice_at is not None, offered)


def claim_sms_message(message_sid: str, url: str | None = None) -> bool:
    """True for the first delivery of `message_sid`; False when it was seen before (a retry)."""
    try:
        with _session(url) as session, session.begin():
            session.add(SmsMessage(message_sid=message_sid, received_at=_now()))
    except IntegrityError:
        return False
    return True


def sms_answer(message_sid: str, url: str | None = None) -> tuple[bool, str | None]:
    """(answered yet, the TwiML answered); the TwiML is None once dropped after SMS_REPLY_RETENTION."""
    with _session(url) as session:
        message = session.get(SmsMessage, message_sid)
    return (message is not None and message.answered_at is not None), (message.reply_twiml if message else None)


def finish_sms_message(message_sid: str, phone: str, reply_twiml: str, *, opted_out: bool | None = None,
                       offered: dict[str, str] | None = None, privacy_noticed: bool = False,
                       url: str | None = None) -> None:
    """Store the answer to a claimed message and the number's new state, in one transaction.

    `opted_out` None leaves consent as it is; `offered` None keeps the options
    offered before (a HELP in the middle of a question keeps its numbers); {} clears them.
    """
    now = _now()
    for attempt in (1, 2):
        try:
            with _session(url) as session, session.begin():
                message = session.get(SmsMessage, message_sid, with_for_update=True)
                message.answered_at, message.reply_twiml = now, reply_twiml
                number = session.get(SmsNumber, phone, with_for_update=True)
                if number is None:
                    number = SmsNumber(phone=phone, opted_out=False, updated_at=now)
                    session.add(number)
                if opted_out is True:
                    number.opted_out, number.opted_out_at = True, now
                elif opted_out is False:
                    number.opted_out, number.opted_in_at = False, now
                if offered is not None:
                    number.offered_options = json.dumps(offered) if offered else None
                if privacy_noticed and number.privacy_notice_at is None:
                    number.privacy_notice_at = now
                session.execute(
                    update(SmsMessage)
                    .where(SmsMessage.answered_at < now - SMS_REPLY_RETENTION, SmsMessage.reply_twiml.is_not(None))
                    .values(reply_twiml=None)
                    .execution_options(synchronize_session=False)
                )
            return
        except IntegrityError:
            # A first message from this number answered at the same moment by another worker: read its row again.
            if attempt == 2:
                raise
