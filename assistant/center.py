"""The center's own facts, loaded from center.yml (config over code).

The sentences that give them to the person are domain responses
(domain/knowledge.yml, utter_center_*); `center_reply` picks the one that fits
and the facts to fill it with.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.lexicon import lexicon

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = PROJECT_ROOT / "center.yml"
# The services center.yml switches on, in the order the answer names them (their names: assistant/lexicon.yml).
SERVICES = ("outpatient", "inpatient", "detox")
REQUIRED = ("name", "phone", "hours", "address")
# The answer about services, by (services listed in center.yml, medications listed).
SERVICES_RESPONSES = {
    (True, True): "utter_center_services",
    (True, False): "utter_center_services_no_medications",
    (False, True): "utter_center_services_not_listed",
    (False, False): "utter_center_services_not_listed_no_medications",
}


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
        """The keys of the services offered ("outpatient", "detox"), in the order of SERVICES."""
        return [key for key in SERVICES if self.services.get(key)]

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


def center_reply(center: Center, topic: str) -> tuple[str, dict[str, str]]:
    """The domain response answering a center-facts question, and the facts of center.yml it is filled with.

    One response per case (a website or none, services listed or not): Rasa's
    conditional variants test slots, and these facts are values the action passes.
    """
    phone = {"center_phone": center.phone}
    if topic == "cost_insurance":
        return "utter_center_cost_insurance", {"insurance_notes": center.insurance_notes, **phone}
    if topic == "hours":
        return "utter_center_hours", {"center_hours": center.hours, **phone}
    if topic == "location":
        if center.website:
            return "utter_center_location_website", {"center_address": center.address,
                                                     "center_website": center.website, **phone}
        return "utter_center_location", {"center_address": center.address, **phone}
    if topic == "contact":
        if center.website:
            return "utter_center_contact_website", {"center_hours": center.hours, "center_website": center.website,
                                                    **phone}
        return "utter_center_contact", {"center_hours": center.hours, **phone}
    if topic == "services":
        services, medications = center.offered_services(), center.offered_medications()
        values = {"center_name": center.name, **phone}
        if services:
            values["services"] = lexicon().service_list(services)
        if medications:
            values["medications"] = ", ".join(medications)
        return SERVICES_RESPONSES[(bool(services), bool(medications))], values
    raise ValueError(f"unknown center topic {topic!r}")
