"""The console's login, sessions, CSRF and headers, through Flask's test client on a real records database."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select, update

from assistant.db.audit import access_log
from assistant.db.engine import open_session
from assistant.db.models import StaffSession, utc_now
from assistant.db.staff import set_totp_secret
from tests.console_support import PASSWORD, csrf, login, make_console, post


@pytest.fixture
def console(tmp_path, records_url):
    console = make_console(tmp_path, records_url)
    console.user("cora", "coordinator")
    return console


def _cookie(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(("console_session=", "__Host-console=")))


def test_every_page_needs_a_login(console):
    client = console.client()
    for path in ("/", "/queue", "/requests/CB-AAAAAA", "/account"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/login"), path


def test_login_gives_a_new_session_id_with_safe_cookie_flags(console):
    client = console.client()
    client.get("/login")
    before = client.get_cookie("console_session").value
    response = login(client, "Cora")  # user names are not case-sensitive
    assert response.status_code == 302 and response.headers["Location"].endswith("/queue")
    after = client.get_cookie("console_session").value
    assert after != before
    cookie = _cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    with open_session(console.database_url) as db:  # the old id is gone from the server, not only the browser
        assert len(list(db.scalars(select(StaffSession.id_hash)))) == 1
    assert client.get("/queue").status_code == 200
    assert [row.action for row in access_log(console.database_url)][-2:] == ["login", "queue"]


def test_behind_https_the_cookie_is_secure_and_host_only(tmp_path):
    console = make_console(tmp_path, behind_proxy=True)
    console.user("cora", "coordinator")
    client = console.client()
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    page = client.get("/login", headers=https)
    token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/login", data={"username": "cora", "password": PASSWORD, "csrf_token": token},
                           headers={**https, "Referer": "https://localhost/login"})
    cookie = _cookie(response)
    assert cookie.startswith("__Host-console=") and "Secure" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert access_log(console.database_url)[-1].address == "203.0.113.9"


def test_unknown_user_and_wrong_password_get_the_same_answer(console):
    unknown = login(console.client(), "nobody")
    wrong = login(console.client(), "cora", "not the password at all")
    assert unknown.status_code == wrong.status_code == 401
    strip = lambda r: r.get_data(as_text=True).split('name="csrf_token"')[0]  # noqa: E731 - the token differs
    assert strip(unknown) == strip(wrong)
    assert [(r.who, r.action) for r in access_log(console.database_url)] == [
        ("(unknown user)", "login-failed"), ("cora", "login-failed")]


def test_five_failures_lock_the_account_for_fifteen_minutes(console):
    client = console.client()
    for _ in range(5):
        assert login(client, "cora", "wrong password here").status_code == 401
    assert login(client, "cora").status_code == 401  # the right password, but locked
    assert access_log(console.database_url)[-1].action == "login-locked"
    from assistant.db.models import StaffUser

    with open_session(console.database_url) as db, db.begin():  # 15 minutes later
        db.execute(update(StaffUser).values(locked_until=utc_now() - timedelta(seconds=1)))
    assert login(client, "cora").status_code == 302


def test_failed_logins_from_one_address_are_limited(tmp_path):
    console = make_console(tmp_path, login_attempts_per_address=3)
    console.user("cora", "coordinator")
    for name in ("a1", "a2", "a3"):
        assert login(console.client(), name, address="198.51.100.7").status_code == 401
    assert login(console.client(), "cora", address="198.51.100.7").status_code == 429  # even the right password waits
    assert login(console.client(), "cora", address="198.51.100.8").status_code == 302  # another address is not held up


def test_a_post_without_the_csrf_token_is_refused(console):
    client = console.client()
    login(client, "cora")
    assert client.post("/logout").status_code == 400
    assert client.post("/queue/search", data={"q": "x"}).status_code == 400
    assert client.post("/login", data={"username": "cora", "password": PASSWORD}).status_code == 400


def test_logout_ends_the_session_on_the_server(console):
    client = console.client()
    login(client, "cora")
    assert post(client, "/logout").status_code == 302
    assert client.get("/queue").status_code == 302
    with open_session(console.database_url) as db:
        assert list(db.scalars(select(StaffSession.username).where(StaffSession.username.isnot(None)))) == []


def _age_sessions(console, idle: timedelta = timedelta(0), created: timedelta = timedelta(0)) -> None:
    with open_session(console.database_url) as db, db.begin():
        db.execute(update(StaffSession).values(last_seen_at=utc_now() - idle, created_at=utc_now() - created))


def test_idle_sessions_log_off_and_polling_does_not_keep_them_open(console):
    client = console.client()
    login(client, "cora")
    _age_sessions(console, idle=timedelta(minutes=14))
    assert client.get("/queue/updates?after=0", headers={"X-Console-Poll": "1"}).status_code == 200
    _age_sessions(console, idle=timedelta(minutes=15, seconds=5))
    response = client.get("/queue")
    assert response.status_code == 302
    page = client.get("/login").get_data(as_text=True)
    assert "logged out after 15 minutes without activity" in page
    assert access_log(console.database_url)[-1].action == "logoff-idle"


def test_a_session_lasts_at_most_twelve_hours(console):
    client = console.client()
    login(client, "cora")
    _age_sessions(console, created=timedelta(hours=12, minutes=1))
    assert client.get("/queue").status_code == 302


def test_totp_is_asked_after_the_password(console):
    secret = pyotp.random_base32()
    set_totp_secret("cora", secret, url=console.database_url)
    client = console.client()
    response = login(client, "cora")
    assert response.headers["Location"].endswith("/login/code")
    assert client.get("/queue").status_code == 302  # the password alone is not a login
    token = csrf(client, "/login/code")
    assert client.post("/login/code", data={"code": "000000", "csrf_token": token}).status_code == 401
    response = client.post("/login/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token})
    assert response.status_code == 302 and client.get("/queue").status_code == 200


def test_every_response_carries_the_security_headers(console):
    response = console.client().get("/login")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_totp_code_works_once(console):
    secret = pyotp.random_base32()
    set_totp_secret("cora", secret, url=console.database_url)
    code = pyotp.TOTP(secret).now()
    first = console.client()
    login(first, "cora")
    assert first.post("/login/code", data={"code": code, "csrf_token": csrf(first, "/login/code")}).status_code == 302
    replay = console.client()  # someone who saw the code over a shoulder, with the password
    login(replay, "cora")
    assert replay.post("/login/code", data={"code": code, "csrf_token": csrf(replay, "/login/code")}).status_code == 401


def test_stale_session_rows_are_purged(console):
    from console import app as console_app

    login(console.client(), "cora")
    _age_sessions(console, idle=timedelta(hours=2))
    console_app._last_purge[0] = utc_now() - timedelta(hours=1)  # as if the last purge was long ago
    console.client().get("/login")
    with open_session(console.database_url) as db:
        assert list(db.scalars(select(StaffSession.username).where(StaffSession.username.isnot(None)))) == []
