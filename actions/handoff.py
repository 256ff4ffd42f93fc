"""Handing a pre-assessment to staff: store the request, notify, and say when they will call.

Used at the end of the questions (actions/intake.py) and when a crisis stops
them (actions/intake.py for an answer, actions/safety.py for a message); the
request itself is built by assistant/intake/callback_request.py.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import on_sms, utter
from assistant.center import current_center
from assistant.db.callbacks import save_callback_request
from assistant.db.crises import crisis_events
from assistant.intake import notify
from assistant.intake.callback_request import build_submission, stored_replies
from assistant.intake.questions import catalog

logger = logging.getLogger(__name__)

QUESTION_IDS = tuple(catalog().questions)
# Where the questions stand after a crisis stopped them, and what stopped them.
HALT_SLOTS = ("intake_halt", "intake_trigger")


def current_answers(tracker: Tracker) -> dict:
    return {qid: tracker.get_slot(qid) for qid in QUESTION_IDS}


def reset_answers() -> list[dict]:
    return [SlotSet(qid, None) for qid in (*QUESTION_IDS, "intake_retries", *HALT_SLOTS)]


def crisis_kinds(tracker: Tracker) -> set[str]:
    try:
        return {event.kind for event in crisis_events(conversation_id=tracker.sender_id)}
    except Exception:  # noqa: BLE001
        logger.exception("could not read crisis events; the slot still tells")
        return {"suicide"} if tracker.get_slot("crisis_stage") else set()


def hand_off(dispatcher: CollectingDispatcher, tracker: Tracker, answers: dict, trigger: str | None = None,
             in_crisis: bool = False) -> list[dict]:
    """Store the request, start notifying staff, and tell the person when to expect the call.

    `in_crisis`: one short line instead of the reference and reminders (the crisis
    reply and the danger check are what matter in that turn).

    Returns the slot events: answers cleared and the reference kept; on a
    storage failure, nothing is cleared and the person is given the phone.
    """
    center = current_center()
    now = datetime.now(timezone.utc)
    submission, promise = build_submission(tracker.sender_id, answers, crisis_kinds(tracker), now, on_sms(tracker),
                                           trigger)
    try:
        targets = notify.configured_targets(center)
    except notify.NotifyConfigError:
        logger.exception("staff_notifications in center.yml is invalid: request stored without notifications")
        targets = []
    try:
        reference = save_callback_request(submission, targets)
    except Exception:  # noqa: BLE001 - tell the person how to reach us instead
        logger.exception("could not store a callback request")
        dispatcher.utter_message(response="utter_intake_save_failed")
        return [SlotSet("intake_confirmed", None)]
    logger.info("callback request %s stored (priority %s)", reference, submission.triage.level)
    asyncio.get_running_loop().run_in_executor(None, notify.deliver_pending)  # the reply does not wait
    for reply in stored_replies(answers, submission, promise, reference, in_crisis):
        utter(dispatcher, reply)
    return [*reset_answers(), SlotSet("intake_reference", reference)]
