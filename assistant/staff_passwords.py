"""The password policy for staff accounts: long, not a common password, not the username.

NIST SP 800-63B: length and a blocklist, no composition rules or forced rotation.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 12
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")
# "password2024!" is "password" with an ending people add to meet a rule.
_ADDED_ENDING = re.compile(r"[\d\W_]+$")


class WeakPassword(ValueError):
    """The password breaks the policy; the message says why, and never repeats the password."""


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, username: str) -> str | None:
    """Why `password` may not be used for `username`, or None when it may."""
    if len(password) < MIN_LENGTH:
        return f"too short: at least {MIN_LENGTH} characters"
    folded = password.lower()
    base = _ADDED_ENDING.sub("", folded)
    common = common_passwords()
    if folded in common or (base and base in common):
        return "too common: it is on the list of common passwords"
    name = username.strip().lower()
    if name and name in folded:
        return "it contains the username"
    return None


def check_password(password: str, username: str) -> None:
    """Raise WeakPassword unless the policy allows `password` for `username`."""
    problem = password_problem(password, username)
    if problem:
        raise WeakPassword(problem)
