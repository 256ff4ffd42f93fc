"""The center's own facts, loaded from center.yml (config over code)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = PROJECT_ROOT / "center.yml"
SERVICE_NAMES = {
    "outpatient": "outpatient care",
    "inpatient": "inpatient (residential) care",
    "detox": "medically supervised detox",
}
REQUIRED = ("name", "phone", "hours", "address")


@dataclass(frozen=True)
class Center:
    name: str
    phone: str
    hours: str
    address: str
    website: str = ""
    insurance_notes: str = ""
    timezone: str = "America/New_York"
    opening_hours: dict = field(default_factory=dict)
    holidays: tuple = ()  # datetime.date values: days the center is closed whatever opening_hours say
    services: dict = field(default_factory=dict)
    staff_notifications: dict = field(default_factory=dict)  # read by assistant/intake/notify.py
    intake: dict = field(default_factory=dict)  # pre-assessment options, e.g. ask_state

    def callback_cutoff_minutes(self) -> int:
        """Requests this close to closing time are promised a call at the next opening, not "today"."""
        return int(self.intake.get("callback_cutoff_minutes", 30))

    def asks_state(self) -> bool:
        return bool(self.intake.get("ask_state", True))

    def offered_services(self) -> list[str]:
        return [label for key, label in SERVICE_NAMES.items() if self.services.get(key)]

    def offered_medications(self) -> list[str]:
        return list(self.services.get("medications") or [])


class CenterConfigError(ValueError):
    pass


def load_center(path: str | os.PathLike | None = None) -> Center:
    path = Path(path or os.environ.get("CENTER_CONFIG") or DEFAULT_PATH)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CenterConfigError(f"cannot read center config {path}: {exc}") from exc
    missing = [key for key in REQUIRED if not str(raw.get(key) or "").strip()]
    if missing:
        raise CenterConfigError(f"{path}: missing {', '.join(missing)}")
    known = set(Center.__dataclass_fields__)
    unknown = sorted(set(raw) - known)
    if unknown:
        raise CenterConfigError(f"{path}: unknown keys {', '.join(unknown)}")
    values = {key: raw[key] for key in raw if raw[key] is not None}
    values["holidays"] = _holidays(path, values.get("holidays") or [])
    return Center(**values)


def _holidays(path: Path, raw: list) -> tuple[date, ...]:
    """YAML reads 2026-12-25 as a date already; a quoted one is parsed."""
    try:
        return tuple(sorted(day if isinstance(day, date) else date.fromisoformat(str(day)) for day in raw))
    except (TypeError, ValueError) as exc:
        raise CenterConfigError(f"{path}: holidays must be a list of dates like 2026-12-25: {exc}") from exc


@lru_cache(maxsize=1)
def current_center() -> Center:
    """The configured center, read once per process."""
    return load_center()


def center_answer(center: Center, topic: str) -> str:
    """The reply for a center-facts question, from config only."""
    if topic == "cost_insurance":
        return f"{center.insurance_notes} To check your coverage, call us at {center.phone}."
    if topic == "hours":
        return f"We're open {center.hours}. You can call us at {center.phone}."
    if topic == "location":
        website = f" More on {center.website}." if center.website else ""
        return f"You can find us at {center.address}.{website} Call {center.phone} if you need directions."
    if topic == "contact":
        website = f", or visit {center.website}" if center.website else ""
        return f"Call us at {center.phone} ({center.hours}){website}. I can also answer questions here."
    if topic == "services":
        services = center.offered_services()
        meds = ", ".join(center.offered_medications())
        offered = f"{center.name} offers {_join(services)}" if services else f"Our staff can tell you what {center.name} offers"
        med_line = f", with medications such as {meds}" if meds else ""
        return f"{offered}{med_line}. Our staff can help you find what fits: {center.phone}."
    raise ValueError(f"unknown center topic {topic!r}")


def contact_staff_answer(center: Center) -> str:
    return (
        f"Our staff would be glad to talk with you. Call {center.phone} ({center.hours}). "
        "If this is an emergency, call 911; for suicidal thoughts, call or text 988."
    )


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
