"""Personal tokens (assistant/db/tokens.py) and the role policy the console and `intake` share (assistant/staff_roles.py)."""

import argparse
import hashlib

import pytest
import sqlalchemy

from assistant import staff_roles
from assistant.db import staff, tokens
from assistant.db.engine import engine_for
from assistant.db.models import STAFF_ROLES, StaffToken
from assistant.intake import cli, staff_access

PASSWORD = "correct horse battery staple"


@pytest.fixture
def url(records_url):
    staff.add_user("sam", "coordinator", PASSWORD, url=records_url)
    return records_url


def _stored(url):
    with engine_for(url).connect() as connection:
        return connection.execute(sqlalchemy.select(StaffToken.__table__)).all()


def test_a_token_is_shown_once_and_stored_only_as_its_sha256(url):
    token = tokens.create_token("Sam", "  work   laptop ", url=url)
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    [row] = _stored(url)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(row) and (row.username, row.label) == ("sam", "work laptop")
    [listed] = tokens.list_tokens("sam", url=url)
    assert (listed.id, listed.label, listed.last_used_at, listed.revoked_at) == (row.id, "work laptop", None, None)
    assert row.token_hash not in repr(listed)
    assert tokens.create_token("sam", "phone", url=url) != token


def test_resolve_gives_the_account_and_notes_the_use(url):
    token = tokens.create_token("sam", "laptop", url=url)
    account = tokens.resolve_token(token, url=url)
    assert account is not None and (account.username, account.role) == ("sam", "coordinator")
    assert tokens.list_tokens("sam", url=url)[0].last_used_at is not None


@pytest.mark.parametrize("token", ["", "not-a-token", "x" * 5000])
def test_an_unknown_token_resolves_to_nobody(url, token):
    tokens.create_token("sam", "laptop", url=url)
    assert tokens.resolve_token(token, url=url) is None


def test_a_revoked_token_or_a_disabled_account_resolves_to_nobody(url):
    kept, revoked = tokens.create_token("sam", "laptop", url=url), tokens.create_token("sam", "old phone", url=url)
    revoked_id = tokens.list_tokens("sam", url=url)[1].id
    first = tokens.revoke_token("sam", revoked_id, url=url)
    assert first.revoked_at is not None and tokens.revoke_token("sam", revoked_id, url=url).revoked_at == first.revoked_at
    assert tokens.resolve_token(revoked, url=url) is None
    assert tokens.resolve_token(kept, url=url) is not None
    staff.disable_user("sam", url=url)
    assert tokens.resolve_token(kept, url=url) is None


def test_tokens_belong_to_one_enabled_account(url):
    staff.add_user("lee", "admin", PASSWORD, url=url)
    tokens.create_token("lee", "desk", url=url)
    lee_token = tokens.list_tokens("lee", url=url)[0].id
    with pytest.raises(tokens.UnknownToken):
        tokens.revoke_token("sam", lee_token, url=url)  # not sam's: left alone
    assert tokens.list_tokens("lee", url=url)[0].revoked_at is None
    with pytest.raises(staff.UnknownUser):
        tokens.create_token("nobody", "desk", url=url)
    staff.disable_user("lee", url=url)
    with pytest.raises(staff.UnknownUser):
        tokens.create_token("lee", "desk", url=url)
    with pytest.raises(staff.StaffError, match="label"):
        tokens.create_token("sam", " ", url=url)


def test_the_role_policy():
    assert staff_roles.ROLES == STAFF_ROLES
    table = {role: staff_roles.permissions_of(role) for role in staff_roles.ROLES}
    assert table == {
        "coordinator": {"queue"},
        "clinician": {"queue", "crisis_review", "conversations"},
        "admin": set(staff_roles.PERMISSIONS),
    }
    assert staff_roles.permissions_of(None) == set() and not staff_roles.allowed("superuser", "queue")
    assert staff_roles.roles_with("crisis_review") == ("clinician", "admin")
    with pytest.raises(staff_roles.UnknownPermission):
        staff_roles.allowed("admin", "qeue")  # a misspelt permission is an error, not a refusal


def test_every_intake_command_has_a_permission():
    [subcommands] = [a for a in cli._parser()._actions if isinstance(a, argparse._SubParsersAction)]
    commands = subcommands.choices
    assert set(commands) == set(staff_access.COMMAND_PERMISSIONS) == set(cli.COMMANDS)
    assert set(staff_access.COMMAND_PERMISSIONS.values()) <= set(staff_roles.PERMISSIONS)
