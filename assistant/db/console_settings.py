"""Settings an admin changes in the console (today: whether every account needs a second factor)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from assistant.db import audit
from assistant.db.engine import open_session
from assistant.db.models import ConsoleSetting, utc_now

DEFAULTS = {"require_totp": "no"}


def get_setting(key: str, url: str | None = None) -> str:
    with open_session(url) as session:
        row = session.get(ConsoleSetting, key)
        return row.value if row else DEFAULTS[key]


def set_setting(key: str, value: str, who: str, address: str, url: str | None = None) -> None:
    """Change a setting and audit it in the same transaction."""
    if key not in DEFAULTS:
        raise KeyError(f"unknown setting {key!r}")
    with open_session(url) as session, session.begin():
        _upsert(session, key, value, who)
        audit.append(session, who, "setting", address=address, detail=f"{key}={value}")


def _upsert(session: Session, key: str, value: str, who: str) -> None:
    row = session.get(ConsoleSetting, key)
    if row is None:
        session.add(ConsoleSetting(key=key, value=value, changed_by=who, changed_at=utc_now()))
    else:
        row.value, row.changed_by, row.changed_at = value, who, utc_now()


def totp_required(url: str | None = None) -> bool:
    return get_setting("require_totp", url) == "yes"
