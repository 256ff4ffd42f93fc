import dataclasses
import re

import pytest

from assistant import domain_files
from assistant.center import SERVICES, CenterConfigError, center_reply, load_center
from assistant.lexicon import lexicon
from rasa_ext.responses import rendered

TOPICS = ["cost_insurance", "hours", "location", "contact", "services"]


def center_answer(center, topic: str) -> str:
    """The text the person reads: the response center_reply picks, filled in as Rasa does."""
    response, facts = center_reply(center, topic)
    return rendered([{"response": response, **facts}], None)[0]["text"]


def test_default_config_works_as_is():
    center = load_center()
    for topic in TOPICS:
        assert center_answer(center, topic)


def test_every_case_fills_every_placeholder_of_its_response():
    """A center with or without a website, services and medications: each response gets exactly its values."""
    responses = domain_files.responses()
    base = load_center()
    for website in ("", "harbor.example"):
        for services in ({}, {"detox": True}, {"outpatient": True, "inpatient": True}):
            for medications in ([], ["methadone"]):
                center = dataclasses.replace(base, website=website, services={**services, "medications": medications})
                for topic in TOPICS:
                    response, facts = center_reply(center, topic)
                    placeholders = set(re.findall(r"{(\w+)}", str(responses[response])))
                    assert placeholders == set(facts), (response, facts)
                    assert "{" not in center_answer(center, topic)


def test_every_service_has_a_name_in_the_lexicon():
    assert set(lexicon().services) == set(SERVICES)
    assert lexicon().service_list(["detox"]) == "medically supervised detox"


def test_a_centers_own_facts_come_from_config(tmp_path):
    path = tmp_path / "center.yml"
    path.write_text(
        'name: "Harbor Recovery"\nphone: "(555) 010-2000"\nhours: "every day, 7 am to 9 pm"\n'
        'address: "12 Pier St, Portland, ME"\nwebsite: "harbor.example"\ninsurance_notes: "We take MaineCare."\n'
        "services: {outpatient: true, inpatient: true, detox: false, medications: [methadone]}\n"
    )
    center = load_center(path)
    assert "(555) 010-2000" in center_answer(center, "hours") and "7 am" in center_answer(center, "hours")
    assert "MaineCare" in center_answer(center, "cost_insurance")
    assert "12 Pier St" in center_answer(center, "location")
    services = center_answer(center, "services")
    assert "outpatient care and inpatient (residential) care" in services and "detox" not in services


def test_missing_or_unknown_keys_are_reported(tmp_path):
    path = tmp_path / "center.yml"
    path.write_text('name: "X"\nphone: ""\nhours: "h"\naddress: "a"\n')
    with pytest.raises(CenterConfigError, match="phone"):
        load_center(path)
    path.write_text('name: "X"\nphone: "1"\nhours: "h"\naddress: "a"\nfax: "2"\n')
    with pytest.raises(CenterConfigError, match="fax"):
        load_center(path)


def test_unreadable_config_is_reported(tmp_path):
    with pytest.raises(CenterConfigError):
        load_center(tmp_path / "missing.yml")
