"""No user-facing English in Python: what the person reads is in domain responses and data files.

The actions send domain responses (`dispatcher.utter_message(response=..., **values)`)
whose wording and button titles reviewers find in domain/, with the answers and
the titles that are data (medication names, topics) in knowledge/*.yml,
assistant/lexicon.yml, assistant/intake/questions.yml and center.yml. The scan
fails on a string literal in actions/*.py that reads like a sentence (three words
or more), on any literal text sent with utter_message, and on any literal button
title. Docstrings, log messages and exception messages are not shown, so not scanned.

The same scan covers the plain modules and channels that compose what the person
reads outside actions/ (REPLY_MODULES): center facts, SMS options and keyword
answers, call promises, the form's replies and labels. Their words are in
domain/, center.yml, triage.yml, channels/texts.yml, assistant/lexicon.yml and
assistant/intake/questions.yml. Regular expressions (what people type, not
what they read) and HTTP errors for the calling program (a call with `status=`)
are not scanned; the few protocol strings left are listed in NOT_SHOWN.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from assistant import domain_files
from tests.conftest import ROOT

ACTION_FILES = sorted((ROOT / "actions").glob("*.py"))
# Outside actions/: the modules that compose what the person reads. Not here: the
# staff's tools and messages (assistant/intake/cli.py, notify.py, triage and
# screening reasons), the patterns people's words are matched against
# (assistant/crisis*.py, intake/answers.py) and the Rasa runtime (rasa_ext/).
REPLY_MODULES = sorted((ROOT / "channels").glob("*.py")) + [ROOT / "assistant" / name for name in (
    "center.py", "sms.py", "channel_texts.py", "knowledge.py", "lexicon.py",
    "intake/promises.py", "intake/questions.py", "intake/conversation.py", "intake/confirmation.py", "intake/flow.py")]
# Strings of those modules that are no words for a person: (file, text as the scan reads it) -> what it is.
NOT_SHOWN = {
    ("channels/sms.py", "application/xml; charset=utf-8"): "the TwiML answer's content type",
    ("channels/webchat.py", "text/html; charset=utf-8"): "a content type",
    ("channels/webchat.py", "text/javascript; charset=utf-8"): "a content type",
    ("channels/webchat.py", "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                            "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"):
        "the page's Content-Security-Policy header",
    ("channels/rest.py", "the body nests objects or arrays more than X levels deep ('metadata' at most X)"):
        "an HTTP 413 error for the calling program (raised as RequestTooLarge)",
    ("assistant/sms.py", '<?xml version="1.0" encoding="UTF-8"?>'): "the TwiML document's XML declaration",
    ("assistant/intake/questions.py", "Prefer not to say"):
        "a skip_label questions.yml may use: one the answer parser reads as a skip (the label shown is questions.yml's)",
    ("assistant/intake/promises.py", "X X X"): 'a date: "Monday March 8" (weekday, month, day)',
    **{("assistant/intake/promises.py", moment): "a moment named in the clinical review's examples (for reviewers)"
       for moment in ("a weekday at 10 am", "a weekday evening, 8 pm", "10 minutes before closing",
                      "a holiday (the first one listed in center.yml)")},
}
MIN_WORDS = 3
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# Logs; regular expressions; the problems found in a data file, raised together as one error.
_NOT_SHOWN_CALLS = re.compile(r"^(?:(?:logger|logging|log|re)\.\w+|problems\.append)$")


def _name(node: ast.AST) -> str:
    """'logger.exception', 'dispatcher.utter_message', 'intent_button'... for a call's function."""
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def _literal(node: ast.AST) -> str | None:
    """The text of a string literal or f-string (each {value} as "X"); None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(str(v.value) if isinstance(v, ast.Constant) else "X" for v in node.values)  # str parts
    return None


def _skipped(tree: ast.AST) -> set[int]:
    """ids of the nodes inside docstrings, log calls and raised exceptions."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and _literal(first.value) is not None:
                skipped.add(id(first.value))
        roots = []
        if isinstance(node, ast.Call) and (_NOT_SHOWN_CALLS.match(_name(node.func))
                                           or any(k.arg == "status" for k in node.keywords)):  # an HTTP error
            roots = [*node.args, *(k.value for k in node.keywords)]
        elif isinstance(node, ast.Raise) and node.exc is not None:
            roots = [node.exc]
        for root in roots:
            skipped.update(id(inner) for inner in ast.walk(root))
    return skipped


def english_literals(source: str, filename: str = "<source>") -> list[str]:
    """'<file>:<line>: <why>: <text>' for each literal in `source` that would put English before the person."""
    tree = ast.parse(source, filename)
    skipped = _skipped(tree)
    for node in ast.walk(tree):  # the parts of an f-string are read with it
        if isinstance(node, ast.JoinedStr):
            skipped.update(id(part) for part in node.values)
    found: dict[int, str] = {}

    def flag(node: ast.AST, why: str) -> None:
        text = _literal(node)
        if text is not None and id(node) not in skipped:
            found.setdefault(id(node), f"{filename}:{node.lineno}: {why}: {text!r}")  # type: ignore[attr-defined]

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            for keyword in node.keywords:
                if keyword.arg == "text" and name.endswith("utter_message"):
                    flag(keyword.value, "text sent with utter_message (send a domain response)")
                if keyword.arg == "title":
                    flag(keyword.value, "button title (put it in the response's buttons)")
            if name.endswith("intent_button") and node.args:
                flag(node.args[0], "button title (put it in the response's buttons)")
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in ("title", "text"):
                    flag(value, f"literal {key.value} of a message or button")
    for node in ast.walk(tree):
        text = _literal(node)
        if text is not None and len(_WORD.findall(text)) >= MIN_WORDS and re.search(r"\s", text.strip()):
            flag(node, f"reads like a sentence ({MIN_WORDS}+ words)")
    return sorted(found.values())


def test_no_user_facing_english_in_actions():
    offenders = [line for path in ACTION_FILES
                 for line in english_literals(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))]
    assert not offenders, (
        "user-facing English in actions/: move it to a domain response (sent with "
        "dispatcher.utter_message(response=..., **values)) or to the data file it belongs with:\n"
        + "\n".join(offenders))


def test_no_user_facing_english_in_the_modules_that_compose_replies():
    offenders = []
    for path in REPLY_MODULES:
        where = str(path.relative_to(ROOT))
        for line in english_literals(path.read_text(encoding="utf-8"), where):
            text = ast.literal_eval(line.split(": ", 2)[2])
            if (where, text) not in NOT_SHOWN:
                offenders.append(line)
    assert not offenders, (
        "user-facing English in Python: move it to the data file it belongs with (domain/ for what Rasa sends, "
        "channels/texts.yml for what a channel writes itself, center.yml, triage.yml, assistant/lexicon.yml, "
        "assistant/intake/questions.yml):\n" + "\n".join(offenders))


def test_the_not_shown_list_names_only_strings_still_there():
    """An entry whose string is gone (or changed) is dropped, so the list cannot hide a new text."""
    found = {(str(path.relative_to(ROOT)), ast.literal_eval(line.split(": ", 2)[2]))
             for path in REPLY_MODULES for line in english_literals(path.read_text(encoding="utf-8"),
                                                                   str(path.relative_to(ROOT)))}
    assert set(NOT_SHOWN) <= found, set(NOT_SHOWN) - found


def test_the_scan_catches_texts_and_titles_but_not_names_logs_or_docstrings():
    sample = '''
"""Module docstring with many words in it."""
import logging
logger = logging.getLogger(__name__)

def run(dispatcher, name, intent_button):
    """A docstring: not shown to anyone at all."""
    logger.exception("could not store the request for %s", name)
    dispatcher.utter_message(response="utter_which_medication", medication=name)
    dispatcher.utter_message(text=f"Which comparison would help with {name}?")
    dispatcher.utter_message(text="Hi")
    buttons = [{"title": "Yes", "payload": "/affirm"}, intent_button("Other topics", "help_menu")]
    label = "whether you're talking to a bot"
    payload = f"/{name}" + "/out_of_scope"
    if not name:
        raise ValueError("unknown center topic for this one")
    pattern = re.compile(r"\b(?:not at all|no way at all)\b")
    refused = response.text("the body must be UTF-8 form data", status=400)
    return buttons, label, payload, pattern, refused
'''
    found = english_literals(sample)
    assert [line.split(": ")[1] for line in found] == [
        "text sent with utter_message (send a domain response)",  # the f-string
        "text sent with utter_message (send a domain response)",  # "Hi"
        "button title (put it in the response's buttons)",  # "Other topics"
        "literal title of a message or button",  # "Yes"
        "reads like a sentence (3+ words)",  # the label
    ], found


def test_every_response_the_actions_name_is_in_the_domain():
    responses = set(domain_files.responses())
    named = {}
    for path in ACTION_FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = _literal(node)
            if text and re.fullmatch(r"utter_\w+", text):
                named[text] = path.relative_to(ROOT)
    assert named, "the scan found no response names"
    missing = {name: str(where) for name, where in named.items() if name not in responses}
    assert not missing, f"responses the actions send that domain/ does not have: {missing}"


def test_the_scan_reads_every_action_file():
    assert {Path(p).name for p in ACTION_FILES} >= {"common.py", "fallback.py", "handoff.py", "intake.py",
                                                   "knowledge.py", "safety.py", "session.py"}
