"""The staff console as staff use it: Debian's chromium (Playwright) against a real `python -m console`
process on demo data (assistant/demo_data.py): login, the queue, a claim race, a request, a hostile
transcript, notes, outcomes, crisis review, role refusals, idle logoff, lockout, TOTP, the URGENT alert
and axe-core on every page at desktop and phone width."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from assistant.db.audit import access_log
from assistant.db.callbacks import get_callback, save_callback_request
from assistant.db.crises import record_crisis_event
from assistant.db.engine import open_session
from assistant.db.models import CallbackRequest, CrisisEvent
from assistant.db.staff import add_user, disable_user, set_totp_secret
from assistant.demo_data import DEMO_ACCOUNTS, XSS_CONVERSATION_ID
from assistant.intake.submission import Level
from evaluation.console_server import (
    RunningConsole,
    console_running,
    demo_pages,
    seed_demo,
    sqlite_url,
    start_console,
)
from evaluation.webchat import AXE
from tests.console_support import PASSWORD, Console
from tests.intake_support import make_submission

pytestmark = pytest.mark.browser

# One console for the module: the queue polls every second (the URGENT alert test), and the failed
# logins of the lockout and TOTP tests stay far below the per-address limit.
SHARED_ENV = {"CONSOLE_POLL_SECONDS": "1", "CONSOLE_LOGIN_ATTEMPTS_PER_ADDRESS": "200"}
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
LEVEL_RANK = {"URGENT": 0, "HIGH": 1, "ROUTINE": 2}
ACCOUNT = {role: name for name, role in DEMO_ACCOUNTS}  # demo-coordinator, demo-clinician, demo-admin
COORDINATOR, CLINICIAN, ADMIN = ACCOUNT["coordinator"], ACCOUNT["clinician"], ACCOUNT["admin"]
# What the demo's hostile conversation says (assistant/demo_data.py): markup that must stay text.
MARKUP = ("<script>alert(1)</script>", 'href="javascript:alert(1)"', "<img src=x onerror=alert(1)>")


@dataclass
class Demo:
    console: RunningConsole
    demo_password: str  # of demo-coordinator, demo-clinician, demo-admin
    tracker_path: Path

    @property
    def records(self) -> str:
        return self.console.records_url

    def account(self, name: str, role: str) -> str:
        add_user(name, role, PASSWORD, url=self.records)
        return name

    def password(self, name: str) -> str:
        return self.demo_password if name.startswith("demo-") else PASSWORD

    def request(self, level: Level, name: str, conversation_id: str) -> str:
        return save_callback_request(make_submission(level, name, conversation_id=conversation_id), [], url=self.records)

    def say(self, conversation_id: str, turns: list[tuple[str, str]]) -> None:
        start = datetime.now(timezone.utc) - timedelta(minutes=3)
        Console(None, self.records, self.tracker_path).say(conversation_id, turns, start)


@pytest.fixture(scope="module")
def demo(browser, tmp_path_factory):
    # `browser` first: without chromium the module skips before starting anything.
    work = tmp_path_factory.mktemp("console")
    password = seed_demo(sqlite_url(work / "records.db"), sqlite_url(work / "tracker.db"))
    console = start_console(work, env=SHARED_ENV)
    demo = Demo(console, password, work / "tracker.db")
    # Every state of an account on the admin page: with a second factor, disabled.
    set_totp_secret(demo.account("tia", "coordinator"), pyotp.random_base32(), url=demo.records)
    disable_user(demo.account("dora", "clinician"), url=demo.records)
    yield demo
    console.stop()


@pytest.fixture
def new_context(browser):
    """Browser contexts (each its own cookies: one person), closed after the test."""
    made = []

    def make(**options):
        context = browser.new_context(**options)
        context.set_default_timeout(20_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def log_in(page, console: RunningConsole, username: str, password: str):
    page.goto(console.url + "/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()


def signed_in(context, demo: Demo, username: str):
    page = context.new_page()
    log_in(page, demo.console, username, demo.password(username))
    expect(page).to_have_url(re.compile(r"/queue$"))
    return page


def watch_dialogs(page) -> list[str]:
    opened: list[str] = []

    def on_dialog(dialog):
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return opened


def reference_of(demo: Demo, conversation_id: str) -> str:
    with open_session(demo.records) as db:
        return db.scalars(select(CallbackRequest.reference).where(CallbackRequest.conversation_id == conversation_id)).one()


def test_log_in_and_the_queue_lists_urgent_first(demo, context):
    page = signed_in(context, demo, COORDINATOR)
    expect(page.get_by_role("heading", name="Call-back queue")).to_be_visible()
    expect(page.locator(".who")).to_have_text(f"{COORDINATOR} (coordinator)")
    levels = page.locator("#queue tbody tr .level").all_text_contents()
    assert levels and levels[0] == "URGENT"
    assert [LEVEL_RANK[level] for level in levels] == sorted(LEVEL_RANK[level] for level in levels)
    expect(page.locator("#queue .overdue-label").first).to_have_text("overdue")  # demo data has overdue ones


def test_two_coordinators_claim_at_the_same_moment_and_exactly_one_wins(demo, new_context):
    reference = demo.request("HIGH", "Riley", "browser-claim-race")
    pages = []
    for name in (demo.account("cora", "coordinator"), demo.account("cole", "coordinator")):
        page = signed_in(new_context(), demo, name)
        page.goto(f"{demo.console.url}/requests/{reference}")
        pages.append(page)
    # Both clicks at one wall-clock instant (both contexts share the browser's clock).
    at = pages[0].evaluate("() => Date.now()") + 800
    for page in pages:
        page.evaluate("at => setTimeout(() => document.getElementById('claim').click(), at - Date.now())", at)
    for page in pages:
        expect(page.locator("#claim")).to_have_count(0)
    stored = get_callback(reference, url=demo.records)
    assert stored is not None
    holder = stored.claimed_by
    assert holder in ("cora", "cole")
    winner, loser = pages if holder == "cora" else pages[::-1]
    expect(winner.get_by_text("You are calling")).to_be_visible()
    expect(loser.locator("#call-h + p")).to_contain_text(f"{holder} is calling")
    expect(loser.get_by_role("alert")).to_have_text(f"{holder} is already calling this person.")
    claims = sorted(row.detail for row in access_log(demo.records) if row.action == "claim" and row.reference == reference)
    assert claims == ["claimed", f"refused: {holder} is calling"]


def test_a_transcript_with_markup_is_shown_as_text(demo, context):
    page = signed_in(context, demo, ADMIN)
    dialogs = watch_dialogs(page)
    reference = reference_of(demo, XSS_CONVERSATION_ID)
    for path in (f"/requests/{reference}", f"/conversations/{XSS_CONVERSATION_ID}"):
        page.goto(demo.console.url + path)
        transcript = page.locator(".transcript")
        for text in MARKUP:
            expect(transcript.locator("li", has_text=text).first).to_be_visible()
        assert transcript.locator("script, img, a, iframe").count() == 0
        page.wait_for_timeout(300)  # an onerror handler would have fired by now
    assert dialogs == []


def test_open_a_request_add_a_note_and_record_an_outcome(demo, context):
    reference = demo.request("ROUTINE", "Morgan", "browser-note-outcome")
    page = signed_in(context, demo, COORDINATOR)
    dialogs = watch_dialogs(page)
    page.get_by_label("Search by reference, phone or first name").fill(reference)
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#queue tbody tr")).to_have_count(1)
    page.locator("#queue").get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Morgan · {reference}")
    for section in ("Contact and safety", "Why this level", "Screening scores", "Answers by ASAM dimension", "Transcript"):
        expect(page.get_by_role("heading", name=section)).to_be_visible()

    note = "Called 9:05, <b>no answer</b> <img src=x onerror=alert(1)>; try after 5"
    page.get_by_label("Add a note").fill(note)
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_role("status")).to_have_text("Note added.")
    expect(page.locator(".note")).to_have_text(note)
    assert dialogs == []

    assessment = (date.today() + timedelta(days=3)).isoformat()
    page.get_by_label("What happened").select_option("scheduled")
    page.get_by_label("Assessment date").fill(assessment)
    page.get_by_label("Note (optional)").fill("Booked with Dr. Reyes.")
    page.get_by_role("button", name="Record outcome").click()
    expect(page.get_by_role("status")).to_have_text("Recorded: Assessment scheduled.")
    expect(page.locator("p", has_text="Status:")).to_contain_text("Status: scheduled")
    history = page.locator("section[aria-labelledby=history-h] tbody tr").last
    expect(history).to_contain_text(f"Assessment scheduled ({assessment})")
    expect(history).to_contain_text(COORDINATOR)
    stored = get_callback(reference, url=demo.records)
    assert stored is not None and stored.status == "scheduled" and [n.note for n in stored.notes][-1] == "Booked with Dr. Reyes."


def test_a_clinician_marks_a_crisis_reviewed_with_a_note(demo, context):
    demo.say("browser-crisis-review", [("user", "i want to end it all"), ("bot", "Please call or text 988 now.")])
    event_id = record_crisis_event("browser-crisis-review", "suicide", "rule:test", url=demo.records)
    page = signed_in(context, demo, CLINICIAN)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Crisis review").click()
    row = page.locator("#crises tr", has=page.get_by_role("link", name=f"#{event_id}", exact=True))
    expect(row).to_contain_text("Not reviewed")
    row.get_by_role("link", name=f"#{event_id}").click()
    expect(page.locator(".transcript li.crisis")).to_contain_text("i want to end it all")
    note = "Read the transcript: 988 given at once. Called back, person safe."
    page.get_by_label("Review note").fill(note)
    page.get_by_role("button", name="Mark reviewed").click()
    expect(page.get_by_role("status")).to_have_text(f"Crisis event #{event_id} marked reviewed.")
    expect(page.locator(".review-note")).to_have_text(note)
    expect(page.get_by_text(f"Reviewed by {CLINICIAN}")).to_be_visible()
    with open_session(demo.records) as db:
        event = db.get(CrisisEvent, event_id)
        assert (event.reviewed_by, event.review_note) == (CLINICIAN, note)


REFUSED = ("/crises", "/crises/1", "/conversations", "/conversations/flagged", f"/conversations/{XSS_CONVERSATION_ID}",
           "/admin/users", "/admin/audit", "/admin/settings", "/admin/export.csv")


def test_a_coordinator_is_refused_clinician_and_admin_pages(demo, context):
    page = signed_in(context, demo, COORDINATOR)
    nav = page.get_by_role("navigation", name="Main")
    for hidden in ("Crisis review", "Conversations", "Admin"):
        expect(nav.get_by_role("link", name=hidden)).to_have_count(0)
    for path in REFUSED:
        response = page.goto(demo.console.url + path)
        assert response.status == 403, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
        last = access_log(demo.records)[-1]
        assert (last.who, last.action, last.detail) == (COORDINATOR, "forbidden", f"GET {path}")


def test_five_wrong_passwords_lock_the_account(demo, context):
    name = demo.account("lena", "coordinator")
    page = context.new_page()
    for _ in range(5):
        log_in(page, demo.console, name, "not the right password at all")
        expect(page.get_by_role("alert")).to_contain_text("That username and password did not work")
    log_in(page, demo.console, name, PASSWORD)  # the right one, but the account is locked now
    expect(page.get_by_role("alert")).to_contain_text("That username and password did not work")
    expect(page).to_have_url(re.compile(r"/login$"))
    assert page.goto(demo.console.url + "/queue").url.endswith("/login")
    assert [r.detail for r in access_log(demo.records) if r.who == name][-1] == "locked"


def test_set_up_a_second_factor_then_log_in_with_a_code(demo, context):
    name = demo.account("tess", "clinician")
    page = signed_in(context, demo, name)
    page.get_by_role("link", name="Account").click()
    page.get_by_role("link", name="Set up a second factor").click()
    secret = page.locator(".secret code").inner_text().strip()
    page.get_by_label("Then enter the 6-digit code it shows").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_text("On: you enter a code")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, demo.console, name, PASSWORD)
    expect(page).to_have_url(re.compile(r"/login/code$"))
    code = page.get_by_label("6-digit code from your authenticator app")
    code.fill("000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("That code did not work")
    # The set-up's code is spent (each code works once): the next one, as a phone shows it 30 s later.
    code.fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/queue$"))


def test_a_new_urgent_request_is_announced_on_the_open_queue(demo, context):
    page = signed_in(context, demo, COORDINATOR)
    alert = page.get_by_role("alert")
    expect(alert).to_have_count(0)  # hidden until something new arrives
    page.wait_for_timeout(1500)  # the page has polled at least once
    reference = demo.request("URGENT", "Avery", "browser-new-urgent")
    started = time.monotonic()
    expect(alert).to_contain_text(f"New URGENT request: {reference}", timeout=15_000)
    assert time.monotonic() - started < 15
    alert.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Avery · {reference}")


def test_idle_logoff_returns_the_open_page_to_the_login(browser, new_context, tmp_path):
    # A console of its own: a 5-second idle limit would log every other test off.
    with console_running(tmp_path, env={"CONSOLE_IDLE_SECONDS": "5", "CONSOLE_POLL_SECONDS": "1"}) as console:
        add_user("ida", "coordinator", PASSWORD, url=console.records_url)
        page = new_context().new_page()
        log_in(page, console, "ida", PASSWORD)
        expect(page).to_have_url(re.compile(r"/queue$"))
        # Nothing done: the queue's polling does not count, so the page itself lands on the login.
        expect(page.get_by_role("status")).to_contain_text("You were logged out", timeout=20_000)
        expect(page).to_have_url(re.compile(r"/login$"))
        assert "logoff-idle" in [row.action for row in access_log(console.records_url)]


def _axe(page) -> list[tuple]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_no_serious_or_critical_violation_on_any_page(demo, new_context, viewport):
    # axe is injected as a script, which the console's own policy rightly forbids.
    context = new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    found: list[tuple] = []
    too_wide: list[str] = []

    def check(path: str) -> None:
        found.extend((path, *violation) for violation in _axe(page))
        if page.evaluate("() => document.documentElement.scrollWidth") > viewport["width"]:
            too_wide.append(path)

    page.goto(demo.console.url + "/login")
    check("/login")
    log_in(page, demo.console, ADMIN, demo.demo_password)
    for _, path, status in demo_pages(demo.records):
        assert page.goto(demo.console.url + path).status == status, path
        check(path)
    page.get_by_role("button", name="Log out").click()
    log_in(page, demo.console, COORDINATOR, demo.demo_password)
    assert page.goto(demo.console.url + "/admin/users").status == 403
    check("403")
    assert found == []
    assert too_wide == []  # no sideways scrolling of the page itself
