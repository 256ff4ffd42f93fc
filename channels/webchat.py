"""Website chat: Rasa's socket.io channel with sessions only their owner can resume.

credentials.yml:

    channels.webchat.WebChatInput:
      allowed_origins: []        # sites that embed the widget; empty: only this server's own pages
      token_ttl_hours: 24        # a session token is renewed on every resume

The secret that signs session tokens comes from $WEBCHAT_SECRET (at least 32
characters; `make run` generates one into var/ when it is not set).

What differs from Rasa 3.6's SocketIOInput (rasa/core/channels/socketio.py):

- Persistence works: `sio.enter_room` is a coroutine in python-socketio 5.x
  and Rasa did not await it, so no reply reached a persistent session
  (RasaHQ/rasa#13027).
- The server chooses each session id and gives the client an HMAC token for
  it. A client resumes a session only with a valid token for that id; any
  other request gets a new session. A message belongs to the session bound to
  its socket, never to an id the message names (Rasa took it from each
  message, so anyone who knew an id could write into that conversation).
- A resumed session gets its history from the tracker store, so after a
  reload or a reconnect the server is the truth, and the browser keeps only
  the session id and token.
- The blueprint also serves the widget bundle (chat.js) and a page that
  embeds it. Nothing is rendered as HTML on the server: both are static files.

socket.io events (path /socket.io):

    client -> server  session_request  {"session_id"?: str, "token"?: str}
    server -> client  session_confirm  {"session_id", "token", "resumed": bool,
                                        "history": [{"sender": "user"|"bot", "text", "quick_replies"?}]}
    client -> server  user_uttered     {"message": str}
    server -> client  bot_uttered      {"text", "quick_replies"?: [{"title", "payload"}]}
    server -> client  chat_error       {"reason": "no_session"|"invalid"|"too_long"|"unavailable"
                                                  |"rate_limited"|"conversation_busy",
                                        "max_length": int (with "too_long"),
                                        "retry_after": seconds (with the last two; channels/limits.py)}

A message longer than MAX_MESSAGE_LENGTH characters gets chat_error "too_long" and the
connection stays open; a socket.io packet above MAX_PACKET_BYTES (2 MiB) is refused by
the transport, which closes the connection (the widget reconnects and resumes).

Token renewal: every resume issues a new token with a new expiry; the one it was
resumed with is not revoked and stays valid until its own expiry (at most
token_ttl_hours). Revoking it would need state shared by every Rasa process, and it
would end the conversation of a second tab or of a reconnect whose new token was
lost on the way, while whoever copied a token can use it anyway until the owner
next reconnects. A token is a bearer credential for the session's history: the
widget keeps it in sessionStorage (the tab) by default, and "Leave quickly" forgets it.

HTTP, under /webhooks/webchat: `/` (the page), `/chat.js` (the widget), `/health`.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import hmac
import logging
import os
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from rasa.shared.core.events import BotUttered, Event, UserUttered
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels import conversation_ids
from channels.limits import BUSY, ChannelLimits, chat_error, socket_address
from channels.rest import MAX_MESSAGE_LENGTH
from rasa_ext.lock_store import ConversationBusy

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "build" / "web" / "chat.js"  # built by `make web` from web/src/chat.js + socket.io-client
PAGE = ROOT / "web" / "index.html"
SECRET_ENV = "WEBCHAT_SECRET"
MIN_SECRET_LENGTH = 32
HISTORY_LIMIT = 200  # messages sent back on resume; bounds the reply for very long conversations
# The largest socket.io packet read (engine.io's max_http_buffer_size, Sanic's WEBSOCKET_MAX_SIZE).
# Far above MAX_MESSAGE_LENGTH (the widget allows 2,000 characters), so an over-long message
# (1 MB included) reaches handle_message and gets chat_error "too_long" on an open connection;
# only a packet above this is cut off by the transport, which closes the connection.
MAX_PACKET_BYTES = 2 * 1024 * 1024
_SURROGATE = re.compile("[\ud800-\udfff]")
SESSION_ID = re.compile(r"[0-9a-f]{32}")  # uuid4().hex, as issued below
EXPIRY = re.compile(r"[0-9]{1,12}")

# The page loads only our own script and talks only to this server; the
# widget's styles are constructed stylesheets, so no inline code is allowed.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
    "Referrer-Policy": "no-referrer",  # "leave quickly" must not tell the next site where the person was
    "X-Content-Type-Options": "nosniff",
}


class SessionTokens:
    """HMAC tokens binding a session id to an expiry: "<expires>.<signature>"."""

    def __init__(self, secret: bytes, ttl_seconds: int, clock: Callable[[], float] = time.time) -> None:
        self._secret, self._ttl, self._clock = secret, ttl_seconds, clock

    def issue(self, session_id: str) -> str:
        expires = int(self._clock()) + self._ttl
        return f"{expires}.{self._sign(session_id, expires)}"

    def valid(self, session_id: Any, token: Any) -> bool:
        if not isinstance(session_id, str) or not isinstance(token, str) or not SESSION_ID.fullmatch(session_id):
            return False
        expires, _, signature = token.partition(".")
        if not EXPIRY.fullmatch(expires) or int(expires) < self._clock():
            return False
        return hmac.compare_digest(signature, self._sign(session_id, int(expires)))

    def _sign(self, session_id: str, expires: int) -> str:
        digest = hmac.new(self._secret, f"webchat-session:{session_id}:{expires}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def bot_messages(text: str | None, data: dict | None) -> list[dict]:
    """A bot utterance as the widget receives it live: SocketIOOutput splits text at blank
    lines and puts the buttons on the last part."""
    data = data or {}
    parts = (text or "").strip().split("\n\n") if text else []
    buttons = data.get("buttons") or data.get("quick_replies") or []
    if not parts and buttons:
        parts = [""]
    messages: list[dict[str, Any]] = [{"sender": "bot", "text": part} for part in parts]
    if buttons:
        messages[-1]["quick_replies"] = [{"title": b.get("title", ""), "payload": b.get("payload", "")} for b in buttons]
    return messages


def history_messages(events: Iterable[Event], limit: int = HISTORY_LIMIT) -> list[dict]:
    """The conversation as the widget showed it: a tapped button as its title, the widget's
    opening payload not at all."""
    messages: list[dict] = []
    offered: dict[str, str] = {}  # payload -> title of the buttons offered since the last user message
    for event in events:
        if isinstance(event, BotUttered):
            shown = bot_messages(event.text, event.data)
            messages += shown
            for message in shown:
                offered.update({b["payload"]: b["title"] for b in message.get("quick_replies", [])})
        elif isinstance(event, UserUttered):
            text = event.text or ""
            if text in offered:
                text = offered[text]
            elif text.startswith("/"):
                continue  # an intent payload no person typed (the widget's greeting)
            messages.append({"sender": "user", "text": text})
            offered = {}
    return messages[-limit:]


class StaticFile:
    """A file served from memory (gzipped when the client accepts it), re-read when it
    changes on disk, with an ETag so browsers revalidate cheaply."""

    def __init__(self, path: Path, content_type: str, headers: dict | None = None) -> None:
        self.path, self.content_type, self.headers = path, content_type, headers or {}
        self._key: tuple | None = None
        self._plain = self._gzipped = b""
        self._etag = ""

    def _load(self) -> bool:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return False
        if self._key != (stat.st_mtime_ns, stat.st_size):
            data = self.path.read_bytes()
            self._plain, self._gzipped = data, gzip.compress(data, 9, mtime=0)
            self._etag = f'"{hashlib.sha256(data).hexdigest()[:20]}"'
            self._key = (stat.st_mtime_ns, stat.st_size)
        return True

    def response(self, request: Request) -> HTTPResponse:
        if not self._load():
            return response.json({"error": f"{self.path.name} is not built: run `make web`"}, status=404)
        headers = {"ETag": self._etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding",
                   "X-Content-Type-Options": "nosniff", **self.headers}
        if request.headers.get("if-none-match") == self._etag:
            return HTTPResponse(status=304, headers=headers)
        body = self._plain
        if "gzip" in request.headers.get("accept-encoding", ""):
            body, headers["Content-Encoding"] = self._gzipped, "gzip"
        return HTTPResponse(body, headers=headers, content_type=self.content_type)


class WebChatBlueprint(SocketBlueprint):
    """Rasa's socket.io blueprint that also keeps the app, whose agent holds the tracker store."""

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        self.ctx.app = app
        app.config.WEBSOCKET_MAX_SIZE = MAX_PACKET_BYTES  # socket.io is the app's only websocket
        super().register(app, options)


class WebChatInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        secret = os.environ.get(SECRET_ENV, "")
        if len(secret) < MIN_SECRET_LENGTH:
            raise ValueError(f"${SECRET_ENV} must be set to a random secret of at least {MIN_SECRET_LENGTH} "
                             "characters (`make run` generates one into var/)")
        channel = cls(secret.encode(), allowed_origins=credentials.get("allowed_origins") or [],
                      token_ttl_hours=float(credentials.get("token_ttl_hours", 24)))
        channel.limits = ChannelLimits.from_credentials(credentials, "webchat")
        return channel

    limits = ChannelLimits()  # none; from_credentials sets credentials.yml's (channels/limits.py)

    def __init__(self, secret: bytes, allowed_origins: list[str] | None = None, token_ttl_hours: float = 24) -> None:
        super().__init__(session_persistence=True)
        self.tokens = SessionTokens(secret, int(token_ttl_hours * 3600))
        # None makes engine.io accept only this server's own origin; Rasa passed [],
        # which turns the origin check off.
        self.allowed_origins = list(allowed_origins) if allowed_origins else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=self.allowed_origins,
                          max_http_buffer_size=MAX_PACKET_BYTES)
        webchat = WebChatBlueprint(sio, self.socketio_path, "webchat_webhook", __name__)
        self.sio = sio  # Rasa's get_output_channel reads it
        page = StaticFile(PAGE, "text/html; charset=utf-8", PAGE_HEADERS)
        bundle = StaticFile(BUNDLE, "text/javascript; charset=utf-8")
        if not BUNDLE.exists():
            logger.warning("webchat: %s is missing, the widget will answer 404: run `make web`", BUNDLE)

        @webchat.route("/", methods=["GET", "HEAD"])  # HEAD: uptime checks; Sanic sends no body
        async def serve_page(request: Request) -> HTTPResponse:
            return page.response(request)

        @webchat.route("/chat.js", methods=["GET", "HEAD"])
        async def serve_bundle(request: Request) -> HTTPResponse:
            return bundle.response(request)

        @webchat.route("/health", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("session_request")
        async def session_request(sid: str, data: Any) -> None:
            data = data if isinstance(data, dict) else {}
            session_id, resumed = data.get("session_id"), self.tokens.valid(data.get("session_id"), data.get("token"))
            if not resumed:
                session_id = uuid.uuid4().hex
            previous = (await sio.get_session(sid)).get("session_id")
            if previous and previous != session_id:
                await sio.leave_room(sid, conversation_ids.web(previous))
            # The room is the conversation id (Rasa's SocketIOOutput sends to the recipient's room).
            await sio.enter_room(sid, conversation_ids.web(session_id))  # awaited: RasaHQ/rasa#13027
            await sio.save_session(sid, {"session_id": session_id})
            history = await self._history(webchat, conversation_ids.web(session_id)) if resumed else []
            logger.debug("webchat: socket %s %s session %s", sid, "resumed" if resumed else "started", session_id)
            await sio.emit("session_confirm", {"session_id": session_id, "token": self.tokens.issue(session_id),
                                               "resumed": resumed, "history": history}, room=sid)

        @sio.on(self.user_message_evt)
        async def handle_message(sid: str, data: Any) -> None:
            session_id = (await sio.get_session(sid)).get("session_id")
            text = data.get("message") if isinstance(data, dict) else None
            problem = ("no_session" if not session_id else "invalid" if not isinstance(text, str) or _SURROGATE.search(text)
                       else "too_long" if len(text) > MAX_MESSAGE_LENGTH else None)
            if problem:
                error = {"reason": problem, **({"max_length": MAX_MESSAGE_LENGTH} if problem == "too_long" else {})}
                await sio.emit("chat_error", error, room=sid)
                return
            too_fast = self.limits.check(conversation_ids.web(session_id), socket_address(sio, sid), text)
            if too_fast is not None:
                await sio.emit("chat_error", chat_error(too_fast), room=sid)
                return
            output = SocketIOOutput(sio, self.bot_message_evt)
            try:
                await on_new_message(UserMessage(text, output, conversation_ids.web(session_id), input_channel=self.name()))
            except ConversationBusy:  # more of this conversation's messages wait than allowed
                await sio.emit("chat_error", chat_error(BUSY), room=sid)
            except Exception:  # noqa: BLE001 - tell the browser; the traceback goes to the log
                logger.exception("webchat: could not handle a message for conversation %s", conversation_ids.web(session_id))
                await sio.emit("chat_error", {"reason": "unavailable"}, room=sid)

        return webchat

    @staticmethod
    async def _history(webchat: WebChatBlueprint, conversation_id: str) -> list[dict]:
        agent = getattr(webchat.ctx.app.ctx, "agent", None)
        if agent is None or agent.tracker_store is None:
            return []
        tracker = await agent.tracker_store.retrieve_full_tracker(conversation_id)
        return history_messages(tracker.events) if tracker else []
