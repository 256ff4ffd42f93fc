"""What the form does with a message while a question is open (assistant/intake/conversation.py), without Rasa."""

import re

from assistant import domain_files
from assistant.center import current_center
from assistant.intake.conversation import (
    MAX_TRIES,
    Message,
    answer_turn,
    corrections,
    for_whom_from_text,
    is_leaving,
    not_understood,
    why_reply,
)
from assistant.intake.flow import HALT_CRISIS
from assistant.intake.questions import CATALOG_PATH, hint, question
from assistant.intake.reply import Reply

INTAKE_DIR = CATALOG_PATH.parent
ADULT = {"intake_consent": "yes", "intake_for": "self", "intake_age_group": "26_44", "intake_substances": ["heroin"],
         "intake_last_use": "today", "intake_drinks": "no", "intake_taps_3": "daily", "intake_injection": "no",
         "intake_benzo_daily": "no", "intake_withdrawal_now": "no", "intake_overdose": "no",
         "intake_current_medication": "no", "intake_phq2_1": "not_at_all", "intake_phq2_2": "not_at_all",
         "intake_gad2_1": "not_at_all", "intake_gad2_2": "not_at_all"}


def turn(qid: str, text: str, answers: dict | None = None, intent: str = "nlu_fallback", confidence: float = 0.9,
         sms: bool = False, retries: dict | None = None, faq_answer: str | None = None):
    answers = {**(answers if answers is not None else ADULT), qid: text}  # the slot holds the raw text
    return answer_turn(qid, text, answers, Message(text, intent, confidence, faq_answer), sms, retries)


def responses(t) -> list[str | None]:
    return [r.response for r in t.replies]


def test_an_answer_is_stored_and_its_misses_forgotten():
    t = turn("intake_insurance", "medicaid", retries={"intake_insurance": 1, "intake_phone": 1})
    assert t.slots == {"intake_insurance": "medicaid", "intake_retries": {"intake_phone": 1}}
    assert t.replies == () and t.crisis_detected_by is None


def test_one_answer_can_bring_another():
    t = turn("intake_phone", "it's Maria, 617-555-0142")
    assert t.slots["intake_phone"] == "+16175550142" and t.slots["intake_name"] == "Maria"


def test_a_first_miss_says_how_to_answer():
    t = turn("intake_age_group", "banana")
    assert t.slots == {"intake_age_group": None, "intake_retries": {"intake_age_group": 1}}
    assert t.replies == (Reply(text=f"Sorry, I didn't catch that. {hint('single')}"),)


def test_a_second_miss_skips_a_question_that_can_be_skipped():
    t = turn("intake_age_group", "banana again", retries={"intake_age_group": 1})
    assert t.slots == {"intake_age_group": "skipped", "intake_retries": {}}
    assert responses(t) == ["utter_intake_skipped"]


def test_a_question_that_cannot_be_skipped_offers_a_person_on_the_second_miss():
    phone = current_center().phone
    web = turn("intake_phone", "nope", retries={"intake_phone": 1})
    assert web.slots == {"intake_phone": None, "intake_retries": {"intake_phone": 2}}
    why = question("intake_phone").why
    assert web.replies == (Reply(text=f'{why} {hint("phone")} Or say "stop" and call us at {phone}.'),)
    on_sms = turn("intake_phone", "nope", retries={"intake_phone": 1}, sms=True)
    assert on_sms.replies[0].text.endswith(f'Or say "pause" and call us at {phone}.')
    assert not_understood(question("intake_phone"), MAX_TRIES, sms=False) == web.replies[0]


def test_a_container_is_asked_about_and_then_skipped_never_looped():
    drinks = {**ADULT, "intake_drinks": "yes", "intake_audit_c_1": "4_plus_week"}
    first = turn("intake_audit_c_2", "a fifth", drinks)
    assert first.slots["intake_audit_c_2"] is None and first.replies[0].text.startswith("How many drinks is that?")
    second = turn("intake_audit_c_2", "a fifth", drinks, retries=first.slots["intake_retries"])
    assert second.slots["intake_audit_c_2"] == "skipped"


def test_why_do_you_ask_explains_keeps_the_question_and_is_no_miss():
    t = turn("intake_insurance", "why do you need that", intent="why_ask", confidence=0.3)
    q = question("intake_insurance")
    assert q.skip_label is not None
    assert t.slots == {"intake_insurance": None}
    assert t.replies == (Reply(text=f'{q.why} You can also say "{q.skip_label.lower()}".'),)
    assert why_reply(question("intake_phone")) == Reply(text=question("intake_phone").why)  # cannot be skipped


def test_small_talk_is_acknowledged_when_sure_and_is_no_miss():
    for intent, response in (("greet", "utter_intake_still_here"), ("thank", "utter_intake_you_are_welcome")):
        t = turn("intake_insurance", "hi is anyone there", intent=intent)
        assert t.slots == {"intake_insurance": None} and responses(t) == [response]
    unsure = turn("intake_insurance", "hi is anyone there", intent="greet", confidence=0.5)
    assert unsure.slots["intake_retries"] == {"intake_insurance": 1}


def test_a_question_on_the_side_is_answered_then_the_form_goes_back():
    t = turn("intake_insurance", "what is suboxone?", intent="med_info")
    assert t.slots == {"intake_insurance": None}
    assert t.replies == (Reply(action="action_answer_medication"), Reply(response="utter_intake_back_to_questions"))
    dose = turn("intake_insurance", "how many mg should i take", intent="med_dose_request")
    assert responses(dose) == ["utter_dose_referral", "utter_intake_back_to_questions"]
    faq = turn("intake_insurance", "do you do telehealth", intent="program", faq_answer="program/telehealth")
    assert responses(faq) == ["utter_program/telehealth", "utter_intake_back_to_questions"]


def test_a_faq_question_without_a_selected_answer_counts_as_a_miss():
    t = turn("intake_insurance", "hmm program stuff", intent="program")
    assert t.slots["intake_retries"] == {"intake_insurance": 1}


def test_a_correction_of_another_answer_is_no_answer_and_is_thanked_for_once():
    text = "actually my number is 617-555-0199"
    t = turn("intake_best_time", text, {**ADULT, "intake_phone": "+16175550142"})
    assert t.slots == {"intake_best_time": None} and t.replies == ()
    fixed = corrections(Message(text), "intake_best_time", "self")
    assert fixed.slots == {"intake_phone": "+16175550199"}
    assert fixed.replies == (Reply(text="Thanks, I've changed that. Phone: (617) 555-0199."),)
    assert corrections(Message(text), "intake_phone", "self").slots == {}  # the open question: its own answer


def test_a_goodbye_that_is_no_answer_leaves_the_form():
    bye = Message("ok gotta run", "goodbye", 0.95)
    assert is_leaving("intake_injection", "ok gotta run", bye, "self")
    assert not is_leaving("intake_injection", "no, bye", Message("no, bye", "goodbye", 0.95), "self")
    assert not is_leaving("intake_injection", "ok gotta run", Message("ok gotta run", "goodbye", 0.4), "self")


def test_one_tap_gives_consent_and_says_who_it_is_for():
    t = turn("intake_consent", "Yes, for someone I care about", {})
    assert t.slots["intake_consent"] == "yes" and t.slots["intake_for"] == "loved_one"


def test_a_positive_suicide_screen_gets_the_crisis_reply_and_a_record():
    t = turn("intake_cssrs_2", "yes", {**ADULT, "intake_cssrs_1": "no"})
    assert responses(t) == ["utter_crisis_suicide", "utter_intake_after_crisis"]
    assert t.crisis_detected_by == "intake:intake_cssrs_2"
    loved_one = turn("intake_lo_safety", "yes", {**ADULT, "intake_for": "loved_one"})
    assert responses(loved_one) == ["utter_intake_lo_safety_crisis", "utter_intake_after_crisis"]


def test_a_wish_to_be_dead_and_risky_withdrawal_are_answered_at_once():
    assert responses(turn("intake_cssrs_1", "yes")) == ["utter_intake_wish_dead_support"]
    alcohol = {**ADULT, "intake_substances": ["alcohol"]}
    assert responses(turn("intake_withdrawal_now", "yes", alcohol)) == ["utter_intake_withdrawal_warning"]
    assert responses(turn("intake_withdrawal_now", "yes")) == []  # heroin alone: no seizure risk


def test_imminent_risk_or_an_infection_stops_the_questions():
    screen = {**ADULT, "intake_cssrs_1": "yes", "intake_cssrs_2": "yes", "intake_cssrs_3": "yes"}
    t = turn("intake_cssrs_4", "yes", screen)
    assert {k: t.slots[k] for k in ("intake_halt", "intake_trigger", "requested_slot")} == {
        "intake_halt": HALT_CRISIS, "intake_trigger": "intake_cssrs_4", "requested_slot": None}
    assert t.replies == () and t.crisis_detected_by is None  # action_intake_submit gives the crisis steps
    infection = turn("intake_injection_infection", "yes", {**ADULT, "intake_injection": "yes"})
    assert infection.slots["intake_trigger"] == "intake_injection_infection"


def test_opioids_chosen_turn_on_the_naloxone_context():
    assert turn("intake_substances", "fent and beer", {"intake_consent": "yes", "intake_for": "self"}).slots[
        "opioid_context"] is True
    assert "opioid_context" not in turn("intake_substances", "beer", {"intake_consent": "yes", "intake_for": "self"}).slots


def test_fix_something_offers_the_answers_and_a_named_one_is_asked_again():
    done = {**ADULT, "intake_phone": "+16175550142", "intake_name": "Sam"}
    fix = turn("intake_confirmed", "Fix something", done)
    assert fix.slots["intake_confirmed"] is None
    [reply] = fix.replies
    assert reply.response == "utter_intake_what_to_change" and "Phone" in reply.buttons
    named = turn("intake_confirmed", "Phone", done)
    assert named.slots == {"intake_phone": None, "intake_confirmed": None}


def test_the_request_says_who_it_is_for():
    assert for_whom_from_text("I need help for my son") == "loved_one"
    assert for_whom_from_text("I want to start treatment") == "self"
    assert for_whom_from_text("sign up") is None


def test_every_response_the_plain_modules_send_is_in_the_domain():
    names = {name for module in ("conversation", "confirmation", "callback_request")
             for name in re.findall(r'"(utter_\w+)"', (INTAKE_DIR / f"{module}.py").read_text(encoding="utf-8"))}
    assert len(names) > 10 and not names - set(domain_files.responses())
