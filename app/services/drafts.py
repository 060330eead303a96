"""Drafts (bản nháp): text being typed, kept as it is typed so that a crash or a kill loses none of it.

A draft lives in the cell's own file (so it is encrypted with it), holds the fields of one form that
differ from what is saved, and is removed when they are saved. On the next start the window offers back
what a draft still holds.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from app.storage.models import Draft as DraftRow
from app.storage.models import database, now


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
    with database.atomic():
        if not fields:
            DraftRow.delete().where(DraftRow.key == key).execute()
            return
        DraftRow.insert(key=key, content=json.dumps(fields, ensure_ascii=False),
                        saved_at=now()).on_conflict_replace().execute()


def discard(key: str) -> None:
    keep(key, {})


def get(key: str) -> Draft | None:
    row = DraftRow.get_or_none(DraftRow.key == key)
    return _to_draft(row) if row is not None else None


def all_drafts() -> list[Draft]:
    """Every draft left, oldest first (those a crash or a kill interrupted)."""
    drafts = (_to_draft(row) for row in DraftRow.select().order_by(DraftRow.saved_at))
    return [d for d in drafts if d is not None]
