"""Rasa adapters for the pre-assessment (intake_form) and the callback request.

The questions, parsing, scoring, triage, records and notifications are plain
modules under assistant/intake; these actions only move text and slots.
"""

from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActionExecutionRejected, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import on_sms
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
from assistant.intake.answers import detect_correction, label_for, parse
from assistant.intake.flow import (
    CONTACT_QUESTIONS,
    HALT_CALLBACK,
    HALT_CRISIS,
    OPIOIDS,
    answer_records,
    form_questions,
    relevant_questions,
    seizure_risk,
    summary_lines,
)
from assistant.intake.questions import buttons_for, notice_text, question, text_for
from assistant.intake.screening import imminent_item, suicide_screen_known

logger = logging.getLogger(__name__)

# A message that is not an answer but clearly a question we can answer is
# answered, then the form asks its question again.
DIGRESSION_MIN_CONFIDENCE = 0.6
DIGRESSION_ACTIONS = {
    **dict.fromkeys(
        ("med_info", "med_side_effects", "med_how_taken", "med_when_start", "med_pregnancy", "med_compare"),
        ActionAnswerMedication,
    ),
    "med_options": ActionMedicationOptions,
    "med_mixing": ActionMedicationMixing,
    "withdrawal_cold_turkey": ActionAnswerWithdrawal,
    "withdrawal_symptoms": ActionAnswerWithdrawal,
    **dict.fromkeys(
        ("center_cost_insurance", "center_hours", "center_location", "center_contact", "center_services"),
        ActionCenterInfo,
    ),
}
DIGRESSION_RESPONSES = {"med_dose_request": "utter_dose_referral", "bot_challenge": "utter_bot_challenge"}
# Small talk that is not an answer: acknowledged, then the question is asked
# again, and it does not count as a failed answer.
SMALL_TALK = {"greet": "Hi, I'm still here.", "thank": "You're welcome."}
RETRIEVAL_INTENTS = ("program", "loved_one")
HINTS = {
    "single": "Please tap one of the options, or type its number.",
    "confirm": "Please tap one of the options, or type its number.",
    "multi": "Please tap the options that fit, or type their numbers (for example: 1 and 4).",
    "phone": "Please type a US phone number with the area code, like 617-555-0142.",
    "name": "A first name or initials is fine.",
    "state": "Please type the state's name or its two-letter code, like Ohio or OH.",
    "free_text": "A few words are enough.",
}
LOVED_ONE_CUE = re.compile(
    r"\b(?:my|our)\s+(?:\w+\s+)?(?:son|daughter|kid|child|children|husband|wife|partner|boyfriend|girlfriend|"
    r"bf|gf|fianc[eé]e?|mom|mother|mum|dad|father|brother|sister|bro|sis|friend|cousin|grandson|granddaughter|"
    r"nephew|niece|uncle|aunt|loved one|family member|roommate|stepson|stepdaughter)s?\b",
    re.IGNORECASE,
)
# Answers that stop the questions like imminent risk does: go to an emergency room now.
STOPPING_ANSWERS = ("intake_injection_infection",)
SELF_CUE = re.compile(r"\b(?:i|i'm|im|i've|me|myself|my self)\b", re.IGNORECASE)


def for_whom_from_text(text: str) -> str | None:
    if LOVED_ONE_CUE.search(text or ""):
        return "loved_one"
    return "self" if SELF_CUE.search(text or "") else None


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
            dispatcher.utter_message(text=_summary(current_answers(tracker), for_whom or "self", on_sms(tracker)))
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
        requested = tracker.get_slot("requested_slot")
        changed = [(qid, parsed) for qid, parsed in _corrections(tracker) if qid != requested]
        if changed:
            for_whom = tracker.get_slot("intake_for")
            listed = "; ".join(f"{question(qid).summary_label or qid}: {parsed.label or label_for(qid, parsed.value, for_whom)}"
                               for qid, parsed in changed)
            dispatcher.utter_message(text=f"Thanks, I've changed that. {listed}.")
        return [SlotSet(qid, parsed.value) for qid, parsed in changed]

    async def get_validation_events(self, dispatcher, tracker, domain) -> list[dict]:
        requested = tracker.get_slot("requested_slot")
        candidates = tracker.slots_to_validate()
        events = [SlotSet(name, value) for name, value in candidates.items() if name != requested]
        if requested in candidates and requested in QUESTION_IDS:
            if self._leaving(requested, candidates[requested], tracker):
                # Not an answer but a goodbye: the form steps aside and the
                # rule "goodbye during the pre-assessment" pauses it.
                return [SlotSet(requested, None), ActionExecutionRejected(self.form_name())]
            result = await self._validate_answer(requested, candidates[requested], dispatcher, tracker, domain)
            events += [SlotSet(name, value) for name, value in result.items()]
        return events

    @staticmethod
    def _leaving(qid: str, value: Any, tracker: Tracker) -> bool:
        intent = tracker.latest_message.get("intent") or {}
        if intent.get("name") != "goodbye" or (intent.get("confidence") or 0.0) < DIGRESSION_MIN_CONFIDENCE:
            return False
        return parse(question(qid), value if isinstance(value, str) else "", tracker.get_slot("intake_for")).status == "invalid"

    async def _validate_answer(self, qid: str, value: Any, dispatcher, tracker: Tracker, domain) -> dict:
        text = value if isinstance(value, str) else ""
        for_whom = tracker.get_slot("intake_for")
        q = question(qid)
        retries = dict(tracker.get_slot("intake_retries") or {})
        if any(other != qid for other, _ in _corrections(tracker)):
            return {qid: None}  # a correction of another answer, thanked for in extraction
        parsed = parse(q, text, for_whom)
        if parsed.status == "ask_count":  # "a bottle": how many drinks is that? (counts as a try: no loop)
            retries[qid] = retries.get(qid, 0) + 1
            if retries[qid] < 2 or not q.skippable:
                dispatcher.utter_message(text=parsed.label)
                return {qid: None, "intake_retries": retries}
            parsed = parse(q, q.skip_label or "skip", for_whom)
        if parsed.status != "invalid":
            retries.pop(qid, None)
            result = {qid: parsed.value, "intake_retries": retries}
            result.update({other: p.value for other, p in parsed.also})
            return self._after_answer(qid, result, text, dispatcher, tracker)
        if qid == "intake_confirmed":
            field = _field_named(text, current_answers(tracker))
            if field:
                return {field: None, qid: None}
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        confidence = (tracker.latest_message.get("intent") or {}).get("confidence") or 0.0
        if intent == "why_ask":
            skip = f' You can also say "{q.skip_label.lower()}".' if q.skippable else ""
            dispatcher.utter_message(text=f"{q.why}{skip}")
            return {qid: None}
        if confidence >= DIGRESSION_MIN_CONFIDENCE and intent in SMALL_TALK:
            dispatcher.utter_message(text=SMALL_TALK[intent])
            return {qid: None}
        if confidence >= DIGRESSION_MIN_CONFIDENCE and await _answer_digression(intent, dispatcher, tracker, domain):
            dispatcher.utter_message(text="Now, back to the questions.")
            return {qid: None}
        retries[qid] = retries.get(qid, 0) + 1
        if retries[qid] >= 2 and q.skippable:
            retries.pop(qid)
            dispatcher.utter_message(text="Let's skip that one for now; our staff can go over it on the call.")
            return {qid: "skipped", "intake_retries": retries}
        if retries[qid] >= 2:
            # A question that cannot be skipped never loops without a way to a person.
            stop = '"pause"' if on_sms(tracker) else '"stop"'
            person = f" Or say {stop} and call us at {current_center().phone}."
            dispatcher.utter_message(text=f"{q.why} {HINTS.get(q.kind, '')}{person}".strip())
        else:
            dispatcher.utter_message(text=f"Sorry, I didn't catch that. {HINTS.get(q.kind, '')}".strip())
        return {qid: None, "intake_retries": retries}

    def _after_answer(self, qid: str, result: dict, text: str, dispatcher, tracker: Tracker) -> dict:
        if qid == "intake_consent" and tracker.get_slot("intake_for") is None:
            who = parse("intake_for", text, None)
            if who.status == "ok":
                result["intake_for"] = who.value
        if qid == "intake_confirmed" and result[qid] == "fix":
            answers = current_answers(tracker)
            # On SMS only the contact answers were shown; any other answer can still be corrected by typing it.
            shown = CONTACT_QUESTIONS if on_sms(tracker) else None
            buttons = [{"title": label, "payload": label} for label in _answered_labels(answers, shown)]
            dispatcher.utter_message(text="What should I change? Tap it, or type the new answer.", buttons=buttons)
            result[qid] = None
        before = {**current_answers(tracker), qid: None}  # the slot holds the raw text until now
        after = {**before, **result}
        trigger = imminent_item(after) or (qid if qid in STOPPING_ANSWERS and result[qid] == "yes" else None)
        if trigger and not imminent_item(before):
            # No more questions. The form ends here and action_intake_submit gives the crisis
            # reply or the emergency-room advice, then the danger check or the call back (answers kept).
            # requested_slot None says so to Rasa (rasa_sdk cannot: it is sent no domain to compare with).
            return {**result, "intake_halt": HALT_CRISIS, "intake_trigger": trigger, "requested_slot": None}
        if suicide_screen_known(after) and not suicide_screen_known(before):
            # Crisis first, at once, in fixed wording; staff see the flag on the request.
            loved_one = tracker.get_slot("intake_for") == "loved_one"
            dispatcher.utter_message(response="utter_intake_lo_safety_crisis" if loved_one else "utter_crisis_suicide")
            record_crisis(tracker.sender_id, "suicide", f"intake:{qid}")
            dispatcher.utter_message(response="utter_intake_after_crisis")
        elif qid == "intake_cssrs_1" and result[qid] == "yes":
            dispatcher.utter_message(response="utter_intake_wish_dead_support")  # low risk, but never unanswered
        elif qid == "intake_withdrawal_now" and result[qid] == "yes" and seizure_risk(after):
            dispatcher.utter_message(response="utter_intake_withdrawal_warning")  # alcohol/benzo withdrawal can turn fast
        if qid == "intake_substances" and set(result[qid] or ()) & OPIOIDS:
            result["opioid_context"] = True  # every emergency reply from now on includes naloxone (domain/)
        return result


def _corrections(tracker: Tracker) -> list:
    return detect_correction(tracker.latest_message.get("text") or "")


def _answered_labels(answers: dict, only: tuple[str, ...] | None = None) -> list[str]:
    return [question(qid).summary_label for qid in relevant_questions(answers)
            if answers.get(qid) is not None and question(qid).summary_label and (only is None or qid in only)]


def _summary(answers: dict, for_whom: str, sms: bool) -> str:
    """Every answer to check; on SMS only how we reach the person: texts show on lock screens and shared phones."""
    if not sms:
        return "Here is what I'll send to our team:\n" + "\n".join(f"- {line}" for line in summary_lines(answers, for_whom))
    contact = [a for a in answer_records(answers, for_whom) if a.question_id in CONTACT_QUESTIONS]
    lines = [f"- {question(a.question_id).summary_label}: {a.label}" for a in contact]
    return "I'll send our team your answers (not repeated here: texts aren't private) and how to reach you:\n" + "\n".join(lines)


def _field_named(text: str, answers: dict) -> str | None:
    wanted = re.sub(r"[^a-z0-9 ]", "", (text or "").lower()).strip()
    wanted = re.sub(r"^(?:change|fix|edit)\s+(?:my\s+|the\s+)?", "", wanted)
    for qid in relevant_questions(answers):
        label = question(qid).summary_label
        if label and answers.get(qid) is not None and re.sub(r"[^a-z0-9 ]", "", label.lower()) == wanted:
            return qid
    return None


async def _answer_digression(intent: str | None, dispatcher, tracker: Tracker, domain) -> bool:
    if intent in DIGRESSION_ACTIONS:
        await DIGRESSION_ACTIONS[intent]().run(dispatcher, tracker, domain)
        return True
    if intent in DIGRESSION_RESPONSES:
        dispatcher.utter_message(response=DIGRESSION_RESPONSES[intent])
        return True
    if intent in RETRIEVAL_INTENTS:
        ranking = ((tracker.latest_message.get("response_selector") or {}).get(intent) or {}).get("ranking") or []
        if ranking:
            dispatcher.utter_message(response=f"utter_{ranking[0]['intent_response_key']}")
            return True
    return False


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
