"""The channels' flood limits (channels/limits.py) and how the SMS channel answers a refusal."""

import asyncio
import json
import xml.etree.ElementTree as ET

import pytest

from assistant.center import current_center
from channels.limits import (
    BUSY,
    CONVERSATION_BUSY,
    RATE_LIMITED,
    TOO_FAST,
    Buckets,
    ChannelLimits,
    Rate,
    chat_error,
    rest_refusal,
)
from channels.sms import SLOW_DOWN, SmsInput
from rasa_ext.lock_store import ConversationBusy


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


SENDER, ADDRESS = Rate(3, 60), Rate(5, 60)


def limits(sender=SENDER, address=ADDRESS, clock=None, crisis=lambda text: "kill myself" in text):
    return ChannelLimits(sender, address, clock=clock or Clock(), is_crisis=crisis)


def test_a_sender_gets_its_burst_then_a_refusal_with_when_to_try_again():
    clock = Clock()
    rules = limits(clock=clock)
    assert [rules.check("web:a", "203.0.113.1") for _ in range(3)] == [None] * 3
    refusal = rules.check("web:a", "203.0.113.1")
    assert refusal.reason == RATE_LIMITED and refusal.retry_after == 1 and refusal.message == TOO_FAST
    clock.now += 1.0  # 60 a minute: one more a second
    assert rules.check("web:a", "203.0.113.1") is None
    assert rules.check("web:a", "203.0.113.1") is not None


def test_the_address_limit_counts_every_sender_of_an_address_but_not_their_refused_messages():
    rules = limits()
    for _ in range(10):
        rules.check("web:a", "203.0.113.1")  # 3 taken, 7 refused by the sender limit
    assert rules.check("web:b", "203.0.113.1") is None
    assert rules.check("web:c", "203.0.113.1") is None
    assert rules.check("web:d", "203.0.113.1").reason == RATE_LIMITED  # 5 from this address
    assert rules.check("web:e", "198.51.100.7") is None  # another address is not affected


def test_exempt_and_unknown_addresses_have_no_address_limit():
    rules = limits(sender=Rate(100, 60))
    assert all(rules.check(f"rest:{n}", "127.0.0.1") is None for n in range(20))
    assert all(rules.check(f"sms:{n}", None) is None for n in range(20))


def test_a_crisis_message_gets_past_the_sender_limit():
    rules = limits(address=None)
    for _ in range(3):
        rules.check("sms:x")
    assert rules.check("sms:x", None, "what is methadone").reason == RATE_LIMITED
    assert rules.check("sms:x", None, "i want to kill myself") is None
    strict_address = limits(sender=Rate(1, 60), address=Rate(1, 60))
    strict_address.check("web:y", "203.0.113.9")
    assert strict_address.check("web:y", "203.0.113.9", "i want to kill myself") is not None  # the address limit holds


def test_the_real_crisis_detector_is_used_by_default():
    rules = ChannelLimits(Rate(1, 1), None)
    rules.check("web:z")
    assert rules.check("web:z", None, "i want to end my life") is None
    other = ChannelLimits(Rate(1, 1), None)
    other.check("web:z")
    assert other.check("web:z", None, "what are your hours") is not None


def test_a_flood_is_not_read_for_a_crisis_message_by_message():
    """Over its limit, a sender still gets as many messages read for a crisis as the limit allows."""
    read = []

    def crisis(text):
        read.append(text)
        return "kill myself" in text

    rules = limits(address=None, crisis=crisis)
    refusals = [rules.check("web:f", None, "what is methadone") for _ in range(100)]
    assert sum(r is not None for r in refusals) == 97 and len(read) == 3


def test_buckets_are_bounded_and_the_least_recently_used_go_first():
    buckets = Buckets(Rate(1, 1), max_keys=3)
    for key in "abcd":
        buckets.take(key, 0.0)
    assert set(buckets._buckets) == {"b", "c", "d"}
    assert buckets.wait("a", 0.0) == 0  # forgotten: full again


def test_settings_from_credentials(monkeypatch):
    monkeypatch.delenv("RATE_LIMITS", raising=False)
    web = ChannelLimits.from_credentials({}, "webchat")
    assert web.sender is not None and web.address is not None
    assert web.sender.rate == Rate(10, 30) and web.address.rate == Rate(60, 300)
    assert web.exempt == {"127.0.0.1", "::1"}
    assert ChannelLimits.from_credentials(None, "sms").address is None
    custom = ChannelLimits.from_credentials(
        {"rate_limits": {"sender": {"burst": 4, "per_minute": 12}, "address": 0, "exempt_addresses": []}}, "rest")
    assert custom.sender is not None
    assert custom.sender.rate == Rate(4, 12) and custom.address is None and custom.exempt == frozenset()
    wrong: dict
    for wrong in ({"sender": {"burst": -1}}, {"sender": "10/min"}, {"senders": {}}, {"exempt_addresses": "127.0.0.1"},
                  {"sender": {"burst": 2, "rate": 3}}):
        with pytest.raises(ValueError):
            ChannelLimits.from_credentials({"rate_limits": wrong}, "webchat")
    monkeypatch.setenv("RATE_LIMITS", "off")
    off = ChannelLimits.from_credentials({"rate_limits": {"sender": {"burst": 1, "per_minute": 1}}}, "webchat")
    assert off.sender is None and off.address is None


def test_channels_built_from_credentials_get_the_limits(monkeypatch):
    from channels.rest import RestChannel

    monkeypatch.delenv("RATE_LIMITS", raising=False)
    sender = RestChannel.from_credentials({}).limits.sender
    assert sender is not None and sender.rate == Rate(10, 30)
    assert RestChannel().limits.sender is None  # built directly (tests): none


def test_refusals_say_why():
    answer = rest_refusal(BUSY)
    assert answer.status == 429 and answer.headers["Retry-After"] == "1"
    assert answer.body is not None
    assert json.loads(answer.body) == {"error": TOO_FAST, "reason": CONVERSATION_BUSY, "retry_after": 1}
    assert chat_error(BUSY) == {"reason": CONVERSATION_BUSY, "retry_after": 1}


# --- SMS: a refused text gets a short reply, never silence -----------------------------

KEY = b"unit-test-conversation-key-0123"
PHONE = "+15550104478"


@pytest.fixture(autouse=True)
def database(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", f"sqlite:///{tmp_path / 'records.db'}")


class Assistant:
    def __init__(self, error=None):
        self.error, self.received = error, []

    async def __call__(self, message):
        self.received.append(message.text)
        if self.error:
            raise self.error
        await message.output_channel.send_response(message.sender_id, {"text": "An answer."})


def sms_channel(rules=None):
    channel = SmsInput("token", "https://sms.example.org/webhooks/sms/webhook", current_center(), conversation_key=KEY)
    if rules is not None:
        channel.limits = rules
    return channel


def texts(twiml):
    return " ".join(m.text or "" for m in ET.fromstring(twiml).findall("Message"))


def sms(channel, assistant, body, sid):
    return texts(asyncio.run(channel.answer({"From": PHONE, "MessageSid": sid, "Body": body}, assistant)))


def test_sms_over_the_limit_gets_a_short_reply_and_a_crisis_text_still_goes_through():
    channel, assistant = sms_channel(ChannelLimits(Rate(2, 1), None)), Assistant()
    assert "An answer." in sms(channel, assistant, "what is methadone", "SM1")
    assert "An answer." in sms(channel, assistant, "what is suboxone", "SM2")
    refused = sms(channel, assistant, "what is naltrexone", "SM3")
    assert TOO_FAST in refused and "988" in refused and "An answer." not in refused
    assert assistant.received == ["what is methadone", "what is suboxone"]
    assert sms(channel, assistant, "what is naltrexone", "SM3") == refused  # a retry: the same answer
    assert "An answer." in sms(channel, assistant, "i want to kill myself", "SM4")
    assert "unsubscribed" in sms(channel, assistant, "STOP", "SM5")  # keywords are never limited


def test_sms_refused_by_the_waiting_limit_gets_the_short_reply_not_the_apology():
    answer = sms(sms_channel(), Assistant(error=ConversationBusy("sms:x", 5)), "what is methadone", "SM6")
    assert answer.endswith(SLOW_DOWN) and "went wrong" not in answer
