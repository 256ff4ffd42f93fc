"""The SMS channel's state (channels/sms.py): each number's opt-out and options offered, each inbound message answered once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from assistant.db.engine import open_session
from assistant.db.models import SmsMessage, SmsNumber, utc_now

# Twilio retries a webhook within minutes; after a day the reply text is dropped, the MessageSid kept.
SMS_REPLY_RETENTION = timedelta(days=1)


@dataclass(frozen=True)
class SmsState:
    opted_out: bool = False
    privacy_noticed: bool = False
    offered: dict[str, str] | None = None  # option key -> payload, from the last reply


def sms_state(phone: str, url: str | None = None) -> SmsState:
    with open_session(url) as session:
        number = session.get(SmsNumber, phone)
    if number is None:
        return SmsState()
    offered = json.loads(number.offered_options) if number.offered_options else None
    return SmsState(number.opted_out, number.privacy_notice_at is not None, offered)


def claim_sms_message(message_sid: str, url: str | None = None) -> bool:
    """True for the first delivery of `message_sid`; False when it was seen before (a retry)."""
    try:
        with open_session(url) as session, session.begin():
            session.add(SmsMessage(message_sid=message_sid, received_at=utc_now()))
    except IntegrityError:
        return False
    return True


def sms_answer(message_sid: str, url: str | None = None) -> tuple[bool, str | None]:
    """(answered yet, the TwiML answered); the TwiML is None once dropped after SMS_REPLY_RETENTION."""
    with open_session(url) as session:
        message = session.get(SmsMessage, message_sid)
    return (message is not None and message.answered_at is not None), (message.reply_twiml if message else None)


def finish_sms_message(message_sid: str, phone: str, reply_twiml: str, *, opted_out: bool | None = None,
                       offered: dict[str, str] | None = None, privacy_noticed: bool = False,
                       url: str | None = None) -> None:
    """Store the answer to a claimed message and the number's new state, in one transaction.

    `opted_out` None leaves consent as it is; `offered` None keeps the options
    offered before (a HELP in the middle of a question keeps its numbers); {} clears them.
    """
    now = utc_now()
    for attempt in (1, 2):
        try:
            with open_session(url) as session, session.begin():
                message = session.get(SmsMessage, message_sid, with_for_update=True)
                message.answered_at, message.reply_twiml = now, reply_twiml
                number = session.get(SmsNumber, phone, with_for_update=True)
                if number is None:
                    number = SmsNumber(phone=phone, opted_out=False, updated_at=now)
                    session.add(number)
                if opted_out is True:
                    number.opted_out, number.opted_out_at = True, now
                elif opted_out is False:
                    number.opted_out, number.opted_in_at = False, now
                if offered is not None:
                    number.offered_options = json.dumps(offered) if offered else None
                if privacy_noticed and number.privacy_notice_at is None:
                    number.privacy_notice_at = now
                session.execute(
                    update(SmsMessage)
                    .where(SmsMessage.answered_at < now - SMS_REPLY_RETENTION, SmsMessage.reply_twiml.is_not(None))
                    .values(reply_twiml=None)
                    .execution_options(synchronize_session=False)
                )
            return
        except IntegrityError:
            # A first message from this number answered at the same moment by another worker: read its row again.
            if attempt == 2:
                raise
