"""Due times (assistant/intake/due.py): the end of the window the person was promised, never in closed hours."""

from dataclasses import replace
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import yaml

from assistant.center import PROJECT_ROOT, Center, load_center
from assistant.db.callbacks import get_callback, save_callback_request
from assistant.intake.callback_request import build_submission
from assistant.intake.due import due_at, load_due_config
from assistant.intake.promises import _day_name, _hours, call_promise
from assistant.intake.triage import TriageConfigError
from tests.intake_support import make_submission

NEW_YORK = ZoneInfo("America/New_York")
LEVELS = ("URGENT", "HIGH", "ROUTINE")


def ny(year, month, day, hour, minute):
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


# 2027: March 3 is a Wednesday, March 6 a Saturday; May 31 (Memorial Day) and July 5 are holidays in center.yml.
@pytest.mark.parametrize(
    "now, urgent, high_and_routine",
    [
        (ny(2027, 3, 3, 10, 0), ny(2027, 3, 3, 11, 0), ny(2027, 3, 4, 18, 0)),  # weekday morning, open
        (ny(2027, 3, 3, 6, 15), ny(2027, 3, 3, 9, 0), ny(2027, 3, 3, 18, 0)),  # weekday, before opening
        (ny(2027, 3, 3, 17, 20), ny(2027, 3, 3, 18, 0), ny(2027, 3, 4, 18, 0)),  # open: due by closing at the latest
        (ny(2027, 3, 3, 17, 50), ny(2027, 3, 4, 9, 0), ny(2027, 3, 4, 18, 0)),  # 10 minutes before closing
        (ny(2027, 3, 3, 20, 0), ny(2027, 3, 4, 9, 0), ny(2027, 3, 4, 18, 0)),  # evening
        (ny(2027, 3, 6, 12, 0), ny(2027, 3, 8, 9, 0), ny(2027, 3, 8, 18, 0)),  # Saturday
        (ny(2027, 5, 31, 11, 0), ny(2027, 6, 1, 9, 0), ny(2027, 6, 1, 18, 0)),  # holiday
        (ny(2027, 7, 2, 10, 0), ny(2027, 7, 2, 11, 0), ny(2027, 7, 6, 18, 0)),  # Friday before a holiday Monday
        (ny(2027, 7, 2, 19, 0), ny(2027, 7, 6, 9, 0), ny(2027, 7, 6, 18, 0)),  # that Friday evening
    ],
    ids=["weekday-morning", "before-opening", "20-min-before-closing", "10-min-before-closing", "evening",
         "saturday", "holiday", "friday-before-holiday", "friday-evening-before-holiday"],
)
def test_due_times(now, urgent, high_and_routine):
    center = load_center()  # Monday to Friday, 8 am to 6 pm, New York, cutoff 30 minutes
    assert due_at("URGENT", now, center) == urgent
    assert due_at("HIGH", now, center) == high_and_routine
    assert due_at("ROUTINE", now, center) == high_and_routine
    assert due_at("URGENT", now, center).tzinfo == timezone.utc


def test_a_naive_time_is_the_centers_local_time():
    assert due_at("URGENT", datetime(2027, 3, 3, 10, 0), load_center()) == ny(2027, 3, 3, 11, 0)


@pytest.mark.parametrize("level", LEVELS)
def test_due_in_open_hours_on_the_day_the_promise_names(level):
    """Every half hour of a week with a weekend and a holiday: the due time keeps the promise's word."""
    center = load_center()
    for step in range(8 * 48):
        now = ny(2027, 7, 1, 0, 0) + timedelta(minutes=30 * step)
        due = due_at(level, now, center).astimezone(NEW_YORK)
        hours = _hours(center, due.date())
        assert hours is not None and hours[0] <= due.time() <= hours[1], (now, due)
        assert due > now
        assert _day_name(due.date(), now.date()) in call_promise(level, now, center).window, (now, due)


def test_daylight_saving_counts_real_minutes():
    always_open = Center(name="X", phone="1", hours="h", address="a")  # no opening_hours: any day, any time
    before_the_change = ny(2027, 3, 14, 1, 30)  # clocks go from 2:00 to 3:00 that night
    assert due_at("URGENT", before_the_change, always_open) == before_the_change.astimezone(timezone.utc) + timedelta(hours=1)
    assert due_at("URGENT", before_the_change, always_open).astimezone(NEW_YORK).time() == time(3, 30)


def write_config(tmp_path, **changes):
    raw = yaml.safe_load((PROJECT_ROOT / "triage.yml").read_text())
    raw.update(changes)
    path = tmp_path / "triage.yml"
    path.write_text(yaml.safe_dump(raw))
    return path


def test_the_rules_are_config(tmp_path):
    due = {level: {"open": {"minutes": 240}, "closed": {"end_of": "next_business_day"}} for level in LEVELS}
    config = load_due_config(write_config(tmp_path, callback_due=due, unanswered_limit=5))
    assert config.unanswered_limit == 5
    assert due_at("HIGH", ny(2027, 3, 3, 9, 0), load_center(), config) == ny(2027, 3, 3, 13, 0)
    assert due_at("HIGH", ny(2027, 3, 3, 20, 0), load_center(), config) == ny(2027, 3, 4, 18, 0)
    assert load_due_config().unanswered_limit == 3  # triage.yml as shipped


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"callback_due": None}, "callback_due needs"),
        ({"callback_due": {"URGENT": {"open": {"minutes": 60}, "closed": {"minutes": 60}}}}, "callback_due.HIGH"),
        ({"callback_due": {level: {"open": {"end_of": "friday"}, "closed": {"minutes": 60}} for level in LEVELS}},
         "callback_due.URGENT.open"),
        ({"callback_due": {level: {"open": {"minutes": 60}, "closed": {"minutes": 0}} for level in LEVELS}},
         "callback_due.URGENT.closed"),
        ({"unanswered_limit": 0}, "unanswered_limit"),
    ],
)
def test_config_mistakes_are_reported(tmp_path, changes, message):
    with pytest.raises(TriageConfigError, match=message):
        load_due_config(write_config(tmp_path, **changes))


def test_the_request_is_due_by_its_promise():
    now = datetime(2025, 3, 4, 15, 0, tzinfo=timezone.utc)  # a Tuesday, 10 am in New York
    answers = {"intake_consent": "yes", "intake_for": "self", "intake_phone": "+16175550142"}
    submission, promise = build_submission("conv-1", answers, set(), now)
    assert (submission.triage.level, promise.window) == ("ROUTINE", "by the end of tomorrow")
    assert submission.due_at == ny(2025, 3, 5, 18, 0)  # the same moment as the promise


def test_a_stored_request_keeps_its_due_time(tmp_path):
    url = f"sqlite:///{tmp_path / 'records.db'}"
    given = datetime(2025, 3, 5, 23, 0, tzinfo=timezone.utc)
    kept = get_callback(save_callback_request(replace(make_submission("HIGH"), due_at=given), [], url=url), url=url)
    assert kept is not None and kept.due_at == given
    # Built elsewhere (no due time): due from when it was stored.
    computed = get_callback(save_callback_request(make_submission("URGENT"), [], url=url), url=url)
    assert computed is not None and computed.due_at == due_at("URGENT", computed.created_at)
