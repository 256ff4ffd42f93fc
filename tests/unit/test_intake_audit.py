"""`intake audit verify`: the access log's hash chain finds a changed or deleted row, and stays one chain under load."""

import threading
from datetime import timedelta

import sqlalchemy

from assistant.db import audit
from assistant.db.engine import engine_for
from assistant.db.models import AccessLog, AuditChainHead
from assistant.intake import cli


def _run(monkeypatch, url, *argv):
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", url)
    monkeypatch.delenv("INTAKE_TOKEN", raising=False)
    return cli.main(list(argv))


def _seed(url, rows=5):
    for n in range(rows):
        audit.record("sam", "queue", [audit.Seen(reference=f"REF{n}")], address="10.0.0.7", detail="page", url=url)


def _sql(url, statement):
    with engine_for(url).begin() as connection:
        connection.execute(sqlalchemy.text(statement))


def test_a_clean_chain_verifies_and_the_check_is_logged(records_url, monkeypatch, capsys):
    _seed(records_url)
    assert _run(monkeypatch, records_url, "audit", "verify") == 0
    assert capsys.readouterr().out.splitlines() == ["checked 5 rows: the chain is intact"]
    last = audit.access_log(url=records_url)[-1]
    assert (last.action, last.address, last.detail) == ("audit-verify", "local", "5 rows, 0 problems")
    assert _run(monkeypatch, records_url, "audit", "verify") == 0  # its own row is chained too
    assert "checked 6 rows: the chain is intact" in capsys.readouterr().out


def test_a_row_changed_by_sql_is_found(records_url, monkeypatch, capsys):
    _seed(records_url)
    _sql(records_url, "UPDATE access_log SET who = 'someone-else' WHERE id = 3")
    assert _run(monkeypatch, records_url, "audit", "verify") == 1
    out = capsys.readouterr().out
    assert "row 3: changed" in out and "checked 5 rows: 1 problem(s)" in out
    assert "row 4" not in out  # the rows after it are not reported again


def test_a_changed_time_is_found_too(records_url, monkeypatch, capsys):
    _seed(records_url)
    with engine_for(records_url).begin() as connection:
        at = connection.scalar(sqlalchemy.select(AccessLog.__table__.c.at).where(AccessLog.__table__.c.id == 2))
        connection.execute(AccessLog.__table__.update().where(AccessLog.__table__.c.id == 2)
                           .values(at=at + timedelta(seconds=1)))
    assert _run(monkeypatch, records_url, "audit", "verify") == 1
    assert "row 2: changed" in capsys.readouterr().out


def test_a_deleted_middle_row_is_found_at_the_row_after_it(records_url, monkeypatch, capsys):
    _seed(records_url)
    _sql(records_url, "DELETE FROM access_log WHERE id = 3")
    assert _run(monkeypatch, records_url, "audit", "verify") == 1
    out = capsys.readouterr().out
    assert "row 4: changed, or a row before it was deleted or changed" in out and "checked 4 rows" in out


def test_a_deleted_last_row_is_found_at_the_chain_head(records_url, monkeypatch, capsys):
    _seed(records_url)
    _sql(records_url, "DELETE FROM access_log WHERE id = 5")
    assert _run(monkeypatch, records_url, "audit", "verify") == 1
    out = capsys.readouterr().out
    assert "chain head: the last row should be 5" in out and "checked 4 rows: 1 problem(s)" in out


def test_concurrent_writers_leave_one_chain_without_forks(records_url, monkeypatch, capsys):
    _seed(records_url, rows=1)  # the database is migrated before the threads start
    writers, each = 8, 6
    start, failures = threading.Barrier(writers), []

    def write(n):
        start.wait()
        try:
            for i in range(each):
                audit.record(f"writer{n}", "queue", [audit.Seen(reference=f"W{n}-{i}"), audit.Seen()], url=records_url)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    rows = audit.access_log(url=records_url)
    assert len(rows) == 1 + writers * each * 2
    assert audit.verify_chain(url=records_url) == (len(rows), [])
    assert len({row.row_hash for row in rows}) == len(rows)  # no two rows chained from the same hash
    # Each record()'s two rows are next to each other: no writer slipped in between.
    for n in range(writers):
        ids = [row.id for row in rows if row.who == f"writer{n}"]
        assert all(b == a + 1 for a, b in zip(ids[::2], ids[1::2], strict=True))
    with engine_for(records_url).connect() as connection:
        head = connection.execute(sqlalchemy.select(AuditChainHead.__table__)).one()
    assert (head.last_id, head.last_hash) == (rows[-1].id, rows[-1].row_hash)
    assert _run(monkeypatch, records_url, "audit", "verify") == 0


def test_audit_list_shows_the_newest_rows_first(records_url, monkeypatch, capsys):
    _seed(records_url, rows=3)
    assert _run(monkeypatch, records_url, "audit", "list", "--limit", "2") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["#3", "#2"]
    assert "sam  queue  request REF2  from 10.0.0.7  page" in lines[0]
    assert audit.access_log(url=records_url)[-1].action == "audit"
