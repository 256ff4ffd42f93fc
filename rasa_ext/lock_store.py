"""Conversation locks that hold when several Rasa processes share conversations.

endpoints.yml: `lock_store: {type: rasa_ext.lock_store.SQLiteLockStore, db: var/locks.db}`
(several workers on one machine) or `{type: rasa_ext.lock_store.AtomicRedisLockStore,
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

Waiting never blocks the event loop (issue 10: 200 messages on one conversation
each ran a BEGIN IMMEDIATE every 20 ms on the loop and stalled every other
conversation for a minute):

- every read and change of the shared store runs in a small thread pool of its
  own (STORE_THREADS per process), never on the event loop;
- a process's waiting messages of one conversation wait on asyncio futures; one
  poller per conversation and process reads the stored lock (a plain read, no
  write lock) and wakes the one whose turn it is, and a message finishing in
  this process hands the turn to the next one here at once;
- at most `max_waiting` messages of a conversation wait, counted in the shared
  store (its tickets), so the limit holds across workers: one more is refused
  with ConversationBusy (a LockError) without waiting. The channels answer it
  with a reason (429, chat_error, a short SMS). $CONVERSATION_MAX_WAITING sets it
  (default 5; "off": no limit), or `max_waiting` in the lock_store entry of
  endpoints.yml.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import os
import sqlite3
import threading
import weakref
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.client import Pipeline

from assistant.private_files import secure_sqlite

POLL_SECONDS = 0.02
# A waiting message whose conversation is being served in this process is woken when
# that turn ends; the store is still read this often, for tickets that expired.
LOCAL_HOLDER_POLL_SECONDS = 1.0
STORE_THREADS = 4
MAX_WAITING_ENV = "CONVERSATION_MAX_WAITING"
DEFAULT_MAX_WAITING = 5
_FROM_ENV: Any = object()

# A change gets the stored lock (None if there is none) and returns the lock
# to store (None: delete it) and the value for the caller.
Change = Callable[[TicketLock | None], tuple[TicketLock | None, Any]]


class ConversationBusy(LockError):
    """`limit` messages of the conversation are already waiting for their turn: this one is refused."""

    def __init__(self, conversation_id: str, limit: int) -> None:
        super().__init__(f"{limit} messages of conversation '{conversation_id}' are already waiting")
        self.conversation_id, self.limit = conversation_id, limit


def max_waiting_setting(value: Any = _FROM_ENV) -> int | None:
    """The waiting limit: `value` (endpoints.yml) or $CONVERSATION_MAX_WAITING, default 5; None for "off"."""
    if value is _FROM_ENV or value is None:
        value = os.environ.get(MAX_WAITING_ENV, "").strip() or DEFAULT_MAX_WAITING
    if str(value).strip().lower() == "off":
        return None
    try:
        limit = int(value)
    except ValueError:
        limit = -1
    if limit < 0:
        raise ValueError(f"{MAX_WAITING_ENV} / max_waiting must be a whole number >= 0 or 'off', not {value!r}")
    return limit


class _Waiting:
    """This process's messages of one conversation (on one event loop)."""

    def __init__(self) -> None:
        self.inside = 0  # messages that entered lock() and have not started finishing
        self.waiters: dict[int, asyncio.Future] = {}  # ticket -> resolved with the lock when it is its turn
        self.reads = 0  # store reads the poller started; a waiter remembers how many before it waited
        self.since: dict[int, int] = {}  # ticket -> reads started when it began to wait
        self.serving: int | None = None  # the ticket being served here, if any
        self.wake = asyncio.Event()
        self.poller: asyncio.Task | None = None


class _AtomicTicketLocks(LockStore):
    """Rasa's lock operations, each one read-change-write done by `_change` as one atomic step."""

    def _init_waiting(self, max_waiting: Any = _FROM_ENV) -> None:
        self.max_waiting = max_waiting_setting(max_waiting)
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._pool_pid: int | None = None
        self._loops: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _change(self, conversation_id: str, change: Change) -> Any:
        raise NotImplementedError

    # --- the async side: what Rasa's agent uses, never touching the store on the loop ---

    @asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = POLL_SECONDS) -> AsyncGenerator[TicketLock, None]:
        """The conversation's turn; ConversationBusy at once when max_waiting messages already wait."""
        poll = min(wait_time_in_seconds, POLL_SECONDS)
        conversations = self._loops.setdefault(asyncio.get_running_loop(), {})
        local = conversations.get(conversation_id)
        if local is None:
            local = conversations[conversation_id] = _Waiting()
        local.inside += 1
        ticket = None
        try:
            if self.max_waiting is not None and local.inside > self.max_waiting + 1:
                raise ConversationBusy(conversation_id, self.max_waiting)  # already more than that here
            ticket, lock = await self._issue(conversation_id, lock_lifetime)
            if lock.now_serving != ticket:
                lock = await self._wait_for_turn(conversation_id, local, ticket, poll)
            local.serving = ticket
            yield lock
        finally:
            local.inside -= 1
            if local.serving == ticket:
                local.serving = None
            if local.inside == 0 and conversations.get(conversation_id) is local:
                del conversations[conversation_id]
            if ticket is not None:
                await self._finish(conversation_id, ticket, local)

    def _thread(self, function: Callable, *args: Any) -> concurrent.futures.Future:
        if self._pool is None or self._pool_pid != os.getpid():  # a forked process gets its own threads
            self._pool = concurrent.futures.ThreadPoolExecutor(STORE_THREADS, thread_name_prefix="lock-store")
            self._pool_pid = os.getpid()
        return self._pool.submit(function, *args)

    @staticmethod
    async def _result(future: concurrent.futures.Future) -> Any:
        """The thread's result; cancelling the caller does not cancel the work."""
        result = asyncio.wrap_future(future)
        result.add_done_callback(lambda done: done.cancelled() or done.exception())  # retrieved, even if abandoned
        return await asyncio.shield(result)

    async def _issue(self, conversation_id: str, lifetime: float) -> tuple[int, TicketLock]:
        future = self._thread(self.take_ticket, conversation_id, lifetime)
        try:
            return await self._result(future)
        except asyncio.CancelledError:
            # The ticket is issued all the same: give it back once it is, or it would hold up the conversation.
            def give_back(done: concurrent.futures.Future) -> None:
                if not done.cancelled() and done.exception() is None:
                    self._thread(self.cleanup, conversation_id, done.result()[0])

            future.add_done_callback(give_back)
            raise

    async def _wait_for_turn(self, conversation_id: str, local: _Waiting, ticket: int, poll: float) -> TicketLock:
        future = asyncio.get_running_loop().create_future()
        local.waiters[ticket] = future
        local.since[ticket] = local.reads
        if local.poller is None or local.poller.done():
            local.poller = asyncio.create_task(self._poll(conversation_id, local, poll))
        try:
            return await future
        finally:
            local.waiters.pop(ticket, None)
            local.since.pop(ticket, None)

    async def _poll(self, conversation_id: str, local: _Waiting, poll: float) -> None:
        """While messages of the conversation wait here: read the stored lock (in a thread) and wake the one served."""
        while any(not future.done() for future in local.waiters.values()):
            local.wake.clear()
            local.reads += 1
            read = local.reads
            try:
                lock = await self._result(self._thread(self.get_lock, conversation_id))
            except Exception as error:  # noqa: BLE001 - the store failed: so does every wait on it
                lock = error
            self._resolve(conversation_id, local, lock, read)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(local.wake.wait(),
                                       poll if local.serving is None else LOCAL_HOLDER_POLL_SECONDS)

    @staticmethod
    def _resolve(conversation_id: str, local: _Waiting, lock: TicketLock | Exception | None, read: int) -> None:
        """Wakes the waiter whose turn it is; fails those whose ticket expired. A read that began before a
        waiter's ticket was taken cannot show that ticket: it says nothing about it."""
        if isinstance(lock, TicketLock):
            now_serving = lock.now_serving  # drops expired tickets (a process that died holding the turn)
            live = {ticket.number for ticket in lock.tickets}
        for ticket, future in list(local.waiters.items()):
            if future.done():
                continue
            if isinstance(lock, Exception):
                future.set_exception(LockError(f"Error while waiting for the lock. Error:\n{lock}"))
            elif local.since.get(ticket, 0) >= read:
                continue  # issued after this read began
            elif lock is None or ticket not in live:  # our ticket expired while waiting (Rasa: the same error)
                future.set_exception(LockError(f"Could not acquire lock for conversation_id '{conversation_id}'."))
            elif ticket == now_serving:
                future.set_result(lock)

    async def _finish(self, conversation_id: str, ticket: int, local: _Waiting) -> None:
        future = self._thread(self.finish_and_look, conversation_id, ticket)
        try:
            lock = await self._result(future)
        finally:
            local.wake.set()  # whatever happened, the poller looks again
        if lock is not None:
            waiting = local.waiters.get(lock.now_serving)
            if waiting is not None and not waiting.done():
                waiting.set_result(lock)  # the next turn is this process's: no poll needed

    # --- the store operations (blocking; called in the pool's threads, or by Rasa's own code) ---

    def take_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> tuple[int, TicketLock]:
        """(ticket, the lock as stored) in one step, or ConversationBusy if max_waiting messages already wait."""
        limit = self.max_waiting

        def issue(lock: TicketLock | None) -> tuple[TicketLock, tuple[int, TicketLock]]:
            lock = lock or self.create_lock(conversation_id)
            lock.remove_expired_tickets()
            if limit is not None and len(lock.tickets) > limit:  # one served and `limit` waiting
                raise ConversationBusy(conversation_id, limit)
            return lock, (lock.issue_ticket(lock_lifetime), lock)

        try:
            return self._change(conversation_id, issue)
        except LockError:
            raise
        except Exception as error:  # Rasa's contract: a failed ticket is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def finish_and_look(self, conversation_id: str, ticket_number: int) -> TicketLock | None:
        """cleanup(), returning the lock left for the others (None if nobody waits)."""

        def finish_and_delete_if_idle(lock: TicketLock | None) -> tuple[TicketLock | None, TicketLock | None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            lock = lock if lock.is_someone_waiting() else None
            return lock, lock

        return self._change(conversation_id, finish_and_delete_if_idle)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Rasa's issue_ticket (no waiting limit)."""
        def issue(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:  # Rasa's contract: a failed ticket is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finish the ticket and delete the lock if nobody waits, in one step
        (Rasa's two steps could delete a ticket issued between them)."""
        self.finish_and_look(conversation_id, ticket_number)


def _loads(serialised: str | bytes | None) -> TicketLock | None:
    return TicketLock.from_dict(json.loads(serialised)) if serialised else None


class AtomicRedisLockStore(_AtomicTicketLocks, RedisLockStore):
    """Rasa's RedisLockStore (same settings and keys) with atomic changes."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, max_waiting: Any = _FROM_ENV, **kwargs: Any) -> None:
        if endpoint_config is not None:  # built from endpoints.yml
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
            max_waiting = kwargs.pop("max_waiting", max_waiting)
        RedisLockStore.__init__(self, **kwargs)
        self._init_waiting(max_waiting)

    def _change(self, conversation_id: str, change: Change) -> Any:
        key = self.key_prefix + conversation_id

        def transaction(pipe: Pipeline) -> Any:
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

    def __init__(self, endpoint_config: EndpointConfig | None = None, db: str | os.PathLike = "var/locks.db",
                 max_waiting: Any = _FROM_ENV) -> None:
        if endpoint_config is not None:
            db = endpoint_config.kwargs.get("db", db)
            max_waiting = endpoint_config.kwargs.get("max_waiting", max_waiting)
        self._init_waiting(max_waiting)
        self.path = Path(db)
        secure_sqlite(self.path)  # owner-only, however Rasa was started (assistant/private_files.py)
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
