"""Nhiệm vụ được giao: tasks from a meeting's assignments or typed by hand, their results confirmed at the next
meeting, and the year's shares the grade conditions use. History entity "review_task", entity_id the task."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.domain import names
from app.domain.dates import Month
from app.domain.issues import Issue
from app.domain.review import TaskShares, TaskStatus, shares_from_tasks
from app.domain.review_tasks import SuggestedTask, proposed_status, suggest_tasks
from app.i18n import _
from app.services import members as member_service
from app.services.errors import NotFound, ValidationFailed
from app.storage import audit
from app.storage import meeting_models as mm
from app.storage import review_models as rm
from app.storage.models import database, now


@dataclass(frozen=True)
class Task:
    id: int
    member_id: int
    title: str
    due_month: Month
    meeting_id: int | None
    status: TaskStatus | None
    checked_meeting_id: int | None
    note: str = ""

    def to_json(self) -> dict:
        return {"id": self.id, "member_id": self.member_id, "title": self.title, "due_month": str(self.due_month),
                "meeting_id": self.meeting_id, "status": self.status.value if self.status else None,
                "status_label": self.status.label if self.status else _("Chưa xác nhận"),
                "checked_meeting_id": self.checked_meeting_id, "note": self.note}


def _task(row: rm.ReviewTask) -> Task:
    return Task(row.id, row.member_id, row.title, Month.parse(row.due_month), row.meeting_id,
                TaskStatus(row.status) if row.status else None, row.checked_meeting_id, row.note)


def _live():
    return rm.ReviewTask.cancelled_at.is_null()


def tasks(*, year: int | None = None, member_id: int | None = None, meeting_id: int | None = None) -> list[Task]:
    """The tasks not cancelled: of a year (by due month), of a member, or assigned at a meeting."""
    query = rm.ReviewTask.select().where(_live()).order_by(rm.ReviewTask.due_month, rm.ReviewTask.id)
    if year is not None:
        query = query.where(rm.ReviewTask.due_month.startswith(f"{year:04d}-"))
    if member_id is not None:
        query = query.where(rm.ReviewTask.member == member_id)
    if meeting_id is not None:
        query = query.where(rm.ReviewTask.meeting == meeting_id)
    return [_task(r) for r in query]


def tasks_by_member(year: int) -> dict[int, tuple[Task, ...]]:
    found: dict[int, list[Task]] = {}
    for task in tasks(year=year):
        found.setdefault(task.member_id, []).append(task)
    return {k: tuple(v) for k, v in found.items()}


def shares_of(year_tasks: Iterable[Task]) -> TaskShares:
    """The shares from the tasks whose result is confirmed (a task not yet confirmed is not counted)."""
    return shares_from_tasks(t.status for t in year_tasks if t.status is not None)


def get_task(task_id: int) -> Task:
    row = rm.ReviewTask.get_or_none((rm.ReviewTask.id == task_id) & _live())
    if row is None:
        raise NotFound(_("Không có nhiệm vụ mã số {id}.").format(id=task_id))
    return _task(row)


def _meeting(meeting_id: int | None) -> mm.Meeting | None:
    if meeting_id is None:
        return None
    row = mm.Meeting.get_or_none(mm.Meeting.id == meeting_id)
    if row is None:
        raise ValidationFailed([Issue("review.meeting_id", _("không có buổi sinh hoạt mã số {id}.").format(
            id=meeting_id))])
    return row


def _checked_task(member_id: int, title: str, due: Month | str) -> tuple[str, Month]:
    member_service.get_member(member_id)
    title = names.normalize_text(title or "").strip()
    problems = []
    if not title:
        problems.append(Issue("review.task_title", _("ghi nội dung nhiệm vụ.")))
    if len(title) > 500:
        problems.append(Issue("review.task_title", _("nội dung nhiệm vụ dài quá 500 ký tự.")))
    if isinstance(due, str):
        try:
            due = Month.parse(due)
        except (ValueError, Exception):  # noqa: BLE001 - DateParseError or a month out of range
            problems.append(Issue("review.due_month", _("tháng phải hết hạn ghi như 2026-12 hoặc 12/2026.")))
    if problems:
        raise ValidationFailed(problems)
    if not 1930 <= due.year <= 2200:
        raise ValidationFailed([Issue("review.due_month", _("tháng phải hết hạn không hợp lệ."))])
    return title, due


def add_task(member_id: int, title: str, *, due_month: Month | str, meeting_id: int | None = None,
             note: str = "") -> Task:
    """Giao một nhiệm vụ (at a meeting, or by hand with no meeting)."""
    title, due = _checked_task(member_id, title, due_month)
    _meeting(meeting_id)
    note = names.normalize_text(note or "").strip()
    with database.atomic():
        row = rm.ReviewTask.create(member=member_id, title=title, due_month=str(due), meeting=meeting_id, note=note,
                                   recorded_at=now())
        audit.record("review_task", row.id, "create", {"member_id": [None, member_id], "title": [None, title],
                                                       "due_month": [None, str(due)], "meeting_id": [None, meeting_id]})
    return _task(row)


def cancel_task(task_id: int, reason: str) -> None:
    """Bỏ một nhiệm vụ ghi nhầm (kept in the file, left out of every count)."""
    task = get_task(task_id)
    reason = names.normalize_text(reason or "").strip()
    if not reason:
        raise ValidationFailed([Issue("review.cancel_reason", _("ghi lý do bỏ nhiệm vụ."))])
    with database.atomic():
        rm.ReviewTask.update(cancelled_at=now(), cancel_reason=reason).where(rm.ReviewTask.id == task_id).execute()
        audit.record("review_task", task_id, "cancel", {"title": [task.title, None]}, reason)


def parse_status(value: TaskStatus | str | None) -> TaskStatus | None:
    if value is None or isinstance(value, TaskStatus):
        return value
    text = names.fold(str(value).strip())
    for status in TaskStatus:
        if text in (status.value, names.fold(status.label)):
            return status
    raise ValidationFailed([Issue("review.task_status", _("kết quả «{value}» không có; chọn {choices}.").format(
        value=value, choices=", ".join(s.value for s in TaskStatus)))])


def set_status(task_id: int, status: TaskStatus | str | None, *, meeting_id: int | None = None) -> Task:
    """Xác nhận kết quả một nhiệm vụ (None: back to not confirmed), at a meeting or by hand."""
    task = get_task(task_id)
    status = parse_status(status)
    _meeting(meeting_id)
    if task.status is status and task.checked_meeting_id == meeting_id:
        return task
    with database.atomic():
        rm.ReviewTask.update(status=status.value if status else None, checked_meeting=meeting_id).where(
            rm.ReviewTask.id == task_id).execute()
        audit.record("review_task", task_id, "status", {
            "status": [task.status.value if task.status else None, status.value if status else None],
            "checked_meeting_id": [task.checked_meeting_id, meeting_id]})
    return get_task(task_id)


@dataclass(frozen=True)
class ToConfirm:
    """A task the meeting looks back on, with the status shown before the secretary confirms it."""

    task: Task
    full_name: str
    proposed: TaskStatus
    confirmed: bool


def to_confirm(meeting_id: int) -> list[ToConfirm]:
    """Nhiệm vụ kỳ trước: the tasks given at earlier meetings (or by hand) due by this meeting's month and not
    yet confirmed, plus those this meeting already confirmed; each with its pre-filled status."""
    meeting = _meeting(meeting_id)
    month = Month.of(meeting.date)
    query = (rm.ReviewTask.select().where(_live() & (rm.ReviewTask.due_month <= str(month)))
             .where((rm.ReviewTask.status.is_null()) | (rm.ReviewTask.checked_meeting == meeting_id))
             .where((rm.ReviewTask.meeting.is_null()) | (rm.ReviewTask.meeting != meeting_id))
             .order_by(rm.ReviewTask.due_month, rm.ReviewTask.id))
    people = {m.member.id: m.member.full_name for m in member_service.list_members(statuses=None,
                                                                                   include_archived=True)}
    found = []
    for row in query:
        task = _task(row)
        found.append(ToConfirm(task, people.get(task.member_id, ""), proposed_status(task.due_month, month,
                                                                                     task.status),
                               task.status is not None))
    return found


def confirm(meeting_id: int, statuses: dict[int, TaskStatus | str]) -> list[Task]:
    """Xác nhận kết quả các nhiệm vụ kỳ trước at this meeting, all in one transaction."""
    _meeting(meeting_id)
    parsed = {task_id: parse_status(status) for task_id, status in statuses.items()}
    with database.atomic():
        return [set_status(task_id, status, meeting_id=meeting_id) for task_id, status in parsed.items()]


def suggestions(meeting_id: int) -> list[SuggestedTask]:
    """The lines of the meeting's «Phân công nhiệm vụ» read as tasks, due in the meeting's task month (or the
    next month), leaving out those already recorded for that meeting."""
    meeting = _meeting(meeting_id)
    default_due = Month.parse(meeting.task_month) if meeting.task_month else Month.of(meeting.date).add(1)
    people = [(m.id, m.full_name) for m, _status in member_service.roster_on(meeting.date)]
    have = {(t.member_id, names.fold(t.title)) for t in tasks(meeting_id=meeting_id)}
    return [s for s in suggest_tasks(meeting.assignments, people, default_due)
            if (s.member_id, names.fold(s.title)) not in have]


def from_assignments(meeting_id: int) -> list[Task]:
    """Ghi các dòng phân công của buổi họp thành nhiệm vụ, in one transaction."""
    found = suggestions(meeting_id)
    with database.atomic():
        return [add_task(s.member_id, s.title, due_month=s.due_month, meeting_id=meeting_id) for s in found]
