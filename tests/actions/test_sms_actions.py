"""Actions in a conversation on SMS: the SMS wording, fewer options, a summary without the answers."""

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.intake import ActionIntakeSubmit, AskQuestion, ValidateIntakeForm
from actions.knowledge import ActionAnswerMedication, ActionAnswerWithdrawal, ActionMedicationMixing
from assistant.center import current_center
from assistant.db.callbacks import list_callbacks
from assistant.intake.questions import notice_version
from assistant.knowledge import knowledge
from tests.actions.conftest import seen
from tests.actions.test_intake_actions import ADULT_SELF, DOMAIN

KB = knowledge()


@pytest.fixture(autouse=True)
def records_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", url)
    return url


def tracker(intent: str, channel: str, entities=None, slots=None, text: str = "") -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9},
              "intent_ranking": [{"name": intent, "confidence": 0.9}], "entities": entities or []}
    events = [{"event": "user", "text": text, "parse_data": latest, "input_channel": channel}]
    return Tracker("+15550104477", slots or {}, latest, events, False, None, {}, "action_listen")


def run(action, t: Tracker) -> list[dict]:
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, t, DOMAIN))
    return seen(dispatcher.messages, t)


def ask(question_id: str, channel: str, slots: dict) -> list[dict]:
    action = type(f"Ask_{question_id}", (AskQuestion,), {"question_id": question_id})()
    return run(action, tracker("intake", channel, slots=slots))


def test_a_medication_answer_on_sms_uses_the_sms_wording_and_offers_only_our_staff():
    entities = [{"entity": "medication", "value": "methadone"}]
    [web] = run(ActionAnswerMedication(), tracker("med_side_effects", "rest", entities))
    [on_sms] = run(ActionAnswerMedication(), tracker("med_side_effects", "sms", entities))
    assert web["text"] == KB.medication_answer("methadone", "side_effects")
    assert on_sms["text"] == KB.medication_answer("methadone", "side_effects", sms=True) != web["text"]
    assert len(web["buttons"]) == 4 and [b["payload"] for b in on_sms["buttons"]] == ["/request_callback"]


def test_an_answer_without_sms_wording_is_sent_as_on_the_web():
    entities = [{"entity": "medication", "value": "naltrexone"}]
    [on_sms] = run(ActionAnswerMedication(), tracker("med_how_taken", "sms", entities))
    assert on_sms["text"] == KB.medication_answer("naltrexone", "how_taken")


def test_withdrawal_and_mixing_on_sms():
    substance = [{"entity": "substance", "value": "alcohol"}]
    [answer] = run(ActionAnswerWithdrawal(), tracker("withdrawal_cold_turkey", "sms", substance))
    assert answer["text"] == KB.withdrawal_answer("alcohol", "cold_turkey", sms=True) and "911" in answer["text"]
    [general] = run(ActionAnswerWithdrawal(), tracker("withdrawal_cold_turkey", "sms"))
    assert len(general["buttons"]) == 4  # which substance: needed to answer, so kept
    [mixing] = run(ActionMedicationMixing(), tracker("med_mixing", "sms"))
    assert mixing["text"] == KB.mixing(None, sms=True) and len(mixing["buttons"]) == 1


def test_the_consent_notice_on_sms_says_pause_not_stop():
    notice = ask("intake_consent", "sms", {})[0]["text"]
    assert '"pause"' in notice and '"stop"' not in notice and current_center().name in notice
    assert '"stop"' in ask("intake_consent", "rest", {})[0]["text"]


def test_the_summary_on_sms_shows_how_we_call_not_what_was_answered():
    slots = {**ADULT_SELF, "intake_substances": ["heroin"]}
    summary = ask("intake_confirmed", "sms", slots)[0]["text"]
    assert "(617) 555-0142" in summary and "Sam" in summary
    assert "Heroin" not in summary and "suicide" not in summary.lower() and "Medicaid" not in summary
    web = ask("intake_confirmed", "rest", slots)[0]["text"]
    assert "Heroin" in web


def test_fix_something_on_sms_offers_the_contact_answers():
    slots = {**ADULT_SELF, "intake_confirmed": "Fix something", "requested_slot": "intake_confirmed"}
    t = tracker("nlu_fallback", "sms", slots=slots, text="Fix something")
    t.events.append({"event": "slot", "name": "intake_confirmed", "value": "Fix something"})
    messages = run(ValidateIntakeForm(), t)
    titles = [b["title"] for m in messages for b in m.get("buttons") or []]
    assert titles == ["Phone", "Name", "Best time", "Messages"]


def test_consent_given_on_sms_is_recorded_with_the_sms_notice_version(records_db):
    run(ActionIntakeSubmit(), tracker("affirm", "sms", slots={**ADULT_SELF, "intake_confirmed": "yes"}))
    [request] = list_callbacks(url=records_db)
    assert request.consent_notice_version == notice_version(sms=True) == notice_version() + "-sms"
