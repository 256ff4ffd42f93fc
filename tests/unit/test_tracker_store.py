"""The caching SQL tracker store hands back exactly what a rebuild from the database gives."""

import asyncio

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Restarted, SessionStarted, UserUttered
from sqlalchemy.engine import make_url

from rasa_ext.tracker_store import CachingSQLTrackerStore
from tests.intake_support import fresh_postgres_database

DOMAIN = Domain.load("domain")


@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request, tmp_path):
    if request.param == "sqlite":
        settings = {"dialect": "sqlite", "db": str(tmp_path / "tracker.db")}
    else:
        database = fresh_postgres_database()
        url = make_url(database.__enter__())
        request.addfinalizer(lambda: database.__exit__(None, None, None))
        settings = {"dialect": "postgresql", "host": url.host, "port": url.port, "username": url.username,
                    "password": url.password, "db": url.database}
    # Two stores on one database: two Rasa processes sharing conversations.
    made = (CachingSQLTrackerStore(domain=DOMAIN, **settings), CachingSQLTrackerStore(domain=DOMAIN, **settings),
            SQLTrackerStore(domain=DOMAIN, **settings))  # Rasa's own, for comparison
    yield made
    for store in made:
        store.engine.dispose()  # before the database is dropped


def turn(tracker, text):
    for event in (UserUttered(text, {"name": "greet", "confidence": 1.0}), ActionExecuted("utter_greet"),
                  BotUttered("hello"), ActionExecuted("action_listen")):
        tracker.update(event)


def start(store, sender):
    tracker = asyncio.run(store.get_or_create_tracker(sender))
    for event in (ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")):
        tracker.update(event)
    return tracker


def test_the_saved_tracker_comes_back_and_equals_a_rebuild(stores):
    one, _, rasa_store = stores
    tracker = start(one, "a")
    turn(tracker, "hi")
    asyncio.run(one.save(tracker))  # first save: the rebuild drops the event before SessionStarted
    tracker = asyncio.run(one.retrieve("a"))
    turn(tracker, "again")
    asyncio.run(one.save(tracker))
    again = asyncio.run(one.retrieve("a"))
    assert again is tracker
    assert [e.as_dict() for e in again.events] == [e.as_dict() for e in asyncio.run(rasa_store.retrieve("a")).events]


def test_a_write_by_another_process_is_seen(stores):
    one, two, _ = stores
    tracker = start(one, "b")
    asyncio.run(one.save(tracker))
    tracker = asyncio.run(one.retrieve("b"))
    asyncio.run(one.save(tracker))
    other = asyncio.run(two.retrieve("b"))
    turn(other, "from the other server")
    asyncio.run(two.save(other))
    mine = asyncio.run(one.retrieve("b"))
    assert mine is tracker  # caught up with the other server's rows, not rebuilt
    assert mine.latest_message.text == "from the other server"
    rasa_store = stores[2]
    assert [e.as_dict() for e in mine.events] == [e.as_dict() for e in asyncio.run(rasa_store.retrieve("b")).events]
    turn(mine, "back on this server")
    asyncio.run(one.save(mine))
    assert [e.text for e in asyncio.run(rasa_store.retrieve("b")).events if isinstance(e, UserUttered)] == [
        "from the other server", "back on this server"]


def test_a_turn_that_failed_before_saving_is_not_handed_back(stores):
    one, _, _ = stores
    tracker = start(one, "c")
    asyncio.run(one.save(tracker))
    tracker = asyncio.run(one.retrieve("c"))
    asyncio.run(one.save(tracker))
    half_done = asyncio.run(one.retrieve("c"))
    turn(half_done, "lost")  # no save: the turn failed
    fresh = asyncio.run(one.retrieve("c"))
    assert fresh is not half_done
    assert all(getattr(e, "text", None) != "lost" for e in fresh.events)


def test_a_new_session_is_stored_and_read_like_rasa_does(stores):
    one, _, _ = stores
    tracker = start(one, "d")
    turn(tracker, "first session")
    asyncio.run(one.save(tracker))
    tracker = asyncio.run(one.retrieve("d"))
    tracker.update(Restarted())
    for event in (ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")):
        tracker.update(event)
    turn(tracker, "second session")
    asyncio.run(one.save(tracker))
    current = asyncio.run(one.retrieve("d"))
    assert current is not tracker  # held old-session events: rebuilt instead
    texts = [e.text for e in current.events if isinstance(e, UserUttered)]
    assert texts == ["second session"]


def test_sqlite_runs_with_a_write_ahead_log(tmp_path):
    store = CachingSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    try:
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    finally:
        store.engine.dispose()


def test_many_events_of_one_turn_keep_their_order(stores):
    one, _, rasa_store = stores
    tracker = start(one, "order")
    for n in range(40):
        turn(tracker, f"message {n}")
    asyncio.run(one.save(tracker))
    stored = asyncio.run(rasa_store.retrieve("order"))
    events = [e.as_dict() for e in tracker.events]
    session_start = max(i for i, e in enumerate(events) if e["event"] == "session_started")
    assert len(events) - session_start > 160
    assert [e.as_dict() for e in stored.events] == events[session_start:]  # a rebuild reads from SessionStarted


def test_a_sqlite_tracker_database_is_owner_only(tmp_path):
    """Issue 10: var/tracker.db (every transcript) was readable by every user of the host."""
    import os

    old = tmp_path / "old.db"
    old.touch()
    old.chmod(0o644)  # left readable by an earlier version
    previous = os.umask(0o022)  # a usual umask: the store must not depend on its caller's
    try:
        for path in (old, tmp_path / "new.db"):
            os.umask(0o022)
            store = CachingSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(path))
            tracker = start(store, "private")
            turn(tracker, "my name is Jordan")
            asyncio.run(store.save(tracker))
            files = [p for p in tmp_path.iterdir() if p.name.startswith(path.name)]
            assert {f.name for f in files} >= {path.name, f"{path.name}-wal", f"{path.name}-shm"}
            assert {f.name: f.stat().st_mode & 0o777 for f in files} == dict.fromkeys((f.name for f in files), 0o600)
            store.engine.dispose()
    finally:
        os.umask(previous)
