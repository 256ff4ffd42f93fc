import json
from typing import cast

import pytest
from sanic.request import Request

from channels import conversation_ids
from channels.rest import (
    MAX_BODY_BYTES,
    MAX_BODY_DEPTH,
    MAX_MESSAGE_LENGTH,
    MAX_METADATA_BYTES,
    MAX_METADATA_DEPTH,
    MAX_SENDER_LENGTH,
    RequestError,
    RequestTooLarge,
    RestChannel,
    json_depth,
    parse_request,
)


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


def _refusal(channel: RestChannel, ip: str, headers: dict | None = None) -> int | None:
    """The status of the channel's refusal of a request from `ip`, None if it is answered."""
    answer = channel.refusal(cast(Request, _Request(ip, headers)))  # a stand-in: what refusal() reads
    return None if answer is None else answer.status


def test_without_a_token_only_direct_local_calls_are_answered():
    channel = RestChannel(token=None)
    assert _refusal(channel, "127.0.0.1") is None
    assert _refusal(channel, "::1") is None
    assert _refusal(channel, "10.0.0.7") == 403
    # through a proxy on this machine: the caller is somewhere else
    assert _refusal(channel, "127.0.0.1", {"X-Forwarded-For": "203.0.113.9"}) == 403


def test_with_a_token_every_call_needs_it():
    channel = RestChannel(token="s3cret-token")
    assert _refusal(channel, "127.0.0.1") == 401
    assert _refusal(channel, "127.0.0.1", {"Authorization": "Bearer wrong"}) == 401
    assert _refusal(channel, "203.0.113.9", {"Authorization": "Bearer s3cret-token"}) is None


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


# --- hostile input (issue 10, part 5) ------------------------------------------------------


def nested(levels: int, leaf=1):
    """{"a": {"a": ... leaf}} with `levels` objects, built without recursion."""
    value = leaf
    for _ in range(levels):
        value = {"a": value}
    return value


def test_json_depth_counts_without_recursion():
    assert json_depth("x", 5) == 0 and json_depth({}, 5) == 1 and json_depth([[1], {"a": [2]}], 5) == 3
    assert json_depth(nested(100_000), 5) == 6  # stops counting past the limit


def test_deeply_nested_json_gets_a_400_with_a_reason_not_a_recursion_error():
    """~990 levels made json.loads raise RecursionError inside the handler: a 500."""
    for raw in (b'{"sender": "x", "message": "hi", "metadata": ' + b'{"a": ' * 990 + b"1" + b"}" * 991,
                b"[" * 100_000 + b"]" * 100_000,
                body(sender="x", message="hi", extra=[[[[[["too deep"]]]]]])):
        with pytest.raises(RequestError, match="levels deep"):
            parse_request(raw)


def test_metadata_depth_and_size_are_limited():
    """Metadata nested 960 levels used to pass and then break the conversation for good
    (every later message answered with []); 1 MB of it was stored as ~3 MB."""
    with pytest.raises(RequestError, match="levels deep \\('metadata' at most"):
        parse_request(b'{"sender": "x", "message": "hi", "metadata": ' + b'{"a": ' * 960 + b"1" + b"}" * 961)
    with pytest.raises(RequestError, match="levels deep \\('metadata' at most"):
        parse_request(body(sender="x", message="hi", metadata=nested(MAX_METADATA_DEPTH + 1)))
    assert parse_request(body(sender="x", message="hi", metadata=nested(MAX_METADATA_DEPTH)))[2] == nested(MAX_METADATA_DEPTH)
    assert MAX_BODY_DEPTH == MAX_METADATA_DEPTH + 1
    with pytest.raises(RequestTooLarge):  # 1 MB: the body is too large before anything is parsed
        parse_request(body(sender="x", message="hi", metadata={"x": "y" * 1_000_000}))
    with pytest.raises(RequestError, match=f"'metadata' is larger than {MAX_METADATA_BYTES} bytes"):
        parse_request(body(sender="x", message="hi", metadata={"x": "y" * 100_000}))
    with pytest.raises(RequestError, match="'metadata' is larger"):
        parse_request(body(sender="x", message="hi", metadata={"x": "é" * (MAX_METADATA_BYTES // 2)}))  # bytes, not characters
    tag = {"source": "crm", "case": 42}
    assert parse_request(body(sender="x", message="hi", metadata=tag))[2] == tag


def test_the_body_size_is_limited():
    with pytest.raises(RequestTooLarge, match=f"larger than {MAX_BODY_BYTES} bytes"):
        parse_request(body(sender="x", message="hi", pad="z" * MAX_BODY_BYTES))
    # the longest accepted message fits even written as JSON escapes of characters outside the BMP
    longest = json.dumps({"sender": "x" * MAX_SENDER_LENGTH, "message": "😭" * MAX_MESSAGE_LENGTH}).encode()
    assert len(longest) <= MAX_BODY_BYTES
    assert parse_request(longest)[1] == "😭" * MAX_MESSAGE_LENGTH


@pytest.mark.parametrize("sender", [
    "evil\n2099-01-01 00:00:00 ERROR    rasa.core - forged", "a\rb", "tab\there", "bell\x07", "esc\x1b[31m",
    "nul\x00", "next\x85line", "sep\u2028arator", "zero\u200bwidth", "bidi\u202eevil", "soft\u00adhyphen",
])
def test_sender_ids_with_control_or_invisible_characters_are_refused(sender):
    with pytest.raises(RequestError, match="control or invisible"):
        parse_request(body(sender=sender, message="hi"))


def test_lone_surrogates_are_refused_not_crashed():
    """They made the lock store or spaCy fail: 503 and a broken turn."""
    with pytest.raises(RequestError, match="sender"):
        parse_request(b'{"sender": "s\\ud800", "message": "hi"}')
    with pytest.raises(RequestError, match="'message' must be Unicode text"):
        parse_request(b'{"sender": "s", "message": "hi \\udc00"}')
    with pytest.raises(RequestError, match="'metadata' must be Unicode text"):
        parse_request(b'{"sender": "s", "message": "hi", "metadata": {"k": "\\ud800"}}')
    assert parse_request(body(sender="Zoë-42 ☺", message="😭 hola, ¿qué tal?"))[:2] == ("Zoë-42 ☺", "😭 hola, ¿qué tal?")
