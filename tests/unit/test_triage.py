from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from assistant.center import Center, load_center
from assistant.intake.submission import Triage
from assistant.intake.triage import (
    TriageConfigError,
    callback_window,
    load_triage_config,
    same_day,
    triage,
)

NEW_YORK = ZoneInfo("America/New_York")
# An adult using heroin weekly, nothing else of note.
BASE = {
    "intake_for": "self",
    "intake_age_group": "26_44",
    "intake_substances": ["heroin"],
    "intake_last_use": "1_3",
    "intake_taps_3": "weekly",
    "intake_injection": "no",
    "intake_withdrawal_now": "no",
    "intake_cssrs_1": "no",
    "intake_cssrs_2": "no",
    "intake_pregnancy": "no",
}
DAILY_DRINKING = {
    **BASE,
    "intake_substances": ["alcohol"],
    "intake_audit_c_1": "4_plus_week",
    "intake_withdrawal_history": "no",
}


def level(answers, crisis=frozenset()):
    return triage(answers, crisis).level


def test_routine_when_no_rule_matches():
    assert triage(BASE) == Triage("ROUTINE", ())


@pytest.mark.parametrize("item", ["intake_cssrs_2", "intake_cssrs_3", "intake_cssrs_4", "intake_cssrs_5", "intake_cssrs_6"])
def test_any_yes_to_cssrs_2_to_6_is_urgent(item):
    assert triage({**BASE, item: "yes"}) == Triage("URGENT", ("positive suicide screen",))


def test_cssrs_1_alone_and_skipped_items_are_not_urgent():
    assert level({**BASE, "intake_cssrs_1": "yes"}) == "ROUTINE"
    assert level({**BASE, "intake_cssrs_2": "skipped"}) == "ROUTINE"


def test_loved_one_safety_yes_is_urgent():
    loved = {**BASE, "intake_for": "loved_one", "intake_lo_safety": "yes"}
    assert triage(loved).reasons == ("positive suicide screen",)
    assert level({**loved, "intake_lo_safety": "unknown"}) == "ROUTINE"


@pytest.mark.parametrize(
    "kind, reason",
    [
        ("suicide", "suicide crisis earlier in this conversation"),
        ("overdose", "overdose earlier in this conversation"),
        ("medical", "medical emergency earlier in this conversation"),
    ],
)
def test_crisis_paths_in_the_conversation_are_urgent(kind, reason):
    assert triage(BASE, {kind}) == Triage("URGENT", (reason,))


@pytest.mark.parametrize(
    "pregnancy, substances, expected",
    [
        ("yes", ["heroin"], "URGENT"),
        ("not_sure", ["opioid_pills"], "URGENT"),
        ("yes", ["fentanyl", "alcohol"], "URGENT"),
        ("yes", ["stimulants"], "ROUTINE"),
        ("no", ["heroin"], "ROUTINE"),
        ("skipped", ["heroin"], "ROUTINE"),
    ],
)
def test_pregnancy_with_opioids(pregnancy, substances, expected):
    answers = {**BASE, "intake_pregnancy": pregnancy, "intake_substances": substances, "intake_taps_3": "never"}
    assert level(answers) == expected


def test_daily_alcohol_with_seizure_history_or_withdrawal_now():
    assert level(DAILY_DRINKING) == "ROUTINE"
    assert triage({**DAILY_DRINKING, "intake_withdrawal_history": "yes"}).reasons == (
        "daily alcohol or benzodiazepines with past seizures/DTs or withdrawal now",
    )
    urgent = triage({**DAILY_DRINKING, "intake_withdrawal_now": "yes"})
    assert urgent.level == "URGENT" and urgent.reasons[-1] == "withdrawal symptoms now"
    # 2-3 times a week is not the daily approximation.
    assert level({**DAILY_DRINKING, "intake_audit_c_1": "2_3_week", "intake_withdrawal_history": "yes"}) == "ROUTINE"


def test_daily_benzodiazepines_with_seizure_history():
    benzos = {**BASE, "intake_substances": ["benzodiazepines"], "intake_taps_4": "daily", "intake_withdrawal_history": "yes"}
    assert level(benzos) == "URGENT"
    assert level({**benzos, "intake_taps_4": "weekly"}) == "ROUTINE"
    # Daily item 4 with opioid pills only is not about benzodiazepines.
    assert level({**benzos, "intake_substances": ["opioid_pills"]}) == "HIGH"


@pytest.mark.parametrize(
    "substances, taps3, taps4, expected",
    [
        (["heroin"], "daily", None, "HIGH"),
        (["fentanyl"], "daily", None, "HIGH"),
        (["opioid_pills"], None, "daily", "HIGH"),
        (["heroin"], "weekly", None, "ROUTINE"),
        (["stimulants"], "daily", None, "ROUTINE"),
        (["heroin", "stimulants"], "daily", None, "HIGH"),  # item 3 covers both: read as daily opioids
        (["benzodiazepines"], None, "daily", "ROUTINE"),
    ],
)
def test_daily_opioid_use_is_high(substances, taps3, taps4, expected):
    answers = {**BASE, "intake_substances": substances, "intake_taps_3": taps3, "intake_taps_4": taps4}
    assert level(answers) == expected


def test_injection_and_withdrawal_now_are_high():
    assert triage({**BASE, "intake_injection": "yes"}) == Triage("HIGH", ("injection drug use",))
    assert triage({**BASE, "intake_withdrawal_now": "yes"}) == Triage("HIGH", ("withdrawal symptoms now",))
    assert level({**BASE, "intake_injection": "unknown"}) == "ROUTINE"


def test_every_matching_reason_is_listed_most_urgent_first():
    answers = {**BASE, "intake_injection": "yes", "intake_taps_3": "daily", "intake_cssrs_2": "yes"}
    assert triage(answers, {"overdose"}) == Triage(
        "URGENT",
        (
            "positive suicide screen",
            "overdose earlier in this conversation",
            "daily opioid use",
            "injection drug use",
        ),
    )


def test_same_day():
    assert same_day(Triage("URGENT", ("x",)), BASE)
    assert not same_day(Triage("HIGH", ("x",)), BASE)
    # A positive suicide screen is same-day even if a center's rules rated it lower.
    assert same_day(Triage("ROUTINE", ()), {**BASE, "intake_cssrs_3": "yes"})


def test_rules_are_config(tmp_path):
    path = tmp_path / "triage.yml"
    windows = "\n".join(f"  {lvl}: {{open: 'soon', closed: 'later'}}" for lvl in ("URGENT", "HIGH", "ROUTINE"))
    path.write_text(
        "rules:\n"
        "  - level: HIGH\n"
        "    reason: drinks weekly\n"
        "    when: {question: intake_audit_c_1, in: [2_3_week, 4_plus_week]}\n"
        "  - level: URGENT\n"
        "    reason: injects\n"
        "    when: {question: intake_injection, in: [yes]}\n"  # unquoted yes is read as "yes"
        "same_day_levels: [URGENT, HIGH]\n"
        f"callback_windows:\n{windows}\n"
    )
    config = load_triage_config(path)
    assert triage({"intake_audit_c_1": "2_3_week"}, config=config) == Triage("HIGH", ("drinks weekly",))
    assert triage({"intake_injection": "yes"}, config=config).level == "URGENT"
    assert same_day(Triage("HIGH", ()), {}, config=config)


@pytest.mark.parametrize(
    "rule, message",
    [
        ("{level: SOON, reason: x, when: {crisis: [overdose]}}", "needs a level"),
        ("{level: HIGH, reason: x, when: {question: intake_typo, in: [x]}}", "known question"),
        ("{level: HIGH, reason: x, when: {question: intake_taps_3, in: [dayly]}}", "no value 'dayly'"),
        ("{level: HIGH, reason: x, when: {crisis: [flood]}}", "crisis needs"),
        ("{level: HIGH, reason: x, when: {any: []}}", "non-empty list"),
        ("{level: HIGH, reason: x, when: {question: intake_taps_3, in: [daily], crisis: [overdose]}}", "one of"),
    ],
)
def test_config_mistakes_are_reported(tmp_path, rule, message):
    path = tmp_path / "triage.yml"
    path.write_text(f"rules:\n  - {rule}\n")
    with pytest.raises(TriageConfigError, match=message):
        load_triage_config(path)


def test_window_placeholders_are_checked(tmp_path):
    path = tmp_path / "triage.yml"
    path.write_text(
        "rules: []\ncallback_windows:\n"
        "  URGENT: {open: 'now', closed: '{opening_day.__class__}'}\n"
        "  HIGH: {open: 'a', closed: 'b'}\n  ROUTINE: {open: 'a', closed: 'b'}\n"
    )
    with pytest.raises(TriageConfigError, match="URGENT.closed"):
        load_triage_config(path)


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
    assert callback_window("URGENT", when, center) == urgent
    assert callback_window("HIGH", when, center) == high
    assert callback_window("ROUTINE", when, center) == routine


def test_callback_windows_use_the_centers_hours_and_time_zone():
    center = Center(
        name="X", phone="1", hours="h", address="a", timezone="America/Los_Angeles",
        opening_hours={"saturday": ["09:30", "13:00"], "monday": ["12:00", "20:00"]},
    )
    friday_night_la = datetime(2025, 6, 7, 4, 0, tzinfo=timezone.utc)  # Friday 9 pm in Los Angeles
    assert callback_window("URGENT", friday_night_la, center) == "first thing when we open, tomorrow at 9:30 am"
    assert callback_window("HIGH", datetime(2025, 6, 7, 10, 0), center) == "today or Monday"  # naive: local time
    assert callback_window("URGENT", datetime(2025, 6, 7, 14, 0), center) == "first thing when we open, Monday at 12 pm"
