import pytest
from rasa_sdk.events import SlotSet, UserUtteranceReverted

from actions.fallback import ActionDefaultAskAffirmation, ActionDefaultFallback
from actions.safety import ActionCrisisFollowup, ActionRecordCrisis
from actions.session import ActionSessionStart
from assistant.records import crisis_events
from tests.actions.conftest import make_tracker, med


@pytest.fixture(autouse=True)
def isolated_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", url)
    return url


def test_crisis_is_recorded_for_staff_and_opens_the_follow_up(run_action, isolated_db):
    tracker = make_tracker("crisis_overdose", text="he isnt breathing", sender_id="conv-1",
                           extra={"crisis": {"intent": "crisis_overdose", "source": "rule:not_breathing"}})
    _, events = run_action(ActionRecordCrisis(), tracker)
    assert events == [SlotSet("crisis_stage", "asked")]
    [event] = crisis_events(url=isolated_db)
    assert (event.conversation_id, event.kind, event.detected_by) == ("conv-1", "overdose", "rule:not_breathing")


def test_crisis_path_continues_when_the_database_is_down(run_action, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    _, events = run_action(ActionRecordCrisis(), make_tracker("crisis_suicide", text="i want to die"))
    assert events == [SlotSet("crisis_stage", "asked")]


@pytest.mark.parametrize("stage,intent,response,next_stage", [
    ("asked", "affirm", "utter_crisis_urgent", None),
    ("asked", "deny", "utter_crisis_kind_check", "checked"),
    ("checked", "deny", "utter_crisis_close", "cleared"),
])
def test_crisis_follow_up(run_action, stage, intent, response, next_stage):
    messages, events = run_action(ActionCrisisFollowup(), make_tracker(intent, slots={"crisis_stage": stage}))
    assert messages[0]["response"] == response
    expected = {None: [], "checked": [SlotSet("crisis_stage", "checked")], "cleared": [SlotSet("crisis_stage", None)]}
    assert events == expected[next_stage]


def test_a_single_im_fine_does_not_close_the_path(run_action):
    tracker = make_tracker("deny", text="no im fine", slots={"crisis_stage": "asked"})
    messages, events = run_action(ActionCrisisFollowup(), tracker)
    assert messages[0]["response"] == "utter_crisis_kind_check"
    assert events == [SlotSet("crisis_stage", "checked")]


def test_wanting_a_call_after_the_kind_check_gives_the_way_to_staff(run_action):
    messages, events = run_action(ActionCrisisFollowup(), make_tracker("affirm", slots={"crisis_stage": "checked"}))
    assert "988" in messages[0]["text"]
    assert events == [SlotSet("crisis_stage", None)]


def test_session_start_discloses_and_sets_center_slots(run_action):
    messages, events = run_action(ActionSessionStart(), make_tracker("session_start"))
    assert messages[0]["response"] == "utter_disclaimer"
    assert SlotSet("center_phone", "the phone number on our website") in events


def test_fallback_suggestion_is_in_plain_words_and_keeps_entities(run_action):
    tracker = make_tracker("nlu_fallback", entities=[med("methadone")],
                           ranking=[{"name": "nlu_fallback", "confidence": 0.45},
                                    {"name": "med_side_effects", "confidence": 0.4}])
    messages, _ = run_action(ActionDefaultAskAffirmation(), tracker)
    assert messages[0]["text"] == "Just to check: is your question about side effects of a medication?"
    assert messages[0]["buttons"][0]["payload"] == '/med_side_effects{"medication": ["methadone"]}'


def test_fallback_suggestion_for_a_faq_topic_asks_to_rephrase(run_action):
    tracker = make_tracker("nlu_fallback", ranking=[{"name": "program", "confidence": 0.4}])
    messages, _ = run_action(ActionDefaultAskAffirmation(), tracker)
    assert messages[0]["response"] == "utter_ask_rephrase"


def test_final_fallback_offers_a_human(run_action):
    messages, events = run_action(ActionDefaultFallback(), make_tracker("nlu_fallback"))
    assert messages[0]["response"] == "utter_default"
    assert events == [UserUtteranceReverted()]
