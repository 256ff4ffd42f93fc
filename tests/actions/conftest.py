"""Tracker fixtures for action tests (rasa_sdk Tracker + CollectingDispatcher)."""

import asyncio

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from assistant.center import DEFAULT_PATH, current_center
from rasa_ext.responses import rendered


def make_tracker(intent: str, text: str = "", entities: list | None = None, slots: dict | None = None,
                 sender_id: str = "test-user", extra: dict | None = None, ranking: list | None = None) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": ranking or [{"name": intent, "confidence": 0.9}],
        "entities": entities or [],
        **(extra or {}),
    }
    return Tracker(sender_id, slots or {}, latest, [], False, None, {}, "action_listen")


def med(value: str, text: str | None = None) -> dict:
    return {"entity": "medication", "value": value, "text": text or value}


def substance(value: str) -> dict:
    return {"entity": "substance", "value": value}


def seen(messages: list[dict], tracker: Tracker) -> list[dict]:
    """The messages as the person gets them: each response filled in by Rasa for the tracker's channel
    (rasa_ext/responses.py), keeping what the action passed (`response`, its values)."""
    shown = rendered(messages, tracker.get_latest_input_channel(), tracker.slots)
    assert len(shown) == len(messages), f"a response the domain does not have: {[m.get('response') for m in messages]}"
    return [{**message, **filled} for message, filled in zip(messages, shown, strict=True)]


@pytest.fixture
def run_action():
    def run(action, tracker):
        dispatcher = CollectingDispatcher()
        events = asyncio.run(action.run(dispatcher, tracker, {}))
        return seen(dispatcher.messages, tracker), events
    return run


@pytest.fixture
def staff_notifications(tmp_path, monkeypatch):
    """Run the actions with center.yml plus these staff_notifications, through a temporary CENTER_CONFIG."""
    def configure(settings: dict) -> None:
        center = {**yaml.safe_load(DEFAULT_PATH.read_text()), "staff_notifications": settings}
        path = tmp_path / "center.yml"
        path.write_text(yaml.safe_dump(center))
        monkeypatch.setenv("CENTER_CONFIG", str(path))
        current_center.cache_clear()  # read once per process otherwise

    yield configure
    current_center.cache_clear()
