"""Nhiệm vụ được giao through the services: from a meeting's assignments, confirmed at the next meeting, bad input."""
from __future__ import annotations

import datetime as dt

import pytest

from app.domain.dates import Month
from app.domain.meetings import Meeting
from app.domain.members import Member
from app.domain.review import TaskStatus
from app.services import meetings as meeting_service
from app.services import members as member_service
from app.services import review_tasks
from app.services.errors import NotFound, ValidationFailed
from app.storage.models import ChangeLog
from tests.conftest import TODAY


def _add(name: str) -> int:
    member = Member(full_name=name, admission_date=dt.date(2000, 1, 10), ceremony_date=dt.date(2000, 1, 10),
                    official_date=dt.date(2001, 1, 10))
    return member_service.add_member(member, today=TODAY).member.id


def _meeting(day: dt.date, assignments: str = "", task_month: Month | None = None) -> int:
    return meeting_service.add_meeting(Meeting(date=day, assignments=assignments, task_month=task_month)).id


@pytest.fixture
def people(cell_db) -> dict[str, int]:
    return {name: _add(name) for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Văn Cường")}


def test_to_confirm_prefills_on_time_for_this_and_last_month_and_not_done_for_older(people):
    an = people["Nguyễn Văn An"]
    due = {month: review_tasks.add_task(an, f"Việc tháng {month}", due_month=month).id
           for month in ("2026-11", "2026-10", "2026-09", "2026-12")}
    meeting = _meeting(dt.date(2026, 11, 10))
    shown = {item.task.id: item for item in review_tasks.to_confirm(meeting)}
    assert set(shown) == {due["2026-11"], due["2026-10"], due["2026-09"]}  # December's is not due yet
    assert shown[due["2026-11"]].proposed is TaskStatus.ON_TIME and shown[due["2026-10"]].proposed is TaskStatus.ON_TIME
    assert shown[due["2026-09"]].proposed is TaskStatus.NOT_DONE
    assert not any(item.confirmed for item in shown.values()) and shown[due["2026-11"]].full_name == "Nguyễn Văn An"

    confirmed = review_tasks.confirm(meeting, {due["2026-11"]: "vuot", due["2026-09"]: TaskStatus.LATE})
    assert [t.status for t in confirmed] == [TaskStatus.EXCEEDED, TaskStatus.LATE]
    shown = {item.task.id: item for item in review_tasks.to_confirm(meeting)}
    assert shown[due["2026-11"]].confirmed and shown[due["2026-11"]].proposed is TaskStatus.EXCEEDED
    later = _meeting(dt.date(2026, 12, 10))
    assert due["2026-11"] not in {item.task.id for item in review_tasks.to_confirm(later)}  # confirmed elsewhere


def test_confirm_is_all_or_nothing(people):
    task = review_tasks.add_task(people["Nguyễn Văn An"], "Dọn vệ sinh", due_month="2026-11")
    meeting = _meeting(dt.date(2026, 11, 10))
    before = ChangeLog.select().count()
    with pytest.raises(ValidationFailed):
        review_tasks.confirm(meeting, {task.id: "dung-han", 12345: "lam-roi"})
    with pytest.raises(NotFound):
        review_tasks.confirm(meeting, {task.id: "dung-han", 12345: "dung-han"})
    with pytest.raises(ValidationFailed):
        review_tasks.confirm(meeting, [task.id])
    assert ChangeLog.select().count() == before and review_tasks.get_task(task.id).status is None


ASSIGNMENTS = """Phân công:
- Đ/c Nguyễn Văn An: vận động 5 hộ nộp quỹ khuyến học (tháng 12/2026)
- đồng chí Bình - dọn vệ sinh nhà văn hóa
- Cường: trực bảo vệ (tháng 1)
Chi bộ: tổ chức hội nghị
Trần Thị Bình: viết tin bài, tháng 12
"""


def test_assignments_become_tasks_by_full_or_unique_given_name_and_not_twice(people):
    meeting = _meeting(dt.date(2026, 12, 5), ASSIGNMENTS)
    found = review_tasks.suggestions(meeting)
    assert [(s.member_id, s.title, str(s.due_month)) for s in found] == [
        (people["Nguyễn Văn An"], "vận động 5 hộ nộp quỹ khuyến học", "2026-12"),
        (people["Trần Thị Bình"], "dọn vệ sinh nhà văn hóa", "2026-12"),
        (people["Trần Thị Bình"], "viết tin bài", "2026-12"),
    ]  # «Cường» names two members: left out, as is «Chi bộ»
    made = review_tasks.from_assignments(meeting)
    assert [t.meeting_id for t in made] == [meeting] * 3
    assert review_tasks.suggestions(meeting) == [] and review_tasks.from_assignments(meeting) == []


def test_a_month_without_its_year_is_the_one_nearest_the_month_planned(people):
    text = "Nguyễn Văn An: trực bảo vệ (tháng 1)\nNguyễn Văn An: tổng kết năm (tháng 12)"
    meeting = _meeting(dt.date(2026, 12, 22), text)  # plans January 2027
    assert [str(s.due_month) for s in review_tasks.suggestions(meeting)] == ["2027-01", "2026-12"]
    planned = _meeting(dt.date(2026, 12, 3), "Nguyễn Văn An: trực tết (tháng 1)", task_month=Month(2026, 12))
    assert [str(s.due_month) for s in review_tasks.suggestions(planned)] == ["2027-01"]


def test_a_line_repeated_in_the_assignments_is_one_task(people):
    meeting = _meeting(dt.date(2026, 12, 5), "Nguyễn Văn An: dọn đường\nNguyễn Văn An: Dọn  đường")
    assert len(review_tasks.from_assignments(meeting)) == 1


@pytest.mark.parametrize(("changes", "field"), [
    ({"title": ""}, "review.task_title"), ({"title": "x" * 501}, "review.task_title"),
    ({"title": 12}, "review.task_title"), ({"due_month": "13/2026"}, "review.due_month"),
    ({"due_month": "tháng mười"}, "review.due_month"), ({"due_month": 202612}, "review.due_month"),
    ({"due_month": "1800-01"}, "review.due_month"), ({"meeting_id": 999}, "review.meeting_id"),
    ({"meeting_id": True}, "review.meeting_id"), ({"note": "n" * 2001}, "review.task_note"),
    ({"member_id": True}, "review.member_id"), ({"member_id": "1"}, "review.member_id"),
])
def test_a_bad_task_is_refused_naming_the_field(people, changes, field):
    values = {"member_id": people["Nguyễn Văn An"], "title": "Dọn vệ sinh", "due_month": "2026-12", **changes}
    before = ChangeLog.select().count()
    with pytest.raises(ValidationFailed) as caught:
        review_tasks.add_task(values.pop("member_id"), values.pop("title"), **values)
    assert [i.field for i in caught.value.issues] == [field] and ChangeLog.select().count() == before


def test_a_task_title_loses_control_characters_and_a_cancel_needs_its_reason(people):
    task = review_tasks.add_task(people["Nguyễn Văn An"], "Dọn\x00 vệ\x1b sinh\n", due_month=Month(2026, 12))
    assert task.title == "Dọn vệ sinh"
    with pytest.raises(ValidationFailed) as caught:
        review_tasks.cancel_task(task.id, " \x07 ")
    assert caught.value.issues[0].field == "review.cancel_reason"
    review_tasks.cancel_task(task.id, "giao nhầm")
    with pytest.raises(NotFound):
        review_tasks.get_task(task.id)
    assert review_tasks.tasks(year=2026) == []


def test_a_member_or_task_that_does_not_exist_is_not_found(people):
    with pytest.raises(NotFound):
        review_tasks.add_task(987654, "Dọn vệ sinh", due_month="2026-12")
    for task_id in (987654, "1", None):
        with pytest.raises(NotFound):
            review_tasks.set_status(task_id, "dung-han")


def test_a_task_goes_only_to_a_member_of_the_cell_on_its_day(people):
    from app.domain.members import MemberStatus

    member_id = next(iter(people.values()))
    member_service.change_status(member_id, MemberStatus.DECEASED, effective_date=dt.date(2026, 3, 10),
                                 reason="Từ trần", today=TODAY)
    before = ChangeLog.select().count()
    with pytest.raises(ValidationFailed) as refused:
        review_tasks.add_task(member_id, "Vận động hộ", due_month="2026-11")
    assert [i.field for i in refused.value.issues] == ["review.member_id"]
    assert "không sinh hoạt tại chi bộ ngày 01/11/2026" in str(refused.value)
    assert ChangeLog.select().count() == before
    assert review_tasks.add_task(member_id, "Thu quỹ", due_month="2026-02").due_month == Month(2026, 2)
