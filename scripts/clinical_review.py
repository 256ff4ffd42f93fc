"""Everything a clinician signs off, with its sources, in one Markdown file.

    make clinical-review                 # or: python -m scripts.clinical_review [--out PATH]

Writes reports/clinical-review.md (reports/ is not committed): every response
of domain/ with its channel variants and buttons (grouped: crisis,
medication safety, pre-assessment, others), every answer of knowledge/*.yml
(web and SMS wording; the program and loved-one FAQ among them, which
domain/faq.yml is generated from) and the brand corrections of
assistant/lexicon.yml, every pre-assessment question (both wordings, options,
why we ask, instrument, ASAM dimension) and the hints and replies between them, every triage rule with its condition
in plain words, the callback windows, and what the person is told about when
staff will call. Each item shows its source, resolved to the heading of
docs/clinical-sources.md or the URL. The header names the date and the commit.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import yaml

from assistant import domain_files
from assistant.clinical_sources import SOURCES_DOC, headings, resolve, split
from assistant.intake.questions import catalog
from assistant.intake.triage import load_triage_config
from assistant.knowledge import faq_response, load_knowledge

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "reports" / "clinical-review.md"
RESPONSE_GROUPS = (
    ("crisis", "Crisis and safety"),
    ("medication_safety", "Medication safety"),
    ("pre_assessment", "Pre-assessment"),
    ("faq", "Program and loved-one FAQ"),
    ("other", "Other responses"),
)
_SOURCE_COMMENT = re.compile(r"^\s*#\s*source:\s*(.*)$")
# Question fields shown in their own lines; any other text field is listed as it is named.
_QUESTION_SHOWN = {"id", "kind", "text", "text_loved_one", "why", "asam", "instrument", "summary_label", "skippable",
                   "skip_label", "options", "unit", "source", "ask_count_for"}


def response_group(name: str) -> str:
    if name.startswith("utter_crisis") or any(word in name for word in ("crisis", "emergency", "wish_dead", "urgent")):
        return "crisis"
    if name in ("utter_dose_referral", "utter_disclaimer") or any(word in name for word in ("dose", "mixing")):
        return "medication_safety"
    if name.startswith("utter_intake_"):
        return "pre_assessment"
    if "/" in name:
        return "faq"
    return "other"


class Review:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.known = headings()
        self.cited: dict[str, int] = {}

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def source(self, source: str | None) -> str:
        """The source, each citation as its heading title (with the anchor) or URL; flagged when missing or broken."""
        parts = split(source)
        if not parts:
            return "**none cited**"
        shown = []
        for part in parts:
            target = resolve(part, self.known)
            if target is None:
                shown.append(f"**UNRESOLVED: {part}**")
            elif part.startswith(SOURCES_DOC + "#"):
                self.cited[part] = self.cited.get(part, 0) + 1
                shown.append(f"{target} ({part})")
            else:
                shown.append(target)
        return "; ".join(shown)

    def quote(self, label: str, text: str) -> None:
        self.add(f"- {label}:", "", *(f"  > {line}" if line else "  >" for line in str(text).splitlines()), "")


def _git(*args: str) -> str | None:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def _commit() -> str:
    sha = _git("rev-parse", "HEAD")
    if not sha:
        return "unknown (not a git checkout)"
    dirty = _git("status", "--porcelain", "--untracked-files=no")
    return f"{sha}" + (" (with uncommitted changes: the texts below are the working copy)" if dirty else "")


def _cell(text) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


# --- sections --------------------------------------------------------------------------


def header(review: Review) -> None:
    review.add(
        "# Clinical review",
        "",
        f"- Date: {date.today().isoformat()}",
        f"- Commit: {_commit()}",
        "- Made by `make clinical-review` (scripts/clinical_review.py); sources: `docs/clinical-sources.md`.",
        "",
        "Everything the assistant can tell a person about health, medicines, withdrawal, crisis, the",
        "pre-assessment and triage. Please check each text against its source and against practice;",
        "note any change needed with the item's name. Words in braces (`{center_name}`) are filled in",
        "when sent. Answers never give doses or advice to start, stop or change a medicine",
        "(tests/unit/test_clinical_texts.py checks every text). Points the sources leave open are listed",
        "under \"Open questions for the clinical lead\" in docs/clinical-sources.md.",
        "",
        "Contents: 1. Responses; 2. Knowledge answers; 3. Pre-assessment questions; 4. Triage;",
        "5. What the person is told about the call back (when available); 6. Sources cited; 7. Sign-off.",
        "",
    )


def _condition_words(conditions) -> str:
    """A response variant's slot conditions, as " (when intake_for is loved_one)"."""
    parts = [f"{c.get('name')} is {c.get('value')}" for c in conditions or [] if isinstance(c, dict)]
    return f" (when {' and '.join(parts)})" if parts else ""


def domain_sources() -> dict[str, str]:
    """response name -> the `# source:` comment right above it in its domain file."""
    lines = domain_files.numbered_lines()
    found = {}
    for n, (_, _, line) in enumerate(lines):
        match = re.match(r"^  (utter_[\w/]+):\s*$", line)
        if match and n and (comment := _SOURCE_COMMENT.match(lines[n - 1][2])):
            found[match.group(1)] = comment.group(1)
    return found


def responses(review: Review) -> None:
    all_responses = domain_files.responses()
    sources = domain_sources()
    review.add("## 1. Responses (domain/)", "")
    for group, title in RESPONSE_GROUPS:
        names = [name for name in all_responses if response_group(name) == group]
        review.add(f"### 1.{[g for g, _ in RESPONSE_GROUPS].index(group) + 1} {title}", "")
        if group == "faq":  # generated from knowledge/program.yml: reviewed there, once
            review.add("Sent as written in knowledge/program.yml: see 2.6.", "")
            continue
        if not names:
            review.add("(none)", "")
        for name in names:
            review.add(f"#### {name}", "", f"- Source: {review.source(sources.get(name))}", "")
            for variant in all_responses[name]:
                channel = variant.get("channel")
                label = (f"On {channel}" if channel else "Text") + _condition_words(variant.get("condition"))
                if variant.get("text"):
                    review.quote(label, variant["text"])
                buttons = [b.get("title", "") for b in variant.get("buttons") or []]
                if buttons:
                    review.add(f"  Buttons{f' ({channel})' if channel else ''}: " + " · ".join(f'"{b}"' for b in buttons), "")


def knowledge_answers(review: Review) -> None:
    kb = load_knowledge()
    review.add("## 2. Knowledge answers (knowledge/*.yml)", "",
               "Each answer with its SMS wording (sent on SMS instead of the text, when present).", "")

    def entry(title: str, item: dict) -> None:
        review.add(f"#### {title}", "", f"- Source: {review.source(item.get('source'))}", "")
        review.quote("Text", item["text"])
        if "sms" in item:
            review.quote("On SMS", item["sms"])

    review.add("### 2.1 Medications", "")
    for med, body in kb.medications.items():
        for aspect, item in body["aspects"].items():
            entry(f"{body['name']}: {kb.aspect_title(aspect)} (medications.{med}.{aspect})", item)
    review.add("### 2.2 Comparisons", "")
    for item in kb.comparisons:
        entry(" vs ".join(kb.display_name(m) for m in item["pair"]) + f" (comparisons {'/'.join(item['pair'])})", item)
    review.add("### 2.3 Medication options", "")
    for key, item in kb.options.items():
        entry(f"options.{key}", item)
    review.add("### 2.4 Dangerous combinations", "")
    for key, item in kb.mixing_notes.items():
        entry(f"mixing.{key}", item)
    review.add("### 2.5 Withdrawal", "")
    for sub, body in kb.withdrawal["substances"].items():
        for topic, item in body.items():
            if isinstance(item, dict) and "text" in item:
                entry(f"{body.get('name', sub)}: {topic} (withdrawal.{sub}.{topic})", item)
    for topic, item in kb.withdrawal["general"].items():
        entry(f"any substance: {topic} (withdrawal.general.{topic})", item)
    review.add("### 2.6 Program and loved-one FAQ (knowledge/program.yml)", "",
               "Each sent as the domain response it is named by. Time-sensitive answers say by when to check them again.", "")
    for intent, answers in kb.faq.items():
        for key, item in answers.items():
            entry(faq_response(intent, key), item)
            if "review_by" in item:
                review.add(f"- Review by: {item['review_by']}: {item['review']}", "")
    review.add("### 2.7 Brand corrections (assistant/lexicon.yml)", "",
               "Said before an answer when the person names one of these brands.", "")
    lexicon = yaml.safe_load((ROOT / "assistant" / "lexicon.yml").read_text(encoding="utf-8"))
    for brand, note in (lexicon.get("brand_notes") or {}).items():
        review.quote(brand, note)


def _options_table(review: Review, question) -> None:
    options = list(question.options)
    if not options:
        return
    review.add("| value | option | for a family member | score |", "|---|---|---|---|")
    for opt in options:
        review.add(f"| {_cell(opt.value)} | {_cell(opt.label)} | {_cell(opt.label_loved_one or '')} | "
                   f"{'' if opt.score is None else opt.score} |")
    review.add("")


def questions(review: Review) -> None:
    cat = catalog()
    review.add("## 3. Pre-assessment questions (assistant/intake/questions.yml)", "")
    review.add("### Consent notice", "", f"- Notice version: {cat.notice_version}", "")
    for key in ("self", "loved_one"):
        who = "the person" if key == "self" else "a family member"
        review.quote(f"For {who}", cat.notice[key])
        review.quote(f"For {who}, on SMS", cat.notice_sms[key])
    for q in cat.questions.values():
        about = ", ".join(part for part in (q.instrument, f"ASAM {q.asam}" if q.asam else None) if part)
        review.add(f"### {q.id}" + (f" ({about})" if about else ""), "")
        review.add(f"- Source: {review.source(getattr(q, 'source', None))}",
                   f"- Kind: {q.kind}" + (f", number read as {q.unit}" if q.unit else ""), "")
        review.quote("Asked of the person", q.text) if q.text else review.add("- Not asked of the person themself.", "")
        if q.text_loved_one:
            review.quote("Asked of a family member", q.text_loved_one)
        else:
            review.add("- Not asked of a family member.", "")
        _options_table(review, q)
        extras = []
        if q.skippable:
            extras.append(f'can be skipped ("{q.skip_label}")')
        if q.allows_unknown("loved_one"):
            extras.append(f'a family member may answer "{catalog().unknown_label}"')
        if extras:
            review.add("- Also: " + "; ".join(extras) + ".", "")
        review.quote("Why we ask", q.why)
        if q.summary_label:
            review.add(f"- In the summary as: {q.summary_label}", "")
        for field in dataclasses.fields(q):
            value = getattr(q, field.name)
            if field.name not in _QUESTION_SHOWN and isinstance(value, str) and value:
                review.quote(field.name.replace("_", " ").capitalize(), value)
    review.add("### Between the questions", "", "- Hints, by kind of question (after an answer we could not read):", "")
    for kind, hint in cat.hints.items():
        review.quote(kind, hint)
    review.add("- Replies built from a question's texts or the answers ({placeholders} filled in):", "")
    for name, wording in cat.replies.items():
        review.quote(name, wording["text"])
        if wording.get("sms"):
            review.quote(f"{name}, on SMS", wording["sms"])


def _value_label(question, value: str) -> str:
    if value == "skipped":
        return "skipped"
    if value == "unknown":
        return f'"{catalog().unknown_label}"'
    opt = question.option(value) if question else None
    return f'"{opt.label}"' if opt else repr(value)


def condition_in_words(cond: dict, depth: int = 0) -> list[str]:
    """A triage condition as nested bullet lines in plain words."""
    pad = "  " * depth
    if "any" in cond or "all" in cond:
        key = "any" if "any" in cond else "all"
        lines = [f"{pad}- {'any' if key == 'any' else 'all'} of:"]
        for sub in cond[key]:
            lines += condition_in_words(sub, depth + 1)
        return lines
    if "crisis" in cond:
        kinds = " or ".join(cond["crisis"])
        return [f"{pad}- the assistant took the {kinds} crisis path earlier in this conversation"]
    if "score" in cond:
        return [f"{pad}- the {cond['score']} total is at least {cond.get('at_least')}"]
    if "question" in cond:
        q = catalog().questions.get(cond["question"])
        asked = (q.text or q.text_loved_one or "") if q else ""
        asked = asked if len(asked) <= 110 else asked[:107].rstrip() + "..."
        values = " or ".join(_value_label(q, v) for v in cond.get("in", []))
        return [f'{pad}- the answer to "{asked}" ({cond["question"]}) is {values}']
    return [f"{pad}- {cond!r}"]


def triage(review: Review) -> None:
    config = load_triage_config()
    review.add("## 4. Triage (triage.yml)", "",
               "A request gets the most urgent level whose rule matches (ROUTINE when none does); staff see the",
               "reason of every rule that matched. The person never sees a level or a score.", "")
    for n, rule in enumerate(config.rules, 1):
        review.add(f"### Rule {n}: {rule.level}: {rule.reason}", "",
                   f"- Source: {review.source(getattr(rule, 'source', None))}", "- When:",
                   *("  " + line for line in condition_in_words(rule.when)), "")
    review.add("### Same-day levels", "",
               f"Staff must reach these the same day: {', '.join(sorted(config.same_day_levels)) or 'none'} "
               "(a positive suicide screen always is).", "")
    review.add("### Callback windows", "", "When the person is told to expect the call; words in braces come from the",
               "center's opening hours (section 5 shows examples).", "",
               "| level | while the center is open | while it is closed |", "|---|---|---|")
    for level, texts in config.callback_windows.items():
        review.add(f"| {level} | {_cell(texts.get('open'))} | {_cell(texts.get('closed'))} |")
    review.add("")


def promises(review: Review) -> None:
    """What the person is told about when staff will call, if assistant.intake.promises provides examples."""
    try:
        module = importlib.import_module("assistant.intake.promises")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("assistant.intake.promises"):
            return
        raise
    examples = getattr(module, "review_examples", None)
    if examples is None:
        return
    review.add("## 5. What the person is told about the call back", "",
               "Examples at fixed moments, from the center's hours in center.yml (assistant/intake/promises.py).", "")
    for situation, text in examples():
        review.quote(situation, text)


def sources_cited(review: Review) -> None:
    review.add("## 6. Sources cited", "", f"Sections of {SOURCES_DOC} cited above, and how often:", "")
    for citation, count in sorted(review.cited.items(), key=lambda item: (-item[1], item[0])):
        review.add(f"- {review.known[citation.split('#', 1)[1]]} ({citation}): {count}")
    review.add("")


def sign_off(review: Review) -> None:
    review.add("## 7. Sign-off", "",
               "| reviewer | role | date | approved as is / changes requested (item names) |",
               "|---|---|---|---|", "| | | | |", "| | | | |", "")


def build() -> str:
    review = Review()
    header(review)
    responses(review)
    knowledge_answers(review)
    questions(review)
    triage(review)
    promises(review)
    sources_cited(review)
    sign_off(review)
    return "\n".join(review.lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"where to write (default {DEFAULT_OUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    text = build()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
