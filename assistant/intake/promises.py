"""Every promise of a call back, from one place: the center's hours, time zone and holidays.

After the summary, after a crisis and on an URGENT request the person is told
when staff will actually call. A center that is closed, on holiday, or about
to close (`intake.callback_cutoff_minutes` in center.yml) never promises "as
soon as possible" or "today" before the next opening: the promise names that
opening ("today at 8 am" only before it), and says that nobody watches this
chat, with 911 and 988. The sentences are triage.yml's (call_promises, around
its callback_windows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from assistant.center import Center, current_center
from assistant.intake.submission import LEVELS
from assistant.intake.triage import TriageConfig, triage_config

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Far enough to cross a long holiday break; a center with no opening day at all is a config error.
SEARCH_DAYS = 31


@dataclass(frozen=True)
class CallPromise:
    window: str  # when, as stored on the request and shown to staff: "Monday, after we open at 8 am"
    staffed: bool  # staff are working now and not about to leave
    text: str  # what the person reads


def _hours(center: Center, day: date) -> tuple[time, time] | None:
    if day in center.holidays:
        return None
    if not center.opening_hours:  # no hours configured: any day, any time
        return time(0, 0), time(23, 59, 59)
    span = center.opening_hours.get(WEEKDAYS[day.weekday()])
    return (time.fromisoformat(span[0]), time.fromisoformat(span[1])) if span else None


def _day_name(day: date, today: date) -> str:
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    name = WEEKDAYS[day.weekday()].capitalize()
    return name if day - today < timedelta(days=7) else f"{name} {day:%B} {day.day}"


def _clock(t: time) -> str:
    hour = t.hour % 12 or 12
    minutes = f":{t.minute:02d}" if t.minute else ""
    return f"{hour}{minutes} {'am' if t.hour < 12 else 'pm'}"


@dataclass(frozen=True)
class Moment:
    """Where a moment falls in the center's hours: the promise and the due time (due.py) are both made from it."""

    today: date  # the center's local date
    staffed: bool  # open, and not within callback_cutoff_minutes of closing
    closing_soon: bool  # open, but within the cutoff
    opening: datetime  # the next time staff start work, in the center's time zone
    next_business_day: date  # the next day with opening hours after today


def moment(now: datetime, center: Center) -> Moment:
    """`now` aware, or naive in the center's local time."""
    tz = ZoneInfo(center.timezone)
    local = now.astimezone(tz) if now.tzinfo else now.replace(tzinfo=tz)
    today, clock = local.date(), local.time()
    hours = _hours(center, today)
    cutoff = (datetime.combine(today, hours[1]) - timedelta(minutes=center.callback_cutoff_minutes())).time() if hours else None
    staffed = hours is not None and cutoff is not None and hours[0] <= clock < hours[1] and clock < cutoff
    closing_soon = hours is not None and hours[0] <= clock < hours[1] and not staffed
    # The next time staff start work: later today if they have not started yet, else a later day.
    opening = next(
        ((day, span[0]) for offset in range(SEARCH_DAYS + 1)
         for day in [today + timedelta(days=offset)] for span in [_hours(center, day)]
         if span and (offset > 0 or clock < span[0])),
        None,
    )
    next_business_day = next(
        (today + timedelta(days=n) for n in range(1, SEARCH_DAYS + 1) if _hours(center, today + timedelta(days=n))), None
    )
    if opening is None or next_business_day is None:
        raise ValueError("center.yml: no opening day in the next month (opening_hours and holidays)")
    return Moment(today, staffed, closing_soon, datetime.combine(opening[0], opening[1], tzinfo=tz), next_business_day)


def closing_at(center: Center, day: date) -> datetime:
    """The day's closing time in the center's time zone (the day must have opening hours)."""
    hours = _hours(center, day)
    if hours is None:
        raise ValueError(f"the center is closed on {day}")
    return datetime.combine(day, hours[1], tzinfo=ZoneInfo(center.timezone))


def call_promise(level: str, now: datetime, center: Center | None = None, config: TriageConfig | None = None) -> CallPromise:
    """When staff will call a request of this triage level made at `now` (naive: the center's local time)."""
    center = center or current_center()
    config = config or triage_config()
    at = moment(now, center)
    staffed, today = at.staffed, at.today
    template = config.callback_windows[level]["open" if staffed else "closed"]
    window = template.format(
        opening_day=_day_name(at.opening.date(), today),
        opening_time=_clock(at.opening.time()),
        next_business_day=_day_name(at.next_business_day, today),
    )
    wording = config.call_promises
    text = wording["open" if staffed else "closing_soon" if at.closing_soon else "closed"].format(
        window=window, not_watched=wording["not_watched"])
    return CallPromise(window, staffed, text)


def review_examples(center: Center | None = None) -> list[tuple[str, str]]:
    """What the person is told at fixed moments, for the clinical review (make clinical-review)."""
    center = center or current_center()
    tz = ZoneInfo(center.timezone)
    moments = {
        "a weekday at 10 am": datetime(2027, 3, 3, 10, 0, tzinfo=tz),  # a Wednesday
        "a weekday evening, 8 pm": datetime(2027, 3, 3, 20, 0, tzinfo=tz),
        "10 minutes before closing": datetime(2027, 3, 3, 17, 50, tzinfo=tz),
        "Saturday noon": datetime(2027, 3, 6, 12, 0, tzinfo=tz),
        "a holiday (the first one listed in center.yml)": (
            datetime.combine(center.holidays[0], time(11, 0), tzinfo=tz) if center.holidays else None
        ),
    }
    return [
        (f"{level}, {moment}", call_promise(level, when, center).text)
        for moment, when in moments.items() if when is not None
        for level in LEVELS
    ]
