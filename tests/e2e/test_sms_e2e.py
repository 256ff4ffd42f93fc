"""The SMS channel over real HTTP: Twilio-signed form posts (twilio's RequestValidator) to a running server.

A real action server and Rasa server (evaluation/server.py) with the SMS
channel configured through its environment variables, as in production.
"""

import json
import re
import sqlite3
import tarfile
import urllib.error
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ET

import pytest
import yaml
from twilio.request_validator import RequestValidator

from assistant import sms
from assistant.center import current_center
from channels import conversation_ids
from channels.sms import PRIVACY_NOTE
from evaluation.server import (
    MODEL,
    POSTGRES,
    create_database,
    drop_database,
    production_env,
    production_services_missing,
    start_assistant,
)

pytestmark = pytest.mark.needs_model  # starts the assistant with models/assistant.tar.gz
TOKEN = "e2e-twilio-auth-token"
PUBLIC_URL = "https://sms.example.org/webhooks/sms/webhook"  # what Twilio calls; the proxy forwards here
KEY = "e2e-sms-conversation-key-0123456789"
ENV = {"TWILIO_AUTH_TOKEN": TOKEN, "TWILIO_SMS_URL": PUBLIC_URL, "SMS_CONVERSATION_KEY": KEY}
OPTION = re.compile(r"(?:Reply |, )([0-9A-Z]) for (.+?)(?=, [0-9A-Z] for |\.$)")


def model_has_sms_wording() -> bool:
    """Whether the trained model's domain holds the `channel: sms` variants (they are packed at training time)."""
    if not MODEL.exists():
        return False
    with tarfile.open(MODEL) as tar:
        domain = yaml.safe_load(tar.extractfile("components/domain_provider/domain.yml"))
    return any(v.get("channel") == "sms" for variants in domain.get("responses", {}).values() for v in variants)


needs_retrained_model = pytest.mark.skipif(
    not model_has_sms_wording(), reason="NEEDS RETRAIN: models/assistant.tar.gz predates the domain's SMS variants")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not MODEL.exists():
        pytest.skip("no trained model: run `make train`")
    running = start_assistant(tmp_path_factory.mktemp("sms"), extra_env=ENV)
    yield running
    running.stop()


def new_number() -> str:
    return "+1555" + str(uuid.uuid4().int)[:7]


def new_sid() -> str:
    return "SM" + uuid.uuid4().hex


def post(server, form: dict | None = None, signature: str | None = "valid", body: bytes | None = None,
         content_type: str = "application/x-www-form-urlencoded") -> tuple[int, str, str]:
    """(status, content type, body) of one webhook post; signature "valid" signs `form` as Twilio does."""
    if signature == "valid":
        signature = RequestValidator(TOKEN).compute_signature(PUBLIC_URL, form or {})
    headers = {"Content-Type": content_type, **({"X-Twilio-Signature": signature} if signature else {})}
    data = body if body is not None else urllib.parse.urlencode(form or {}).encode()
    request = urllib.request.Request(f"{server.url}/webhooks/sms/webhook", data, headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read().decode()


def text(server, sender: str, body: str, sid: str | None = None) -> list[str]:
    """Texts `body` from `sender`; the messages of the TwiML answer."""
    form = {"From": sender, "To": "+15550100000", "Body": body, "MessageSid": sid or new_sid(), "NumMedia": "0"}
    status, content_type, answer = post(server, form)
    assert status == 200 and content_type.startswith("application/xml"), (status, answer)
    return [m.text or "" for m in ET.fromstring(answer).findall("Message")]  # <Message/>: ""


def options(reply: str) -> dict[str, str]:
    """title -> key of the options in the reply's last "Reply 1 for ..." line."""
    line = [line for line in reply.split("\n") if line.startswith("Reply ")][-1]
    return {title: key for key, title in OPTION.findall(line)}


def conversation(number: str) -> str:
    """The conversation id of an SMS number: a keyed hash, never the number."""
    return conversation_ids.sms(number, KEY.encode())


def user_events(server, sender: str) -> list[dict]:
    with sqlite3.connect(server.tracker_db) as db:
        rows = db.execute("select data from events where sender_id = ? and type_name = 'user' order by id",
                          (conversation(sender),))
        return [json.loads(data) for (data,) in rows]


def test_a_signed_text_gets_a_twiml_reply_with_the_privacy_note_first(server):
    number = new_number()
    first = text(server, number, "hi")
    assert len(first) == 1
    assert first[0].startswith(PRIVACY_NOTE)
    assert "automated assistant" in first[0] and "911" in first[0] and "988" in first[0]
    assert PRIVACY_NOTE not in text(server, number, "what are your hours")[0]
    assert [e["input_channel"] for e in user_events(server, number)] == ["sms", "sms"]


@pytest.mark.parametrize("signature", [None, "", "wrong", "url", "tampered"])
def test_missing_or_wrong_signature_is_refused_and_not_processed(server, signature):
    number = new_number()
    form = {"From": number, "Body": "what is methadone", "MessageSid": new_sid()}
    if signature == "wrong":
        signature = RequestValidator("another-token").compute_signature(PUBLIC_URL, form)
    elif signature == "url":
        signature = RequestValidator(TOKEN).compute_signature(f"{server.url}/webhooks/sms/webhook", form)
    elif signature == "tampered":
        signature = RequestValidator(TOKEN).compute_signature(PUBLIC_URL, form)
        form = {**form, "Body": "something else"}
    status, _, _ = post(server, form, signature=signature)
    assert status == 403
    assert user_events(server, number) == []


def test_buttons_become_numbered_options_and_the_number_picks_the_button(server):
    number = new_number()
    greeting = text(server, number, "hi")[0]
    offered = options(greeting)
    assert "/" not in greeting.split("Reply ")[-1]  # payloads are never shown
    staff = next(key for title, key in offered.items() if "staff" in title.lower())
    notice = text(server, number, staff)[0]
    assert "Before we start" in notice and "42 CFR Part 2" in notice
    assert user_events(server, number)[-1]["text"] == "/request_callback"


def test_stop_confirms_then_silence_then_start(server):
    number = new_number()
    text(server, number, "hi")
    stop = text(server, number, "STOP")
    assert len(stop) == 1 and "unsubscribed" in stop[0]
    before = len(user_events(server, number))
    assert text(server, number, "what is methadone") == []  # <Response/>: nothing is sent
    assert text(server, number, "Stop") == []  # no second confirmation
    assert len(user_events(server, number)) == before  # the assistant never saw them
    start = text(server, number, "start")
    assert "Msg & data rates may apply" in start[0]
    assert "methadone" in text(server, number, "what is methadone")[0].lower()


def test_help_gives_center_phone_rates_and_stop(server):
    reply = text(server, new_number(), "HELP")[0]
    center = current_center()
    assert center.name in reply and center.phone in reply and "Msg & data rates may apply" in reply and "STOP" in reply


def test_end_it_all_reaches_the_crisis_reply_not_the_opt_out(server):
    number = new_number()
    reply = "\n".join(text(server, number, "I want to end it all"))
    assert "988" in reply and "911" in reply
    assert "unsubscribed" not in reply
    with sqlite3.connect(server.records_db) as db:
        assert db.execute("select kind from crisis_events where conversation_id = ?",
                          (conversation(number),)).fetchall() == [("suicide",)]
        assert db.execute("select opted_out from sms_numbers where phone = ?", (number,)).fetchall() == [(0,)]
    follow_up = options(reply)
    assert any("danger" in title.lower() for title in follow_up)  # "Are you in danger right now?" as options


def test_a_retried_webhook_is_answered_identically_and_processed_once(server):
    number, sid = new_number(), new_sid()
    form = {"From": number, "Body": "what is naltrexone", "MessageSid": sid}
    first = post(server, form)
    again = post(server, form)
    assert first[0] == again[0] == 200 and first[2] == again[2]
    events = user_events(server, number)
    assert [e.get("message_id") for e in events] == [sid]


@pytest.mark.parametrize("form", [
    {"From": "+15550100001", "MessageSid": "SMnobody"},
    {"From": "+15550100002", "MessageSid": "SMemptybody", "Body": ""},
])
def test_a_missing_or_empty_body_gets_a_kind_reply(server, form):
    status, _, answer = post(server, {**form, "MessageSid": new_sid()})
    assert status == 200 and "type your question" in answer


@pytest.mark.parametrize("form,body,content_type", [
    ({"Body": "hi", "MessageSid": "SMx"}, None, "application/x-www-form-urlencoded"),  # no From
    ({"From": "+15550100003", "Body": "hi"}, None, "application/x-www-form-urlencoded"),  # no MessageSid
    ({}, b'{"From": "+15550100004", "Body": "hi"}', "application/json"),
    ({}, b"\xff\xfe\x00garbage=%%%", "application/x-www-form-urlencoded"),
])
def test_malformed_signed_posts_are_refused_not_crashed(server, form, body, content_type):
    status, _, _ = post(server, form, body=body, content_type=content_type)
    assert status in (400, 403)
    assert text(server, new_number(), "hello")  # still up


@pytest.mark.parametrize("body", [
    "<script>alert('x')</script> what is methadone",
    "hola, necesito ayuda con mi esposo ¿qué hago?",
    "😭😭😭🙏",
    "你好，我需要帮助",
    "&amp; ]]> <![CDATA[ x",
    "x" * 1600,
])
def test_any_text_gets_a_well_formed_escaped_reply(server, body):
    number = new_number()
    status, _, answer = post(server, {"From": number, "Body": body, "MessageSid": new_sid()})
    assert status == 200
    replies = [m.text for m in ET.fromstring(answer).findall("Message")]  # parses: escaped
    assert replies and "<script" not in answer
    assert user_events(server, number)[-1]["text"] == body


def test_message_text_is_not_logged(server):
    marker = f"smsmarker{uuid.uuid4().hex[:8]}"
    text(server, new_number(), f"my name is {marker} and i use fentanyl")
    for log in server.logs:
        assert marker not in log.read_text(), log.name


@needs_retrained_model
def test_sms_wording_is_used_on_sms(server):
    """The `channel: sms` variants: the first reply to "hi" (privacy note, disclaimer, menu) fits in 2 segments."""
    reply = text(server, new_number(), "hi")[0]
    assert sms.segments(reply) <= 2, reply
    assert "not a clinician" in reply and "911" in reply and "988" in reply


def test_sms_conversations_are_keyed_by_a_hash_never_the_number(server):
    number = new_number()
    text(server, number, "what is methadone?")
    with sqlite3.connect(server.tracker_db) as db:
        ids = {row[0] for row in db.execute("select distinct sender_id from events")}
    assert conversation(number) in ids and number not in ids
    assert not [i for i in ids if number.lstrip("+") in i]


def test_rest_cannot_read_or_continue_an_sms_conversation(server):
    """Knowing a patient's number gives nothing over REST: REST conversations are rest:<sender>."""
    number = new_number()
    text(server, number, "can someone call me")
    before = user_events(server, number)
    for sender in (number, conversation(number)):
        replies = server.send(sender, "yes")
        assert not any("What number should our staff call" in (r.get("text") or "") for r in replies)
    after = user_events(server, number)
    assert after == before and all(e["input_channel"] == "sms" for e in after)  # untouched by REST


def test_options_survive_a_restart_of_the_server(server, tmp_path_factory):
    """Stops the module's server and starts a new one on the same databases: "1" still means the offered button."""
    number = new_number()
    offered = options(text(server, number, "hi")[0])
    staff = next(key for title, key in offered.items() if "staff" in title.lower())
    server.stop()
    restarted = start_assistant(server.workdir, extra_env=ENV)
    try:
        assert "Before we start" in text(restarted, number, staff)[0]
    finally:
        restarted.stop()


@pytest.mark.postgres
@pytest.mark.redis
def test_two_workers_share_the_options_and_the_retries(tmp_path_factory):
    """The production set-up (PostgreSQL, Redis lock store, 2 Sanic workers): state lives in the database."""
    import psycopg2

    missing = production_services_missing()
    if missing:
        pytest.skip(missing)
    database = f"assistant_sms_{uuid.uuid4().hex[:8]}"
    create_database(database)
    running = start_assistant(tmp_path_factory.mktemp("sms-production"), extra_env=ENV, production=production_env(database))
    try:
        numbers = [new_number() for _ in range(4)]
        for number in numbers:  # consecutive posts land on either worker
            offered = options(text(running, number, "hi")[0])
            staff = next(key for title, key in offered.items() if "staff" in title.lower())
            assert "Before we start" in text(running, number, staff)[0]
        sids = [new_sid() for _ in numbers]
        for number, sid in zip(numbers, sids, strict=True):
            form = {"From": number, "Body": "what are your hours", "MessageSid": sid}
            answers = {post(running, form)[2] for _ in range(3)}
            assert len(answers) == 1
        with psycopg2.connect(dbname=database, **POSTGRES) as connection, connection.cursor() as cursor:
            cursor.execute("select data::json->>'message_id' from events where type_name = 'user' "
                           "and data::json->>'message_id' = any(%s)", (sids,))
            assert sorted(row[0] for row in cursor.fetchall()) == sorted(sids)  # each processed once
    finally:
        running.stop()
        drop_database(database)

