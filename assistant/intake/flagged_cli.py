"""`intake flagged [--export nlu]`: assistant replies staff flagged as wrong or unsafe, and what prompted them.

With --export nlu it writes Rasa NLU YAML to stdout: for each flagged reply, the
person's message right before it (from the tracker store), with phone numbers,
email addresses and names removed (assistant/pii_scrub.py), under an intent per
flag kind (flagged_wrong, flagged_unsafe) for whoever maintains the training data
to relabel. Notes stay out of it: staff may quote the person in them.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import yaml

from assistant.db.audit import Seen
from assistant.db.flags import list_flags
from assistant.db.models import ReplyFlag
from assistant.pii_scrub import scrub
from rasa_ext.transcripts import READ_ERRORS, messages_before

if TYPE_CHECKING:
    from assistant.intake.cli import Staff

NLU_VERSION = "3.1"
# "[name](city)", "[x]{...}", "[x][...]": Rasa would read an entity annotation; a space keeps it text.
ENTITY_MARKUP = re.compile(r"\](?=[({\[])")


class ExportFailed(Exception):
    """Reported by `intake` on stderr, exit code 1."""


ERRORS = (ExportFailed,)


def add_parser(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    flagged = commands.add_parser("flagged", parents=[common], help="assistant replies flagged as wrong or unsafe")
    flagged.add_argument("--export", choices=["nlu"],
                         help="nlu: the message before each flagged reply as Rasa NLU YAML, names and numbers removed")


def run(args: argparse.Namespace, who: Staff, tz: ZoneInfo) -> int:
    flags = list_flags()
    seen = [Seen(conversation_id=c) for c in dict.fromkeys(flag.conversation_id for flag in flags)]
    who.log("flagged", seen or [Seen()], detail="export nlu" if args.export else None)
    if args.export == "nlu":
        return _export(flags)
    for flag in flags:
        print(f"#{flag.id}  {flag.at.astimezone(tz):%Y-%m-%d %H:%M %Z}  {flag.kind:<6}  conversation {flag.conversation_id}"
              f"  reply {flag.event_id}  by {flag.flagged_by}" + (f"\n    {flag.note}" if flag.note else ""))
    if not flags:
        print("No flagged replies.")
    return 0


def _export(flags: list[ReplyFlag]) -> int:
    try:
        before = messages_before((flag.conversation_id, flag.event_id) for flag in flags)
    except READ_ERRORS as exc:
        raise ExportFailed(f"tracker store unavailable: {type(exc).__name__}: {str(exc).splitlines()[0]}") from exc
    oldest_first = sorted(flags, key=lambda flag: flag.id)
    messages = [(flag.kind, before.get((flag.conversation_id, flag.event_id))) for flag in oldest_first]
    sys.stdout.write(nlu_yaml((kind, message) for kind, message in messages if message))
    missing = sum(1 for _, message in messages if not message)
    if missing:
        print(f"intake: {missing} flagged reply(ies) left out: no message of the person before them in the tracker store",
              file=sys.stderr)
    return 0


def example_text(message: str) -> str:
    """One line of training text: scrubbed, on one line, printable, with no entity markup."""
    text = "".join(ch if ch.isprintable() else " " for ch in scrub(message))
    return ENTITY_MARKUP.sub("] ", " ".join(text.split()))


class _Examples(str):
    """Written as a YAML literal block (`examples: |`), as Rasa's own files are."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Examples, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|"))


def nlu_yaml(messages: Iterable[tuple[str, str]]) -> str:
    """Rasa NLU YAML from (flag kind, message) pairs: one intent per kind, each example once."""
    intents: dict[str, list[str]] = {}
    for kind, message in messages:
        example = example_text(message)
        examples = intents.setdefault(f"flagged_{kind}", [])
        if example and example not in examples:
            examples.append(example)
    nlu = [{"intent": intent, "examples": _Examples("".join(f"- {e}\n" for e in examples))}
           for intent, examples in intents.items() if examples]
    return yaml.dump({"version": NLU_VERSION, "nlu": nlu}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)
