"""Handing a pre-assessment to staff: build the request, store it, notify, and say when they will call.

Used at the end of the questions (actions/intake.py) and when a crisis stops
them (actions/intake.py for an answer, actions/safety.py for a message): in
both cases the request goes out with the answers given so far.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import datetime, timezone

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import on_sms
from assistant.center import current_center
from assistant.intake import notify
from assistant.intake.answers import label_for
from assistant.intake.flow import answer_records, message_permissions
from assistant.intake.promises import CallPromise, call_promise
from assistant.intake.questions import SKIPPED, UNKNOWN, catalog, notice_version, question
from assistant.intake.screening import score_all, suicide_screen_positive
from assistant.intake.submission import Submission
from assistant.intake.triage import same_day, triage
from assistant.records import crisis_events, save_callback_request

logger = logging.getLogger(__name__)

QUESTION_IDS = tuple(catalog().questions)
# Where the questions stand after a crisis stopped them, and what stopped them.
HALT_SLOTS = ("intake_halt", "intake_trigger")


def current_answers(tracker: Tracker) -> dict:
    return {qid: tracker.get_slot(qid) for qid in QUESTION_IDS}


def reset_answers() -> list[dict]:
    return [SlotSet(qid, None) for qid in (*QUESTION_IDS, "intake_retries", *HALT_SLOTS)]


def describe_trigger(trigger: str | None) -> str:
    """For staff: what stopped the questions, e.g. 'yes to C-SSRS "Intention to act"'."""
    if not trigger:
        return ""
    if trigger.startswith("message:"):
        return f"a {trigger.removeprefix('message:')} crisis message during the pre-assessment"
    q = question(trigger)
    return f'yes to {q.instrument or "the question"} "{q.summary_label}"'


def crisis_kinds(tracker: Tracker) -> set[str]:
    try:
        return {event.kind for event in crisis_events(conversation_id=tracker.sender_id)}
    except Exception:  # noqa: BLE001
        logger.exception("could not read crisis events; the slot still tells")
        return {"suicide"} if tracker.get_slot("crisis_stage") else set()


def build_submission(conversation_id: str, answers: dict, crisis_kinds: set[str], now: datetime,
                     sms: bool = False, trigger: str | None = None) -> tuple[Submission, CallPromise]:
    """The request, and the promise of a call it carries (what the person is told)."""
    for_whom = answers.get("intake_for") or "self"
    result = triage(answers, crisis_kinds)
    if trigger:
        # A crisis stopped the questions: URGENT whatever else, and staff see exactly why.
        reason = f"questions stopped by {describe_trigger(trigger)}"
        result = replace(result, level="URGENT", reasons=(reason, *result.reasons))
    promise = call_promise(result.level, now)
    voicemail_ok, text_ok = message_permissions(answers)
    name, best_time = (answers.get(qid) for qid in ("intake_name", "intake_best_time"))
    return Submission(
        conversation_id=conversation_id,
        for_whom=for_whom,
        first_name=_given(name),
        phone_e164=answers.get("intake_phone") or "",
        best_time=label_for("intake_best_time", best_time, for_whom) if _given(best_time) else "",
        voicemail_ok=voicemail_ok,
        text_ok=text_ok,
        answers=answer_records(answers, for_whom),
        scores=score_all(answers),
        triage=result,
        crisis_flag=suicide_screen_positive(answers) or bool(crisis_kinds) or bool(trigger),
        same_day=same_day(result, answers) or bool(crisis_kinds) or bool(trigger),
        consent_notice_version=notice_version(sms),
        callback_window=promise.window,
        consent_at=now,
    ), promise


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
    if in_crisis:
        dispatcher.utter_message(response="utter_intake_crisis_request", call_promise=promise.text)
        return [*reset_answers(), SlotSet("intake_reference", reference)]
    dispatcher.utter_message(response="utter_intake_submitted", reference=reference, call_promise=promise.text)
    if submission.same_day and promise.staffed:
        dispatcher.utter_message(response="utter_intake_urgent_reminder")  # when closed, the promise says it
    if answers.get("intake_age_group") == "under_18":
        dispatcher.utter_message(response="utter_intake_minor_support")
    return [*reset_answers(), SlotSet("intake_reference", reference)]


def _given(value) -> str:
    """The value, or "" for a question skipped, not known or not asked."""
    return "" if value in (None, SKIPPED, UNKNOWN) else value
