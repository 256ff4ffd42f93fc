"""The center's own facts, loaded from center.yml (config over code)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = PROJECT_ROOT / "center.yml"
SERVICE_NAMES = {"outpatient": "outpatient care", "inpatient": "inpatient (residential) care", "detox": "medically supervised detox"}
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
    services: dict = field(default_factory=dict)

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
    return Center(**{key: raw[key] for key in raw if raw[key] is not None})


@lru_cache(maxsize=1)
def current_center() -> Center:
    """The configured center, read once per process."""
    return load_center()
