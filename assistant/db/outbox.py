"""The staff-notification outbox: rows queued with a request or a crisis event, sent by assistant/intake/notify.py.

A sender claims a due row before sending it, so two senders never send the
same one; each attempt is recorded: sent, pending until a retry time, or failed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from assistant.db.engine import open_session
from assistant.db.models import CallbackRequest, Notification


class NotificationTarget(Protocol):
    """Where to send: notify.Target, or any object with these two (read-only) attributes."""

    @property
    def channel(self) -> str: ...

    @property
    def target(self) -> str: ...


def queued(targets: Iterable[NotificationTarget], now: datetime) -> list[Notification]:
    """One pending notification per target, due now: attached to a request or crisis event, in its transaction."""
    return [
        Notification(channel=t.channel, target=t.target, status="pending", attempts=0, next_attempt_at=now, created_at=now)
        for t in targets
    ]


def _notifications(url: str | None, *conditions: Any, order_by: Iterable[Any]) -> list[Notification]:
    query = (
        select(Notification)
        .outerjoin(CallbackRequest, Notification.request_id == CallbackRequest.id)
        .options(selectinload(Notification.request), selectinload(Notification.crisis_event))
        .where(*conditions)
        .order_by(*order_by)
    )
    with open_session(url) as session:
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
    with open_session(url) as session, session.begin():
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
    with open_session(url) as session, session.begin():
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
