"""Every clinical source resolves: a heading of docs/clinical-sources.md (by its anchor) or a public https URL.

Checked: `source` in knowledge/*.yml, `# source:` comments in domain/, and the
optional `source` of pre-assessment questions (assistant/intake/questions.yml)
and triage rules (triage.yml).
"""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml

from assistant import domain_files
from assistant.clinical_sources import SOURCES_DOC, github_anchor, headings, resolve, split, unresolved
from tests.conftest import ROOT

SOURCE_COMMENT = re.compile(r"^\s*#\s*source:\s*(.*)$")
# The fact families every answer draws on; their anchors are what citations use.
REQUIRED_ANCHORS = (
    "methadone", "buprenorphine", "buprenorphine-with-naloxone-and-brands", "extended-release-buprenorphine",
    "naltrexone-and-vivitrol", "disulfiram", "acamprosate", "lofexidine", "naloxone-and-overdose-steps",
    "alcohol-withdrawal", "benzodiazepine-withdrawal", "opioid-withdrawal-and-overdose-risk-after-stopping",
    "pregnancy", "emergency-triggers", "crisis-lines", "audit-c", "taps-tool", "phq-2-and-gad-2", "c-ssrs-screener",
    "asam-dimensions", "42-cfr-part-8-2024", "42-cfr-part-2-2024", "x-waiver-removal", "dea-telemedicine-rules",
    "triage-and-callback-priorities",
)


def _sources_in(node, path: str = ""):
    """(where, source) for every `source` key in a YAML tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else str(key)
            if key == "source":
                yield where, value
            else:
                yield from _sources_in(value, where)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _sources_in(value, f"{path}[{i}]")


def test_the_sources_document_has_every_fact_family():
    anchors = headings()
    missing = [a for a in REQUIRED_ANCHORS if a not in anchors]
    assert not missing, f"{SOURCES_DOC} lacks headings for: {missing}"


def test_anchors_are_computed_as_github_does():
    assert github_anchor("42 CFR Part 8 (2024)") == "42-cfr-part-8-2024"
    assert github_anchor("PHQ-2 and GAD-2") == "phq-2-and-gad-2"
    assert github_anchor("Buprenorphine/naloxone") == "buprenorphinenaloxone"
    known = {"methadone": "Methadone"}
    assert resolve(f"{SOURCES_DOC}#methadone", known) == "Methadone"
    assert resolve(f"{SOURCES_DOC}#no-such-heading", known) is None
    assert resolve("http://example.org/page", known) is None  # https only
    assert resolve("clinical reference 1.1", known) is None
    assert resolve("https://www.ecfr.gov/current/title-42", known) == "https://www.ecfr.gov/current/title-42"
    assert split(" a, b ,,c ") == ["a", "b", "c"]
    assert unresolved("", known) == ["(no source)"]


@pytest.mark.parametrize("path", sorted((ROOT / "knowledge").glob("*.yml")), ids=lambda p: p.name)
def test_every_knowledge_source_resolves(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = list(_sources_in(data))
    assert found, path.name
    bad = {where: unresolved(source) for where, source in found if unresolved(source)}
    assert not bad, f"knowledge/{path.name}: sources that resolve to nothing: {bad}"


def test_every_knowledge_answer_has_a_source():
    """Medications, withdrawal and the program FAQ (sent as domain responses), each wording, SMS included."""
    from assistant.knowledge import load_knowledge

    texts = load_knowledge().all_texts()
    assert {where.split(".")[0] for where, _, _ in texts} >= {"medications", "withdrawal", "program", "loved_one"}
    assert not [where for where, _, source in texts if not split(source)]


def test_every_domain_source_comment_resolves():
    comments = [(f"domain/{name}:{n}", m.group(1)) for name, n, line in domain_files.numbered_lines()
                if (m := SOURCE_COMMENT.match(line))]
    assert comments
    bad = {where: unresolved(source) for where, source in comments if unresolved(source)}
    assert not bad, f"# source: comments that resolve to nothing: {bad}"


def test_question_sources_resolve_when_given():
    raw = yaml.safe_load((ROOT / "assistant" / "intake" / "questions.yml").read_text(encoding="utf-8"))
    given = {qid: body["source"] for qid, body in (raw.get("questions") or {}).items()
             if isinstance(body, dict) and body.get("source") is not None}
    bad = {qid: unresolved(source) for qid, source in given.items() if unresolved(source)}
    assert not bad, f"assistant/intake/questions.yml: question sources that resolve to nothing: {bad}"


def test_triage_rule_sources_resolve_when_given():
    raw = yaml.safe_load((ROOT / "triage.yml").read_text(encoding="utf-8"))
    given = {f"rule {n} ({rule.get('reason')})": rule["source"]
             for n, rule in enumerate(raw.get("rules") or [], 1) if isinstance(rule, dict) and rule.get("source") is not None}
    bad = {where: unresolved(source) for where, source in given.items() if unresolved(source)}
    assert not bad, f"triage.yml: rule sources that resolve to nothing: {bad}"


def test_the_repository_no_longer_points_to_the_private_notes():
    """Sources are public: no path to the shared notes outside the repository."""
    try:
        listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                                capture_output=True, text=True, check=True).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("git is not available")
    # Any path into a "shared" folder beside or above the checkout, and the notes' file name.
    patterns = ("/" + "shared/", "clinical" + "-reference")
    hits = []
    for name in filter(None, listed):
        path = ROOT / name
        if not path.is_file() or path.suffix not in (".py", ".yml", ".yaml", ".md", ".txt", ".toml", ".cfg", ".ini", ".sh", ""):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        hits += [f"{name}:{n}" for n, line in enumerate(text.splitlines(), 1) if any(p in line for p in patterns)]
    assert not hits, f"references to the private notes (use {SOURCES_DOC} or docs/rasa-3.6-notes.md): {hits}"


def test_what_staff_read_about_scores_has_sources_that_resolve():
    raw = yaml.safe_load((ROOT / "assistant" / "intake" / "for_staff.yml").read_text(encoding="utf-8"))
    bad = {name: unresolved(entry.get("source", "")) for name, entry in raw["scores"].items()
           if unresolved(entry.get("source", ""))}
    assert not bad, f"assistant/intake/for_staff.yml: score sources that resolve to nothing: {bad}"
    assert sorted(raw["asam_dimensions"]) == ["D1", "D2", "D3", "D4", "D5", "D6"]
    from assistant.intake.screening import TAPS

    assert set(raw["scores"]) == {"AUDIT-C", TAPS, "PHQ-2", "GAD-2", "C-SSRS"}  # every instrument the assistant scores
