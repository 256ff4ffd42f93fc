"""One log record, one line (issue 10, part 5): a conversation id, an SMS id or an error
message holding a newline must not start a forged line in var/rasa.log."""

import asyncio
import json
import logging

import pytest

from assistant import safe_logging
from assistant.safe_logging import escape_controls

FORGED = "2099-01-01 00:00:00 ERROR    rasa.core - forged"


@pytest.mark.parametrize("text,expected", [
    ("plain text, accents é and emoji 😭", "plain text, accents é and emoji 😭"),
    (f"evil\n{FORGED}", f"evil\\n{FORGED}"),
    ("a\rb\tc", "a\\rb\\tc"),
    ("esc\x1b[31mred", "esc\\x1b[31mred"),
    ("nul\x00 del\x7f c1\x85", "nul\\x00 del\\x7f c1\\x85"),
    ("line\u2028para\u2029", "line\\u2028para\\u2029"),
    ("bidi\u202eevil\u2066", "bidi\\u202eevil\\u2066"),
    ("lone\ud800", "lone\\ud800"),
])
def test_escape_controls(text, expected):
    assert escape_controls(text) == expected


@pytest.fixture()
def rasa_log_file(tmp_path):
    """A logger writing through Rasa's own --log-file handler (rasa.core.utils.configure_file_logging)."""
    from rasa.core.utils import configure_file_logging

    safe_logging.install()
    logger = logging.getLogger(f"test.safe_logging.{tmp_path.name}")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    path = tmp_path / "rasa.log"
    configure_file_logging(logger, str(path), use_syslog=False)
    yield logger, path
    for handler in logger.handlers:
        handler.close()


def test_a_record_is_one_line_whatever_its_arguments_or_message_hold(rasa_log_file):
    logger, path = rasa_log_file
    logger.error("could not handle a message for conversation %s", f"rest:evil\n{FORGED}")
    logger.warning(f"Circuit breaker tripped for sender 'evil\r\n{FORGED}'")  # Rasa's f-string style
    lines = path.read_text().splitlines()
    assert len(lines) == 2 and not any(line.startswith("2099") for line in lines)
    assert f"rest:evil\\n{FORGED}" in lines[0]


def test_an_exception_message_is_escaped_and_its_traceback_kept(rasa_log_file):
    logger, path = rasa_log_file
    try:
        try:
            raise KeyError(f"x\n{FORGED}")
        except KeyError as inner:
            raise ValueError(f"conversation evil\n{FORGED}") from inner
    except ValueError:
        logger.exception("failed")
    text = path.read_text()
    assert not [line for line in text.splitlines() if line.startswith("2099")]
    assert "Traceback (most recent call last):" in text and '  File "' in text  # frames as Python prints them
    assert f"ValueError: conversation evil\\n{FORGED}" in text
    assert "The above exception was the direct cause" in text and "KeyError" in text


def test_coloredlogs_on_the_console_escapes_too():
    import coloredlogs

    safe_logging.install()
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "sender %s", (f"a\n{FORGED}",), None)
    assert "\n" not in coloredlogs.ColoredFormatter("%(message)s").format(record)


def test_install_is_idempotent():
    safe_logging.install()
    get_message = logging.LogRecord.getMessage
    safe_logging.install()
    assert logging.LogRecord.getMessage is get_message


# --- every process we start installs it --------------------------------------------------

def test_rasa_runtime_installs_it_and_hides_the_version_before_rasa_starts(monkeypatch):
    import rasa.__main__
    import rasa.core.run

    from rasa_ext import hardening, patches
    from rasa_ext import runtime as rasa_runtime

    seen: dict = {}

    def rasa_main():
        seen["escapes"] = getattr(logging.LogRecord.getMessage, "escapes_controls", False)
        app = rasa.core.run._create_app_without_api()
        route = next(r for r in app.router.routes if r.path == "")
        seen["root"] = asyncio.run(route.handler(None))
        seen["max_body"] = app.config.REQUEST_MAX_SIZE

    monkeypatch.setattr(rasa.__main__, "main", rasa_main)
    monkeypatch.setattr("sys.argv", ["python -m rasa_ext.runtime", "run"])
    try:
        rasa_runtime.main()
    finally:
        patches.undo()  # no later test may depend on what this one installed
    assert seen["escapes"]
    assert seen["root"].status == 200 and json.loads(seen["root"].body) == {"status": "ok"}  # not "Hello from Rasa: 3.6.21"
    assert seen["max_body"] == hardening.MAX_REQUEST_BYTES  # Sanic's default: 100 MB


def test_the_action_server_installs_it_when_it_loads_the_actions(monkeypatch):
    """rasa_sdk (and rasa_ext.action_server) import the `actions` package before serving."""
    import importlib

    import actions

    installed = []
    monkeypatch.setattr(safe_logging, "install", lambda: installed.append(True))
    importlib.reload(actions)
    assert installed


def test_the_notification_worker_installs_it(monkeypatch):
    from assistant.intake import notify

    def no_config():
        raise notify.NotifyConfigError("no targets")

    monkeypatch.setattr(notify, "load_config", no_config)
    monkeypatch.setattr(notify, "private_umask", lambda: None, raising=False)
    installed = []
    monkeypatch.setattr(safe_logging, "install", lambda: installed.append(True))
    assert notify.main([]) == 2
    assert installed
