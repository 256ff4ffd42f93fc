import asyncio
import json
import threading

import pytest
from rasa_sdk.events import SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionDefaultAskAffirmation, ActionDefaultFallback
from actions.safety import ActionCrisisFollowup, ActionRecordCrisis
from actions.session import ActionSessionStart
from assistant.center import current_center
from assistant.db.crises import crisis_events
from assistant.db.outbox import notifications
from assistant.intake import notify
from tests.actions.conftest import make_tracker, med
from tests.intake_support import WebhookServer, free_port


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


def _overdose(sender_id="conv-1"):
    return make_tracker("crisis_overdose", text="he isnt breathing", sender_id=sender_id,
                        extra={"crisis": {"intent": "crisis_overdose", "source": "rule:not_breathing"}})


def test_a_crisis_alerts_staff_at_once(run_action, isolated_db, staff_notifications):
    port = free_port()
    staff_notifications({"webhook": {"url": f"http://127.0.0.1:{port}/alerts"}})
    with WebhookServer(port) as received:
        _, events = run_action(ActionRecordCrisis(), _overdose())  # asyncio.run waits for the executor to finish
    assert events == [SlotSet("crisis_stage", "asked")]
    [event] = crisis_events(url=isolated_db)
    [(_, _, body)] = received
    payload = json.loads(body)
    assert (payload["type"], payload["event_id"]) == ("crisis", event.id)
    assert "overdose" not in body.decode() and "breathing" not in body.decode()
    [alert] = notifications(url=isolated_db)
    assert (alert.kind, alert.crisis_event_id, alert.status) == ("crisis", event.id, "sent")


def test_more_crisis_messages_in_the_conversation_give_no_second_alert(run_action, isolated_db, staff_notifications):
    port = free_port()
    staff_notifications({"webhook": {"url": f"http://127.0.0.1:{port}/alerts"}})
    with WebhookServer(port) as received:
        for sender_id in ("conv-1", "conv-1", "conv-2"):
            run_action(ActionRecordCrisis(), _overdose(sender_id))
    first, _, other = sorted(event.id for event in crisis_events(url=isolated_db))
    assert sorted(json.loads(body)["event_id"] for _, _, body in received) == [first, other]


def test_the_reply_is_unaffected_when_the_alert_target_is_down(run_action, isolated_db, staff_notifications):
    staff_notifications({"webhook": {"url": f"http://127.0.0.1:{free_port()}/alerts"}})  # nothing listens
    messages, events = run_action(ActionRecordCrisis(), _overdose())
    assert (messages, events) == ([], [SlotSet("crisis_stage", "asked")])
    [event] = crisis_events(url=isolated_db)
    [alert] = notifications(url=isolated_db)
    assert (alert.crisis_event_id, alert.status, alert.attempts) == (event.id, "pending", 1)  # delivery was tried
    assert alert.last_error.startswith("URLError")


def test_the_reply_does_not_wait_for_the_alert_to_be_sent(isolated_db, staff_notifications, monkeypatch):
    staff_notifications({"webhook": {"url": "http://127.0.0.1:9/alerts"}})
    started, release, sent = threading.Event(), threading.Event(), threading.Event()

    def slow_delivery():
        started.set()
        release.wait(10)
        sent.set()

    monkeypatch.setattr(notify, "deliver_pending", slow_delivery)

    async def reply():
        events = await ActionRecordCrisis().run(CollectingDispatcher(), _overdose(), {})
        assert started.wait(5)  # the send was started (an action that sends nothing must fail here)
        assert not sent.is_set()  # the action returned while the send was still going on
        release.set()
        return events

    assert asyncio.run(reply()) == [SlotSet("crisis_stage", "asked")]
    assert sent.is_set()  # asyncio.run waited for the executor: the send finished after the reply


def test_the_event_is_kept_when_its_alert_rows_are_refused(run_action, isolated_db, monkeypatch, caplog):
    # A target of None on purpose: the row the database refuses (NOT NULL).
    broken = notify.NotifyConfig("Harbor Recovery", (notify.Target("webhook", None, {}),))  # type: ignore[arg-type]
    monkeypatch.setattr(notify, "load_config", lambda: broken)
    _, events = run_action(ActionRecordCrisis(), _overdose())
    assert events == [SlotSet("crisis_stage", "asked")]
    assert len(crisis_events(url=isolated_db)) == 1 and notifications(url=isolated_db) == []
    assert "storing the event alone" in caplog.text


def test_the_event_is_kept_when_staff_notifications_is_invalid(run_action, isolated_db, staff_notifications, caplog):
    staff_notifications({"webhook": {"url": "ftp://example.org/x"}})
    _, events = run_action(ActionRecordCrisis(), _overdose())
    assert events == [SlotSet("crisis_stage", "asked")]
    assert len(crisis_events(url=isolated_db)) == 1 and notifications(url=isolated_db) == []
    assert "without a staff alert" in caplog.text


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
    center, text = current_center(), messages[0]["text"]
    assert center.phone in text and center.hours in text and "911" in text and "988" in text
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
