import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

import pytest  # noqa: E402 - after sys.path holds the project

from tests import markers  # noqa: E402
from tests.skip_policy import (  # noqa: E402, F401 - hooks: in CI a skip not on tests/skips_allowed.txt fails the run
    pytest_collectreport,
    pytest_runtest_logreport,
    pytest_sessionfinish,
    pytest_terminal_summary,
)


def pytest_addoption(parser):
    parser.addoption("--max-test-seconds", type=float, default=None,
                     help="fail a test whose call takes longer (make test-fast: mark it slow, or it belongs in e2e)")


def pytest_configure(config):
    markers.install_guard()  # the markers themselves are registered in pytest.ini


def pytest_collection_modifyitems(config, items):
    markers.mark_items(items)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    with markers.guard(item):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    violations = item.__dict__.pop("marker_violations", None)  # tests/markers.py: even if the code caught it
    if violations and not report.failed:
        report.outcome, report.longrepr = "failed", "\n".join(violations)
    budget = item.config.getoption("--max-test-seconds")
    if budget and call.when == "call" and report.passed and call.duration > budget:
        report.outcome = "failed"
        report.longrepr = (f"{item.nodeid} took {call.duration:.0f} s, over the {budget:.0f} s budget of "
                           "make test-fast: mark it `slow` (or needs_model/e2e) so the fast run leaves it out")


@pytest.fixture(params=["sqlite", "postgresql"])
def records_url(request, tmp_path):
    """A fresh records database, once on SQLite and once on PostgreSQL (marked `postgres`)."""
    from tests.intake_support import fresh_postgres_database

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'records.db'}"
        return
    # A database of its own: a shared one may hold another checkout's newer migrations.
    with fresh_postgres_database() as url:
        yield url
