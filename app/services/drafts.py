"""Drafts (bản nháp): text being typed, kept as it is typed so that a crash or a kill loses none of it.

A draft lives in the cell's own file (so it is encrypted with it), holds the fields of one form that
differ from what is saved, and is removed when they are saved. On the next start the window offers back
what a draft still holds.

A file open only to look at (read-only) takes no write: its drafts are kept in memory for the session, and the
drafts in the file (another window's, still typing perhaps) are not offered.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from app.storage import db as storage
from app.storage.models import Draft as DraftRow
from app.storage.models import database, now

_in_memory: dict[tuple[str, str], Draft] = {}  # read-only mode: (file, key) -> draft, for this session only


@dataclass(frozen=True)
class Draft:
    """Bản nháp of one form: field name -> typed text."""

    key: str
    fields: dict[str, str]
    saved_at: dt.datetime

    @property
    def meeting_id(self) -> int | None:
        """The meeting a `meeting.<id>.<form>` draft belongs to."""
        parts = self.key.split(".")
        return int(parts[1]) if len(parts) == 3 and parts[0] == "meeting" and parts[1].isdigit() else None


def meeting_key(meeting_id: int, form: str = "content") -> str:
    return f"meeting.{meeting_id}.{form}"


def _to_draft(row: DraftRow) -> Draft | None:
    try:
        fields = json.loads(row.content)
    except ValueError:
        return None
    if not isinstance(fields, dict):
        return None
    saved_at = row.saved_at if isinstance(row.saved_at, dt.datetime) else dt.datetime.fromisoformat(str(row.saved_at))
    return Draft(row.key, {str(k): str(v) for k, v in fields.items()}, saved_at)


def keep(key: str, fields: dict[str, str]) -> None:
    """Write (or, with no fields, remove) the draft of a form; one small transaction, no history entry."""
    if _read_only():
        _in_memory.pop(_memory_key(key), None)
        if fields:
            _in_memory[_memory_key(key)] = Draft(key, dict(fields), dt.datetime.now().replace(microsecond=0))
        return
    with database.atomic():
        if not fields:
            DraftRow.delete().where(DraftRow.key == key).execute()
            return
        DraftRow.insert(key=key, content=json.dumps(fields, ensure_ascii=False),
                        saved_at=now()).on_conflict_replace().execute()


def discard(key: str) -> None:
    keep(key, {})


def kept_in_memory() -> bool:
    """Drafts go to memory only: the file is open read-only (a form then keeps what is typed, saving nothing)."""
    try:
        return _read_only()
    except storage.DatabaseError:
        return False


def _read_only() -> bool:
    return storage.current().read_only


def _memory_key(key: str) -> tuple[str, str]:
    return str(storage.current().path), key


def get(key: str) -> Draft | None:
    if _read_only():
        return _in_memory.get(_memory_key(key))
    row = DraftRow.get_or_none(DraftRow.key == key)
    return _to_draft(row) if row is not None else None


def all_drafts() -> list[Draft]:
    """Every draft left, oldest first (those a crash or a kill interrupted)."""
    if _read_only():
        here = str(storage.current().path)
        return sorted((d for (file, _key), d in _in_memory.items() if file == here), key=lambda d: d.saved_at)
    drafts = (_to_draft(row) for row in DraftRow.select().order_by(DraftRow.saved_at))
    return [d for d in drafts if d is not None]
