"""REST channel that refuses malformed requests with a 400 instead of a 500.

Rasa's RestInput answers an empty or non-JSON body with a server error and
lets a request without `sender` write into one shared "default" conversation.
Here the request is checked first; a good request is handled as Rasa does.

    POST /webhooks/rest/webhook  {"sender": "<conversation id>", "message": "<text>"}
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

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


class RestChannel(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("rest_channel_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender, text, metadata = parse_request(request.body)
            except RequestError as exc:
                return response.json({"error": str(exc)}, status=400)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata))
            except Exception:  # noqa: BLE001 - answer the client; the traceback goes to the log
                logger.exception("could not handle a message for conversation %s", sender)
                return response.json({"error": "the assistant could not answer; please try again"}, status=503)
            return response.json(collector.messages)

        return webhook
