"""The production set-up for real: endpoints.production.yml with PostgreSQL, a Redis lock store, 2 workers."""

import time
import uuid

import psycopg2
import pytest

from channels import conversation_ids
from evaluation.server import (
    MODEL,
    POSTGRES,
    create_database,
    drop_database,
    production_env,
    production_services_missing,
    start_assistant,
)
from tests.e2e.conftest import assert_turns_one_after_another, send_all_at_once

pytestmark = pytest.mark.needs_model  # starts the assistant with models/assistant.tar.gz


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    if not MODEL.exists():
        pytest.skip("no trained model: run `make train`")
    missing = production_services_missing()
    if missing:
        pytest.skip(missing)
    database = f"assistant_e2e_{uuid.uuid4().hex[:8]}"
    create_database(database)
    running = start_assistant(tmp_path_factory.mktemp("production"), production=production_env(database))
    yield running, database
    running.stop()
    drop_database(database)


def test_conversation_and_crisis_record_land_in_postgresql(production):
    assistant, database = production
    sender = f"prod-{uuid.uuid4().hex[:8]}"
    assert "buprenorphine" in " ".join(r.get("text", "") for r in assistant.send(sender, "what is suboxone")).lower()
    assistant.send(sender, "what about side effects")
    crisis = " ".join(r.get("text", "") for r in assistant.send(sender, "i want to end it all"))
    assert "988" in crisis
    with psycopg2.connect(dbname=database, **POSTGRES) as connection, connection.cursor() as cursor:
        cursor.execute("select data::json->>'text' from events where sender_id = %s and type_name = 'user' order by id",
                       (conversation_ids.rest(sender),))
        assert [row[0] for row in cursor.fetchall()] == ["what is suboxone", "what about side effects", "i want to end it all"]
        cursor.execute("select kind from crisis_events where conversation_id = %s", (conversation_ids.rest(sender),))
        assert cursor.fetchall() == [("suicide",)]


def test_many_conversations_at_once_lose_nothing(production):
    """Two workers and a shared Redis lock store: every turn of every conversation is stored."""
    import threading

    assistant, database = production
    senders = [f"prod-many-{i}-{uuid.uuid4().hex[:6]}" for i in range(6)]

    def talk(sender):
        for text in ("hi", "what is methadone", "how is it taken", "what are your hours"):
            assistant.send(sender, text)

    threads = [threading.Thread(target=talk, args=(s,)) for s in senders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with psycopg2.connect(dbname=database, **POSTGRES) as connection, connection.cursor() as cursor:
        cursor.execute("select sender_id, count(*) from events where sender_id = any(%s) and type_name = 'user' "
                       "group by sender_id", ([conversation_ids.rest(s) for s in senders],))
        assert dict(cursor.fetchall()) == {conversation_ids.rest(s): 4 for s in senders}


def test_one_conversations_messages_at_once_are_taken_one_at_a_time(production):
    """The Redis lock store hands out one ticket at a time (Rasa's kept 15-18 of 20: docs/rasa-3.6-notes.md)."""
    assistant, database = production
    sender = f"prod-same-{uuid.uuid4().hex[:8]}"
    assistant.send(sender, "hi")
    texts = [f"what is {med}" for med in ("methadone", "naltrexone", "suboxone", "vivitrol", "antabuse")] * 4
    started = time.perf_counter()
    send_all_at_once(assistant, sender, texts)
    assert time.perf_counter() - started < 10  # Rasa's lock stores look again once a second: ~20 s
    with psycopg2.connect(dbname=database, **POSTGRES) as connection, connection.cursor() as cursor:
        cursor.execute("select type_name, action_name from events where sender_id = %s order by id",
                       (conversation_ids.rest(sender),))
        assert_turns_one_after_another(cursor.fetchall(), messages=1 + len(texts))
