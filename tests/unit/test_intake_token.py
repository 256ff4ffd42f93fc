"""`intake` with $INTAKE_TOKEN: it acts as that staff account, within its role, and never falls back to the OS user."""

import os
import pwd

import pytest

from assistant.db import staff, tokens
from assistant.db.audit import access_log, verify_chain
from assistant.db.callbacks import get_callback, save_callback_request
from assistant.db.crises import get_crisis_event, record_crisis_event
from assistant.intake import cli
from tests.intake_support import make_submission

PASSWORD = "correct horse battery staple"
USER = pwd.getpwuid(os.geteuid()).pw_name


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'records.db'}"


def _token(url, name, role):
    staff.add_user(name, role, PASSWORD, url=url)
    return tokens.create_token(name, "laptop", url=url)


def _run(monkeypatch, url, token, *argv):
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{url.removeprefix('sqlite:///')}.missing-tracker")
    monkeypatch.delenv("INTAKE_STAFF", raising=False)
    if token is None:
        monkeypatch.delenv("INTAKE_TOKEN", raising=False)
    else:
        monkeypatch.setenv("INTAKE_TOKEN", token)
    return cli.main(list(argv))


def _rows(url):
    return [(r.who, r.action, r.address, r.detail) for r in access_log(url=url)]


def test_a_token_acts_as_its_account(records_url, monkeypatch, capsys):
    url = records_url
    token = _token(url, "sam", "coordinator")
    reference = save_callback_request(make_submission(), (), url=url)
    assert _run(monkeypatch, url, token, "callbacks") == 0
    assert _run(monkeypatch, url, token, "set-status", reference, "contacted", "--by", "Lee K.") == 0
    assert "by sam (on behalf of Lee K.)" in capsys.readouterr().out
    request = get_callback(reference, url=url)
    assert request is not None and request.status_changes[-1].changed_by == "sam"
    rows = access_log(url=url)
    assert [(r.who, r.on_behalf_of, r.action, r.reference, r.address, r.detail) for r in rows] == [
        ("sam", None, "list", reference, "local", "token"),
        ("sam", "Lee K.", "set-status", reference, "local", "token"),
    ]
    assert verify_chain(url=url) == (2, [])


def test_a_coordinator_is_refused_what_its_role_lacks(url, monkeypatch, capsys):
    token = _token(url, "sam", "coordinator")
    refused = [
        (("deliver",), "notifications"), (("notifications",), "notifications"),
        (("crises",), "crisis_review"), (("review-crisis", "1"), "crisis_review"),
        (("transcript", "conv-x"), "conversations"), (("flagged",), "conversations"),
        (("users", "list"), "users"), (("audit", "verify"), "audit"),
        (("callbacks", "--csv"), "export"), (("callbacks", "--json"), "export"),
    ]
    for argv, permission in refused:
        assert _run(monkeypatch, url, token, *argv) == 1
        out, err = capsys.readouterr()
        assert out == "" and f"not allowed: `intake {argv[0]}" in err and f"{permission!r} permission" in err
        assert "sam is a coordinator" in err
    assert _rows(url) == [
        ("sam", "forbidden", "local", "token, deliver"), ("sam", "forbidden", "local", "token, notifications"),
        ("sam", "forbidden", "local", "token, crises"), ("sam", "forbidden", "local", "token, review-crisis"),
        ("sam", "forbidden", "local", "token, transcript"), ("sam", "forbidden", "local", "token, flagged"),
        ("sam", "forbidden", "local", "token, users list"), ("sam", "forbidden", "local", "token, audit verify"),
        ("sam", "forbidden", "local", "token, callbacks --csv"), ("sam", "forbidden", "local", "token, callbacks --json"),
    ]


def test_a_clinician_reviews_crises_and_an_admin_runs_the_rest(url, monkeypatch, capsys):
    clinician, admin = _token(url, "rosa", "clinician"), _token(url, "lee", "admin")
    event_id = record_crisis_event("conv-c", "suicide", "rule:plan", url=url)
    assert _run(monkeypatch, url, clinician, "crises") == 0
    assert _run(monkeypatch, url, clinician, "review-crisis", str(event_id)) == 0
    event = get_crisis_event(event_id, url=url)
    assert event is not None and event.reviewed_by == "rosa"
    assert _run(monkeypatch, url, clinician, "transcript", "conv-c") == 1  # allowed, but no tracker store here
    assert "transcript unavailable" in capsys.readouterr().err
    assert _run(monkeypatch, url, clinician, "users", "list") == 1
    assert _run(monkeypatch, url, admin, "users", "list") == 0
    assert _run(monkeypatch, url, admin, "audit", "verify") == 0
    assert _run(monkeypatch, url, admin, "callbacks", "--csv") == 0
    assert [(who, action) for who, action, *_ in _rows(url)] == [
        ("rosa", "crises"), ("rosa", "review-crisis"), ("rosa", "transcript"), ("rosa", "forbidden"),
        ("lee", "user-list"), ("lee", "audit-verify"), ("lee", "export"),
    ]
    assert all(detail.startswith("token") for *_, detail in _rows(url))


@pytest.mark.parametrize("spoil", ["unknown", "empty", "revoked", "disabled"])
def test_an_invalid_token_stops_the_command_without_falling_back(url, monkeypatch, capsys, spoil):
    token = _token(url, "lee", "admin")
    if spoil == "unknown":
        token = token[:-4] + "AAAA"
    elif spoil == "empty":
        token = ""
    elif spoil == "revoked":
        tokens.revoke_token("lee", tokens.list_tokens("lee", url=url)[0].id, url=url)
    else:
        staff.disable_user("lee", url=url)
    assert _run(monkeypatch, url, token, "users", "list") == 1
    out, err = capsys.readouterr()
    assert out == "" and "$INTAKE_TOKEN is not a valid token" in err
    assert _rows(url) == [(USER, "forbidden", "local", "invalid token")]  # and nothing was run as the OS user


def test_without_a_token_the_os_user_does_everything_as_before(url, monkeypatch):
    _token(url, "sam", "coordinator")
    assert _run(monkeypatch, url, None, "users", "list") == 0
    assert _run(monkeypatch, url, None, "audit", "verify") == 0
    assert _rows(url) == [(USER, "user-list", "local", None), (USER, "audit-verify", "local", "1 rows, 0 problems")]
