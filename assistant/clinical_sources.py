"""Sources of the clinical wording: `docs/clinical-sources.md#<anchor>` citations and public URLs.

A `source` (knowledge/*.yml, a `# source:` comment in domain.yml, the optional
`source` of a pre-assessment question or triage rule) is one or more
citations separated by commas. Each is either a heading of
docs/clinical-sources.md, by its GitHub-style anchor, or an https URL.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SOURCES_DOC = "docs/clinical-sources.md"
SOURCES_PATH = PROJECT_ROOT / SOURCES_DOC
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_URL = re.compile(r"^https://[^\s,]+$")


def github_anchor(title: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def headings(path: Path = SOURCES_PATH) -> dict[str, str]:
    """anchor -> heading title, for every heading outside code blocks (repeats get -1, -2 as on GitHub)."""
    found: dict[str, str] = {}
    in_code = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        match = None if in_code else _HEADING.match(line)
        if not match:
            continue
        title = match.group(2)
        anchor, n = github_anchor(title), 1
        base = anchor
        while anchor in found:
            anchor, n = f"{base}-{n}", n + 1
        found[anchor] = title
    return found


@lru_cache(maxsize=1)
def _headings() -> dict[str, str]:
    return headings()


def split(source: str | None) -> list[str]:
    """The citations of a source field, in order (an empty or missing field gives none)."""
    return [part.strip() for part in (source or "").split(",") if part.strip()]


def resolve(citation: str, known: dict[str, str] | None = None) -> str | None:
    """What a citation points to: the heading title of docs/clinical-sources.md, or the URL; None when it resolves to nothing."""
    known = _headings() if known is None else known
    if citation.startswith(SOURCES_DOC + "#"):
        return known.get(citation.split("#", 1)[1])
    if _URL.match(citation):
        return citation
    return None


def unresolved(source: str | None, known: dict[str, str] | None = None) -> list[str]:
    """The citations of `source` that resolve to nothing (an empty source is itself reported)."""
    parts = split(source)
    if not parts:
        return ["(no source)"]
    return [part for part in parts if resolve(part, known) is None]
