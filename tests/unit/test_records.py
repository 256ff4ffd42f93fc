"""Crisis events through the same SQLAlchemy code on SQLite and on PostgreSQL."""

import uuid

import pytest
import sqlalchemy

from assistant.db.crises import crisis_events, record_crisis_event
from assistant.db.engine import engine_for


@pytest.fixture
def db_url(records_url):
    return records_url


def test_crisis_event_is_stored_without_message_text(db_url):
    conversation = f"test-{uuid.uuid4().hex}"
    event_id = record_crisis_event(conversation, "overdose", "rule:not_breathing", url=db_url)
    stored = [e for e in crisis_events(url=db_url, unreviewed_only=True) if e.conversation_id == conversation]
    assert [(e.id, e.kind, e.detected_by) for e in stored] == [(event_id, "overdose", "rule:not_breathing")]
    assert stored[0].created_at is not None
    # The table as migrated in the real database, not the Python object: every column named, none for text.
    columns = {column["name"] for column in sqlalchemy.inspect(engine_for(db_url)).get_columns("crisis_events")}
    # review_note: the reviewing clinician's own words (console), never the person's.
    assert columns == {"id", "conversation_id", "kind", "detected_by", "created_at",
                       "reviewed_at", "reviewed_by", "reviewed_on_behalf_of", "review_note"}
