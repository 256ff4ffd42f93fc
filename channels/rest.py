"""REST channel for the center's own systems and tests: authenticated, namespaced, checked.

Rasa's RestInput answers an empty or non-JSON body with a server error, lets a
request without `sender` write into one shared "default" conversation, and lets
any caller name any conversation. Here:
- with $REST_API_TOKEN set (production), every request needs `Authorization:
  Bearer <token>`; without it, only direct calls from this machine are taken
  (not through a proxy), so `make run` stays usable on 127.0.0.1;
- the conversation is `rest:<sender>` (channels/conversation_ids.py): a REST
  caller can never reach a website-chat or SMS conversation;
- the request is checked first; a good request is handled as Rasa does.

    POST /webhooks/rest/webhook  {"sender": "<conversation id>", "message": "<text>"}
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import conversation_ids

logger = logging.getLogger(__name__)
MAX_SENDER_LENGTH = 128
# Far above any chat or SMS message (SMS tops out at 1,600 characters); it bounds
# the work one request can cause (crisis patterns are linear in the text).
MAX_MESSAGE_LENGTH = 20_000


class RequestError(ValueError):
    pass


def parse_request(body: bytes) -> tuple[str, str, dict | None]:
    """(sender, message, metadata) from a request body, or RequestError saying what is wrong."""
    try:
        data = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError) as exc:
        raise RequestError("the body must be JSON") from exc
    if not isinstance(data, dict):
        raise RequestError("the body must be a JSON object")
    sender, message, metadata = data.get("sender"), data.get("message"), data.get("metadata")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_LENGTH:
        raise RequestError(f"'sender' must be a non-empty string of at most {MAX_SENDER_LENGTH} characters")
    if not isinstance(message, str):
        raise RequestError("'message' must be a string")
    if len(message) > MAX_MESSAGE_LENGTH:
        raise RequestError(f"'message' is longer than {MAX_MESSAGE_LENGTH} characters; please send it in shorter parts")
    if metadata is not None and not isinstance(metadata, dict):
        raise RequestError("'metadata' must be an object")
    return sender, message, metadata


FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


def local_caller(request: Request) -> bool:
    """A direct call from this machine: a loopback peer, not a request a proxy passed on."""
    try:
        loopback = ipaddress.ip_address(request.ip).is_loopback
    except ValueError:
        return False
    return loopback and not any(header in request.headers for header in FORWARDING_HEADERS)


class RestChannel(RestInput):
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
        return cls(token)

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

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            refused = self.refusal(request)
            if refused is not None:
                return refused
            try:
                sender, text, metadata = parse_request(request.body)
            except RequestError as exc:
                return response.json({"error": str(exc)}, status=400)
            collector = CollectingOutputChannel()
            sender = conversation_ids.rest(sender)
            try:
                await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata))
            except Exception:  # noqa: BLE001 - answer the client; the traceback goes to the log
                logger.exception("could not handle a message for conversation %s", sender)
                return response.json({"error": "the assistant could not answer; please try again"}, status=503)
            return response.json(collector.messages)

        return webhook
