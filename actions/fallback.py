"""Two-stage fallback, in words people understand, ending with the offer of a human."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from assistant.lexicon import lexicon


class ActionDefaultAskAffirmation(Action):
    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        ranking = [r for r in tracker.latest_message.get("intent_ranking", []) if r.get("name") != "nlu_fallback"]
        guess = ranking[0]["name"] if ranking else None
        topics = lexicon().topics  # what each intent is about, in the person's words
        if guess not in topics:
            # FAQ topics (retrieval intents) cannot be re-sent as a button: ask to rephrase instead.
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        dispatcher.utter_message(response="utter_check_topic", topic=topics[guess],
                                 yes_payload=f"/{guess}{_entities_json(tracker)}")
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
