"""Console sessions kept on the server (Flask's SessionInterface): the cookie holds only a random id.

The staff_sessions row (keyed by the id's SHA-256, so a database reader cannot
take over a session) holds the CSRF token and the login step. A session ends
after `idle` without a request the person made (the queue's own polling does
not count) and at most `max_age` after login; logout deletes it; a login gets
a new id (no session fixation).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, Request, Response, g, has_app_context
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy import delete, select

from assistant.db.engine import open_session
from assistant.db.models import StaffSession, utc_now


class ServerSession(dict, SessionMixin):
    def __init__(self, sid: str | None, data: dict[str, Any], username: str | None = None,
                 created_at: datetime | None = None, ended: str | None = None) -> None:
        super().__init__(data)
        self.sid = sid
        self.username = username  # set once the login is complete
        self.created_at = created_at
        self.ended = ended  # "idle" | "expired": why the previous session ended, for the login page and the audit
        self.new_id = sid is None
        self.stored = (json.dumps(data), username)  # what its row holds: save_session writes only a change
        self.dropped = False
        self.dropped_sid: str | None = None

    def sign_in(self, username: str) -> None:
        """A complete login: a new id, the old one's row deleted (session fixation)."""
        self.rotate()
        self.username = username
        self.created_at = utc_now()

    def rotate(self) -> None:
        if self.sid is not None:  # twice in one request (password, then login): the stored id is the one to drop
            self.dropped_sid = self.sid
        self.sid = None
        self.new_id = True
        # A new CSRF token with the new id: one known before the login (a planted session's) must not outlive it.
        # Flask-WTF keeps the raw token under "csrf_token" and caches the signed one in g for the request.
        self.pop("csrf_token", None)
        if has_app_context():
            g.pop("csrf_token", None)

    def sign_out(self) -> None:
        self.clear()
        self.username = None
        self.dropped = True


def _hash(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


class DatabaseSessions(SessionInterface):
    def __init__(self, idle: timedelta, max_age: timedelta, url: str | None = None) -> None:
        self.idle = idle
        self.max_age = max_age
        self.url = url

    def cookie_name(self, app: Flask, secure: bool) -> str:
        # __Host-: the browser keeps it only from HTTPS, for this host and path /, never set by a subdomain.
        return "__Host-console" if secure else "console_session"

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        sid = request.cookies.get(self.cookie_name(app, request.is_secure))
        if not sid or len(sid) > 128:
            return ServerSession(None, {})
        now = utc_now()
        with open_session(self.url) as db, db.begin():
            row = db.get(StaffSession, _hash(sid))
            if row is None:
                return ServerSession(None, {})
            ended = None
            if row.username and now - row.created_at > self.max_age:
                ended = "expired"
            elif now - row.last_seen_at > self.idle:
                ended = "idle"
            if ended:
                db.delete(row)
                session = ServerSession(None, {}, ended=ended)
                session.ended_username = row.username  # type: ignore[attr-defined]
                return session
            # The queue's polling is not the person at work: it must not hold the session open.
            if request.headers.get("X-Console-Poll") != "1":
                row.last_seen_at = now
            return ServerSession(sid, json.loads(row.data), row.username, row.created_at)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, ServerSession)
        from flask import request

        secure = request.is_secure
        name = self.cookie_name(app, secure)
        dropped = session.dropped_sid
        if session.dropped or dropped:
            with open_session(self.url) as db, db.begin():
                for sid in filter(None, (dropped, session.sid if session.dropped else None)):
                    db.execute(delete(StaffSession).where(StaffSession.id_hash == _hash(sid)))
            if session.dropped:
                response.delete_cookie(name, path="/", secure=secure, httponly=True, samesite="Lax")
                return
        # SessionMixin.modified is always True: compare with the row instead (most requests change nothing).
        if not session.new_id and (json.dumps(dict(session)), session.username) == session.stored:
            return
        if not session and not session.username and session.new_id:
            return  # nothing worth a row: an anonymous visitor who holds no token yet
        now = utc_now()
        with open_session(self.url) as db, db.begin():
            if session.new_id or session.sid is None:
                session.sid = secrets.token_urlsafe(32)
                db.add(StaffSession(id_hash=_hash(session.sid), username=session.username, data=json.dumps(dict(session)),
                                    created_at=session.created_at or now, last_seen_at=now))
            else:
                row = db.get(StaffSession, _hash(session.sid))
                if row is None:
                    return
                row.data, row.username = json.dumps(dict(session)), session.username
        response.set_cookie(name, session.sid, path="/", secure=secure, httponly=True, samesite="Lax")


def purge_expired(idle: timedelta, url: str | None = None) -> int:
    """Delete sessions idle longer than `idle` (called now and then; each is refused anyway when used)."""
    with open_session(url) as db, db.begin():
        stale = list(db.scalars(select(StaffSession.id_hash).where(StaffSession.last_seen_at < utc_now() - idle)))
        if stale:
            db.execute(delete(StaffSession).where(StaffSession.id_hash.in_(stale)))
        return len(stale)
