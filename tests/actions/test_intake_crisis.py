"""Imminent risk stops the pre-assessment: the crisis reply, a live alert, the request (or the offer of a call)."""

import asyncio
import json

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.intake import ActionIntakeResume, ActionIntakeStart, ActionIntakeSubmit, ValidateIntakeForm
from actions.safety import ActionCrisisFollowup, ActionRecordCrisis
from assistant.db.callbacks import list_callbacks
from assistant.db.crises import crisis_events, record_crisis_event
from assistant.db.outbox import notifications
from tests.actions.test_intake_actions import ADULT_SELF, DOMAIN, form_turn, texts
from tests.intake_support import WebhookServer, free_port

# Mid-way through the suicide screen, no contact details yet.
BEFORE_CONTACT = {k: v for k, v in ADULT_SELF.items() if k not in (
    "intake_pregnancy", "intake_insurance", "intake_state", "intake_care_preference", "intake_phone", "intake_name",
    "intake_best_time", "intake_contact_safety")}
SCREEN_YES_2 = {**BEFORE_CONTACT, "intake_cssrs_1": "yes", "intake_cssrs_2": "yes", "intake_cssrs_3": "yes",
                "intake_cssrs_6": None}


@pytest.fixture(autouse=True)
def records_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", url)
    return url


def run(action, slots: dict, text: str = "", intent: str = "affirm", active_loop: str | None = None):
    chosen = {"name": intent, "confidence": 1.0}
    latest = {"text": text, "intent": chosen, "intent_ranking": [chosen], "entities": []}
    if intent.startswith("crisis_"):
        latest["crisis"] = {"intent": intent, "source": "rule:test"}
    tracker = Tracker("intake-test", slots, latest, [], False, None, {"name": active_loop} if active_loop else {},
                      "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return events, dispatcher.messages


def slots_of(events) -> dict:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def responses(messages) -> list[str]:
    return [m.get("response") for m in messages]


@pytest.mark.parametrize(
    ("requested", "before", "trigger"),
    [
        ("intake_cssrs_4", {**SCREEN_YES_2, "intake_cssrs_4": None}, "intake_cssrs_4"),
        ("intake_cssrs_5", {**SCREEN_YES_2, "intake_cssrs_4": "no", "intake_cssrs_5": None}, "intake_cssrs_5"),
        ("intake_cssrs_6_recent", {**BEFORE_CONTACT, "intake_cssrs_6": "yes"}, "intake_cssrs_6_recent"),
    ],
)
def test_an_imminent_answer_ends_the_questions_at_once(requested, before, trigger):
    slots, messages = form_turn(before, requested, "yes")
    assert slots[requested] == "yes"
    assert (slots["intake_halt"], slots["intake_trigger"]) == ("crisis", trigger)
    assert slots["requested_slot"] is None  # the form ends: no insurance question after "yes"
    assert messages == []  # the crisis reply comes from action_intake_submit, in the same turn


def test_item_6_is_asked_after_a_no_to_2_and_waits_for_when():
    slots, messages = form_turn({**BEFORE_CONTACT, "intake_cssrs_6": None}, "intake_cssrs_2", "no")
    assert slots["requested_slot"] == "intake_cssrs_6"
    slots, messages = form_turn({**BEFORE_CONTACT, "intake_cssrs_6": None}, "intake_cssrs_6", "yes")
    assert slots["requested_slot"] == "intake_cssrs_6_recent" and "intake_halt" not in slots
    assert messages == []  # one reply, once "when" is known: the crisis steps (recent) or the crisis reply (not)
    slots, messages = form_turn({**BEFORE_CONTACT, "intake_cssrs_6": "yes"}, "intake_cssrs_6_recent", "no")
    assert "intake_halt" not in slots and slots["requested_slot"] == "intake_pregnancy"  # moderate risk: go on
    assert responses(messages)[0] == "utter_crisis_suicide"


def test_stopping_without_a_number_stores_the_crisis_alone_and_asks_about_danger(records_db, staff_notifications):
    port = free_port()
    staff_notifications({"webhook": {"url": f"http://127.0.0.1:{port}/alerts"}})
    halted = {**SCREEN_YES_2, "intake_cssrs_4": "yes", "intake_halt": "crisis", "intake_trigger": "intake_cssrs_4"}
    # An alert already went out for the yes to item 2 a minute ago: imminent risk alerts again.
    record_crisis_event("intake-test", "suicide", "intake:intake_cssrs_2", [type("T", (), {
        "channel": "webhook", "target": f"http://127.0.0.1:{port}/alerts"})()], url=records_db)
    with WebhookServer(port) as received:
        events, messages = run(ActionIntakeSubmit(), halted, "yes")
    assert responses(messages) == ["utter_crisis_suicide", "utter_crisis_resources", "utter_crisis_ask_danger"]
    assert slots_of(events) == {"crisis_stage": "asked"}  # answers kept, nothing reset
    assert list_callbacks(url=records_db) == []
    newest = crisis_events(url=records_db, conversation_id="intake-test")[0]
    assert (newest.kind, newest.detected_by) == ("suicide", "intake:intake_cssrs_4")
    assert newest.id in [json.loads(body)["event_id"] for _, _, body in received]  # not held back by the window
    assert [n.crisis_event_id for n in notifications(url=records_db)].count(newest.id) == 1


def test_stopping_with_a_known_number_stores_an_urgent_request_at_once(records_db):
    halted = {**SCREEN_YES_2, "intake_cssrs_4": "yes", "intake_halt": "crisis", "intake_trigger": "intake_cssrs_4",
              "intake_phone": "+16175550142"}
    events, messages = run(ActionIntakeSubmit(), halted, "yes")
    # One short line about the call between the crisis reply and the danger check: no reference, no reminders.
    assert responses(messages) == ["utter_crisis_suicide", "utter_crisis_resources", "utter_intake_crisis_request",
                                   "utter_crisis_ask_danger"]
    assert messages[2]["call_promise"].startswith("Our team")
    [request] = list_callbacks(url=records_db)
    assert request.priority == "URGENT" and request.crisis_flag and request.same_day
    assert request.reasons[0] == 'questions stopped by yes to C-SSRS "Intention to act"'
    assert {a.question_id for a in request.answers} >= {"intake_substances", "intake_cssrs_4"}
    assert slots_of(events)["crisis_stage"] == "asked" and slots_of(events)["intake_reference"] == request.reference


def test_a_crisis_message_during_the_questions_stops_them(records_db):
    events, _ = run(ActionRecordCrisis(), BEFORE_CONTACT, "i took all my pills", "crisis_overdose", "intake_form")
    assert ActiveLoop(None) in events
    assert (slots_of(events)["intake_halt"], slots_of(events)["intake_trigger"]) == ("crisis", "message:overdose")
    assert list_callbacks(url=records_db) == []
    with_phone = {**BEFORE_CONTACT, "intake_phone": "+16175550142"}
    events, messages = run(ActionRecordCrisis(), with_phone, "i want to die", "crisis_suicide", "intake_form")
    [request] = list_callbacks(url=records_db)
    assert request.priority == "URGENT"
    assert request.reasons[0] == "questions stopped by a suicide crisis message during the pre-assessment"
    assert responses(messages) == ["utter_intake_crisis_request"]


def test_after_the_danger_check_a_call_back_is_offered_then_only_the_number_is_asked(records_db):
    halted = {**BEFORE_CONTACT, "intake_halt": "crisis", "intake_trigger": "message:suicide"}
    events, messages = run(ActionCrisisFollowup(), {**halted, "crisis_stage": "asked"}, "no", "deny")
    assert responses(messages) == ["utter_intake_offer_call"] and slots_of(events) == {"crisis_stage": "checked"}
    events, messages = run(ActionCrisisFollowup(), {**halted, "crisis_stage": "asked"}, "yes", "affirm")
    assert responses(messages) == ["utter_crisis_urgent"] and events == []  # in danger: 911 first, the offer later
    events, _ = run(ActionCrisisFollowup(), {**halted, "crisis_stage": "checked"}, "yes", "affirm")
    assert SlotSet("intake_halt", "callback") in events and FollowupAction("intake_form") in events
    # The form asks the phone number only ...
    callback = {**halted, "intake_halt": "callback"}
    slots, _ = form_turn({**callback, "intake_phone": None}, "intake_phone", "617-555-0142, Jo")
    assert slots["intake_phone"] == "+16175550142" and slots["requested_slot"] == "intake_contact_safety"
    slots, _ = form_turn({**callback, "intake_phone": "+16175550142", "intake_name": "Jo"}, "intake_contact_safety",
                         "just call")
    assert slots["requested_slot"] is None  # phones are shared: whether messages are safe, then nothing more
    # ... and the request goes to staff without the summary step.
    events, messages = run(ActionIntakeSubmit(), {**callback, "intake_phone": "+16175550142", "intake_name": "Jo",
                                                  "intake_contact_safety": "neither"})
    [request] = list_callbacks(url=records_db)
    assert request.priority == "URGENT" and request.first_name == "Jo"
    assert responses(messages)[0] == "utter_intake_submitted"
    assert slots_of(events)["intake_halt"] is None


def test_declining_the_call_keeps_the_answers_and_continue_alone_brings_the_questions_back():
    halted = {**BEFORE_CONTACT, "intake_halt": "crisis", "intake_trigger": "intake_cssrs_4", "crisis_stage": "checked"}
    events, messages = run(ActionCrisisFollowup(), halted, "no", "deny")
    assert responses(messages) == ["utter_intake_call_declined"]
    assert "intake_halt" not in slots_of(events)  # still stopped: nothing resumes on its own
    required = asyncio.run(ValidateIntakeForm().required_slots([], CollectingDispatcher(), Tracker(
        "t", halted, {}, [], False, None, {}, "action_listen"), DOMAIN))
    assert required == []
    events, _ = run(ActionIntakeResume(), halted, "continue", "continue_intake")
    assert slots_of(events) == {"intake_halt": None, "intake_trigger": None}


def test_asking_for_a_call_after_the_stop_asks_only_how_to_reach_them():
    events, _ = run(ActionIntakeStart(), {**BEFORE_CONTACT, "intake_halt": "crisis"}, "can someone call me",
                    "request_callback")
    assert slots_of(events) == {"intake_halt": "callback"}


def test_a_family_members_yes_gets_words_about_that_person(records_db):
    loved_one = {"intake_consent": "yes", "intake_for": "loved_one", "intake_age_group": "18_25",
                 "intake_substances": ["heroin"], "intake_lo_safety": None}
    slots, messages = form_turn(loved_one, "intake_lo_safety", "yes")
    assert slots["intake_lo_safety"] == "yes"
    assert responses(messages)[0] == "utter_intake_lo_safety_crisis"
    assert "utter_crisis_suicide" not in responses(messages)
    [event] = crisis_events(url=records_db, conversation_id="intake-test")
    assert event.detected_by == "intake:intake_lo_safety"


def test_fever_or_a_sore_injection_spot_sends_them_to_the_emergency_room_now(records_db):
    before = {**BEFORE_CONTACT, "intake_injection": "yes", "intake_injection_infection": None}
    slots, messages = form_turn(before, "intake_injection_infection", "yes")
    assert slots["intake_injection_infection"] == "yes" and slots["requested_slot"] is None  # no more questions
    assert (slots["intake_halt"], slots["intake_trigger"]) == ("crisis", "intake_injection_infection")
    halted = {**before, "intake_injection_infection": "yes", "intake_halt": "crisis",
              "intake_trigger": "intake_injection_infection"}
    events, messages = run(ActionIntakeSubmit(), halted)
    assert responses(messages) == ["utter_intake_infection_emergency", "utter_intake_offer_call"]
    assert slots_of(events) == {"crisis_stage": "checked"}  # "yes" to the offer asks only the number
    assert crisis_events(url=records_db) == []  # not a suicide crisis
    events, messages = run(ActionIntakeSubmit(), {**halted, "intake_phone": "+16175550142"})
    [request] = list_callbacks(url=records_db)
    assert request.priority == "URGENT" and responses(messages) == ["utter_intake_infection_emergency",
                                                                    "utter_intake_crisis_request"]


def test_opioids_chosen_make_every_emergency_reply_include_naloxone():
    slots, _ = form_turn({"intake_consent": "yes", "intake_for": "self", "intake_age_group": "26_44"},
                         "intake_substances", "fent and beer")
    assert slots["opioid_context"] is True
    slots, _ = form_turn({"intake_consent": "yes", "intake_for": "self", "intake_age_group": "26_44"},
                         "intake_substances", "beer")
    assert "opioid_context" not in slots


def test_a_bottle_is_answered_with_how_many_drinks_and_never_loops():
    before = {**BEFORE_CONTACT, "intake_drinks": "yes", "intake_audit_c_1": "4_plus_week", "intake_audit_c_2": None}
    slots, messages = form_turn(before, "intake_audit_c_2", "a fifth")
    assert slots["intake_audit_c_2"] is None and "How many drinks is that?" in texts(messages)
    again, _ = form_turn({**before, "intake_retries": slots["intake_retries"]}, "intake_audit_c_2", "a fifth")
    assert again["intake_audit_c_2"] == "skipped"


def test_under_18_is_offered_the_crisis_lines_with_the_callback(records_db):
    minor = {"intake_consent": "yes", "intake_for": "self", "intake_age_group": "under_18", "intake_cssrs_1": "no",
             "intake_cssrs_2": "no", "intake_cssrs_6": "no", "intake_phone": "+16175550142", "intake_confirmed": "yes"}
    _, messages = run(ActionIntakeSubmit(), minor)
    assert "utter_intake_minor_support" in responses(messages)


def test_a_question_that_cannot_be_skipped_offers_a_person_instead_of_looping():
    callback = {**BEFORE_CONTACT, "intake_halt": "callback", "intake_phone": None}
    slots, _ = form_turn(callback, "intake_phone", "no")
    again, messages = form_turn({**callback, "intake_retries": slots["intake_retries"]}, "intake_phone", "nope")
    assert again["intake_phone"] is None
    assert '"stop" and call us at' in texts(messages)


def test_withdrawal_now_with_alcohol_or_benzodiazepines_gets_the_emergency_signs_at_once():
    before = {**BEFORE_CONTACT, "intake_substances": ["alcohol"], "intake_withdrawal_now": None}
    _, messages = form_turn(before, "intake_withdrawal_now", "yes")
    assert responses(messages) == ["utter_intake_withdrawal_warning"]
    _, messages = form_turn({**BEFORE_CONTACT, "intake_withdrawal_now": None}, "intake_withdrawal_now", "yes")
    assert messages == []  # heroin only, no drinking or benzodiazepines
