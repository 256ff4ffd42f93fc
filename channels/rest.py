"""REST channel for the center's own systems and tests: authenticated, namespaced, checked.

Rasa's RestInput answers an empty or non-JSON body with a server error, lets a
request without `sender` write into one shared "default" conversation, and lets
any caller name any conversation. Here:
- with $REST_API_TOKEN set (production), every request needs `Authorization:
  Bearer <token>`; without it, only direct calls from this machine are taken
  (not through a proxy), so `make run` stays usable on 127.0.0.1;
- the conversation is `rest:<sender>` (channels/conversation_ids.py): a REST
  caller can never reach a website-chat or SMS conversation;
- the request is checked first; a good request is handled as Rasa does. A body
  above MAX_BODY_BYTES is not read (413); one nested too deeply, a sender id
  with control or invisible characters, or `metadata` nested or sized above its
  limits gets a 400 that says why.

    POST /webhooks/rest/webhook  {"sender": "<conversation id>", "message": "<text>"}
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import os
import re
import unicodedata
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import conversation_ids
from channels.limits import BUSY, ChannelLimits, client_address, rest_refusal
from rasa_ext.lock_store import ConversationBusy

logger = logging.getLogger(__name__)
MAX_SENDER_LENGTH = 128
# Far above any chat or SMS message (SMS tops out at 1,600 characters); it bounds
# the work one request can cause (crisis patterns are linear in the text).
MAX_MESSAGE_LENGTH = 20_000
# The longest message written as JSON escapes (12 bytes for a character outside the BMP,
# "\ud83d\ude2d") is 240 KB; nothing larger is read (413).
MAX_BODY_BYTES = 256 * 1024
# `metadata` is stored with the message in the transcript and read by nothing in the
# assistant: an integration may tag a message, not attach a document. Rasa copies and
# serialises it recursively: 960 levels broke the conversation for good.
MAX_METADATA_BYTES = 4096  # as compact UTF-8 JSON
MAX_METADATA_DEPTH = 4  # {"a": {"b": {"c": {"d": 1}}}}
MAX_BODY_DEPTH = 1 + MAX_METADATA_DEPTH
# Control characters (newline, tab, escape), format characters (zero-width, bidi
# controls), line separators and lone surrogates: a sender id is logged and stored,
# and must look like what it is.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_SURROGATE = re.compile("[\ud800-\udfff]")


class RequestError(ValueError):
    pass


class RequestTooLarge(RequestError):
    pass


def json_depth(value: Any, limit: int) -> int:
    """How deeply `value` nests objects and arrays (a scalar is 0, {} is 1), counted
    without recursion and only up to limit + 1."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        pending.extend((child, depth + 1) for child in children)
    return deepest


def _hidden_characters(text: str) -> bool:
    return any(unicodedata.category(char) in _HIDDEN_CATEGORIES for char in text)


def parse_request(body: bytes) -> tuple[str, str, dict | None]:
    """(sender, message, metadata) from a request body, or RequestError saying what is wrong."""
    if len(body or b"") > MAX_BODY_BYTES:
        raise RequestTooLarge(f"the body is larger than {MAX_BODY_BYTES} bytes")
    too_deep = (f"the body nests objects or arrays more than {MAX_BODY_DEPTH} levels deep "
                f"('metadata' at most {MAX_METADATA_DEPTH})")
    try:
        data = json.loads(body or b"")
    except RecursionError as exc:  # ~1,000 levels: json's own limit, before our check
        raise RequestError(too_deep) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise RequestError("the body must be JSON") from exc
    if not isinstance(data, dict):
        raise RequestError("the body must be a JSON object")
    sender, message, metadata = data.get("sender"), data.get("message"), data.get("metadata")
    if json_depth(data, MAX_BODY_DEPTH) > MAX_BODY_DEPTH:
        raise RequestError(too_deep)
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_LENGTH:
        raise RequestError(f"'sender' must be a non-empty string of at most {MAX_SENDER_LENGTH} characters")
    if _hidden_characters(sender):
        raise RequestError("'sender' must not hold control or invisible characters (newline, tab, zero-width, bidi)")
    if not isinstance(message, str):
        raise RequestError("'message' must be a string")
    if len(message) > MAX_MESSAGE_LENGTH:
        raise RequestError(f"'message' is longer than {MAX_MESSAGE_LENGTH} characters; please send it in shorter parts")
    if _SURROGATE.search(message):
        raise RequestError("'message' must be Unicode text (it holds a lone surrogate escape)")
    if metadata is not None:
        if not isinstance(metadata, dict):
            raise RequestError("'metadata' must be an object")
        try:
            size = len(json.dumps(metadata, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        except UnicodeEncodeError as exc:
            raise RequestError("'metadata' must be Unicode text (it holds a lone surrogate escape)") from exc
        if size > MAX_METADATA_BYTES:
            raise RequestError(f"'metadata' is larger than {MAX_METADATA_BYTES} bytes as JSON")
    return sender, message, metadata


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes | None:
    """The body of a streamed request, or None as soon as it is known to exceed `limit`
    (a Content-Length above it: nothing is read)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    assert request.stream is not None  # a route registered with stream=True (the only use)
    chunks, size = [], 0
    async for chunk in request.stream:
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


def local_caller(request: Request) -> bool:
    """A direct call from this machine: a loopback peer, not a request a proxy passed on."""
    try:
        loopback = ipaddress.ip_address(request.ip).is_loopback
    except ValueError:
        return False
    return loopback and not any(header in request.headers for header in FORWARDING_HEADERS)


class RestChannel(RestInput):
    limits = ChannelLimits()  # none; from_credentials sets credentials.yml's (channels/limits.py)

    def __init__(self, token: str | None = None) -> None:
        self.token = token

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> RestChannel:
        token_env = (credentials or {}).get("token_env", "REST_API_TOKEN")
        token = os.environ.get(token_env) or None
        if token is None:
            logger.info("REST channel: $%s not set; only direct calls from this machine are answered", token_env)
        channel = cls(token)
        channel.limits = ChannelLimits.from_credentials(credentials, "rest")
        return channel

    def refusal(self, request: Request) -> HTTPResponse | None:
        """401/403 for a caller that may not use REST; None for one that may."""
        if self.token is None:
            if local_caller(request):
                return None
            return response.json({"error": "REST is only open to this machine unless a token is configured"}, status=403)
        given = request.headers.get("authorization") or ""
        if given.startswith("Bearer ") and hmac.compare_digest(given[7:].encode(), self.token.encode()):
            return None
        return response.json({"error": "missing or wrong bearer token"}, status=401,
                             headers={"WWW-Authenticate": "Bearer"})

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("rest_channel_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"], stream=True)  # read by read_body, up to MAX_BODY_BYTES
        async def receive(request: Request) -> HTTPResponse:
            refused = self.refusal(request)
            if refused is not None:
                return refused
            body = await read_body(request)
            if body is None:
                return response.json({"error": f"the body is larger than {MAX_BODY_BYTES} bytes"}, status=413)
            try:
                sender, text, metadata = parse_request(body)
            except RequestError as exc:
                return response.json({"error": str(exc)}, status=413 if isinstance(exc, RequestTooLarge) else 400)
            collector = CollectingOutputChannel()
            sender = conversation_ids.rest(sender)
            too_fast = self.limits.check(sender, client_address(request), text)
            if too_fast is not None:
                return rest_refusal(too_fast)  # 429 with the reason
            try:
                await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata))
            except ConversationBusy:  # more of this conversation's messages wait than allowed
                return rest_refusal(BUSY)
            except Exception:  # noqa: BLE001 - answer the client; the traceback goes to the log
                logger.exception("could not handle a message for conversation %s", sender)
                return response.json({"error": "the assistant could not answer; please try again"}, status=503)
            return response.json(collector.messages)

        return webhook
