"""The callback request built from the answers, and what the person is told once it is stored.

Used at the end of the questions and when a crisis stops them (actions/handoff.py):
in both cases the request goes out with the answers given so far.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from assistant.intake.answers import label_for
from assistant.intake.due import due_at
from assistant.intake.flow import answer_records, message_permissions
from assistant.intake.promises import CallPromise, call_promise
from assistant.intake.questions import SKIPPED, UNKNOWN, notice_version, question
from assistant.intake.reply import Reply
from assistant.intake.screening import score_all, suicide_screen_positive
from assistant.intake.submission import ForWhom, Submission
from assistant.intake.triage import same_day, triage


def describe_trigger(trigger: str | None) -> str:
    """For staff: what stopped the questions, e.g. 'yes to C-SSRS "Intention to act"'."""
    if not trigger:
        return ""
    if trigger.startswith("message:"):
        return f"a {trigger.removeprefix('message:')} crisis message during the pre-assessment"
    q = question(trigger)
    return f'yes to {q.instrument or "the question"} "{q.summary_label}"'


def build_submission(conversation_id: str, answers: dict, crisis_kinds: set[str], now: datetime,
                     sms: bool = False, trigger: str | None = None) -> tuple[Submission, CallPromise]:
    """The request, and the promise of a call it carries (what the person is told)."""
    for_whom: ForWhom = answers.get("intake_for") or "self"  # parsed as an option of intake_for
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
        due_at=due_at(result.level, now),  # the same moment as the promise: the two agree
    ), promise


def stored_replies(answers: dict, submission: Submission, promise: CallPromise, reference: str,
                   in_crisis: bool) -> tuple[Reply, ...]:
    """When to expect the call, with the reference and the reminders that apply.

    `in_crisis`: one short line instead (the crisis reply and the danger check
    are what matter in that turn).
    """
    if in_crisis:
        return (Reply(response="utter_intake_crisis_request", values={"call_promise": promise.text}),)
    replies = [Reply(response="utter_intake_submitted", values={"reference": reference, "call_promise": promise.text})]
    if submission.same_day and promise.staffed:
        replies.append(Reply(response="utter_intake_urgent_reminder"))  # when closed, the promise says it
    if answers.get("intake_age_group") == "under_18":
        replies.append(Reply(response="utter_intake_minor_support"))
    return tuple(replies)


def _given(value) -> str:
    """The value, or "" for a question skipped, not known or not asked."""
    return "" if value in (None, SKIPPED, UNKNOWN) else value
