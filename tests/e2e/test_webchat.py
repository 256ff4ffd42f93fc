"""The website-chat channel over real socket.io: replies arrive in persistent sessions,
only a token holder resumes a session, the history comes from the tracker store, and
the widget is served gzipped with the page's security headers."""

import gzip
import json
import queue
import urllib.error
import urllib.request
import uuid

import pytest
import socketio

from evaluation.server import MODEL, start_assistant

WAIT = 30


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    """One Rasa worker: this client can only long-poll, and every request of a long-polling
    session must reach the process that holds it. The widget uses WebSocket only (one
    connection, one process); tests/browser runs it against make run's 2 workers."""
    if not MODEL.exists():
        pytest.skip("no trained model: run `make train`")
    running = start_assistant(tmp_path_factory.mktemp("webchat"), workers=1)
    yield running
    running.stop()


class Client:
    """One browser tab: a socket.io connection that collects what the server sends.
    (HTTP long-polling: python-socketio's websocket client needs a newer aiohttp than Rasa allows.)"""

    def __init__(self, url: str, headers: dict | None = None):
        self.url, self.headers = url, headers or {}
        self.sio = socketio.Client(reconnection=False)
        self.events: queue.Queue = queue.Queue()
        for name in ("session_confirm", "bot_uttered", "chat_error"):
            self.sio.on(name, lambda data, name=name: self.events.put((name, data)))

    def __enter__(self):
        self.sio.connect(self.url, transports=["polling"], headers=self.headers, wait_timeout=WAIT)
        return self

    def __exit__(self, *_):
        self.sio.eio.disconnect(abort=True)  # a plain disconnect waits out the long poll in flight (~25 s)

    def next(self, name: str, timeout: float = WAIT):
        while True:
            event, data = self.events.get(timeout=timeout)
            if event == name:
                return data

    def session(self, session_id=None, token=None) -> dict:
        self.sio.emit("session_request", {"session_id": session_id, "token": token})
        return self.next("session_confirm")

    def say(self, text: str) -> list[dict]:
        """Sends a message; the bot messages up to a quiet second."""
        self.sio.emit("user_uttered", {"message": text})
        replies = [self.next("bot_uttered")]
        while True:
            try:
                replies.append(self.next("bot_uttered", timeout=1))
            except queue.Empty:
                return replies


def test_a_new_session_gets_replies_and_a_token(assistant):
    def scenario():
        with Client(assistant.url) as tab:
            session = tab.session()
            assert not session["resumed"] and session["history"] == []
            assert len(session["session_id"]) == 32 and session["token"]
            replies = tab.say("what is suboxone?")
            assert "buprenorphine" in " ".join(r["text"] for r in replies).lower()
            assert any(r.get("quick_replies") for r in replies)
    scenario()


def test_only_the_token_holder_resumes_a_session(assistant):
    def scenario():
        with Client(assistant.url) as owner:
            session = owner.session()
            owner.say("what is naltrexone?")
        victim = session["session_id"]
        with Client(assistant.url) as guesser:
            for token in (None, "", session["token"].split(".")[0] + ".forged"):
                other = guesser.session(victim, token)
                assert other["session_id"] != victim and not other["resumed"] and other["history"] == []
        with Client(assistant.url) as owner_again:
            resumed = owner_again.session(victim, session["token"])
            assert resumed["resumed"] and resumed["session_id"] == victim
            assert resumed["token"]  # renewed
            assert [m["text"] for m in resumed["history"] if m["sender"] == "user"] == ["what is naltrexone?"]
            assert "naltrexone" in " ".join(m["text"] for m in resumed["history"] if m["sender"] == "bot").lower()
    scenario()


def test_a_message_goes_to_the_socket_session_never_to_an_id_it_names(assistant):
    def scenario():
        with Client(assistant.url) as owner, Client(assistant.url) as other:
            mine = owner.session()
            other.session()
            # Rasa's channel took the conversation from the message: here it is ignored.
            other.sio.emit("user_uttered", {"message": "what are your hours", "session_id": mine["session_id"]})
            other.next("bot_uttered")
            history = (owner.session(mine["session_id"], mine["token"]))["history"]
            assert history == []
    scenario()


def test_two_tabs_of_one_session_both_get_the_replies(assistant):
    def scenario():
        with Client(assistant.url) as first, Client(assistant.url) as second:
            session = first.session()
            second.session(session["session_id"], session["token"])
            first.say("hi")  # past the session start's disclaimer
            while (second.next("bot_uttered")).get("quick_replies") is None:
                pass
            first.say("what are your hours")
            assert (second.next("bot_uttered"))["text"].startswith("We're open")
    scenario()


def test_bad_messages_are_answered_with_a_reason(assistant):
    def scenario():
        with Client(assistant.url) as tab:
            tab.sio.emit("user_uttered", {"message": "hello before any session"})
            assert (tab.next("chat_error"))["reason"] == "no_session"
            tab.session()
            tab.sio.emit("user_uttered", {"message": ["not", "text"]})
            assert (tab.next("chat_error"))["reason"] == "invalid"
            tab.sio.emit("user_uttered", {"message": "x" * 20_001})
            assert (tab.next("chat_error"))["reason"] == "too_long"
            tab.sio.emit("user_uttered", "not an object")
            assert (tab.next("chat_error"))["reason"] == "invalid"
            assert (tab.say("what are your hours"))[-1]["text"].startswith("We're open")
    scenario()


def test_other_sites_cannot_connect_unless_configured(assistant):
    def scenario():
        with pytest.raises(socketio.exceptions.ConnectionError), Client(assistant.url, headers={"Origin": "https://evil.example"}):
            pass
        host = assistant.url.split("//", 1)[1]
        with Client(assistant.url, headers={"Origin": f"http://{host}"}) as same_site:
            assert (same_site.session())["session_id"]
    scenario()


def test_message_text_is_not_logged(assistant):
    secret = f"my private words {uuid.uuid4().hex}"

    def scenario():
        with Client(assistant.url) as tab:
            tab.session()
            tab.say(secret)
    scenario()
    for log in assistant.logs:
        assert secret not in log.read_text()


def fetch(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def test_the_widget_is_served_gzipped_with_an_etag(assistant):
    url = f"{assistant.url}/webhooks/webchat/chat.js"
    status, headers, body = fetch(url, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip" and headers["Content-Type"].startswith("text/javascript")
    plain = gzip.decompress(body)
    assert b"Socket.IO" in plain and b"recovery-chat" in plain
    assert fetch(url, {"If-None-Match": headers["ETag"]})[0] == 304
    head = urllib.request.Request(url, method="HEAD")
    with urllib.request.urlopen(head, timeout=10) as response:
        assert response.status == 200 and response.read() == b""


def test_the_page_is_static_with_a_strict_policy(assistant):
    status, headers, body = fetch(f"{assistant.url}/webhooks/webchat/?q=<script>alert(1)</script>")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"alert(1)" not in body  # nothing from the request is echoed
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert headers["Referrer-Policy"] == "no-referrer"
    status, _, body = fetch(f"{assistant.url}/webhooks/webchat/health")
    assert status == 200 and json.loads(body) == {"status": "ok"}


def test_rest_cannot_join_a_website_visitors_conversation(assistant):
    """The outside tester's attack: a REST call naming a visitor's session id joined their conversation
    and got back their summary. REST conversations are rest:<sender> now."""
    def scenario():
        with Client(assistant.url) as tab:
            session = tab.session()
            tab.say("can someone call me")
            for sender in (session["session_id"], f"web:{session['session_id']}"):
                replies = assistant.send(sender, "Yes, for me")
                assert not any("How old are you?" in (r.get("text") or "") for r in replies)
            again = tab.say("Yes, for me")  # the visitor's own conversation is where it was
            assert any("How old are you?" in (r.get("text") or "") for r in again)
    scenario()


# --- hostile input (issue 10, part 5) ------------------------------------------------------

MEGABYTE_MESSAGE = "x" * 1_000_000


def test_a_one_megabyte_message_gets_a_reason_and_the_connection_stays_open(assistant):
    """It was above engine.io's 1,000,000-byte packet limit: the connection was closed and no
    chat_error was sent (long-polling, as this client)."""
    with Client(assistant.url) as tab:
        tab.session()
        tab.sio.emit("user_uttered", {"message": MEGABYTE_MESSAGE})
        error = tab.next("chat_error", timeout=15)
        assert error == {"reason": "too_long", "max_length": 20_000}
        assert tab.sio.connected
        assert (tab.say("what are your hours"))[-1]["text"].startswith("We're open")


def test_a_one_megabyte_message_over_websocket_gets_a_reason_too(assistant):
    """The widget's own transport (WebSocket: Sanic's frame limit was 1 MiB, engine.io's 1 MB)."""
    import asyncio

    import websockets.client

    async def receive(ws, event: str) -> list:
        while True:
            packet = await asyncio.wait_for(ws.recv(), WAIT)
            if packet == "2":  # engine.io ping
                await ws.send("3")
            elif packet.startswith("42") and json.loads(packet[2:])[0] == event:
                return json.loads(packet[2:])

    async def scenario() -> None:
        url = assistant.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        async with websockets.client.connect(url, max_size=None) as ws:
            opened = await ws.recv()  # a text frame: str
            assert isinstance(opened, str) and opened.startswith("0")  # engine.io open
            await ws.send("40")  # socket.io connect
            connected = await ws.recv()
            assert isinstance(connected, str) and connected.startswith("40")
            await ws.send("42" + json.dumps(["session_request", {}]))
            await receive(ws, "session_confirm")
            await ws.send("42" + json.dumps(["user_uttered", {"message": MEGABYTE_MESSAGE}]))
            assert (await receive(ws, "chat_error"))[1]["reason"] == "too_long"
            await ws.send("42" + json.dumps(["user_uttered", {"message": "what are your hours"}]))
            assert (await receive(ws, "bot_uttered"))[1]["text"]

    asyncio.run(scenario())


def test_a_lone_surrogate_is_invalid_not_a_failed_turn(assistant):
    with Client(assistant.url) as tab:
        tab.session()
        tab.sio.emit("user_uttered", {"message": "hi \ud800"})
        assert (tab.next("chat_error"))["reason"] == "invalid"  # was "unavailable": spaCy raised


def test_a_renewed_token_leaves_the_old_one_valid_until_its_own_expiry(assistant):
    """Decided (channels/webchat.py, README "Website chat"): a resume issues a new token and
    does not revoke the one it was resumed with."""
    with Client(assistant.url) as first:
        session = first.session()
        renewed = first.session(session["session_id"], session["token"])
        assert renewed["resumed"] and renewed["token"]
    with Client(assistant.url) as second:
        assert (second.session(session["session_id"], session["token"]))["resumed"]
        assert (second.session(session["session_id"], renewed["token"]))["resumed"]
