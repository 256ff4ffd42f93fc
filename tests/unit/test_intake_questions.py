import pytest

from assistant.intake.questions import (
    buttons_for,
    catalog,
    notice_text,
    notice_version,
    question,
    text_for,
)

# Every question id of docs/pre-assessment.md.
DESIGN_IDS = [
    "intake_consent", "intake_for", "intake_age_group", "intake_substances", "intake_last_use", "intake_drinks",
    "intake_audit_c_1", "intake_audit_c_2", "intake_audit_c_3", "intake_sex", "intake_taps_3", "intake_taps_4",
    "intake_injection", "intake_injection_infection", "intake_benzo_daily", "intake_withdrawal_history",
    "intake_withdrawal_now", "intake_overdose", "intake_current_medication", "intake_current_medication_detail",
    "intake_phq2_1", "intake_phq2_2", "intake_gad2_1", "intake_gad2_2", "intake_cssrs_1", "intake_cssrs_2",
    "intake_cssrs_3", "intake_cssrs_4", "intake_cssrs_5", "intake_cssrs_6", "intake_cssrs_6_recent", "intake_lo_safety",
    "intake_pregnancy", "intake_insurance", "intake_state", "intake_care_preference", "intake_phone", "intake_name",
    "intake_best_time", "intake_contact_safety", "intake_confirmed",
]

# Exact item wording and response options of the validated instruments (docs/clinical-sources.md#screening-instruments).
FREQUENCY = ["Never", "Less than monthly", "Monthly", "Weekly", "Daily or almost daily"]
PHQ_STEM = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
PHQ_OPTIONS = [("Not at all", 0), ("Several days", 1), ("More than half the days", 2), ("Nearly every day", 3)]
YES_NO = [("Yes", 1), ("No", 0)]
INSTRUMENT_ITEMS = {
    "intake_audit_c_1": (
        ["How often did you have a drink containing alcohol in the past year?"],
        [("Never", 0), ("Monthly or less", 1), ("2-4 times a month", 2), ("2-3 times a week", 3), ("4 or more times a week", 4)],
    ),
    "intake_audit_c_2": (
        ["How many drinks containing alcohol did you have on a typical day when you were drinking in the past year?"],
        [("1 or 2", 0), ("3 or 4", 1), ("5 or 6", 2), ("7 to 9", 3), ("10 or more", 4)],
    ),
    "intake_audit_c_3": (
        ["How often did you have six or more drinks on one occasion in the past year?"],
        list(zip(FREQUENCY, range(5), strict=True)),
    ),
    "intake_taps_3": (
        [
            "In the PAST 12 MONTHS, how often have you used any drugs including marijuana, cocaine or crack, heroin, "
            "methamphetamine (crystal meth), hallucinogens, ecstasy/MDMA?"
        ],
        list(zip(FREQUENCY, range(5), strict=True)),
    ),
    "intake_taps_4": (
        [
            "In the PAST 12 MONTHS, how often have you used any prescription medications just for the feeling, more "
            "than prescribed or that were not prescribed for you? Prescription medications that may be used this way "
            "include: opiate pain relievers (for example, OxyContin, Vicodin, Percocet, or methadone); medications for "
            "anxiety or sleeping (for example, Xanax, Ativan, or Klonopin); medications for ADHD (for example, Adderall "
            "or Ritalin)."
        ],
        list(zip(FREQUENCY, range(5), strict=True)),
    ),
    "intake_phq2_1": ([PHQ_STEM, "Little interest or pleasure in doing things"], PHQ_OPTIONS),
    "intake_phq2_2": ([PHQ_STEM, "Feeling down, depressed, or hopeless"], PHQ_OPTIONS),
    "intake_gad2_1": ([PHQ_STEM, "Feeling nervous, anxious, or on edge"], PHQ_OPTIONS),
    "intake_gad2_2": ([PHQ_STEM, "Not being able to stop or control worrying"], PHQ_OPTIONS),
    "intake_cssrs_1": (["Have you wished you were dead or wished you could go to sleep and not wake up?"], YES_NO),
    "intake_cssrs_2": (["Have you actually had any thoughts of killing yourself?"], YES_NO),
    "intake_cssrs_3": (["Have you been thinking about how you might do this?"], YES_NO),
    "intake_cssrs_4": (["Have you had these thoughts and had some intention of acting on them?"], YES_NO),
    "intake_cssrs_5": (
        ["Have you started to work out or worked out the details of how to kill yourself? Do you intend to carry out this plan?"],
        YES_NO,
    ),
    "intake_cssrs_6": (
        [
            "Have you ever done anything, started to do anything, or prepared to do anything to end your life?",
            # Columbia's examples, part of the item as written
            "collected pills, obtained a gun, gave away valuables, wrote a will or suicide note",
            "took out pills but didn't swallow any, held a gun but changed your mind",
            "tried to hang yourself",
        ],
        YES_NO,
    ),
    "intake_cssrs_6_recent": (["Was this within the past 3 months?"], YES_NO),
}


def test_every_question_of_the_design_is_in_the_catalog_and_nothing_else():
    assert list(catalog().questions) == DESIGN_IDS


@pytest.mark.parametrize("question_id", INSTRUMENT_ITEMS)
def test_instrument_items_keep_the_validated_wording_and_options(question_id):
    texts, options = INSTRUMENT_ITEMS[question_id]
    q = question(question_id)
    assert q.text is not None
    for text in texts:
        assert text in " ".join(q.text.split())
    assert [(opt.label, opt.score) for opt in q.options] == options
    assert q.instrument


def test_instruments_are_labelled():
    instruments = {qid: q.instrument for qid, q in catalog().questions.items() if q.instrument}
    assert set(instruments) == set(INSTRUMENT_ITEMS)
    assert instruments["intake_audit_c_2"] == "AUDIT-C" and instruments["intake_taps_4"] == "TAPS-1 items 3-4"
    assert instruments["intake_gad2_1"] == "GAD-2" and instruments["intake_cssrs_6_recent"] == "C-SSRS"


def test_every_question_has_why_asam_and_path_wording():
    asam = {
        "intake_age_group": "D2", "intake_substances": "D1", "intake_audit_c_1": "D4", "intake_taps_3": "D4",
        "intake_withdrawal_now": "D1", "intake_phq2_1": "D3", "intake_cssrs_6": "D3", "intake_lo_safety": "D3",
        "intake_pregnancy": "D2", "intake_insurance": "D6", "intake_best_time": "D6", "intake_phone": None,
    }
    for qid, q in catalog().questions.items():
        assert q.why and len(q.why) < 140, qid
        if qid in asam:
            assert q.asam == asam[qid], qid
        self_only = qid.startswith(("intake_phq2", "intake_gad2", "intake_cssrs"))
        assert (q.text_loved_one is None) == self_only, qid
        assert (q.text is None) == (qid == "intake_lo_safety"), qid
        assert len(q.options) <= 7, qid


def test_loved_one_wording_is_about_them_and_contact_questions_ask_the_caller():
    assert "they" in text_for("intake_last_use", "loved_one")
    assert "have they injected" in text_for("intake_injection", "loved_one")
    assert "your own number" in text_for("intake_phone", "loved_one")
    assert "your first name" in text_for("intake_name", "loved_one")
    with pytest.raises(ValueError):
        text_for("intake_cssrs_1", "loved_one")
    with pytest.raises(ValueError):
        text_for("intake_lo_safety", "self")


def test_non_instrument_questions_stay_short():
    for qid, q in catalog().questions.items():
        if not q.instrument:
            for text in (q.text, q.text_loved_one):
                assert text is None or len(text) <= 120, qid


def test_notice_says_what_the_person_needs_to_know():
    for for_whom in ("self", "loved_one"):
        text = notice_text(for_whom, "Harbor Recovery Center")
        assert len(text) <= 450
        for needed in ("Harbor Recovery Center", "42 CFR Part 2", "three minutes", "skip", '"stop"', "911", "988"):
            assert needed in text, (for_whom, needed)
    assert "your loved one's substance use" in notice_text("loved_one", "X")
    assert notice_version()


def test_buttons_are_the_labels_with_skip_and_unknown_where_they_apply():
    UNKNOWN_LABEL, CONSENT_WITH_FOR = catalog().unknown_label, catalog().consent_with_for  # questions.yml labels
    assert (UNKNOWN_LABEL, CONSENT_WITH_FOR) == ("I don't know", ("Yes, for me", "Yes, for someone I care about", "Not now"))
    assert buttons_for("intake_age_group", "self") == [
        (label, label) for label in ["Under 18", "18-25", "26-44", "45-64", "65 or older", "Prefer not to say"]
    ]
    lo_buttons = [label for label, _ in buttons_for("intake_injection", "loved_one")]
    assert lo_buttons == ["Yes", "No", UNKNOWN_LABEL, "Prefer not to say"]
    # "Not sure" is already an option: no extra "I don't know".
    assert UNKNOWN_LABEL not in [label for label, _ in buttons_for("intake_insurance", "loved_one")]
    # Who it is for is asked together with consent when the request did not say.
    assert [label for label, _ in buttons_for("intake_consent", None)] == list(CONSENT_WITH_FOR)
    assert [label for label, _ in buttons_for("intake_consent", "self")] == ["Yes", "Not now"]
    assert [label for label, _ in buttons_for("intake_current_medication", "loved_one")][0] == "Yes, they take one"
    assert buttons_for("intake_phone", "self") == []


def test_options_asked_for_in_the_issue():
    def labels(qid):
        return [opt.label for opt in question(qid).options]

    assert labels("intake_current_medication") == ["Yes, I take one", "No, but I'm interested", "No, not interested", "Not sure"]
    assert labels("intake_contact_safety") == ["Voicemail and texts are OK", "Voicemail only", "Texts only", "Neither: just call"]
    assert labels("intake_confirmed") == ["Yes, send it", "Fix something"]
    assert [o.value for o in question("intake_substances").options] == [
        "heroin", "fentanyl", "opioid_pills", "alcohol", "benzodiazepines", "stimulants", "other",
    ]
    assert [o.value for o in question("intake_insurance").options] == ["medicaid", "medicare", "private", "none", "not_sure"]
    assert [o.value for o in question("intake_pregnancy").options] == ["yes", "no", "not_sure", "not_applicable"]
    assert question("intake_pregnancy").skip_label == "Prefer not to say"


def test_every_question_and_triage_rule_cites_a_source_that_resolves():
    """A clinician signs off each question and rule against its source (make clinical-review)."""
    from assistant.clinical_sources import unresolved
    from assistant.intake.triage import load_triage_config

    cited = {f"question {qid}": q.source for qid, q in catalog().questions.items()}
    cited |= {f"triage rule {rule.reason!r}": rule.source for rule in load_triage_config().rules}
    missing = [where for where, source in cited.items() if not source]
    assert not missing, missing
    broken = {where: source for where, source in cited.items() if unresolved(source)}
    assert not broken, broken


def test_the_catalog_needs_a_hint_per_kind_and_every_reply(tmp_path):
    import yaml

    from assistant.intake.questions import CATALOG_PATH, KINDS, REPLIES, CatalogError, load_catalog, reply_text

    assert set(catalog().hints) == set(KINDS) and set(catalog().replies) == set(REPLIES)
    assert reply_text("ask_again", sms=True, why="W", hint="H", center_phone="P") == 'W H Or say "pause" and call us at P.'
    assert reply_text("not_understood", sms=True, hint="H") == "Sorry, I didn't catch that. H"  # no SMS wording: the text
    raw = yaml.safe_load(CATALOG_PATH.read_text(encoding="utf-8"))
    for broken in ({**raw, "hints": {k: v for k, v in raw["hints"].items() if k != "phone"}},
                   {**raw, "replies": {**raw["replies"], "changed": {"sms": "only an SMS wording"}}}):
        path = tmp_path / "questions.yml"
        path.write_text(yaml.safe_dump(broken), encoding="utf-8")
        with pytest.raises(CatalogError):
            load_catalog(path)
