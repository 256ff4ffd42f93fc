"""Reading the access log a page at a time, newest first, filtered by who, action, reference and time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.sql import Select

from assistant.db.engine import open_session
from assistant.db.models import AccessLog


@dataclass(frozen=True)
class LogFilters:
    who: str | None = None
    action: str | None = None
    reference: str | None = None
    since: datetime | None = None  # inclusive
    before: datetime | None = None  # exclusive


@dataclass(frozen=True)
class LogPage:
    rows: list[AccessLog]
    total: int
    page: int
    pages: int


def _filtered(query: Select, filters: LogFilters) -> Select:
    if filters.who:
        query = query.where(func.lower(AccessLog.who) == filters.who.lower())  # as staff type a name
    if filters.action:
        query = query.where(AccessLog.action == filters.action)
    if filters.reference:
        query = query.where(AccessLog.reference == filters.reference)
    if filters.since:
        query = query.where(AccessLog.at >= filters.since)
    if filters.before:
        query = query.where(AccessLog.at < filters.before)
    return query


def log_page(filters: LogFilters, page: int = 1, per_page: int = 100, url: str | None = None) -> LogPage:
    with open_session(url) as session:
        total = int(session.scalar(_filtered(select(func.count(AccessLog.id)), filters)) or 0)
        pages = max(1, -(-total // per_page))
        page = min(max(page, 1), pages)
        query = _filtered(select(AccessLog), filters).order_by(AccessLog.id.desc())
        rows = list(session.scalars(query.offset((page - 1) * per_page).limit(per_page)))
    return LogPage(rows, total, page, pages)

