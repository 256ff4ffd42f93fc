"""Replacements for Rasa 3.6.21 methods whose cost grows with a conversation's length.

None changes what Rasa decides: each is compared with Rasa's own result in
tests/unit/test_rasa_patches.py, and rasa_ext/patches.py lists them with their
measured gains. Each `*_replacing(original)` returns the function that takes the
place of `original` (Rasa's own, which the replacement may still call).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.actions.forms import FormAction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DEFAULT_SENDER_ID, DialogueStateTracker, EventVerbosity

# The action server gets the events of the last ACTION_EVENT_TURNS user turns: our actions
# read slots, the latest message and, through rasa_sdk, the events from the latest user
# message on (form slot candidates, input channel); one turn more to spare.
ACTION_EVENT_TURNS = 2

# The policies see the last PREDICTION_ACTIONS actions: three times the actions of our
# longest rule (4; a test keeps it at least twice) and more than MemoizationPolicy's history.
PREDICTION_ACTIONS = 12


def recent_events(events: Sequence[Event], turns: int = ACTION_EVENT_TURNS) -> list[Event]:
    """The events from the `turns`-th last user message on (all of them if fewer)."""
    seen = 0
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], UserUttered):
            seen += 1
            if seen == turns:
                return list(events)[index:]
    return list(events)


class _WithoutEvents:
    """The tracker, but current_state(ALL) leaves the events to the caller."""

    def __init__(self, tracker: DialogueStateTracker) -> None:
        self._tracker = tracker

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tracker, name)

    def current_state(self, event_verbosity: EventVerbosity = EventVerbosity.NONE) -> dict:
        return self._tracker.current_state(EventVerbosity.NONE)


def action_call_with_recent_events(original: Callable) -> Callable:
    """Every action-server call carried the whole conversation's events; it carries those of
    the last ACTION_EVENT_TURNS user turns. Slots and the latest message are computed from
    the whole conversation, as before."""

    def action_call_format(self: RemoteAction, tracker: DialogueStateTracker, domain: Domain) -> dict:
        call = original(self, _WithoutEvents(tracker), domain)
        call["tracker"]["events"] = [event.as_dict() for event in recent_events(tracker.events)]
        return call

    return action_call_format


def blank_tracker_like(tracker: DialogueStateTracker, reset_slots: bool = True) -> DialogueStateTracker:
    """Rasa's tracker.init_copy(): no events, copies of the slots (reset to their initial
    values unless reset_slots is False). Slots are copied by their attributes: copy.copy's
    generic protocol made copying ~50 slots a few times a turn a measurable part of it."""
    blank = DialogueStateTracker(tracker.sender_id or DEFAULT_SENDER_ID, None, tracker._max_event_history,
                                 is_rule_tracker=tracker.is_rule_tracker)
    slots = {}
    for name, slot in tracker.slots.items():
        copied = slot.__class__.__new__(slot.__class__)
        copied.__dict__.update(slot.__dict__)
        if reset_slots:
            copied.reset()
        slots[name] = copied
    blank.slots = slots
    return blank


def recent_view(tracker: DialogueStateTracker, actions: int = PREDICTION_ACTIONS) -> DialogueStateTracker:
    """A tracker holding the conversation from its `actions`-th last action on, starting
    from the slots and active loop it had at that point (the tracker itself if shorter).

    Cut in Rasa's applied events (reverted turns removed, a form's repeated turns
    collapsed), so the view's states are the conversation's own last states.
    """
    # Events are compared by type name: isinstance on Rasa's (ABC) event classes
    # costs more than the rest of this function in a conversation of 800 events.
    events = tracker.applied_events()
    seen, start = 0, None
    for index in range(len(events) - 1, 0, -1):
        if events[index].type_name == "action":
            seen += 1
            if seen == actions:
                start = index
                break
    while start is not None and start > 0 and not (
        events[start].type_name == "action" and events[start].action_name == "action_listen"
    ):
        start -= 1  # begin at the listen a user message answered: no turn is cut in half
    if not start:
        return tracker
    slots: dict[str, Any] = {}
    loop = None
    for event in events[:start]:
        kind = event.type_name
        if kind == "slot":
            slots[event.key] = event.value
        elif kind == "reset_slots":
            slots = {}
        elif kind in ("active_loop", "form"):  # "form": Rasa's old name for an active loop
            loop = event.name
    view = blank_tracker_like(tracker)
    for event in [SlotSet(key, value) for key, value in slots.items()] + ([ActiveLoop(loop)] if loop else []):
        view.update(event)
    for event in events[start:]:
        view.update(event)
    return view


def predict_from_recent_view(original: Callable) -> Callable:
    """Before each action the policies turn the whole conversation into states (RulePolicy:
    20% of a turn at turn 60-100). They decide from the last few (MemoizationPolicy
    max_history 3, rules of a few turns, no conversation_start rules): they get recent_view."""

    def predict_next_with_tracker(self: MessageProcessor, tracker: DialogueStateTracker) -> Any:
        if tracker.followup_action:  # handled (and cleared) on the real tracker
            return original(self, tracker)
        return original(self, recent_view(tracker))

    return predict_next_with_tracker


def event_schemas_by_type(reply_schema: dict) -> tuple[dict, dict]:
    """Rasa's reply schema with events left to be checked one by one, and for each
    event type the event schema with its one oneOf branch."""
    events = reply_schema["properties"]["events"]
    event = events["items"]
    base = {key: value for key, value in event.items() if key != "oneOf"}
    by_event = {}
    for branch in event["oneOf"]:
        name = branch["properties"]["event"]["const"]
        if name in by_event:
            raise ValueError(f"two event schemas for {name!r}: oneOf no longer means one per type")
        by_event[name] = {**base, "allOf": [branch]}
    reply = {**reply_schema, "properties": {**reply_schema["properties"],
                                            "events": {**events, "items": {"type": "object",
                                                                           "required": ["event"]}}}}
    return reply, by_event


def validate_reply_by_event_type(original: Callable) -> Callable:
    """Action-server replies checked by prebuilt validators. Rasa's schema says each event
    matches exactly one of 23 event schemas (oneOf), so jsonschema tries all 23 for every
    event, after checking the schema itself (8% of a form turn). Each fixes a different
    `event` value: an event is checked against the one its name picks. A reply either check
    refuses goes through Rasa's own check, which reports the error as before."""
    reply_schema, by_event = event_schemas_by_type(RemoteAction.action_response_format_spec())
    reply_validator = validator_for(reply_schema)(reply_schema)
    event_validators = {name: validator_for(schema)(schema) for name, schema in by_event.items()}

    def validate_action_result(self: RemoteAction, result: dict) -> bool:
        try:
            reply_validator.validate(result)
            for event in result.get("events") or []:
                event_validators[event["event"]].validate(event)  # no such type: KeyError
            return True
        except (ValidationError, KeyError, TypeError):
            return original(self, result)

    return validate_action_result


def _fold(tracker: DialogueStateTracker, events: Sequence[Event], applied: list[Event],
          loop_names: frozenset[str]) -> None:
    """One step of Rasa's applied_events for each event (its loop, written as a fold)."""
    for event in events:
        if isinstance(event, (Restarted, SessionStarted)):
            applied.clear()
        elif isinstance(event, ActionReverted):
            tracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in loop_names
            and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            tracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)


def applied_events_continued(original: Callable) -> Callable:
    """Rasa recomputes applied_events from the first event several times a turn, which a
    long form makes quadratic (50 ms at 600 events). The fold's state is kept on the
    tracker and continued for new events; anything else (fewer events, a different event
    at the cut, a new loop name) recomputes from the start as Rasa does."""

    def applied_events(self: DialogueStateTracker) -> list[Event]:
        events = self.events
        count = len(events)
        cached = self.__dict__.get("_applied_fold")
        if cached is not None:
            done, last, loop_names, applied = cached
            if 0 < done <= count and events[done - 1] is last:
                new = [events[index] for index in range(done, count)]
                if all(not isinstance(e, ActiveLoop) or not e.name or e.name in loop_names for e in new):
                    applied = list(applied)
                    _fold(self, new, applied, loop_names)
                    if count:
                        self.__dict__["_applied_fold"] = (count, events[-1], loop_names, applied)
                    return list(applied)
        loop_names = frozenset(e.name for e in events if isinstance(e, ActiveLoop) and e.name)
        applied = []
        _fold(self, list(events), applied, loop_names)
        if count:
            self.__dict__["_applied_fold"] = (count, events[-1], loop_names, applied)
        return list(applied)

    return applied_events


def copy_without_replay(original: Callable) -> Callable:
    """Rasa copies a tracker before every action by replaying all its events into a new
    one (40% of a turn at turn 200). Since a tracker's state is by design what its events
    replay to, the copy takes that state over: the same event objects, copies of the
    slots and of what the tracker changes in place. Like Rasa's copy it has no model or
    assistant id and no sender source. The applied_events fold is shared (never changed
    in place)."""

    def copy_state(self: DialogueStateTracker) -> DialogueStateTracker:
        clone = blank_tracker_like(self, reset_slots=False)
        clone.events = clone._create_events(list(self.events))
        clone._paused = self._paused
        clone.followup_action = self.followup_action
        clone.latest_action = dict(self.latest_action) if self.latest_action is not None else None
        clone.latest_message = self.latest_message
        clone.latest_bot_utterance = self.latest_bot_utterance
        clone.active_loop = copy.copy(self.active_loop)  # changed in place (interrupted, rejected)
        if "_applied_fold" in self.__dict__:
            clone.__dict__["_applied_fold"] = self.__dict__["_applied_fold"]
        return clone

    return copy_state


def form_tracker_from_copy(original: Callable) -> Callable:
    """The tracker a form hands its validation action, built from a copy of the
    conversation instead of a replay of every event since the last restart (grows with a
    long form). The state is the same (a restart resets everything before it); the copy
    also holds the events before the last restart, of which the action server gets none
    older than the last ACTION_EVENT_TURNS turns anyway."""

    def temporary_tracker(self: FormAction, current_tracker: DialogueStateTracker,
                          additional_events: list[Event], domain: Domain) -> DialogueStateTracker:
        tracker = current_tracker.copy()
        for event in [SlotSet(REQUESTED_SLOT, self.get_slot_to_fill(current_tracker)),
                      ActionExecuted(self.name()), *additional_events]:
            tracker.update(event)
        return tracker

    return temporary_tracker
