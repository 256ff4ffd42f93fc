"""The conversation list: the tracker store's conversations with what the records database knows of them.

No Flask here. The tracker store is summed up by aggregate SQL
(rasa_ext/conversation_index.py: dates and channel filtered there); crisis,
request and tag filters are id sets from the records database, applied in
Python; only the shown page's rows are looked up in full.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.sql import Select

from assistant.center import current_center
from assistant.db.engine import open_session
from assistant.db.flags import IN_CHUNK, tags_for
from assistant.db.models import CallbackRequest, ConversationTag, CrisisEvent
from rasa_ext.conversation_index import ConversationSummary, channels_of, summaries


@dataclass(frozen=True)
class ConversationFilters:
    day_from: date | None = None  # active on or after this day (the center's time zone)
    day_to: date | None = None  # active on or before this day
    channel: str | None = None  # rasa_ext.conversation_index.CHANNELS
    crisis: bool | None = None  # True: with a crisis event, False: without, None: either
    fallback: bool | None = None  # True: the assistant fell back at least once, False: never
    without_request: bool = False  # ended without a call-back request
    tag: str | None = None


@dataclass(frozen=True)
class ConversationRow:
    summary: ConversationSummary
    channel: str | None
    reference: str | None  # its newest call-back request
    crises: int
    tags: list[str] = field(default_factory=list)

    @property
    def conversation_id(self) -> str:
        return self.summary.conversation_id


@dataclass(frozen=True)
class ConversationPage:
    rows: list[ConversationRow]
    total: int  # conversations matching, on every page
    page: int  # 1-based, within 1..pages
    pages: int


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(current_center().timezone)).astimezone(timezone.utc)


def _ids(query: Select, database_url: str | None) -> set[str]:
    with open_session(database_url) as session:
        return set(session.scalars(query))


def conversation_page(filters: ConversationFilters, page: int = 1, per_page: int = 50, *,
                      database_url: str | None = None, tracker_url: str | None = None) -> ConversationPage:
    """Matching conversations, latest activity first. Raises rasa_ext.transcripts.READ_ERRORS."""
    found = summaries(
        tracker_url, channel=filters.channel,
        active_from=_local_midnight(filters.day_from) if filters.day_from else None,
        active_before=(_local_midnight(filters.day_to + timedelta(days=1))
                       if filters.day_to and filters.day_to < date.max else None))
    if filters.fallback is not None:
        found = [s for s in found if (s.fallbacks > 0) == filters.fallback]
    if filters.crisis is not None:
        with_crisis = _ids(select(CrisisEvent.conversation_id).distinct(), database_url)
        found = [s for s in found if (s.conversation_id in with_crisis) == filters.crisis]
    if filters.without_request:
        with_request = _ids(select(CallbackRequest.conversation_id).distinct(), database_url)
        found = [s for s in found if s.conversation_id not in with_request]
    if filters.tag is not None:
        tagged = _ids(select(ConversationTag.conversation_id).where(ConversationTag.tag == filters.tag), database_url)
        found = [s for s in found if s.conversation_id in tagged]
    found.sort(key=lambda s: (s.last, s.conversation_id), reverse=True)
    pages = max(1, math.ceil(len(found) / per_page))
    page = min(max(page, 1), pages)
    shown = found[(page - 1) * per_page:page * per_page]
    return ConversationPage(_rows(shown, database_url, tracker_url), len(found), page, pages)


def _rows(shown: list[ConversationSummary], database_url: str | None, tracker_url: str | None) -> list[ConversationRow]:
    ids = [s.conversation_id for s in shown]
    channels = channels_of(ids, tracker_url)
    references, crises = request_references(ids, database_url), crisis_counts(ids, database_url)
    tags = tags_for(ids, database_url)
    return [ConversationRow(s, channels.get(s.conversation_id), references.get(s.conversation_id),
                            crises.get(s.conversation_id, 0), tags.get(s.conversation_id, [])) for s in shown]


def request_references(conversation_ids: Iterable[str], database_url: str | None = None) -> dict[str, str]:
    """Each conversation's newest call-back request reference (left out: none)."""
    wanted, found = list(dict.fromkeys(conversation_ids)), {}
    with open_session(database_url) as session:
        for start in range(0, len(wanted), IN_CHUNK):
            query = (select(CallbackRequest.conversation_id, CallbackRequest.reference)
                     .where(CallbackRequest.conversation_id.in_(wanted[start:start + IN_CHUNK]))
                     .order_by(CallbackRequest.created_at, CallbackRequest.id))
            found.update({conversation_id: reference for conversation_id, reference in session.execute(query)})
    return found


def crisis_counts(conversation_ids: Iterable[str], database_url: str | None = None) -> dict[str, int]:
    """How many crisis events each conversation has (left out: none)."""
    wanted, found = list(dict.fromkeys(conversation_ids)), {}
    with open_session(database_url) as session:
        for start in range(0, len(wanted), IN_CHUNK):
            query = (select(CrisisEvent.conversation_id, func.count(CrisisEvent.id))
                     .where(CrisisEvent.conversation_id.in_(wanted[start:start + IN_CHUNK]))
                     .group_by(CrisisEvent.conversation_id))
            found.update({conversation_id: int(count) for conversation_id, count in session.execute(query)})
    return found
