"""No question of the pre-assessment can loop: driven through validate_intake_form with replies it cannot
read (also ones that read as a correction of another answer), every question moves on or offers a
person within three turns. And the replies that looped or were stored wrongly before."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.intake import ValidateIntakeForm
from assistant.center import current_center
from assistant.intake.flow import relevant_questions
from assistant.intake.questions import catalog, question
from rasa_ext.responses import rendered

MAX_TURNS = 3
# Every question answered, on a path where each one is asked (drinking, pills, injecting, thoughts of suicide).
SELF_PATH = {
    "intake_consent": "yes", "intake_for": "self", "intake_age_group": "26_44",
    "intake_substances": ["heroin", "opioid_pills", "alcohol"], "intake_last_use": "today", "intake_audit_c_1": "daily",
    "intake_audit_c_2": "3_4", "intake_audit_c_3": "weekly", "intake_sex": "male", "intake_taps_3": "daily",
    "intake_taps_4": "weekly", "intake_injection": "yes", "intake_injection_infection": "no",
    "intake_benzo_daily": "no", "intake_withdrawal_history": "no", "intake_withdrawal_now": "no",
    "intake_overdose": "no", "intake_current_medication": "yes", "intake_current_medication_detail": "methadone",
    "intake_phq2_1": "not_at_all", "intake_phq2_2": "not_at_all", "intake_gad2_1": "not_at_all",
    "intake_gad2_2": "not_at_all", "intake_cssrs_1": "yes", "intake_cssrs_2": "yes", "intake_cssrs_3": "no",
    "intake_cssrs_4": "no", "intake_cssrs_5": "no", "intake_cssrs_6": "yes", "intake_cssrs_6_recent": "no",
    "intake_pregnancy": "not_applicable", "intake_insurance": "medicaid", "intake_state": "OH",
    "intake_care_preference": "outpatient", "intake_phone": "+16175550142", "intake_name": "Sam",
    "intake_best_time": "morning", "intake_contact_safety": "both", "intake_confirmed": None,
}
NOT_CHOSEN_ALCOHOL = {**SELF_PATH, "intake_substances": ["heroin", "opioid_pills"], "intake_drinks": "yes"}
LOVED_ONE_PATH = {**SELF_PATH, "intake_for": "loved_one", "intake_lo_safety": "no"}
UNREADABLE = ["banana", "the weather is nice today", "¿qué?", "🙂"]
# Replies that read as a correction of another answer, by the question they are typed at.
CORRECTIONS = {"intake_phone": "actually my name is Robin", "intake_name": "actually my number is 617-555-0199"}
CORRECTION = "actually my number is 617-555-0199"


@pytest.fixture(autouse=True)
def records_db(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", f"sqlite:///{tmp_path / 'assistant.db'}")


def form_turn(slots: dict, requested: str, text: str) -> tuple[dict, str]:
    """One message while `requested` is asked, as Rasa runs validate_intake_form: the slots after it, what was said."""
    all_slots = {**slots, requested: text, "requested_slot": requested}
    latest = {"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.3}, "entities": []}
    events = [{"event": "action", "name": "action_listen"}, {"event": "user", "text": text},
              {"event": "slot", "name": requested, "value": text}]
    tracker = Tracker("loop-test", all_slots, latest, events, False, None, {"name": "intake_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    result = asyncio.run(ValidateIntakeForm().run(dispatcher, tracker, {}))
    after = {**slots, **{e["name"]: e["value"] for e in result if e["event"] == "slot"}}
    return after, " | ".join(m.get("text") or "" for m in rendered(dispatcher.messages, "rest"))


def context_for(qid: str) -> dict:
    """Every answer given but `qid`'s, on a path that asks it."""
    if qid == "intake_consent":
        return {}
    paths = [LOVED_ONE_PATH] if question(qid).text is None else [SELF_PATH, NOT_CHOSEN_ALCOHOL]
    path = next(path for path in paths if qid in relevant_questions(path))
    return {**path, qid: None}


def turns_until_the_form_moves_on(qid: str, text: str) -> int | None:
    """The turn (1-3) at which the question is answered, skipped or left, or a person is offered; None if never."""
    slots = context_for(qid)
    for turn in range(1, MAX_TURNS + 1):
        slots, said = form_turn(slots, qid, text)
        if slots.get(qid) is not None or slots.get("requested_slot") != qid or current_center().phone in said:
            return turn
    return None


@pytest.mark.parametrize("qid", list(catalog().questions))
def test_no_question_loops_on_replies_it_cannot_read(qid):
    for text in UNREADABLE:
        assert turns_until_the_form_moves_on(qid, text) is not None, (qid, text)


@pytest.mark.parametrize("qid", list(catalog().questions))
def test_no_question_loops_on_a_correction_of_another_answer(qid):
    text = CORRECTIONS.get(qid, CORRECTION)
    assert turns_until_the_form_moves_on(qid, text) is not None, (qid, text)


def test_a_correction_is_applied_once_then_counts_as_a_miss():
    slots = context_for("intake_insurance")
    slots, said = form_turn(slots, "intake_insurance", CORRECTION)
    assert slots["intake_phone"] == "+16175550199" and "changed" in said and "Sorry" not in said
    slots, said = form_turn(slots, "intake_insurance", CORRECTION)  # nothing left to change: a miss
    assert slots["intake_insurance"] is None and "didn't catch" in said
    slots, said = form_turn(slots, "intake_insurance", CORRECTION)
    assert slots["intake_insurance"] == "skipped" and slots["requested_slot"] != "intake_insurance"


def test_a_question_that_cannot_be_skipped_offers_a_person():
    for qid in ("intake_consent", "intake_phone", "intake_confirmed"):
        assert turns_until_the_form_moves_on(qid, "banana") == 2, qid


# --- the replies of the issue --------------------------------------------------------------


def test_ok_sure_starts_the_questions():
    slots, said = form_turn({}, "intake_consent", "ok sure")
    assert slots["intake_consent"] == "yes" and slots["requested_slot"] != "intake_consent"
    assert "tap one of the options" not in said


def test_a_name_given_with_the_number_is_kept_and_the_form_moves_on():
    slots, said = form_turn(context_for("intake_phone") | {"intake_name": None, "intake_best_time": None},
                            "intake_phone", "you can reach me at 702 463 2292, my name is Alex")
    assert slots["intake_phone"] == "+17024632292" and slots["intake_name"] == "Alex"
    assert slots["requested_slot"] == "intake_best_time" and "changed" not in said


def test_texts_yes_voicemail_no_is_texts_only():
    slots, _ = form_turn(context_for("intake_contact_safety"), "intake_contact_safety",
                         "texts are fine, no voicemail please")
    assert slots["intake_contact_safety"] == "texts_only"


def test_a_little_with_symptoms_is_withdrawal_now():
    slots, _ = form_turn(context_for("intake_withdrawal_now"), "intake_withdrawal_now", "a little, sweating and anxious")
    assert slots["intake_withdrawal_now"] == "yes"


def test_no_but_wanting_a_medication_is_interested_not_taking_one():
    slots, _ = form_turn(context_for("intake_current_medication"), "intake_current_medication",
                         "no but id like to try suboxone")
    assert slots["intake_current_medication"] == "interested"


def test_an_answer_holding_a_question_keeps_the_answer():
    slots, _ = form_turn(context_for("intake_injection"), "intake_injection", "yes but will they tell my job?")
    assert slots["intake_injection"] == "yes"


@pytest.mark.parametrize("text", ["is this confidential?", "what is naltrexone?"])
def test_a_question_alone_is_no_answer(text):
    slots, _ = form_turn(context_for("intake_current_medication"), "intake_current_medication", text)
    assert slots["intake_current_medication"] is None
