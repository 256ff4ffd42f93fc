"""One log record, one line: control characters in logged text are escaped.

A conversation id, a header or an exception message can hold a newline (or a
carriage return, a Unicode line separator, a bidi override); written as is, it
starts what looks like a new record in var/rasa.log ("evil\\n2099-01-01 ERROR
...forged"). install() makes every record's message escape them ("\\n", "\\x1b",
"\\u2028"), and the message of a logged exception too; the traceback's own lines
(indented frames) stay as Python prints them.

Installed at start-up by the processes we start: Rasa (rasa_ext.runtime),
the action server (actions/__init__.py, imported by rasa_sdk before it serves)
and the notification worker (assistant.intake.notify). It works on every
handler and formatter (Rasa's log file, coloredlogs on the console), because it
changes how a record renders its message, not any one handler.
"""

from __future__ import annotations

import logging
import re
import traceback
from types import TracebackType
from typing import TypeAlias

# C0 and C1 controls, DEL, lone surrogates, Unicode line/paragraph separators, bidi
# marks, embeddings, overrides and isolates (which can make a line read differently).
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# What logging passes to Formatter.formatException: sys.exc_info(), (None, None, None) outside an except.
ExcInfo: TypeAlias = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


def _escape(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def escape_controls(text: str) -> str:
    """`text` with every control character written as an escape ("\\n", "\\x1b", "\\u2028")."""
    return CONTROL.sub(_escape, text) if CONTROL.search(text) else text


def has_controls(text: str) -> bool:
    return bool(CONTROL.search(text))


def format_exception(exc_info: ExcInfo) -> str:
    """The traceback as logging prints it, with each exception's message escaped
    (chained causes and contexts included)."""
    te = traceback.TracebackException(*exc_info, compact=True)
    pending, seen = [te], set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(getattr(current, "_str", None), str):
            current._str = escape_controls(current._str)  # type: ignore[attr-defined]  # private (the message), not in typeshed
        pending += [linked for linked in (current.__cause__, current.__context__) if linked is not None]
    return "".join(te.format()).rstrip("\n")


def install() -> None:
    """Escape control characters in every log record's message and exception text, in this process."""
    if getattr(logging.LogRecord.getMessage, "escapes_controls", False):
        return
    get_message = logging.LogRecord.getMessage

    def getMessage(self: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        return escape_controls(get_message(self))

    def formatException(self: logging.Formatter, ei: ExcInfo) -> str:  # noqa: N802 - logging's names
        return format_exception(ei)

    getMessage.__dict__["escapes_controls"] = True  # the mark read above
    # Deliberately replaced on the classes, so every handler and formatter escapes (module docstring).
    logging.LogRecord.getMessage = getMessage  # type: ignore[method-assign]
    logging.Formatter.formatException = formatException  # type: ignore[method-assign]
