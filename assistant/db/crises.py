"""Crisis events: the crisis paths the assistant entered (with one staff alert per crisis), and their review by staff.

Only the kind of crisis and what detected it: never the message that did.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import ScalarSelect

from assistant.db import audit
from assistant.db.audit import Seen
from assistant.db.engine import open_session
from assistant.db.models import CallbackRequest, CrisisEvent, Notification, utc_now
from assistant.db.outbox import NotificationTarget, queued

DEFAULT_CRISIS_ALERT_WINDOW = timedelta(minutes=30)
MAX_REVIEW_NOTE = 4000


def record_crisis_event(conversation_id: str, kind: str, detected_by: str, targets: Iterable[NotificationTarget] = (),
                        alert_window: timedelta = DEFAULT_CRISIS_ALERT_WINDOW, url: str | None = None) -> int:
    """Store a crisis event and, in the same transaction, one pending staff alert per target.

    No new alert when one was queued for this conversation within alert_window:
    a crisis often spans several messages, and staff need one alert to open it.
    """
    now = utc_now()
    with open_session(url) as session, session.begin():
        event = CrisisEvent(conversation_id=conversation_id, kind=kind, detected_by=detected_by, created_at=now)
        targets = list(targets)
        if targets and not _alerted_since(session, conversation_id, now - alert_window):
            event.notifications = queued(targets, now)
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
    with open_session(url) as session:
        query = select(CrisisEvent).order_by(CrisisEvent.created_at.desc(), CrisisEvent.id.desc())
        if unreviewed_only:
            query = query.where(CrisisEvent.reviewed_at.is_(None))
        if conversation_id is not None:
            query = query.where(CrisisEvent.conversation_id == conversation_id)
        return list(session.scalars(query))


def _request_reference() -> ScalarSelect:
    # Newest request when a conversation has several: its status is the one staff act on.
    return (
        select(CallbackRequest.reference)
        .where(CallbackRequest.conversation_id == CrisisEvent.conversation_id)
        .order_by(CallbackRequest.created_at.desc(), CallbackRequest.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def crises_for_review(unreviewed_only: bool = False, url: str | None = None) -> list[tuple[CrisisEvent, str | None]]:
    """Crisis events, newest first, each with the reference of its conversation's call-back request (or None)."""
    query = select(CrisisEvent, _request_reference()).order_by(CrisisEvent.created_at.desc(), CrisisEvent.id.desc())
    if unreviewed_only:
        query = query.where(CrisisEvent.reviewed_at.is_(None))
    with open_session(url) as session:
        return [(event, ref) for event, ref in session.execute(query)]


def review_page(page: int = 1, per_page: int = 50,
                url: str | None = None) -> tuple[list[tuple[CrisisEvent, str | None]], int]:
    """One page of crises_for_review's rows, unreviewed first, then newest; and how many there are in all."""
    unreviewed_first = case((CrisisEvent.reviewed_at.is_(None), 0), else_=1)
    query = (select(CrisisEvent, _request_reference())
             .order_by(unreviewed_first, CrisisEvent.created_at.desc(), CrisisEvent.id.desc())
             .limit(per_page).offset((max(page, 1) - 1) * per_page))
    with open_session(url) as session:
        total = session.scalar(select(func.count(CrisisEvent.id))) or 0
        return [(event, ref) for event, ref in session.execute(query)], total


def get_crisis_event(event_id: int, url: str | None = None) -> CrisisEvent | None:
    with open_session(url) as session:
        return session.get(CrisisEvent, event_id)


def review_crisis(event_id: int, reviewed_by: str, url: str | None = None,
                  on_behalf_of: str | None = None) -> tuple[CrisisEvent, bool] | None:
    """Mark a crisis event reviewed: (the event, whether this call did it); None when the id is unknown.

    A second review keeps the first reviewer and time.
    """
    with open_session(url) as session, session.begin():
        return _review(session, event_id, reviewed_by, on_behalf_of=on_behalf_of)


def review_crisis_with_note(event_id: int, reviewed_by: str, note: str, *, address: str | None = None,
                            url: str | None = None) -> tuple[CrisisEvent, bool] | None:
    """The console's review: reviewer (the staff account) and note, committed with its audit row.

    Like review_crisis, a second review changes nothing (the first reviewer's note stays); it is audited still.
    """
    note = note.strip()[:MAX_REVIEW_NOTE]
    if not note:
        raise ValueError("a review needs a note")
    with open_session(url) as session, session.begin():
        reviewed = _review(session, event_id, reviewed_by, note=note)
        if reviewed is not None:
            event, recorded = reviewed
            # Not the note: staff text that may repeat what the person said.
            audit.append(session, reviewed_by, "review-crisis", [Seen(conversation_id=event.conversation_id)],
                         address=address, detail=f"crisis event {event_id}" + ("" if recorded else " (already reviewed)"))
        return reviewed


def _review(session: Session, event_id: int, reviewed_by: str, on_behalf_of: str | None = None,
            note: str | None = None) -> tuple[CrisisEvent, bool] | None:
    # One conditional UPDATE: of two staff reviewing at once, exactly one is recorded.
    result = session.execute(
        update(CrisisEvent)
        .where(CrisisEvent.id == event_id, CrisisEvent.reviewed_at.is_(None))
        .values(reviewed_at=utc_now(), reviewed_by=reviewed_by, reviewed_on_behalf_of=on_behalf_of, review_note=note)
        .execution_options(synchronize_session=False)
    )
    event = session.get(CrisisEvent, event_id)
    return None if event is None else (event, result.rowcount == 1)
