"""Regression tests from a security review of the staff console: each failed before its fix.

The second factor cannot be replaced with the password alone, nor guessed across many logins; the CSRF token
changes with the session id at login; a password change ends the account's other sessions; query strings cannot
reach url_for's own keywords in page links; the last day there is works as a filter's end; an idle logoff is
audited even when the request that finds it is a form post.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pyotp
import pytest
from sqlalchemy import update

from assistant.db import audit
from assistant.db.audit import access_log
from assistant.db.engine import open_session
from assistant.db.models import StaffSession, utc_now
from assistant.db.staff import set_totp_secret, use_totp_code
from tests.console_support import PASSWORD, TOKEN, csrf, login, make_console, post

NEW_PASSWORD = "violet kettle marching 42"


@pytest.fixture
def console(tmp_path):
    console = make_console(tmp_path)
    console.user("cora", "coordinator")
    return console


def _wrong(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"  # never one the window accepts (those are 30 s apart)


def test_the_password_alone_cannot_replace_the_second_factor(console):
    secret = pyotp.random_base32()
    set_totp_secret("cora", secret, url=console.database_url)
    client = console.client()
    assert login(client, "cora").headers["Location"].endswith("/login/code")
    # An attacker who has only the password goes to the set-up page instead of giving a code.
    page = client.get("/login/code/setup")
    assert page.status_code == 302 and page.headers["Location"].endswith("/login/code")
    shown = re.search(r"<code>([A-Z2-7]+)</code>", page.get_data(as_text=True))
    theirs = shown.group(1) if shown else pyotp.random_base32()
    token = TOKEN.search(client.get("/login/code").get_data(as_text=True))
    assert token is not None
    client.post("/login/code/setup", data={"code": pyotp.TOTP(theirs).now(), "csrf_token": token.group(1)})
    assert client.get("/queue").status_code == 302  # not logged in
    # and the factor is still the owner's
    assert use_totp_code("cora", pyotp.TOTP(secret).now(), url=console.database_url)
    assert "totp-setup" not in [row.action for row in access_log(console.database_url)]


def test_wrong_codes_are_limited_per_account_whatever_the_session_or_address(console):
    secret = pyotp.random_base32()
    set_totp_secret("cora", secret, url=console.database_url)
    totp = pyotp.TOTP(secret)
    for round_ in range(2):  # each login gives 5 tries; the address changes so its own limit never applies
        client = console.client()
        assert login(client, "cora", address=f"198.51.100.{round_ + 1}").status_code == 302
        token = csrf(client, "/login/code")
        for _ in range(5):
            client.post("/login/code", data={"code": _wrong(totp.now()), "csrf_token": token})
    client = console.client()
    assert login(client, "cora", address="198.51.100.9").status_code == 302
    token = csrf(client, "/login/code")
    refused = client.post("/login/code", data={"code": totp.now(), "csrf_token": token})
    assert refused.status_code == 429 and "Too many wrong codes" in refused.get_data(as_text=True)
    assert client.get("/queue").status_code == 302
    assert [row.action for row in access_log(console.database_url)].count("totp-failed") == 10


def test_the_csrf_token_known_before_the_login_is_dead_after_it(console):
    client = console.client()
    before = csrf(client)  # e.g. from a session id planted in the browser before its owner logs in
    client.post("/login", data={"username": "cora", "password": PASSWORD, "csrf_token": before})
    assert client.get("/queue").status_code == 200
    assert client.post("/queue/search", data={"q": "x", "csrf_token": before}).status_code == 400
    assert post(client, "/queue/search", {"q": "x"}).status_code == 302  # the page's new token works


def test_the_csrf_token_changes_at_the_second_factor_too(console):
    secret = pyotp.random_base32()
    set_totp_secret("cora", secret, url=console.database_url)
    client = console.client()
    login(client, "cora")
    halfway = csrf(client, "/login/code")
    assert client.post("/login/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": halfway}).status_code == 302
    assert client.post("/queue/search", data={"q": "x", "csrf_token": halfway}).status_code == 400


def test_changing_your_password_ends_your_other_sessions(console):
    yours, stolen = console.client(), console.client()
    login(yours, "cora")
    login(stolen, "cora", address="203.0.113.7")
    done = post(yours, "/account/password", {"current": PASSWORD, "password": NEW_PASSWORD,
                                             "password_again": NEW_PASSWORD}, page="/account")
    assert done.status_code == 302
    assert stolen.get("/queue").status_code == 302  # out
    account = yours.get("/account")  # the one that changed it goes on, under a new id
    assert account.status_code == 200 and "Your password is changed." in account.get_data(as_text=True)


def _audit_rows(console, count: int) -> None:
    for _ in range(count):
        audit.record("ada", "audit", address="127.0.0.1", url=console.database_url)


@pytest.mark.parametrize("query", ["_external=1", "endpoint=x", "_anchor=x", "_method=POST",
                                   "_external=1&_scheme=javascript"])
def test_page_links_take_no_url_for_keywords_from_the_query(tmp_path, query):
    console = make_console(tmp_path)
    console.user("ada", "admin")
    _audit_rows(console, 120)  # more than one page of the access log
    client = console.client()
    login(client, "ada")
    response = client.get(f"/admin/audit?{query}")
    assert response.status_code == 200
    links = re.findall(r'href="([^"]*page=2[^"]*)"', response.get_data(as_text=True))
    assert links and all(link.startswith("/admin/audit?") for link in links), links


def test_the_last_day_there_is_ends_a_filter(tmp_path):
    console = make_console(tmp_path)
    console.user("ada", "admin")
    console.say("web:one", [("user", "hello"), ("bot", "hi")], datetime(2025, 1, 2, 12, tzinfo=timezone.utc))
    client = console.client()
    login(client, "ada")
    assert client.get("/queue?to=9999-12-31").status_code == 200
    response = client.get("/conversations?to=9999-12-31")
    assert response.status_code == 200 and "web:one" in response.get_data(as_text=True)


def test_an_idle_logoff_is_audited_when_the_next_request_is_a_form_post(console):
    client = console.client()
    login(client, "cora")
    token = csrf(client, "/queue")
    with open_session(console.database_url) as db, db.begin():
        db.execute(update(StaffSession).values(last_seen_at=utc_now() - timedelta(minutes=16)))
    assert client.post("/queue/search", data={"q": "x", "csrf_token": token}).status_code == 400  # form expired
    assert [(row.who, row.action) for row in access_log(console.database_url)][-1] == ("cora", "logoff-idle")


@pytest.fixture
def on_both(tmp_path, records_url):
    """SQLite and PostgreSQL: PostgreSQL refuses a NUL in text, and a VARCHAR(255) a longer value."""
    console = make_console(tmp_path, records_url)
    console.user("ada", "admin")
    return console


def test_a_nul_character_is_refused_before_it_reaches_the_database(on_both):
    client = on_both.client()
    login(client, "ada")
    token = csrf(client, "/account")
    assert client.post("/queue/search", data={"q": "ab\x00c", "csrf_token": token}).status_code == 400
    assert client.get("/queue").status_code == 200  # the search was not kept: the queue still works
    assert client.get("/conversations/web:a%00b").status_code == 400
    assert client.get("/admin/audit?who=a%00").status_code == 400
    assert client.get("/requests/AB%00CD").status_code == 400
    assert client.post("/account/tokens", data={"label": "a\x00b", "csrf_token": token}).status_code == 400
    anonymous = on_both.client()
    refused = anonymous.post("/login", data={"username": "ada\x00", "password": "x", "csrf_token": csrf(anonymous)})
    assert refused.status_code == 400


def test_a_conversation_id_longer_than_any_is_not_found(on_both):
    client = on_both.client()
    login(client, "ada")
    assert client.get("/conversations/" + "a" * 256).status_code == 404
    assert client.get("/conversations/" + "a" * 255).status_code == 200


def test_an_id_past_the_largest_integer_is_not_found(on_both):
    client = on_both.client()
    login(client, "ada")
    assert client.get("/crises/99999999999999999999999").status_code == 404
    assert post(client, "/account/tokens/99999999999999999999999/revoke", page="/account").status_code == 404
