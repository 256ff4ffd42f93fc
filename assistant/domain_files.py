"""The domain as files: Rasa reads every YAML file under domain/ and merges them.

Tools and tests that read responses, or the `# source:` comment above one, go
through here rather than opening a file of their own, so a response can move
between files without breaking them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_DIR = ROOT / "domain"


def files(domain_dir: Path = DOMAIN_DIR) -> list[Path]:
    return sorted(domain_dir.glob("*.yml"))


def load(domain_dir: Path = DOMAIN_DIR) -> dict[str, Any]:
    """The merged domain as plain YAML: mappings merged by key, lists concatenated.
    A key defined in two files is an error (Rasa would keep one of them silently)."""
    merged: dict[str, Any] = {}
    for path in files(domain_dir):
        for section, value in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if section == "version":
                continue
            if isinstance(value, dict):
                target = merged.setdefault(section, {})
                twice = set(target) & set(value)
                if twice:
                    raise ValueError(f"{path.name}: {section} {sorted(twice)} defined in another domain file too")
                target.update(value)
            else:
                merged.setdefault(section, []).extend(value or [])
    return merged


def responses(domain_dir: Path = DOMAIN_DIR) -> dict[str, list[dict]]:
    return load(domain_dir).get("responses", {})


def numbered_lines(domain_dir: Path = DOMAIN_DIR) -> list[tuple[str, int, str]]:
    """(file name, line number from 1, line) for every line of every domain file."""
    return [(path.name, number, line)
            for path in files(domain_dir)
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)]
