"""The patches of rasa_ext/patches.py, each compared with Rasa's own result.

Every test installs the patches it needs through `patched` (rasa_ext.patches), which
undoes them afterwards: no test depends on the order tests run in.
"""


import pytest

from rasa_ext import patches
from rasa_ext.patches import patched


@pytest.fixture(autouse=True)
def no_patch_outlives_a_test():
    before = patches.installed()
    yield
    assert patches.installed() == before, "a test left a patch installed"


def _long_tracker(domain, turns: int):
    from rasa.shared.core.events import ActionExecuted, ActiveLoop, SessionStarted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    events = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    intents = ["med_info", "med_side_effects", "greet", "center_hours", "withdrawal_symptoms"]
    for turn in range(turns):
        intent = intents[turn % len(intents)]
        events += [UserUttered(f"message {turn}", {"name": intent, "confidence": 1.0})]
        if turn == 3:
            events += [SlotSet("medication", "methadone")]
        if turn == 5:
            events += [ActiveLoop("some_loop")]
        if turn == 7:
            events += [ActiveLoop(None), SlotSet("crisis_stage", "asked")]
        events += [ActionExecuted("action_answer_medication"), ActionExecuted("action_listen")]
    return DialogueStateTracker.from_events("long", events, slots=domain.slots)


def test_recent_view_gives_the_policies_the_same_recent_states():
    from rasa.shared.core.domain import Domain

    from rasa_ext.speedups import PREDICTION_ACTIONS, recent_view

    domain = Domain.load("domain")
    tracker = _long_tracker(domain, 40)
    view = recent_view(tracker)
    assert len(view.events) < len(tracker.events) / 3
    assert sum(1 for e in view.events if e.type_name == "action") in range(PREDICTION_ACTIONS, PREDICTION_ACTIONS + 3)
    assert view.current_slot_values() == tracker.current_slot_values()
    assert view.latest_message.text == tracker.latest_message.text
    full, recent = tracker.past_states(domain), view.past_states(domain)
    # Every state after the window's first one is identical, including the
    # slot set at turn 7 and the loop state, which come from before the window.
    assert len(recent) >= PREDICTION_ACTIONS - 1
    assert recent[1:] == full[-(len(recent) - 1):]
    assert "crisis_stage" in recent[1]["slots"]


def test_recent_view_of_a_short_conversation_is_the_tracker():
    from rasa.shared.core.domain import Domain

    from rasa_ext.speedups import recent_view

    domain = Domain.load("domain")
    tracker = _long_tracker(domain, 3)
    assert recent_view(tracker) is tracker


def test_action_calls_carry_the_recent_events_and_all_slots():
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain

    from rasa_ext.speedups import ACTION_EVENT_TURNS
    domain = Domain.load("domain")
    tracker = _long_tracker(domain, 40)
    with patched(["action_call_recent_events"]):
        call = RemoteAction("action_answer_medication", None)._action_call_format(tracker, domain)
    whole = RemoteAction("action_answer_medication", None)._action_call_format(tracker, domain)  # Rasa's own
    assert {k: v for k, v in call["tracker"].items() if k != "events"} == \
        {k: v for k, v in whole["tracker"].items() if k != "events"}
    assert whole["tracker"]["events"][-len(call["tracker"]["events"]):] == call["tracker"]["events"]
    events = call["tracker"]["events"]
    assert sum(1 for e in events if e["event"] == "user") == ACTION_EVENT_TURNS
    assert events[-1] == tracker.events[-1].as_dict()
    assert call["tracker"]["slots"]["medication"] == "methadone"  # set at turn 3, long before the window
    assert call["tracker"]["latest_message"]["text"] == "message 39"


def test_action_replies_are_checked_as_before():
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction

    action = RemoteAction("action_answer_medication", None)
    with patched(["reply_validators"]):
        assert action._validate_action_result({"events": [{"event": "slot", "name": "x", "value": 1}], "responses": []})
        with pytest.raises(ValidationError, match="Failed to validate Action server response"):
            action._validate_action_result({"events": "not a list"})


QUESTIONS = ("intake_age_group", "intake_substances", "intake_last_use", "intake_insurance", "intake_phone")


def _form_tracker(domain, answers: int):
    """A long pre-assessment: the form asks, the person answers, with reverts and digressions."""
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionExecutionRejected,
        ActiveLoop,
        BotUttered,
        SessionStarted,
        SlotSet,
        UserUtteranceReverted,
        UserUttered,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker("form", domain.slots)
    events = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
              UserUttered("call me", {"name": "request_callback", "confidence": 1.0}),
              ActionExecuted("action_intake_start"), ActionExecuted("intake_form"), ActiveLoop("intake_form"),
              SlotSet("requested_slot", "intake_consent"), ActionExecuted("action_listen")]
    for n in range(answers):
        events += [UserUttered(f"answer {n}", {"name": "nlu_fallback", "confidence": 0.1})]
        if n % 7 == 3:  # a stop the form rejects, answered by a rule
            events += [ActionExecutionRejected("intake_form"), ActionExecuted("utter_stop_ok"), BotUttered("ok")]
        if n % 11 == 5:  # the fallback reverts the message
            events += [ActionExecuted("action_default_fallback"), UserUtteranceReverted()]
            events += [ActionExecuted("action_listen")]
            continue
        slot = QUESTIONS[n % len(QUESTIONS)]
        events += [SlotSet(slot, "x"), ActionExecuted("intake_form"),
                   SlotSet("requested_slot", QUESTIONS[(n + 1) % len(QUESTIONS)]), ActionExecuted("action_listen")]
        if n == answers - 3:
            events += [UserUttered("restart", {"name": "restart", "confidence": 1.0}),
                       ActionExecuted("intake_form"), ActiveLoop(None), ActionExecuted("action_listen")]
    for event in events:
        tracker.update(event)
    return tracker


def test_applied_events_continued_from_the_last_call_equal_rasas():
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load("domain")
    rasas = DialogueStateTracker.applied_events
    reference = _form_tracker(domain, 60)  # built with Rasa's own applied_events
    with patched(["applied_events_fold"]):
        tracker = DialogueStateTracker("form", domain.slots)
        for index, event in enumerate(reference.events):
            tracker.update(event)  # some events call applied_events themselves (reverts)
            if index % 5 == 0 or index > len(reference.events) - 30:
                expected = rasas(tracker)
                assert tracker.applied_events() == expected, index
        assert tracker.applied_events() == rasas(reference)


def test_recent_view_of_a_long_form_gives_the_same_recent_states():
    from rasa.shared.core.domain import Domain

    from rasa_ext.speedups import recent_view

    domain = Domain.load("domain")
    tracker = _form_tracker(domain, 200)
    view = recent_view(tracker)
    assert view is not tracker and len(view.events) < len(tracker.events) / 5
    full, recent = tracker.past_states(domain), view.past_states(domain)
    assert recent[1:] == full[-(len(recent) - 1):]
    assert view.active_loop_name == tracker.active_loop_name


def _state(tracker, domain):
    from rasa.shared.core.trackers import EventVerbosity

    return {
        "current": tracker.current_state(EventVerbosity.ALL),
        "slots": {name: (slot.value, slot.has_been_set) for name, slot in tracker.slots.items()},
        "attributes": (tracker._paused, tracker.followup_action, tracker.latest_action, tracker.latest_message,
                       tracker.latest_bot_utterance, tracker.active_loop, tracker.model_id, tracker.assistant_id,
                       tracker.sender_source, tracker.is_rule_tracker, tracker._max_event_history),
        "applied": tracker.applied_events(),
        "states": tracker.past_states(domain),
    }


def test_tracker_copy_equals_rasas_replayed_copy():
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecutionRejected, SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load("domain")
    rasas = DialogueStateTracker.copy
    with patched(["tracker_copy"]):
        for reference in (_form_tracker(domain, 40), _long_tracker(domain, 30)):
            reference.model_id = "model"  # Rasa's copy leaves it out: so must ours
            tracker = DialogueStateTracker(reference.sender_id, domain.slots)
            for index, event in enumerate(reference.events):
                tracker.update(event)
                if index % 3:
                    continue
                ours, theirs = tracker.copy(), rasas(tracker)
                assert _state(ours, domain) == _state(theirs, domain), index
                # The copy is independent: changing it leaves the tracker as it was.
                before = _state(tracker, domain)
                ours.update(SlotSet("medication", "naltrexone"))
                ours.update(ActionExecutionRejected("intake_form"))
                assert _state(tracker, domain) == before, index


def test_blank_tracker_equals_init_copy():
    from rasa.shared.core.domain import Domain

    from rasa_ext.speedups import blank_tracker_like

    domain = Domain.load("domain")
    tracker = _form_tracker(domain, 12)
    ours, theirs = blank_tracker_like(tracker), tracker.init_copy()  # Rasa's own
    assert _state(ours, domain) == _state(theirs, domain)
    assert all(ours.slots[name] is not slot for name, slot in tracker.slots.items())  # copies, not the same slots


def test_form_validation_tracker_has_the_state_of_rasas_replay():
    from rasa.core.actions.forms import FormAction
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet

    domain = Domain.load("domain")
    form = FormAction("intake_form", None)
    tracker = _form_tracker(domain, 30)  # holds a restart
    extracted = [SlotSet("intake_phone", "617-555-0142")]
    theirs = form._temporary_tracker(tracker, extracted, domain)
    with patched(["tracker_copy", "form_tracker_copy"]):
        ours = form._temporary_tracker(tracker, extracted, domain)
    state_ours, state_theirs = _state(ours, domain), _state(theirs, domain)

    def untimed(current):  # the two add their own new events, stamped a moment apart
        events = [{k: v for k, v in event.items() if k != "timestamp"} for event in current["events"][-40:]]
        return {**current, "events": events, "latest_event_time": None}

    assert untimed(state_ours["current"]) == untimed(state_theirs["current"])
    for key in ("slots", "attributes", "states"):
        assert state_ours[key] == state_theirs[key], key
    assert [e.type_name for e in state_ours["applied"]] == [e.type_name for e in state_theirs["applied"]]


REPLIES = [
    {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": []},
    {"events": [{"event": "slot", "name": "x", "value": {"a": [1]}, "timestamp": None},
                {"event": "action_execution_rejected", "name": "intake_form"},
                {"event": "active_loop", "name": None}, {"event": "followup", "name": "action_listen"},
                {"event": "bot", "text": "hi", "data": {}}, {"event": "session_started"},
                {"event": "user", "text": "hi", "parse_data": {}}, {"event": "restart"}],
     "responses": [{"text": "x"}]},
    {"events": []},
    {},
    # not valid
    {"events": "not a list"},
    {"events": [{"name": "x"}]},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "slot", "name": 3}]},
    {"events": [{"event": "slot", "name": "x", "timestamp": "yesterday"}]},
    {"events": [{"event": "bot", "text": 5}]},
    {"events": [5]},
    {"events": [{"event": "slot", "name": "x"}], "responses": "hi"},
    {"events": [{"event": 5}]},
]


def test_action_replies_are_accepted_and_refused_exactly_as_by_rasas_schema():
    import jsonschema
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    action = RemoteAction("action_answer_medication", None)
    with patched(["reply_validators"]):
        for reply in REPLIES:
            expected = jsonschema.Draft7Validator(schema).is_valid(reply)
            try:
                accepted = action._validate_action_result(reply)
            except jsonschema.ValidationError:
                accepted = False
            assert accepted == expected, reply


def test_the_prediction_view_holds_every_rule_and_the_memoization_history():
    """The policies see the last PREDICTION_ACTIONS actions: longer than any rule (with room) and
    than MemoizationPolicy's history, and no rule needs the conversation's start."""
    from pathlib import Path

    import yaml

    from rasa_ext.speedups import PREDICTION_ACTIONS

    longest = 0
    for path in Path("data").rglob("*.yml"):
        data = yaml.safe_load(path.read_text()) or {}
        for block in (data.get("rules") or []) + (data.get("stories") or []):
            assert not block.get("conversation_start"), block.get("rule")
            longest = max(longest, sum(1 for step in block.get("steps", []) if "action" in step))
    assert longest and 2 * longest <= PREDICTION_ACTIONS
    policies = {p["name"]: p for p in yaml.safe_load(Path("config.yml").read_text())["policies"]}
    assert policies["MemoizationPolicy"]["max_history"] < PREDICTION_ACTIONS
    assert set(policies) == {"MemoizationPolicy", "RulePolicy"}  # a policy with a longer memory needs a longer view


# --- the table itself: fingerprints, undo, the version guard -------------------------------

@pytest.mark.parametrize("entry", patches.PATCHES + patches.OVERRIDES, ids=lambda e: e.target)
def test_rasas_source_is_the_one_each_patch_was_written_for(entry):
    found = patches.source_fingerprint(patches.rasas_function(entry.target))
    what = f"patch {entry.name!r}" if isinstance(entry, patches.Patch) else f"the override in {entry.by}"
    assert found == entry.fingerprint, (
        f"Rasa's {entry.target} changed (source fingerprint {found}, expected {entry.fingerprint}): re-check "
        f"{what} against the new code, run its test, then update the fingerprint in rasa_ext/patches.py")


def test_each_patch_names_a_test_that_exists():
    from pathlib import Path

    for patch in patches.PATCHES:
        path, _, test = patch.proven_by.split(" ")[0].rstrip(",").partition("::")
        source = Path(path).read_text(encoding="utf-8")
        assert not test or f"def {test}(" in source, patch.name


def test_every_patch_is_undone_to_rasas_own_object():
    targets = {}
    for patch in patches.PATCHES:
        owner, attribute = patch.owner_and_attribute()
        targets[patch.name] = patches.raw_attribute(owner, attribute)
    with patched() as names:
        assert names == [p.name for p in patches.PATCHES]
        for patch in patches.PATCHES:
            owner, attribute = patch.owner_and_attribute()
            now = patches.raw_attribute(owner, attribute)
            assert now is not targets[patch.name], patch.name
            assert type(now) is type(targets[patch.name]), patch.name  # a staticmethod stays one
        assert patches.install() == names and patches.installed() == names  # twice changes nothing
    for patch in patches.PATCHES:
        owner, attribute = patch.owner_and_attribute()
        now = patches.raw_attribute(owner, attribute)
        assert now is targets[patch.name], patch.name


def test_rasa_patches_setting():
    speed = [p.name for p in patches.PATCHES if p.kind == "speed"]
    assert patches.selected(None) == patches.selected("all") == [p.name for p in patches.PATCHES]
    assert patches.selected("none") == ["quiet_root_route"]
    assert "event_type_cache" not in patches.BY_NAME  # dropped: no gain beyond noise (docs/rasa-patches.md)
    assert patches.selected("all,-prediction_window") == [n for n in patches.selected("all") if n != "prediction_window"]
    assert set(speed) <= set(patches.selected("all"))
    for wrong in ("fast", "all,prediction_window", "all,-no_such_patch", "all,-quiet_root_route"):
        with pytest.raises(ValueError, match="RASA_PATCHES"):
            patches.selected(wrong)


def test_the_runtime_refuses_another_rasa_version():
    from rasa_ext import RASA_VERSION
    from rasa_ext.runtime import require_rasa_version

    require_rasa_version(RASA_VERSION)
    with pytest.raises(SystemExit, match=r"written for Rasa 3\.6\.21, but Rasa 3\.7\.0 is installed.*re-check|Re-check"):
        require_rasa_version("3.7.0")


def test_the_runtime_checks_the_installed_version_before_anything_else(monkeypatch):
    import rasa

    from rasa_ext import runtime

    monkeypatch.setattr(rasa, "__version__", "3.6.20")
    with pytest.raises(SystemExit, match="Rasa 3.6.20 is installed"):
        runtime.main()
    assert patches.installed() == []
