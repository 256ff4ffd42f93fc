"""Answers about medications, withdrawal and the center, looked up in `assistant`.

Each is sent as a response of domain/knowledge.yml, the answer text and the
button titles that are data (from knowledge/*.yml) or the center's facts
(center.yml) passed in as values.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import entity_values, intent_button, intent_payload, on_sms, raw_texts
from assistant.center import center_reply, current_center
from assistant.knowledge import ASPECTS, MAIN_MEDICATIONS, OPTION_GROUPS, SUBSTANCES, knowledge
from assistant.lexicon import lexicon

ASPECT_BY_INTENT = {
    "med_info": "info",
    "med_side_effects": "side_effects",
    "med_how_taken": "how_taken",
    "med_when_start": "when_start",
    "med_pregnancy": "pregnancy",
}


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
                response="utter_which_medication",
                buttons=[intent_button(kb.display_name(m).capitalize(), intent, medication=m) for m in choices],
            )
            return []
        sms = on_sms(tracker)
        answer = kb.medication_answer(current, aspect, sms)
        # Every medication has every aspect (tests/unit/test_knowledge.py), and `current` is one of them.
        assert answer is not None
        notes = _brand_notes(tracker, answer)
        others = {}  # three other topics of this medication (the SMS wording offers none)
        for i, other in enumerate([a for a in ASPECTS if a != aspect][:3], 1):
            others[f"aspect_{i}"] = kb.aspect_title(other)
            others[f"aspect_{i}_payload"] = intent_payload(_intent_for(other), medication=current)
        dispatcher.utter_message(response="utter_medication_answer", answer=" ".join([*notes, answer]), **others)
        return [SlotSet("medication", current)]

    def _compare(self, dispatcher: CollectingDispatcher, tracker: Tracker, named: list[str], current: str | None) -> list:
        kb = knowledge()
        if len(named) >= 2:
            text = kb.comparison(named[0], named[1], on_sms(tracker))
            if text:
                notes = _brand_notes(tracker, text)
                dispatcher.utter_message(response="utter_medication_comparison", answer=" ".join([*notes, text]))
                return [SlotSet("medication", named[0])]
            dispatcher.utter_message(
                response="utter_no_comparison",
                first=kb.display_name(named[0]), first_payload=intent_payload("med_info", medication=named[0]),
                second=kb.display_name(named[1]), second_payload=intent_payload("med_info", medication=named[1]),
            )
            return []
        base = current if current in kb.medications else None
        candidates = kb.comparisons_with(base) if base else []
        if base and candidates:
            buttons = [{"title": kb.comparison_title(base, o), "payload": _compare_payload(base, o)} for o in candidates[:4]]
            dispatcher.utter_message(response="utter_which_comparison", medication=kb.display_name(base), buttons=buttons)
            return []
        pairs = [item["pair"] for item in kb.comparisons[:4]]
        dispatcher.utter_message(
            response="utter_which_medications_to_compare",
            buttons=[{"title": kb.comparison_title(a, b), "payload": _compare_payload(a, b)} for a, b in pairs],
        )
        return []


def _intent_for(aspect: str) -> str:
    return next(intent for intent, a in ASPECT_BY_INTENT.items() if a == aspect)


def _compare_payload(first: str, second: str) -> str:
    # Two entities of one type in a payload: Rasa takes a list as several entities.
    return intent_payload("med_compare", medication=[first, second])


class ActionMedicationOptions(Action):
    def name(self) -> str:
        return "action_medication_options"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        kb = knowledge()
        substances = entity_values(tracker, "substance")
        substance = next((s for s in substances if s in OPTION_GROUPS), None)
        text = kb.medication_options(substance, on_sms(tracker))
        if not substance:
            dispatcher.utter_message(response="utter_medication_options", answer=text,
                                     **{f"{s}_payload": intent_payload("med_options", substance=s) for s in OPTION_GROUPS})
            return []
        first = {}  # the first medications for the substance, one button each
        for i, medication in enumerate(OPTION_GROUPS[substance][:3], 1):
            first[f"medication_{i}"] = kb.display_name(medication)
            first[f"medication_{i}_payload"] = intent_payload("med_info", medication=medication)
        dispatcher.utter_message(response="utter_medication_options_for", answer=text, **first)
        return [SlotSet("substance", substance)]


class ActionMedicationMixing(Action):
    """Dangerous combinations: a warning and a referral, never a 'yes, that's fine'."""

    def name(self) -> str:
        return "action_medication_mixing"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        kb = knowledge()
        named = [m for m in entity_values(tracker, "medication") if m in kb.medications]
        medication = named[0] if named else tracker.get_slot("medication")
        dispatcher.utter_message(response="utter_medication_mixing", answer=kb.mixing(medication, on_sms(tracker)))
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
            # The answer, then the other topic for the same substance.
            if topic == "symptoms":
                response, other = "utter_withdrawal_symptoms_answer", "withdrawal_cold_turkey"
            else:
                response, other = "utter_withdrawal_cold_turkey_answer", "withdrawal_symptoms"
            dispatcher.utter_message(response=response, answer=text,
                                     other_payload=intent_payload(other, substance=substance))
            return [SlotSet("substance", substance)]
        payloads = {f"{s}_payload": intent_payload(intent or "withdrawal_cold_turkey", substance=s) for s in SUBSTANCES}
        dispatcher.utter_message(response="utter_withdrawal_which_substance", answer=text, **payloads)
        return []


class ActionCenterInfo(Action):
    def name(self) -> str:
        return "action_center_info"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        topic = (tracker.get_intent_of_latest_message() or "center_contact").removeprefix("center_")
        response, facts = center_reply(current_center(), topic)  # the response for the case, with center.yml's facts
        dispatcher.utter_message(response=response, **facts)
        return []
