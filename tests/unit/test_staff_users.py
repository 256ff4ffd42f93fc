"""Staff accounts (issue 12, first slice): argon2id hashes, the password policy, `intake users`, and its audit."""

import io
import logging
import os
import pwd

import pytest
import sqlalchemy
from alembic import command
from alembic.config import Config
from argon2 import PasswordHasher

from assistant.db import staff
from assistant.db.audit import access_log
from assistant.db.engine import MIGRATIONS, engine_for, migrate
from assistant.db.models import StaffUser
from assistant.intake import cli
from assistant.staff_passwords import WeakPassword, common_passwords, password_problem

PASSWORD = "correct horse battery staple"
OTHER = "violet lantern rowing quietly"
USER = pwd.getpwuid(os.geteuid()).pw_name


@pytest.fixture
def url(records_url):
    return records_url


def _stored(url, username):
    with engine_for(url).connect() as connection:
        return connection.execute(sqlalchemy.select(StaffUser.__table__).where(StaffUser.username == username)).one()


def test_passwords_are_stored_as_argon2id_hashes_only(url):
    account = staff.add_user("Sam.R", "coordinator", PASSWORD, url=url)
    assert (account.username, account.role, account.disabled) == ("sam.r", "coordinator", False)
    row = _stored(url, "sam.r")
    assert row.password_hash.startswith("$argon2id$") and PASSWORD not in row.password_hash
    assert (row.failed_logins, row.locked_until, row.totp_secret) == (0, None, None)
    assert row.created_at is not None and row.password_changed_at is not None
    assert not any(field for field in vars(account).values() if field == row.password_hash)  # no hash handed out


def test_wrong_password_unknown_user_and_disabled_account_look_the_same(url, monkeypatch):
    staff.add_user("sam", "clinician", PASSWORD, url=url)
    good = staff.verify_password("SAM", PASSWORD, url=url)
    assert good is not None and (good.username, good.role) == ("sam", "clinician")

    checked = []
    real = staff._matches

    def counted(password_hash, password):
        checked.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(staff, "_matches", counted)
    assert staff.verify_password("sam", OTHER, url=url) is None
    assert staff.verify_password("nobody", PASSWORD, url=url) is None
    assert staff.verify_password("not a name!", PASSWORD, url=url) is None
    staff.disable_user("sam", url=url)
    assert staff.verify_password("sam", PASSWORD, url=url) is None
    # The same argon2 work every time: an unknown name is checked against a decoy hash.
    assert len(checked) == 4 and all(h.startswith("$argon2id$") for h in checked)


def test_a_hash_with_old_parameters_is_replaced_at_the_next_good_login(url):
    staff.add_user("sam", "admin", PASSWORD, url=url)
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    with engine_for(url).begin() as connection:
        connection.execute(StaffUser.__table__.update().values(password_hash=weak))
    assert staff.verify_password("sam", OTHER, url=url) is None
    assert _stored(url, "sam").password_hash == weak  # a wrong password changes nothing
    assert staff.verify_password("sam", PASSWORD, url=url) is not None
    rehashed = _stored(url, "sam").password_hash
    assert rehashed != weak and not staff.HASHER.check_needs_rehash(rehashed)
    assert staff.verify_password("sam", PASSWORD, url=url) is not None


def test_usernames_are_unique_whatever_their_case(url):
    staff.add_user("Sam", "coordinator", PASSWORD, url=url)
    with pytest.raises(staff.UsernameTaken):
        staff.add_user("SAM", "admin", OTHER, url=url)
    assert [a.username for a in staff.list_users(url=url)] == ["sam"]
    with pytest.raises(sqlalchemy.exc.IntegrityError), engine_for(url).begin() as connection:  # the database says so too
        connection.execute(StaffUser.__table__.insert().values(
            username="Sam", role="admin", password_hash="x", disabled=False, created_at=staff.utc_now(),
            password_changed_at=staff.utc_now(), failed_logins=0))


def test_roles_are_checked_in_code_and_by_the_database(url):
    with pytest.raises(staff.StaffError, match="unknown role"):
        staff.add_user("sam", "superuser", PASSWORD, url=url)
    staff.add_user("sam", "admin", PASSWORD, url=url)
    with pytest.raises(sqlalchemy.exc.IntegrityError), engine_for(url).begin() as connection:
        connection.execute(StaffUser.__table__.update().values(role="superuser"))


def test_reset_password_replaces_it_and_clears_failed_logins(url):
    staff.add_user("sam", "coordinator", PASSWORD, url=url)
    with engine_for(url).begin() as connection:
        connection.execute(StaffUser.__table__.update().values(failed_logins=5, locked_until=staff.utc_now()))
    staff.reset_password("Sam", OTHER, url=url)
    assert staff.verify_password("sam", PASSWORD, url=url) is None
    assert staff.verify_password("sam", OTHER, url=url) is not None
    row = _stored(url, "sam")
    assert (row.failed_logins, row.locked_until) == (0, None)
    with pytest.raises(staff.UnknownUser):
        staff.reset_password("nobody", OTHER, url=url)
    with pytest.raises(staff.UnknownUser):
        staff.disable_user("nobody", url=url)


@pytest.mark.parametrize("password, problem", [
    ("short pass1", "too short"),
    ("password1234", "too common"),
    ("Password2024!!", "too common"),  # a common word with an ending added
    ("qwertyuiopas", "too common"),
    ("i am sam.r and proud", "username"),
    ("SAM.R-SAM.R-SAM.R", "username"),
])  # fmt: skip
def test_the_policy_refuses_short_common_and_username_passwords(password, problem):
    assert problem in (password_problem(password, "sam.r") or "")
    with pytest.raises(WeakPassword) as refused:
        staff.add_user("sam.r", "coordinator", password, url="sqlite://")  # refused before the database
    assert password not in str(refused.value)


def test_the_policy_accepts_a_long_uncommon_passphrase():
    assert password_problem(PASSWORD, "sam.r") is None
    assert len(common_passwords()) > 100 and "password" in common_passwords()


def _run(monkeypatch, url, argv, stdin=""):
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", url)
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(argv)


def test_intake_users_commands_work_and_are_audited_without_passwords(url, monkeypatch, capsys, caplog):
    with caplog.at_level(logging.DEBUG):  # SQLAlchemy's statement log included
        assert _run(monkeypatch, url, ["users", "add", "Sam.R", "--role", "clinician", "--password-stdin"],
                    PASSWORD + "\n") == 0
        assert _run(monkeypatch, url, ["users", "add", "sam.r", "--role", "admin", "--password-stdin"], OTHER) == 1
        assert _run(monkeypatch, url, ["users", "add", "pat", "--role", "coordinator", "--password-stdin",
                                       "--staff", "Lee K."], "password1234\n") == 1
        assert _run(monkeypatch, url, ["users", "reset-password", "SAM.R", "--password-stdin"], OTHER + "\n") == 0
        assert _run(monkeypatch, url, ["users", "disable", "sam.r"]) == 0
        assert _run(monkeypatch, url, ["users", "disable", "nobody"]) == 1
        assert _run(monkeypatch, url, ["users", "list"]) == 0
    out, err = capsys.readouterr()
    assert "sam.r: added as clinician" in out and "sam.r: password changed" in out and "sam.r: disabled" in out
    assert "already an account 'sam.r'" in err and "too common" in err and "no account 'nobody'" in err
    assert [line.split()[:3] for line in out.splitlines() if line.startswith("sam.r ")] == [["sam.r", "clinician", "disabled"]]
    assert staff.verify_password("sam.r", OTHER, url=url) is None  # disabled

    rows = access_log(url=url)
    assert [(r.who, r.on_behalf_of, r.action, r.account) for r in rows] == [
        (USER, None, "user-add", "sam.r"),
        (USER, None, "user-add", "sam.r"),  # the refused attempts are on record too
        (USER, "Lee K.", "user-add", "pat"),
        (USER, None, "user-password", "sam.r"),
        (USER, None, "user-disable", "sam.r"),
        (USER, None, "user-disable", "nobody"),
        (USER, None, "user-list", None),
    ]
    with engine_for(url).connect() as connection:
        audit_text = repr(connection.execute(sqlalchemy.text("SELECT * FROM access_log")).all())
    stored_hash = _stored(url, "sam.r").password_hash
    for secret in (PASSWORD, OTHER, "password1234", stored_hash):
        for where in (audit_text, out, err, caplog.text):
            assert secret not in where


def test_intake_users_asks_twice_without_stdin(url, monkeypatch, capsys):
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert _run(monkeypatch, url, ["users", "add", "sam", "--role", "coordinator"]) == 1
    assert "the two passwords differ" in capsys.readouterr().err
    assert staff.list_users(url=url) == []
    answers = iter([PASSWORD, PASSWORD])
    assert _run(monkeypatch, url, ["users", "add", "sam", "--role", "coordinator"]) == 0
    assert staff.verify_password("sam", PASSWORD, url=url) is not None


def test_an_unknown_role_is_a_usage_error(url, monkeypatch):
    with pytest.raises(SystemExit) as exit_:
        _run(monkeypatch, url, ["users", "add", "sam", "--role", "root", "--password-stdin"], PASSWORD)
    assert exit_.value.code == 2


def test_0007_goes_back_and_forth_and_refuses_to_drop_accounts(url):
    def downgrade_to_0006():
        with engine_for(url).begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = connection
            command.downgrade(config, "0006")

    migrate(url)
    downgrade_to_0006()  # nothing to lose yet
    assert "staff_users" not in sqlalchemy.inspect(engine_for(url)).get_table_names()
    migrate(url)
    staff.add_user("sam", "admin", PASSWORD, url=url)
    with pytest.raises(RuntimeError, match="1 staff account"):
        downgrade_to_0006()
    assert [a.username for a in staff.list_users(url=url)] == ["sam"]
