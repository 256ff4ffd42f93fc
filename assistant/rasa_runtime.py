"""Run Rasa's command line with two measured performance fixes for Rasa 3.6.

    python -m assistant.rasa_runtime run --model ...   (same arguments as `rasa`)

Both costs grow with the length of a conversation, and neither changes what
Rasa does:

1. Rasa looks up the class of every stored event by walking all Event
   subclasses again, for each event, each time a tracker is loaded (profiled:
   ~14 ms of a ~45 ms turn). The lookup is cached by type name; unknown names
   still go through Rasa's own code.
2. Before every action prediction RulePolicy renders the whole conversation
   as text for a DEBUG log line, even when DEBUG is off. The rendering is
   skipped unless the policy logger is at DEBUG.
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


def main() -> None:
    cache_event_type_lookup()
    skip_unlogged_state_formatting()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
