"""Start a real action server + Rasa server (REST channel, SQLite tracker store) in a temp folder.

Used by the end-to-end tests and by `make bench`.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "assistant.tar.gz"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, proc: subprocess.Popen, log: Path, seconds: int = 180) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: process exited; log:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {seconds}s; log:\n{log.read_text()[-3000:]}")


@dataclass
class RunningAssistant:
    url: str
    workdir: Path
    tracker_db: Path
    records_db: Path
    logs: list[Path]
    processes: list[subprocess.Popen] = field(default_factory=list)
    startup_seconds: float = 0.0
    actions_url: str = ""  # the action server (rasa_ext/action_server.py), for tests that call it directly
    action_token: str = ""  # the shared secret Rasa sends it ($ACTION_SERVER_TOKEN)

    def post_raw(self, body: bytes, content_type: str = "application/json") -> tuple[int, bytes]:
        request = urllib.request.Request(f"{self.url}/webhooks/rest/webhook", body, {"Content-Type": content_type})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def send(self, sender: str, text: str) -> list[dict]:
        status, body = self.post_raw(json.dumps({"sender": sender, "message": text}).encode())
        if status != 200:
            raise AssertionError(f"HTTP {status}: {body[:500]!r}")
        return json.loads(body)

    @property
    def server_pid(self) -> int:
        return self.processes[1].pid

    @property
    def actions_pid(self) -> int:
        return self.processes[0].pid

    def stop(self) -> None:
        """Stops each server with its whole process group: Sanic's workers are children."""
        for proc in self.processes:
            _signal_group(proc, signal.SIGTERM)
        for proc in self.processes:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait(timeout=20)


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)


def _private_log(path: Path):
    """A log file only its owner reads, as under var/ (it may name conversations)."""
    log = open(path, "w", opener=lambda name, flags: os.open(name, flags, 0o600))  # noqa: SIM115 - the child keeps it
    path.chmod(0o600)  # also when it was there before (a restart in the same folder)
    return log


LOCAL_WORKERS = 2  # Rasa workers of the local set-up, as scripts/run.sh starts them
NO_LIMITS = {"RATE_LIMITS": "off", "CONVERSATION_MAX_WAITING": "off"}  # channels/limits.py, rasa_ext/lock_store.py


def start_assistant(workdir: Path, model: Path = MODEL, extra_env: dict | None = None,
                    production: dict | None = None, workers: int = LOCAL_WORKERS,
                    limits: bool = False) -> RunningAssistant:
    """Local set-up by default: `make run`'s, with the SQLite tracker store and locks in `workdir`.

    `production`: the environment for endpoints.production.yml (PostgreSQL
    tracker store, Redis lock store), e.g. {"DB_HOST": ..., "SANIC_WORKERS": "2"}.
    `limits`: keep `make run`'s flood limits (rate limits per sender and address, 5 waiting
    messages a conversation); off by default, as tests and `make bench` send faster than a person.
    """
    started = time.perf_counter()
    if not limits:
        extra_env = {**NO_LIMITS, **(extra_env or {})}
    tracker_db, records_db = workdir / "tracker.db", workdir / "assistant.db"
    actions_port, rasa_port = free_port(), free_port()
    if production is None:
        endpoints = workdir / "endpoints.yml"
        endpoints.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n  enable_selective_domain: true\n'
            '  headers:\n    Authorization: Bearer ${ACTION_SERVER_TOKEN}\n'  # as endpoints.yml: from the environment
            f'tracker_store:\n  type: rasa_ext.tracker_store.CachingSQLTrackerStore\n  dialect: "sqlite"\n  db: "{tracker_db}"\n'
            f'lock_store:\n  type: rasa_ext.lock_store.SQLiteLockStore\n  db: "{workdir / "locks.db"}"\n'
        )
        extra_env = {"SANIC_WORKERS": str(workers), **(extra_env or {})}
    else:
        endpoints = ROOT / "endpoints.production.yml"
        action_url = f"http://127.0.0.1:{actions_port}/webhook"
        extra_env = {**(extra_env or {}), **production, "ACTION_SERVER_URL": action_url}
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT),
           "ASSISTANT_DATABASE_URL": f"sqlite:///{records_db}", "SANIC_HOST": "127.0.0.1",
           "WEBCHAT_SECRET": secrets.token_urlsafe(48),  # signs website-chat sessions
           "ACTION_SERVER_TOKEN": secrets.token_urlsafe(32), **(extra_env or {})}  # Rasa -> action server
    python = str(ROOT / ".venv" / "bin" / "python")
    actions_log, rasa_log = workdir / "actions.log", workdir / "rasa.log"
    # As scripts/run.sh starts it: our launcher (token required), on its default host (loopback).
    actions = subprocess.Popen([python, "-m", "rasa_ext.action_server", "--actions", "actions", "--port", str(actions_port)],
                               cwd=ROOT, env=env, stdout=_private_log(actions_log), stderr=subprocess.STDOUT,
                               start_new_session=True)
    server = subprocess.Popen([python, "-m", "rasa_ext.runtime", "run", "--model", str(model),
                               "--interface", "127.0.0.1", "--port", str(rasa_port),
                               "--endpoints", str(endpoints), "--credentials", str(ROOT / "credentials.yml")],
                              cwd=ROOT, env=env, stdout=_private_log(rasa_log), stderr=subprocess.STDOUT,
                              start_new_session=True)
    assistant = RunningAssistant(f"http://127.0.0.1:{rasa_port}", workdir, tracker_db, records_db,
                                 [actions_log, rasa_log], [actions, server], actions_url=f"http://127.0.0.1:{actions_port}",
                                 action_token=env["ACTION_SERVER_TOKEN"])
    try:
        _wait_for(f"http://127.0.0.1:{actions_port}/health", actions, actions_log)
        _wait_for(f"http://127.0.0.1:{rasa_port}/", server, rasa_log)
    except Exception:
        assistant.stop()
        raise
    assistant.startup_seconds = time.perf_counter() - started
    return assistant


# --- production set-up: PostgreSQL tracker store + Redis lock store ----------
POSTGRES = {"host": os.environ.get("TEST_POSTGRES_HOST", "127.0.0.1"),
            "port": os.environ.get("TEST_POSTGRES_PORT", "5432"),
            "user": os.environ.get("TEST_POSTGRES_USER", "postgres"),
            "password": os.environ.get("TEST_POSTGRES_PASSWORD", "")}
REDIS = {"host": os.environ.get("TEST_REDIS_HOST", "127.0.0.1"), "port": os.environ.get("TEST_REDIS_PORT", "6379")}


def production_services_missing() -> str | None:
    """Why the production set-up cannot run here, or None when PostgreSQL and Redis answer."""
    import psycopg2
    import redis

    try:
        psycopg2.connect(dbname="postgres", connect_timeout=3, **POSTGRES).close()
    except psycopg2.OperationalError as exc:
        return f"PostgreSQL not reachable at {POSTGRES['host']}:{POSTGRES['port']} ({exc})"
    try:
        redis.Redis(host=REDIS["host"], port=int(REDIS["port"]), socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        return f"Redis not reachable at {REDIS['host']}:{REDIS['port']} ({exc})"
    return None


def _admin(sql: str) -> None:
    import psycopg2

    connection = psycopg2.connect(dbname="postgres", **POSTGRES)
    connection.autocommit = True
    try:
        connection.cursor().execute(sql)
    finally:
        connection.close()


def create_database(name: str) -> None:
    """A fresh database (Rasa's login_db would ignore pool settings: we create it ourselves)."""
    _admin(f'DROP DATABASE IF EXISTS "{name}"')
    _admin(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(database: str, workers: int = 2) -> dict:
    """The environment endpoints.production.yml reads, for `database` on the test services."""
    return {"DB_HOST": POSTGRES["host"], "DB_PORT": POSTGRES["port"], "DB_USER": POSTGRES["user"],
            "DB_PASSWORD": POSTGRES["password"], "DB_NAME": database,
            "REDIS_HOST": REDIS["host"], "REDIS_PORT": REDIS["port"], "SANIC_WORKERS": str(workers),
            "ASSISTANT_DATABASE_URL": (f"postgresql://{POSTGRES['user']}:{POSTGRES['password']}@"
                                       f"{POSTGRES['host']}:{POSTGRES['port']}/{database}")}
