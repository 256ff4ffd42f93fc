"""The assistant over real HTTP: REST channel, action server, SQLite tracker store."""

import json
import sqlite3
import time
import uuid

import pytest

from assistant.center import current_center
from channels import conversation_ids
from tests.e2e.conftest import assert_turns_one_after_another, send_all_at_once


def texts(replies):
    return [r.get("text", "") for r in replies]


def new_sender():
    return f"e2e-{uuid.uuid4().hex[:10]}"


def test_first_message_opens_with_the_disclaimer(assistant):
    replies = assistant.send(new_sender(), "hi")
    first = replies[0]["text"]
    assert "automated assistant" in first and "not a clinician" in first and "911" in first and "988" in first
    assert len(replies) >= 2


def test_medication_answer_and_follow_up(assistant):
    sender = new_sender()
    answer = " ".join(texts(assistant.send(sender, "what is suboxone?")))
    assert "buprenorphine" in answer.lower()
    follow_up = " ".join(texts(assistant.send(sender, "what about side effects?")))
    assert "teeth" in follow_up.lower() or "tooth" in follow_up.lower() or "breathing" in follow_up.lower()


def test_dose_question_gets_a_referral(assistant):
    reply = " ".join(texts(assistant.send(new_sender(), "how many mg of methadone should i take")))
    assert "prescriber" in reply and "can't give doses" in reply


def test_crisis_in_the_middle_answers_at_once_and_is_recorded(assistant):
    sender = new_sender()
    assistant.send(sender, "what is vivitrol")
    reply = " ".join(texts(assistant.send(sender, "i dont want to be alive anymore")))
    assert "988" in reply and "911" in reply and "1-800-662-4357" in reply
    with sqlite3.connect(assistant.records_db) as db:
        rows = db.execute("select kind from crisis_events where conversation_id = ?",
                          (conversation_ids.rest(sender),)).fetchall()
    assert rows == [("suicide",)]
    check = " ".join(texts(assistant.send(sender, "no im fine")))
    assert "988" in check and "someone from our team" in check  # a kind check, not a goodbye


def test_overdose_gives_naloxone_steps(assistant):
    reply = " ".join(texts(assistant.send(new_sender(), "my friend wont wake up and his lips are blue")))
    assert "Call 911 now" in reply and "naloxone" in reply.lower()


@pytest.mark.parametrize("text", [
    "",
    "   ",
    "x" * 20000,
    "😭😭😭🙏",
    "<script>alert('x')</script> what is methadone",
    "'; DROP TABLE events; --",
    "hola, necesito ayuda con mi esposo",
    "WHAT IS SUBOXONE???",
])
def test_bad_input_gets_a_kind_reply_and_nothing_breaks(assistant, text):
    sender = new_sender()
    replies = assistant.send(sender, text)
    assert replies, "every message gets an answer"
    for reply in replies:
        assert "<script" not in reply.get("text", "")
    # the conversation still works afterwards
    assert assistant.send(sender, "what are your hours")[-1]["text"].startswith("We're open")


@pytest.mark.parametrize("body,content_type", [
    (b"{not json", "application/json"),
    (b"", "application/json"),
    (json.dumps({"sender": "x"}).encode(), "application/json"),
    (json.dumps(["a", "b"]).encode(), "application/json"),
    (b"message=hi", "application/x-www-form-urlencoded"),
    (json.dumps({"sender": "x", "message": "y" * 20001}).encode(), "application/json"),
])
def test_malformed_requests_are_refused_not_crashed(assistant, body, content_type):
    status, _ = assistant.post_raw(body, content_type)
    assert status == 400
    assert assistant.send(new_sender(), "hello")  # the server is still up


def test_transcript_is_kept_in_the_sql_tracker_store(assistant):
    sender = new_sender()
    assistant.send(sender, "what is naltrexone")
    with sqlite3.connect(assistant.tracker_db) as db:
        rows = db.execute("select type_name, json_extract(data, '$.text') from events "
                          "where sender_id = ? and type_name in ('user', 'bot') order by id",
                          (conversation_ids.rest(sender),)).fetchall()
    kinds = [kind for kind, _ in rows]
    assert ("user", "what is naltrexone") in rows
    assert kinds[0] == "bot" and "automated assistant" in rows[0][1]  # the disclaimer opens the session
    assert kinds.count("bot") >= 2


def test_one_conversations_messages_at_once_are_taken_one_at_a_time(assistant):
    """Two workers (make run's set-up) share the conversation through the SQLite lock store."""
    sender = new_sender()
    assistant.send(sender, "hi")
    texts_sent = [f"what is {med}" for med in ("methadone", "naltrexone", "suboxone", "vivitrol", "antabuse")] * 4
    started = time.perf_counter()
    send_all_at_once(assistant, sender, texts_sent)
    assert time.perf_counter() - started < 10  # Rasa's lock stores look again once a second: ~20 s
    with sqlite3.connect(assistant.tracker_db) as db:
        rows = db.execute("select type_name, action_name from events where sender_id = ? order by id",
                          (conversation_ids.rest(sender),)).fetchall()
    assert_turns_one_after_another(rows, messages=1 + len(texts_sent))


def test_message_text_is_not_logged_at_info(assistant):
    marker = f"secretmarker{uuid.uuid4().hex[:8]}"
    assistant.send(new_sender(), f"my name is {marker} and i use heroin")
    for log in assistant.logs:
        assert marker not in log.read_text(), log.name


def test_center_config_reaches_the_answers(assistant):
    reply = " ".join(texts(assistant.send(new_sender(), "whats your phone number")))
    assert current_center().phone in reply


def test_start_over_resets_and_keeps_working(assistant):
    sender = new_sender()
    assistant.send(sender, "what is methadone")
    reply = texts(assistant.send(sender, "start over"))
    assert reply[0] == "Okay, let's start over."
    assert "automated assistant" in reply[1]  # a new session opens with the disclaimer again
    follow_up = " ".join(texts(assistant.send(sender, "what about side effects")))
    assert follow_up == "Which medication do you mean?" or "medication" in follow_up.lower()


def test_overdose_signs_get_naloxone_whatever_the_words(assistant):
    """The issue's message: a collapse, blue, not breathing, "uses dope": the overdose steps, not the medical reply."""
    reply = " ".join(texts(assistant.send(new_sender(), "He collapsed. He's blue and not breathing. He uses dope")))
    assert "naloxone" in reply.lower() and "911" in reply
    reply = " ".join(texts(assistant.send(new_sender(), "my roommate won't wake up and her lips are gray")))
    assert "naloxone" in reply.lower()


def test_every_emergency_reply_includes_naloxone_once_opioids_came_up(assistant):
    sender = new_sender()
    assistant.send(sender, "my brother is on percs and i want him to get help")
    reply = " ".join(texts(assistant.send(sender, "he is having a seizure right now")))
    assert "911" in reply and "naloxone" in reply.lower()
    # Without opioids in the conversation, the medical reply stays as it is.
    other = " ".join(texts(assistant.send(new_sender(), "he is having a seizure right now")))
    assert "911" in other and "naloxone" not in other.lower()


def test_a_suicide_crisis_about_someone_else_speaks_of_that_person(assistant):
    reply = " ".join(texts(assistant.send(new_sender(), "my son says he wants to kill himself")))
    assert "911" in reply and "988 also helps people worried about someone else" in reply
    assert "You matter" not in reply
    own = " ".join(texts(assistant.send(new_sender(), "i want to kill myself")))
    assert "You matter" in own
