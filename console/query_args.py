"""Filters read from a page's query string: a bad value is ignored, never an error."""

from __future__ import annotations

from datetime import date

from flask import request


def day_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def page_arg(most: int = 10_000) -> int:
    value = request.args.get("page", "1")
    return max(1, min(int(value), most)) if value.isdigit() else 1
