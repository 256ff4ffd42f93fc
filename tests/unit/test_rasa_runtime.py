import logging

from assistant.rasa_runtime import cache_event_type_lookup, skip_unlogged_state_formatting


def test_event_lookup_is_cached_and_unchanged():
    from rasa.shared.core.events import Event, SlotSet, UserUttered

    cache_event_type_lookup()
    assert Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("slot") is SlotSet
    assert Event.resolve_by_type("nonsense", default=SlotSet) is SlotSet


def test_state_formatting_only_when_debug_is_on():
    from rasa.core.policies.policy import Policy

    skip_unlogged_state_formatting()
    states = [{"user": {"intent": "greet"}, "prev_action": {"action_name": "action_listen"}}]
    logger = logging.getLogger("rasa.core.policies")
    logger.setLevel(logging.INFO)
    assert Policy.format_tracker_states(states) == ""
    logger.setLevel(logging.DEBUG)
    try:
        assert "greet" in Policy.format_tracker_states(states)
    finally:
        logger.setLevel(logging.NOTSET)
