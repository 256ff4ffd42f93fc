"""The SMS channel's decisions (channels/sms.py) with a stand-in assistant and a real records database."""

import asyncio
import logging
import xml.etree.ElementTree as ET

import pytest
from twilio.request_validator import RequestValidator

from assistant.center import current_center
from assistant.db.sms_state import sms_state
from channels import conversation_ids
from channels.sms import PRIVACY_NOTE, SmsInput

TOKEN = "test-auth-token"
URL = "https://sms.example.org/webhooks/sms/webhook"
PHONE = "+15550104477"
CENTER = current_center()


@pytest.fixture(autouse=True)
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'records.db'}"
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", url)
    return url


class Assistant:
    """Stands in for Rasa: records what it was sent and answers with fixed messages."""

    def __init__(self, replies=None, error=None):
        self.replies = replies or [{"text": "An answer."}]
        self.error = error
        self.received = []

    async def __call__(self, message):
        self.received.append(message)
        if self.error:
            raise self.error
        for reply in self.replies:
            await message.output_channel.send_response(message.sender_id, dict(reply))


_sids = iter(range(10**6))


def post(channel, assistant, body, sid=None, sender=PHONE):
    form = {"From": sender, "MessageSid": sid or f"SM{next(_sids):032d}", "Body": body}
    return asyncio.run(channel.answer(form, assistant))


def messages(twiml):
    return [m.text for m in ET.fromstring(twiml).findall("Message")]


KEY = b"unit-test-conversation-key-0123"


def channel():
    return SmsInput(TOKEN, URL, CENTER, conversation_key=KEY)


def test_signature_is_required_and_checked():
    form = {"From": PHONE, "MessageSid": "SM1", "Body": "hi"}
    good = RequestValidator(TOKEN).compute_signature(URL, form)
    assert channel().signed(form, good)
    assert not channel().signed(form, None)
    assert not channel().signed(form, "bm90IHRoZSBzaWduYXR1cmU=")
    assert not channel().signed({**form, "Body": "changed"}, good)
    assert not SmsInput(None, URL, CENTER).signed(form, good)  # no token configured: nothing is processed
    assert not SmsInput(TOKEN, None, CENTER, conversation_key=KEY).signed(form, good)
    assert not SmsInput(TOKEN, URL, CENTER).signed(form, good)  # no conversation key: nothing is processed
    assert not SmsInput(TOKEN, URL, CENTER, conversation_key=b"short").signed(form, good)


def test_from_credentials_reads_the_named_environment_variables(monkeypatch):
    monkeypatch.setenv("MY_TOKEN", TOKEN)
    monkeypatch.setenv("MY_URL", URL)
    monkeypatch.setenv("MY_KEY", KEY.decode())
    sms_channel = SmsInput.from_credentials({"auth_token_env": "MY_TOKEN", "public_url_env": "MY_URL",
                                             "conversation_key_env": "MY_KEY"})
    form = {"From": PHONE, "MessageSid": "SM1", "Body": "hi"}
    assert sms_channel.signed(form, RequestValidator(TOKEN).compute_signature(URL, form))
    monkeypatch.delenv("MY_TOKEN")
    assert not SmsInput.from_credentials({"auth_token_env": "MY_TOKEN", "public_url_env": "MY_URL",
                                          "conversation_key_env": "MY_KEY"}).validator


def test_a_message_reaches_the_assistant_as_sms_and_the_first_reply_warns_about_shared_phones():
    assistant = Assistant()
    first = messages(post(channel(), assistant, "what is methadone?"))
    message = assistant.received[0]
    assert (message.text, message.input_channel) == ("what is methadone?", "sms")
    assert message.sender_id == conversation_ids.sms(PHONE, KEY) and PHONE.lstrip("+") not in message.sender_id
    assert message.output_channel.name() == "sms"  # the domain's `channel: sms` variants apply
    assert first == [f"{PRIVACY_NOTE}\nAn answer."]
    assert messages(post(channel(), assistant, "and side effects?")) == ["An answer."]  # only the first time
    assert messages(post(channel(), assistant, "hi", sender="+15550109999"))[0].startswith(PRIVACY_NOTE)


def test_buttons_become_numbered_options_and_a_number_maps_back_after_a_restart():
    buttons = [{"title": "Medications", "payload": "/med_options"},
               {"title": "Talk to our staff", "payload": "/request_callback"}]
    assistant = Assistant([{"text": "What would you like to know?", "buttons": buttons}])
    reply = messages(post(channel(), assistant, "hi"))[0]
    assert reply.endswith("What would you like to know?\nReply 1 for Medications, 2 for Talk to our staff.")
    assert "/med_options" not in reply
    post(channel(), assistant, " 2 ")  # a new SmsInput: the options come from the database
    assert assistant.received[-1].text == "/request_callback"
    post(channel(), assistant, "7")  # not an option: sent as typed
    assert assistant.received[-1].text == "7"


def test_options_with_numbers_in_them_get_letters_and_a_number_stays_a_number():
    drinks = [{"title": "1 or 2", "payload": "1 or 2"}, {"title": "3 or 4", "payload": "3 or 4"}]
    assistant = Assistant([{"text": "How many drinks?", "buttons": drinks}])
    assert messages(post(channel(), assistant, "start"))[0].endswith("Reply A for 1 or 2, B for 3 or 4.")
    post(channel(), assistant, "3")
    assert assistant.received[-1].text == "3"
    post(channel(), assistant, "b")
    assert assistant.received[-1].text == "3 or 4"


def test_a_retried_message_gets_the_same_answer_and_is_processed_once():
    assistant = Assistant()
    first = post(channel(), assistant, "hello", sid="SMretry")
    assert post(channel(), assistant, "hello", sid="SMretry") == first
    assert len(assistant.received) == 1


def test_stop_confirms_once_then_silence_until_start():
    assistant = Assistant()
    post(channel(), assistant, "hi")
    stop = messages(post(channel(), assistant, "Stop"))
    assert len(stop) == 1 and "unsubscribed" in stop[0] and "START" in stop[0]
    assert sms_state(PHONE).opted_out
    for text in ("hello?", "STOP", "HELP", "1", "what is methadone"):
        assert messages(post(channel(), assistant, text)) == []
    assert len(assistant.received) == 1
    start = messages(post(channel(), assistant, "start"))
    assert "again" in start[0] and "Msg & data rates may apply" in start[0] and "STOP" in start[0]
    assert not sms_state(PHONE).opted_out
    assert messages(post(channel(), assistant, "hello")) == ["An answer."]


@pytest.mark.parametrize("word", ["STOPALL", "unsubscribe", "CANCEL", "end", "Quit", "revoke", "opt out", "OPT OUT"])
def test_every_opt_out_keyword_opts_out(word):
    assistant = Assistant()
    assert "unsubscribed" in messages(post(channel(), assistant, word))[0]
    assert sms_state(PHONE).opted_out and assistant.received == []


@pytest.mark.parametrize("word", ["YES", "unstop"])
def test_yes_and_unstop_resubscribe(word):
    assistant = Assistant()
    post(channel(), assistant, "STOP")
    assert "again" in messages(post(channel(), assistant, word))[0]
    assert not sms_state(PHONE).opted_out


def test_yes_and_start_are_answers_when_not_opted_out():
    assistant = Assistant()
    post(channel(), assistant, "yes")
    post(channel(), assistant, "START")
    assert [m.text for m in assistant.received] == ["yes", "START"]


@pytest.mark.parametrize("text", ["I want to end it all", "stop texting me please", "I want to stop using", "end"])
def test_only_the_exact_keyword_opts_out(text):
    assistant = Assistant()
    post(channel(), assistant, text)
    assert sms_state(PHONE).opted_out == (text == "end")
    assert [m.text for m in assistant.received] == ([] if text == "end" else [text])


def test_a_crisis_message_after_stop_still_gets_the_crisis_reply():
    assistant = Assistant([{"text": "Call 911 now. Call or text 988."}])
    post(channel(), assistant, "STOP")
    assert messages(post(channel(), assistant, "i want to kill myself")) != []
    assert [m.text for m in assistant.received] == ["i want to kill myself"]
    assert sms_state(PHONE).opted_out  # still opted out: other messages stay unanswered


def test_help_names_the_center_rates_and_how_to_stop():
    reply = messages(post(channel(), Assistant(), " help "))[0]
    for part in (CENTER.name, CENTER.phone, "Msg & data rates may apply", "Reply STOP", "911", "988"):
        assert part in reply


def test_help_keeps_the_options_offered_before():
    assistant = Assistant([{"text": "Ready?", "buttons": [{"title": "Yes", "payload": "/affirm"}]}])
    post(channel(), assistant, "hi")
    post(channel(), assistant, "info")
    post(channel(), assistant, "1")
    assert assistant.received[-1].text == "/affirm"


@pytest.mark.parametrize("body", ["", "   ", None])
def test_an_empty_or_missing_body_gets_a_kind_reply(body):
    assistant = Assistant()
    form = {"From": PHONE, "MessageSid": f"SMempty{body!r}"}
    if body is not None:
        form["Body"] = body
    reply = messages(asyncio.run(channel().answer(form, assistant)))
    assert "type your question" in reply[0] and assistant.received == []


@pytest.mark.parametrize("form", [{"MessageSid": "SM1", "Body": "hi"}, {"From": PHONE, "Body": "hi"},
                                  {"From": "+1" * 40, "MessageSid": "SM1", "Body": "hi"}])
def test_a_post_without_sender_or_sid_is_malformed(form):
    from channels.sms import MalformedRequest

    with pytest.raises(MalformedRequest):
        asyncio.run(channel().answer(form, Assistant()))


def test_a_failure_is_answered_with_an_apology_stored_for_retries_and_logged_without_the_text(caplog):
    assistant = Assistant(error=RuntimeError("could not parse 'my secret words'"))
    with caplog.at_level(logging.INFO):
        first = post(channel(), assistant, "my secret words", sid="SMfail")
    reply = messages(first)[0]
    assert CENTER.phone in reply and "911" in reply and "988" in reply
    assert post(channel(), assistant, "my secret words", sid="SMfail") == first
    assert len(assistant.received) == 1
    assert "RuntimeError" in caplog.text and "secret" not in caplog.text


def test_replies_are_escaped_and_normalized_to_gsm():
    assistant = Assistant([{"text": "It\u2019s <b>fine</b> & \u201cok\u201d"}])
    raw = post(channel(), assistant, "<script>alert(1)</script> 😀 ¿qué?")
    assert "<b>" not in raw and "&lt;b&gt;" in raw
    assert messages(raw)[0].endswith("It's <b>fine</b> & \"ok\"")
    assert assistant.received[0].text == "<script>alert(1)</script> 😀 ¿qué?"


def test_a_long_reply_goes_out_as_several_messages_within_twilios_limit():
    assistant = Assistant([{"text": "x" * 1000}, {"text": "y" * 1000}])
    parts = messages(post(channel(), assistant, "hi"))
    assert len(parts) == 2 and all(len(p) <= 1600 for p in parts)
