"""The callback request built from the answers, and what the person is told (assistant/intake/callback_request.py)."""

from datetime import datetime, timezone

from assistant.intake.callback_request import build_submission, describe_trigger, stored_replies
from assistant.intake.questions import notice_version

ANSWERS = {"intake_consent": "yes", "intake_for": "self", "intake_age_group": "26_44", "intake_substances": ["heroin"],
           "intake_last_use": "more_than_week", "intake_taps_3": "monthly", "intake_cssrs_1": "no",
           "intake_cssrs_2": "no", "intake_cssrs_6": "no", "intake_phone": "+16175550142", "intake_name": "skipped",
           "intake_best_time": "morning", "intake_contact_safety": "texts_only"}
NOW = datetime(2025, 3, 4, 15, 0, tzinfo=timezone.utc)  # a Tuesday, 10 am at the center (center.yml)


def test_the_request_carries_the_answers_and_the_promise():
    submission, promise = build_submission("conv-1", ANSWERS, set(), NOW)
    assert (submission.conversation_id, submission.for_whom, submission.phone_e164) == ("conv-1", "self", "+16175550142")
    assert submission.first_name == ""  # skipped: no name rather than "skipped"
    assert submission.best_time == "Morning" and (submission.voicemail_ok, submission.text_ok) == (False, True)
    assert {a.question_id for a in submission.answers} >= {"intake_substances", "intake_phone"}
    assert submission.triage.level == "ROUTINE" and not submission.crisis_flag and not submission.same_day
    assert submission.callback_window == promise.window and submission.consent_at == NOW
    assert submission.consent_notice_version == notice_version()
    assert build_submission("conv-1", ANSWERS, set(), NOW, sms=True)[0].consent_notice_version == notice_version(sms=True)


def test_a_crisis_that_stopped_the_questions_makes_it_urgent_and_says_why():
    submission, _ = build_submission("conv-1", ANSWERS, set(), NOW, trigger="intake_cssrs_4")
    assert submission.triage.level == "URGENT" and submission.crisis_flag and submission.same_day
    assert submission.triage.reasons[0] == 'questions stopped by yes to C-SSRS "Intention to act"'
    assert describe_trigger("message:suicide") == "a suicide crisis message during the pre-assessment"
    assert describe_trigger(None) == ""


def test_a_crisis_earlier_in_the_conversation_flags_the_request():
    submission, _ = build_submission("conv-1", ANSWERS, {"overdose"}, NOW)
    assert submission.crisis_flag and submission.same_day


def test_the_person_is_told_when_to_expect_the_call():
    submission, promise = build_submission("conv-1", ANSWERS, set(), NOW)
    [submitted] = stored_replies(ANSWERS, submission, promise, "CB-7K3M9Q", in_crisis=False)
    assert submitted.response == "utter_intake_submitted"
    assert submitted.values == {"reference": "CB-7K3M9Q", "call_promise": promise.text}
    [short] = stored_replies(ANSWERS, submission, promise, "CB-7K3M9Q", in_crisis=True)
    assert short.response == "utter_intake_crisis_request" and short.values == {"call_promise": promise.text}


def test_reminders_for_a_same_day_call_while_staffed_and_for_a_minor():
    minor = {**ANSWERS, "intake_age_group": "under_18"}
    submission, promise = build_submission("conv-1", minor, set(), NOW, trigger="intake_cssrs_4")
    assert promise.staffed
    replies = stored_replies(minor, submission, promise, "CB-7K3M9Q", in_crisis=False)
    assert [r.response for r in replies] == ["utter_intake_submitted", "utter_intake_urgent_reminder",
                                             "utter_intake_minor_support"]
