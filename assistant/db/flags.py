"""Reply flags and conversation tags from the staff console, each written with its audit row.

Every change commits with its access-log row (audit.append, one transaction) or
not at all. `who` is the staff account, `address` the client's IP address.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.db import audit
from assistant.db.audit import Seen
from assistant.db.engine import open_session
from assistant.db.models import REPLY_FLAG_KINDS, ConversationTag, ReplyFlag, utc_now

MAX_NOTE = 2000
# Short labels staff pick ("follow-up", "training data"): shown in lists and kept in the audit row.
TAG = re.compile(r"[a-z0-9][a-z0-9 _-]{0,39}")
MAX_CONVERSATION_ID = 255  # Rasa's events.sender_id and the access log's conversation_id
IN_CHUNK = 500  # ids per IN (...): SQLite allows only so many parameters in one statement


def _conversation(conversation_id: str) -> str:
    if not conversation_id or len(conversation_id) > MAX_CONVERSATION_ID:
        raise ValueError("a conversation id is 1 to 255 characters")
    return conversation_id


def normalize_tag(tag: str) -> str:
    tag = " ".join(tag.split()).lower()
    if not TAG.fullmatch(tag):
        raise ValueError("a tag is 1 to 40 letters, digits, spaces, '-' or '_'")
    return tag


def flag_reply(conversation_id: str, event_id: int, kind: str, note: str, username: str, *,
               address: str | None = None, url: str | None = None) -> ReplyFlag:
    """Flag the assistant reply at `event_id` (the tracker store's events row) as wrong or unsafe."""
    if kind not in REPLY_FLAG_KINDS:
        raise ValueError(f"unknown flag kind {kind!r}: one of {', '.join(REPLY_FLAG_KINDS)}")
    flag = ReplyFlag(conversation_id=_conversation(conversation_id), event_id=event_id, kind=kind,
                     note=note.strip()[:MAX_NOTE], flagged_by=username, at=utc_now())
    with open_session(url) as session, session.begin():
        session.add(flag)
        # The kind only: the note is staff text and may repeat what the person said.
        audit.append(session, username, "flag", [Seen(conversation_id=conversation_id)], address=address,
                     detail=f"{kind} reply {event_id}")
    return flag


def list_flags(conversation_id: str | None = None, url: str | None = None) -> list[ReplyFlag]:
    """Reply flags, newest first; of one conversation when given. Not audited: the caller logs what it shows."""
    query = select(ReplyFlag).order_by(ReplyFlag.id.desc())
    if conversation_id is not None:
        query = query.where(ReplyFlag.conversation_id == conversation_id)
    with open_session(url) as session:
        return list(session.scalars(query))


def tag_conversation(conversation_id: str, tag: str, username: str, *, address: str | None = None,
                     url: str | None = None) -> bool:
    """Add a tag: True when added, False when the conversation had it already (nothing written then)."""
    conversation_id, tag = _conversation(conversation_id), normalize_tag(tag)
    try:
        with open_session(url) as session, session.begin():
            if _has_tag(session, conversation_id, tag):
                return False
            session.add(ConversationTag(conversation_id=conversation_id, tag=tag, added_by=username, at=utc_now()))
            audit.append(session, username, "tag", [Seen(conversation_id=conversation_id)], address=address,
                         detail=f"add {tag}")
    except IntegrityError:  # the same tag added at the same moment by someone else: theirs is kept
        return False
    return True


def untag(conversation_id: str, tag: str, username: str, *, address: str | None = None,
          url: str | None = None) -> bool:
    """Remove a tag: True when removed, False when the conversation did not have it (nothing written then)."""
    conversation_id, tag = _conversation(conversation_id), normalize_tag(tag)
    with open_session(url) as session, session.begin():
        removed = session.execute(
            delete(ConversationTag).where(ConversationTag.conversation_id == conversation_id, ConversationTag.tag == tag)
        ).rowcount
        if removed:
            audit.append(session, username, "tag", [Seen(conversation_id=conversation_id)], address=address,
                         detail=f"remove {tag}")
    return bool(removed)


def _has_tag(session: Session, conversation_id: str, tag: str) -> bool:
    query = select(ConversationTag.id).where(ConversationTag.conversation_id == conversation_id,
                                             ConversationTag.tag == tag)
    return session.scalar(query) is not None


def tags_for(conversation_ids: Iterable[str], url: str | None = None) -> dict[str, list[str]]:
    """Each given conversation's tags, sorted ([] for one without any)."""
    wanted = list(dict.fromkeys(conversation_ids))
    tags: dict[str, list[str]] = {conversation_id: [] for conversation_id in wanted}
    with open_session(url) as session:
        for start in range(0, len(wanted), IN_CHUNK):
            chunk = wanted[start:start + IN_CHUNK]
            query = (select(ConversationTag.conversation_id, ConversationTag.tag)
                     .where(ConversationTag.conversation_id.in_(chunk)).order_by(ConversationTag.tag))
            for conversation_id, tag in session.execute(query):
                tags[conversation_id].append(tag)
    return tags
