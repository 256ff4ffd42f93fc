from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.center import current_center


class ActionSessionStart(Action):
    """Every conversation opens with who we are and what we are not (not a clinician, not for emergencies)."""

    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        center = current_center()
        slots = [SlotSet("center_name", center.name), SlotSet("center_phone", center.phone)]
        dispatcher.utter_message(response="utter_disclaimer", center_name=center.name)
        return [SessionStarted(), *slots, ActionExecuted("action_listen")]
