"""Promises of a call back: one function, the center's hours, time zone and holidays, at fixed clock times."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import yaml

from assistant import domain_files
from assistant.center import PROJECT_ROOT, Center, load_center
from assistant.intake.promises import call_promise
from assistant.intake.triage import triage_config

NEW_YORK = ZoneInfo("America/New_York")
NOT_WATCHED = triage_config().call_promises["not_watched"]  # triage.yml


def window(level, when, center):
    return call_promise(level, when, center).window


# June 2025: the 3rd is a Tuesday, the 6th a Friday, the 7th a Saturday.
@pytest.mark.parametrize(
    "when, urgent, high, routine",
    [
        (
            datetime(2025, 6, 3, 10, 0, tzinfo=NEW_YORK),  # weekday, open
            "as soon as possible today",
            "today or tomorrow",
            "by the end of tomorrow",
        ),
        (
            datetime(2025, 6, 3, 19, 30, tzinfo=NEW_YORK),  # weekday evening, closed
            "first thing when we open, tomorrow at 8 am",
            "tomorrow, after we open at 8 am",
            "by the end of tomorrow",
        ),
        (
            datetime(2025, 6, 3, 6, 15, tzinfo=NEW_YORK),  # weekday, before opening
            "first thing when we open, today at 8 am",
            "today, after we open at 8 am",
            "by the end of today",
        ),
        (
            datetime(2025, 6, 6, 15, 0, tzinfo=NEW_YORK),  # Friday afternoon
            "as soon as possible today",
            "today or Monday",
            "by the end of Monday",
        ),
        (
            datetime(2025, 6, 6, 22, 0, tzinfo=NEW_YORK),  # Friday night
            "first thing when we open, Monday at 8 am",
            "Monday, after we open at 8 am",
            "by the end of Monday",
        ),
        (
            datetime(2025, 6, 7, 12, 0, tzinfo=NEW_YORK),  # Saturday
            "first thing when we open, Monday at 8 am",
            "Monday, after we open at 8 am",
            "by the end of Monday",
        ),
        (
            datetime(2025, 6, 8, 21, 0, tzinfo=NEW_YORK),  # Sunday evening
            "first thing when we open, tomorrow at 8 am",
            "tomorrow, after we open at 8 am",
            "by the end of tomorrow",
        ),
        (
            datetime(2025, 6, 3, 22, 30, tzinfo=timezone.utc),  # 6:30 pm in New York: just closed
            "first thing when we open, tomorrow at 8 am",
            "tomorrow, after we open at 8 am",
            "by the end of tomorrow",
        ),
    ],
)
def test_callback_windows(when, urgent, high, routine):
    center = load_center()  # Monday to Friday, 8 am to 6 pm, New York
    assert window("URGENT", when, center) == urgent
    assert window("HIGH", when, center) == high
    assert window("ROUTINE", when, center) == routine


def test_callback_windows_use_the_centers_hours_and_time_zone():
    center = Center(
        name="X", phone="1", hours="h", address="a", timezone="America/Los_Angeles",
        opening_hours={"saturday": ["09:30", "13:00"], "monday": ["12:00", "20:00"]},
    )
    friday_night_la = datetime(2025, 6, 7, 4, 0, tzinfo=timezone.utc)  # Friday 9 pm in Los Angeles
    assert window("URGENT", friday_night_la, center) == "first thing when we open, tomorrow at 9:30 am"
    assert window("HIGH", datetime(2025, 6, 7, 10, 0), center) == "today or Monday"  # naive: local time
    assert window("URGENT", datetime(2025, 6, 7, 14, 0), center) == "first thing when we open, Monday at 12 pm"


# The five moments, with the whole text the person reads. December 2026:
# the 2nd is a Wednesday, the 25th (a holiday in center.yml) a Friday.
@pytest.mark.parametrize(
    ("when", "level", "text"),
    [
        (datetime(2026, 12, 2, 10, 0, tzinfo=NEW_YORK), "URGENT", "Our team will call you as soon as possible today."),
        (datetime(2026, 12, 2, 20, 0, tzinfo=NEW_YORK), "URGENT",
         f"Our team is closed now and will call you first thing when we open, tomorrow at 8 am. {NOT_WATCHED}"),
        (datetime(2026, 12, 5, 12, 0, tzinfo=NEW_YORK), "HIGH",
         f"Our team is closed now and will call you Monday, after we open at 8 am. {NOT_WATCHED}"),
        (datetime(2026, 12, 25, 11, 0, tzinfo=NEW_YORK), "URGENT",
         f"Our team is closed now and will call you first thing when we open, Monday at 8 am. {NOT_WATCHED}"),
        (datetime(2026, 12, 2, 17, 50, tzinfo=NEW_YORK), "URGENT",
         f"Our team is closing soon and will call you first thing when we open, tomorrow at 8 am. {NOT_WATCHED}"),
        (datetime(2026, 12, 2, 17, 50, tzinfo=NEW_YORK), "HIGH",
         f"Our team is closing soon and will call you tomorrow, after we open at 8 am. {NOT_WATCHED}"),
    ],
    ids=["open", "closed-evening", "weekend", "holiday", "10-min-before-closing", "10-min-before-closing-high"],
)
def test_what_the_person_is_told(when, level, text):
    promise = call_promise(level, when, load_center())
    assert promise.text == text
    assert promise.staffed == (text == "Our team will call you as soon as possible today.")


@pytest.mark.parametrize("hour", [0, 7, 17, 18, 19, 23])
@pytest.mark.parametrize("day", [date(2026, 12, 2) + timedelta(days=n) for n in range(7)])
def test_never_today_or_right_away_unless_staffed(day, hour):
    """Closed, the only "today" is the morning's opening ("today, after we open at 8 am")."""
    for level in ("URGENT", "HIGH", "ROUTINE"):
        promise = call_promise(level, datetime(day.year, day.month, day.day, hour, 55, tzinfo=NEW_YORK), load_center())
        if not promise.staffed:
            opens_later_today = day.weekday() < 5 and hour < 8
            assert ("today" in promise.window) == opens_later_today, promise.window
            assert "as soon as possible" not in promise.text and "right away" not in promise.text
            assert promise.text.endswith(NOT_WATCHED)


def test_a_holiday_right_before_a_weekend():
    center = Center(name="X", phone="1", hours="h", address="a", holidays=(date(2026, 12, 31), date(2027, 1, 1)),
                    opening_hours={d: ["08:00", "18:00"] for d in ("monday", "tuesday", "wednesday", "thursday", "friday")})
    promise = call_promise("URGENT", datetime(2026, 12, 30, 19, 0, tzinfo=NEW_YORK), center)
    assert promise.window == "first thing when we open, Monday at 8 am"


def test_holidays_are_read_from_center_yml(tmp_path):
    raw = yaml.safe_load((PROJECT_ROOT / "center.yml").read_text())
    assert date(2026, 12, 25) in load_center().holidays
    path = tmp_path / "center.yml"
    path.write_text(yaml.safe_dump({**raw, "holidays": ["Christmas"]}))
    with pytest.raises(ValueError, match="holidays"):
        load_center(path)


def test_no_reply_promises_a_call_today_in_fixed_words():
    """Every promise of a call comes from call_promise(): no response may make one of its own."""
    responses = domain_files.responses()
    for name, variants in responses.items():
        for variant in variants:
            text = variant.get("text", "").lower()
            assert not any(p in text for p in ("call you today", "call you right away", "reach you today",
                                               "call you back today", "call you right now")), name
