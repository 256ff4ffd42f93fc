"""Every Rasa 3.6.21 function this project replaces or overrides, in one table.

A patch replaces a Rasa function in place while the Rasa server runs
(rasa_ext/runtime.py installs them; tests install and undo them through
fixtures). An override is a method our subclasses (tracker store, lock stores)
redefine. Both depend on Rasa's private code: `fingerprint` is the SHA-256 (16
hex digits) of the source of the Rasa function as written for RASA_VERSION, and
tests/unit/test_rasa_patches.py fails, naming the patch, when an upgrade changes
it. Re-check what the patch assumes, then update the fingerprint.

Gains: `make bench ARGS=--patch-gains` measures the server's CPU time per turn
and the wall time of a long conversation with every speed patch, with none, and
without each one (docs/rasa-patches.md holds the last measurement and which
patches were kept or dropped for it). `RASA_PATCHES=none` (or `all,-NAME`)
starts the server without them.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from rasa_ext import hardening, speedups


@dataclass(frozen=True)
class Patch:
    name: str
    target: str  # "module:Class.method" or "module:function"
    replacement: Callable[[Callable], Callable]  # given Rasa's function, returns ours
    fingerprint: str
    kind: str  # "speed" (RASA_PATCHES turns it off) or "hardening" (always on)
    proven_by: str  # the test that compares it with Rasa's own result

    def owner_and_attribute(self) -> tuple[Any, str]:
        return owner_and_attribute(self.target)


@dataclass(frozen=True)
class Override:
    """A Rasa method our subclass redefines (not replaced in Rasa itself)."""

    target: str
    fingerprint: str
    by: str  # our class that overrides it


TEST = "tests/unit/test_rasa_patches.py::"

PATCHES = (
    Patch("action_call_recent_events", "rasa.core.actions.action:RemoteAction._action_call_format",
          speedups.action_call_with_recent_events, "428795b944f22edb", "speed",
          TEST + "test_action_calls_carry_the_recent_events_and_all_slots"),
    Patch("prediction_window", "rasa.core.processor:MessageProcessor._predict_next_with_tracker",
          speedups.predict_from_recent_view, "111a9023a5bcb32d", "speed",
          "tests/unit/test_prediction_window.py (every test story, a long recorded conversation)"),
    Patch("reply_validators", "rasa.core.actions.action:RemoteAction._validate_action_result",
          speedups.validate_reply_by_event_type, "f8cdb4be68123961", "speed",
          TEST + "test_action_replies_are_accepted_and_refused_exactly_as_by_rasas_schema"),
    Patch("applied_events_fold", "rasa.shared.core.trackers:DialogueStateTracker.applied_events",
          speedups.applied_events_continued, "764d5065ea9997d6", "speed",
          TEST + "test_applied_events_continued_from_the_last_call_equal_rasas"),
    Patch("tracker_copy", "rasa.shared.core.trackers:DialogueStateTracker.copy", speedups.copy_without_replay,
          "dfa48dca9f355ad1", "speed", TEST + "test_tracker_copy_equals_rasas_replayed_copy"),
    Patch("form_tracker_copy", "rasa.core.actions.forms:FormAction._temporary_tracker",
          speedups.form_tracker_from_copy, "381bc4b6e07fc205", "speed",
          TEST + "test_form_validation_tracker_has_the_state_of_rasas_replay"),
    Patch("quiet_root_route", "rasa.server:add_root_route", hardening.quiet_root_route, "acc5f7c278af32f8",
          "hardening", "tests/unit/test_safe_logging.py, tests/e2e/test_rest.py"),
)

CACHING_STORE = "rasa_ext.tracker_store.CachingSQLTrackerStore"
OVERRIDES = (
    Override("rasa.core.tracker_store:SQLTrackerStore.retrieve", "0d99846daced97d3", CACHING_STORE),
    Override("rasa.core.tracker_store:SQLTrackerStore.save", "57165e46eab3de08", CACHING_STORE),
    Override("rasa.core.tracker_store:SQLTrackerStore._event_query", "cd44f7901b860bfd", CACHING_STORE),
    Override("rasa.core.lock_store:LockStore.lock", "8b9b716c031a3444", "rasa_ext.lock_store._AtomicTicketLocks"),
    Override("rasa.core.lock_store:LockStore.issue_ticket", "4dfdfb5e62c1dda9", "rasa_ext.lock_store._AtomicTicketLocks"),
    Override("rasa.core.lock_store:LockStore.update_lock", "d56816a13451e7a5", "rasa_ext.lock_store._AtomicTicketLocks"),
    Override("rasa.core.lock_store:LockStore.finish_serving", "ba76ac5a486b97dd", "rasa_ext.lock_store._AtomicTicketLocks"),
    Override("rasa.core.lock_store:LockStore.cleanup", "f2ba1745c8153f92", "rasa_ext.lock_store._AtomicTicketLocks"),
)

BY_NAME = {patch.name: patch for patch in PATCHES}

# What each installed patch replaced: the raw attribute (a staticmethod stays one), to put back.
_replaced: dict[str, Any] = {}


def owner_and_attribute(target: str) -> tuple[Any, str]:
    """("module:Class.method") -> (the class, "method"); ("module:function") -> (the module, "function")."""
    module_name, _, path = target.partition(":")
    owner: Any = importlib.import_module(module_name)
    *classes, attribute = path.split(".")
    for name in classes:
        owner = getattr(owner, name)
    return owner, attribute


def raw_attribute(owner: Any, attribute: str) -> Any:
    """The attribute as stored: a class's own entry (a staticmethod stays one), or a module's."""
    return owner.__dict__[attribute] if isinstance(owner, type) else getattr(owner, attribute)


def _function(raw: Any) -> Callable:
    return raw.__func__ if isinstance(raw, (staticmethod, classmethod)) else raw


def rasas_function(target: str) -> Callable:
    """Rasa's own function at `target`, also while a patch replaces it."""
    for patch in PATCHES:
        if patch.target == target and patch.name in _replaced:
            return _function(_replaced[patch.name])
    return _function(raw_attribute(*owner_and_attribute(target)))


def source_fingerprint(function: Callable) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]


def install(names: Iterable[str] | None = None) -> list[str]:
    """Installs the named patches (all by default); installing one twice changes nothing."""
    chosen = [BY_NAME[name] for name in names] if names is not None else list(PATCHES)
    for patch in chosen:
        if patch.name in _replaced:
            continue
        owner, attribute = patch.owner_and_attribute()
        raw = raw_attribute(owner, attribute)
        ours = patch.replacement(_function(raw))
        setattr(owner, attribute, staticmethod(ours) if isinstance(raw, staticmethod) else ours)
        _replaced[patch.name] = raw
    return [patch.name for patch in chosen]


def undo(names: Iterable[str] | None = None) -> None:
    """Puts Rasa's own functions back (all installed patches by default)."""
    for name in list(names if names is not None else _replaced):
        raw = _replaced.pop(name, None)
        if raw is not None:
            owner, attribute = BY_NAME[name].owner_and_attribute()
            setattr(owner, attribute, raw)


def installed() -> list[str]:
    return list(_replaced)


@contextmanager
def patched(names: Iterable[str] | None = None) -> Iterator[list[str]]:
    """The patches installed for the block, undone after it (only those it installed)."""
    before = set(_replaced)
    chosen = install(names)
    try:
        yield chosen
    finally:
        undo([name for name in chosen if name not in before])


def selected(setting: str | None) -> list[str]:
    """The patches RASA_PATCHES asks for: unset or "all": every one; "none": the
    hardening ones only; "all,-NAME,-NAME": all but those speed patches."""
    hardening_only = [p.name for p in PATCHES if p.kind == "hardening"]
    value = (setting or "all").strip()
    if value == "none":
        return hardening_only
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not parts or parts[0] != "all" or any(not p.startswith("-") for p in parts[1:]):
        raise ValueError(f"RASA_PATCHES={setting!r}: use all, none, or all,-NAME,... (names: {', '.join(BY_NAME)})")
    left_out = {part[1:] for part in parts[1:]}
    unknown = left_out - set(BY_NAME)
    if unknown:
        raise ValueError(f"RASA_PATCHES: no patch named {', '.join(sorted(unknown))} (names: {', '.join(BY_NAME)})")
    if left_out & set(hardening_only):
        raise ValueError("RASA_PATCHES: the hardening patches are not optional")
    return [p.name for p in PATCHES if p.name not in left_out]
