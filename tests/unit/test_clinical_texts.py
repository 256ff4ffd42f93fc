"""No user-facing text reads as dosing, taper or stop/continue instructions.

Scans every text the assistant can send: all domain/ responses with their
channel variants and button titles, knowledge/*.yml answers (web and SMS) and
button titles, the brand corrections, topic and service names of assistant/lexicon.yml,
the pre-assessment catalog
(assistant/intake/questions.yml: notices, questions, options, why, hints,
replies with their SMS wording and the form's own labels), the callback windows
and call promises of triage.yml, what the channels write themselves
(channels/texts.yml) and the string literals of the code that writes replies.
A failure names each offending text, where it is and what matched.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

import yaml

from assistant import domain_files
from tests.conftest import ROOT

# Python files whose string literals can reach the person (docstrings are skipped).
CODE_FILES = sorted((ROOT / "actions").glob("*.py")) + [ROOT / "assistant" / name for name in (
    "center.py", "sms.py", "intake/conversation.py", "intake/confirmation.py", "intake/callback_request.py",
    "intake/promises.py")] + sorted((ROOT / "channels").glob("*.py"))
# Keys of the question catalog that are not shown: stored values, typed forms, metadata.
CATALOG_NOT_SHOWN = {"value", "synonyms", "ask_count_for", "kind", "asam", "instrument", "unit", "means", "range",
                     "score", "source", "notice_version"}

_NUMBER = r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|half)"
_TAPER_VERB = r"\b(?:lower|reduc|cut|taper|decreas|drop|wean|step(?:ped|ping)?\s+down)\w*\b"
DOSE_PATTERNS = {
    "an amount in mg, mcg or ml": re.compile(
        r"\b\d+(?:[.,]\d+)?(?:\s*/\s*\d+(?:[.,]\d+)?)?\s*(?:mg|mcg|µg|ug|ml|milligrams?|micrograms?|milliliters?|millilitres?)\b",
        re.I),
    "milligrams or micrograms": re.compile(r"\b(?:milligrams?|micrograms?)\b", re.I),
    "how many times a day": re.compile(
        r"\b\w+\s+times\s+(?:a|per|each|every)\s+day\b|\btimes\s+daily\b|\btwice\s+(?:a|per|each)\s+day\b|\btwice\s+daily\b",
        re.I),
    "how many tablets or pills a day": re.compile(
        rf"\b{_NUMBER}\s+(?:tablets?|pills?|films?|strips?|capsules?|sprays?|doses?|shots?)\s+(?:a|per|each|every)\s+day\b"
        r"|\b(?:tablets?|pills?)\s+(?:a|per)\s+day\b",
        re.I),
    "a taper step in percent": re.compile(
        rf"{_TAPER_VERB}[^.;:!?]{{0,60}}?\bby\s+(?:about\s+|around\s+)?\d+(?:[.,]\d+)?\s*(?:%|percent)"
        r"|\b\d+(?:[.,]\d+)?\s*(?:%|percent)\s+(?:every|each|a|per)\s+(?:day|week|month|\d+)",
        re.I),
    "a taper over a stated time": re.compile(
        rf"{_TAPER_VERB}[^.;:!?]{{0,60}}?\bover\s+(?:the\s+next\s+)?(?:a\s+few|several|a\s+couple\s+of|{_NUMBER}"
        r"(?:\s*(?:-|to)\s*\d+)?)\s+(?:days?|weeks?|months?)\b",
        re.I),
}


def dose_findings(text: str) -> list[str]:
    """'<kind>: "<matched words>"' for every dose-like phrase in `text`."""
    return [f'{kind}: "{m.group(0)}"' for kind, pattern in DOSE_PATTERNS.items() for m in pattern.finditer(text)]


# --- where the texts are -----------------------------------------------------------


def _load(relative: str):
    return yaml.safe_load((ROOT / relative).read_text(encoding="utf-8"))


def domain_texts() -> Iterator[tuple[str, str]]:
    for name, variants in domain_files.responses().items():
        for i, variant in enumerate(variants):
            where = f"domain/ {name}[{i}]" + (f" (channel {variant['channel']})" if variant.get("channel") else "")
            if variant.get("text"):
                yield f"{where} text", variant["text"]
            for button in variant.get("buttons") or []:
                yield f"{where} button", button["title"]


def _walk(node, path: str, keep) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{path}.{key}" if path else str(key)
            if isinstance(value, str):
                if keep(str(key)):
                    yield child, value
            else:
                yield from _walk(value, child, keep)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            child = f"{path}[{i}]"
            if isinstance(value, str):
                if keep(path.rsplit(".", 1)[-1]):
                    yield child, value
            else:
                yield from _walk(value, child, keep)


def knowledge_texts() -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "knowledge").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for where, text in _walk(data, "", lambda key: key in ("text", "sms", "name")):
            yield f"knowledge/{path.name} {where}", text
        for where, text in _walk(data.get("titles") or {}, "titles", lambda key: True):  # button titles
            yield f"knowledge/{path.name} {where}", text


def lexicon_texts() -> Iterator[tuple[str, str]]:
    lexicon = _load("assistant/lexicon.yml")
    for brand, note in (lexicon.get("brand_notes") or {}).items():
        yield f"assistant/lexicon.yml brand_notes.{brand}", note
    for intent, topic in (lexicon.get("topics") or {}).items():  # "Just to check: is your question about <topic>?"
        yield f"assistant/lexicon.yml topics.{intent}", topic
    for key, name in (lexicon.get("services") or {}).items():  # "<center> offers <services>"
        yield f"assistant/lexicon.yml services.{key}", name
    yield "assistant/lexicon.yml services_joined", lexicon["services_joined"]


def catalog_texts() -> Iterator[tuple[str, str]]:
    data = _load("assistant/intake/questions.yml")
    for where, text in _walk(data, "", lambda key: key not in CATALOG_NOT_SHOWN):
        yield f"assistant/intake/questions.yml {where}", text


def triage_texts() -> Iterator[tuple[str, str]]:
    for level, texts in (_load("triage.yml").get("callback_windows") or {}).items():
        for key, text in texts.items():
            yield f"triage.yml callback_windows.{level}.{key}", text
    for key, text in (_load("triage.yml").get("call_promises") or {}).items():
        yield f"triage.yml call_promises.{key}", text


def channel_texts() -> Iterator[tuple[str, str]]:
    yield from (("channels/texts.yml " + where, text)
                for where, text in _walk(_load("channels/texts.yml"), "", lambda key: True))


def code_texts() -> Iterator[tuple[str, str]]:
    for path in CODE_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
                first = node.body[0]
                if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                    docstrings.add(id(first.value))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node.value


SOURCES = {
    "domain": domain_texts,
    "knowledge": knowledge_texts,
    "lexicon": lexicon_texts,
    "catalog": catalog_texts,
    "triage": triage_texts,
    "channels": channel_texts,
    "code": code_texts,
}


def user_facing_texts() -> list[tuple[str, str]]:
    return [item for collect in SOURCES.values() for item in collect()]


# --- tests -------------------------------------------------------------------------------


def test_no_user_facing_text_reads_as_dosing_or_taper_instructions():
    offenders = [f"{where}: {finding}\n    {text}" for where, text in user_facing_texts()
                 for finding in dose_findings(text)]
    assert not offenders, "dose, frequency or taper wording (the prescriber decides these):\n" + "\n".join(offenders)


def test_the_scan_reaches_every_kind_of_text():
    counts = {name: sum(1 for _ in collect()) for name, collect in SOURCES.items()}
    assert all(counts.values()), counts
    responses = domain_files.responses()
    assert sum(1 for where, _ in domain_texts() if where.endswith(" text")) == sum(
        1 for variants in responses.values() for v in variants if v.get("text"))
    scanned = dict(user_facing_texts())
    assert any(text == "Talk to our staff" for text in scanned.values())  # buttons and code literals
    from assistant.knowledge import load_knowledge

    knowledge_scanned = {text for _, text in knowledge_texts()}  # every answer, SMS wordings included
    assert not [where for where, text, _ in load_knowledge().all_texts() if text not in knowledge_scanned]
    assert any(".why" in where for where in scanned)  # "why we ask"
    assert any(where.startswith("knowledge/medications.yml titles.aspects.") for where in scanned)  # button titles
    assert any(where.startswith("assistant/lexicon.yml topics.") for where in scanned)  # the fallback's topics
    assert any(where.startswith("assistant/lexicon.yml services.") for where in scanned)  # center services
    assert any(where.startswith("triage.yml call_promises.") for where in scanned)
    assert any(where.startswith("channels/texts.yml sms.") for where in scanned)  # the SMS channel's own texts
    assert any(where.startswith("assistant/intake/questions.yml labels.") for where in scanned)  # "I don't know"
    assert any(".label" in where for where in scanned)  # option labels
    assert any("notice" in where for where in scanned)
    assert any(where.startswith("assistant/intake/questions.yml hints.") for where in scanned)  # between questions
    assert any(where.startswith("assistant/intake/questions.yml replies.") and where.endswith(".sms") for where in scanned)


def test_the_patterns_catch_doses_and_taper_steps():
    for text in ("Take 8 mg under the tongue.", "Two 333 mg tablets.", "three 0.18 mg tablets", "the 8/2 mg film",
                 "16 mcg", "50 milligrams", "a few milligrams more", "It is taken three times a day.",
                 "4 times daily", "twice a day", "two tablets a day", "3 pills per day", "tablets a day",
                 "lower the dose by 10%", "reduce it by about 25 percent", "5-10% every 2-4 weeks",
                 "When it is time to stop, it is lowered over a few days.", "taper over 2-4 days",
                 "cut down over 3 weeks", "reduce it slowly over several weeks"):
        assert dose_findings(text), text


def test_the_patterns_spare_numbers_that_are_not_doses():
    for text in ("Call 911 now.", "Call or text 988.", "SAMHSA Helpline 1-800-662-4357 (free, 24/7)",
                 "Poison Help 1-800-222-1222", "TTY 1-800-487-4889", "confidential under 42 CFR Part 2",
                 "42 CFR Part 8 (2024)", "How often did you have six or more drinks on one occasion?",
                 "6+ drinks", "5 or more drinks containing alcohol in one day", "2-4 times a month",
                 "4 or more times a week", "Daily or almost daily", "More than half the days",
                 "about 40-60% of people in recovery", "no response after 2-3 minutes", "at least 12 hours",
                 "7-10 days after short-acting opioids", "for up to 14 days", "once a day", "once a month",
                 "every 4 weeks (once a month)", "wait 1 hour before brushing", "reference CB-7K3M9Q",
                 "by the end of Monday", "first thing when we open, Monday at 8 am", "ages 18-25",
                 "It builds up in the body over several days.", "ease over 3-5 days",
                 "A slow taper, supervised by a clinician, lowers the risk; some people need more than a year."):
        assert not dose_findings(text), (text, dose_findings(text))


def test_moud_is_not_used_for_alcohol():
    """MOUD means medications for opioid use disorder: where alcohol is included, MOUD/MAUD or plain words."""
    from assistant.knowledge import load_knowledge

    texts = [(where, text) for where, text in domain_texts()] + [
        (where, text) for where, text, _ in load_knowledge().all_texts()] + list(knowledge_texts())
    for where, text in texts:
        assert "MOUD or MAT" not in text, where
        if re.search(r"\bMOUD\b", text) and re.search(r"alcohol", text, re.I):
            assert re.search(r"\bMAUD\b", text), f"{where}: MOUD for a text that includes alcohol: {text}"
