from assistant.intake.flow import (
    HALT_CALLBACK,
    HALT_CRISIS,
    answer_records,
    count_questions,
    form_questions,
    message_permissions,
    relevant_questions,
    required_questions,
    summary_lines,
)
from assistant.intake.submission import Answer

CONTACT = {
    "intake_phone": "+16175550142",
    "intake_name": "Sam",
    "intake_best_time": "evening",
    "intake_contact_safety": "texts_only",
    "intake_confirmed": "yes",
}
NEGATIVE_MOOD = {
    "intake_phq2_1": "not_at_all",
    "intake_phq2_2": "not_at_all",
    "intake_gad2_1": "not_at_all",
    "intake_gad2_2": "not_at_all",
    "intake_cssrs_1": "no",
    "intake_cssrs_2": "no",
    "intake_cssrs_6": "no",
}
# The usual path: for themself, 26-44, heroin only, every yes/no answer negative.
USUAL = {
    "intake_consent": "yes",
    "intake_for": "self",
    "intake_age_group": "26_44",
    "intake_substances": ["heroin"],
    "intake_last_use": "1_3",
    "intake_drinks": "no",
    "intake_taps_3": "weekly",
    "intake_injection": "no",
    "intake_benzo_daily": "no",
    "intake_withdrawal_now": "no",
    "intake_overdose": "no",
    "intake_current_medication": "interested",
    **NEGATIVE_MOOD,
    "intake_pregnancy": "no",
    "intake_insurance": "medicaid",
    "intake_state": "MA",
    "intake_care_preference": "outpatient",
    **CONTACT,
}
SELF_ALCOHOL = {
    **USUAL,
    "intake_substances": ["alcohol"],
    "intake_audit_c_1": "2_3_week",
    "intake_audit_c_2": "3_4",
    "intake_audit_c_3": "monthly",
    "intake_sex": "female",
    "intake_withdrawal_history": "no",
}
SELF_HEROIN_ALCOHOL = {
    **SELF_ALCOHOL,
    "intake_substances": ["heroin", "alcohol"],
    "intake_taps_3": "weekly",
    "intake_injection": "no",
}
LOVED_ONE_OPIOID = {
    **{k: v for k, v in USUAL.items() if k not in NEGATIVE_MOOD},
    "intake_for": "loved_one",
    "intake_lo_safety": "no",
}
UNDER_18 = {"intake_consent": "yes", "intake_for": "loved_one", "intake_age_group": "under_18", "intake_lo_safety": "no",
            **CONTACT}
UNDER_18_SELF = {**UNDER_18, "intake_for": "self", "intake_cssrs_1": "no", "intake_cssrs_2": "no", "intake_cssrs_6": "no"}


def walk(answers):
    """The questions asked, in order, when every answer comes from `answers`."""
    state: dict = {}
    asked = []
    while pending := required_questions(state):
        asked.append(pending[0])
        state[pending[0]] = answers[pending[0]]
    return asked


def test_usual_path_question_count():
    assert count_questions(USUAL) == 27
    asked = walk(USUAL)
    assert asked[:3] == ["intake_consent", "intake_for", "intake_age_group"]
    assert asked[-1] == "intake_confirmed"
    assert "intake_audit_c_1" not in asked and "intake_taps_4" not in asked and "intake_lo_safety" not in asked
    assert "intake_cssrs_3" not in asked and "intake_withdrawal_history" not in asked


def test_question_counts_per_path(capsys):
    counts = {
        "self opioid (heroin)": count_questions(USUAL),
        "self alcohol": count_questions(SELF_ALCOHOL),
        "self heroin + alcohol": count_questions(SELF_HEROIN_ALCOHOL),
        "loved one opioid (heroin)": count_questions(LOVED_ONE_OPIOID),
        "under 18 (loved one)": count_questions(UNDER_18),
        "under 18 (self)": count_questions(UNDER_18_SELF),
    }
    with capsys.disabled():
        print("\nquestions asked (consent and who it is for count as one step):")
        for path, count in counts.items():
            print(f"  {path}: {count}")
    assert counts == {
        "self opioid (heroin)": 27,
        "self alcohol": 29,
        "self heroin + alcohol": 31,
        "loved one opioid (heroin)": 21,
        "under 18 (loved one)": 8,
        "under 18 (self)": 10,
    }


def test_under_18_is_callback_only_but_still_gets_the_suicide_screen():
    contact = ["intake_phone", "intake_name", "intake_best_time", "intake_contact_safety", "intake_confirmed"]
    assert walk(UNDER_18) == ["intake_consent", "intake_for", "intake_age_group", "intake_lo_safety", *contact]
    assert walk(UNDER_18_SELF) == [
        "intake_consent", "intake_for", "intake_age_group", "intake_cssrs_1", "intake_cssrs_2", "intake_cssrs_6", *contact,
    ]
    yes2 = {**UNDER_18_SELF, "intake_cssrs_2": "yes", "intake_cssrs_3": "no", "intake_cssrs_4": "no", "intake_cssrs_5": "no"}
    assert walk(yes2)[3:9] == [f"intake_cssrs_{n}" for n in range(1, 7)]


def test_intake_for_and_name_are_not_asked_when_already_known():
    prefilled = {"intake_for": "self"}
    assert required_questions(prefilled)[:2] == ["intake_consent", "intake_age_group"]
    with_name = {**USUAL, "intake_name": "Sam", "intake_phone": None, "intake_best_time": None}
    assert required_questions(with_name)[:2] == ["intake_phone", "intake_best_time"]


def test_none_values_are_not_answers_yet():
    slots = {qid: None for qid in USUAL}
    assert required_questions(slots)[0] == "intake_consent"


def test_not_now_ends_it():
    assert relevant_questions({"intake_consent": "no"}) == ["intake_consent"]
    assert required_questions({"intake_consent": "no"}) == []


def test_alcohol_questions_and_the_never_shortcut():
    alcohol = {**USUAL, "intake_substances": ["alcohol"]}
    assert {"intake_audit_c_1", "intake_audit_c_2", "intake_audit_c_3", "intake_withdrawal_history"} <= set(
        relevant_questions(alcohol)
    )
    assert "intake_injection" not in relevant_questions(alcohol) and "intake_taps_3" not in relevant_questions(alcohol)
    never = {**alcohol, "intake_audit_c_1": "never"}
    assert "intake_audit_c_2" not in relevant_questions(never) and "intake_audit_c_3" not in relevant_questions(never)
    skipped = {**alcohol, "intake_audit_c_1": "skipped"}
    assert "intake_audit_c_2" in relevant_questions(skipped)


def test_taps_items_follow_the_substances():
    def ids(*substances):
        return set(relevant_questions({**USUAL, "intake_substances": list(substances)}))

    assert "intake_taps_3" in ids("stimulants") and "intake_taps_4" not in ids("stimulants")
    assert "intake_taps_4" in ids("benzodiazepines") and "intake_taps_3" not in ids("benzodiazepines")
    assert {"intake_taps_3", "intake_taps_4"} <= ids("fentanyl", "opioid_pills")
    assert "intake_taps_3" in ids("other") and "intake_injection" in ids("other")
    assert "intake_withdrawal_history" in ids("benzodiazepines") and "intake_withdrawal_history" not in ids("heroin")
    assert "intake_withdrawal_now" not in ids("stimulants")
    unknown = set(relevant_questions({**USUAL, "intake_substances": "unknown"}))
    assert not unknown & {"intake_taps_3", "intake_taps_4", "intake_audit_c_1", "intake_injection"}


def test_withdrawal_now_only_within_a_week():
    for last_use, asked in [("today", True), ("4_7", True), ("more_than_week", False), ("skipped", True)]:
        answers = {**USUAL, "intake_last_use": last_use}
        assert ("intake_withdrawal_now" in relevant_questions(answers)) == asked, last_use


def test_medication_detail_only_when_on_one():
    assert "intake_current_medication_detail" in relevant_questions({**USUAL, "intake_current_medication": "yes"})
    assert "intake_current_medication_detail" not in relevant_questions(USUAL)


def test_cssrs_6_is_asked_of_everyone_after_2_as_columbia_orders_it():
    """Columbia: "If NO to 2, go directly to question 6"; if yes, 3, 4, 5 and then 6."""
    for item1 in ("yes", "no"):
        ids = relevant_questions({**USUAL, "intake_cssrs_1": item1, "intake_cssrs_2": "no"})
        assert ids[ids.index("intake_cssrs_2") + 1] == "intake_cssrs_6"
    skipped = relevant_questions({**USUAL, "intake_cssrs_2": "skipped"})
    assert "intake_cssrs_6" in skipped and "intake_cssrs_3" not in skipped
    assert "intake_cssrs_6_recent" in relevant_questions({**USUAL, "intake_cssrs_6": "yes"})


def test_cssrs_3_to_6_only_after_yes_to_2_and_6_recent_only_after_yes_to_6():
    assert "intake_cssrs_3" not in relevant_questions({**USUAL, "intake_cssrs_1": "yes"})
    yes2 = {**USUAL, "intake_cssrs_2": "yes"}
    ids = relevant_questions(yes2)
    assert ids[ids.index("intake_cssrs_2") + 1 : ids.index("intake_cssrs_6") + 1] == [
        "intake_cssrs_3", "intake_cssrs_4", "intake_cssrs_5", "intake_cssrs_6",
    ]
    assert "intake_cssrs_6_recent" not in ids
    assert "intake_cssrs_6_recent" in relevant_questions({**yes2, "intake_cssrs_6": "yes"})


def test_loved_one_path_asks_about_safety_not_the_self_report_screens():
    ids = relevant_questions(LOVED_ONE_OPIOID)
    assert "intake_lo_safety" in ids
    assert not [qid for qid in ids if qid.startswith(("intake_phq2", "intake_gad2", "intake_cssrs"))]


def test_pregnancy_state_and_older_adults():
    assert "intake_pregnancy" not in relevant_questions({**USUAL, "intake_age_group": "65_plus"})
    assert "intake_pregnancy" in relevant_questions({**USUAL, "intake_age_group": "skipped"})
    assert "intake_state" not in relevant_questions(USUAL, ask_state=False)
    assert count_questions(USUAL, ask_state=False) == 26


def test_summary_is_labels_in_order_without_process_steps():
    lines = summary_lines(USUAL, "self")
    assert lines[:3] == ["Age: 26-44", "Using: Heroin", "Last use: 1-3 days ago"]
    assert "Phone: (617) 555-0142" in lines and "State: Massachusetts" in lines and "Messages: Texts only" in lines
    assert not [line for line in lines if "yes" in line.lower().split(": ")[0]]
    assert len(lines) == len(answer_records(USUAL, "self")) == 25


def test_summary_drops_answers_a_fix_made_irrelevant():
    fixed = {**SELF_ALCOHOL, "intake_substances": ["heroin"], "intake_taps_3": "weekly", "intake_injection": "no",
             "intake_drinks": "no"}
    lines = summary_lines(fixed, "self")
    assert not [line for line in lines if line.startswith(("Drinking", "Drinks on", "6+", "Seizures", "Sex"))]


def test_answer_records_for_staff():
    records = answer_records({**LOVED_ONE_OPIOID, "intake_injection": "unknown", "intake_insurance": "skipped"}, "loved_one")
    by_id = {r.question_id: r for r in records}
    assert by_id["intake_substances"] == Answer("intake_substances", ["heroin"], "Heroin", "D1")
    assert by_id["intake_injection"].label == "I don't know"
    assert by_id["intake_insurance"] == Answer("intake_insurance", "skipped", "Prefer not to say", "D6")
    assert by_id["intake_current_medication"].label == "No, but they're interested"
    assert by_id["intake_phone"].asam_dimension is None
    assert "intake_consent" not in by_id and "intake_confirmed" not in by_id and "intake_for" not in by_id


def test_message_permissions():
    assert message_permissions(USUAL) == (False, True)
    assert message_permissions({"intake_contact_safety": "both"}) == (True, True)
    assert message_permissions({"intake_contact_safety": "neither"}) == (False, False)
    assert message_permissions({"intake_contact_safety": "skipped"}) == (None, None)


def test_audit_c_is_asked_of_everyone_who_drinks():
    """One gate question when alcohol was not chosen; AUDIT-C and sex at birth when the answer is yes."""
    ids = relevant_questions(USUAL)
    assert "intake_drinks" in ids and "intake_audit_c_1" not in ids
    drinks = relevant_questions({**USUAL, "intake_drinks": "yes"})
    assert {"intake_audit_c_1", "intake_audit_c_2", "intake_audit_c_3", "intake_sex", "intake_withdrawal_history"} <= set(drinks)
    assert "intake_drinks" not in relevant_questions(SELF_ALCOHOL) and "intake_sex" in relevant_questions(SELF_ALCOHOL)
    assert "intake_sex" not in relevant_questions({**SELF_ALCOHOL, "intake_audit_c_1": "never"})


def test_new_safety_questions():
    ids = relevant_questions(USUAL)
    assert {"intake_benzo_daily", "intake_overdose"} <= set(ids)
    assert "intake_injection_infection" not in ids
    assert "intake_injection_infection" in relevant_questions({**USUAL, "intake_injection": "yes"})
    assert "intake_withdrawal_history" in relevant_questions({**USUAL, "intake_benzo_daily": "yes"})


def test_after_a_crisis_the_form_asks_nothing_or_only_how_to_reach_them():
    assert form_questions(USUAL, None) == relevant_questions(USUAL)
    assert form_questions(USUAL, HALT_CRISIS) == []
    assert form_questions(USUAL, HALT_CALLBACK) == ["intake_phone", "intake_name", "intake_contact_safety"]
