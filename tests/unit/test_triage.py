import pytest
import yaml

from assistant.center import PROJECT_ROOT
from assistant.intake.submission import Triage
from assistant.intake.triage import (
    TriageConfigError,
    load_triage_config,
    same_day,
    triage,
)

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
        ("yes", ["stimulants"], "HIGH"),  # pregnancy with any substance use: at least HIGH
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
        (["benzodiazepines"], None, "daily", "HIGH"),  # daily benzodiazepines, not daily opioids
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
        "call_promises: {open: 'Call {window}.', closing_soon: 'Closing, {window}. {not_watched}',\n"
        "                closed: 'Closed, {window}. {not_watched}', not_watched: 'Call 911.'}\n"
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


def test_call_promises_are_checked(tmp_path):
    """Each promise uses exactly its placeholders: a closed center's promise never loses the 911/988 line."""
    windows = "\n".join(f"  {lvl}: {{open: 'soon', closed: 'later'}}" for lvl in ("URGENT", "HIGH", "ROUTINE"))
    path = tmp_path / "triage.yml"
    path.write_text(
        f"rules: []\ncallback_windows:\n{windows}\n"
        "call_promises: {open: 'Call {window}.', closing_soon: 'Closing, {window}. {not_watched}',\n"
        "                closed: 'Closed, {window}.', not_watched: 'Call 911.'}\n"
    )
    with pytest.raises(TriageConfigError, match="call_promises.closed"):
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


# --- the gaps a clinical review found: each was ROUTINE before ---------------------------

NO_OPIOIDS = {**BASE, "intake_substances": ["stimulants"], "intake_taps_3": "weekly"}


def reasons(answers):
    return triage(answers).reasons


def test_heavy_drinking_by_audit_c_is_at_least_high():
    heavy = {**NO_OPIOIDS, "intake_drinks": "yes", "intake_audit_c_1": "2_3_week", "intake_audit_c_2": "7_9",
             "intake_audit_c_3": "weekly"}  # 3 + 3 + 3 = 9
    assert level(heavy) == "HIGH" and "heavy drinking: AUDIT-C 8 or more (withdrawal risk)" in reasons(heavy)
    assert level({**heavy, "intake_audit_c_2": "1_2", "intake_audit_c_3": "monthly"}) == "ROUTINE"  # 5


def test_daily_drinking_with_use_today_is_high():
    today = {**DAILY_DRINKING, "intake_last_use": "today"}
    assert level(today) == "HIGH" and "daily drinking with use today (withdrawal risk)" in reasons(today)


def test_daily_benzodiazepines_prescribed_or_not_are_high():
    daily = {**NO_OPIOIDS, "intake_benzo_daily": "yes"}
    assert level(daily) == "HIGH"
    assert "daily benzodiazepine use, prescribed or not (withdrawal seizure risk)" in reasons(daily)
    assert level({**daily, "intake_withdrawal_history": "yes"}) == "URGENT"


@pytest.mark.parametrize(
    "extra, reason",
    [
        ({"intake_substances": ["heroin", "benzodiazepines"], "intake_taps_4": "monthly"},
         "opioids together with benzodiazepines (overdose risk)"),
        ({"intake_benzo_daily": "yes"}, "opioids together with benzodiazepines (overdose risk)"),
        ({"intake_drinks": "yes", "intake_audit_c_1": "4_plus_week", "intake_audit_c_2": "1_2", "intake_audit_c_3": "never"},
         "opioids together with daily drinking (overdose risk)"),
    ],
)
def test_opioids_with_benzodiazepines_or_daily_alcohol_are_high(extra, reason):
    answers = {**BASE, **extra}
    assert level(answers) == "HIGH" and reason in reasons(answers)


def test_pregnancy_with_any_substance_is_at_least_high():
    pregnant = {**NO_OPIOIDS, "intake_pregnancy": "yes"}
    assert level(pregnant) == "HIGH" and "pregnant (or may be) and using alcohol or drugs" in reasons(pregnant)
    drinking_only = {**BASE, "intake_substances": "skipped", "intake_drinks": "yes", "intake_pregnancy": "not_sure"}
    assert level(drinking_only) == "HIGH"
    assert level({**BASE, "intake_pregnancy": "yes"}) == "URGENT"  # with opioids it stays URGENT


def test_a_recent_overdose_is_urgent():
    answers = {**NO_OPIOIDS, "intake_overdose": "yes"}
    assert level(answers) == "URGENT" and "overdosed or needed naloxone in the past 3 months" in reasons(answers)
    assert level({**NO_OPIOIDS, "intake_overdose": "no"}) == "ROUTINE"


def test_injection_with_signs_of_infection_is_urgent():
    answers = {**BASE, "intake_injection": "yes", "intake_injection_infection": "yes"}
    assert level(answers) == "URGENT"
    assert reasons(answers)[0].startswith("injection use with fever or a red, swollen, painful injection site")
    assert level({**answers, "intake_injection_infection": "no"}) == "HIGH"  # injection alone


def test_score_conditions_are_checked(tmp_path):
    path = tmp_path / "triage.yml"
    raw = yaml.safe_load((PROJECT_ROOT / "triage.yml").read_text())
    raw["rules"] = [{"level": "HIGH", "reason": "x", "when": {"score": "DAST-10", "at_least": 3}}]
    path.write_text(yaml.safe_dump(raw))
    with pytest.raises(TriageConfigError, match="score needs one of AUDIT-C"):
        load_triage_config(path)


def test_pregnant_and_in_withdrawal_is_urgent_whatever_the_substance():
    answers = {**NO_OPIOIDS, "intake_substances": ["alcohol"], "intake_pregnancy": "yes", "intake_withdrawal_now": "yes"}
    assert level(answers) == "URGENT" and "pregnant (or may be) with withdrawal symptoms now" in reasons(answers)
