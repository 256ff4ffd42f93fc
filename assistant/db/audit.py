"""The access log: who saw or changed what, when and from where; committed before anything is shown.

Append-only and tamper-evident: each row's row_hash is SHA-256 over the hash of
the row before it and this row's fields, and audit_chain_head holds the last
hash. Writers update that head row first, which serializes them on SQLite
(the write lock) and PostgreSQL (the row lock): the chain never forks.
verify_chain() finds a changed, inserted or deleted row (`intake audit verify`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from assistant.db.engine import open_session
from assistant.db.models import AccessLog, AuditChainHead, utc_now

GENESIS = "0" * 64  # the hash "before" the first row (migration 0008 has the same)
CHAINED = ("id", "at", "who", "on_behalf_of", "action", "reference", "conversation_id", "account", "address", "detail")
ACTIONS = (
    # the `intake` command
    "list", "export", "show", "set-status", "notifications", "deliver", "crises", "transcript", "review-crisis",
    "user-add", "user-list", "user-disable", "user-password", "user-role", "user-enable", "audit-verify", "flagged",
    # the console
    "login", "login-failed", "login-locked", "logout", "logoff-idle", "totp-setup", "totp-failed", "totp-reset",
    "queue", "request", "claim", "release", "outcome", "note", "conversations", "conversation", "tag", "flag",
    "audit", "users", "settings", "setting", "token-create", "token-revoke", "token-use", "forbidden",
)  # fmt: skip


def _utc_text(at: datetime) -> str:
    at = at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at.astimezone(timezone.utc)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_hash(previous: str, row: AccessLog) -> str:
    fields = {name: (_utc_text(row.at) if name == "at" else getattr(row, name)) for name in CHAINED}
    return hashlib.sha256((previous + json.dumps(fields, sort_keys=True)).encode()).hexdigest()


@dataclass(frozen=True)
class Seen:
    """One thing an action saw or changed: a request, a conversation, an account; any may be None."""

    reference: str | None = None
    conversation_id: str | None = None
    account: str | None = None


def record(who: str, action: str, seen: Iterable[Seen] = (Seen(),), *, address: str | None = None,
           detail: str | None = None, on_behalf_of: str | None = None, url: str | None = None) -> None:
    """One chained row per thing seen, in one transaction (committed on return)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    with open_session(url) as session, session.begin():
        append(session, who, action, seen, address=address, detail=detail, on_behalf_of=on_behalf_of)


def append(session: Session, who: str, action: str, seen: Iterable[Seen] = (Seen(),), *, address: str | None = None,
           detail: str | None = None, on_behalf_of: str | None = None) -> None:
    """Within the caller's transaction: the audit rows commit with the change they record, or not at all."""
    # Take the head's lock before reading it: a concurrent writer waits here, then reads our hash.
    session.execute(update(AuditChainHead).where(AuditChainHead.id == 1).values(id=1))
    head = session.scalars(select(AuditChainHead).where(AuditChainHead.id == 1)).one()
    session.refresh(head)
    now = utc_now()
    items = list(seen)
    previous = head.last_hash
    rows = []
    # Ids first (the id is part of the hash), so the rows go in as one batch: a queue page sees 50 requests.
    for row_id, item in zip(_new_ids(session, len(items)), items, strict=True):
        row = AccessLog(id=row_id, who=who[:255], on_behalf_of=on_behalf_of, action=action, reference=item.reference,
                        conversation_id=item.conversation_id, account=item.account, at=now,
                        address=address, detail=(detail or None) and detail[:255])
        previous = row.row_hash = row_hash(previous, row)
        rows.append(row)
    if rows:
        session.add_all(rows)
        head.last_id, head.last_hash = rows[-1].id, previous
    session.flush()


def _new_ids(session: Session, count: int) -> list[int]:
    """The next `count` ids of access_log, in order; the caller holds the chain head's lock."""
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        query = text("SELECT nextval(pg_get_serial_sequence('access_log', 'id')) FROM generate_series(1, :n)")
        return sorted(session.scalars(query, {"n": count}))
    # SQLite: the head's UPDATE took the database's write lock, so nobody else adds a row meanwhile.
    last = session.scalar(select(func.coalesce(func.max(AccessLog.id), 0)))
    return list(range(last + 1, last + 1 + count))


def log_access(who: str, action: str, references: Iterable[str | None] = (None,), url: str | None = None,
               on_behalf_of: str | None = None, account: str | None = None) -> None:
    """The `intake` command's rows: one per request seen (or one with no reference)."""
    record(who, action, [Seen(reference, None, account) for reference in references], address="local",
           on_behalf_of=on_behalf_of, url=url)


def log_access_rows(who: str, action: str, seen: Iterable[tuple[str | None, str | None]], url: str | None = None,
                    on_behalf_of: str | None = None, account: str | None = None) -> None:
    """One row per (request reference, conversation id) seen."""
    record(who, action, [Seen(reference, conversation, account) for reference, conversation in seen],
           address="local", on_behalf_of=on_behalf_of, url=url)


def access_log(url: str | None = None) -> list[AccessLog]:
    with open_session(url) as session:
        return list(session.scalars(select(AccessLog).order_by(AccessLog.id)))


@dataclass(frozen=True)
class ChainProblem:
    row_id: int | None  # None: the head (the last rows were deleted, or the head was changed)
    what: str


def verify_chain(url: str | None = None, batch: int = 5000) -> tuple[int, list[ChainProblem]]:
    """(rows checked, problems): a changed row breaks its own hash, a deleted one the next row's.

    The head is read after the rows (a writer commits its row and the head together), and the walk
    goes on while the head names a later row: writers busy during the check cause no false alarm.
    """
    problems: list[ChainProblem] = []
    previous, checked, last_id, after = GENESIS, 0, None, 0
    with open_session(url) as session:
        while True:
            rows = list(session.scalars(select(AccessLog).where(AccessLog.id > after).order_by(AccessLog.id).limit(batch)))
            for row in rows:
                expected = row_hash(previous, row)
                if row.row_hash != expected:
                    problems.append(ChainProblem(row.id, "changed, or a row before it was deleted or changed"))
                previous = row.row_hash or expected  # report each break once, not every row after it
                checked, last_id = checked + 1, row.id
            if rows:
                after = rows[-1].id
                session.expunge_all()
                continue
            head = session.scalars(select(AuditChainHead).where(AuditChainHead.id == 1)).one_or_none()
            session.expire_all()
            if head is None or head.last_id is None or last_id is None or head.last_id <= last_id:
                break
            if session.scalar(select(AccessLog.id).where(AccessLog.id > after).limit(1)) is None:
                break  # the head names rows that are gone: reported below
    if head is None:
        problems.append(ChainProblem(None, "the chain head is missing"))
    elif head.last_hash != previous or head.last_id != last_id:
        problems.append(ChainProblem(None, f"the last row should be {head.last_id}: rows at the end were deleted"))
    return checked, problems
