"""Rasa's SQL tracker store, keeping each conversation's tracker between turns.

endpoints.yml: `tracker_store: {type: assistant.tracker_store.CachingSQLTrackerStore, ...}`
with the same settings as Rasa's `type: SQL`.

Rasa rebuilds the tracker from every stored event of the session on each
message (profiled at turn 60-100 of one conversation: a third of the server's
time, growing with the conversation). This store keeps the tracker it just
saved and hands it back on the next message, after one indexed query checks
that the database still holds exactly those events (count and last id of the
session). Anything else (another process or server wrote to the conversation,
a turn failed before saving, a new session began) falls back to Rasa's own
rebuild, so several workers sharing PostgreSQL stay correct.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

MAX_CACHED_CONVERSATIONS = 500


@dataclass
class _Cached:
    tracker: DialogueStateTracker
    stored_events: int  # events of the session in the database when cached
    last_id: int


class CachingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._cache: OrderedDict[str, _Cached] = OrderedDict()

    def _event_query(self, session, sender_id: str, fetch_events_from_all_sessions: bool):
        """Rasa's query, with the session start looked up first as a plain value.

        Same rows and order as Rasa's version, whose OR over a subquery made
        SQLite scan the conversation several times (3.5 ms at 600 events).
        """
        query = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id)
        if not fetch_events_from_all_sessions:
            session_start = (
                session.query(sa.func.max(self.SQLEvent.timestamp))
                .filter(self.SQLEvent.sender_id == sender_id, self.SQLEvent.type_name == SessionStarted.type_name)
                .scalar()
            )
            if session_start is not None:
                query = query.filter(self.SQLEvent.timestamp >= session_start)
        return query.order_by(self.SQLEvent.id)

    def _stored_session_state(self, session, sender_id: str) -> tuple[int, int]:
        query = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
        count, last_id = query.order_by(None).with_entities(
            sa.func.count(self.SQLEvent.id), sa.func.max(self.SQLEvent.id)
        ).one()
        return count or 0, last_id or 0

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        # Popped, not peeked: the caller changes this object, and only a
        # successful save puts it back.
        cached = self._cache.pop(sender_id, None)
        if cached is not None and len(cached.tracker.events) == cached.stored_events:
            with self.session_scope() as session:
                if self._stored_session_state(session, sender_id) == (cached.stored_events, cached.last_id):
                    return cached.tracker
        return await super().retrieve(sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        self._cache.pop(tracker.sender_id, None)
        await super().save(tracker)
        with self.session_scope() as session:
            count, last_id = self._stored_session_state(session, tracker.sender_id)
        # After a new session starts the object still holds the old session's
        # events, which a rebuild would not: keep only exact copies.
        if count == len(tracker.events):
            self._cache[tracker.sender_id] = _Cached(tracker, count, last_id)
            while len(self._cache) > MAX_CACHED_CONVERSATIONS:
                self._cache.popitem(last=False)
