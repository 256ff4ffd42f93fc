"""Run Rasa's command line with two measured performance fixes for Rasa 3.6.

    python -m rasa_ext.runtime run --model ...   (same arguments as `rasa`)

Each cost grows with the length of a conversation, and none changes what
Rasa decides:

1. Rasa looks up the class of every stored event by walking all Event
   subclasses again, for each event, each time a tracker is loaded (profiled:
   ~14 ms of a ~45 ms turn). The lookup is cached by type name; unknown names
   still go through Rasa's own code.
2. Before every action prediction RulePolicy renders the whole conversation
   as text for a DEBUG log line, even when DEBUG is off. The rendering is
   skipped unless the policy logger is at DEBUG.
3. Every call to the action server carries the whole conversation's events
   (JSON the server builds, sends and the action server parses again). Our
   actions read slots, the latest message and, through rasa_sdk, the events
   from the latest user message on (form slot candidates, input channel);
   the call carries the events of the last ACTION_EVENT_TURNS user turns
   (the current one and one before, to spare). Slots and the latest message
   are sent as before, computed from the whole conversation.

4. Before each action the policies turn the whole conversation into states
   (RulePolicy: 20% of a turn at turn 60-100). They decide from the last few
   (MemoizationPolicy max_history 3; our longest rule spans a few turns; no
   conversation_start rules), so they are given a view of the last
   PREDICTION_ACTIONS actions, which starts from the slot values and active
   loop the conversation had at that point.
5. Each action-server reply is checked against Rasa's JSON schema, and
   jsonschema.validate checks the schema itself first, every time (8% of a
   turn), then tries each event against all 23 event schemas. Validators are
   built once and an event is checked against the schema of its own type; a
   reply that fails goes through Rasa's own check, so errors are reported
   exactly as before.

6. Rasa's applied_events (reverted turns removed, form turns collapsed) is
   recomputed from the first event several times a turn; it is continued
   from the previous call instead (see incremental_applied_events).
7. Before every action Rasa copies the tracker by replaying all its events
   into a new one (40% of a turn at turn 200). The copy takes the state
   directly instead (see copy_tracker_state); so does the tracker a form
   hands its validation action (form_validation_tracker_from_copy), and empty
   copies copy their slots without copy.copy (blank_tracker_like).

The tracker itself is kept between turns by rasa_ext.tracker_store.

And three for hostile input (issue 10):

- Log records are one line each (assistant.safe_logging): a conversation id
  or an error message holding a newline cannot forge a line in var/rasa.log.
- GET / answers {"status": "ok"}, not "Hello from Rasa: 3.6.21": the version
  would tell a scanner which advisories apply (no response carries a Server
  header either; tests/e2e/test_rest.py checks both).
- No request body above MAX_REQUEST_BYTES is read, on any route (Sanic's
  default is 100 MB); the REST channel has its own, smaller limit, and the
  website chat's socket.io packets theirs (channels/webchat.py).
"""

from __future__ import annotations

import sys


def cache_event_type_lookup() -> None:
    from rasa.shared.core import events

    if getattr(events.Event.resolve_by_type, "cached", False):
        return
    original = events.Event.resolve_by_type
    found: dict[str, type] = {}

    def resolve_by_type(type_name, default=None):
        cls = found.get(type_name)
        if cls is None:
            cls = original(type_name, default)
            if cls is not None and cls is not default:
                found[type_name] = cls
        return cls

    resolve_by_type.cached = True
    events.Event.resolve_by_type = staticmethod(resolve_by_type)


def skip_unlogged_state_formatting() -> None:
    import logging

    from rasa.core.policies.policy import Policy

    if getattr(Policy.format_tracker_states, "lazy", False):
        return
    original = Policy.format_tracker_states
    logger = logging.getLogger("rasa.core.policies")

    def format_tracker_states(states):
        return original(states) if logger.isEnabledFor(logging.DEBUG) else ""

    format_tracker_states.lazy = True
    Policy.format_tracker_states = staticmethod(format_tracker_states)


ACTION_EVENT_TURNS = 2


def recent_events(events, turns: int = ACTION_EVENT_TURNS) -> list:
    """The events from the `turns`-th last user message on (all of them if fewer)."""
    from rasa.shared.core.events import UserUttered

    seen = 0
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], UserUttered):
            seen += 1
            if seen == turns:
                return list(events)[index:]
    return list(events)


def send_recent_events_to_actions() -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.trackers import EventVerbosity

    if getattr(RemoteAction._action_call_format, "windowed", False):
        return
    original = RemoteAction._action_call_format

    def action_call_format(self, tracker, domain):
        call = original(self, _WithoutEvents(tracker), domain)
        call["tracker"]["events"] = [event.as_dict() for event in recent_events(tracker.events)]
        return call

    class _WithoutEvents:
        """The tracker, but current_state(ALL) leaves the events to the caller."""

        def __init__(self, tracker):
            self._tracker = tracker

        def __getattr__(self, name):
            return getattr(self._tracker, name)

        def current_state(self, event_verbosity=EventVerbosity.NONE):
            return self._tracker.current_state(EventVerbosity.NONE)

    action_call_format.windowed = True
    RemoteAction._action_call_format = action_call_format


# Three times the actions of our longest rule (4; a test keeps it at least twice).
PREDICTION_ACTIONS = 12


def recent_view(tracker, actions: int = PREDICTION_ACTIONS):
    """A tracker holding the conversation from its `actions`-th last action on, starting
    from the slots and active loop it had at that point (the tracker itself if shorter).

    Cut in Rasa's applied events (reverted turns removed, a form's repeated turns
    collapsed), so the view's states are the conversation's own last states.
    """
    from rasa.shared.core.events import ActiveLoop, SlotSet

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
    slots: dict = {}
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


def incremental_applied_events() -> None:
    """Rasa's applied_events, continued from the last call on the same tracker.

    applied_events is a left fold over the events (given the names of the loops
    that occur); Rasa recomputes it from the first event on every call, several
    times a turn, and a long form makes it quadratic (50 ms at 600 events,
    measured). The fold's state is kept on the tracker and continued for new
    events; anything else (fewer events, a different event at the cut, a new
    loop name) recomputes from the start as Rasa does.
    """
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionReverted,
        ActiveLoop,
        Restarted,
        SessionStarted,
        UserUtteranceReverted,
        UserUttered,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    if getattr(DialogueStateTracker.applied_events, "incremental", False):
        return

    def fold(tracker, events, applied, loop_names):
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

    def applied_events(self):
        events = self.events
        count = len(events)
        cached = self.__dict__.get("_applied_fold")
        if cached is not None:
            done, last, loop_names, applied = cached
            if 0 < done <= count and events[done - 1] is last:
                new = [events[index] for index in range(done, count)]
                if all(not isinstance(e, ActiveLoop) or not e.name or e.name in loop_names for e in new):
                    applied = list(applied)
                    fold(self, new, applied, loop_names)
                    if count:
                        self.__dict__["_applied_fold"] = (count, events[-1], loop_names, applied)
                    return list(applied)
        loop_names = frozenset(e.name for e in events if isinstance(e, ActiveLoop) and e.name)
        applied = []
        fold(self, list(events), applied, loop_names)
        if count:
            self.__dict__["_applied_fold"] = (count, events[-1], loop_names, applied)
        return list(applied)

    applied_events.incremental = True
    DialogueStateTracker.applied_events = applied_events


def blank_tracker_like(tracker, reset_slots: bool = True):
    """Rasa's tracker.init_copy(): no events, copies of the slots (reset to their
    initial values unless reset_slots is False). Slots are copied by their
    attributes: copy.copy's generic protocol made copying ~50 slots a few times
    a turn a measurable part of it."""
    from rasa.shared.core.trackers import DEFAULT_SENDER_ID, DialogueStateTracker

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


def fast_init_copy() -> None:
    """DialogueStateTracker.init_copy() as blank_tracker_like (the policies' featurizer
    calls it for every prediction)."""
    from rasa.shared.core.trackers import DialogueStateTracker

    if getattr(DialogueStateTracker.init_copy, "fast", False):
        return

    def init_copy(self):
        return blank_tracker_like(self)

    init_copy.fast = True
    DialogueStateTracker.init_copy = init_copy


def copy_tracker_state() -> None:
    """DialogueStateTracker.copy() without replaying every event.

    Rasa's copy is init_copy() plus a replay of all events; since a tracker's
    state is by design what its events replay to, the copy takes that state
    over: the same event objects, copies of the slots and of the dicts the
    tracker changes in place. Like Rasa's copy it has no model or assistant id
    and no sender source. The applied_events fold is shared (never changed in place).
    """
    import copy

    from rasa.shared.core.trackers import DialogueStateTracker

    if getattr(DialogueStateTracker.copy, "direct", False):
        return

    def copy_state(self):
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

    copy_state.direct = True
    DialogueStateTracker.copy = copy_state


def form_validation_tracker_from_copy() -> None:
    """The tracker a form hands its validation action, built from a copy of the
    conversation instead of a replay of every event since the last restart
    (FormAction._temporary_tracker; grows with a long form). The state is the
    same (a restart resets everything before it); the copy also holds the
    events before the last restart, of which the action server gets none
    older than the last ACTION_EVENT_TURNS turns anyway."""
    from rasa.core.actions.forms import FormAction
    from rasa.shared.core.constants import REQUESTED_SLOT
    from rasa.shared.core.events import ActionExecuted, SlotSet

    if getattr(FormAction._temporary_tracker, "from_copy", False):
        return

    def temporary_tracker(self, current_tracker, additional_events, domain):
        tracker = current_tracker.copy()
        for event in [SlotSet(REQUESTED_SLOT, self.get_slot_to_fill(current_tracker)),
                      ActionExecuted(self.name()), *additional_events]:
            tracker.update(event)
        return tracker

    temporary_tracker.from_copy = True
    FormAction._temporary_tracker = temporary_tracker


def predict_from_recent_turns() -> None:
    from rasa.core.processor import MessageProcessor

    if getattr(MessageProcessor._predict_next_with_tracker, "windowed", False):
        return
    original = MessageProcessor._predict_next_with_tracker

    def predict_next_with_tracker(self, tracker):
        if tracker.followup_action:  # handled (and cleared) on the real tracker
            return original(self, tracker)
        return original(self, recent_view(tracker))

    predict_next_with_tracker.windowed = True
    MessageProcessor._predict_next_with_tracker = predict_next_with_tracker


def validate_action_replies_with_one_validator() -> None:
    """Action-server replies checked against Rasa's schema by prebuilt validators.

    Rasa's schema says each event must match exactly one of 23 event schemas
    (oneOf), so jsonschema tries all 23 for every event (6% of a form turn).
    Each of them fixes a different `event` value, so exactly the one named by
    the event can match: the event is checked against that one alone. A reply
    either check refuses goes through Rasa's own check, which reports the error.
    """
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    if getattr(RemoteAction._validate_action_result, "prebuilt", False):
        return
    original = RemoteAction._validate_action_result
    reply_schema, by_event = event_schemas_by_type(RemoteAction.action_response_format_spec())
    reply_validator = validator_for(reply_schema)(reply_schema)
    event_validators = {name: validator_for(schema)(schema) for name, schema in by_event.items()}

    def validate_action_result(self, result):
        try:
            reply_validator.validate(result)
            for event in result.get("events") or []:
                event_validators[event["event"]].validate(event)  # no such type: KeyError
            return True
        except (ValidationError, KeyError, TypeError):
            return original(self, result)

    validate_action_result.prebuilt = True
    RemoteAction._validate_action_result = validate_action_result


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


# Above the website chat's socket.io packets (channels/webchat.MAX_PACKET_BYTES, 2 MiB) and
# far above a REST request or an SMS webhook; Sanic answers 413 without reading further.
MAX_REQUEST_BYTES = 4 * 1024 * 1024


def quiet_root_route() -> None:
    """GET / says the server is up without naming Rasa or its version, and every app Rasa
    builds (with or without its HTTP API) refuses bodies above MAX_REQUEST_BYTES."""
    import rasa.server
    from sanic import response

    if getattr(rasa.server.add_root_route, "quiet", False):
        return

    def add_root_route(app) -> None:
        app.config.REQUEST_MAX_SIZE = min(app.config.REQUEST_MAX_SIZE, MAX_REQUEST_BYTES)

        @app.get("/")
        async def hello(request):
            return response.json({"status": "ok"})

    add_root_route.quiet = True
    rasa.server.add_root_route = add_root_route


def main() -> None:
    from assistant import safe_logging

    safe_logging.install()
    quiet_root_route()
    cache_event_type_lookup()
    skip_unlogged_state_formatting()
    send_recent_events_to_actions()
    predict_from_recent_turns()
    validate_action_replies_with_one_validator()
    incremental_applied_events()
    fast_init_copy()
    copy_tracker_state()
    form_validation_tracker_from_copy()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
