"""Crisis events through the same SQLAlchemy code on SQLite and on PostgreSQL."""

import os
import uuid

import pytest
import sqlalchemy

from assistant.records import crisis_events, record_crisis_event

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_available() -> bool:
    try:
        with sqlalchemy.create_engine(PG_URL).connect():
            return True
    except sqlalchemy.exc.OperationalError:
        return False


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'records.db'}"
    if not _postgres_available():
        pytest.skip(f"PostgreSQL not reachable at {PG_URL} (set TEST_POSTGRES_URL)")
    return PG_URL


def test_crisis_event_is_stored_without_message_text(db_url):
    conversation = f"test-{uuid.uuid4().hex}"
    event_id = record_crisis_event(conversation, "overdose", "rule:not_breathing", url=db_url)
    stored = [e for e in crisis_events(url=db_url, unreviewed_only=True) if e.conversation_id == conversation]
    assert [(e.id, e.kind, e.detected_by) for e in stored] == [(event_id, "overdose", "rule:not_breathing")]
    assert stored[0].created_at is not None
    assert not hasattr(stored[0], "text")
