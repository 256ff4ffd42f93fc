import pytest

from assistant.intake.answers import (
    Parsed,
    detect_correction,
    label_for,
    normalize_phone,
    parse,
    parse_name,
    parse_state,
    split_name_and_phone,
)
from assistant.intake.questions import buttons_for, catalog


def value(question_id, text, for_whom="self"):
    parsed = parse(question_id, text, for_whom)
    return parsed.value if parsed.status != "invalid" else "invalid"


@pytest.mark.parametrize(
    "question_id, text, expected",
    [
        ("intake_age_group", "26-44", "26_44"),
        # "I have" is a yes only on its own or going on as a yes
        ("intake_injection", "i have", "yes"),
        ("intake_injection", "I have, a few times", "yes"),
        ("intake_injection", "they did in the past", "yes"),
        ("intake_cssrs_2", "i have to go my ride is here", "invalid"),
        ("intake_consent", "i have to go my ride is here", "invalid"),
        ("intake_injection", "i did my best", "invalid"),
        ("intake_injection", "i do not", "no"),
        ("intake_age_group", "  65 OR OLDER!! ", "65_plus"),
        ("intake_age_group", "2", "18_25"),
        ("intake_age_group", "I'm 34", "26_44"),
        ("intake_age_group", "seventeen", "under_18"),
        ("intake_age_group", "thirty-four", "26_44"),
        ("intake_age_group", "in my 20s", "invalid"),  # 18-25 or 26-44
        ("intake_last_use", "yesterday", "1_3"),
        ("intake_last_use", "2 days ago", "1_3"),
        ("intake_last_use", "an hour ago", "today"),
        ("intake_last_use", "about 2 weeks", "more_than_week"),
        ("intake_last_use", "a week ago", "4_7"),
        ("intake_audit_c_1", "every day", "4_plus_week"),
        ("intake_audit_c_1", "no", "never"),
        ("intake_audit_c_2", "6 beers", "5_6"),
        ("intake_audit_c_2", "2", "1_2"),  # a count of drinks, not option 2
        ("intake_audit_c_2", "4-5", "invalid"),
        ("intake_taps_3", "weekly", "weekly"),
        ("intake_taps_3", "not daily, weekly", "weekly"),
        ("intake_taps_3", "5", "daily"),
        ("intake_phq2_1", "More than half the days", "more_than_half"),
        ("intake_phq2_1", "not really", "not_at_all"),
        ("intake_current_medication", "No, but I'm interested", "interested"),
        ("intake_current_medication", "no, not interested", "not_interested"),
        ("intake_current_medication", "yeah I'm on suboxone", "yes"),
        ("intake_current_medication", "no", "invalid"),  # interested or not?
        ("intake_pregnancy", "doesnt apply", "not_applicable"),
        ("intake_insurance", "masshealth", "medicaid"),
        ("intake_insurance", "nope", "none"),
        ("intake_insurance", "idk", "not_sure"),
        ("intake_care_preference", "residential", "inpatient"),
        ("intake_best_time", "evenings", "evening"),
        ("intake_best_time", "anytime", "any_time"),
        ("intake_contact_safety", "txt only", "texts_only"),
        ("intake_contact_safety", "no", "neither"),
        ("intake_contact_safety", "yes", "both"),
        ("intake_confirmed", "looks good", "yes"),
        ("intake_confirmed", "no", "fix"),
        ("intake_for", "it's for my son", "loved_one"),
        ("intake_for", "myself", "self"),
    ],
)
def test_labels_synonyms_numbers_and_counts(question_id, text, expected):
    assert value(question_id, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("yes", "yes"), ("Y", "yes"), ("yep", "yes"), ("Yeah.", "yes"), ("yes I have", "yes"),
        ("no", "no"), ("nope", "no"), ("nah", "no"), ("No, I haven't", "no"), ("definitely not", "no"),
        ("never", "no"), ("I don't think so", "no"),
        ("know", "invalid"),  # "no" inside "know" is not no
        ("I don't know", "invalid"),  # not "don't" = no; only family members answer "I don't know"
        ("yes and no", "invalid"),
        ("I'm ok", "invalid"),  # could mean "no": ask again rather than guess
    ],
)
def test_yes_no_variants_match_as_words(text, expected):
    assert value("intake_cssrs_2", text) == expected


def test_every_button_parses_to_its_own_option_on_both_paths():
    for qid, q in catalog().questions.items():
        for for_whom in ("self", "loved_one"):
            for n, (label, payload) in enumerate(buttons_for(q, for_whom), start=1):
                parsed = parse(q, payload, for_whom)
                assert parsed.status in ("ok", "skip", "unknown"), (qid, label)
                assert parsed.label == label or (qid == "intake_substances" and parsed.label.startswith(label))
                if q.unit != "drinks":
                    assert parse(q, str(n), for_whom) == parsed, (qid, n)


def test_consent_step_buttons_answer_both_questions():
    assert value("intake_consent", "Yes, for someone I care about", None) == "yes"
    assert value("intake_for", "Yes, for someone I care about", None) == "loved_one"
    assert value("intake_consent", "Yes, for me", None) == "yes"
    assert value("intake_for", "Yes, for me", None) == "self"
    assert value("intake_consent", "Not now", None) == "no"
    assert value("intake_consent", "3", None) == "no"
    assert value("intake_consent", "not now, thanks", None) == "no"


def test_skip_where_allowed():
    assert parse("intake_injection", "prefer not to say", "self") == Parsed("skip", "skipped", "Prefer not to say")
    assert parse("intake_last_use", "skip", "self") == Parsed("skip", "skipped", "Skip")
    assert value("intake_age_group", "I'd rather not say") == "skipped"
    assert value("intake_name", "I don't want to give my name") == "skipped"
    assert value("intake_pregnancy", "Prefer not to say") == "skipped"
    # Not skippable: the phone number, consent, confirmation.
    assert value("intake_phone", "skip") == "invalid"
    assert value("intake_consent", "pass") == "invalid"
    # "skip" inside a real answer is not a skip.
    assert value("intake_contact_safety", "skip the voicemail, texts only") == "texts_only"


def test_i_dont_know_on_the_loved_one_path():
    assert parse("intake_injection", "I don't know", "loved_one") == Parsed("unknown", "unknown", "I don't know")
    assert value("intake_substances", "idk", "loved_one") == "unknown"
    assert value("intake_withdrawal_now", "not sure", "loved_one") == "unknown"
    assert value("intake_current_medication_detail", "no idea", "loved_one") == "unknown"
    assert value("intake_injection", "not that I know of", "loved_one") == "no"
    assert value("intake_taps_3", "idk, maybe weekly", "loved_one") == "weekly"
    # Where "Not sure" is an option, "I don't know" is that option.
    assert value("intake_pregnancy", "I don't know", "loved_one") == "not_sure"
    assert value("intake_current_medication", "dunno", "loved_one") == "not_sure"
    # Not for contact and preference questions, nor on the self path.
    assert value("intake_injection", "idk", "self") == "invalid"
    assert value("intake_best_time", "idk", "loved_one") == "invalid"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("alcohol and xanax", ["alcohol", "benzodiazepines"]),
        ("heroin, benzos", ["heroin", "benzodiazepines"]),
        ("fent + meth", ["fentanyl", "stimulants"]),
        ("1, 4", ["heroin", "alcohol"]),
        ("2 and 6", ["fentanyl", "stimulants"]),
        ("Opioid pills (painkillers)", ["opioid_pills"]),
        ("percs and booze", ["opioid_pills", "alcohol"]),
        ("mostly herion, sometimes coke", ["heroin", "stimulants"]),
        ("heroin but not meth", ["heroin"]),
        ("weed", ["other"]),
        ("opioids", "invalid"),  # heroin, fentanyl or pills?
        ("nothing really", "invalid"),
    ],
)
def test_multi_select(text, expected):
    assert value("intake_substances", text) == expected


def test_multi_select_label_lists_every_choice():
    parsed = parse("intake_substances", "alcohol and xanax", "self")
    assert parsed.label == "Alcohol, Benzodiazepines (benzos, Xanax...)"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("617-555-0142", "+16175550142"),
        ("(617) 555 0142", "+16175550142"),
        ("+1 617.555.0142", "+16175550142"),
        ("6175550142", "+16175550142"),
        ("my cell is 212 555 1234 thx", "+12125551234"),
        ("555-123-4567", None),  # 555 is not an area code
        ("12/05/2024", None),
        ("617-555", None),
        ("12345", None),
        ("", None),
    ],
)
def test_normalize_phone(text, expected):
    assert normalize_phone(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sam 617 555 0142", ("Sam", "+16175550142")),
        ("it's Maria, 617-555-0142", ("Maria", "+16175550142")),
        ("617-555-0142 ask for JD", ("JD", "+16175550142")),
        ("call me at 617-555-0142", (None, "+16175550142")),
        ("617-555-0142", (None, "+16175550142")),
        ("sam", ("Sam", None)),
    ],
)
def test_split_name_and_phone(text, expected):
    assert split_name_and_phone(text) == expected


def test_phone_answer_brings_the_name_along():
    parsed = parse("intake_phone", "it's Maria, 617-555-0142", "self")
    assert parsed.value == "+16175550142" and parsed.label == "(617) 555-0142"
    assert parsed.also == (("intake_name", Parsed("ok", "Maria", "Maria")),)
    assert parse("intake_phone", "617-555-0142", "self").also == ()
    assert value("intake_phone", "my birthday is 12/05/2024") == "invalid"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sam", "Sam"),
        ("sam", "Sam"),
        ("my name is Maria", "Maria"),
        ("This is José", "José"),
        ("Mary-Ann", "Mary-Ann"),
        ("O'Neil", "O'Neil"),
        ("J.D.", "JD"),
        ("I'm his mom, Linda", "Linda"),
        ("no", None),
        ("call me", None),
        ("", None),
        ("x" * 41, None),
        ("I really do not feel like telling a bot anything today", None),
        ("<script>alert(1)</script>", None),
        ("ok gotta run", None),
        ("i have no idea", None),
        ("goodnight", None),
    ],
)
def test_parse_name(text, expected):
    assert parse_name(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Massachusetts", "MA"),
        ("mass", "MA"),
        ("MA", "MA"),
        ("ma", "MA"),
        ("new york", "NY"),
        ("NYC", "NY"),  # a city only one state has
        ("Calif", "CA"),
        ("Penn", "PA"),
        ("washington dc", "DC"),
        ("D.C.", "DC"),
        ("puerto rico", "PR"),
        ("West Virginia", "WV"),
        ("virginia", "VA"),
        ("I live in Ohio", "OH"),
        ("I'm in MA", "MA"),
        ("ill", "IL"),
        ("I'm ill", None),  # "ill" is a word inside a sentence
        ("in", "IN"),
        ("I live in Kansas now", "KS"),
        ("Arkansas", "AR"),
        ("Ohio or Michigan", None),
        ("Narnia", None),
    ],
)
def test_parse_state(text, expected):
    assert parse_state(text) == expected
    if expected:
        assert parse("intake_state", text, "self").label


def test_free_text_is_plain_data():
    assert parse("intake_current_medication_detail", "Suboxone, Dr. Lee at Main St clinic", "self") == Parsed(
        "ok", "Suboxone, Dr. Lee at Main St clinic", "Suboxone, Dr. Lee at Main St clinic"
    )
    assert value("intake_current_medication_detail", "{__import__('os')}\n  ${HOME}") == "{__import__('os')} ${HOME}"
    assert value("intake_current_medication_detail", "x" * 201) == "invalid"
    for qid in catalog().questions:
        assert value(qid, "   ") == "invalid"
        assert value(qid, "") == "invalid"


def test_label_for_stored_values():
    assert label_for("intake_phone", "+16175550142", "self") == "(617) 555-0142"
    assert label_for("intake_state", "MA", "self") == "Massachusetts"
    assert label_for("intake_substances", ["heroin", "alcohol"], "self") == "Heroin, Alcohol"
    assert label_for("intake_current_medication", "interested", "loved_one") == "No, but they're interested"
    assert label_for("intake_age_group", "skipped", "self") == "Prefer not to say"
    assert label_for("intake_injection", "unknown", "loved_one") == "I don't know"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("actually my number is 617-555-0142", [("intake_phone", "+16175550142")]),
        ("wrong number, it's 212 555 1234", [("intake_phone", "+12125551234")]),
        ("my name is Sam, not Pam", [("intake_name", "Sam")]),
        ("actually call me Sam", [("intake_name", "Sam")]),
        ("call me in the evening instead", [("intake_best_time", "evening")]),
        ("not in the morning, call me in the afternoon instead", [("intake_best_time", "afternoon")]),
        ("change my insurance to medicaid", [("intake_insurance", "medicaid")]),
        ("actually I'm on Medicare", [("intake_insurance", "medicare")]),
        ("I live in Ohio actually", [("intake_state", "OH")]),
        ("sorry, we moved to New Jersey", [("intake_state", "NJ")]),
        ("actually texts only please", [("intake_contact_safety", "texts_only")]),
        ("sorry, no voicemail or texts", [("intake_contact_safety", "neither")]),
        (
            "actually my name is Ana and my number is 617-555-0142",
            [("intake_phone", "+16175550142"), ("intake_name", "Ana")],
        ),
        # No correction cue, or nothing that says what changes: not a correction.
        ("617-555-0142", []),
        ("I live in Ohio", []),
        ("in the evening", []),
        ("actually I used this morning", []),
        ("I'm not sure", []),
        ("actually I am scared", []),
        ("actually it's fine", []),
    ],
)
def test_detect_correction(text, expected):
    assert [(qid, parsed.value) for qid, parsed in detect_correction(text)] == expected
    assert all(parsed.status == "ok" for _, parsed in detect_correction(text))


def test_a_no_followed_by_a_yes_is_asked_again():
    assert value("intake_cssrs_2", "no, I have") == "invalid"
    assert value("intake_cssrs_2", "no I don't") == "no"


@pytest.mark.parametrize("text", ["a bottle", "a pint", "a fifth a day", "2 bottles of wine", "a handle", "like 3 forties"])
def test_a_container_is_not_a_count_of_drinks(text):
    """A bottle, a pint or a fifth holds a different number of drinks: ask for the count, never guess a score."""
    parsed = parse("intake_audit_c_2", text, "self")
    assert parsed.status == "ask_count" and parsed.value is None
    assert "How many drinks is that?" in parsed.label


def test_counts_of_drinks_still_work_next_to_the_container_rule():
    assert parse("intake_audit_c_2", "3 glasses of wine", "self").value == "3_4"
    assert parse("intake_audit_c_2", "a 12 pack", "self").value == "10_plus"
