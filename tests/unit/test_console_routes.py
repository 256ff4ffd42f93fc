"""Every console route is guarded: a permission on each view, a login before any of them, roles as the policy says."""

from __future__ import annotations

import pytest

from assistant.db.audit import access_log
from assistant.staff_roles import PERMISSIONS
from tests.console_support import csrf, login, make_console

PUBLIC = {"static", "auth.login", "auth.totp", "auth.totp_setup", "auth.logout"}  # the way in and out


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    console = make_console(tmp_path_factory.mktemp("routes"))
    for role in ("coordinator", "clinician", "admin"):
        console.user(role, role)
    return console


def _routes(console):
    for rule in console.app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        values = {name: {"event_id": "1", "token_id": "1"}.get(name, "x") for name in rule.arguments}
        path = rule.build(values)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, path


def test_every_view_names_its_permission(console):
    views = console.app.view_functions
    unguarded = [name for name in views if name not in PUBLIC and not hasattr(views[name], "permission")]
    assert unguarded == []


def test_without_a_login_every_route_sends_to_the_login_page(console):
    client = console.client()
    token = csrf(client)
    for endpoint, method, path in _routes(console):
        response = client.open(path, method=method, data={"csrf_token": token})
        assert response.status_code == 302 and response.headers["Location"].endswith("/login"), (endpoint, method)


@pytest.mark.parametrize("role", ["coordinator", "clinician", "admin"])
def test_each_role_gets_exactly_its_permissions(console, role):
    client = console.client()
    login(client, role)
    token = csrf(client, "/account")
    views = console.app.view_functions
    for endpoint, method, path in _routes(console):
        permission = views[endpoint].permission
        before = len(access_log(console.database_url))
        response = client.open(path, method=method, data={"csrf_token": token})
        if role in PERMISSIONS[permission]:
            assert response.status_code != 403, (endpoint, method)
        else:
            assert response.status_code == 403, (endpoint, method)
            refused = access_log(console.database_url)[before:]
            assert [(r.who, r.action) for r in refused] == [(role, "forbidden")], (endpoint, method)
