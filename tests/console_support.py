"""The staff console under Flask's test client, on a fresh records database and a tracker store of Rasa's shape."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from assistant.db.staff import add_user
from console.app import create_app
from console.settings import ConsoleSettings

PASSWORD = "correct horse battery staple 7"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
# Rasa 3.6's SQLTrackerStore table, as rasa/core/tracker_store.py creates it.
EVENTS_TABLE = """CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"""


def settings(**changes) -> ConsoleSettings:
    base = ConsoleSettings(host="127.0.0.1", port=5080, idle=timedelta(minutes=15), max_age=timedelta(hours=12),
                           behind_proxy=False, login_attempts_per_address=20, login_window=timedelta(minutes=10),
                           poll_seconds=10)
    return replace(base, **changes)


@dataclass
class Console:
    app: object
    database_url: str
    tracker_path: Path

    @property
    def tracker_url(self) -> str:
        return f"sqlite:///{self.tracker_path}"

    def client(self):
        return self.app.test_client()  # type: ignore[attr-defined]

    def user(self, name: str, role: str) -> str:
        add_user(name, role, PASSWORD, url=self.database_url)
        return name

    def say(self, conversation_id: str, turns: list[tuple[str, str]], start: datetime) -> list[int]:
        """Store turns (("user"|"bot", text)) as Rasa events, a second apart; the events' ids."""
        ids = []
        with sqlite3.connect(self.tracker_path) as db:
            db.execute(EVENTS_TABLE)
            for i, (kind, text) in enumerate(turns):
                at = start.timestamp() + i
                cursor = db.execute(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
                    (conversation_id, kind, at, json.dumps({"event": kind, "timestamp": at, "text": text})))
                assert cursor.lastrowid is not None
                ids.append(cursor.lastrowid)
        return ids


def make_console(tmp_path: Path, database_url: str | None = None, **changes) -> Console:
    database_url = database_url or f"sqlite:///{tmp_path / 'records.db'}"
    tracker = tmp_path / "tracker.db"
    with sqlite3.connect(tracker) as db:
        db.execute(EVENTS_TABLE)
    app = create_app(settings(**changes), database_url=database_url, tracker_url=f"sqlite:///{tracker}")
    app.config["TESTING"] = True
    return Console(app, database_url, tracker)


def csrf(client, path: str = "/login") -> str:
    page = client.get(path)
    match = TOKEN.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, username: str, password: str = PASSWORD, address: str = "127.0.0.1"):
    token = csrf(client)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


def post(client, path: str, data: dict | None = None, page: str = "/queue"):
    """A form post with the session's CSRF token (read from `page`)."""
    return client.post(path, data={**(data or {}), "csrf_token": csrf(client, page)})
