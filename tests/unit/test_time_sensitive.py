"""Answers whose facts change by date (knowledge/program.yml answers with `review_by`).

Each is a retrieval-intent answer (domain/faq.yml is generated from the same
file: tests/unit/test_generated_domain.py); after its `review_by` date a test
fails and names what to re-check.
"""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from assistant.clinical_sources import unresolved
from assistant.knowledge import load_time_sensitive
from tests.conftest import ROOT

ENTRIES = load_time_sensitive()


def overdue(entries: dict, today: date) -> list[str]:
    """What to re-check, for every entry whose review_by date has passed."""
    return [f"knowledge/program.yml {key} (sent as {entry['response']}): review_by {entry['review_by']} has passed. "
            f"Re-check: {entry['review']} Then update its text, sms, source and review_by, and run `make domain`."
            for key, entry in entries.items() if today > entry["review_by"]]


def test_the_telehealth_answer_is_kept_with_a_review_date():
    entry = ENTRIES["program.telehealth"]
    assert entry["response"] == "utter_program/telehealth"
    assert isinstance(entry["review_by"], date) and entry["review_by"] <= date(2026, 12, 31)
    assert "DEA" in entry["review"] and "31 Dec 2026" in entry["review"]


@pytest.mark.parametrize("key", sorted(ENTRIES))
def test_entries_are_complete_and_sourced(key):
    entry = ENTRIES[key]
    assert {"response", "text", "source", "review_by", "review"} <= set(entry), key
    assert isinstance(entry["review_by"], date), f"{key}: review_by must be a date (YYYY-MM-DD, unquoted)"
    assert not unresolved(entry["source"]), (key, unresolved(entry["source"]))


def test_no_time_sensitive_answer_is_past_its_review_date():
    problems = overdue(ENTRIES, date.today())
    assert not problems, "\n".join(problems)


def test_the_review_date_check_fails_after_the_date_and_says_what_to_check():
    problems = overdue(ENTRIES, date(2027, 1, 1))
    assert any("program.telehealth" in p and "DEA telemedicine" in p and "utter_program/telehealth" in p
               for p in problems), problems
    assert not overdue(ENTRIES, date(2026, 12, 31))


def test_the_telehealth_retrieval_intent_is_still_trained():
    intents = {block.get("intent") for path in (ROOT / "data" / "nlu").glob("*.yml")
               for block in (yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or [])}
    assert "program/telehealth" in intents
