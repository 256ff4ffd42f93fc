"""The summary, fixing an answer and corrections (assistant/intake/confirmation.py)."""

from assistant.intake.answers import detect_correction
from assistant.intake.confirmation import changed_reply, field_named, fix_step, summary_text

ANSWERS = {"intake_consent": "yes", "intake_for": "self", "intake_age_group": "26_44", "intake_substances": ["heroin"],
           "intake_insurance": "medicaid", "intake_phone": "+16175550142", "intake_name": "Sam",
           "intake_best_time": "morning", "intake_contact_safety": "both"}


def test_the_summary_lists_every_answer_on_the_web():
    text = summary_text(ANSWERS, "self", sms=False)
    assert text.startswith("Here is what I'll send to our team:\n- ")
    assert "Heroin" in text and "Medicaid" in text and "- Phone: (617) 555-0142" in text


def test_the_summary_on_sms_shows_only_how_we_reach_the_person():
    text = summary_text(ANSWERS, "self", sms=True)
    assert text.startswith("I'll send our team your answers (not repeated here: texts aren't private)")
    assert "- Phone: (617) 555-0142" in text and "- Name: Sam" in text
    assert "Heroin" not in text and "Medicaid" not in text


def test_fix_something_offers_the_answers_given_and_on_sms_only_the_contact_ones():
    web = fix_step(ANSWERS, sms=False)
    assert web.response == "utter_intake_what_to_change" and {"Phone", "Insurance"} <= set(web.buttons)
    assert fix_step(ANSWERS, sms=True).buttons == ("Phone", "Name", "Best time", "Messages")


def test_a_reply_that_names_an_answer_picks_it():
    assert field_named("Phone", ANSWERS) == "intake_phone"
    assert field_named("change my name", ANSWERS) == "intake_name"
    assert field_named("Pregnancy", ANSWERS) is None  # not answered
    assert field_named("banana", ANSWERS) is None


def test_corrections_are_listed_as_the_person_reads_them():
    changed = detect_correction("actually my name is Maria and my number is 617-555-0199")
    assert changed_reply(changed, "self").text == "Thanks, I've changed that. Phone: (617) 555-0199; Name: Maria."
