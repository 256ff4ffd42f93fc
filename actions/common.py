"""Small helpers shared by the actions."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from assistant.intake.reply import Reply


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    """Canonical values of `entity` in the latest message, in order, without repeats."""
    seen: list[str] = []
    for item in tracker.latest_message.get("entities", []):
        if item.get("entity") == entity and item.get("value") not in seen:
            seen.append(item["value"])
    return seen


def raw_texts(tracker: Tracker, entity: str) -> list[str]:
    return [item.get("text") or item.get("value") for item in tracker.latest_message.get("entities", [])
            if item.get("entity") == entity]


def on_sms(tracker: Tracker) -> bool:
    """The message came by SMS (channels/sms.py): answers use their SMS wording and offer fewer options."""
    return tracker.get_latest_input_channel() == "sms"


def utter(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    """Send a reply of the pre-assessment modules (not one with an `action`: actions/intake.py runs those)."""
    buttons = [{"title": title, "payload": title} for title in reply.buttons]
    dispatcher.utter_message(text=reply.text, response=reply.response, buttons=buttons, **reply.values)


def intent_payload(intent: str, **entities: str | list[str]) -> str:
    """What a button sends: the intent, with the entities it carries ("/med_info{"medication": "methadone"}")."""
    return f"/{intent}" + (json.dumps(entities) if entities else "")


def intent_button(title: str, intent: str, **entities: str | list[str]) -> dict[str, Any]:
    """A button added to a response by the action; `title` is data (a medication's name, from knowledge/)."""
    return {"title": title, "payload": intent_payload(intent, **entities)}
