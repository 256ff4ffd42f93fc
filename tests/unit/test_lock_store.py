"""The conversation locks of rasa_ext.lock_store, with real processes competing for them."""

import asyncio
import multiprocessing
import threading
import time
import uuid
from pathlib import Path

import pytest

from evaluation.server import REDIS
from rasa_ext.lock_store import AtomicRedisLockStore, ConversationBusy, SQLiteLockStore, max_waiting_setting

PROCESSES, ROUNDS = 4, 25


def redis_store(prefix: str, **kwargs) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(host=REDIS["host"], port=int(REDIS["port"]), db=1, key_prefix=prefix, **kwargs)


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


def test_waiting_messages_never_touch_the_store_on_the_event_loop(make_store):
    """Issue 10: 200 waiting messages each ran a write transaction on the loop every 20 ms."""
    factory, kwargs = make_store
    store = factory(**kwargs, max_waiting="off")
    conversation = f"conv-{uuid.uuid4().hex[:6]}"
    on_loop = []
    for name in ("_change", "get_lock"):
        original = getattr(store, name)

        def watched(*args, _original=original):
            on_loop.append(threading.current_thread() is threading.main_thread())
            return _original(*args)

        setattr(store, name, watched)

    async def scenario():
        order, gaps = [], []

        async def message(number):
            async with store.lock(conversation):
                order.append(number)
                await asyncio.sleep(0.01)

        async def ticker():
            last = time.perf_counter()
            while len(order) < 40:
                await asyncio.sleep(0.005)
                now = time.perf_counter()
                gaps.append(now - last)
                last = now

        await asyncio.gather(ticker(), *(message(n) for n in range(40)))
        return order, max(gaps)

    order, longest_gap = asyncio.run(scenario())
    assert sorted(order) == list(range(40))
    assert on_loop and not any(on_loop)  # every read and change ran in the store's threads
    assert longest_gap < 0.1  # the loop kept running for everyone else
    assert store.get_lock(conversation) is None


def test_beyond_max_waiting_a_message_is_refused_at_once(make_store):
    factory, kwargs = make_store
    store = factory(**kwargs, max_waiting=3)
    conversation = f"conv-{uuid.uuid4().hex[:6]}"

    async def scenario():
        served, refused = [], []

        async def holder():
            async with store.lock(conversation):
                await asyncio.sleep(0.5)

        async def message(number):
            await asyncio.sleep(0.05)
            started = time.perf_counter()
            try:
                async with store.lock(conversation):
                    served.append(number)
            except ConversationBusy:
                refused.append(time.perf_counter() - started)

        await asyncio.gather(holder(), *(message(n) for n in range(10)))
        return served, refused

    served, refused = asyncio.run(scenario())
    assert len(served) == 3 and len(refused) == 7
    assert max(refused) < 0.3  # refused without waiting for the holder
    assert store.get_lock(conversation) is None


def _take_tickets(factory, kwargs, conversation_id: str, queue) -> None:
    store = factory(**kwargs, max_waiting=3)
    taken = 0
    for _ in range(5):
        try:
            store.take_ticket(conversation_id)
            taken += 1
        except ConversationBusy:
            pass
    queue.put(taken)


def test_the_waiting_limit_holds_across_processes(make_store):
    """The waiting messages are counted in the shared store, so 2 workers (or 4) share one limit."""
    factory, kwargs = make_store
    conversation = f"conv-{uuid.uuid4().hex[:6]}"
    factory(**kwargs).issue_ticket(conversation)  # a message being served
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_take_tickets, args=(factory, kwargs, conversation, queue))
               for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    taken = [queue.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert sum(taken) == 3, taken
    factory(**kwargs).delete_lock(conversation)


def test_a_cancelled_message_gives_its_ticket_back(make_store):
    """A client that hangs up cancels its handler: its ticket must not hold up the conversation."""
    factory, kwargs = make_store
    store = factory(**kwargs)
    conversation = f"conv-{uuid.uuid4().hex[:6]}"

    async def scenario():
        async def holder():
            async with store.lock(conversation):
                await asyncio.sleep(0.3)

        async def waiter():
            async with store.lock(conversation):
                pass

        first = asyncio.create_task(holder())
        await asyncio.sleep(0.05)
        early, late = asyncio.create_task(waiter()), asyncio.create_task(waiter())
        await asyncio.sleep(0)
        early.cancel()  # most likely while its ticket is being issued
        await asyncio.sleep(0.1)
        late.cancel()  # while it waits for its turn
        await first
        started = time.perf_counter()
        async with store.lock(conversation):
            return time.perf_counter() - started

    assert asyncio.run(scenario()) < 0.5
    time.sleep(0.1)
    assert store.get_lock(conversation) is None


def test_the_waiting_limit_setting(monkeypatch):
    monkeypatch.delenv("CONVERSATION_MAX_WAITING", raising=False)
    assert max_waiting_setting() == 5
    monkeypatch.setenv("CONVERSATION_MAX_WAITING", "off")
    assert max_waiting_setting() is None
    monkeypatch.setenv("CONVERSATION_MAX_WAITING", "0")
    assert max_waiting_setting() == 0
    assert max_waiting_setting(2) == 2  # endpoints.yml's max_waiting wins over the environment
    for wrong in ("-1", "five"):
        monkeypatch.setenv("CONVERSATION_MAX_WAITING", wrong)
        with pytest.raises(ValueError):
            max_waiting_setting()
