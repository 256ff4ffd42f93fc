"""Transcripts read back from a tracker store Rasa itself wrote (rasa_ext/transcripts.py reads its tables directly)."""

import asyncio
from datetime import datetime, timezone

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext.transcripts import Turn, read_transcript


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


def test_a_conversation_reads_back_as_turns_oldest_first(tmp_path, monkeypatch):
    db = tmp_path / "tracker.db"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    asyncio.run(store.save(DialogueStateTracker.from_events("conv-a", [
        UserUttered("I want to start treatment", timestamp=100.0),
        ActionExecuted("utter_greet", timestamp=101.0),
        SlotSet("intake_for_whom", "self", timestamp=101.2),
        BotUttered("I can ask a few questions.", timestamp=101.5),
        BotUttered(None, {"image": "https://example.org/map.png"}, timestamp=101.6),  # nothing to read: left out
        UserUttered("yes, for me", timestamp=103.0),
    ])))  # fmt: skip
    asyncio.run(store.save(DialogueStateTracker.from_events("conv-b", [UserUttered("another person's words")])))
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{db}")

    assert read_transcript("conv-a") == [
        Turn(_at(100.0), "person", "I want to start treatment"),
        Turn(_at(101.5), "assistant", "I can ask a few questions."),
        Turn(_at(103.0), "person", "yes, for me"),
    ]
    assert read_transcript("nobody") == []


def test_a_missing_tracker_database_is_an_error_and_is_not_created(tmp_path):
    missing = tmp_path / "missing.db"
    with pytest.raises(FileNotFoundError, match="no tracker database at"):
        read_transcript("conv-a", url=f"sqlite:///{missing}")
    assert not missing.exists()
