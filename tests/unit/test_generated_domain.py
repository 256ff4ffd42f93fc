"""The generated domain files are current, and say what they are generated from."""

import pytest
import yaml

from assistant import domain_files
from assistant.intake.flow import relevant_questions
from assistant.intake.questions import catalog
from assistant.knowledge import load_knowledge
from scripts.generate_domain import GENERATED

FIX = "run `make domain` (python -m scripts.generate_domain) and commit the result"


@pytest.mark.parametrize("path", sorted(GENERATED), ids=lambda p: p.name)
def test_the_generated_file_is_current(path):
    assert path.exists(), f"{path.name} is missing: {FIX}"
    assert path.read_text(encoding="utf-8") == GENERATED[path](), f"{path.name} is out of date: {FIX}"


@pytest.mark.parametrize("path", sorted(GENERATED), ids=lambda p: p.name)
def test_the_generated_file_says_do_not_edit(path):
    assert "do not edit" in GENERATED[path]().splitlines()[0]


def test_every_question_has_its_slot_its_ask_action_and_its_place_in_the_form():
    domain = domain_files.load()
    questions = list(catalog().questions)
    assert domain["forms"]["intake_form"]["required_slots"] == questions
    assert set(questions) <= set(domain["slots"])
    actions = {next(iter(a)) if isinstance(a, dict) else a for a in domain["actions"]}
    assert {f"action_ask_{qid}" for qid in questions} <= actions


@pytest.mark.parametrize("answers", [
    {"intake_for": "self", "intake_substances": ["alcohol", "heroin", "benzodiazepines", "opioid_pills"],
     "intake_injection": "yes", "intake_current_medication": "yes", "intake_cssrs_2": "yes", "intake_cssrs_6": "yes"},
    {"intake_for": "self", "intake_substances": ["stimulants"], "intake_drinks": "yes"},
    {"intake_for": "loved_one", "intake_substances": ["fentanyl"]},
    {"intake_for": "self", "intake_age_group": "under_18", "intake_cssrs_6": "yes"},
], ids=["self, every branch", "self, drinks", "loved one", "under 18"])
def test_the_catalog_order_is_the_order_asked(answers):
    """The form's static slot order (the catalog's) never contradicts assistant/intake/flow.py."""
    order = list(catalog().questions)
    asked = relevant_questions(answers)
    assert asked == sorted(asked, key=order.index)


def test_every_faq_answer_is_a_domain_response_with_its_sms_wording():
    responses = yaml.safe_load(GENERATED[domain_files.DOMAIN_DIR / "faq.yml"]())["responses"]
    for intent, answers in load_knowledge().faq.items():
        for key, answer in answers.items():
            on_sms = [{"channel": "sms", "text": answer["sms"]}] if "sms" in answer else []
            assert responses[f"utter_{intent}/{key}"] == [{"text": answer["text"]}, *on_sms], (intent, key)
