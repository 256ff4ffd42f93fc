import pytest

from assistant.center import CenterConfigError, center_answer, contact_staff_answer, load_center

TOPICS = ["cost_insurance", "hours", "location", "contact", "services"]


def test_default_config_works_as_is():
    center = load_center()
    for topic in TOPICS:
        assert center_answer(center, topic)
    assert "911" in contact_staff_answer(center) and "988" in contact_staff_answer(center)


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
