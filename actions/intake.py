"""Rasa adapters for the pre-assessment (intake_form) and the callback request.

The questions, parsing, what each message does to the form, scoring, triage,
records and notifications are plain modules under assistant/intake; these
actions read the tracker, send the replies and set the slots.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActionExecutionRejected, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import on_sms, utter
from actions.handoff import HALT_SLOTS, QUESTION_IDS, current_answers, hand_off, reset_answers
from actions.knowledge import (
    ActionAnswerMedication,
    ActionAnswerWithdrawal,
    ActionCenterInfo,
    ActionMedicationMixing,
    ActionMedicationOptions,
)
from actions.safety import record_crisis
from assistant.center import current_center
from assistant.intake.confirmation import summary_text
from assistant.intake.conversation import (
    STOPPING_ANSWERS,
    Message,
    answer_turn,
    corrections,
    for_whom_from_text,
    is_leaving,
)
from assistant.intake.flow import HALT_CALLBACK, HALT_CRISIS, form_questions
from assistant.intake.questions import buttons_for, notice_text, text_for
from assistant.intake.reply import Reply

logger = logging.getLogger(__name__)

# The knowledge actions that answer a question asked on the side, by name (assistant/intake/conversation.py).
SIDE_ANSWERS = {action().name(): action for action in (
    ActionAnswerMedication, ActionAnswerWithdrawal, ActionCenterInfo, ActionMedicationMixing, ActionMedicationOptions)}


def message_of(tracker: Tracker) -> Message:
    """The latest message as assistant/intake/conversation.py reads it."""
    latest = tracker.latest_message
    intent = latest.get("intent") or {}
    name = intent.get("name")
    ranking = ((latest.get("response_selector") or {}).get(name) or {}).get("ranking") or []
    return Message(latest.get("text") or "", name, intent.get("confidence") or 0.0,
                   ranking[0].get("intent_response_key") if ranking else None)


async def send(replies: tuple[Reply, ...], dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> None:
    """The replies in order; a question asked on the side is answered by its knowledge action."""
    for reply in replies:
        if reply.action:
            await SIDE_ANSWERS[reply.action]().run(dispatcher, tracker, domain)
        else:
            utter(dispatcher, reply)


# --- asking -------------------------------------------------------------------------


class AskQuestion(Action, ABC):
    """action_ask_<question id>: the question in the person's wording, with its buttons."""

    @property
    @abstractmethod
    def question_id(self) -> str: ...

    def name(self) -> str:
        return f"action_ask_{self.question_id}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        for_whom = tracker.get_slot("intake_for")
        if self.question_id == "intake_consent":
            dispatcher.utter_message(text=notice_text(for_whom, current_center().name, on_sms(tracker)))
        if self.question_id == "intake_confirmed":
            dispatcher.utter_message(text=summary_text(current_answers(tracker), for_whom or "self", on_sms(tracker)))
        buttons = [{"title": label, "payload": payload} for label, payload in buttons_for(self.question_id, for_whom)]
        dispatcher.utter_message(text=text_for(self.question_id, for_whom), buttons=buttons)
        return []


for _qid in QUESTION_IDS:  # one registered action per question
    type(f"AskQuestion_{_qid}", (AskQuestion,), {"question_id": _qid, "__module__": __name__})


# --- validating -----------------------------------------------------------------------


class ValidateIntakeForm(FormValidationAction):
    def name(self) -> str:
        return "validate_intake_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        return form_questions(current_answers(tracker), tracker.get_slot("intake_halt"), current_center().asks_state())

    async def get_extraction_events(self, dispatcher, tracker, domain) -> list[dict]:
        """Corrections of earlier answers, typed at any point ("actually my number is ...")."""
        turn = corrections(message_of(tracker), tracker.get_slot("requested_slot"), tracker.get_slot("intake_for"),
                           current_answers(tracker))
        await send(turn.replies, dispatcher, tracker, domain)
        return [SlotSet(name, value) for name, value in turn.slots.items()]

    async def get_validation_events(self, dispatcher, tracker, domain) -> list[dict]:
        requested = tracker.get_slot("requested_slot")
        candidates = tracker.slots_to_validate()
        events = [SlotSet(name, value) for name, value in candidates.items() if name != requested]
        if requested in candidates and requested in QUESTION_IDS:
            message, answers = message_of(tracker), current_answers(tracker)
            if is_leaving(requested, candidates[requested], message, answers.get("intake_for")):
                # Not an answer but a goodbye: the form steps aside and the
                # rule "goodbye during the pre-assessment" pauses it.
                return [SlotSet(requested, None), ActionExecutionRejected(self.form_name())]
            # Other answers among the candidates: corrections the extraction step just applied.
            corrected = any(name != requested and name in QUESTION_IDS for name in candidates)
            turn = answer_turn(requested, candidates[requested], answers, message, on_sms(tracker),
                               tracker.get_slot("intake_retries"), corrected)
            if turn.crisis_detected_by:
                record_crisis(tracker.sender_id, "suicide", turn.crisis_detected_by)
            await send(turn.replies, dispatcher, tracker, domain)
            events += [SlotSet(name, value) for name, value in turn.slots.items()]
        return events


# --- entering, stopping, resuming ------------------------------------------------------


class ActionIntakeStart(Action):
    """Before the form: who it is for, when the request says so ("help for my son")."""

    def name(self) -> str:
        return "action_intake_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        if tracker.get_slot("intake_halt") == HALT_CRISIS:
            # Asking for a call after a crisis stopped the questions: only how to reach them.
            return [SlotSet("intake_halt", HALT_CALLBACK)]
        if any(value is not None for value in current_answers(tracker).values()):
            dispatcher.utter_message(response="utter_intake_resume")
            return []
        for_whom = for_whom_from_text(tracker.latest_message.get("text") or "")
        return [SlotSet("intake_for", for_whom)] if for_whom else []


class ActionIntakeResume(Action):
    def name(self) -> str:
        return "action_intake_resume"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        """"continue": the only way the remaining questions come back after a crisis stopped them."""
        if any(value is not None for value in current_answers(tracker).values()):
            dispatcher.utter_message(response="utter_intake_resume")
        return [SlotSet(slot, None) for slot in HALT_SLOTS]


class ActionIntakeStop(Action):
    """"stop" or a goodbye: before consent nothing is kept; after it, answers wait in this
    conversation for "continue"."""

    def name(self) -> str:
        return "action_intake_stop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        leaving = (tracker.latest_message.get("intent") or {}).get("name") == "goodbye"
        if tracker.get_slot("intake_consent") != "yes":
            dispatcher.utter_message(response="utter_goodbye" if leaving else "utter_intake_declined")
            return reset_answers()
        dispatcher.utter_message(response="utter_intake_paused" if leaving else "utter_intake_stopped")
        return [SlotSet("requested_slot", None)]


# --- the end ----------------------------------------------------------------------------


class ActionIntakeSubmit(Action):
    """After the form: the crisis steps if imminent risk stopped it, else store the request.

    Stopped by an answer: the fixed crisis reply, a live staff alert, the
    request stored at once as URGENT if the phone number is known, then "Are you
    in danger right now?" (actions/safety.py offers the call back after it).
    Callback after a crisis: stored as soon as the phone number is in, without
    the summary. Otherwise: stored once the person confirmed the summary.
    """

    def name(self) -> str:
        return "action_intake_submit"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        answers = current_answers(tracker)
        halt, trigger = tracker.get_slot("intake_halt"), tracker.get_slot("intake_trigger")
        if halt == HALT_CRISIS:
            return stop_for_crisis(dispatcher, tracker, answers, trigger)
        if answers.get("intake_consent") != "yes":
            dispatcher.utter_message(response="utter_intake_declined")
            return reset_answers()
        if halt == HALT_CALLBACK and answers.get("intake_phone"):
            return hand_off(dispatcher, tracker, answers, trigger)
        if answers.get("intake_confirmed") != "yes":
            return []
        return hand_off(dispatcher, tracker, answers)


def stop_for_crisis(dispatcher: CollectingDispatcher, tracker: Tracker, answers: dict, trigger: str | None) -> list:
    if trigger in STOPPING_ANSWERS:
        # Not a suicide crisis: the emergency-room advice, then the request or the offer of a call.
        dispatcher.utter_message(response="utter_intake_infection_emergency")
        if answers.get("intake_phone"):
            return hand_off(dispatcher, tracker, answers, trigger, in_crisis=True)
        dispatcher.utter_message(response="utter_intake_offer_call")
        return [SlotSet("crisis_stage", "checked")]
    dispatcher.utter_message(response="utter_crisis_suicide")
    dispatcher.utter_message(response="utter_crisis_resources")
    record_crisis(tracker.sender_id, "suicide", f"intake:{trigger}", always_alert=True)
    events: list = []
    if answers.get("intake_phone"):
        events = hand_off(dispatcher, tracker, answers, trigger, in_crisis=True)
    dispatcher.utter_message(response="utter_crisis_ask_danger")
    return [*events, SlotSet("crisis_stage", "asked")]
