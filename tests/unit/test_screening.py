import pytest

from assistant.intake.screening import (
    audit_c,
    cssrs,
    cssrs_risk,
    gad2,
    imminent,
    imminent_item,
    phq2,
    score_all,
    suicide_screen_positive,
    taps1,
)
from assistant.intake.submission import Score

CUT_OFF = "cut-off 3 used (sex not given)"


def test_audit_c_published_examples():
    # 4+ times a week (4) + 3-4 drinks (1) + weekly 6+ (3) = 8
    assert audit_c("4_plus_week", "3_4", "weekly") == Score("AUDIT-C", 8, 12, True, CUT_OFF)
    # monthly or less (1) + 1-2 drinks (0) + never (0) = 1
    assert audit_c("monthly_or_less", "1_2", "never") == Score("AUDIT-C", 1, 12, False, CUT_OFF)
    assert audit_c("4_plus_week", "10_plus", "daily").score == 12


def test_audit_c_cut_off_without_sex():
    three = audit_c("2_3_week", "1_2", "never")
    assert (three.score, three.positive) == (3, True)
    assert three.detail == "cut-off 3 used (sex not given)"
    assert audit_c("2_4_month", "3_4", "less_than_monthly").positive is True  # 4
    assert audit_c("2_4_month", "1_2", "never").positive is False  # 2


def test_audit_c_never_drinking_scores_zero_without_items_2_and_3():
    score = audit_c("never")
    assert (score.score, score.positive) == (0, False)


def test_audit_c_skipped_items_are_not_scored():
    assert audit_c("skipped") == Score("AUDIT-C", None, 12, None, "not scored: item skipped")
    assert audit_c("4_plus_week", "skipped", "weekly").score is None
    assert audit_c("4_plus_week", "3_4", "unknown").detail == "not scored: item not known"


def test_taps1_any_use_is_positive_and_names_the_item():
    weekly = taps1(item3="weekly")
    assert (weekly.score, weekly.max_score, weekly.positive) == (1, 1, True)
    assert "item 3 (drugs): Weekly" in weekly.detail and weekly.detail.endswith("positive: item 3")
    both = taps1("never", "less_than_monthly")
    assert (both.score, both.max_score, both.positive) == (1, 2, True)
    assert both.detail.endswith("positive: item 4")
    assert taps1("never", "never").positive is False
    assert taps1(item4="daily").detail.endswith("positive: item 4")


def test_taps1_skipped():
    assert taps1(item3="skipped").score is None and taps1(item3="skipped").detail.startswith("not scored: item skipped")
    partial = taps1("skipped", "daily")
    assert partial.positive is True  # item 4 alone is enough
    with pytest.raises(ValueError):
        taps1()


def test_phq2_and_gad2():
    # more than half the days (2) + nearly every day (3) = 5
    assert phq2("more_than_half", "nearly_every_day") == Score("PHQ-2", 5, 6, True, "cut-off 3; follow up with PHQ-9")
    # several days (1) x 2 = 2
    assert gad2("several_days", "several_days") == Score("GAD-2", 2, 6, False, "cut-off 3")
    assert gad2("several_days", "more_than_half").positive is True  # 3
    assert phq2("not_at_all", "skipped") == Score("PHQ-2", None, 6, None, "not scored: item skipped")


def answers(*yes, recent=None, asked=(1, 2)):
    result = {f"intake_cssrs_{n}": ("yes" if n in yes else "no") for n in set(asked) | set(yes)}
    if recent is not None:
        result["intake_cssrs_6_recent"] = recent
    return result


@pytest.mark.parametrize(
    "given, risk, positive, is_imminent",
    [
        (answers(), "none", False, False),
        (answers(1), "low", False, False),
        (answers(1, 2, asked=range(1, 7)), "low", True, False),
        (answers(2, 3, asked=range(1, 7)), "moderate", True, False),
        (answers(2, 6, recent="no", asked=range(1, 7)), "moderate", True, False),
        (answers(2, 4, asked=range(1, 7)), "high", True, True),
        (answers(2, 3, 5, asked=range(1, 7)), "high", True, True),
        (answers(2, 6, recent="yes", asked=range(1, 7)), "high", True, True),
        (answers(2, 6, recent="skipped", asked=range(1, 7)), "high", True, True),  # the safer reading
    ],
)
def test_cssrs_columbia_triage_points(given, risk, positive, is_imminent):
    assert cssrs_risk(given) == risk
    score = cssrs(given)
    assert score.score == ("none", "low", "moderate", "high").index(risk)
    assert score.positive is positive
    assert score.detail.startswith(f"risk {risk}")
    assert suicide_screen_positive(given) is positive
    assert imminent(given) is is_imminent


def test_cssrs_skipped_items():
    assert cssrs({"intake_cssrs_1": "skipped", "intake_cssrs_2": "no"}) == Score(
        "C-SSRS", None, 3, None, "not scored: item skipped"
    )
    partial = cssrs({"intake_cssrs_1": "yes", "intake_cssrs_2": "skipped"})
    assert partial.detail == "risk low (Columbia triage: yes to item 1); yes to 1; some items skipped"


def test_loved_one_safety_answer_counts_as_a_positive_screen():
    assert suicide_screen_positive({"intake_lo_safety": "yes"})
    assert not suicide_screen_positive({"intake_lo_safety": "unknown"})
    assert not imminent({"intake_lo_safety": "yes"})


def test_score_all_only_for_instruments_asked():
    assert score_all({"intake_substances": ["heroin"]}) == ()
    scores = score_all(
        {
            "intake_audit_c_1": "never",
            "intake_taps_3": "weekly",
            "intake_phq2_1": "several_days",
            "intake_phq2_2": "several_days",
            "intake_gad2_1": "skipped",
            "intake_gad2_2": "not_at_all",
            "intake_cssrs_1": "no",
            "intake_cssrs_2": "no",
        }
    )
    assert [s.instrument for s in scores] == ["AUDIT-C", "TAPS-1 items 3-4", "PHQ-2", "GAD-2", "C-SSRS"]
    assert [s.score for s in scores] == [0, 1, 2, None, 0]


def test_score_all_marks_a_family_members_answers():
    family = {"intake_audit_c_1": "4_plus_week", "intake_audit_c_2": "5_6", "intake_audit_c_3": "weekly"}
    scores = score_all({"intake_for": "loved_one", **family})
    assert scores[0].score == 9 and scores[0].detail.endswith("answered by a family member")


def test_audit_c_uses_the_cut_off_for_the_sex_assigned_at_birth():
    three = ("2_3_week", "1_2", "never")  # 3 points
    assert audit_c(*three, sex="female") == Score("AUDIT-C", 3, 12, True, "cut-off 3 (women)")
    assert audit_c(*three, sex="male") == Score("AUDIT-C", 3, 12, False, "cut-off 4 (men)")
    assert audit_c("2_4_month", "3_4", "less_than_monthly", sex="male").positive is True  # 4
    assert audit_c(*three, sex="skipped").detail == "cut-off 3 used (sex not given)"


@pytest.mark.parametrize(
    ("answers", "risk", "behind"),
    [
        ({"intake_cssrs_1": "yes", "intake_cssrs_2": "no", "intake_cssrs_6": "no"}, "low", "item 1"),
        ({"intake_cssrs_2": "yes", "intake_cssrs_3": "yes", "intake_cssrs_4": "no", "intake_cssrs_5": "no",
          "intake_cssrs_6": "no"}, "moderate", "item 3"),
        ({"intake_cssrs_2": "no", "intake_cssrs_6": "yes", "intake_cssrs_6_recent": "no"}, "moderate",
         "item 6 over 3 months ago"),
        ({"intake_cssrs_2": "no", "intake_cssrs_6": "yes", "intake_cssrs_6_recent": "yes"}, "high", "item 6 within 3 months"),
        ({"intake_cssrs_2": "yes", "intake_cssrs_3": "yes", "intake_cssrs_4": "yes", "intake_cssrs_5": "yes"}, "high",
         "item 4, item 5"),
    ],
)
def test_cssrs_risk_as_columbia_defines_it_with_the_items_behind_it(answers, risk, behind):
    score = cssrs(answers)
    assert cssrs_risk(answers) == risk
    assert score.detail.startswith(f"risk {risk} (Columbia triage: yes to {behind})")


def test_imminent_waits_for_when_item_6_was():
    assert imminent_item({"intake_cssrs_6": "yes"}) is None  # "within 3 months?" not asked yet
    assert imminent_item({"intake_cssrs_6": "yes", "intake_cssrs_6_recent": "yes"}) == "intake_cssrs_6_recent"
    assert imminent_item({"intake_cssrs_6": "yes", "intake_cssrs_6_recent": "skipped"}) == "intake_cssrs_6_recent"
    assert imminent_item({"intake_cssrs_6": "yes", "intake_cssrs_6_recent": "no"}) is None
    assert imminent_item({"intake_cssrs_4": "yes"}) == "intake_cssrs_4"
    assert imminent_item({"intake_cssrs_5": "yes"}) == "intake_cssrs_5"
