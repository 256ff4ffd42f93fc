"""Jinja filters: times in the center's zone, ages, phone numbers, yes/no for contact safety, question names.

Each returns plain text; autoescaping escapes it like any other value.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
from flask import Flask, request, url_for

from assistant.center import current_center
from assistant.db.models import utc_now
from assistant.intake.questions import catalog


def localtime(value: datetime | None, tz: ZoneInfo, fmt: str) -> str:
    return value.astimezone(tz).strftime(fmt) if value else "-"


def age(value: datetime | None) -> str:
    if value is None:
        return "-"
    minutes = max(0, int((utc_now() - value).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60} min" if minutes < 600 else f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} days"


def phone(value: str) -> str:
    try:
        return phonenumbers.format_number(phonenumbers.parse(value, "US"), phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        return value


def okay(value: bool | None, what: str) -> str:
    """Contact safety in words: a "no" must be impossible to miss on a call."""
    return {True: f"{what} OK", False: f"NO {what}", None: f"{what}: not asked"}[value]


def question_name(question_id: str) -> str:
    question = catalog().questions.get(question_id)
    if question is None:
        return question_id
    return question.summary_label or question.id.removeprefix("intake_").replace("_", " ")


def page_url(page: int) -> str:
    # The query's own filters only: url_for's keywords (_external, _scheme, _anchor, _method, endpoint) from a
    # query string would make another link or fail the page.
    args: dict[str, Any] = {name: values for name, values in request.args.to_dict(flat=False).items()
                            if not name.startswith("_") and name != "endpoint"}
    args["page"] = [str(page)]
    return url_for(request.endpoint or "queue.queue", **args)


def install(app: Flask) -> None:
    app.add_template_filter(localtime, "localtime")
    app.add_template_filter(age, "age")
    app.add_template_filter(phone, "phone")
    app.add_template_filter(okay, "okay")
    app.add_template_filter(question_name, "question")
    app.add_template_global(page_url, "page_url")
    app.jinja_env.globals["tz"] = ZoneInfo(current_center().timezone)
