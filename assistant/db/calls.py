"""What the staff console does with call-back requests: the queue, "I'm calling", call outcomes and notes.

Each change writes its access-log row (audit.append) in its own transaction:
both commit or neither does. A change starts with an UPDATE of the request's
row, which takes its row lock on PostgreSQL and the write lock on SQLite (the
SQLite driver opens a transaction only at the first write, so a read before it
would not be protected): what is read after it cannot change before the commit.

Statuses (assistant/db/models.py STATUSES), as the console works them:
- open (OPEN_STATUSES, the queue by default): new, no_answer, unable_to_reach,
  contacted (reached, but nothing booked or closed yet);
- done: scheduled, closed;
- overdue: past due_at and nobody reached yet (UNREACHED_STATUSES).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import false, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from assistant.center import current_center
from assistant.db import audit
from assistant.db.audit import Seen
from assistant.db.callbacks import REFERENCE_ALPHABET, REFERENCE_LENGTH, normalize_reference
from assistant.db.engine import open_session
from assistant.db.models import PRIORITY_RANK, STATUSES, CallbackRequest, RequestNote, StatusChange, utc_now
from assistant.intake.due import due_config
from assistant.intake.submission import LEVELS

OPEN_STATUSES = ("new", "no_answer", "unable_to_reach", "contacted")
UNREACHED_STATUSES = ("new", "no_answer", "unable_to_reach")
# The status each outcome leaves a request in (unanswered calls: unable_to_reach from the limit on).
OUTCOME_STATUS = {
    "reached": "contacted",
    "left_voicemail": "no_answer",
    "no_answer": "no_answer",
    "wrong_number": "unable_to_reach",
    "scheduled": "scheduled",
    "referred": "closed",
    "not_interested": "closed",
    "closed": "closed",
}
OUTCOMES = tuple(OUTCOME_STATUS)
CALL_OUTCOMES = ("reached", "left_voicemail", "no_answer", "wrong_number")  # a call was made: attempts + 1
UNANSWERED_OUTCOMES = ("left_voicemail", "no_answer")  # unanswered_attempts + 1
NOTE_MAX_CHARS = 4000
SEARCH_MAX_CHARS = 100
PER_PAGE_MAX = 200
NEWEST_URGENT_MAX = 50
REFERENCE_SEARCH = re.compile(rf"(?:CB[-\s]?)?([{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}})", re.IGNORECASE)
PHONE_SEARCH = re.compile(r"[\d\s()+.\-]*\d[\d\s()+.\-]*")


class CallError(ValueError):
    """A change that cannot be made; the message is safe to show staff (a reference or a username, no PHI)."""


class RequestNotFound(CallError):
    pass


class ClaimedByOther(CallError):
    def __init__(self, reference: str, holder: str) -> None:
        super().__init__(f"{holder} is calling about {reference} now.")
        self.holder = holder


@dataclass(frozen=True)
class QueueRow:
    id: int
    reference: str
    priority: str
    first_name: str
    for_whom: str
    created_at: datetime
    due_at: datetime | None
    overdue: bool  # past due_at and nobody reached yet
    status: str
    claimed_by: str | None
    claimed_at: datetime | None
    voicemail_ok: bool | None
    text_ok: bool | None
    crisis_flag: bool
    same_day: bool
    attempts: int


@dataclass(frozen=True)
class QueuePage:
    rows: tuple[QueueRow, ...]
    total: int  # rows matching, on every page
    page: int  # 1-based, within 1..pages
    pages: int
    per_page: int
    last_id: int  # the newest request's id as read: poll newest_urgent(after_id=last_id)


@dataclass(frozen=True)
class NewRequest:
    id: int
    reference: str
    created_at: datetime


@dataclass(frozen=True)
class ClaimResult:
    won: bool  # False: someone else is calling (claimed_by)
    claimed_by: str
    claimed_at: datetime


@dataclass(frozen=True)
class OutcomeResult:
    reference: str
    status: str
    attempts: int
    unanswered_attempts: int


@dataclass(frozen=True)
class Note:
    reference: str
    author: str
    note: str
    at: datetime


QUEUE_COLUMNS = (
    CallbackRequest.id, CallbackRequest.reference, CallbackRequest.priority, CallbackRequest.first_name,
    CallbackRequest.for_whom, CallbackRequest.created_at, CallbackRequest.due_at, CallbackRequest.status,
    CallbackRequest.claimed_by, CallbackRequest.claimed_at, CallbackRequest.voicemail_ok, CallbackRequest.text_ok,
    CallbackRequest.crisis_flag, CallbackRequest.same_day, CallbackRequest.attempts,
)  # fmt: skip


def queue_page(*, statuses: list[str] | None = None, levels: list[str] | None = None, created_from: date | None = None,
               created_to: date | None = None, search: str | None = None, page: int = 1, per_page: int = 50,
               now: datetime | None = None, url: str | None = None) -> QueuePage:
    """URGENT first, then the soonest due, then the oldest.

    statuses: None for OPEN_STATUSES, empty for any; levels: None or empty for any.
    created_from / created_to: days in the center's time zone, both included.
    search: a reference ("CB-ABC234", "abc234"), phone digits in any format (the
    end of the number), or the start of a first name (any case).
    now: the moment `overdue` is judged at (default: now).
    """
    now = now or utc_now()
    where = _filters(statuses, levels, created_from, created_to, search)
    per_page = min(max(per_page, 1), PER_PAGE_MAX)
    order = (CallbackRequest.priority_rank, CallbackRequest.due_at, CallbackRequest.created_at, CallbackRequest.id)
    with open_session(url) as session:
        total = session.scalar(select(func.count()).select_from(CallbackRequest).where(*where)) or 0
        pages = max(1, math.ceil(total / per_page))
        page = min(max(page, 1), pages)
        found = session.execute(select(*QUEUE_COLUMNS).where(*where).order_by(*order)
                                .limit(per_page).offset((page - 1) * per_page))
        rows = tuple(QueueRow(**row._mapping, overdue=_overdue(row.due_at, row.status, now)) for row in found)
        last_id = session.scalar(select(func.max(CallbackRequest.id))) or 0
    return QueuePage(rows, total, page, pages, per_page, last_id)


def _overdue(due: datetime | None, status: str, now: datetime) -> bool:
    return due is not None and due < now and status in UNREACHED_STATUSES


def _filters(statuses: list[str] | None, levels: list[str] | None, created_from: date | None,
             created_to: date | None, search: str | None) -> list[ColumnElement]:
    statuses = list(OPEN_STATUSES) if statuses is None else statuses
    if unknown := sorted(set(statuses) - set(STATUSES)) + sorted(set(levels or ()) - set(LEVELS)):
        raise CallError(f"Unknown status or priority: {', '.join(unknown)}.")
    where: list[ColumnElement] = []
    if statuses:
        where.append(CallbackRequest.status.in_(statuses))
    if levels:
        where.append(CallbackRequest.priority_rank.in_([rank for level, rank in PRIORITY_RANK.items() if level in levels]))
    if created_from is not None:
        where.append(CallbackRequest.created_at >= _local_midnight(created_from))
    if created_to is not None and created_to < date.max:  # up to the last day there is: no end
        where.append(CallbackRequest.created_at < _local_midnight(created_to + timedelta(days=1)))
    if search and search.strip():
        where.append(_search(search.strip()[:SEARCH_MAX_CHARS]))
    return where


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(current_center().timezone)).astimezone(timezone.utc)


def _search(text: str) -> ColumnElement:
    matches = []
    if reference := REFERENCE_SEARCH.fullmatch(text):
        matches.append(CallbackRequest.reference == f"CB-{reference[1].upper()}")
    if PHONE_SEARCH.fullmatch(text):
        # Phones are stored E.164 (+15550104477): typed digits match its end, with or without the country code;
        # leading zeros are a trunk or international prefix (07700 900123, 0044...), never part of E.164.
        digits = re.sub(r"\D", "", text)
        matches.append(CallbackRequest.phone_e164.like("%" + (digits.lstrip("0") or digits)))
    if any(char.isalpha() for char in text):
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        matches.append(CallbackRequest.first_name.ilike(escaped + "%", escape="\\"))
    return or_(*matches) if matches else false()


def newest_urgent(after_id: int = 0, url: str | None = None) -> list[NewRequest]:
    """URGENT requests stored after `after_id` (QueuePage.last_id), oldest first: what the queue page polls."""
    query = (select(CallbackRequest.id, CallbackRequest.reference, CallbackRequest.created_at)
             .where(CallbackRequest.id > after_id, CallbackRequest.priority_rank == PRIORITY_RANK["URGENT"])
             .order_by(CallbackRequest.id).limit(NEWEST_URGENT_MAX))
    with open_session(url) as session:
        return [NewRequest(*row) for row in session.execute(query)]


def claim(reference: str, username: str, address: str | None, url: str | None = None) -> ClaimResult:
    """Staff says "I'm calling": one conditional UPDATE, so of two claiming at once exactly one wins."""
    reference, username, now = normalize_reference(reference), _staff(username), utc_now()
    free_or_mine = or_(CallbackRequest.claimed_by.is_(None), CallbackRequest.claimed_by == username)
    with open_session(url) as session, session.begin():
        won = session.execute(
            update(CallbackRequest).where(CallbackRequest.reference == reference, free_or_mine)
            .values(claimed_by=username, claimed_at=now).execution_options(synchronize_session=False)
        ).rowcount == 1
        holder = session.execute(select(CallbackRequest.claimed_by, CallbackRequest.claimed_at)
                                 .where(CallbackRequest.reference == reference)).one_or_none()
        if holder is None:
            raise RequestNotFound(f"No request {reference}.")
        detail = "claimed" if won else f"refused: {holder.claimed_by} is calling"
        audit.append(session, username, "claim", [Seen(reference=reference)], address=address, detail=detail)
    return ClaimResult(won, holder.claimed_by, holder.claimed_at)


def release(reference: str, username: str, address: str | None, may_override: bool = False,
            url: str | None = None) -> bool:
    """Give up a claim: the holder's, or anyone's with may_override (an admin). False: nobody held it."""
    reference, username = normalize_reference(reference), _staff(username)
    with open_session(url) as session, session.begin():
        request = _locked(session, reference)
        holder = request.claimed_by
        if holder is None:
            return False
        if holder != username and not may_override:
            raise ClaimedByOther(reference, holder)
        request.claimed_by = request.claimed_at = None
        detail = "released" if holder == username else f"released {holder}'s claim"
        audit.append(session, username, "release", [Seen(reference=reference)], address=address, detail=detail)
    return True


def record_outcome(reference: str, outcome: str, username: str, address: str | None,
                   scheduled_for: date | None = None, note: str | None = None, url: str | None = None) -> OutcomeResult:
    """What came of a call (OUTCOMES): the status it leads to (OUTCOME_STATUS), the attempt counts, the claim released.

    "scheduled" needs the assessment's date, today or later; an optional note is added with it.
    """
    reference, username = normalize_reference(reference), _staff(username)
    if outcome not in OUTCOME_STATUS:
        raise CallError(f"Unknown outcome {outcome!r}: one of {', '.join(OUTCOMES)}.")
    if (outcome == "scheduled") != (scheduled_for is not None):
        raise CallError("Give the assessment date with the outcome scheduled, and only with it.")
    if scheduled_for is not None and scheduled_for < utc_now().astimezone(ZoneInfo(current_center().timezone)).date():
        raise CallError("The assessment date is in the past.")
    text = _note_text(note) if note is not None and note.strip() else None
    now = utc_now()
    with open_session(url) as session, session.begin():
        request = _locked(session, reference)
        if request.claimed_by not in (None, username):
            raise ClaimedByOther(reference, request.claimed_by)
        request.attempts += int(outcome in CALL_OUTCOMES)
        request.unanswered_attempts += int(outcome in UNANSWERED_OUTCOMES)
        status = OUTCOME_STATUS[outcome]
        if outcome in UNANSWERED_OUTCOMES and request.unanswered_attempts >= due_config().unanswered_limit:
            status = "unable_to_reach"  # for a person to review
        session.add(StatusChange(request_id=request.id, from_status=request.status, to_status=status,
                                 changed_by=username, changed_at=now, outcome=outcome, scheduled_for=scheduled_for))
        detail = f"{outcome}: {request.status} -> {status}"
        request.status, request.claimed_by, request.claimed_at = status, None, None
        audit.append(session, username, "outcome", [Seen(reference=reference)], address=address, detail=detail)
        if text is not None:
            _add_note(session, request, username, text, now, address)
    return OutcomeResult(reference, status, request.attempts, request.unanswered_attempts)


def add_note(reference: str, username: str, text: str, address: str | None, url: str | None = None) -> Note:
    """Append a staff note (notes are never changed or deleted)."""
    reference, username, text = normalize_reference(reference), _staff(username), _note_text(text)
    now = utc_now()
    with open_session(url) as session, session.begin():
        _add_note(session, _locked(session, reference), username, text, now, address)
    return Note(reference, username, text, now)


def _add_note(session: Session, request: CallbackRequest, username: str, text: str, now: datetime,
              address: str | None) -> None:
    session.add(RequestNote(request_id=request.id, author=username, note=text, at=now))
    audit.append(session, username, "note", [Seen(reference=request.reference)], address=address,
                 detail=f"{len(text)} characters")


def _locked(session: Session, reference: str) -> CallbackRequest:
    """The request, its row locked for this transaction (see the module's docstring)."""
    touched = session.execute(
        update(CallbackRequest).where(CallbackRequest.reference == reference)
        .values(updated_at=CallbackRequest.updated_at).execution_options(synchronize_session=False)
    ).rowcount
    request = session.scalar(select(CallbackRequest).where(CallbackRequest.reference == reference)) if touched else None
    if request is None:
        raise RequestNotFound(f"No request {reference}.")
    return request


def _note_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise CallError("The note is empty.")
    if len(text) > NOTE_MAX_CHARS:
        raise CallError(f"A note can be at most {NOTE_MAX_CHARS} characters; this one has {len(text)}.")
    return text


def _staff(username: str) -> str:
    username = username.strip()
    if not username or len(username) > 64:
        raise CallError("No staff account given.")
    return username
