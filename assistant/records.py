"""Records kept for staff, through SQLAlchemy: SQLite by default, PostgreSQL in production.

Set ASSISTANT_DATABASE_URL (e.g. postgresql://user@host/db); the default is a
SQLite file under var/. Message text is never stored here: the transcript
stays in Rasa's tracker store, and staff open it from the conversation id.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Column, DateTime, Integer, String, create_engine, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'assistant.db'}"

Base = declarative_base()


def _now() -> datetime:
    return datetime.now(timezone.utc)


class CrisisEvent(Base):
    """A crisis path the assistant entered, for staff review (see 42 CFR 2.51)."""

    __tablename__ = "crisis_events"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    kind = Column(String(32), nullable=False)  # suicide | overdose | medical
    detected_by = Column(String(64), nullable=False)  # rule:<name> | model | button
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)
    reviewed_at = Column(DateTime(timezone=True), nullable=True)
    reviewed_by = Column(String(255), nullable=True)


def database_url() -> str:
    return os.environ.get("ASSISTANT_DATABASE_URL") or DEFAULT_URL


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, pool_pre_ping=True)
    Base.metadata.create_all(engine)
    return engine


def record_crisis_event(conversation_id: str, kind: str, detected_by: str, url: str | None = None) -> int:
    with Session(engine_for(url or database_url())) as session, session.begin():
        event = CrisisEvent(conversation_id=conversation_id, kind=kind, detected_by=detected_by)
        session.add(event)
        session.flush()
        return event.id


def crisis_events(url: str | None = None, unreviewed_only: bool = False) -> list[CrisisEvent]:
    with Session(engine_for(url or database_url())) as session:
        query = select(CrisisEvent).order_by(CrisisEvent.created_at.desc())
        if unreviewed_only:
            query = query.where(CrisisEvent.reviewed_at.is_(None))
        return list(session.scalars(query))
