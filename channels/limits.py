"""Flood limits of the channels (issue 10): rate limits per sender and per client address,
and how a refused message is answered. Nothing is ever dropped silently.

credentials.yml, under each channel (the defaults; 0 turns one limit off):

    channels.webchat.WebChatInput:
      rate_limits:
        sender: {burst: 10, per_minute: 30}     # one conversation: a chat session, a REST sender, an SMS number
        address: {burst: 60, per_minute: 300}   # one client address (REST, website chat; SMS posts all come from Twilio)
        exempt_addresses: ["127.0.0.1", "::1"]  # a reverse proxy that does not pass the client address on

Each limit is a token bucket: up to `burst` messages at once, then `per_minute` a
minute. A message over a limit is refused at once with the reason "rate_limited"
(REST: 429 with a JSON reason; website chat: a `chat_error`; SMS: a short reply;
the wording of both is in channels/texts.yml).
A message the crisis detector flags is not refused by the sender limit (a person
in crisis typing fast gets the crisis reply; over the limit, as many messages as the
limit allows are still read for a crisis, not every message of a flood); the address
limit and the waiting limit still apply. The buckets live in each Rasa worker's memory: with
SANIC_WORKERS=2 a sender whose messages reach both workers can get up to twice the
allowance (a website chat socket stays with one worker). $RATE_LIMITS=off turns all
of them off (load tests: `make bench` and the end-to-end tests start servers so).

The number of messages of one conversation waiting for their turn is limited in the
lock store (rasa_ext/lock_store.py, $CONVERSATION_MAX_WAITING, shared by the
workers); one more is refused with the reason "conversation_busy".

The client address is Sanic's `request.remote_addr` (set from X-Forwarded-For,
Forwarded or a real-IP header only when Sanic is told to trust the proxy:
SANIC_PROXIES_COUNT, SANIC_REAL_IP_HEADER or SANIC_FORWARDED_SECRET), else the peer address.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.channel_texts import channel_texts

RATE_LIMITED, CONVERSATION_BUSY = "rate_limited", "conversation_busy"
TOO_FAST = channel_texts().too_fast  # the answer to a refused message (channels/texts.yml)
RATE_LIMITS_ENV = "RATE_LIMITS"
MAX_KEYS = 50_000  # buckets kept per limit; the least recently used go first (they come back full)


@dataclass(frozen=True)
class Rate:
    burst: int
    per_minute: float


# Per channel: (sender, address). A person answers a reply before the next message;
# 10 at once and one every 2 s is more than anyone types.
DEFAULTS: dict[str, tuple[Rate | None, Rate | None]] = {
    "webchat": (Rate(10, 30), Rate(60, 300)),
    "rest": (Rate(10, 30), Rate(120, 600)),
    "sms": (Rate(10, 30), None),
}
DEFAULT_EXEMPT = ("127.0.0.1", "::1")


@dataclass(frozen=True)
class Refusal:
    reason: str  # RATE_LIMITED or CONVERSATION_BUSY
    retry_after: int  # seconds
    message: str = TOO_FAST


BUSY = Refusal(CONVERSATION_BUSY, 1)


class Buckets:
    """Token buckets by key, at most MAX_KEYS of them."""

    def __init__(self, rate: Rate, max_keys: int = MAX_KEYS) -> None:
        self.rate, self.max_keys = rate, max_keys
        self.per_second = rate.per_minute / 60
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when)

    def _tokens(self, key: str, now: float) -> float:
        tokens, when = self._buckets.get(key, (self.rate.burst, now))
        return min(self.rate.burst, tokens + (now - when) * self.per_second)

    def wait(self, key: str, now: float) -> float:
        """Seconds until `key` may send again; 0 if it may now."""
        tokens = self._tokens(key, now)
        if tokens >= 1:
            return 0.0
        return math.inf if self.per_second <= 0 else (1 - tokens) / self.per_second

    def take(self, key: str, now: float) -> None:
        tokens = self._tokens(key, now) - 1
        self._buckets.pop(key, None)  # re-inserted last: the dict's order is the order of use
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_keys:
            del self._buckets[next(iter(self._buckets))]


class ChannelLimits:
    def __init__(self, sender: Rate | None = None, address: Rate | None = None,
                 exempt_addresses: Iterable[str] = DEFAULT_EXEMPT, clock: Callable[[], float] = time.monotonic,
                 is_crisis: Callable[[str], bool] | None = None) -> None:
        self.sender = Buckets(sender) if sender else None
        # Messages of a sender over its limit that are still read for a crisis, as many as it may
        # send (a flood is not run through the crisis patterns message by message).
        self.crisis_checks = Buckets(sender) if sender else None
        self.address = Buckets(address) if address else None
        self.exempt = frozenset(exempt_addresses)
        self.clock = clock
        self.is_crisis = is_crisis or _is_crisis

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None, channel: str) -> ChannelLimits:
        """The channel's limits from its credentials.yml entry (`rate_limits`), the defaults otherwise."""
        if os.environ.get(RATE_LIMITS_ENV, "").strip().lower() == "off":
            return cls()
        settings = (credentials or {}).get("rate_limits") or {}
        if not isinstance(settings, dict):
            raise ValueError(f"{channel}: rate_limits must be a mapping (sender, address, exempt_addresses)")
        unknown = set(settings) - {"sender", "address", "exempt_addresses"}
        if unknown:
            raise ValueError(f"{channel}: unknown rate_limits setting(s) {sorted(unknown)}")
        sender, address = DEFAULTS[channel]
        exempt = settings.get("exempt_addresses", DEFAULT_EXEMPT)
        if not isinstance(exempt, (list, tuple)) or not all(isinstance(item, str) for item in exempt):
            raise ValueError(f"{channel}: rate_limits.exempt_addresses must be a list of addresses")
        return cls(_rate(settings, "sender", sender, channel), _rate(settings, "address", address, channel), exempt)

    def check(self, sender: str, address: str | None = None, text: str | None = None) -> Refusal | None:
        """None if the message may go on (its allowance is taken), else the refusal to answer with."""
        now = self.clock()
        waits = []
        # Counted against its address too when it has one that is not exempt.
        by_address = self.address if address and address not in self.exempt else None
        if self.sender is not None:
            sender_wait = self.sender.wait(sender, now)
            if sender_wait and not (text and self._crisis(sender, text, now)):
                waits.append(sender_wait)
        if by_address is not None and address is not None:
            waits.append(by_address.wait(address, now))
        if any(waits):
            return Refusal(RATE_LIMITED, max(1, min(3600, math.ceil(max(waits)))))
        if self.sender is not None:
            self.sender.take(sender, now)
        if by_address is not None and address is not None:
            by_address.take(address, now)
        return None


    def _crisis(self, sender: str, text: str, now: float) -> bool:
        assert self.crisis_checks is not None  # there with a sender rate; check() asks only then
        if self.crisis_checks.wait(sender, now):
            return False
        self.crisis_checks.take(sender, now)
        return self.is_crisis(text)


def _rate(settings: dict, name: str, default: Rate | None, channel: str) -> Rate | None:
    value = settings.get(name)
    if value is None:
        return default
    if value == 0:
        return None
    if not isinstance(value, dict) or set(value) - {"burst", "per_minute"}:
        raise ValueError(f"{channel}: rate_limits.{name} must be {{burst: N, per_minute: N}} or 0 (off)")
    burst = value.get("burst", default.burst if default else 10)
    per_minute = value.get("per_minute", default.per_minute if default else 30)
    if not isinstance(burst, int) or isinstance(burst, bool) or not isinstance(per_minute, (int, float)) \
            or burst < 0 or per_minute < 0:
        raise ValueError(f"{channel}: rate_limits.{name}: burst and per_minute must be numbers >= 0")
    return Rate(burst, per_minute) if burst and per_minute else None


def _is_crisis(text: str) -> bool:
    from assistant import crisis  # only when a sender is over its limit

    return crisis.detect(text) is not None


def client_address(request: Request | None) -> str | None:
    """The client's address: the one a trusted proxy passed on (Sanic's proxy settings), else the peer's."""
    if request is None:
        return None
    return request.remote_addr or request.ip or None


def rest_refusal(refusal: Refusal) -> HTTPResponse:
    return response.json({"error": refusal.message, "reason": refusal.reason, "retry_after": refusal.retry_after},
                         status=429, headers={"Retry-After": str(refusal.retry_after)})


def chat_error(refusal: Refusal) -> dict:
    return {"reason": refusal.reason, "retry_after": refusal.retry_after}


def socket_address(sio: Any, sid: str) -> str | None:
    """The client address of a socket.io connection (from the request that opened it)."""
    environ = sio.get_environ(sid) or {}
    return client_address(environ.get("sanic.request"))
