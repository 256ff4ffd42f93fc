import json

import pytest

from channels import conversation_ids
from channels.rest import MAX_MESSAGE_LENGTH, MAX_SENDER_LENGTH, RequestError, RestChannel, parse_request


def body(**fields):
    return json.dumps(fields).encode()


def test_a_good_request():
    assert parse_request(body(sender="abc", message="hi", metadata={"k": 1})) == ("abc", "hi", {"k": 1})
    assert parse_request(body(sender="abc", message="")) == ("abc", "", None)


@pytest.mark.parametrize("raw,why", [
    (b"", "JSON"),
    (b"{not json", "JSON"),
    (b"\xff\xfe", "JSON"),
    (b"[1, 2]", "object"),
    (body(message="hi"), "sender"),
    (body(sender="", message="hi"), "sender"),
    (body(sender="x" * (MAX_SENDER_LENGTH + 1), message="hi"), "sender"),
    (body(sender=5, message="hi"), "sender"),
    (body(sender="abc"), "message"),
    (body(sender="abc", message=["hi"]), "message"),
    (body(sender="abc", message="hi", metadata="x"), "metadata"),
    (body(sender="abc", message="x" * (MAX_MESSAGE_LENGTH + 1)), "shorter parts"),
])
def test_malformed_requests_say_what_is_wrong(raw, why):
    with pytest.raises(RequestError, match=why):
        parse_request(raw)


class _Request:
    def __init__(self, ip: str, headers: dict | None = None):
        self.ip, self.headers = ip, {k.lower(): v for k, v in (headers or {}).items()}


def test_without_a_token_only_direct_local_calls_are_answered():
    channel = RestChannel(token=None)
    assert channel.refusal(_Request("127.0.0.1")) is None
    assert channel.refusal(_Request("::1")) is None
    assert channel.refusal(_Request("10.0.0.7")).status == 403
    # through a proxy on this machine: the caller is somewhere else
    assert channel.refusal(_Request("127.0.0.1", {"X-Forwarded-For": "203.0.113.9"})).status == 403


def test_with_a_token_every_call_needs_it():
    channel = RestChannel(token="s3cret-token")
    assert channel.refusal(_Request("127.0.0.1")).status == 401
    assert channel.refusal(_Request("127.0.0.1", {"Authorization": "Bearer wrong"})).status == 401
    assert channel.refusal(_Request("203.0.113.9", {"Authorization": "Bearer s3cret-token"})) is None


def test_the_token_comes_from_the_named_environment_variable(monkeypatch):
    monkeypatch.setenv("MY_REST_TOKEN", "abc")
    assert RestChannel.from_credentials({"token_env": "MY_REST_TOKEN"}).token == "abc"
    monkeypatch.delenv("MY_REST_TOKEN")
    assert RestChannel.from_credentials({"token_env": "MY_REST_TOKEN"}).token is None


def test_rest_conversations_are_namespaced():
    assert conversation_ids.rest("abc") == "rest:abc"
    assert conversation_ids.channel_of("web:123") == "web" and conversation_ids.channel_of("old-id") is None
    key = b"k" * 32
    assert conversation_ids.sms("+16175550142", key) != conversation_ids.sms("+16175550143", key)
    assert "6175550142" not in conversation_ids.sms("+16175550142", key)
