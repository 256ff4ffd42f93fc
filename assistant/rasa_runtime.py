"""Run Rasa's command line with one measured performance fix for Rasa 3.6.

    python -m assistant.rasa_runtime run --model ...   (same arguments as `rasa`)

Rasa 3.6 looks up the class of every stored event by walking all Event
subclasses again, for each event, each time a tracker is loaded from the
tracker store: with ~30 subclasses that was the largest single cost of a turn
(profiled: ~14 ms of ~45 ms) and it grows with the conversation. The lookup
is cached here by type name; unknown names still go through Rasa's own code,
so behaviour is unchanged. Nothing else is patched.
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


def main() -> None:
    cache_event_type_lookup()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
