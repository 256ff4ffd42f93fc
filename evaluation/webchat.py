"""The website chat in a real browser: Debian's chromium driven by Playwright (never a
downloaded browser). Used by tests/browser and by `make bench`.
"""

from __future__ import annotations

import gzip
import os
import statistics
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
PAGE_PATH = "/webhooks/webchat/"
BUNDLE_PATH = "/webhooks/webchat/chat.js"
FIRST_MESSAGE_MARK = "recovery-chat:first-message"  # set by web/src/chat.js when the first assistant message shows
# As root in a sandbox, without a GPU, and no calls to Google's services (the network is closed here).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        return f"{CHROMIUM} not found: install Debian's chromium (`make browser` does, as root)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (make install)"
    return None


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


def bundle_size(server_url: str) -> dict:
    """The widget as a browser downloads it: bytes as served plain and gzipped."""
    with urllib.request.urlopen(server_url + BUNDLE_PATH, timeout=10) as plain:
        body = plain.read()
    request = urllib.request.Request(server_url + BUNDLE_PATH, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as compressed:
        encoding, zipped = compressed.headers.get("Content-Encoding"), compressed.read()
    if encoding != "gzip" or gzip.decompress(zipped) != body:
        raise AssertionError(f"{BUNDLE_PATH} was not served gzipped (Content-Encoding: {encoding})")
    return {"bytes": len(body), "gzip_bytes": len(zipped)}


def first_message_ms(page) -> float:
    """Milliseconds from the start of the page's navigation to the first assistant message shown."""
    page.wait_for_function(f"() => performance.getEntriesByName({FIRST_MESSAGE_MARK!r}).length > 0", timeout=30_000)
    return page.evaluate(f"() => performance.getEntriesByName({FIRST_MESSAGE_MARK!r})[0].startTime")


def time_to_first_message(browser, server_url: str, runs: int = 5) -> dict:
    """A new visitor (connect, new session, greeting answered) and the same visitor
    reloading (connect, resume, history from the server); median and max of `runs`."""
    new, reloaded = [], []
    for _ in range(runs):
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(server_url + PAGE_PATH)
            new.append(first_message_ms(page))
            page.reload()
            reloaded.append(first_message_ms(page))
        finally:
            context.close()
    return {"runs": runs,
            "new_visitor_ms": {"median": round(statistics.median(new), 1), "max": round(max(new), 1)},
            "reload_with_history_ms": {"median": round(statistics.median(reloaded), 1), "max": round(max(reloaded), 1)}}


def measure(server_url: str) -> dict:
    """Bundle size and time to first message, for `make bench`."""
    missing = browser_missing()
    size = bundle_size(server_url)
    if missing:
        return {"bundle": size, "time_to_first_message": {"skipped": missing}}
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            return {"bundle": size, "time_to_first_message": time_to_first_message(browser, server_url)}
        finally:
            browser.close()
