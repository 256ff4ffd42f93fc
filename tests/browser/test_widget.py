"""The website chat as a visitor uses it: Debian's chromium (headless, driven by Playwright)
against a real Rasa server and action server, on the page `make run` serves."""

import json
import uuid

import pytest
from playwright.sync_api import expect

from evaluation.server import (
    create_database,
    drop_database,
    production_env,
    production_services_missing,
    start_assistant,
)
from evaluation.webchat import AXE, PAGE_PATH, bundle_size, time_to_first_message

CRISIS = "In crisis? Call or text 988. Emergency: 911."
EXIT_SITE = "https://weather.com/"
# The element that has focus, looking inside the widget's shadow root.
ACTIVE = """() => { let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  return a ? {tag: a.tagName, id: a.id, text: a.textContent, inReplies: !!a.closest('.replies')} : null; }"""
STORED = "() => Object.fromEntries(Object.entries(sessionStorage))"


def open_chat(context, assistant):
    page = context.new_page()
    page.goto(assistant.url + PAGE_PATH)
    expect(page.locator(".replies button").first).to_be_visible()  # the greeting's topic buttons
    return page


def settle(page, bots_before):
    """Waits for the reply: a new assistant message, then no other for half a second."""
    expect(page.locator(".msg.bot")).not_to_have_count(bots_before)
    count = -1
    while count != page.locator(".msg").count():
        count = page.locator(".msg").count()
        page.wait_for_timeout(500)


def ask(page, text):
    """Types a question, sends it with the button and waits for the reply."""
    before = page.locator(".msg.bot").count()
    page.locator("#rc-input").fill(text)
    page.get_by_role("button", name="Send").click()
    settle(page, before)


def tap(page, title):
    before = page.locator(".msg.bot").count()
    page.locator(".replies button", has_text=title).click()
    settle(page, before)


def messages(page):
    return page.locator(".msg").all_text_contents()


def test_ask_a_question_and_get_the_answer(context, assistant):
    page = open_chat(context, assistant)
    expect(page.locator(".msg.bot").first).to_contain_text("I'm the automated assistant")
    ask(page, "what is suboxone?")
    expect(page.locator(".msg.user").last).to_have_text("You: what is suboxone?")
    expect(page.locator(".msg.bot", has_text="Buprenorphine/naloxone")).to_have_count(1)
    # Screen readers hear the new answer from the live region.
    expect(page.locator("[aria-live=polite]")).to_contain_text("Buprenorphine/naloxone")


def test_a_quick_reply_button_sends_its_payload_and_shows_its_title(context, assistant):
    page = open_chat(context, assistant)
    before = page.locator(".msg.bot").count()
    page.locator(".replies button", has_text="Medications").click()
    expect(page.locator(".msg.user").last).to_have_text("You: Medications")
    expect(page.locator(".msg.bot")).not_to_have_count(before)
    expect(page.locator(".msg.bot").last).to_contain_text("buprenorphine")
    assert not [m for m in messages(page) if "/med_options" in m]  # the payload is never shown


def test_reload_shows_the_history_from_the_server(context, assistant):
    page = open_chat(context, assistant)
    tap(page, "Medications")
    ask(page, "what is naltrexone?")
    expect(page.locator(".replies button").first).to_be_visible()
    shown, buttons = messages(page), page.locator(".replies button").all_text_contents()
    stored = page.evaluate(STORED)

    page.reload()
    expect(page.locator(".msg")).to_have_count(len(shown))
    assert messages(page) == shown
    assert page.locator(".replies button").all_text_contents() == buttons
    assert sum("I'm the automated assistant" in m for m in messages(page)) == 1  # no second greeting
    expect(page.locator("[aria-live=polite]")).to_be_empty()  # the restored history is not read out again
    # The browser keeps the session id and its token, never the conversation.
    after = page.evaluate(STORED)
    (key, value), = after.items()
    assert json.loads(value).keys() == {"session_id", "token", "open"}
    assert json.loads(value)["session_id"] == json.loads(stored[key])["session_id"]
    ask(page, "what about side effects?")  # the follow-up still knows the medication
    expect(page.locator(".msg.bot").last).to_contain_text("Naltrexone")


def test_the_conversation_survives_a_lost_connection(context, assistant):
    page = open_chat(context, assistant)
    ask(page, "what is methadone?")
    context.set_offline(True)
    expect(page.locator(".status")).to_contain_text("Reconnecting")
    page.locator("#rc-input").fill("what are your hours")
    page.locator("#rc-input").press("Enter")  # typed while offline: sent once the session is back
    context.set_offline(False)
    expect(page.locator(".msg.bot", has_text="We're open")).to_have_count(1, timeout=45_000)
    expect(page.locator(".status")).to_be_empty()
    texts = messages(page)
    assert texts.count("You: what is methadone?") == 1 and texts.count("You: what are your hours") == 1


def test_keyboard_only(context, assistant):
    page = open_chat(context, assistant)
    for _ in range(20):  # Tab from the top of the page to the message field
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE)["id"] == "rc-input":
            break
    else:
        pytest.fail("Tab never reached the message field")
    page.keyboard.type("what is suboxone?")
    page.keyboard.press("Enter")
    expect(page.locator(".msg.bot", has_text="Buprenorphine/naloxone")).to_have_count(1)
    expect(page.locator(".replies button").first).to_be_visible()

    for _ in range(10):  # back from the field to a suggested reply
        page.keyboard.press("Shift+Tab")
        active = page.evaluate(ACTIVE)
        if active["inReplies"]:
            break
    else:
        pytest.fail("Shift+Tab never reached a suggested reply")
    page.keyboard.press("Enter")
    expect(page.locator(".msg.user").last).to_have_text(f"You: {active['text']}")
    assert page.evaluate(ACTIVE)["id"] == "rc-input"  # ready for the next question

    page.keyboard.press("Escape")  # minimizes; focus goes to the button that opens it again
    expect(page.locator(".panel")).to_be_hidden()
    assert page.evaluate(ACTIVE)["text"] == "Chat with us"
    page.keyboard.press("Enter")
    expect(page.locator(".panel")).to_be_visible()
    assert page.evaluate(ACTIVE)["id"] == "rc-input"


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", '<img src=x onerror="alert(1)"><b>bold</b>'])
def test_markup_in_a_message_is_shown_as_text(context, assistant, text):
    page = open_chat(context, assistant)
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    ask(page, text)
    expect(page.locator(".msg.user").last).to_have_text(f"You: {text}")
    page.reload()  # and from the server's history
    expect(page.locator(".msg.user").last).to_have_text(f"You: {text}")
    injected = page.evaluate("() => document.querySelector('#recovery-chat').shadowRoot"
                             ".querySelectorAll('.log script, .log img, .log b').length")
    assert injected == 0 and dialogs == []


def test_only_http_links_are_made_and_they_open_safely(context, assistant):
    page = open_chat(context, assistant)
    ask(page, "see https://example.org/help. or javascript:alert(1) or data:text/html,hi")
    message = page.locator(".msg.user").last
    links = message.locator("a")
    expect(links).to_have_count(1)
    assert links.get_attribute("href") == "https://example.org/help"
    assert links.get_attribute("rel") == "noopener noreferrer" and links.get_attribute("target") == "_blank"
    expect(message).to_have_text("You: see https://example.org/help. or javascript:alert(1) or data:text/html,hi")


def test_crisis_line_and_leave_quickly_are_always_visible(context, assistant):
    page = open_chat(context, assistant)
    panel = page.locator(".panel")
    expect(panel.locator(".crisis")).to_have_text(CRISIS)
    expect(panel.locator(".crisis")).to_be_in_viewport()
    expect(panel.get_by_role("button", name="Leave quickly")).to_be_in_viewport()
    for _ in range(6):  # a long conversation scrolls the log, not the crisis line
        ask(page, "what is naloxone?")
    expect(panel.locator(".crisis")).to_be_in_viewport()
    expect(panel.locator(".crisis a[href='tel:988']")).to_have_text("988")
    page.get_by_role("button", name="Minimize chat").click()
    bar = page.locator(".bar")
    expect(bar.locator(".crisis")).to_have_text(CRISIS)
    expect(bar.locator(".crisis")).to_be_in_viewport()
    expect(bar.get_by_role("button", name="Leave quickly")).to_be_in_viewport()
    page.reload()  # minimized stays minimized, the line stays
    expect(page.locator(".bar .crisis")).to_be_in_viewport()


def test_leave_quickly_replaces_the_page_and_forgets_the_session(context, assistant):
    context.route(EXIT_SITE + "**", lambda route: route.fulfill(body="<title>Weather</title>", content_type="text/html"))
    page = open_chat(context, assistant)
    ask(page, "what is buprenorphine?")
    page.locator(".panel").get_by_role("button", name="Leave quickly").click()
    page.wait_for_url(EXIT_SITE)
    page.go_back()  # the chat was replaced in the history: Back does not return to it
    assert page.url != assistant.url + PAGE_PATH
    page.goto(assistant.url + PAGE_PATH)
    expect(page.locator(".replies button").first).to_be_visible()
    assert not [m for m in messages(page) if "buprenorphine?" in m]  # a new conversation


def test_on_a_phone_screen(browser, assistant):
    context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    try:
        page = open_chat(context, assistant)
        box = page.locator(".panel").bounding_box()
        assert box == {"x": 0, "y": 0, "width": 360, "height": 640}  # the whole screen
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360  # no sideways scrolling
        expect(page.locator(".panel .crisis")).to_be_in_viewport()
        expect(page.locator("#rc-input")).to_be_in_viewport()
        page.locator(".replies button", has_text="Detox and withdrawal").tap()
        expect(page.locator(".msg.user").last).to_have_text("You: Detox and withdrawal")
        expect(page.locator(".typing")).to_have_count(0)
        for button in page.locator("button:visible").all():  # touch targets of at least 44 px
            assert button.bounding_box()["height"] >= 44
        assert page.locator("#rc-input").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16  # no zoom-in
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 360, "height": 640}],
                         ids=["desktop", "phone"])
def test_axe_finds_no_serious_or_critical_violation(browser, assistant, viewport):
    # axe is injected as a script, which the page's own policy rightly forbids.
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    try:
        page = open_chat(context, assistant)
        ask(page, "what is suboxone?")
        found = []
        page.add_script_tag(path=str(AXE))
        for state in ("open", "minimized"):
            if state == "minimized":
                page.get_by_role("button", name="Minimize chat").click()
            result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
            found += [(state, v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
                      for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert found == []
    finally:
        context.close()


def test_measure_bundle_size_and_time_to_first_message(browser, assistant, measured):
    size = bundle_size(assistant.url)
    timing = time_to_first_message(browser, assistant.url, runs=3)
    measured.update({"widget bundle (bytes, gzip)": f"{size['bytes']}, {size['gzip_bytes']}",
                     "first message, new visitor (ms, median of 3)": timing["new_visitor_ms"]["median"],
                     "history after reload (ms, median of 3)": timing["reload_with_history_ms"]["median"]})
    assert size["gzip_bytes"] < 30_000  # budget: socket.io-client is ~14 KB of it
    assert timing["new_visitor_ms"]["median"] < 5_000



@pytest.mark.needs_model
@pytest.mark.postgres
@pytest.mark.redis
def test_production_set_up_with_two_workers(browser, tmp_path):
    """endpoints.production.yml: PostgreSQL, Redis lock store, 2 Sanic workers. The widget uses
    WebSocket only, so each browser's connection and its replies stay in one worker."""
    missing = production_services_missing()
    if missing:
        pytest.skip(missing)
    database = f"assistant_webchat_{uuid.uuid4().hex[:8]}"
    create_database(database)
    running = start_assistant(tmp_path, production=production_env(database, workers=2))
    try:
        for _ in range(3):  # new browsers: spread over both workers
            context = browser.new_context()
            try:
                page = open_chat(context, running)
                ask(page, "what is suboxone?")
                expect(page.locator(".msg.bot", has_text="Buprenorphine/naloxone")).to_have_count(1)
                shown = messages(page)
                page.reload()
                expect(page.locator(".msg")).to_have_count(len(shown))
                assert messages(page) == shown
            finally:
                context.close()
    finally:
        running.stop()
        drop_database(database)
