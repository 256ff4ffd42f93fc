"""Test markers: which tests need servers, the trained model or local services, set reliably.

Set automatically (tests/conftest.py calls `mark_items` at collection):
- `e2e`: everything under tests/e2e/; `browser`: everything under tests/browser/;
- `needs_model`: everything under tests/evaluation/, and tests using the `assistant` fixture;
- `postgres` / `redis`: tests parametrized with "postgresql" / "redis", or using the `production` fixture.
Elsewhere a test says it with `pytestmark` or a decorator.

Checked while each test runs (`guard`), so a wrong or missing marker fails instead of
slowing down `make test-fast`: starting a Rasa server or the action server needs `e2e` or
`browser`; loading models/*.tar.gz (or starting Rasa with `--model`) needs `needs_model`;
connecting to Redis needs `redis`; a fresh PostgreSQL database (`require_marker`) needs `postgres`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVER_MARKERS = ("e2e", "browser")
MODELS = ROOT / "models"
REDIS_PORT = int(os.environ.get("TEST_REDIS_PORT", "6379"))
# What only a test marked e2e or browser may start: `python -m <module> ...`, `rasa <command>`.
SERVER_MODULES = ("rasa_ext.action_server", "rasa_sdk", "console")  # console: the staff console (python -m console)
RASA_MODULES = ("rasa", "rasa_ext.runtime")
RASA_SERVER_COMMANDS = ("run", "shell", "interactive", "x")
RASA_MODEL_COMMANDS = ("train", "test")  # need needs_model

_current: pytest.Item | None = None  # the test whose setup, call or teardown is running


def mark_items(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.path)).resolve()
        parts = path.relative_to(ROOT).parts if path.is_relative_to(ROOT) else path.parts
        folder = parts[1] if len(parts) > 2 and parts[0] == "tests" else None
        if folder == "e2e":
            item.add_marker("e2e")
        elif folder == "browser":
            item.add_marker("browser")
        elif folder == "evaluation":
            item.add_marker("needs_model")
        fixtures = set(getattr(item, "fixturenames", ()))
        if "assistant" in fixtures:
            item.add_marker("needs_model")
        if "production" in fixtures:
            item.add_marker("postgres")
            item.add_marker("redis")
        params = getattr(getattr(item, "callspec", None), "params", {})
        values = {value for value in params.values() if isinstance(value, str)}
        if "postgresql" in values:
            item.add_marker("postgres")
        if "redis" in values:
            item.add_marker("redis")


class MarkerMissing(Exception):
    """A test did what only a test with this marker may do."""


def _has(*names: str) -> bool:
    return _current is None or any(_current.get_closest_marker(name) for name in names)


def require_marker(name: str, doing: str) -> None:
    """Fail the running test unless it carries `name` (a test that is not marked runs in make test-fast).

    Raises, and also records the failure on the test, so code that catches every exception cannot hide it."""
    if _current is not None and not _has(name):  # `not _has` implies a running test; said for mypy
        message = f"{_current.nodeid} {doing} but is not marked `{name}`: add @pytest.mark.{name} (see tests/markers.py)"
        _fail(message)


def _fail(message: str) -> None:
    violations = _current.__dict__.setdefault("marker_violations", [])
    if message not in violations:
        violations.append(message)
    raise MarkerMissing(message)


def _command(args) -> list[str]:
    if isinstance(args, (str, bytes, os.PathLike)):
        return [os.fsdecode(args)]
    return [os.fsdecode(arg) if isinstance(arg, (bytes, os.PathLike)) else str(arg) for arg in args]


def _check_command(args) -> None:
    command = _command(args)
    if not command:
        return
    if "-m" in command[:-1]:
        program, rest = command[command.index("-m") + 1], command[command.index("-m") + 2:]
    else:
        program, rest = Path(command[0]).name, command[1:]
    subcommand = rest[0] if rest else None
    if program in RASA_MODULES and subcommand in RASA_MODEL_COMMANDS:
        require_marker("needs_model", f"runs `rasa {subcommand}`")
    server = program in SERVER_MODULES or (program in RASA_MODULES and subcommand in RASA_SERVER_COMMANDS)
    if server and _current is not None and not _has(*SERVER_MARKERS):
        _fail(f"{_current.nodeid} starts a server ({' '.join(command[:4])} ...) but is not marked "
              "e2e or browser: move it to tests/e2e/ (see tests/markers.py)")
    if "--model" in command or any(arg.endswith(".tar.gz") and str(MODELS) in arg for arg in command):
        require_marker("needs_model", "starts Rasa with the trained model")


def _audit(event: str, args: tuple) -> None:
    if _current is None:
        return
    if event == "open":
        path = os.fsdecode(args[0]) if isinstance(args[0], (str, bytes, os.PathLike)) else ""
        if path.endswith(".tar.gz") and Path(path).resolve().parent == MODELS:
            require_marker("needs_model", f"loads {path}")
    elif event == "subprocess.Popen":
        _check_command(args[1])
    elif event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and len(address) >= 2 and address[1] == REDIS_PORT:
            require_marker("redis", f"connects to Redis on port {REDIS_PORT}")


_installed = False


def install_guard() -> None:
    """Audit hooks stay for the life of the process: install once, active only while a test runs."""
    global _installed
    if not _installed:
        sys.addaudithook(_audit)
        _installed = True


class guard:
    """Around one test's setup, call and teardown: what it does is checked against its markers."""

    def __init__(self, item: pytest.Item) -> None:
        self.item = item

    def __enter__(self) -> None:
        global _current
        self.previous, _current = _current, self.item

    def __exit__(self, *exc) -> None:
        global _current
        _current = self.previous
