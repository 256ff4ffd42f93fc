"""SMS over Twilio: a signed webhook answered with TwiML.

Rasa's own Twilio channel processes unsigned (forged) posts, sends replies
with a blocking API call inside the event loop, shows button payloads and
answers errors with a 500 (docs/rasa-3.6-notes.md). This one:

- refuses any post without a valid X-Twilio-Signature (403), and every post
  when the auth token or public URL is not configured;
- answers in the webhook response (TwiML), so no API call and no credentials
  beyond the auth token; database work runs in threads, off the event loop;
- handles the carrier keywords itself (STOP and the other opt-outs, START,
  HELP), stored per number, before the assistant sees a message;
- turns buttons into numbered options and maps a reply of "1" back to the
  button's payload (stored per number in the records database, so it works
  across restarts and workers);
- answers a retried webhook (same MessageSid) with the stored answer;
- answers any failure with an apology that gives the center's phone, 911 and
  988, never with a 500.

What it writes itself (keyword answers, the options line, the apology) is in
channels/texts.yml.

credentials.yml names the environment variables that hold the settings:

    channels.sms.SmsInput:
      auth_token_env: TWILIO_AUTH_TOKEN    # the Twilio account's auth token
      public_url_env: TWILIO_SMS_URL       # exactly the webhook URL set at Twilio

Twilio posts to https://<public host>/webhooks/sms/webhook.
"""

from __future__ import annotations

import asyncio
import logging
import os
import traceback
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from assistant import crisis, sms
from assistant.center import Center, current_center
from assistant.channel_texts import channel_texts
from assistant.db import sms_state
from channels import conversation_ids
from channels.limits import BUSY, TOO_FAST, ChannelLimits
from rasa_ext.lock_store import ConversationBusy

logger = logging.getLogger(__name__)

TWIML = "application/xml; charset=utf-8"
MAX_SENDER_LENGTH = 32
MAX_SID_LENGTH = 64
# A retry that arrives while the first delivery is still being answered waits for that answer this long.
RETRY_WAIT_SECONDS = 10.0
RETRY_POLL_SECONDS = 0.25

# What the channel writes itself: channels/texts.yml (sms), read once.
_TEXTS = channel_texts().sms
PRIVACY_NOTE = _TEXTS.privacy_note
OPTED_OUT = _TEXTS.opted_out
OPTED_IN = _TEXTS.opted_in  # {name}
HELP = _TEXTS.help  # {name}, {phone}, {hours}
NO_TEXT = _TEXTS.no_text
SLOW_DOWN = _TEXTS.slow_down.format(too_fast=TOO_FAST)  # over a limit (channels/limits.py)
APOLOGY = _TEXTS.apology  # {phone}


class MalformedRequest(ValueError):
    pass


class SmsOutput(CollectingOutputChannel):
    """Collects the bot's messages; named "sms" so the domain's `channel: sms` response variants apply."""

    @classmethod
    def name(cls) -> str:
        return "sms"


class SmsInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "sms"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        token_env = credentials.get("auth_token_env", "TWILIO_AUTH_TOKEN")
        url_env = credentials.get("public_url_env", "TWILIO_SMS_URL")
        key_env = credentials.get("conversation_key_env", "SMS_CONVERSATION_KEY")
        token, url, key = os.environ.get(token_env), os.environ.get(url_env), os.environ.get(key_env) or ""
        if not (token and url and len(key.encode()) >= conversation_ids.MIN_KEY_BYTES):
            logger.warning("SMS channel: $%s, $%s and $%s (at least %d bytes) must be set; until then every post is "
                           "refused (403)", token_env, url_env, key_env, conversation_ids.MIN_KEY_BYTES)
        channel = cls(token or None, url or None, conversation_key=key.encode() or None)
        channel.limits = ChannelLimits.from_credentials(credentials, "sms")
        return channel

    limits = ChannelLimits()  # none; from_credentials sets credentials.yml's (channels/limits.py)

    def __init__(self, auth_token: str | None, public_url: str | None, center: Center | None = None,
                 conversation_key: bytes | None = None) -> None:
        usable_key = conversation_key if conversation_key and len(conversation_key) >= conversation_ids.MIN_KEY_BYTES else None
        # Without the key no conversation id can be made: refuse like an unconfigured channel.
        self.validator = RequestValidator(auth_token) if auth_token and public_url and usable_key else None
        self.public_url = public_url
        self.conversation_key = usable_key
        self.center = center or current_center()

    def signed(self, form: Any, signature: str | None) -> bool:
        """Twilio's signature over the configured URL and the posted parameters; never true when unconfigured."""
        return bool(self.validator and signature and self.validator.validate(self.public_url, form, signature))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("sms_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                form = _form(request)
            except UnicodeDecodeError:
                return response.text("the body must be UTF-8 form data", status=400)
            if not self.signed(form, request.headers.get("X-Twilio-Signature")):
                return response.text("invalid or missing X-Twilio-Signature", status=403)
            try:
                answer = await self.answer(form, on_new_message)
            except MalformedRequest as exc:
                return response.text(str(exc), status=400)
            except Exception as exc:  # noqa: BLE001 - Twilio never gets a 500: the person gets a way to reach us
                _log_failure(form.get("MessageSid"), exc)
                answer = self._twiml(APOLOGY.format(phone=self.center.phone))
            return response.text(answer, content_type=TWIML)

        return webhook

    async def answer(self, form: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> str:
        """The TwiML for one signed post: a stored answer for a retry, else a new one, stored."""
        sender, sid = (form.get("From") or "").strip(), (form.get("MessageSid") or "").strip()
        if not sender or len(sender) > MAX_SENDER_LENGTH or not sid or len(sid) > MAX_SID_LENGTH:
            raise MalformedRequest("From and MessageSid are required")
        if not await asyncio.to_thread(sms_state.claim_sms_message, sid):
            logger.info("sms %s: a retry, answered as before", sid)
            return await self._earlier_answer(sid)
        try:
            answer, changes = await self._reply(sender, form.get("Body") or "", sid, on_new_message)
        except Exception as exc:  # noqa: BLE001 - stored too, so a retry gets the apology rather than a second turn
            _log_failure(sid, exc)
            answer, changes = self._twiml(APOLOGY.format(phone=self.center.phone)), {}
        await asyncio.to_thread(sms_state.finish_sms_message, sid, sender, answer, **changes)
        return answer

    async def _earlier_answer(self, sid: str) -> str:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + RETRY_WAIT_SECONDS
        while True:
            answered, answer = await asyncio.to_thread(sms_state.sms_answer, sid)
            if answered or loop.time() >= deadline:
                # Dropped after the retention time, or still unanswered: nothing more is sent.
                return answer or sms.twiml([])
            await asyncio.sleep(RETRY_POLL_SECONDS)

    async def _reply(self, sender: str, text: str, sid: str,
                     on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> tuple[str, dict]:
        """(TwiML, changes to the number's state for sms_state.finish_sms_message)."""
        state = await asyncio.to_thread(sms_state.sms_state, sender)
        word = sms.keyword(text)
        if state.opted_out and word == "opt_in":
            logger.info("sms %s: opted in again", sid)
            return self._twiml(OPTED_IN.format(name=self.center.name)), {"opted_out": False}
        if state.opted_out and not crisis.detect(text):
            # Silence until START. A crisis message still reaches the crisis reply (911/988): safety first.
            logger.info("sms %s: opted out, not answered", sid)
            return sms.twiml([]), {}
        if word == "opt_out":
            logger.info("sms %s: opted out", sid)
            return self._twiml(OPTED_OUT), {"opted_out": True}
        changes: dict = {}
        if word == "help":
            reply = HELP.format(name=self.center.name, phone=self.center.phone, hours=self.center.hours)
        elif not text.strip():
            reply = NO_TEXT
        else:
            reply, changes["offered"] = await self._ask_assistant(sender, text, sid, state.offered or {}, on_new_message)
        if reply and not state.privacy_noticed:
            reply, changes["privacy_noticed"] = f"{PRIVACY_NOTE}\n{reply}", True
        logger.info("sms %s: answered (%s)", sid, word or "assistant")
        return self._twiml(reply), changes

    async def _ask_assistant(self, sender: str, text: str, sid: str, offered: dict[str, str],
                             on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> tuple[str, dict[str, str]]:
        """The assistant's reply as one SMS text, and the options it offers (key -> payload)."""
        collector = SmsOutput()
        message = sms.chosen_payload(text, offered) or text
        # The conversation is keyed by a keyed hash of the number, never the number itself.
        conversation_id = conversation_ids.sms(sender, self.conversation_key or b"")
        too_fast = self.limits.check(conversation_id, None, text)  # per number; a crisis text gets past it
        try:
            if too_fast is None:
                await on_new_message(UserMessage(message, collector, conversation_id, input_channel=self.name(),
                                                 message_id=sid))
        except ConversationBusy:  # more of this number's texts wait than allowed
            too_fast = BUSY
        if too_fast is not None:  # never silence: a short reply, and the options offered stay as they were
            logger.info("sms %s: refused (%s)", sid, too_fast.reason)
            return SLOW_DOWN, offered
        reply, options = sms.compose(collector.messages)
        return reply, {option.key: option.payload for option in options}

    @staticmethod
    def _twiml(text: str) -> str:
        return sms.twiml(sms.bodies(sms.normalize(text)))


def _form(request: Request) -> RequestParameters:
    """The posted parameters, blank ones included: Twilio signs "Body=" too (Sanic's request.form drops it)."""
    if request.content_type.split(";")[0].strip() != "application/x-www-form-urlencoded":
        return RequestParameters()
    return RequestParameters(parse_qs(request.body.decode("utf-8"), keep_blank_values=True))


def _log_failure(sid: str | None, exc: BaseException) -> None:
    # The error class and the frames, never the exception's message: it could quote what the person wrote.
    frames = "".join(traceback.format_tb(exc.__traceback__))
    logger.error("sms %s: could not answer (%s); the apology was sent\n%s", sid, type(exc).__name__, frames)
