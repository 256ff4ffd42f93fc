"""`make screenshots`: a PNG of every staff console page, at desk (1280x900) and phone (390x844) width.

Starts the console (`python -m console`) on throwaway SQLite databases filled with
demo data (assistant/demo_data.py) and drives Debian's chromium over it. The PNGs go
to reports/screens/ (not committed): <page>-desktop.png, <page>-phone.png.

    python -m scripts.screenshots [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from evaluation.console_server import ROOT, RunningConsole, demo_pages, seed_demo, sqlite_url, start_console
from evaluation.webchat import browser_missing, launch

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
OUT = ROOT / "reports" / "screens"


def log_in(page, console: RunningConsole, username: str, password: str) -> None:
    page.goto(console.url + "/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url("**/queue")


def shoot(page, out: Path, name: str, viewport: str) -> Path:
    path = out / f"{name}-{viewport}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def take_all(browser, console: RunningConsole, password: str, out: Path) -> list[Path]:
    saved = []
    for label, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport)
        try:
            page = context.new_page()
            page.goto(console.url + "/login")
            saved.append(shoot(page, out, "login", label))
            log_in(page, console, "demo-admin", password)
            for name, path, _ in demo_pages(console.records_url):
                page.goto(console.url + path)
                saved.append(shoot(page, out, name, label))
            page.get_by_role("button", name="Log out").click()
            log_in(page, console, "demo-coordinator", password)
            page.goto(console.url + "/admin/users")
            saved.append(shoot(page, out, "error-403", label))
        finally:
            context.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.screenshots", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the PNGs (default %(default)s)")
    args = parser.parse_args(argv)
    missing = browser_missing()
    if missing:
        print(f"screenshots: {missing}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="console-screens-") as work:
        folder = Path(work)
        password = seed_demo(sqlite_url(folder / "records.db"), sqlite_url(folder / "tracker.db"))
        console = start_console(folder)
        try:
            with sync_playwright() as playwright:
                browser = launch(playwright)
                try:
                    saved = take_all(browser, console, password, args.out)
                finally:
                    browser.close()
        finally:
            console.stop()
    print(f"{len(saved)} screenshots in {args.out} ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
