"""Every clinical answer: short, sourced, no doses, no discontinued brand presented as current."""

import re

import pytest
import yaml

from assistant.knowledge import ASPECTS, SUBSTANCES, WITHDRAWAL_TOPICS, faq_response, load_knowledge
from tests.conftest import ROOT

KB = load_knowledge()
FAQ = {faq_response(intent, key): answer["text"] for intent, answers in KB.faq.items() for key, answer in answers.items()}
ALL_TEXTS = [(where, text) for where, text, _ in KB.all_texts()]
DOSE = re.compile(r"\b\d+(\.\d+)?\s*(mg|milligrams?|ml)\b", re.I)


def test_every_medication_has_every_aspect():
    for med, entry in KB.medications.items():
        assert set(entry["aspects"]) == set(ASPECTS), med


def test_every_aspect_has_a_button_title_and_comparisons_name_both():
    assert set(KB.titles["aspects"]) == set(ASPECTS)
    assert all(KB.aspect_title(aspect).strip() for aspect in ASPECTS)
    assert KB.comparison_title("methadone", "naltrexone") == "methadone vs naltrexone"


def test_every_substance_has_every_withdrawal_topic():
    assert set(KB.withdrawal["substances"]) == set(SUBSTANCES)
    for sub in SUBSTANCES:
        assert set(WITHDRAWAL_TOPICS) <= set(KB.withdrawal["substances"][sub]), sub


@pytest.mark.parametrize("where,text", ALL_TEXTS)
def test_answers_are_short_and_give_no_dose(where, text):
    assert 40 < len(text) <= 600, where
    assert not DOSE.search(text), f"{where} states a dose"


def test_every_knowledge_answer_names_its_source():
    assert all(source.strip() for _, _, source in KB.all_texts())


def test_discontinued_brands_are_never_presented_as_current():
    for where, text in ALL_TEXTS:
        for brand in ("Subutex", "Campral", "Probuphine"):
            if brand in text:
                assert "discontinued" in text, f"{where} mentions {brand} without saying it was discontinued"
        for pain_product in ("Buprenex", "Butrans", "Belbuca"):
            assert pain_product not in text, where


def test_required_comparisons_exist():
    for pair in [("methadone", "buprenorphine"), ("buprenorphine_naloxone", "buprenorphine"), ("naltrexone", "buprenorphine")]:
        first, second = pair
        assert KB.comparison(first, second), pair
        assert KB.comparison(second, first), pair


def test_withdrawal_answers_say_when_to_call_911():
    for sub in ("alcohol", "benzodiazepines", "opioids"):
        assert "911" in KB.withdrawal_answer(sub, "cold_turkey") + KB.withdrawal_answer(sub, "symptoms"), sub


def test_relapse_answer_uses_the_nida_range():
    assert "40" in FAQ["utter_program/relapse"] and "60" in FAQ["utter_program/relapse"]


def test_every_faq_key_in_training_data_has_an_answer():
    keys = set()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "/" in block.get("intent", ""):
                keys.add("utter_" + block["intent"])
    assert keys == set(FAQ)


@pytest.mark.parametrize("sms", [False, True])
@pytest.mark.parametrize("medication", ["naltrexone", "vivitrol"])
def test_naltrexone_in_pregnancy_points_to_methadone_or_buprenorphine(medication, sms):
    """SAMHSA 2018: methadone or buprenorphine in pregnancy; naltrexone usually not started; never stopped alone."""
    text = KB.medication_answer(medication, "pregnancy", sms)
    assert text is not None
    assert re.search(r"methadone or buprenorphine are the recommended", text, re.I), text
    assert "not started" in text, text
    assert "don't stop on your own" in text.replace("Don't", "don't") and "prescriber" in text, text


@pytest.mark.parametrize("sms", [False, True])
def test_stopping_opioids_when_pregnant_points_to_treatment(sms):
    text = KB.withdrawal_answer("opioids", "cold_turkey", sms)
    assert "pregnant" in text.lower() and "methadone or buprenorphine" in text, text
    assert "on your own" in text and "safer" in text, text


@pytest.mark.parametrize("sms", [False, True])
@pytest.mark.parametrize("medication", ["methadone", "buprenorphine", "buprenorphine_naloxone"])
def test_take_home_opioid_medicines_warn_that_a_child_can_die(medication, sms):
    text = KB.medication_answer(medication, "side_effects", sms)
    assert text is not None
    assert re.search(r"\bchild\b", text) and re.search(r"\block", text, re.I), text


@pytest.mark.parametrize("sms", [False, True])
@pytest.mark.parametrize("aspect", ["how_taken", "when_start"])
def test_drinking_again_on_acamprosate_is_for_the_prescriber_to_decide(aspect, sms):
    text = KB.medication_answer("acamprosate", aspect, sms)
    assert text is not None
    assert "keep taking" not in text.lower(), text
    assert re.search(r"if you drink again, tell your prescriber", text, re.I) and "decide" in text, text
