"""The console's admin pages: staff accounts, the access log and its chain check, the CSV export, settings."""

from __future__ import annotations

import csv
import io
import re
import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pyotp
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from assistant.center import current_center
from assistant.db import staff_admin
from assistant.db.audit import Seen, access_log, record
from assistant.db.callbacks import save_callback_request
from assistant.db.console_settings import totp_required
from assistant.db.engine import engine_for
from assistant.db.staff import StaffAccount, get_user
from console.views.admin.settings_page import driver_name
from tests.console_support import PASSWORD, login, make_console, post
from tests.intake_support import fresh_postgres_database, make_submission

NEW_PASSWORD = "amber kettle sailing north"


@pytest.fixture
def console(tmp_path, records_url):
    console = make_console(tmp_path, records_url)
    console.user("ada", "admin")
    return console


@pytest.fixture
def admin(console):
    client = console.client()
    login(client, "ada")
    return client


def _rows(console, action: str | None = None) -> list:
    return [row for row in access_log(console.database_url) if action is None or row.action == action]


def _account(url: str, name: str) -> StaffAccount:
    account = get_user(name, url=url)
    assert account is not None
    return account


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _admin_routes(console) -> list[tuple[str, str]]:
    """Every admin route with each of its methods, from the app itself: a new route cannot be left out."""
    routes = []
    for rule in console.app.url_map.iter_rules():
        if rule.endpoint.startswith("admin."):
            path = re.sub(r"<[^>]+>", "ada", rule.rule)
            routes += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return routes


@pytest.mark.parametrize("role", ["coordinator", "clinician"])
def test_other_roles_are_refused_every_admin_route_and_each_refusal_is_audited(console, role):
    console.user("sam", role)
    client = console.client()
    login(client, "sam")
    routes = _admin_routes(console)
    assert len(routes) >= 11
    for method, path in routes:
        if method == "GET":
            response = client.get(path)
        else:
            response = post(client, path, {"role": "coordinator", "username": "ada", "password": NEW_PASSWORD,
                                           "password_again": NEW_PASSWORD, "require": "yes"})
        assert response.status_code == 403, (method, path)
    forbidden = [(row.who, row.detail) for row in _rows(console, "forbidden")]
    assert forbidden == [("sam", f"{method} {path}") for method, path in routes]
    ada = _account(console.database_url, "ada")
    assert (ada.role, ada.disabled) == ("admin", False)
    assert not totp_required(console.database_url)
    assert not _rows(console, "export") and not _rows(console, "user-password")


def test_admin_adds_an_account_and_a_weak_password_is_refused_clearly(console, admin):
    page = _page(admin, "/admin/users")
    assert "ada (you)" in page and '<th scope="col">Second factor</th>' in page
    weak = post(admin, "/admin/users/add", {"username": "Sam", "role": "coordinator", "password": "short",
                                            "password_again": "short"}, page="/admin/users")
    assert weak.status_code == 400
    assert "Too short: at least 12 characters." in weak.get_data(as_text=True)
    assert 'value="sam"' in weak.get_data(as_text=True)  # what was typed is kept, except the password
    differ = post(admin, "/admin/users/add", {"username": "sam", "role": "coordinator", "password": NEW_PASSWORD,
                                              "password_again": NEW_PASSWORD + "x"}, page="/admin/users")
    assert differ.status_code == 400 and "The two passwords differ" in differ.get_data(as_text=True)
    assert get_user("sam", url=console.database_url) is None

    added = post(admin, "/admin/users/add", {"username": "Sam", "role": "clinician", "password": NEW_PASSWORD,
                                             "password_again": NEW_PASSWORD}, page="/admin/users")
    assert added.status_code == 302
    assert "Account sam added as clinician." in _page(admin, "/admin/users")
    sam = _account(console.database_url, "sam")
    assert (sam.role, sam.disabled, sam.has_totp) == ("clinician", False, False)
    assert [(r.account, r.detail) for r in _rows(console, "user-add")] == [
        ("sam", "refused: too short: at least 12 characters"), ("sam", "refused: the two passwords differ: type the same "
                                                                       "one twice"), ("sam", "role clinician")]
    assert login(console.client(), "sam", NEW_PASSWORD).headers["Location"].endswith("/queue")
    assert not any(NEW_PASSWORD in (row.detail or "") for row in _rows(console))  # never a password in the log


def test_role_change_disable_and_enable_are_audited_and_a_disabled_user_is_logged_out(console, admin):
    console.user("sam", "coordinator")
    sam = console.client()
    login(sam, "sam")
    assert sam.get("/queue").status_code == 200

    assert post(admin, "/admin/users/sam/role", {"role": "clinician"}, page="/admin/users").status_code == 302
    assert _account(console.database_url, "sam").role == "clinician"
    assert [(r.who, r.account, r.detail) for r in _rows(console, "user-role")] == [
        ("ada", "sam", "coordinator -> clinician")]

    post(admin, "/admin/users/sam/disable", page="/admin/users")
    assert "sam is disabled and logged out." in _page(admin, "/admin/users")
    response = sam.get("/queue")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert login(console.client(), "sam").status_code == 401
    assert [(r.who, r.account) for r in _rows(console, "user-disable")] == [("ada", "sam")]

    post(admin, "/admin/users/sam/enable", page="/admin/users")
    assert [(r.who, r.account) for r in _rows(console, "user-enable")] == [("ada", "sam")]
    assert login(console.client(), "sam").status_code == 302


def test_admin_sets_a_password_and_the_account_s_sessions_end(console, admin):
    console.user("sam", "coordinator")
    sam = console.client()
    login(sam, "sam")
    response = post(admin, "/admin/users/password", {"username": "sam", "password": NEW_PASSWORD,
                                                     "password_again": NEW_PASSWORD}, page="/admin/users")
    assert response.status_code == 302
    assert sam.get("/queue").status_code == 302  # logged out
    assert login(console.client(), "sam", PASSWORD).status_code == 401
    assert login(console.client(), "sam", NEW_PASSWORD).status_code == 302
    assert [(r.account, r.detail) for r in _rows(console, "user-password")] == [("sam", "set by an admin")]


def test_an_admin_cannot_disable_or_demote_themself(console, admin):
    post(admin, "/admin/users/ada/disable", page="/admin/users")
    assert "You cannot disable your own account: ask another admin." in _page(admin, "/admin/users")
    post(admin, "/admin/users/ada/role", {"role": "coordinator"}, page="/admin/users")
    assert "You cannot remove the admin role from your own account" in _page(admin, "/admin/users")
    ada = _account(console.database_url, "ada")
    assert (ada.role, ada.disabled) == ("admin", False)
    refused = [(r.action, r.account, r.detail[:8]) for r in _rows(console) if r.action in ("user-disable", "user-role")]
    assert refused == [("user-disable", "ada", "refused:"), ("user-role", "ada", "refused:")]


def test_the_last_enabled_admin_is_kept_whoever_asks(console):
    console.user("bea", "admin")
    staff_admin.disable("ada", "bea", address="test", url=console.database_url)
    with pytest.raises(staff_admin.LastAdmin, match="ada is the last enabled admin"):
        staff_admin.disable("intake-cli", "ada", address="test", url=console.database_url)
    with pytest.raises(staff_admin.LastAdmin, match="last enabled admin"):
        staff_admin.change_role("intake-cli", "ada", "clinician", address="test", url=console.database_url)
    staff_admin.change_role("ada", "bea", "coordinator", address="test", url=console.database_url)  # disabled: no matter


@pytest.mark.postgres
def test_two_admins_demoting_each_other_at_once_leave_one_admin(tmp_path):
    with fresh_postgres_database() as url:
        console = make_console(tmp_path, url)
        console.user("ada", "admin")
        console.user("bea", "admin")
        # Hold the lock change_role takes, as a demotion of bea by ada still in progress would.
        with engine_for(url).connect() as first:
            first.execute(text("UPDATE staff_users SET role = 'coordinator' WHERE username = 'bea'"))
            outcome: list[object] = []
            second = threading.Thread(target=lambda: outcome.append(_try(
                lambda: staff_admin.change_role("bea", "ada", "coordinator", address="test", url=url))))
            second.start()
            time.sleep(0.5)  # the second is waiting for the lock now
            first.commit()
            second.join(10)
        assert isinstance(outcome[0], staff_admin.LastAdmin)
        assert _account(url, "ada").role == "admin"


def _try(call):
    try:
        return call()
    except Exception as exc:  # noqa: BLE001  (the test looks at what it was)
        return exc


def test_the_access_log_filters_pages_and_is_itself_audited(console, admin):
    record("jo", "request", [Seen(reference=f"CB-{i:06d}") for i in range(150)], address="10.0.0.7", url=console.database_url)
    record("kim", "request", [Seen(reference="CB-KKKKKK", conversation_id="conv-kim")], address="10.0.0.8",
           url=console.database_url)
    record("jo", "note", [Seen(reference="CB-KKKKKK")], url=console.database_url)

    page = _page(admin, "/admin/audit")
    assert page.count("<tr>") - 1 == 100 and "Page 1 of 2" in page
    actions = re.findall(r'<td data-label="Action">([^<]+)</td>', page)
    assert actions[:2] == ["note", "request"]  # newest first
    assert "Page 2 of 2" in _page(admin, "/admin/audit?page=2")
    assert re.findall(r'<td data-label="Action">([^<]+)</td>', _page(admin, "/admin/audit"))[:2] == ["audit", "audit"]

    filtered = _page(admin, "/admin/audit?who=Kim&action=request")
    assert filtered.count("<tr>") - 1 == 1 and "conv-kim" in filtered and "10.0.0.8" in filtered
    by_reference = _page(admin, "/admin/audit?reference=kkkkkk")  # as staff type it
    assert by_reference.count("<tr>") - 1 == 2
    today = datetime.now(ZoneInfo(current_center().timezone)).date().isoformat()  # days in the center's zone
    assert "151 rows" in _page(admin, f"/admin/audit?who=jo&from={today}&to={today}")
    assert "No rows match." in _page(admin, "/admin/audit?to=2000-01-01")
    details = [row.detail for row in _rows(console, "audit")]
    assert details[0] == "page 1" and "page 1; who=Kim action=request" in details


def test_the_verify_button_reports_ok_then_a_changed_row(console, admin):
    response = post(admin, "/admin/audit/verify", page="/admin/audit")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/audit")
    page = _page(admin, "/admin/audit")
    assert "Chain OK:" in page and "no problems" in page
    assert "Chain OK" not in _page(admin, "/admin/audit")  # shown once, not at every reload

    with engine_for(console.database_url).begin() as db:
        db.execute(text("UPDATE access_log SET detail = 'nothing to see' WHERE id = 2"))
    post(admin, "/admin/audit/verify", page="/admin/audit")
    page = _page(admin, "/admin/audit")
    assert "1 problem</strong>" in page and "Row 2: changed" in page
    assert [row.detail.split(",")[1] for row in _rows(console, "audit-verify")] == [" 0 problems", " 1 problems"]


def test_the_csv_export_neutralizes_formulas_and_keeps_phone_numbers(console, admin):
    names = ['=HYPERLINK("http://x.example","click")', "+1+1", "@SUM(A1)", "-2", "Dana"]
    references = [save_callback_request(make_submission("ROUTINE", name, phone_e164="+17025550123"), [],
                                        url=console.database_url) for name in names]
    response = admin.get("/admin/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="callbacks-all-')
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["first_name"] for row in rows] == ["'" + name for name in names[:4]] + ["Dana"]
    assert {row["phone_e164"] for row in rows} == {"+17025550123"}
    assert [(r.reference, r.detail) for r in _rows(console, "export")] == [(ref, "csv, status any") for ref in references]

    assert admin.get("/admin/export.csv?status=closed").get_data(as_text=True).count("\n") == 1  # the header only
    assert admin.get("/admin/export.csv?status=nonsense").status_code == 400


def test_the_settings_page_names_database_kinds_never_their_addresses(console, admin, tmp_path):
    page = _page(admin, "/admin/settings")
    center = current_center()
    assert center.timezone in page and center.hours in page and "Automatic logoff after idle" in page
    assert f"<td>{make_url(console.database_url).drivername}</td>" in page
    assert console.database_url not in page and str(tmp_path) not in page
    assert driver_name("postgresql+psycopg2://intake:s3cret@db.internal/records") == "postgresql+psycopg2"
    assert [row.detail for row in _rows(console, "settings")] == ["settings page"]


def test_requiring_a_second_factor_sends_an_account_without_one_to_set_it_up(console, admin):
    console.user("sam", "coordinator")
    assert post(admin, "/admin/users/second-factor", {"require": "yes"}, page="/admin/users").status_code == 302
    assert totp_required(console.database_url)
    assert [(r.who, r.detail) for r in _rows(console, "setting")] == [("ada", "require_totp=yes")]

    client = console.client()
    response = login(client, "sam")
    assert response.headers["Location"].endswith("/login/code/setup")
    assert client.get("/queue").headers["Location"].endswith("/login")  # not in before the set-up is done
    setup = _page(client, "/login/code/setup")
    shown = re.search(r'<p class="secret"[^>]*><code>([A-Z2-7]+)</code>', setup)
    assert shown, "no setup key on the page"
    secret = shown.group(1)
    done = post(client, "/login/code/setup", {"code": pyotp.TOTP(secret).now()}, page="/login/code/setup")
    assert done.headers["Location"].endswith("/queue")
    assert client.get("/queue").status_code == 200
    assert _account(console.database_url, "sam").has_totp
    assert re.search(r'>sam</th>.*?<td data-label="Second factor">on</td>', _page(admin, "/admin/users"), re.S)
