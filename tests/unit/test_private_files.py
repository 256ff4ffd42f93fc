"""Owner-only files (assistant/private_files.py): what var/ holds is for the assistant's OS user alone."""

import os

from assistant.private_files import make_private, private_umask, secure_sqlite, sqlite_path


def test_private_umask_adds_owner_only_to_the_current_one():
    previous = os.umask(0o002)
    try:
        private_umask()
        assert os.umask(0o022) == 0o077
        os.umask(0o027)
        private_umask()
        assert os.umask(0o022) == 0o077
    finally:
        os.umask(previous)


def test_make_private_keeps_the_owner_bits_and_leaves_links_alone(tmp_path):
    script, folder, target = tmp_path / "run.sh", tmp_path / "d", tmp_path / "elsewhere"
    script.touch()
    script.chmod(0o755)
    folder.mkdir()
    folder.chmod(0o775)
    target.touch()
    target.chmod(0o644)
    (tmp_path / "link").symlink_to(target)
    for path in (script, folder, tmp_path / "link", tmp_path / "missing"):
        make_private(path)
    assert script.stat().st_mode & 0o777 == 0o700
    assert folder.stat().st_mode & 0o777 == 0o700
    assert target.stat().st_mode & 0o777 == 0o644  # not through a link


def test_secure_sqlite_fixes_the_database_and_its_companions(tmp_path):
    db = tmp_path / "var" / "x.db"
    db.parent.mkdir()
    for name in ("x.db", "x.db-wal", "x.db-shm", "x.db-journal", "x.dbother"):
        (db.parent / name).touch()
        (db.parent / name).chmod(0o644)
    previous = os.umask(0o022)
    try:
        secure_sqlite(db)
        secure_sqlite(tmp_path / "new" / "y.db")
    finally:
        os.umask(previous)
    modes = {p.name: p.stat().st_mode & 0o777 for p in db.parent.iterdir()}
    assert modes == {"x.db": 0o600, "x.db-wal": 0o600, "x.db-shm": 0o600, "x.db-journal": 0o600, "x.dbother": 0o644}
    assert (tmp_path / "new").stat().st_mode & 0o777 == 0o700


def test_sqlite_path():
    assert str(sqlite_path("sqlite:////srv/var/a.db")) == "/srv/var/a.db"
    assert str(sqlite_path("sqlite:///var/a.db?timeout=5")) == "var/a.db"
    assert sqlite_path("sqlite:///:memory:") is None and sqlite_path("sqlite://") is None
    assert sqlite_path("postgresql://u@h/db") is None
