"""The assistant over real HTTP: REST channel, action server, SQLite tracker store."""

import json
import sqlite3
import time
import uuid
from collections.abc import Sequence

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


# --- hostile input (issue 10, part 5) ------------------------------------------------------

def raw_http(assistant, head: bytes, body_parts: Sequence[bytes] = (), timeout: float = 15) -> tuple[int, bytes]:
    """(status, body) of a request written by hand: a declared length can exceed what is sent."""
    import socket

    host, port = assistant.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall(head)
        try:
            for part in body_parts:
                connection.sendall(part)
        except OSError:
            pass  # refused before everything was sent: read the answer
        received = b""
        while b"\r\n\r\n" not in received or len(received.split(b"\r\n\r\n", 1)[1]) < _length(received):
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
    status = int(received.split(b" ", 2)[1])
    return status, received.split(b"\r\n\r\n", 1)[1]


def _length(received: bytes) -> int:
    for line in received.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


def stored_bytes(assistant, sender: str) -> int:
    with sqlite3.connect(assistant.tracker_db) as db:
        return db.execute("select coalesce(sum(length(data)), 0) from events where sender_id = ?",
                          (conversation_ids.rest(sender),)).fetchone()[0]


def test_deeply_nested_json_gets_a_400_with_a_reason_not_a_500(assistant):
    """~990 levels: json.loads raised RecursionError in the handler (500)."""
    for deep in (b'{"sender": "x", "message": "hi", "metadata": ' + b'{"a": ' * 990 + b"1" + b"}" * 991,
                 b"[" * 990 + b"]" * 990):
        status, body = assistant.post_raw(deep)
        assert status == 400 and "levels deep" in json.loads(body)["error"], (status, body[:200])
    assert assistant.send(new_sender(), "hello")


def test_deep_metadata_is_refused_and_the_conversation_keeps_working(assistant):
    """Metadata nested 960 levels was taken (200, replies []) and broke the conversation for
    good: every later message got [] (Rasa could no longer copy or store the tracker)."""
    sender = new_sender()
    deep = b'{"sender": "%s", "message": "hi", "metadata": ' % sender.encode() + b'{"a": ' * 960 + b"1" + b"}" * 961
    status, body = assistant.post_raw(deep)
    assert status == 400 and "'metadata' at most" in json.loads(body)["error"]
    assert assistant.send(sender, "what are your hours")[-1]["text"].startswith("We're open")


def test_metadata_size_is_limited_and_nothing_is_stored(assistant):
    """1 MB of metadata was taken and stored as ~3 MB of events."""
    sender = new_sender()
    status, _ = assistant.post_raw(json.dumps({"sender": sender, "message": "hi", "metadata": {"x": "y" * 1_000_000}}).encode())
    assert status == 413
    status, body = assistant.post_raw(json.dumps({"sender": sender, "message": "hi", "metadata": {"x": "y" * 5_000}}).encode())
    assert status == 400 and "'metadata' is larger than" in json.loads(body)["error"]
    assert stored_bytes(assistant, sender) == 0
    status, _ = assistant.post_raw(json.dumps({"sender": sender, "message": "hi", "metadata": {"source": "crm"}}).encode())
    assert status == 200 and 0 < stored_bytes(assistant, sender) < 100_000


def test_an_oversized_body_is_refused_without_being_read(assistant):
    """Sanic read up to 100 MB of any body; the REST route now stops at 256 KiB (413)."""
    path = b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    # a declared 50 MB of which little is sent: answered at once, from the header
    started = time.perf_counter()
    status, body = raw_http(assistant, path + b"Content-Length: 50000000\r\n\r\n",
                            [b'{"sender": "x", "message": "' + b"y" * 1000])
    assert status == 413 and "larger than" in json.loads(body)["error"]
    assert time.perf_counter() - started < 5
    # chunked, no length given: refused once 256 KiB have arrived
    chunk = b"y" * 65536
    parts = [b'{"sender": "x", "message": "'] + [chunk] * 6 + [b'"}']
    chunked = [b"%x\r\n%s\r\n" % (len(p), p) for p in parts] + [b"0\r\n\r\n"]
    status, _ = raw_http(assistant, path + b"Transfer-Encoding: chunked\r\n\r\n", chunked)
    assert status == 413
    # above the limit but well formed, 300 KB: 413, never 200
    status, _ = assistant.post_raw(json.dumps({"sender": "x", "message": "hi", "pad": "z" * 300_000}).encode())
    assert status == 413
    assert assistant.send(new_sender(), "hello")  # the server is still up


def test_a_sender_id_cannot_forge_a_log_line(assistant):
    """A sender id with a newline, in a request that fails (a lone surrogate made spaCy raise),
    wrote a line of the attacker's choosing into rasa.log."""
    forged = f"2099-01-01 00:00:00 ERROR    rasa.core  - forged {uuid.uuid4().hex[:8]}"
    answers = [assistant.post_raw(body) for body in (
        b'{"sender": "evil\\n' + forged.encode() + b'", "message": "hi \\ud800"}',
        json.dumps({"sender": f"evil\r\n{forged}", "message": "hi"}).encode(),
        json.dumps({"sender": f"evil\u2028{forged}", "message": "hi"}).encode())]
    time.sleep(0.5)
    for log in assistant.logs:
        assert not [line for line in log.read_text(errors="replace").splitlines() if line.startswith(forged)], log.name
    for status, response in answers:
        assert status == 400 and "control or invisible" in json.loads(response)["error"]
    status, response = assistant.post_raw(json.dumps({"sender": new_sender(), "message": "hi \ud800"}).encode())
    assert status == 400 and "Unicode" in json.loads(response)["error"]  # was a 503 (spaCy raised)


def test_the_server_does_not_announce_its_version(assistant):
    """GET / answered "Hello from Rasa: 3.6.21"."""
    import urllib.error
    import urllib.request

    for path in ("/", "/webhooks/rest/", "/webhooks/webchat/health", "/no-such-page", "/version", "/status"):
        try:
            with urllib.request.urlopen(assistant.url + path, timeout=10) as response:
                status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as err:
            status, headers, body = err.code, err.headers, err.read()
        assert "server" not in {name.lower() for name in headers}, (path, dict(headers))
        assert b"3.6" not in body and b"rasa" not in body.lower() and b"sanic" not in body.lower(), (path, body[:200])
        if path == "/":
            assert status == 200 and json.loads(body) == {"status": "ok"}


def test_a_crisis_hidden_by_look_alike_letters_gets_the_crisis_reply_and_the_transcript_keeps_what_was_typed(assistant):
    """Cyrillic і/а/о/е and a soft hyphen hid "i want to end it all" from the detector and the
    model (nlu_fallback: "Just to check...")."""
    sender = new_sender()
    typed = "і wаnt tо е\u00adnd іt аll"
    reply = " ".join(texts(assistant.send(sender, typed)))
    assert "988" in reply and "You matter" in reply
    with sqlite3.connect(assistant.records_db) as db:
        kinds = db.execute("select kind from crisis_events where conversation_id = ?",
                           (conversation_ids.rest(sender),)).fetchall()
    assert kinds == [("suicide",)]
    with sqlite3.connect(assistant.tracker_db) as db:
        [(text, parsed)] = db.execute("select json_extract(data, '$.text'), json_extract(data, '$.parse_data.text') "
                                      "from events where sender_id = ? and type_name = 'user'",
                                      (conversation_ids.rest(sender),)).fetchall()
    assert text == typed  # staff read what the person typed
    assert parsed == "i want to end it all"  # what the NLU read
