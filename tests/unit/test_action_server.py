"""The action server's guard (rasa_ext/action_server.py): secret, JSON only, loopback by default.

The real server, called through Rasa and directly, is in tests/e2e/test_action_server_e2e.py.
"""

import json
import logging

import pytest
import yaml

from rasa_ext import action_server
from rasa_ext.action_server import ConfigurationError, protect, refusal, token_from_env

TOKEN = "t" * 40
EXPECTED = f"Bearer {TOKEN}".encode()


@pytest.fixture(autouse=True)
def _apps_may_share_a_name(monkeypatch):
    from sanic import Sanic

    monkeypatch.setattr(Sanic, "test_mode", True)  # rasa_sdk names every app "rasa_sdk"


class _Request:
    body: bytes  # set by the test that checks it is never logged

    def __init__(self, path="/webhook", method="POST", headers=None, ip="127.0.0.1"):
        self.path, self.method, self.ip = path, method, ip
        self.headers = {k.lower(): v for k, v in (headers or {}).items()}


def _status(request):
    answer = refusal(request, EXPECTED)
    return None if answer is None else answer.status


@pytest.mark.parametrize("headers,status", [
    ({}, 401),
    ({"Authorization": "Bearer wrong"}, 401),
    ({"Authorization": TOKEN}, 401),  # the token without its scheme
    ({"Authorization": f"Bearer {TOKEN}x"}, 401),
    ({"Authorization": f"Basic {TOKEN}"}, 401),
    ({"Authorization": "Bearer é" + TOKEN}, 401),  # not ASCII: refused, not a TypeError
    ({"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"}, 415),  # a browser's "simple" request
    ({"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-www-form-urlencoded"}, 415),
    ({"Authorization": f"Bearer {TOKEN}"}, 415),  # no Content-Type at all
    ({"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}, None),
    ({"Authorization": f"Bearer {TOKEN}", "Content-Type": "Application/JSON; charset=utf-8"}, None),
])  # fmt: skip
def test_webhook_needs_the_secret_then_json(headers, status):
    assert _status(_Request(headers=headers)) == status


def test_health_is_open_everything_else_needs_the_secret():
    assert _status(_Request("/health", "GET")) is None
    assert _status(_Request("/health", "POST")) == 401
    assert _status(_Request("/actions", "GET")) == 401  # the list of actions
    assert _status(_Request("/webhook", "OPTIONS", {"Origin": "http://evil.example"})) == 401  # a browser preflight
    assert _status(_Request("/actions", "GET", {"Authorization": f"Bearer {TOKEN}"})) is None


def test_a_refusal_logs_the_refusal_only(caplog):
    secret_text = "my name is Jordan and I want to die"
    request = _Request(headers={"Authorization": "Bearer guessed-" + secret_text, "Content-Type": "application/json"})
    request.body = json.dumps({"tracker": {"latest_message": {"text": secret_text}}}).encode()
    with caplog.at_level(logging.DEBUG):
        assert _status(request) == 401
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert "refused POST /webhook from 127.0.0.1" in caplog.text
    assert "Jordan" not in caplog.text and "guessed" not in caplog.text


@pytest.mark.parametrize("value", [None, "", "short", " " + TOKEN, TOKEN + "\n"])
def test_no_start_without_a_proper_secret(value):
    environ = {} if value is None else {"ACTION_SERVER_TOKEN": value}
    with pytest.raises(ConfigurationError, match="ACTION_SERVER_TOKEN"):
        token_from_env(environ)
    assert token_from_env({"ACTION_SERVER_TOKEN": TOKEN}) == TOKEN


def test_the_guard_runs_before_every_other_middleware():
    from rasa_sdk.endpoint import create_app

    app = protect(create_app("actions", cors_origins=""), TOKEN)
    assert app.request_middleware[0].__name__ == "guard"  # and again at start-up, after sanic_cors (e2e test)


@pytest.fixture
def started(monkeypatch):
    """main() up to the point it would serve: where, and with which app."""
    calls: dict = {}

    def fake_run(self, host, port, **kwargs):
        calls.update(host=host, port=port, app=self)

    monkeypatch.setattr("sanic.Sanic.run", fake_run)
    monkeypatch.setattr(action_server, "private_umask", lambda: calls.setdefault("umask", True))
    monkeypatch.setenv("ACTION_SERVER_TOKEN", TOKEN)
    monkeypatch.delenv("ACTION_SERVER_HOST", raising=False)
    monkeypatch.setenv("SANIC_HOST", "0.0.0.0")  # rasa_sdk's own server would bind every interface
    return calls


def test_it_binds_loopback_unless_told_otherwise(started, monkeypatch):
    assert action_server.main(["--actions", "actions", "--port", "5999"]) == 0
    assert (started["host"], started["port"], started["umask"]) == ("127.0.0.1", 5999, True)
    assert started["app"].request_middleware[0].__name__ == "guard"
    assert action_server.main(["--actions", "actions", "--host", "10.0.0.5"]) == 0
    assert started["host"] == "10.0.0.5"
    monkeypatch.setenv("ACTION_SERVER_HOST", "10.0.0.6")
    assert action_server.main(["--actions", "actions"]) == 0
    assert started["host"] == "10.0.0.6"


def test_it_does_not_start_without_the_secret_or_with_cors(started, monkeypatch, capsys):
    assert action_server.main(["--actions", "actions", "--cors", "*"]) == 2
    monkeypatch.delenv("ACTION_SERVER_TOKEN")
    assert action_server.main(["--actions", "actions"]) == 2
    assert "ACTION_SERVER_TOKEN must be set" in capsys.readouterr().err
    assert "host" not in started


@pytest.mark.parametrize("name", ["endpoints.yml", "endpoints.production.yml"])
def test_rasa_sends_the_secret_in_a_header(name, monkeypatch):
    """Not `token:` (Rasa puts it in the URL's query string, where access logs keep it)."""
    from rasa.core.utils import AvailableEndpoints

    from evaluation.server import ROOT

    raw = yaml.safe_load((ROOT / name).read_text())["action_endpoint"]
    assert "token" not in raw and raw["headers"] == {"Authorization": "Bearer ${ACTION_SERVER_TOKEN}"}
    for key in ("ACTION_SERVER_URL", "DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD", "DB_NAME", "REDIS_HOST", "REDIS_PORT"):
        monkeypatch.setenv(key, "5432")
    monkeypatch.setenv("ACTION_SERVER_TOKEN", TOKEN)
    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / name))
    assert endpoints.action.headers == {"Authorization": f"Bearer {TOKEN}"}
