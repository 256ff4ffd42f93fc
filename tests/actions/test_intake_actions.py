"""The pre-assessment's Rasa adapters, with rasa_sdk Trackers and a CollectingDispatcher."""

import asyncio
import json

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.intake import (
    QUESTION_IDS,
    SIDE_ANSWERS,
    ActionIntakeStart,
    ActionIntakeStop,
    ActionIntakeSubmit,
    ValidateIntakeForm,
    for_whom_from_text,
)
from assistant.db.callbacks import list_callbacks
from assistant.db.crises import crisis_events
from assistant.intake.conversation import SIDE_QUESTION_ACTIONS
from rasa_ext.responses import rendered
from tests.intake_support import WebhookServer, free_port

DOMAIN: dict = {}  # Rasa sends validate_intake_form no domain (selective domain, domain/intake.yml)
ADULT_SELF = {
    "intake_consent": "yes", "intake_for": "self", "intake_age_group": "26_44", "intake_substances": ["heroin"],
    "intake_last_use": "today", "intake_taps_3": "daily", "intake_injection": "no", "intake_withdrawal_now": "yes",
    "intake_current_medication": "interested", "intake_phq2_1": "not_at_all", "intake_phq2_2": "not_at_all",
    "intake_gad2_1": "not_at_all", "intake_gad2_2": "not_at_all", "intake_cssrs_1": "no", "intake_cssrs_2": "no",
    "intake_cssrs_6": "no", "intake_drinks": "no", "intake_benzo_daily": "no", "intake_overdose": "no",
    "intake_pregnancy": "doesnt_apply", "intake_insurance": "medicaid", "intake_state": "OH",
    "intake_care_preference": "outpatient", "intake_phone": "+16175550142", "intake_name": "Sam",
    "intake_best_time": "morning", "intake_contact_safety": "both",
}


@pytest.fixture(autouse=True)
def records_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", url)
    return url


def form_turn(slots: dict, requested: str, text: str, intent: str = "nlu_fallback", confidence: float = 0.9,
              extra: dict | None = None):
    """The validation call Rasa makes after the form put the typed text into the requested slot."""
    all_slots = {**slots, requested: text, "requested_slot": requested}
    latest = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": [], **(extra or {})}
    events = [{"event": "action", "name": "action_listen"}, {"event": "user", "text": text},
              {"event": "slot", "name": requested, "value": text}]
    tracker = Tracker("intake-test", all_slots, latest, events, False, None, {"name": "intake_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateIntakeForm().run(dispatcher, tracker, DOMAIN))
    set_slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    return set_slots, dispatcher.messages


def texts(messages) -> str:
    """What the person reads on the web: each text, or each response filled in as Rasa does (rasa_ext/responses.py)."""
    return " | ".join(m.get("text") or "" for m in rendered(messages, "rest"))


def test_one_tap_gives_consent_and_says_who_it_is_for():
    slots, messages = form_turn({}, "intake_consent", "Yes, for someone I care about")
    assert slots["intake_consent"] == "yes" and slots["intake_for"] == "loved_one"
    assert slots["requested_slot"] == "intake_age_group"
    assert messages == []


def test_a_bad_answer_is_asked_again_more_clearly_then_skipped():
    slots, messages = form_turn({"intake_consent": "yes", "intake_for": "self"}, "intake_age_group", "banana")
    assert slots["intake_age_group"] is None and slots["requested_slot"] == "intake_age_group"
    assert "tap one of the options" in texts(messages)
    again, messages = form_turn({"intake_consent": "yes", "intake_for": "self", "intake_retries": slots["intake_retries"]},
                                "intake_age_group", "banana again")
    assert again["intake_age_group"] == "skipped"
    assert "skip that one" in texts(messages)
    assert again["requested_slot"] == "intake_substances"


def test_the_phone_answer_can_bring_the_name():
    slots, _ = form_turn({**ADULT_SELF, "intake_phone": None, "intake_name": None, "intake_best_time": None,
                          "intake_contact_safety": None}, "intake_phone", "it's Maria, 617-555-0142")
    assert slots["intake_phone"] == "+16175550142" and slots["intake_name"] == "Maria"
    assert slots["requested_slot"] == "intake_best_time"


def test_a_date_is_not_a_phone_number():
    slots, messages = form_turn({**ADULT_SELF, "intake_phone": None}, "intake_phone", "12/05/2024")
    assert slots["intake_phone"] is None
    assert "phone number" in texts(messages)


def test_hello_or_thanks_midway_is_answered_and_is_not_a_failed_answer():
    for text, intent, reply in (("hi is anyone there", "greet", "still here"), ("thank you", "thank", "welcome")):
        slots, messages = form_turn({**ADULT_SELF, "intake_insurance": None}, "intake_insurance", text, intent=intent)
        assert slots["intake_insurance"] is None and slots["requested_slot"] == "intake_insurance"
        assert reply in texts(messages) and "didn't catch" not in texts(messages)
        assert "intake_retries" not in slots


def test_a_goodbye_midway_makes_the_form_step_aside():
    """The rule "goodbye during the pre-assessment" then pauses the form (test story)."""
    tracker_events: list = []

    def validation_events(requested, text, intent="goodbye"):
        all_slots = {**ADULT_SELF, requested: text, "requested_slot": requested}
        latest = {"text": text, "intent": {"name": intent, "confidence": 0.95}, "entities": []}
        events = [{"event": "action", "name": "action_listen"}, {"event": "user", "text": text},
                  {"event": "slot", "name": requested, "value": text}]
        tracker = Tracker("intake-test", all_slots, latest, events, False, None, {"name": "intake_form"},
                          "action_listen")
        dispatcher = CollectingDispatcher()
        tracker_events[:] = asyncio.run(ValidateIntakeForm().run(dispatcher, tracker, DOMAIN))
        return [e["event"] for e in tracker_events], dispatcher.messages

    kinds, messages = validation_events("intake_injection", "ok gotta run, my ride is here")
    assert kinds[:2] == ["slot", "action_execution_rejected"] and messages == []
    assert tracker_events[0]["name"] == "intake_injection" and tracker_events[0]["value"] is None
    assert tracker_events[-1]["name"] == "requested_slot" and tracker_events[-1]["value"] == "intake_injection"
    # A goodbye that is also an answer is taken as the answer.
    kinds, _ = validation_events("intake_injection", "no, bye")
    assert "action_execution_rejected" not in kinds
    assert {"event": "slot", "timestamp": None, "name": "intake_injection", "value": "no"} in tracker_events


def test_why_do_you_ask_explains_and_keeps_the_question():
    slots, messages = form_turn({**ADULT_SELF, "intake_insurance": None}, "intake_insurance",
                                "why do you need to know that", intent="why_ask")
    assert slots["intake_insurance"] is None and slots["requested_slot"] == "intake_insurance"
    assert "coverage" in texts(messages).lower() or "insurance" in texts(messages).lower()


def test_a_knowledge_question_midway_is_answered_then_the_form_goes_on():
    slots, messages = form_turn({**ADULT_SELF, "intake_insurance": None}, "intake_insurance", "what is suboxone?",
                                intent="med_info", confidence=0.97,
                                extra={"entities": [{"entity": "medication", "value": "buprenorphine_naloxone",
                                                     "text": "suboxone"}]})
    assert slots["intake_insurance"] is None and slots["requested_slot"] == "intake_insurance"
    assert "naloxone" in texts(messages).lower()
    assert "back to the questions" in texts(messages)


def test_every_question_on_the_side_has_its_answering_action():
    assert set(SIDE_QUESTION_ACTIONS.values()) <= set(SIDE_ANSWERS)


def test_a_positive_suicide_answer_gets_the_crisis_reply_at_once_and_is_recorded(records_db):
    before: dict = {k: v for k, v in ADULT_SELF.items() if k not in ("intake_cssrs_2",)}
    before["intake_cssrs_2"] = None
    slots, messages = form_turn(before, "intake_cssrs_2", "Yes")
    assert slots["intake_cssrs_2"] == "yes"
    assert messages[0]["response"] == "utter_crisis_suicide"
    assert slots["requested_slot"] == "intake_cssrs_3"  # the screener's follow-up items
    kinds = [(e.kind, e.detected_by) for e in crisis_events(url=records_db, conversation_id="intake-test")]
    assert kinds == [("suicide", "intake:intake_cssrs_2")]


def test_a_positive_suicide_answer_alerts_staff(records_db, staff_notifications):
    port = free_port()
    staff_notifications({"webhook": {"url": f"http://127.0.0.1:{port}/alerts"}})
    before = {**ADULT_SELF, "intake_cssrs_2": None}
    with WebhookServer(port) as received:
        _, messages = form_turn(before, "intake_cssrs_2", "Yes")
    assert messages[0]["response"] == "utter_crisis_suicide"
    [event] = crisis_events(url=records_db, conversation_id="intake-test")
    [(_, _, body)] = received
    assert (json.loads(body)["type"], json.loads(body)["event_id"]) == ("crisis", event.id)


def test_a_wish_to_be_dead_gets_988_without_waiting():
    before = {**ADULT_SELF, "intake_cssrs_1": None, "intake_cssrs_2": None}
    slots, messages = form_turn(before, "intake_cssrs_1", "yes")
    assert slots["intake_cssrs_1"] == "yes" and slots["requested_slot"] == "intake_cssrs_2"
    assert [m["response"] for m in messages] == ["utter_intake_wish_dead_support"]


def test_a_correction_of_an_earlier_answer_is_applied_without_a_complaint():
    slots, messages = form_turn({**ADULT_SELF, "intake_best_time": None, "intake_contact_safety": None},
                                "intake_best_time", "actually my number is 617-555-0199")
    assert slots["intake_phone"] == "+16175550199"
    assert slots["intake_best_time"] is None and slots["requested_slot"] == "intake_best_time"
    assert "changed" in texts(messages) and "Sorry" not in texts(messages)


def test_fix_something_then_pick_the_field():
    slots, messages = form_turn(ADULT_SELF, "intake_confirmed", "Fix something")
    assert slots["intake_confirmed"] is None
    assert any(b["title"] == "Phone" for b in messages[0]["buttons"])
    slots, _ = form_turn(ADULT_SELF, "intake_confirmed", "Phone")
    assert slots["intake_phone"] is None and slots["requested_slot"] == "intake_phone"


def test_the_usual_path_asks_the_summary_last():
    slots, _ = form_turn({**ADULT_SELF, "intake_contact_safety": None}, "intake_contact_safety", "both are fine")
    assert slots["intake_contact_safety"] == "both"
    assert slots["requested_slot"] == "intake_confirmed"


def run(action, slots: dict, text: str = "", intent: str = "affirm"):
    tracker = Tracker("intake-test", slots, {"text": text, "intent": {"name": intent, "confidence": 1.0}},
                      [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}, dispatcher.messages


def test_the_request_is_stored_once_and_completely_and_the_form_is_cleared(records_db):
    slots, messages = run(ActionIntakeSubmit(), {**ADULT_SELF, "intake_confirmed": "yes"})
    [request] = list_callbacks(url=records_db)
    assert request.reference == slots["intake_reference"]
    assert request.priority == "HIGH"  # daily heroin use, withdrawal now
    assert request.phone_e164 == "+16175550142" and request.first_name == "Sam" and request.status == "new"
    assert {a.question_id for a in request.answers} >= {"intake_substances", "intake_taps_3", "intake_phq2_1"}
    assert {s.instrument for s in request.scores} >= {"TAPS-1 items 3-4", "PHQ-2", "GAD-2"}
    assert messages[0]["response"] == "utter_intake_submitted" and messages[0]["reference"] == request.reference
    assert all(slots[qid] is None for qid in QUESTION_IDS)


def test_declining_keeps_nothing(records_db):
    slots, messages = run(ActionIntakeSubmit(), {"intake_consent": "no"})
    assert messages[0]["response"] == "utter_intake_declined"
    assert all(slots[qid] is None for qid in QUESTION_IDS)
    assert list_callbacks(url=records_db) == []


def test_stop_before_consent_keeps_nothing_and_after_it_waits_for_continue():
    slots, messages = run(ActionIntakeStop(), {"intake_for": "self"}, "stop", "stop")
    assert messages[0]["response"] == "utter_intake_declined" and slots["intake_for"] is None
    slots, messages = run(ActionIntakeStop(), {"intake_consent": "yes", "intake_age_group": "26_44"}, "stop", "stop")
    assert messages[0]["response"] == "utter_intake_stopped" and "intake_age_group" not in slots


def test_a_goodbye_pauses_the_questions_with_a_kind_goodbye():
    slots, messages = run(ActionIntakeStop(), {"intake_for": "self"}, "bye", "goodbye")
    assert messages[0]["response"] == "utter_goodbye" and slots["intake_for"] is None
    slots, messages = run(ActionIntakeStop(), {"intake_consent": "yes", "intake_age_group": "26_44"}, "bye", "goodbye")
    assert messages[0]["response"] == "utter_intake_paused" and "intake_age_group" not in slots


def test_the_request_says_who_it_is_for():
    assert for_whom_from_text("I need help for my son") == "loved_one"
    assert for_whom_from_text("can someone call me about my wife's drinking") == "loved_one"
    assert for_whom_from_text("I want to start treatment") == "self"
    assert for_whom_from_text("sign up") is None
    slots, _ = run(ActionIntakeStart(), {}, "my husband needs detox, who do I talk to", "request_callback")
    assert slots == {"intake_for": "loved_one"}
