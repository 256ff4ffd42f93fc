"""Conversation locks that hold when several Rasa processes share conversations.

endpoints.yml: `lock_store: {type: assistant.lock_store.SQLiteLockStore, db: var/locks.db}`
(several workers on one machine) or `{type: assistant.lock_store.AtomicRedisLockStore,
url: ..., port: ..., db: 1}` (several machines; same settings as Rasa's `type: redis`).

Rasa serves the messages of one conversation one at a time with a ticket
lock. Its lock stores change a lock by reading it, changing it in Python and
writing it back; two processes doing that at once overwrite each other's
ticket, both handle a message of the same conversation at the same time, and
one turn's events are lost (Rasa's RedisLockStore kept 15-18 of 20 messages
sent at once to one conversation on two servers: docs/rasa-3.6-notes.md,
RasaHQ/rasa#9213). Here each change is one atomic step: a Redis transaction
(WATCH/MULTI, run again on a conflict) or a SQLite write transaction
(BEGIN IMMEDIATE). The ticket algorithm itself is Rasa's (rasa.core.lock).

A message waiting for its turn looks again every POLL_SECONDS, not every
second as in Rasa, so a quick second message is not held back a whole second.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore, RedisLockStore

POLL_SECONDS = 0.02

# A change gets the stored lock (None if there is none) and returns the lock
# to store (None: delete it) and the value for the caller.
Change = Callable[[TicketLock | None], tuple[TicketLock | None, Any]]


class _AtomicTicketLocks(LockStore):
    """Rasa's lock operations, each one read-change-write done by `_change` as one atomic step."""

    def _change(self, conversation_id: str, change: Change) -> Any:
        raise NotImplementedError

    def lock(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
             wait_time_in_seconds: float = POLL_SECONDS):
        return super().lock(conversation_id, lock_lifetime, min(wait_time_in_seconds, POLL_SECONDS))

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock):
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:  # Rasa's contract: a failed ticket is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock):
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def finish(lock):
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finish the ticket and delete the lock if nobody waits, in one step
        (Rasa's two steps could delete a ticket issued between them)."""

        def finish_and_delete_if_idle(lock):
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, finish_and_delete_if_idle)


def _loads(serialised: str | bytes | None) -> TicketLock | None:
    return TicketLock.from_dict(json.loads(serialised)) if serialised else None


class AtomicRedisLockStore(_AtomicTicketLocks, RedisLockStore):
    """Rasa's RedisLockStore (same settings and keys) with atomic changes."""

    def __init__(self, endpoint_config=None, **kwargs) -> None:
        if endpoint_config is not None:  # built from endpoints.yml
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        RedisLockStore.__init__(self, **kwargs)

    def _change(self, conversation_id: str, change: Change) -> Any:
        key = self.key_prefix + conversation_id

        def transaction(pipe):
            lock, result = change(_loads(pipe.get(key)))
            pipe.multi()
            if lock is None:
                pipe.delete(key)
            else:
                pipe.set(key, lock.dumps())
            return result

        # redis-py runs `transaction` again if another client changed the key meanwhile.
        return self.red.transaction(transaction, key, value_from_callable=True)


class SQLiteLockStore(_AtomicTicketLocks):
    """Locks in a SQLite file shared by the Rasa workers of one machine (the local set-up)."""

    def __init__(self, endpoint_config=None, db: str | os.PathLike = "var/locks.db") -> None:
        if endpoint_config is not None:
            db = endpoint_config.kwargs.get("db", db)
        self.path = Path(db)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._connection() as connection:
            connection.execute("CREATE TABLE IF NOT EXISTS ticket_locks "
                               "(conversation_id TEXT PRIMARY KEY, lock TEXT NOT NULL)")
        super().__init__()

    def _connection(self) -> sqlite3.Connection:
        """One connection per process and thread (Sanic's workers are separate processes)."""
        key = (os.getpid(), threading.get_ident())
        if getattr(self._local, "key", None) != key:
            # isolation_level=None: transactions are begun explicitly, as BEGIN IMMEDIATE.
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")  # locks need not survive a power cut
            self._local.key, self._local.connection = key, connection
        return self._local.connection

    def _change(self, conversation_id: str, change: Change) -> Any:
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")  # takes the write lock before reading
        try:
            row = connection.execute("SELECT lock FROM ticket_locks WHERE conversation_id = ?",
                                     (conversation_id,)).fetchone()
            lock, result = change(_loads(row[0] if row else None))
            if lock is None:
                connection.execute("DELETE FROM ticket_locks WHERE conversation_id = ?", (conversation_id,))
            else:
                connection.execute("INSERT OR REPLACE INTO ticket_locks (conversation_id, lock) VALUES (?, ?)",
                                   (conversation_id, lock.dumps()))
            connection.execute("COMMIT")
            return result
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        row = self._connection().execute("SELECT lock FROM ticket_locks WHERE conversation_id = ?",
                                         (conversation_id,)).fetchone()
        return _loads(row[0] if row else None)

    def save_lock(self, lock: TicketLock) -> None:
        self._change(lock.conversation_id, lambda _stored: (lock, None))

    def delete_lock(self, conversation_id: str) -> None:
        self._change(conversation_id, lambda _stored: (None, None))
