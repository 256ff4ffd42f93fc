"""In CI (CI=true) a skipped test fails the run unless tests/skips_allowed.txt allows it.

A green CI must not hide half a suite: a missing service, model or package that makes
tests skip on a developer's machine is a failure in CI, where `make test` sets all of
them up. The allow-list holds only real limits of an environment, each with why.
Loaded by tests/conftest.py; a pytest plugin of its own (`-p tests.skip_policy`), so
tests/unit/test_skip_policy.py can run it on a throwaway suite.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

ALLOWED = Path(__file__).resolve().parent / "skips_allowed.txt"


@dataclass(frozen=True)
class Allowed:
    nodeid: str  # fnmatch pattern
    reason: str  # a piece of the skip reason


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def load_allowed(path: Path | None = None) -> list[Allowed]:
    """`<node id pattern> :: <piece of the reason>` a line (spaces around the ::); `#` starts a comment."""
    path = path or Path(os.environ.get("SKIPS_ALLOWED", ALLOWED))
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not line:
            continue
        nodeid, sep, reason = (part.strip() for part in line.partition(" :: "))
        if not (sep and nodeid and reason):
            raise ValueError(f"{path}:{number}: expected `<node id pattern> :: <piece of the skip reason>`")
        entries.append(Allowed(nodeid, reason))
    return entries


def skip_reason(report) -> str:
    if getattr(report, "wasxfail", None) is not None:
        return f"xfail: {report.wasxfail}"
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def is_allowed(nodeid: str, reason: str, allowed: list[Allowed]) -> bool:
    return any(fnmatch.fnmatchcase(nodeid, entry.nodeid) and entry.reason in reason for entry in allowed)


_skipped: list[tuple[str, str]] = []


def pytest_runtest_logreport(report) -> None:
    if report.skipped:
        _skipped.append((report.nodeid, skip_reason(report)))


def pytest_collectreport(report) -> None:
    if report.skipped:  # a whole module skipped at import (pytest.skip(allow_module_level=True), importorskip)
        _skipped.append((report.nodeid, skip_reason(report)))


def _unlisted() -> list[tuple[str, str]]:
    allowed = load_allowed()
    return [(nodeid, reason) for nodeid, reason in _skipped if not is_allowed(nodeid, reason, allowed)]


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session) -> None:
    if in_ci() and _unlisted() and session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:
    if not in_ci():
        return
    unlisted = _unlisted()
    if unlisted:
        terminalreporter.section("skipped tests fail the run in CI", red=True)
        for nodeid, reason in unlisted:
            terminalreporter.write_line(f"{nodeid}: {reason}")
        terminalreporter.write_line(f"CI=true: {len(unlisted)} skipped test(s) not in tests/skips_allowed.txt. "
                                    "Make them run (start the service, build the model), or list a real limit "
                                    "of the environment there with why.")
