"""What people type, not only the options (assistant/intake/answers.py and the modules it uses):
hedged yes/no, frequencies and counts in words, times, slang, plan names, states, answers that
hold a question, and what is asked again rather than guessed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from assistant.intake import amounts
from assistant.intake.answers import parse, parse_state
from assistant.intake.clauses import split_reply
from assistant.intake.conversation import Message, answer_turn
from assistant.intake.messages import permission_value
from assistant.intake.words import WORDS_PATH, norm

INTAKE_DIR = Path(WORDS_PATH).parent


def value(question_id, text, for_whom="self"):
    parsed = parse(question_id, text, for_whom)
    return parsed.value if parsed.status != "invalid" else "invalid"


@pytest.mark.parametrize(
    "question_id, text, expected",
    [
        # yes/no with a hedge or an elaboration
        ("intake_withdrawal_now", "yeah kinda", "yes"),
        ("intake_withdrawal_now", "a little, sweating and anxious", "yes"),
        ("intake_withdrawal_now", "nah im good", "no"),
        ("intake_withdrawal_now", "a little nauseous but i think thats from something i ate", "invalid"),
        ("intake_cssrs_2", "not really", "no"),
        ("intake_injection", "no i smoke", "no"),
        ("intake_injection_infection", "no fever but my arm is swollen", "yes"),  # a sign named wins
        ("intake_injection_infection", "no fever", "no"),
        ("intake_withdrawal_history", "never had seizures but had dts", "yes"),
        ("intake_cssrs_4", "no, I'd never", "no"),
        # plain agreement answers only the questions asking for an OK
        ("intake_consent", "ok sure", "yes"),
        ("intake_contact_safety", "ok", "both"),
        ("intake_injection", "ok", "invalid"),
        # a time window: the time said decides
        ("intake_drinks", "not anymore, stopped last week", "yes"),
        ("intake_drinks", "i quit 3 yrs ago", "no"),
        ("intake_drinks", "not anymore", "invalid"),  # since when?
        ("intake_injection", "i used to years ago", "no"),
        ("intake_overdose", "od'd 2 weeks ago", "yes"),
        ("intake_cssrs_6_recent", "5 months ago", "no"),
        ("intake_cssrs_6_recent", "more than 3 months ago", "no"),
        # wished for or past is not had now
        ("intake_current_medication", "no but id like to try suboxone", "interested"),
        ("intake_current_medication", "i was on suboxone but stopped", "invalid"),
        ("intake_insurance", "applied for medicaid", "invalid"),
        ("intake_substances", "fentanyl now, i used to do heroin", ["fentanyl"]),
        ("intake_substances", "i want to quit drinking", ["alcohol"]),
        # frequencies, counts and times in words
        ("intake_audit_c_1", "most days", "4_plus_week"),
        ("intake_audit_c_1", "5-6 days a week", "4_plus_week"),
        ("intake_audit_c_1", "3-4 times a week", "invalid"),  # 2-3 or 4+?
        ("intake_audit_c_3", "every weekend", "weekly"),
        ("intake_taps_4", "like twice a month", "monthly"),
        ("intake_taps_3", "once or twice a week", "weekly"),
        ("intake_gad2_1", "13 days", "nearly_every_day"),
        ("intake_audit_c_2", "maybe 5 or 6 beers", "5_6"),
        ("intake_audit_c_2", "a 12 pack", "10_plus"),
        ("intake_audit_c_2", "more than 10", "10_plus"),
        ("intake_last_use", "last night", "1_3"),
        ("intake_last_use", "2 days ago", "1_3"),
        ("intake_last_use", "this morning", "today"),
        ("intake_last_use", "48 hours ago", "1_3"),
        ("intake_last_use", "a week and a half ago", "more_than_week"),
        ("intake_last_use", "earlier this week", "invalid"),
        ("intake_best_time", "10am", "morning"),
        ("intake_best_time", "7pm", "evening"),
        ("intake_best_time", "9am to 5pm", "invalid"),
        ("intake_age_group", "born in 1990", "26_44"),
        ("intake_age_group", "late 20s", "26_44"),
        ("intake_age_group", "over 18", "invalid"),
        # slang, brands, plans, typos, Spanish
        ("intake_substances", "meth and fetty", ["fentanyl", "stimulants"]),
        ("intake_substances", "tequila y mota", ["alcohol", "other"]),
        ("intake_insurance", "molina", "medicaid"),
        ("intake_insurance", "AHCCCS", "medicaid"),
        ("intake_insurance", "no insurance", "none"),
        ("intake_insurance", "I have VA", "invalid"),  # none of the options
        ("intake_sex", "femal", "female"),
        ("intake_sex", "trans woman", "male"),  # the sex assigned at birth
        ("intake_for", "this is for my nephew", "loved_one"),
        ("intake_for", "my son and me both", "invalid"),
        ("intake_consent", "Vamos", "yes"),
        # voicemail and texts, one by one
        ("intake_contact_safety", "texts are fine, no voicemail please", "texts_only"),
        ("intake_contact_safety", "just voicemail, my mom sees my texts", "voicemail_only"),
        ("intake_contact_safety", "no texts", "invalid"),  # and voicemail?
        ("intake_contact_safety", "Voicemail and texts are OK", "both"),
        # answers that hold a question keep the answer; a question alone is none
        ("intake_injection", "yes but will they tell my job?", "yes"),
        ("intake_current_medication", "what is naltrexone?", "invalid"),
        ("intake_consent", "is this confidential?", "invalid"),
        ("intake_drinks", "sometimes?", "yes"),
        # free text that says nothing
        ("intake_current_medication_detail", "huh?", "invalid"),
    ],
)
def test_what_people_type(question_id, text, expected):
    assert value(question_id, text) == expected


def test_the_not_sure_in_a_free_text_answer_is_part_of_it():
    assert value("intake_current_medication_detail", "methadone, not sure which clinic", "loved_one") == \
        "methadone, not sure which clinic"
    assert value("intake_current_medication_detail", "not sure", "loved_one") == "unknown"


def test_an_answer_holding_a_question_says_so():
    assert parse("intake_injection", "yes but will they tell my job?", "self").asks
    assert not parse("intake_injection", "yes", "self").asks
    assert split_reply("yes but will they tell my job?").answer == "yes"


def test_a_number_brings_a_name_and_a_time_but_not_just_any_word():
    parsed = parse("intake_phone", "702-463-2294 mornings", "self")
    assert dict((qid, p.value) for qid, p in parsed.also) == {"intake_best_time": "morning"}
    assert parse("intake_phone", "702-463-2294 it's a google voice number", "self").also == ()
    named = parse("intake_name", "Nico, text me at 7024632295", "self")
    assert named.value == "Nico" and dict((qid, p.value) for qid, p in named.also) == {"intake_phone": "+17024632295"}


@pytest.mark.parametrize("text, expected", [
    ("Reno, Nevada", "NV"), ("i'm in NV", "NV"), ("las vegas", "NV"), ("Carolina del Sur", "SC"),
    ("N. Dakota", "ND"), ("Pensylvania", "PA"), ("born in Texas, living in Ohio now", "OH"),
    ("Kansas City", None), ("the US", None), ("ok", None), ("OK", "OK"),
])
def test_states_by_name_abbreviation_city_or_typo(text, expected):
    assert parse_state(text) == expected


def test_numbers_in_their_units():
    today = date(2025, 6, 1)
    assert amounts.ages(norm("born in 1990"), today) == [(34, 35)]
    assert amounts.per_week(norm("twice a month")) == [(2 / 4.33, 2 / 4.33)]
    assert amounts.days_ago(norm("in 2019"), today)[0][0] > 365
    assert amounts.hours(norm("2pm")) == [(14, 14)]


def test_permissions_need_each_channel_said():
    assert permission_value(["text only"]) == "texts_only"
    assert permission_value(["no voicemail or texts"]) == "neither"
    assert permission_value(["call me"]) is None


def test_the_word_lists_hold_no_yaml_booleans():
    """Unquoted yes / no / on / off read as true / false in YAML: every phrase must stay a string."""
    def walk(node):
        if isinstance(node, dict):
            for key, item in node.items():
                assert not isinstance(key, bool), key
                walk(item)
        elif isinstance(node, list):
            for item in node:
                assert not isinstance(item, bool) and item is not None, node
                walk(item)

    for name in ("answer_words.yml", "places.yml", "questions.yml"):
        walk(yaml.safe_load((INTAKE_DIR / name).read_text(encoding="utf-8")))


def test_the_question_in_an_answer_is_answered_and_the_answer_kept():
    """The flow's hook for questions on the side: with NLU sure of the question, its answer follows the answer."""
    text = "yes, but am I talking to a bot?"
    answers = {"intake_consent": "yes", "intake_for": "self", "intake_injection": text}
    turn = answer_turn("intake_injection", text, answers, Message(text, "bot_challenge", 0.9), False, None)
    assert turn.slots["intake_injection"] == "yes"
    assert [r.response for r in turn.replies] == ["utter_bot_challenge", "utter_intake_back_to_questions"]
    unsure = answer_turn("intake_injection", text, answers, Message(text, "bot_challenge", 0.3), False, None)
    assert unsure.slots["intake_injection"] == "yes" and unsure.replies == ()
