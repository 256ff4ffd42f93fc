"""Rasa's SQL tracker store, keeping each conversation's tracker between turns.

endpoints.yml: `tracker_store: {type: rasa_ext.tracker_store.CachingSQLTrackerStore, ...}`
with the same settings as Rasa's `type: SQL`.

Rasa rebuilds the tracker from every stored event of the session on each
message (profiled at turn 60-100 of one conversation: a third of the server's
time, growing with the conversation). This store keeps the tracker it just
saved and hands it back on the next message, after one indexed query checks
that the database still holds exactly the rows it wrote (count and last id of
the conversation). Anything else (another process or server wrote to the
conversation, a turn failed before saving, a new session began) falls back to
Rasa's own rebuild, so several workers sharing PostgreSQL stay correct.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import Query, Session

from assistant.private_files import private_umask, secure_sqlite

MAX_CACHED_CONVERSATIONS = 500


@dataclass
class _Cached:
    tracker: DialogueStateTracker
    events: int  # len(tracker.events) when cached: a changed object is not handed back
    fingerprint: tuple[int, int]  # the conversation's stored row count and last id


def _sqlite_wal(connection: Any, _record: Any) -> None:
    """SQLite (the local default): write-ahead log, synced at checkpoints.

    Each turn commits once; with the default rollback journal every commit
    waits for two disk syncs and blocks readers. In WAL mode with
    synchronous=NORMAL an application crash loses nothing; a power cut can lose
    the last turns. Production uses PostgreSQL (endpoints.production.yml).
    """
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class CachingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Transcripts: owner-only. The umask also covers the files Rasa creates after this
        # store (the SQLite lock store's, created next by rasa.core.agent.load_agent).
        private_umask()
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite" and self.engine.url.database:
            secure_sqlite(self.engine.url.database)  # a database left readable by an older version is fixed
        self._cache: OrderedDict[str, _Cached] = OrderedDict()
        events = self.SQLEvent.__table__
        # Built once: an ORM query costs more to build than the count itself.
        self._fingerprint_query = sa.select(sa.func.count(events.c.id), sa.func.max(events.c.id)).where(
            events.c.sender_id == sa.bindparam("sender_id"))
        if self.engine.dialect.name == "sqlite":
            # SQLAlchemy 1.4 opens a new SQLite connection for every session
            # (NullPool): two per turn, each setting up WAL again. Kept open instead.
            url = self.engine.url
            self.engine.dispose()
            self.engine: sa.engine.Engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=5, max_overflow=10,
                                           connect_args={"check_same_thread": False})
            sa.event.listen(self.engine, "connect", _sqlite_wal)
            self.sessionmaker.configure(bind=self.engine)

    def _fingerprint(self, session: Session, sender_id: str) -> tuple[int, int]:
        count, last_id = session.execute(self._fingerprint_query, {"sender_id": sender_id}).one()
        return count or 0, last_id or 0

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        # Popped, not peeked: the caller changes this object, and only a
        # successful save puts it back.
        cached = self._cache.pop(sender_id, None)
        if cached is not None and len(cached.tracker.events) == cached.events:
            with self.session_scope() as session:
                caught_up = self._catch_up(session, cached)
            if caught_up is not None:
                # Known to be stored in full: save need not count the stored rows again.
                cached.tracker.__dict__["_stored_events"] = caught_up
                return cached.tracker
        return await super().retrieve(sender_id)

    def _catch_up(self, session: Session, cached: _Cached) -> int | None:
        """The number of stored events if the cached tracker is (made) equal to the database, else None.

        Rows another worker appended since are applied to the cached tracker,
        as Rasa's rebuild would apply them; a new session among them, or any
        other difference, means a rebuild.
        """
        sender_id = cached.tracker.sender_id
        count, last_id = self._fingerprint(session, sender_id)
        if (count, last_id) == cached.fingerprint:
            return cached.events
        rows = (
            session.query(self.SQLEvent)
            .filter(self.SQLEvent.sender_id == sender_id, self.SQLEvent.id > cached.fingerprint[1])
            .order_by(self.SQLEvent.id)
            .all()
        )
        if count != cached.fingerprint[0] + len(rows) or any(r.type_name == SessionStarted.type_name for r in rows):
            return None
        for row in rows:
            cached.tracker.update(Event.from_parameters(json.loads(row.data)), self.domain)
        return cached.events + len(rows)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save (same rows), which also learns whether the saved object equals a rebuild."""
        self._cache.pop(tracker.sender_id, None)
        await self.stream_events(tracker)
        with self.session_scope() as session:
            stored = tracker.__dict__.pop("_stored_events", None)
            if stored is None:
                stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
            new_events = list(tracker.events)[stored:]
            rows = []
            for event in new_events:
                data = event.as_dict()
                rows.append({
                    "sender_id": tracker.sender_id,
                    "type_name": event.type_name,
                    "timestamp": data.get("timestamp"),
                    "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                    "action_name": data.get("name"),
                    "data": json.dumps(data),
                })
            if rows:  # one INSERT for all rows, in order (the ORM flushed them one by one)
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()
            # A new session in these events moves the start of what a rebuild
            # reads, so the object (still holding the old session) is not kept.
            rebuild_equals_object = stored + len(new_events) == len(tracker.events) and not any(
                isinstance(event, SessionStarted) for event in new_events
            )
            if rebuild_equals_object:
                self._cache[tracker.sender_id] = _Cached(
                    tracker, len(tracker.events), self._fingerprint(session, tracker.sender_id)
                )
                while len(self._cache) > MAX_CACHED_CONVERSATIONS:
                    self._cache.popitem(last=False)

    def _event_query(self, session: Session, sender_id: str, fetch_events_from_all_sessions: bool) -> Query:
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
