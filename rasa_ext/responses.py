"""What a custom action's messages become once Rasa fills them in: for tests and the SMS report.

The actions send domain responses by name with values
(`dispatcher.utter_message(response=..., **values)`). Rasa fills each one for
the conversation's channel (its `channel: sms` variant on SMS) with the slots
and the values, then adds the action's own buttons after the response's
(`RemoteAction._utter_responses` and `create_bot_utterance` in
rasa/core/actions/action.py). `rendered` does the same with Rasa's own
response generator, without loading the action machinery (TensorFlow);
tests/unit/test_rendered_responses.py checks it gives what Rasa's code gives.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator

from assistant import domain_files

# The parts of a bot message a channel shows (BotUttered.data), besides the text.
SHOWN = ("elements", "quick_replies", "buttons", "attachment", "image", "custom")


@lru_cache(maxsize=4)
def _generator(domain_dir: Path) -> tuple[TemplatedNaturalLanguageGenerator, dict[str, Any]]:
    domain = domain_files.load(domain_dir)
    initial = {name: (slot or {}).get("initial_value") for name, slot in (domain.get("slots") or {}).items()}
    return TemplatedNaturalLanguageGenerator(domain.get("responses") or {}), initial


def rendered(messages: list[dict[str, Any]], channel: str | None, slots: dict[str, Any] | None = None,
             domain_dir: Path = domain_files.DOMAIN_DIR) -> list[dict[str, Any]]:
    """`messages` (CollectingDispatcher.messages) as the person gets them on `channel` ("sms", "rest", ...).

    `slots`: the conversation's slots, over the domain's initial values. Each
    result holds the text, the non-empty parts shown with it (buttons...) and,
    for a domain response, its name as `response`.
    """
    nlg, initial = _generator(domain_dir)
    filled_slots = {**initial, **(slots or {})}
    out = []
    for message in copy.deepcopy(messages):
        name = message.pop("response", None)
        if name:
            draft = nlg.generate_from_slots(name, filled_slots, channel or "", **message)
            if not draft:
                continue  # Rasa drops a response the domain does not have
        else:
            draft = {}
        buttons = message.pop("buttons", []) or []
        if buttons:
            draft.setdefault("buttons", [])
            draft["buttons"].extend(buttons)
        draft.update({key: value for key, value in message.items() if value})
        draft["attachment"] = draft.get("attachment") or draft.get("image")  # as create_bot_utterance does
        shown = {"text": draft.get("text"), **{key: draft[key] for key in SHOWN if draft.get(key)}}
        out.append({**shown, "response": name} if name else shown)
    return out
