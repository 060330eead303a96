"""What an operation changed (Anki's OpChanges): read off the history rows it wrote, so none is forgotten."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from app.storage import audit

T = TypeVar("T")

# History entities that belong to one member's line of the fee book (their entity_id is the member's id).
_FEE_MEMBER_ENTITIES = frozenset({"fee_profile", "fee_relief", "fee_payment", "fee_excuse"})
# Entities that change every line of the fee book at once.
_FEE_BOOK_ENTITIES = frozenset({"fee_remittance", "fee_rule_value", "fee_demo"})
# Database actions that replace or rewrite the whole file; a backup changes nothing in it.
_WHOLE_FILE_ACTIONS = frozenset({"restore", "encrypt", "decrypt", "rekey"})


@dataclass(frozen=True)
class Changes:
    """The areas one operation touched; pages refresh only what is named here."""

    members: frozenset[int] = frozenset()  # a member's record or status history
    meetings: frozenset[int] = frozenset()  # a meeting, its roll or its text
    fee_members: frozenset[int] = frozenset()  # members whose line of the fee book changed
    fee_book: bool = False  # remittances, rule figures: every line of the fee book
    documents: bool = False  # numbers given to documents
    settings: frozenset[str] = frozenset()
    reviews: frozenset[int] = frozenset()  # years whose annual review (a member's, the cell's, the season) changed
    review_tasks: bool = False  # tasks given or confirmed, review thresholds: every year's shares and scope
    cell: bool = False
    packages: bool = False  # packages sent or received, keys, accepted periods, the Đảng ủy's cells
    everything: bool = False  # the file was replaced (restore) or rewritten (encryption)

    def __or__(self, other: Changes) -> Changes:
        values = {}
        for f in dataclasses.fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            values[f.name] = mine | theirs
        return Changes(**values)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in dataclasses.fields(self))

    @property
    def any_fee(self) -> bool:
        return bool(self.fee_members or self.fee_book or self.members or self.everything)

    def to_json(self) -> dict:
        return {f.name: sorted(v) if isinstance(v := getattr(self, f.name), frozenset) else v
                for f in dataclasses.fields(self)}


EVERYTHING = Changes(everything=True)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """A service's result together with what it changed."""

    value: T
    changes: Changes


def _setting_keys(entry: dict) -> set[str]:
    return set(audit.parsed_changes(entry["changes"]) or ())


def from_entries(entries: Iterable[dict]) -> Changes:
    """The Changes that a list of history rows (audit.entry dicts) describes."""
    members, meetings, fee_members, settings, reviews = set(), set(), set(), set(), set()
    flags = {"fee_book": False, "documents": False, "cell": False, "everything": False, "review_tasks": False,
             "packages": False}
    for entry in entries:
        entity, entity_id = entry["entity"], entry["entity_id"]
        if entity in ("member", "member_event"):
            members.add(entity_id)
        elif entity == "meeting":
            meetings.add(entity_id)
        elif entity == "document_number":
            flags["documents"] = True
            if entity_id is not None:
                meetings.add(entity_id)
        elif entity in _FEE_MEMBER_ENTITIES:
            fee_members.add(entity_id)
        elif entity in _FEE_BOOK_ENTITIES:
            flags["fee_book"] = True
        elif entity == "setting":
            settings |= _setting_keys(entry)
        elif entity == "review":
            reviews.add(entity_id)
        elif entity in ("review_task", "review_rule"):
            flags["review_tasks"] = True
        elif entity == "cell":
            flags["cell"] = True
        elif entity in ("package", "superior", "key_pair"):
            flags["packages"] = True
        elif entity == "database" and entry["action"] in _WHOLE_FILE_ACTIONS:
            flags["everything"] = True
    return Changes(members=frozenset(members), meetings=frozenset(meetings), fee_members=frozenset(fee_members),
                   settings=frozenset(settings), reviews=frozenset(reviews), **flags)


def perform(fn: Callable[..., T], *args, **kwargs) -> Outcome[T]:
    """Call a service and return its value with what it changed (the window's one way to change data)."""
    with audit.watching() as seen:
        value = fn(*args, **kwargs)
    return Outcome(value, from_entries(seen))
