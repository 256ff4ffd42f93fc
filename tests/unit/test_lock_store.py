"""The conversation locks of assistant.lock_store, with real processes competing for them."""

import asyncio
import multiprocessing
import time
import uuid
from pathlib import Path

import pytest

from assistant.lock_store import AtomicRedisLockStore, SQLiteLockStore
from evaluation.server import REDIS

PROCESSES, ROUNDS = 4, 25


def redis_store(prefix: str) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(host=REDIS["host"], port=int(REDIS["port"]), db=1, key_prefix=prefix)


@pytest.fixture(params=["sqlite", "redis"])
def make_store(request, tmp_path):
    """A function building the store afresh (each process builds its own, as each Sanic worker does)."""
    if request.param == "sqlite":
        return SQLiteLockStore, {"db": str(tmp_path / "locks.db")}
    try:
        redis_store("probe").red.ping()
    except Exception as exc:  # noqa: BLE001 - any failure to reach Redis means: not here
        pytest.skip(f"Redis not reachable at {REDIS['host']}:{REDIS['port']} ({exc})")
    return redis_store, {"prefix": f"test{uuid.uuid4().hex[:8]}"}


def _count_under_lock(factory, kwargs, counter: str, conversation_id: str) -> None:
    """Read-sleep-write a counter file under the lock: without mutual exclusion increments are lost."""
    store = factory(**kwargs)

    async def rounds():
        for _ in range(ROUNDS):
            async with store.lock(conversation_id):
                value = int(Path(counter).read_text())
                await asyncio.sleep(0.002)
                Path(counter).write_text(str(value + 1))

    asyncio.run(rounds())


def test_processes_sharing_one_conversation_take_turns(make_store, tmp_path):
    factory, kwargs = make_store
    counter = tmp_path / "counter"
    counter.write_text("0")
    conversation = f"conv-{uuid.uuid4().hex[:6]}"
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_count_under_lock, args=(factory, kwargs, str(counter), conversation))
               for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    assert int(counter.read_text()) == PROCESSES * ROUNDS
    assert factory(**kwargs).get_lock(conversation) is None  # the last one out deleted the lock


def _issue(factory, kwargs, conversation_id: str, queue) -> None:
    store = factory(**kwargs)
    queue.put([store.issue_ticket(conversation_id) for _ in range(50)])


def test_tickets_issued_at_once_are_all_different(make_store):
    factory, kwargs = make_store
    conversation = f"conv-{uuid.uuid4().hex[:6]}"
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_issue, args=(factory, kwargs, conversation, queue)) for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    tickets = [number for _ in workers for number in queue.get(timeout=120)]
    for worker in workers:
        worker.join(timeout=30)
    assert sorted(tickets) == list(range(PROCESSES * 50))
    factory(**kwargs).delete_lock(conversation)


def test_a_waiting_message_goes_on_soon_after_the_first_finishes(make_store):
    factory, kwargs = make_store
    store = factory(**kwargs)
    conversation = f"conv-{uuid.uuid4().hex[:6]}"

    async def scenario():
        order = []

        async def first():
            async with store.lock(conversation):
                order.append("first in")
                await asyncio.sleep(0.2)
                order.append("first out")
            return time.perf_counter()

        async def second():
            await asyncio.sleep(0.05)
            async with store.lock(conversation):
                order.append("second in")
                return time.perf_counter()

        released, entered = await asyncio.gather(first(), second())
        return order, entered - released

    order, delay = asyncio.run(scenario())
    assert order == ["first in", "first out", "second in"]
    assert delay < 0.25  # Rasa's own stores look again only after a whole second


def test_an_expired_ticket_does_not_block_the_conversation(make_store):
    factory, kwargs = make_store
    store = factory(**kwargs)
    conversation = f"conv-{uuid.uuid4().hex[:6]}"
    store.issue_ticket(conversation, lock_lifetime=0.05)  # a worker that died holding the lock

    async def enter():
        async with store.lock(conversation) as lock:
            return lock

    started = time.perf_counter()
    assert asyncio.run(asyncio.wait_for(enter(), timeout=5)) is not None
    assert time.perf_counter() - started < 1
    assert store.get_lock(conversation) is None
