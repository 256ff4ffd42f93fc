"""Personal tokens: made in the console, so `intake` with $INTAKE_TOKEN acts as that staff account.

A token is shown once, when made; only its SHA-256 is stored (a token is 256
random bits, so a plain hash suffices: no salt or slow hash is needed against
guessing). The console audits making and revoking one; resolve_token is the
check at each use, not audited here (the command's own rows name the account).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from assistant.db.engine import open_session
from assistant.db.models import StaffToken, StaffUser, utc_now
from assistant.db.staff import StaffAccount, StaffError, UnknownUser, normalize_username

MAX_LABEL = 64  # StaffToken.label's length
MAX_TOKEN = 200  # far longer than any token made here: a longer one is not looked up


class UnknownToken(StaffError):
    pass


@dataclass(frozen=True)
class TokenInfo:
    """What the console lists of a token: never the token or its hash."""

    id: int
    username: str
    label: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, token: StaffToken) -> TokenInfo:
        return cls(token.id, token.username, token.label, token.created_at, token.last_used_at, token.revoked_at)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _label(label: str) -> str:
    label = " ".join(label.split())
    if not label or len(label) > MAX_LABEL:
        raise StaffError(f"a token's label is 1 to {MAX_LABEL} characters (e.g. 'laptop')")
    return label


def create_token(username: str, label: str, url: str | None = None) -> str:
    """A new token for an enabled account: the returned string is the only copy of it."""
    username, label = normalize_username(username), _label(label)
    token = secrets.token_urlsafe(32)
    with open_session(url) as session, session.begin():
        user = session.scalars(select(StaffUser).where(StaffUser.username == username)).one_or_none()
        if user is None or user.disabled:
            raise UnknownUser(f"no enabled account {username!r}")
        session.add(StaffToken(username=username, token_hash=token_hash(token), label=label, created_at=utc_now()))
    return token


def list_tokens(username: str, url: str | None = None) -> list[TokenInfo]:
    """An account's tokens, revoked ones included, oldest first."""
    username = normalize_username(username)
    with open_session(url) as session:
        query = select(StaffToken).where(StaffToken.username == username).order_by(StaffToken.id)
        return [TokenInfo.of(token) for token in session.scalars(query)]


def revoke_token(username: str, token_id: int, url: str | None = None) -> TokenInfo:
    """Revoke one of `username`'s tokens; revoking it again keeps the first time."""
    username = normalize_username(username)
    with open_session(url) as session, session.begin():
        token = session.scalars(
            select(StaffToken).where(StaffToken.id == token_id, StaffToken.username == username)
        ).one_or_none()
        if token is None:  # another account's token is "unknown" too: ids are not secrets, tokens are
            raise UnknownToken(f"{username!r} has no token {token_id}")
        if token.revoked_at is None:
            token.revoked_at = utc_now()
        return TokenInfo.of(token)


def resolve_token(token: str, url: str | None = None) -> StaffAccount | None:
    """The enabled account a live token belongs to (and its last use is noted); None otherwise, whatever the reason."""
    if not token or len(token) > MAX_TOKEN:
        return None
    with open_session(url) as session, session.begin():
        found = session.execute(
            select(StaffToken, StaffUser)
            .join(StaffUser, StaffUser.username == StaffToken.username)
            .where(StaffToken.token_hash == token_hash(token))
        ).one_or_none()
        if found is None:
            return None
        stored, user = found
        if stored.revoked_at is not None or user.disabled:
            return None
        stored.last_used_at = utc_now()
        return StaffAccount.of(user)
