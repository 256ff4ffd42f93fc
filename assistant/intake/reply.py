"""One message the pre-assessment sends, as the plain modules describe it and actions/ send it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reply:
    """A text, or a domain response filled with `values`; or, with `action`, the answer of that
    knowledge action (a question asked on the side)."""

    text: str | None = None
    response: str | None = None
    buttons: tuple[str, ...] = ()  # titles; a tap sends the title itself, parsed like typed text
    values: dict[str, str] = field(default_factory=dict)
    action: str | None = None
