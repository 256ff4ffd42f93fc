"""Account changes an admin makes that could lock everyone out: disabling an account and changing a role.

Each runs in one transaction that locks the enabled admins' rows first, so two
admins demoting each other at once cannot both pass the "another admin is left"
check (the second waits, then sees the first one's change). The audit row
commits with the change. A disabled account's console sessions end with it.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from assistant.db import audit
from assistant.db.audit import Seen
from assistant.db.engine import open_session
from assistant.db.models import STAFF_ROLES, StaffSession, StaffUser
from assistant.db.staff import StaffAccount, StaffError, UnknownUser, normalize_username

ADMIN = "admin"


class LastAdmin(StaffError):
    """The change would leave no enabled admin, or an admin would lock themself out."""


def _target(session: Session, username: str) -> StaffUser:
    # A write first, changing nothing: it locks the enabled admins' rows and the target's (PostgreSQL) or the
    # whole database (SQLite) before anything is read, so the check below sees every change committed before it.
    enabled_admin = (StaffUser.role == ADMIN) & StaffUser.disabled.is_(False)
    session.execute(update(StaffUser).where(enabled_admin | (StaffUser.username == username))
                    .values(failed_logins=StaffUser.failed_logins))
    user = session.scalars(select(StaffUser).where(StaffUser.username == username)).one_or_none()
    if user is None:
        raise UnknownUser(f"no account {username!r}")
    return user


def _other_admins(session: Session, username: str) -> int:
    query = select(func.count(StaffUser.id)).where(StaffUser.role == ADMIN, StaffUser.disabled.is_(False),
                                                   StaffUser.username != username)
    return int(session.scalar(query) or 0)


def _keep_an_admin(session: Session, user: StaffUser, actor: str, what: str) -> None:
    if user.role != ADMIN or user.disabled:
        return
    if user.username == actor:
        raise LastAdmin(f"you cannot {what} your own account: ask another admin")
    if _other_admins(session, user.username) == 0:
        raise LastAdmin(f"{user.username} is the last enabled admin: make another admin first")


def disable(actor: str, name: str, *, address: str, url: str | None = None) -> StaffAccount:
    username = normalize_username(name)
    with open_session(url) as session, session.begin():
        user = _target(session, username)
        if user.username == actor:
            raise LastAdmin("you cannot disable your own account: ask another admin")
        _keep_an_admin(session, user, actor, "disable")
        user.disabled = True
        # Its sessions end now (the console also refuses a disabled account at its next request).
        session.execute(delete(StaffSession).where(StaffSession.username == username))
        audit.append(session, actor, "user-disable", [Seen(account=username)], address=address)
        return StaffAccount.of(user)


def change_role(actor: str, name: str, role: str, *, address: str, url: str | None = None) -> StaffAccount:
    username = normalize_username(name)
    if role not in STAFF_ROLES:
        raise StaffError(f"unknown role {role!r}: one of {', '.join(STAFF_ROLES)}")
    with open_session(url) as session, session.begin():
        user = _target(session, username)
        previous = user.role
        if role != ADMIN:
            _keep_an_admin(session, user, actor, "remove the admin role from")
        user.role = role
        audit.append(session, actor, "user-role", [Seen(account=username)], address=address, detail=f"{previous} -> {role}")
        return StaffAccount.of(user)


def end_sessions(name: str, url: str | None = None) -> int:
    """Log an account out everywhere (after an admin sets its password); how many sessions ended."""
    username = normalize_username(name)
    with open_session(url) as session, session.begin():
        return session.execute(delete(StaffSession).where(StaffSession.username == username)).rowcount or 0
