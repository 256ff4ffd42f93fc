"""A real action server and a real Rasa server (REST channel, SQLite tracker store) for e2e tests."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

MODEL = ROOT / "models" / "assistant.tar.gz"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, log: Path, seconds: int = 180) -> None:
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


class Assistant:
    def __init__(self, url: str, workdir: Path, tracker_db: Path, records_db: Path, logs: list[Path]):
        self.url, self.workdir, self.tracker_db, self.records_db, self.logs = url, workdir, tracker_db, records_db, logs

    def post_raw(self, body: bytes, content_type: str = "application/json") -> tuple[int, bytes]:
        request = urllib.request.Request(f"{self.url}/webhooks/rest/webhook", body, {"Content-Type": content_type})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def send(self, sender: str, text: str) -> list[dict]:
        status, body = self.post_raw(json.dumps({"sender": sender, "message": text}).encode())
        assert status == 200, (status, body[:500])
        return json.loads(body)


def start_assistant(tmp: Path, extra_env: dict | None = None) -> tuple[Assistant, list[subprocess.Popen]]:
    tracker_db, records_db = tmp / "tracker.db", tmp / "assistant.db"
    actions_port, rasa_port = free_port(), free_port()
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n'
        f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{tracker_db}"\n'
    )
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT),
           "ASSISTANT_DATABASE_URL": f"sqlite:///{records_db}", "SANIC_HOST": "127.0.0.1", **(extra_env or {})}
    rasa = str(ROOT / ".venv" / "bin" / "rasa")
    actions_log, rasa_log = tmp / "actions.log", tmp / "rasa.log"
    actions = subprocess.Popen([rasa, "run", "actions", "--actions", "actions", "--port", str(actions_port)],
                               cwd=ROOT, env=env, stdout=actions_log.open("w"), stderr=subprocess.STDOUT)
    server = subprocess.Popen([rasa, "run", "--model", str(MODEL), "--interface", "127.0.0.1", "--port", str(rasa_port),
                               "--endpoints", str(endpoints), "--credentials", str(ROOT / "credentials.yml")],
                              cwd=ROOT, env=env, stdout=rasa_log.open("w"), stderr=subprocess.STDOUT)
    procs = [actions, server]
    try:
        wait_for(f"http://127.0.0.1:{actions_port}/health", actions, actions_log)
        wait_for(f"http://127.0.0.1:{rasa_port}/", server, rasa_log)
    except Exception:
        stop(procs)
        raise
    return Assistant(f"http://127.0.0.1:{rasa_port}", tmp, tracker_db, records_db, [actions_log, rasa_log]), procs


def stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    if not MODEL.exists():
        pytest.skip("no trained model: run `make train`")
    assistant, procs = start_assistant(tmp_path_factory.mktemp("assistant"))
    yield assistant
    stop(procs)
