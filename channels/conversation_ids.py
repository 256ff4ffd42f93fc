"""Conversation ids namespaced by channel: no channel can name another channel's conversation.

- website chat: ``web:<session id>`` (the session id the server issued, with its signed token);
- SMS: ``sms:<keyed hash of the phone number>``, so the id never holds the number in clear and
  nobody who knows a patient's number can compute it (the key is secret: $SMS_CONVERSATION_KEY);
- REST: ``rest:<sender>`` (the center's own systems and tests; it cannot reach ``web:`` or ``sms:``).
"""

from __future__ import annotations

import hashlib
import hmac

WEB, SMS, REST = "web:", "sms:", "rest:"
SMS_HASH_HEX = 32  # 128 bits of HMAC-SHA256: no collisions between real numbers
MIN_KEY_BYTES = 16


def web(session_id: str) -> str:
    return WEB + session_id


def rest(sender: str) -> str:
    return REST + sender


def sms(phone: str, key: bytes) -> str:
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the SMS conversation key must have at least {MIN_KEY_BYTES} bytes")
    digest = hmac.new(key, f"sms-conversation:{phone}".encode(), hashlib.sha256).hexdigest()
    return SMS + digest[:SMS_HASH_HEX]


def channel_of(conversation_id: str) -> str | None:
    """"web", "sms" or "rest" for a namespaced id; None for an id from before namespacing."""
    for prefix in (WEB, SMS, REST):
        if conversation_id.startswith(prefix):
            return prefix[:-1]
    return None
