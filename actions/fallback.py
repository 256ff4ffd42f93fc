"""Two-stage fallback, in words people understand, ending with the offer of a human."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

# What a suggested intent means, in the user's words.
INTENT_LABELS = {
    "greet": "saying hello",
    "goodbye": "saying goodbye",
    "thank": "saying thanks",
    "bot_challenge": "whether you're talking to a bot",
    "help_menu": "what I can help with",
    "restart": "starting over",
    "request_callback": "talking to our staff",
    "med_info": "what a medication is and how it works",
    "med_side_effects": "side effects of a medication",
    "med_how_taken": "how a medication is taken",
    "med_when_start": "when a medication can be started",
    "med_pregnancy": "medication and pregnancy",
    "med_compare": "comparing medications",
    "med_options": "which medications can help",
    "med_dose_request": "doses or changing a medication",
    "med_mixing": "mixing a medication with alcohol or other drugs",
    "withdrawal_cold_turkey": "the risks of quitting suddenly",
    "withdrawal_symptoms": "withdrawal symptoms and how long they last",
    "center_cost_insurance": "cost and insurance",
    "center_hours": "our opening hours",
    "center_location": "where we are",
    "center_contact": "how to reach us",
    "center_services": "the services we offer",
}


class ActionDefaultAskAffirmation(Action):
    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        ranking = [r for r in tracker.latest_message.get("intent_ranking", []) if r.get("name") != "nlu_fallback"]
        guess = ranking[0]["name"] if ranking else None
        if guess not in INTENT_LABELS:
            # FAQ topics (retrieval intents) cannot be re-sent as a button: ask to rephrase instead.
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        dispatcher.utter_message(
            text=f"Just to check: is your question about {INTENT_LABELS[guess]}?",
            buttons=[
                {"title": "Yes", "payload": f"/{guess}{_entities_json(tracker)}"},
                {"title": "No", "payload": "/out_of_scope"},
            ],
        )
        return []


def _entities_json(tracker: Tracker) -> str:
    """The original message's entities, so "Yes" keeps the medication it named."""
    found: dict[str, list[str]] = {}
    for item in tracker.latest_message.get("entities", []):
        found.setdefault(item["entity"], []).append(item["value"])
    return json.dumps(found) if found else ""


class ActionDefaultFallback(Action):
    """After repeated misunderstanding: apologize and offer a person."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        dispatcher.utter_message(response="utter_default")
        return [UserUtteranceReverted()]
