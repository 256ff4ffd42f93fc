"""Every clinical answer: short, sourced, no doses, no discontinued brand presented as current."""

import re

import pytest
import yaml

from assistant.knowledge import ASPECTS, SUBSTANCES, WITHDRAWAL_TOPICS, load_knowledge
from tests.conftest import ROOT

KB = load_knowledge()
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
FAQ = {name: variants[0]["text"] for name, variants in DOMAIN["responses"].items() if "/" in name}
ALL_TEXTS = [(where, text) for where, text, _ in KB.all_texts()] + list(FAQ.items())
DOSE = re.compile(r"\b\d+(\.\d+)?\s*(mg|milligrams?|ml)\b", re.I)


def test_every_medication_has_every_aspect():
    for med, entry in KB.medications.items():
        assert set(entry["aspects"]) == set(ASPECTS), med


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
        assert KB.comparison(*pair), pair
        assert KB.comparison(*reversed(pair)), pair


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
