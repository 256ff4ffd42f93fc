"""A real assistant (action server + Rasa) and Debian's chromium driven by Playwright."""

import pytest

from channels.webchat import BUNDLE
from evaluation.server import MODEL, start_assistant
from evaluation.webchat import browser_missing, launch


@pytest.fixture(scope="session")
def browser():
    missing = browser_missing()
    if missing:
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        running = launch(playwright)
        yield running
        running.close()


@pytest.fixture(scope="session")
def assistant(browser, tmp_path_factory):
    if not MODEL.exists():
        pytest.skip("no trained model: run `make train`")
    if not BUNDLE.exists():
        pytest.fail(f"{BUNDLE} is missing: run `make web`")
    running = start_assistant(tmp_path_factory.mktemp("assistant"))
    yield running
    running.stop()


@pytest.fixture
def context(browser):
    context = browser.new_context()
    context.set_default_timeout(30_000)
    yield context
    context.close()


MEASURED: dict = {}


@pytest.fixture
def measured():
    """Measurements printed at the end of the run."""
    return MEASURED


def pytest_terminal_summary(terminalreporter):
    if MEASURED:
        terminalreporter.section("website chat measurements")
        for name, value in MEASURED.items():
            terminalreporter.write_line(f"{name}: {value}")
