"""Staff accounts: add, list, disable, reset a password, check one at login. No web framework here.

Passwords are hashed with argon2id (argon2-cffi's PasswordHasher defaults, RFC 9106)
and never stored, logged or returned. verify_password answers None alike for an
unknown user, a wrong password and a disabled account, after the same work.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.db.engine import open_session
from assistant.db.models import STAFF_ROLES, StaffUser, utc_now
from assistant.staff_passwords import check_password

HASHER = PasswordHasher()  # argon2id; a change of its parameters rehashes each password at its next good login
# Letters, digits and . _ -: a name that reads the same in a log line, a URL and a shell.
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")


class StaffError(ValueError):
    """An account operation that cannot be done; the message is safe to show (no password in it)."""


class UnknownUser(StaffError):
    pass


class UsernameTaken(StaffError):
    pass


@dataclass(frozen=True)
class StaffAccount:
    """What callers may see of an account: never the hash or the TOTP secret."""

    username: str
    role: str
    disabled: bool
    created_at: datetime
    password_changed_at: datetime
    has_totp: bool = False  # a second factor is set up (the secret itself stays in the database)

    @classmethod
    def of(cls, user: StaffUser) -> StaffAccount:
        return cls(user.username, user.role, user.disabled, user.created_at, user.password_changed_at,
                   user.totp_secret is not None)


def normalize_username(name: str) -> str:
    """The stored form: lower case, so "Sam" and "sam" are the same account."""
    username = name.strip().lower()
    if not USERNAME.fullmatch(username):
        raise StaffError("a username is 2 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")
    return username


def _role(role: str) -> str:
    if role not in STAFF_ROLES:
        raise StaffError(f"unknown role {role!r}: one of {', '.join(STAFF_ROLES)}")
    return role


def _find(session: Session, username: str) -> StaffUser | None:
    return session.scalars(select(StaffUser).where(StaffUser.username == username)).one_or_none()


def add_user(name: str, role: str, password: str, url: str | None = None) -> StaffAccount:
    username = normalize_username(name)
    check_password(password, username)
    now = utc_now()
    user = StaffUser(username=username, role=_role(role), password_hash=HASHER.hash(password), disabled=False,
                     created_at=now, password_changed_at=now, failed_logins=0)
    try:
        with open_session(url) as session, session.begin():
            session.add(user)
    except IntegrityError:  # the unique constraint: two adds at once cannot both pass a check made first
        raise UsernameTaken(f"there is already an account {username!r}") from None
    return StaffAccount.of(user)


def list_users(url: str | None = None) -> list[StaffAccount]:
    with open_session(url) as session:
        return [StaffAccount.of(user) for user in session.scalars(select(StaffUser).order_by(StaffUser.username))]


def get_user(name: str, url: str | None = None) -> StaffAccount | None:
    with open_session(url) as session:
        user = _find(session, normalize_username(name))
        return StaffAccount.of(user) if user else None


def disable_user(name: str, url: str | None = None) -> StaffAccount:
    """Disable an account (kept, not deleted: the audit log names it)."""
    username = normalize_username(name)
    with open_session(url) as session, session.begin():
        user = _find(session, username)
        if user is None:
            raise UnknownUser(f"no account {username!r}")
        user.disabled = True
        return StaffAccount.of(user)


def reset_password(name: str, password: str, url: str | None = None) -> StaffAccount:
    """A new password (by the policy); it also clears failed logins and a lockout."""
    username = normalize_username(name)
    check_password(password, username)
    new_hash = HASHER.hash(password)
    with open_session(url) as session, session.begin():
        user = _find(session, username)
        if user is None:
            raise UnknownUser(f"no account {username!r}")
        user.password_hash = new_hash
        user.password_changed_at = utc_now()
        user.failed_logins = 0
        user.locked_until = None
        return StaffAccount.of(user)


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    # Checked when there is no such account, so an unknown name costs the same argon2 work as a wrong password.
    return HASHER.hash(secrets.token_urlsafe(32))


def _matches(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):  # VerifyMismatchError is a VerificationError
        return False


def verify_password(name: str, password: str, url: str | None = None) -> StaffAccount | None:
    """The account when `password` is its password and it is enabled; None otherwise, whatever the reason."""
    try:
        username = normalize_username(name)
    except StaffError:
        username = None
    with open_session(url) as session, session.begin():
        user = _find(session, username) if username else None
        good = _matches(user.password_hash if user else _decoy_hash(), password)
        if user is None or not good or user.disabled:
            return None
        if HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = HASHER.hash(password)  # same password, today's parameters
        return StaffAccount.of(user)


LOCKOUT_FAILURES = 5  # failed logins in a row that lock an account
LOCKOUT = timedelta(minutes=15)


@dataclass(frozen=True)
class LoginAttempt:
    """What a login attempt did: the account when it succeeded; why not, for the audit log only."""

    account: StaffAccount | None
    outcome: str  # "ok" | "bad" (unknown user, wrong password or disabled: never told apart) | "locked"
    totp_secret: str | None = None  # the account's second factor, when it has one


def authenticate(name: str, password: str, url: str | None = None) -> LoginAttempt:
    """Check a password with the lockout: LOCKOUT_FAILURES wrong ones in a row lock the account for LOCKOUT.

    A locked account is refused even with the right password (and the argon2 work is still done).
    """
    try:
        username = normalize_username(name)
    except StaffError:
        username = None
    now = utc_now()
    with open_session(url) as session, session.begin():
        user = session.scalars(select(StaffUser).where(StaffUser.username == username).with_for_update()).one_or_none() \
            if username else None
        good = _matches(user.password_hash if user else _decoy_hash(), password)
        if user is None or user.disabled:
            return LoginAttempt(None, "bad")
        if user.locked_until is not None and user.locked_until > now:
            return LoginAttempt(None, "locked")
        if not good:
            user.failed_logins += 1
            if user.failed_logins >= LOCKOUT_FAILURES:
                user.failed_logins, user.locked_until = 0, now + LOCKOUT
                return LoginAttempt(None, "locked")
            return LoginAttempt(None, "bad")
        user.failed_logins, user.locked_until = 0, None
        if HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = HASHER.hash(password)
        return LoginAttempt(StaffAccount.of(user), "ok", user.totp_secret)


TOTP_DRIFT_STEPS = 1  # codes one 30-second step early or late still work (a phone's clock is rarely exact)


def matching_step(secret: str, code: str, now: datetime | None = None) -> int | None:
    """The time step whose code `code` is, within the drift allowed; None when it matches none."""
    totp = pyotp.TOTP(secret)
    moment = now or utc_now()
    current = totp.timecode(moment)
    for offset in range(-TOTP_DRIFT_STEPS, TOTP_DRIFT_STEPS + 1):
        if code.isdigit() and hmac.compare_digest(totp.generate_otp(current + offset), code):
            return current + offset
    return None


def use_totp_code(name: str, code: str, url: str | None = None) -> bool:
    """Whether `code` is the account's current code and newer than the last one used (each code works once)."""
    with open_session(url) as session, session.begin():
        user = session.scalars(select(StaffUser).where(StaffUser.username == normalize_username(name))
                               .with_for_update()).one_or_none()
        if user is None or user.disabled or not user.totp_secret:
            return False
        step = matching_step(user.totp_secret, code)
        if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
            return False
        user.totp_last_step = step
        return True


def set_totp_secret(name: str, secret: str | None, url: str | None = None, used_step: int | None = None) -> None:
    """Store (or, with None, remove) an account's TOTP secret: its second factor.

    used_step: the step of the code that confirmed the set-up, so that code cannot log in again.
    """
    with open_session(url) as session, session.begin():
        user = _find(session, normalize_username(name))
        if user is None:
            raise UnknownUser(f"no account {name!r}")
        user.totp_secret = secret
        user.totp_last_step = used_step


def set_role(name: str, role: str, url: str | None = None) -> StaffAccount:
    with open_session(url) as session, session.begin():
        user = _find(session, normalize_username(name))
        if user is None:
            raise UnknownUser(f"no account {name!r}")
        user.role = _role(role)
        return StaffAccount.of(user)


def enable_user(name: str, url: str | None = None) -> StaffAccount:
    with open_session(url) as session, session.begin():
        user = _find(session, normalize_username(name))
        if user is None:
            raise UnknownUser(f"no account {name!r}")
        user.disabled = False
        return StaffAccount.of(user)
