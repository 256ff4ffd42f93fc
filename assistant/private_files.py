"""Owner-only files: what the assistant keeps on disk is readable by its own OS user alone.

var/ holds requests, transcripts, crisis events, secrets and logs. Every
process that writes there (Rasa, the action server, the notification worker,
the `intake` command) creates files 0600 and directories 0700 (umask 077),
and fixes the modes of the SQLite files it opens (the database and its
-wal, -shm and -journal files), so files left world-readable by an older
version are closed at the next start. scripts/run.sh does the same for all
of var/ before anything starts.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def private_umask() -> None:
    """From now on this process (and its children) creates files without any group or other permission."""
    os.umask(os.umask(PRIVATE_UMASK) | PRIVATE_UMASK)


def make_private(path: str | os.PathLike) -> None:
    """Removes group and other permissions from a file or directory we own, if it exists (never follows a symlink)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.geteuid():
        return
    if stat.S_IMODE(info.st_mode) & PRIVATE_UMASK:
        os.chmod(path, stat.S_IMODE(info.st_mode) & ~PRIVATE_UMASK)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (sqlite:///path), None for another database or an in-memory one."""
    if not url.startswith("sqlite:///"):
        return None
    path = url.removeprefix("sqlite:///").split("?", 1)[0]
    return Path(path) if path and path != ":memory:" else None


def secure_sqlite(path: str | os.PathLike) -> None:
    """Before opening a SQLite database: owner-only umask, its directory created 0700, existing files fixed."""
    private_umask()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    for suffix in SQLITE_COMPANIONS:
        make_private(f"{path}{suffix}")
