"""make clinical-review: one Markdown file with everything a clinician signs off, each item with its source."""

from __future__ import annotations

import re

from assistant import domain_files
from assistant.intake.questions import catalog
from assistant.intake.triage import load_triage_config
from assistant.knowledge import load_knowledge, load_time_sensitive
from scripts import clinical_review


def _write(tmp_path):
    out = tmp_path / "review" / "clinical-review.md"
    assert clinical_review.main(["--out", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def test_the_review_names_every_response_question_and_triage_rule(tmp_path):
    text = _write(tmp_path)
    responses = domain_files.responses()
    assert not [name for name in responses if f"#### {name}\n" not in text]
    assert not [qid for qid in catalog().questions if f"### {qid}" not in text]
    assert not [rule.reason for rule in load_triage_config().rules if rule.reason not in text]
    for level in ("URGENT", "HIGH", "ROUTINE"):
        assert re.search(rf"^\| {level} \|", text, re.M), level


def test_the_review_shows_the_wording_and_resolves_sources(tmp_path):
    text = _write(tmp_path)
    assert re.search(r"^- Date: \d{4}-\d{2}-\d{2}$", text, re.M)
    assert re.search(r"^- Commit: ([0-9a-f]{40}|unknown)", text, re.M)
    kb = load_knowledge()
    missing = [where for where, wording, _ in kb.all_texts() if wording not in text]
    assert not missing, missing
    for key, entry in load_time_sensitive().items():
        assert entry["text"] in text and str(entry["review_by"]) in text, key
    for q in catalog().questions.values():
        assert (q.text or q.text_loved_one) in text and q.why in text, q.id
    for wording in [*catalog().hints.values(), *(w for r in catalog().replies.values() for w in r.values())]:
        assert all(line in text for line in wording.splitlines()), wording
    # sources are shown as the heading of docs/clinical-sources.md they point to
    assert "Naltrexone and Vivitrol (docs/clinical-sources.md#naltrexone-and-vivitrol)" in text
    assert "DEA telemedicine rules (docs/clinical-sources.md#dea-telemedicine-rules)" in text
    assert "UNRESOLVED" not in text
    for heading in ("Crisis and safety", "Medication safety", "Pre-assessment", "Program and loved-one FAQ"):
        assert heading in text


def test_responses_are_grouped_for_the_reviewer():
    assert clinical_review.response_group("utter_crisis_overdose") == "crisis"
    assert clinical_review.response_group("utter_dose_referral") == "medication_safety"
    assert clinical_review.response_group("utter_intake_submitted") == "pre_assessment"
    assert clinical_review.response_group("utter_program/telehealth") == "faq"
    assert clinical_review.response_group("utter_loved_one/how_to_help") == "faq"
    assert clinical_review.response_group("utter_greet") == "other"


def test_triage_conditions_read_as_plain_words():
    cond = {"all": [{"question": "intake_pregnancy", "in": ["yes", "not_sure"]}, {"crisis": ["suicide", "overdose"]},
                    {"any": [{"score": "AUDIT-C", "at_least": 8}, {"question": "intake_pregnancy", "in": ["skipped"]}]}]}
    lines = clinical_review.condition_in_words(cond)
    assert lines[0] == "- all of:"
    assert '(intake_pregnancy) is "Yes" or "Not sure"' in lines[1]
    assert "suicide or overdose crisis path" in lines[2]
    assert lines[3] == "  - any of:" and "AUDIT-C total is at least 8" in lines[4] and "is skipped" in lines[5]
