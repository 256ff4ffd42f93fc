"""The console's settings, from the environment (README, "Staff console"): what a center changes, not code."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta


def _minutes(name: str, default: int) -> timedelta:
    return timedelta(minutes=int(os.environ.get(name, default)))


def _idle() -> timedelta:
    # CONSOLE_IDLE_SECONDS, when set, wins: for tests (tests/browser/test_console.py), where minutes are too slow.
    seconds = os.environ.get("CONSOLE_IDLE_SECONDS")
    return timedelta(seconds=int(seconds)) if seconds else _minutes("CONSOLE_IDLE_MINUTES", 15)


@dataclass(frozen=True)
class ConsoleSettings:
    host: str
    port: int
    idle: timedelta  # automatic logoff after this long without a request the person made
    max_age: timedelta  # a login lasts at most this long, active or not
    behind_proxy: bool  # trust X-Forwarded-For / -Proto from one proxy (nginx terminating HTTPS)
    login_attempts_per_address: int  # failed logins from one address within login_window before it must wait
    login_window: timedelta
    poll_seconds: int  # how often the queue page asks for new URGENT requests

    @classmethod
    def from_env(cls) -> ConsoleSettings:
        return cls(
            host=os.environ.get("CONSOLE_HOST", "127.0.0.1"),
            port=int(os.environ.get("CONSOLE_PORT", "5080")),
            idle=_idle(),
            max_age=_minutes("CONSOLE_MAX_SESSION_MINUTES", 12 * 60),
            behind_proxy=os.environ.get("CONSOLE_BEHIND_PROXY", "") == "1",
            login_attempts_per_address=int(os.environ.get("CONSOLE_LOGIN_ATTEMPTS_PER_ADDRESS", "20")),
            login_window=_minutes("CONSOLE_LOGIN_WINDOW_MINUTES", 10),
            poll_seconds=int(os.environ.get("CONSOLE_POLL_SECONDS", "10")),
        )

    def shown(self) -> list[tuple[str, str]]:
        """For the read-only settings page: never a secret."""
        return [
            ("Address", f"{self.host}:{self.port}"),
            ("Automatic logoff after idle", f"{int(self.idle.total_seconds() // 60)} minutes"),
            ("Longest session", f"{int(self.max_age.total_seconds() // 3600)} hours"),
            ("Behind an HTTPS proxy", "yes" if self.behind_proxy else "no"),
            ("Failed logins allowed per address", f"{self.login_attempts_per_address} per "
                                                  f"{int(self.login_window.total_seconds() // 60)} minutes"),
            ("Queue refresh", f"every {self.poll_seconds} seconds"),
        ]
