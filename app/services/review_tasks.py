"""Nhiệm vụ được giao: tasks from a meeting's assignments or typed by hand, their results confirmed at the next
meeting, and the year's shares the grade conditions use. History entity "review_task", entity_id the task."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.domain import names
from app.domain.dates import Month
from app.domain.issues import Issue
from app.domain.meetings import default_task_month
from app.domain.review import TaskShares, TaskStatus, plain_text, shares_from_tasks, shown
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


def tasks(*, year: int | None = None, member_id: int | None = None, meeting_id: int | None = None,
          member_ids: set[int] | None = None) -> list[Task]:
    """The tasks not cancelled: of a year (by due month), of a member (or of several), or assigned at a meeting."""
    query = rm.ReviewTask.select().where(_live()).order_by(rm.ReviewTask.due_month, rm.ReviewTask.id)
    if year is not None:
        query = query.where(rm.ReviewTask.due_month.startswith(f"{year:04d}-"))
    if member_id is not None:
        query = query.where(rm.ReviewTask.member == member_id)
    if member_ids is not None:
        query = query.where(rm.ReviewTask.member.in_(list(member_ids)))
    if meeting_id is not None:
        query = query.where(rm.ReviewTask.meeting == meeting_id)
    return [_task(r) for r in query]


def tasks_by_member(year: int, member_ids: set[int] | None = None) -> dict[int, tuple[Task, ...]]:
    found: dict[int, list[Task]] = {}
    for task in tasks(year=year, member_ids=member_ids):
        found.setdefault(task.member_id, []).append(task)
    return {k: tuple(v) for k, v in found.items()}


def shares_of(year_tasks: Iterable[Task]) -> TaskShares:
    """The shares from the tasks whose result is confirmed (a task not yet confirmed is not counted)."""
    return shares_from_tasks(t.status for t in year_tasks if t.status is not None)


def _whole_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def get_task(task_id: int) -> Task:
    row = rm.ReviewTask.get_or_none((rm.ReviewTask.id == task_id) & _live()) if _whole_id(task_id) else None
    if row is None:
        raise NotFound(_("Không có nhiệm vụ mã số {id}.").format(id=shown(task_id)))
    return _task(row)


def find_meeting(meeting_id: int | None) -> mm.Meeting | None:
    """The meeting row (None for no meeting); a meeting that does not exist is refused naming review.meeting_id."""
    if meeting_id is None:
        return None
    row = mm.Meeting.get_or_none(mm.Meeting.id == meeting_id) if _whole_id(meeting_id) else None
    if row is None:
        raise ValidationFailed([Issue("review.meeting_id", _("không có buổi sinh hoạt mã số {id}.").format(
            id=shown(meeting_id)))])
    return row


MAX_TITLE = 500
MAX_NOTE = 2_000


def _checked_member(member_id: object) -> None:
    if isinstance(member_id, bool) or not isinstance(member_id, int):
        raise ValidationFailed([Issue("review.member_id", _("mã đảng viên phải là một số nguyên."))])
    member_service.get_member(member_id)


def _due(value: object) -> Month | None:
    """The month a task is due, from a Month or «2026-12» / «12/2026»; None when it is neither or out of range."""
    if isinstance(value, str):
        try:
            value = Month.parse(value)
        except ValueError:  # DateParseError, or a month number out of 1–12
            return None
    return value if isinstance(value, Month) and 1930 <= value.year <= 2200 else None


def _text(value: object, key: str, *, top: int, required: str = "") -> str:
    """NFC text on one line, at most top characters; required: the message when it is left empty."""
    if value is not None and not isinstance(value, str):
        raise ValidationFailed([Issue(key, _("phải là một dòng chữ."))])
    text = plain_text(value or "")
    if required and not text:
        raise ValidationFailed([Issue(key, required)])
    if len(text) > top:
        raise ValidationFailed([Issue(key, _("dài {n} ký tự, quá {top} ký tự.").format(n=len(text), top=top))])
    return text


def _checked_task(member_id: int, title: str, due: Month | str) -> tuple[str, Month]:
    _checked_member(member_id)
    title = _text(title, "review.task_title", top=MAX_TITLE, required=_("ghi nội dung nhiệm vụ."))
    month = _due(due)
    if month is None:
        raise ValidationFailed([Issue("review.due_month", _("tháng phải hết hạn ghi như 2026-12 hoặc 12/2026; đã "
                                                            "nhập «{value}».").format(value=shown(due)))])
    return title, month


def _check_in_cell(member_id: int, day: dt.date) -> None:
    """A task is given to a member of the cell: on the meeting's day, or (by hand) on the first of its month."""
    from app.domain.members import status_on

    status = status_on(member_service.status_history(member_id), day)
    if status is None or not status.in_cell:
        name = member_service.get_member(member_id).full_name
        raise ValidationFailed([Issue("review.member_id", _(
            "đồng chí {name} không sinh hoạt tại chi bộ ngày {date}; không giao nhiệm vụ được.").format(
            name=name, date=day.strftime("%d/%m/%Y")))])


def add_task(member_id: int, title: str, *, due_month: Month | str, meeting_id: int | None = None,
             note: str = "") -> Task:
    """Giao một nhiệm vụ (at a meeting, or by hand with no meeting)."""
    title, due = _checked_task(member_id, title, due_month)
    meeting = find_meeting(meeting_id)
    _check_in_cell(member_id, meeting.date if meeting is not None else due.first_day())
    note = _text(note, "review.task_note", top=MAX_NOTE)
    with database.atomic():
        row = rm.ReviewTask.create(member=member_id, title=title, due_month=str(due), meeting=meeting_id, note=note,
                                   recorded_at=now())
        audit.record("review_task", row.id, "create", {"member_id": [None, member_id], "title": [None, title],
                                                       "due_month": [None, str(due)], "meeting_id": [None, meeting_id]})
    return _task(row)


def cancel_task(task_id: int, reason: str) -> None:
    """Bỏ một nhiệm vụ ghi nhầm (kept in the file, left out of every count)."""
    task = get_task(task_id)
    reason = _text(reason, "review.cancel_reason", top=MAX_NOTE, required=_("ghi lý do bỏ nhiệm vụ."))
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
        value=shown(value), choices=", ".join(s.value for s in TaskStatus)))])


def set_status(task_id: int, status: TaskStatus | str | None, *, meeting_id: int | None = None) -> Task:
    """Xác nhận kết quả một nhiệm vụ (None: back to not confirmed), at a meeting or by hand."""
    task = get_task(task_id)
    status = parse_status(status)
    find_meeting(meeting_id)
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
    meeting = find_meeting(meeting_id)
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
    find_meeting(meeting_id)
    if not isinstance(statuses, Mapping):
        raise ValidationFailed([Issue("review.task_status", _("ghi kết quả cho từng nhiệm vụ."))])
    parsed = {task_id: parse_status(status) for task_id, status in statuses.items()}
    with database.atomic():
        return [set_status(task_id, status, meeting_id=meeting_id) for task_id, status in parsed.items()]


def suggestions(meeting_id: int) -> list[SuggestedTask]:
    """The lines of the meeting's «Phân công nhiệm vụ» read as tasks, due in the month the meeting plans (its
    task month, else the one Meeting.tasks_for gives), leaving out those already recorded for that meeting,
    a line repeated and a line too long to be a task's title."""
    meeting = find_meeting(meeting_id)
    default_due = Month.parse(meeting.task_month) if meeting.task_month else default_task_month(meeting.date)
    people = [(m.id, m.full_name) for m, _status in member_service.roster_on(meeting.date)]
    have = {(t.member_id, names.fold(t.title)) for t in tasks(meeting_id=meeting_id)}
    found = []
    for suggested in suggest_tasks(meeting.assignments, people, default_due):
        key = (suggested.member_id, names.fold(suggested.title))
        if key not in have and len(suggested.title) <= MAX_TITLE:
            have.add(key)
            found.append(suggested)
    return found


def from_assignments(meeting_id: int) -> list[Task]:
    """Ghi các dòng phân công của buổi họp thành nhiệm vụ, in one transaction."""
    found = suggestions(meeting_id)
    with database.atomic():
        return [add_task(s.member_id, s.title, due_month=s.due_month, meeting_id=meeting_id) for s in found]
