"""The account page: your password, your personal tokens for `intake`; and an admin removing a lost second factor."""

from __future__ import annotations

import re

import pyotp

from assistant.db.audit import access_log
from assistant.db.staff import get_user, set_totp_secret
from assistant.db.tokens import resolve_token
from tests.console_support import PASSWORD, login, make_console, post

NEW_PASSWORD = "violet kettle marching 42"


def test_a_password_change_needs_the_current_one_and_the_policy(tmp_path):
    console = make_console(tmp_path)
    console.user("cora", "coordinator")
    client = console.client()
    login(client, "cora")
    wrong = post(client, "/account/password", {"current": "not it at all", "password": NEW_PASSWORD,
                                               "password_again": NEW_PASSWORD}, page="/account")
    assert wrong.status_code == 400 and "current password was not right" in wrong.get_data(as_text=True)
    weak = post(client, "/account/password", {"current": PASSWORD, "password": "short", "password_again": "short"},
                page="/account")
    assert weak.status_code == 400
    done = post(client, "/account/password", {"current": PASSWORD, "password": NEW_PASSWORD,
                                              "password_again": NEW_PASSWORD}, page="/account")
    assert done.status_code == 302
    assert login(console.client(), "cora").status_code == 401
    assert login(console.client(), "cora", NEW_PASSWORD).status_code == 302
    assert [r.detail for r in access_log(console.database_url) if r.action == "user-password"] == [
        "refused: current password wrong", "changed by the account itself"]


def test_a_personal_token_is_shown_once_and_can_be_revoked(tmp_path):
    console = make_console(tmp_path)
    console.user("cora", "coordinator")
    client = console.client()
    login(client, "cora")
    post(client, "/account/tokens", {"label": "work laptop"}, page="/account")
    page = client.get("/account").get_data(as_text=True)
    shown = re.search(r'<code class="wrap" id="new-token">([^<]+)</code>', page)
    assert shown is not None
    token = shown.group(1)
    account = resolve_token(token, url=console.database_url)
    assert account is not None and account.username == "cora"
    assert token not in client.get("/account").get_data(as_text=True)  # once only
    revoke = re.search(r"/account/tokens/(\d+)/revoke", page)
    assert revoke is not None
    token_id = revoke.group(1)
    post(client, f"/account/tokens/{token_id}/revoke", page="/account")
    assert resolve_token(token, url=console.database_url) is None
    assert [r.action for r in access_log(console.database_url)].count("token-create") == 1


def test_an_admin_removes_a_lost_second_factor(tmp_path):
    console = make_console(tmp_path)
    console.user("ada", "admin")
    console.user("cora", "coordinator")
    set_totp_secret("cora", pyotp.random_base32(), url=console.database_url)
    client = console.client()
    login(client, "ada")
    response = post(client, "/admin/users/cora/second-factor/remove", page="/admin/users")
    assert response.status_code == 302
    account = get_user("cora", url=console.database_url)
    assert account is not None and not account.has_totp
    assert access_log(console.database_url)[-1].action == "totp-reset"
    coordinator = console.client()
    login(coordinator, "cora")
    assert post(coordinator, "/admin/users/ada/second-factor/remove", page="/queue").status_code == 403
