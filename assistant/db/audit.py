"""The access log: which requests and conversations each staff command saw or changed, committed before it shows them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from assistant.db.engine import open_session
from assistant.db.models import AccessLog, utc_now


def log_access(who: str, action: str, references: Iterable[str | None] = (None,), url: str | None = None,
               on_behalf_of: str | None = None, account: str | None = None) -> None:
    """One audit row per request seen (or one with no reference), in one transaction."""
    log_access_rows(who, action, [(reference, None) for reference in references], url=url, on_behalf_of=on_behalf_of,
                    account=account)


def log_access_rows(who: str, action: str, seen: Iterable[tuple[str | None, str | None]], url: str | None = None,
                    on_behalf_of: str | None = None, account: str | None = None) -> None:
    """One audit row per (request reference, conversation id) seen, in one transaction (committed on return).

    account: the staff account a `users` command acted on (never its password).
    """
    now = utc_now()
    with open_session(url) as session, session.begin():
        session.add_all(
            AccessLog(who=who, on_behalf_of=on_behalf_of, action=action, reference=reference,
                      conversation_id=conversation_id, account=account, at=now)
            for reference, conversation_id in seen
        )


def access_log(url: str | None = None) -> list[AccessLog]:
    with open_session(url) as session:
        return list(session.scalars(select(AccessLog).order_by(AccessLog.id)))
