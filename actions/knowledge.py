"""Answers about medications, withdrawal and the center, looked up in `assistant`."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import MENU_BUTTON, STAFF_BUTTON, entity_values, intent_button, on_sms, raw_texts
from assistant.center import center_answer, current_center
from assistant.knowledge import ASPECT_TITLES, MAIN_MEDICATIONS, OPTION_GROUPS, SUBSTANCES, knowledge
from assistant.lexicon import lexicon

ASPECT_BY_INTENT = {
    "med_info": "info",
    "med_side_effects": "side_effects",
    "med_how_taken": "how_taken",
    "med_when_start": "when_start",
    "med_pregnancy": "pregnancy",
}
SUBSTANCE_TITLES = {"alcohol": "Alcohol", "opioids": "Opioids", "benzodiazepines": "Benzos", "stimulants": "Stimulants"}


def _brand_notes(tracker: Tracker, answer: str) -> list[str]:
    """Corrections for brands the person named, unless the answer already gives them."""
    lex = lexicon()
    return [note for text in raw_texts(tracker, "medication")
            if (note := lex.brand_note(text)) and text.lower() not in answer.lower()]


class ActionAnswerMedication(Action):
    """What it is, side effects, how taken, when to start, pregnancy, comparisons.

    A follow-up without a medication name ("what about side effects?") uses
    the medication slot: the last one discussed.
    """

    def name(self) -> str:
        return "action_answer_medication"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        kb = knowledge()
        intent = tracker.get_intent_of_latest_message()
        named = [m for m in entity_values(tracker, "medication") if m in kb.medications]
        current = named[0] if named else tracker.get_slot("medication")

        if intent == "med_compare":
            return self._compare(dispatcher, tracker, named, current)

        aspect = ASPECT_BY_INTENT.get(intent, "info")
        vague = [] if named else lexicon().ambiguous_in(tracker.latest_message.get("text") or "")
        if vague or current not in kb.medications:
            # "the shot" could be Vivitrol, Sublocade or Brixadi: ask rather than guess.
            choices = vague or MAIN_MEDICATIONS
            dispatcher.utter_message(
                text="Which medication do you mean?",
                buttons=[intent_button(kb.display_name(m).capitalize(), intent, medication=m) for m in choices],
            )
            return []
        sms = on_sms(tracker)
        answer = kb.medication_answer(current, aspect, sms)
        notes = _brand_notes(tracker, answer)
        others = [a for a in ASPECT_TITLES if a != aspect][:3]
        # On SMS every option costs characters: the person can type a follow-up instead.
        buttons = [] if sms else [intent_button(ASPECT_TITLES[a], _intent_for(a), medication=current) for a in others]
        buttons.append(STAFF_BUTTON)
        dispatcher.utter_message(text=" ".join([*notes, answer]), buttons=buttons)
        return [SlotSet("medication", current)]

    def _compare(self, dispatcher: CollectingDispatcher, tracker: Tracker, named: list[str], current: str | None) -> list:
        kb = knowledge()
        if len(named) >= 2:
            text = kb.comparison(named[0], named[1], on_sms(tracker))
            if text:
                notes = _brand_notes(tracker, text)
                buttons = [STAFF_BUTTON] if on_sms(tracker) else [STAFF_BUTTON, MENU_BUTTON]
                dispatcher.utter_message(text=" ".join([*notes, text]), buttons=buttons)
                return [SlotSet("medication", named[0])]
            first, second = kb.display_name(named[0]), kb.display_name(named[1])
            dispatcher.utter_message(
                text=f"I don't have a side-by-side for {first} and {second}, but I can tell you about each. "
                "Your prescriber can help you weigh them for your situation.",
                buttons=[intent_button(f"About {first}", "med_info", medication=named[0]),
                         intent_button(f"About {second}", "med_info", medication=named[1]), STAFF_BUTTON],
            )
            return []
        base = current if current in kb.medications else None
        candidates = kb.comparisons_with(base) if base else []
        if base and candidates:
            buttons = [{"title": f"{kb.display_name(base)} vs {kb.display_name(o)}", "payload": _compare_payload(base, o)}
                       for o in candidates[:4]]
            dispatcher.utter_message(text=f"Which comparison would help with {kb.display_name(base)}?", buttons=buttons)
            return []
        pairs = [item["pair"] for item in kb.comparisons[:4]]
        dispatcher.utter_message(
            text="Which medications would you like to compare?",
            buttons=[{"title": f"{kb.display_name(a)} vs {kb.display_name(b)}", "payload": _compare_payload(a, b)}
                     for a, b in pairs],
        )
        return []


def _intent_for(aspect: str) -> str:
    return next(intent for intent, a in ASPECT_BY_INTENT.items() if a == aspect)


def _compare_payload(first: str, second: str) -> str:
    # Two entities of one type in a payload: Rasa takes a list as several entities.
    return "/med_compare" + json.dumps({"medication": [first, second]})


class ActionMedicationOptions(Action):
    def name(self) -> str:
        return "action_medication_options"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        kb = knowledge()
        substances = entity_values(tracker, "substance")
        substance = next((s for s in substances if s in OPTION_GROUPS), None)
        if substance and on_sms(tracker):
            buttons = []  # the answer names the medications: the person can ask about one by name
        elif substance:
            buttons = [intent_button(f"About {kb.display_name(m)}", "med_info", medication=m)
                       for m in OPTION_GROUPS[substance][:3]]
        else:
            buttons = [intent_button("For opioids", "med_options", substance="opioids"),
                       intent_button("For alcohol", "med_options", substance="alcohol")]
        text = kb.medication_options(substance, on_sms(tracker))
        dispatcher.utter_message(text=text, buttons=[*buttons, STAFF_BUTTON])
        return [SlotSet("substance", substance)] if substance else []


class ActionMedicationMixing(Action):
    """Dangerous combinations: a warning and a referral, never a 'yes, that's fine'."""

    def name(self) -> str:
        return "action_medication_mixing"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        kb = knowledge()
        named = [m for m in entity_values(tracker, "medication") if m in kb.medications]
        medication = named[0] if named else tracker.get_slot("medication")
        buttons = [STAFF_BUTTON] if on_sms(tracker) else [STAFF_BUTTON, MENU_BUTTON]
        dispatcher.utter_message(text=kb.mixing(medication, on_sms(tracker)), buttons=buttons)
        return [SlotSet("medication", medication)] if medication in kb.medications else []


class ActionAnswerWithdrawal(Action):
    def name(self) -> str:
        return "action_answer_withdrawal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        kb = knowledge()
        intent = tracker.get_intent_of_latest_message()
        topic = "symptoms" if intent == "withdrawal_symptoms" else "cold_turkey"
        named = [s for s in entity_values(tracker, "substance") if s in SUBSTANCES]
        substance = named[0] if named else tracker.get_slot("substance")
        text = kb.withdrawal_answer(substance if substance in SUBSTANCES else None, topic, on_sms(tracker))
        if substance in SUBSTANCES:
            other = "withdrawal_cold_turkey" if topic == "symptoms" else "withdrawal_symptoms"
            title = "Is stopping suddenly risky?" if topic == "symptoms" else "Symptoms and timeline"
            buttons = [STAFF_BUTTON] if on_sms(tracker) else [intent_button(title, other, substance=substance), STAFF_BUTTON]
            dispatcher.utter_message(text=text, buttons=buttons)
            return [SlotSet("substance", substance)]
        buttons = [intent_button(SUBSTANCE_TITLES[s], intent or "withdrawal_cold_turkey", substance=s) for s in SUBSTANCES]
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


class ActionCenterInfo(Action):
    def name(self) -> str:
        return "action_center_info"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        topic = (tracker.get_intent_of_latest_message() or "center_contact").removeprefix("center_")
        dispatcher.utter_message(text=center_answer(current_center(), topic), buttons=[STAFF_BUTTON, MENU_BUTTON])
        return []
