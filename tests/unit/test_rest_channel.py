import json

import pytest

from channels.rest import MAX_MESSAGE_LENGTH, MAX_SENDER_LENGTH, RequestError, parse_request


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
