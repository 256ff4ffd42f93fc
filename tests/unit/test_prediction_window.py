"""The prediction_window patch (rasa_ext/speedups.predict_from_recent_view): the trained
policies predict the same next action from the recent view as from the whole tracker.

Checked before every action of every test story (each alone, then all of them as one
long conversation, so the window really cuts) and of a long conversation recorded
from a real server (tests/fixtures/long_conversation.json, made by
`python -m evaluation.record_conversation`), which holds a rejected active loop.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import pytest

from rasa_ext import patches
from rasa_ext.speedups import PREDICTION_ACTIONS, recent_view
from tests.conftest import ROOT

pytestmark = pytest.mark.needs_model

MODEL = ROOT / "models" / "assistant.tar.gz"
RECORDED = ROOT / "tests" / "fixtures" / "long_conversation.json"
PREDICT = "rasa.core.processor:MessageProcessor._predict_next_with_tracker"
# The states the policies read: MemoizationPolicy's max_history (3) + 1, and our longest rule
# (4 actions). The view's first states may differ at the cut (Rasa featurizes a turn from the
# events before it: in the stories joined end to end, a story's first user turn after the
# previous one's open form); those are never read.
POLICY_STATES = PREDICTION_ACTIONS // 2


@pytest.fixture(scope="module")
def processor():
    if not MODEL.exists():
        pytest.skip("needs the trained model: make train")
    from rasa.core.agent import Agent

    return Agent.load(str(MODEL)).processor


def _prediction_points(processor, sender: str, events: Iterable) -> Iterator:
    """The tracker as it is right before each action (one tracker, updated in place)."""
    from rasa.shared.core.events import ActionExecuted
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker(sender, processor.domain.slots)
    for event in events:
        if isinstance(event, ActionExecuted) and tracker.events and not tracker.followup_action:
            yield tracker
        tracker.update(event)


def _compare(processor, trackers: Iterator) -> tuple[int, int, int]:
    """(points compared, points where the view was shorter than the tracker, rejected loops seen)."""
    rasas = patches.rasas_function(PREDICT)
    compared = windowed = rejected = 0
    for tracker in trackers:
        view = recent_view(tracker)
        whole, recent = rasas(processor, tracker), rasas(processor, view)
        where = f"{tracker.sender_id} at event {len(tracker.events)}"
        assert recent.max_confidence_index == whole.max_confidence_index, where
        assert (recent.policy_name, recent.max_confidence) == (whole.policy_name, whole.max_confidence), where
        if view is not tracker:  # and the policies saw the same recent states (slots and loop included)
            assert view.past_states(processor.domain)[-POLICY_STATES:] == \
                tracker.past_states(processor.domain)[-POLICY_STATES:], where
        compared += 1
        windowed += view is not tracker
        rejected += tracker.is_active_loop_rejected
    return compared, windowed, rejected


def _story_trackers(processor) -> list:
    from rasa.core.test import _create_data_generator

    # The agent only lends its domain to the generator, which reads the stories with it.
    agent = type("AgentDomain", (), {"domain": processor.domain})()
    generator = _create_data_generator(str(ROOT / "tests" / "stories"), agent, use_conversation_test_files=True)
    return generator.generate_story_trackers()


def test_every_test_story_is_predicted_the_same_from_the_window(processor):
    stories = _story_trackers(processor)
    assert len(stories) >= 20
    total = 0
    for story in stories:
        compared, _, _ = _compare(processor, _prediction_points(processor, story.sender_id, story.events))
        total += compared
    # All stories as one conversation: long enough for the view to cut it.
    joined = [event for story in stories for event in story.events]
    compared, windowed, _ = _compare(processor, _prediction_points(processor, "all-stories", joined))
    assert compared > total / 2 and windowed > compared / 2


def test_a_long_recorded_conversation_is_predicted_the_same_from_the_window(processor):
    from rasa.shared.core.events import Event

    events = [Event.from_parameters(data) for data in json.loads(RECORDED.read_text(encoding="utf-8"))]
    assert sum(1 for e in events if e.type_name == "action") > 10 * PREDICTION_ACTIONS
    compared, windowed, rejected = _compare(processor, _prediction_points(processor, "recorded", events))
    assert compared > 150 and windowed > compared / 2
    assert rejected >= 1  # the form refused "stop" (is_active_loop_rejected) and the view agreed


def test_the_installed_patch_predicts_through_the_view(processor):
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker

    events = [Event.from_parameters(data) for data in json.loads(RECORDED.read_text(encoding="utf-8"))]
    tracker = DialogueStateTracker.from_events("recorded", events[: len(events) // 2], slots=processor.domain.slots)
    assert recent_view(tracker) is not tracker
    with patches.patched(["prediction_window"]):
        ours = processor._predict_next_with_tracker(tracker)
    theirs = patches.rasas_function(PREDICT)(processor, tracker)
    assert (ours.max_confidence_index, ours.policy_name) == (theirs.max_confidence_index, theirs.policy_name)
