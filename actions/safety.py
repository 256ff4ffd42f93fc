"""The crisis path after the fixed crisis message: record it, then follow up kindly."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import DataError, IntegrityError

from actions.handoff import current_answers, hand_off
from assistant.center import current_center
from assistant.db.crises import record_crisis_event
from assistant.intake import notify
from assistant.intake.flow import HALT_CALLBACK, HALT_CRISIS

logger = logging.getLogger(__name__)


def record_crisis(conversation_id: str, kind: str, detected_by: str, always_alert: bool = False) -> None:
    """Store the crisis event with its live staff alert, and start sending the alert without waiting for it.

    `always_alert`: alert even if this conversation had one within the alert
    window (imminent risk after an earlier, lower-risk alert).

    Call from the action server's event loop. The person already has 911/988:
    nothing here raises into the reply, and an alert that cannot be stored or
    sent never costs the event (the outbox retries what is stored).
    """
    try:
        config = notify.load_config()
    except Exception:  # noqa: BLE001 - a bad center.yml must not cost the event
        logger.exception("staff_notifications in center.yml is invalid: crisis event stored without a staff alert")
        config = notify.NotifyConfig(center_name="")  # no targets
    try:
        try:
            window = timedelta(0) if always_alert else config.crisis_alert_window
            event_id = record_crisis_event(conversation_id, kind, detected_by, config.targets, window)
        except (IntegrityError, DataError):
            if not config.targets:
                raise
            # The alert rows were refused, not the database: keep the event alone.
            logger.exception("could not queue the staff alert for a crisis event; storing the event alone")
            event_id = record_crisis_event(conversation_id, kind, detected_by)
        logger.info("crisis event %s recorded (kind=%s, detected_by=%s)", event_id, kind, detected_by)
    except Exception:  # noqa: BLE001 - never let storage break the crisis path
        logger.exception("could not record crisis event (kind=%s) for staff review", kind)
        return
    if config.targets:
        asyncio.get_running_loop().run_in_executor(None, notify.deliver_pending)  # the reply does not wait


class ActionRecordCrisis(Action):
    """Stores the crisis event for staff review, alerts staff and opens the follow-up step.

    The person already has 911/988 by now (fixed responses run first), so a
    database or notification failure here must not stop the conversation: it
    is logged loudly (without the message text) and the follow-up still happens.
    """

    def name(self) -> str:
        return "action_record_crisis"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        intent = tracker.get_intent_of_latest_message() or "crisis_unknown"
        kind = intent.removeprefix("crisis_")
        detected_by = (tracker.latest_message.get("crisis") or {}).get("source") or "model"
        if (tracker.latest_message.get("text") or "").startswith("/"):
            detected_by = "button"
        record_crisis(tracker.sender_id, kind, detected_by)
        events = [SlotSet("crisis_stage", "asked")]
        if (tracker.active_loop or {}).get("name"):
            # The pre-assessment stops (answers kept): the next replies belong to the crisis
            # path; the call back is offered after the danger check, or stored now if we have
            # the number; only "continue" brings the remaining questions back.
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
            trigger = f"message:{kind}"
            answers = current_answers(tracker)
            if answers.get("intake_consent") == "yes" and answers.get("intake_phone"):
                events += hand_off(dispatcher, tracker, answers, trigger, in_crisis=True)
            elif answers.get("intake_consent") == "yes":
                events += [SlotSet("intake_halt", HALT_CRISIS), SlotSet("intake_trigger", trigger)]
        return events


class ActionCrisisFollowup(Action):
    """Answers yes/no after "are you in danger right now?" and after the kind check.

    asked + yes  -> 911/988 again, stay on the path
    asked + no   -> a kind check (one "I'm fine" does not close the path)
    checked + yes -> how to reach our staff
    checked + no  -> close gently, resources stay visible
    """

    def name(self) -> str:
        return "action_crisis_followup"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        stage = tracker.get_slot("crisis_stage")
        said_yes = tracker.get_intent_of_latest_message() == "affirm"
        # A crisis stopped the pre-assessment before we had a number: offer the call back
        # with the answers so far, after the danger check.
        offer_call = tracker.get_slot("intake_halt") == HALT_CRISIS
        if stage == "asked" and said_yes:
            # In danger: 911/988 only; the call back is offered once they say they are not in danger.
            dispatcher.utter_message(response="utter_crisis_urgent")
            return []
        if stage == "asked":
            dispatcher.utter_message(response="utter_intake_offer_call" if offer_call else "utter_crisis_kind_check")
            return [SlotSet("crisis_stage", "checked")]
        if said_yes and offer_call:
            # Only how to reach them is asked, then the request goes to staff (action_intake_submit).
            return [SlotSet("crisis_stage", None), SlotSet("intake_halt", HALT_CALLBACK), FollowupAction("intake_form")]
        if said_yes:
            center = current_center()
            dispatcher.utter_message(response="utter_crisis_staff_contact", center_phone=center.phone,
                                     center_hours=center.hours)
        elif offer_call:
            dispatcher.utter_message(response="utter_intake_call_declined")
        else:
            dispatcher.utter_message(response="utter_crisis_close")
        return [SlotSet("crisis_stage", None)]
