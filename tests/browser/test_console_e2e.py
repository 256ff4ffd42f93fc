"""From the website chat to the phone call: a person completes the pre-assessment in the widget (chromium,
a real Rasa and action server), and a coordinator, in a second browser on a console process reading the
same records and tracker databases, sees the request arrive, opens it, reads the transcript and records
what came of the call."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assistant.db.callbacks import get_callback
from assistant.db.staff import add_user
from evaluation.console_server import console_running, sqlite_url
from evaluation.intake_script import REFERENCE, USUAL_PATH, asked_question
from evaluation.webchat import PAGE_PATH
from tests.console_support import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.needs_model]
OPENING = "I want to start treatment"
SPEAKER = re.compile(r"^(Assistant|You): ")


def _settle(page, bots_before: int) -> None:
    """A new assistant message, then none other for half a second."""
    expect(page.locator(".msg.bot")).not_to_have_count(bots_before)
    count = -1
    while count != page.locator(".msg").count():
        count = page.locator(".msg").count()
        page.wait_for_timeout(500)


def _say(page, text: str) -> list[str]:
    """Sends `text`; the assistant's messages in reply, without the screen-reader "Assistant: "."""
    before = page.locator(".msg.bot").count()
    page.locator("#rc-input").fill(text)
    page.get_by_role("button", name="Send", exact=True).click()
    _settle(page, before)
    return [SPEAKER.sub("", text) for text in page.locator(".msg.bot").all_text_contents()[before:]]


def complete_pre_assessment(page) -> str:
    """Answers each question the chat asks with evaluation/intake_script.py's usual path; the request's reference."""
    replies = _say(page, OPENING)
    for _ in range(60):
        found = REFERENCE.search(" ".join(replies))
        if found:
            return found.group(1)
        question = asked_question([{"text": text} for text in replies])
        assert question in USUAL_PATH, f"no scripted answer; the chat said: {replies}"
        replies = _say(page, USUAL_PATH[question])
    raise AssertionError("the pre-assessment did not end with a reference")


def test_a_pre_assessment_in_the_chat_reaches_the_coordinator_who_calls(browser, assistant, tmp_path):
    records, tracker = sqlite_url(assistant.records_db), sqlite_url(assistant.tracker_db)
    add_user("carla", "coordinator", PASSWORD, url=records)
    with console_running(tmp_path, records_url=records, tracker_url=tracker) as console:
        visitor, staff = browser.new_context(), browser.new_context()
        try:
            for context in (visitor, staff):
                context.set_default_timeout(30_000)
            desk = staff.new_page()
            desk.goto(console.url + "/login")
            desk.get_by_label("Username").fill("carla")
            desk.get_by_label("Password").fill(PASSWORD)
            desk.get_by_role("button", name="Log in", exact=True).click()
            expect(desk).to_have_url(re.compile(r"/queue$"))

            chat = visitor.new_page()
            chat.goto(assistant.url + PAGE_PATH)
            expect(chat.locator(".replies button").first).to_be_visible()
            reference = complete_pre_assessment(chat)

            desk.reload()
            row = desk.locator(f"#queue tr[data-reference='{reference}']")
            expect(row).to_contain_text("Sam")
            row.get_by_role("link", name=reference).click()
            expect(desk.get_by_role("heading", level=1)).to_contain_text(f"Sam · {reference}")
            expect(desk.locator("section[aria-labelledby=contact-h]")).to_contain_text("(617) 555-0142")
            transcript = desk.locator(".transcript")
            expect(transcript.locator("li.person", has_text=OPENING)).to_have_count(1)
            expect(transcript.locator("li.assistant", has_text=reference)).to_have_count(1)  # the confirmation

            desk.get_by_role("button", name="I'm calling").click()
            expect(desk.get_by_text("You are calling")).to_be_visible()
            desk.get_by_label("What happened").select_option("reached")
            desk.get_by_label("Note (optional)").fill("Reached Sam; wants outpatient, Medicaid.")
            desk.get_by_role("button", name="Record outcome").click()
            expect(desk.get_by_role("status")).to_have_text("Recorded: Reached the person.")
        finally:
            visitor.close()
            staff.close()
    stored = get_callback(reference, url=records)
    assert stored is not None
    assert (stored.status, stored.attempts, stored.claimed_by) == ("contacted", 1, None)
