"""Nhiệm vụ được giao: from a meeting's assignments to the statuses the next meeting confirms."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.domain import names
from app.domain.dates import Month
from app.domain.review import TaskStatus

# "Đ/c Nguyễn Văn An: vận động 5 hộ nộp quỹ (tháng 12/2026)", "- đồng chí Bình - dọn vệ sinh", "Chi: ..."
_LEAD = re.compile(r"^\s*(?:[-–•*+]|\d+[.)])?\s*(?:(?:đ/c|đc|đồng chí)\.?\s+)?", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?::|\s[-–]\s)\s*")
_DUE = re.compile(r"\(?\s*(?:trong\s+)?tháng\s+(\d{1,2})(?:\s*/\s*(\d{4}))?\s*\)?\s*\.?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class SuggestedTask:
    """One line of a meeting's assignments read as a task: whose, what and when (the secretary confirms)."""

    member_id: int
    title: str
    due_month: Month
    line: str


def suggest_tasks(text: str, members: Iterable[tuple[int, str]], default_due: Month) -> list[SuggestedTask]:
    """Read the «Phân công nhiệm vụ» text line by line: a line that starts with a member's name (full, or the
    given name when only one member has it) before ':' or ' - ' becomes that member's task; a closing
    «(tháng 12)» or «tháng 12/2026» sets its month, otherwise default_due. Other lines are left out."""
    people = [(member_id, names.normalize_text(full_name)) for member_id, full_name in members]
    by_full = {names.fold(full): member_id for member_id, full in people}
    given: dict[str, list[int]] = {}
    for member_id, full in people:
        given.setdefault(names.fold(full.split()[-1]) if full.split() else "", []).append(member_id)
    found = []
    for raw in (text or "").splitlines():
        line = names.normalize_text(raw).strip()
        parts = _SPLIT.split(_LEAD.sub("", line, count=1), maxsplit=1)
        if len(parts) != 2 or not parts[1].strip():
            continue
        who, what = names.fold(parts[0].strip()), parts[1].strip()
        member_id = by_full.get(who)
        if member_id is None and len(given.get(who, [])) == 1:
            member_id = given[who][0]
        if member_id is None:
            continue
        due, what = _due_of(what, default_due)
        if what:
            found.append(SuggestedTask(member_id, what, due, line))
    return found


def _due_of(what: str, default_due: Month) -> tuple[Month, str]:
    match = _DUE.search(what)
    if not match:
        return default_due, what
    month = int(match.group(1))
    year = int(match.group(2)) if match.group(2) else default_due.year
    if not 1 <= month <= 12:
        return default_due, what
    due = Month(year, month)
    if not match.group(2):
        due = _nearest(due, default_due)
    return due, what[:match.start()].rstrip(" ,;.-–(")


def _nearest(due: Month, default_due: Month) -> Month:
    """A month written without its year, in the year that puts it nearest the month being planned (half a year
    off: the one ahead): «tháng 1» written for December means the January after, «tháng 12» written for
    January the December before."""
    if due <= default_due.add(-6):
        return Month(due.year + 1, due.month)
    if due > default_due.add(6):
        return Month(due.year - 1, due.month)
    return due


def proposed_status(due: Month, meeting_month: Month, recorded: TaskStatus | None) -> TaskStatus:
    """What the next meeting's list shows before the secretary confirms: the status already recorded, else
    «đúng hạn» for a task due by now or later, «chưa xong» for one whose month passed a meeting ago."""
    if recorded is not None:
        return recorded
    return TaskStatus.ON_TIME if due >= meeting_month.add(-1) else TaskStatus.NOT_DONE
