"""Issue 10: the action server ran any action for anyone who could reach it, and var/ was world-readable.

A real action server and Rasa server (evaluation/server.py, as `make run` starts
them), in a folder where an older version left the databases readable by every
user. Forged calls (a made-up tracker with `next_action: action_intake_submit`
or `action_record_crisis`) go straight to the action server's port.
"""

import json
import os
import socket
import sqlite3
import stat
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from evaluation.server import MODEL, start_assistant

pytestmark = pytest.mark.needs_model  # starts the assistant with models/assistant.tar.gz

# What the servers keep (as under var/ with `make run`): databases, their WAL files, logs.
SERVER_FILES = ("tracker.db", "locks.db", "assistant.db", "actions.log", "rasa.log")


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    if not MODEL.exists():
        pytest.skip("no trained model: run `make train`")
    workdir = tmp_path_factory.mktemp("action-server")
    for name in ("tracker.db", "assistant.db", "actions.log"):  # left readable by an older version
        (workdir / name).touch()
        (workdir / name).chmod(0o644)
    previous = os.umask(0o022)  # a usual umask: the servers must not depend on the one they are started with
    try:
        assistant = start_assistant(workdir, workers=1)
    finally:
        os.umask(previous)
    yield assistant
    assistant.stop()


def forged_call(action: str, sender: str, marker: str) -> dict:
    """What an attacker posts: a made-up conversation whose latest message carries `marker`."""
    slots = {"intake_consent": "yes", "intake_halt": "callback", "intake_phone": "+16175550199",
             "intake_name": f"Forged{marker}", "intake_for": "self", "intake_substances": ["fentanyl"],
             "intake_use_frequency": "daily", "intake_injection": "yes"}  # fmt: skip
    latest = {"text": f"i want to die {marker}", "intent": {"name": "crisis_suicide", "confidence": 1.0},
              "entities": [], "crisis": {"source": f"rule:{marker}"}}  # fmt: skip
    tracker = {"sender_id": sender, "slots": slots, "latest_message": latest, "events": [], "paused": False,
               "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen"}  # fmt: skip
    return {"next_action": action, "sender_id": sender, "tracker": tracker, "domain": {}, "version": "3.6.21"}


def post(assistant, path: str, body: bytes | None, headers: dict, method: str = "POST") -> tuple[int, bytes]:
    request = urllib.request.Request(f"{assistant.actions_url}{path}", body, headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def stored(assistant, sender: str) -> tuple[int, int]:
    """(callback requests, crisis events) of one conversation."""
    counts = []
    with sqlite3.connect(assistant.records_db) as db:
        for table in ("callback_requests", "crisis_events"):
            try:
                counts.append(db.execute(f"select count(*) from {table} where conversation_id = ?", (sender,)).fetchone()[0])
            except sqlite3.OperationalError as exc:  # nothing stored yet: the action server migrates on first use
                assert "no such table" in str(exc)
                counts.append(0)
    return tuple(counts)


def logs(assistant) -> str:
    return "".join(log.read_text(errors="replace") for log in assistant.logs)


BAD_SECRETS = {"no secret": {}, "wrong secret": {"Authorization": "Bearer " + "x" * 43},
               "secret in the query string's place": {"token": "x" * 43}}  # fmt: skip


@pytest.mark.parametrize("action", ["action_intake_submit", "action_record_crisis"])
@pytest.mark.parametrize("secret", list(BAD_SECRETS))
def test_a_forged_call_without_the_secret_runs_nothing_and_logs_nothing_of_it(running, action, secret):
    marker = f"forged{uuid.uuid4().hex[:10]}"
    sender = f"attacker-{marker}"
    body = json.dumps(forged_call(action, sender, marker)).encode()
    status, answer = post(running, "/webhook", body, {"Content-Type": "application/json", **BAD_SECRETS[secret]})
    assert (status, json.loads(answer)) == (401, {"error": "unauthorized"})
    assert stored(running, sender) == (0, 0)
    assert marker not in logs(running)
    assert "refused POST /webhook from 127.0.0.1: no valid action-server token" in logs(running)


def test_a_browser_cannot_post_to_it(running):
    """text/plain needs no CORS preflight: a page on any site could post it, from a browser that reaches the port."""
    marker = f"forged{uuid.uuid4().hex[:10]}"
    sender = f"attacker-{marker}"
    body = json.dumps(forged_call("action_record_crisis", sender, marker)).encode()
    secret = {"Authorization": f"Bearer {running.action_token}"}
    assert post(running, "/webhook", body, {"Content-Type": "text/plain"})[0] == 401
    assert post(running, "/webhook", body, {"Content-Type": "text/plain", **secret})[0] == 415
    assert post(running, "/webhook", body, {"Content-Type": "application/x-www-form-urlencoded", **secret})[0] == 415
    # A preflight gets no CORS permission either.
    request = urllib.request.Request(f"{running.actions_url}/webhook", method="OPTIONS", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 401 and "Access-Control-Allow-Origin" not in refused.value.headers
    assert stored(running, sender) == (0, 0)
    assert marker not in logs(running)


def test_health_needs_no_secret_and_tells_nothing(running):
    assert post(running, "/health", None, {}, method="GET") == (200, b'{"status":"ok"}')
    assert post(running, "/actions", None, {}, method="GET")[0] == 401  # the list of actions is not public


def test_rasa_sends_the_secret_and_the_same_call_with_it_works(running):
    """The conversation through Rasa works; and the refused calls above were real attacks, not malformed ones."""
    sender = f"e2e-{uuid.uuid4().hex[:10]}"
    reply = " ".join(r.get("text", "") for r in running.send(sender, "i dont want to be alive anymore"))
    assert "988" in reply
    with sqlite3.connect(running.records_db) as db:
        assert db.execute("select count(*) from crisis_events where conversation_id like ?", (f"%{sender}%",)).fetchone()[0] == 1

    marker = f"control{uuid.uuid4().hex[:10]}"
    sender = f"attacker-{marker}"
    secret = {"Authorization": f"Bearer {running.action_token}", "Content-Type": "application/json"}
    for action in ("action_record_crisis", "action_intake_submit"):
        status, _ = post(running, "/webhook", json.dumps(forged_call(action, sender, marker)).encode(), secret)
        assert status == 200
    assert stored(running, sender) == (1, 1)  # what the attack stored before the secret was required


def _listening(port: int) -> list[str]:
    """The local addresses of the sockets listening on `port` (from /proc/net/tcp and tcp6)."""
    addresses = []
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                raw = bytes.fromhex(address)
                # /proc prints each 32-bit word in host (little-endian) order.
                raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
                addresses.append(socket.inet_ntop(socket.AF_INET if width == 8 else socket.AF_INET6, raw))
    return addresses


def _outward_address() -> str | None:
    """This machine's address towards other hosts (no packet is sent), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: routing only
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_it_listens_on_loopback_only(running):
    port = int(running.actions_url.rsplit(":", 1)[1])
    assert _listening(port) == ["127.0.0.1"]
    address = _outward_address()
    if address is not None:
        with pytest.raises(OSError), socket.create_connection((address, port), timeout=3):
            pass


def test_what_the_servers_keep_is_owner_only(running):
    """Issue 10: another OS user read every request and transcript. Databases (with their -wal and -shm
    files) and logs are 0600, also those an older version had left readable."""
    running.send(f"e2e-{uuid.uuid4().hex[:10]}", "i want to kill myself")  # a crisis event: the records database
    files = [p for p in running.workdir.iterdir() if p.name.startswith(SERVER_FILES)]
    names = {p.name for p in files}
    assert {"tracker.db", "tracker.db-wal", "tracker.db-shm", "locks.db", "assistant.db", "actions.log",
            "rasa.log"} <= names, names  # fmt: skip
    modes = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in files}
    assert modes == dict.fromkeys(names, oct(0o600))
