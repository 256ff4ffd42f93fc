"""The multi-turn conversation set (tests/conversations/multiturn.yml) against a running assistant.

Each user turn is sent over REST as one conversation; the turn's reply (every message
the assistant sends back, buttons' titles included) is checked on what it must and must
not say: must_any (one of), must_all (each of), must_not (none of); an entry starting
"re:" is a regular expression; all case-insensitive. A conversation is right when every
turn is. `python -m evaluation.multiturn` starts an assistant and prints the score.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SET = Path(__file__).resolve().parent.parent / "tests" / "conversations" / "multiturn.yml"


@dataclass
class TurnResult:
    user: str
    reply: str
    crisis: bool
    problems: list[str] = field(default_factory=list)


@dataclass
class ConversationResult:
    id: str
    turns: list[TurnResult]

    @property
    def right(self) -> bool:
        return not any(turn.problems for turn in self.turns)


def _found(check: str, reply: str) -> bool:
    if check.startswith("re:"):
        return re.search(check[3:], reply, re.IGNORECASE) is not None
    return check.lower() in reply.lower()


def problems(turn: dict, reply: str) -> list[str]:
    found = []
    any_of = turn.get("must_any") or []
    if any_of and not any(_found(c, reply) for c in any_of):
        found.append(f"none of {any_of}")
    found += [f"missing {c!r}" for c in turn.get("must_all") or [] if not _found(c, reply)]
    found += [f"has {c!r}" for c in turn.get("must_not") or [] if _found(c, reply)]
    return found


def reply_text(messages: list[dict]) -> str:
    parts = []
    for message in messages:
        parts.append(message.get("text") or "")
        parts += [button.get("title", "") for button in message.get("buttons") or []]
    return "\n".join(part for part in parts if part)


def run(send: Callable[[str, str], list[dict]], path: Path = SET) -> list[ConversationResult]:
    conversations = yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]
    results = []
    for conversation in conversations:
        sender = f"multiturn-{uuid.uuid4().hex[:12]}"
        turns = []
        for turn in conversation["turns"]:
            reply = reply_text(send(sender, turn["user"]))
            turns.append(TurnResult(turn["user"], reply, bool(turn.get("crisis")), problems(turn, reply)))
        results.append(ConversationResult(conversation["id"], turns))
    return results


def summary(results: list[ConversationResult]) -> dict:
    crisis = [turn for result in results for turn in result.turns if turn.crisis]
    return {
        "conversations": len(results),
        "conversations_right": sum(result.right for result in results),
        "share_right": round(sum(result.right for result in results) / max(1, len(results)), 4),
        "crisis_turns": len(crisis),
        "crisis_turns_right": sum(not turn.problems for turn in crisis),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", type=int, default=40, help="how many failing conversations to print")
    args = parser.parse_args()
    from evaluation.server import start_assistant

    with tempfile.TemporaryDirectory() as workdir:
        assistant = start_assistant(Path(workdir))
        try:
            results = run(assistant.send)
        finally:
            assistant.stop()
    for result in [r for r in results if not r.right][: args.failures]:
        print(f"--- {result.id}")
        for turn in result.turns:
            mark = "ok " if not turn.problems else "BAD"
            print(f"  {mark} {turn.user!r}\n      -> {turn.reply[:300]!r}")
            if turn.problems:
                print(f"      {turn.problems}")
    print(summary(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
