"""Meetings and attendance on a real SQLite file: the roll, the counts (R4), bad input, checks (R3, R5), numbers (R14)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from app.domain.cell import CellInfo
from app.domain.dates import Month
from app.domain.meetings import Mark, Meeting, MeetingKind, Standing
from app.domain.members import Member, MemberStatus
from app.services import cell as cell_service
from app.services import documents, meeting_checks, settings
from app.services import meetings as svc
from app.services import members as member_service
from app.services.errors import NotFound, ValidationFailed
from app.storage import audit
from app.storage.meeting_models import MEETING_MODELS, Attendance, DocumentNumber
from app.storage.meeting_models import Meeting as MeetingRow
from app.storage.models import database

from tests.conftest import TODAY


@dataclass
class SmallCell:
    """Seven members whose statuses exercise every rule of the roll."""

    son: int  # official, the secretary
    anh: int  # official
    at: int  # probationary
    u: int  # official, exempt from 2025-06-01
    viet: int  # official, temporary from 2025-10-01
    hung: int  # official, transferred out on 2026-03-15
    ech: int  # admitted 2026-04-10

    @property
    def in_total_on_feb(self) -> set[int]:
        return {self.son, self.anh, self.at, self.u, self.hung}


def _add(name: str, admitted: dt.date, official: dt.date | None, post: str = "") -> int:
    member = Member(full_name=name, admission_date=admitted, ceremony_date=admitted, official_date=official,
                    party_post=post)
    return member_service.add_member(member, today=TODAY).member.id


def build_small_cell() -> SmallCell:
    cell_service.save_cell(CellInfo(name="Chi bộ thôn Đông", superior_name="Đảng bộ xã Hòa Bình",
                                    place_name="Hòa Bình", term_label="2025–2030", secretary_name="Lê Văn Sơn"),
                           today=TODAY)
    cell = SmallCell(
        son=_add("Lê Văn Sơn", dt.date(1990, 3, 15), dt.date(1991, 3, 15), "Bí thư chi bộ"),
        anh=_add("Nguyễn Thị Ngọc Ánh", dt.date(2007, 3, 23), dt.date(2008, 3, 23), "Phó bí thư chi bộ"),
        at=_add("Trần Văn Ất", dt.date(2025, 12, 1), None),
        u=_add("Đỗ Thị Ư", dt.date(1970, 5, 1), dt.date(1971, 5, 1)),
        viet=_add("Phạm Quốc Việt", dt.date(2000, 1, 10), dt.date(2001, 1, 10)),
        hung=_add("Hoàng Văn Hưng", dt.date(1999, 9, 2), dt.date(2000, 9, 2)),
        ech=_add("Vũ Thị Ếch", dt.date(2026, 4, 10), None),
    )
    member_service.change_status(cell.u, MemberStatus.EXEMPT, effective_date=dt.date(2025, 6, 1),
                                 reason="Tuổi cao, sức yếu", today=TODAY)
    member_service.change_status(cell.viet, MemberStatus.TEMPORARY, effective_date=dt.date(2025, 10, 1),
                                 reason="Đi làm ăn xa", today=TODAY)
    member_service.change_status(cell.hung, MemberStatus.TRANSFERRED_OUT, effective_date=dt.date(2026, 3, 15),
                                 reason="Chuyển sinh hoạt về phường Tân An", today=TODAY)
    return cell


@pytest.fixture
def small(cell_db) -> SmallCell:
    return build_small_cell()


def _feb(**values) -> Meeting:
    base = dict(date=dt.date(2026, 2, 5), kind=MeetingKind.REGULAR, start=dt.time(19, 30), end=dt.time(21, 15),
                place="Nhà văn hóa thôn Đông")
    base.update(values)
    return svc.add_meeting(Meeting(**base))


def _snapshot() -> dict:
    return {model.__name__: [tuple(r) for r in model.select().tuples()] for model in MEETING_MODELS}


def test_the_tables_match_the_models(db_path):
    for model in MEETING_MODELS:
        columns = {row[1] for row in database.execute_sql(f"PRAGMA table_info({model._meta.table_name})")}
        assert {f.column_name for f in model._meta.sorted_fields} == columns


def test_a_new_regular_meeting_expects_every_member_unmarked(small):
    meeting = _feb()
    roll = svc.attendees(meeting.id)
    assert {a.member_id for a in roll if a.in_total} == small.in_total_on_feb
    assert [a.member_id for a in roll if not a.in_total] == [small.viet]
    assert all(a.mark is Mark.UNMARKED for a in roll)
    counts = svc.counts(meeting.id)
    assert (counts.total, counts.official, counts.probationary, counts.exempt) == (5, 4, 1, 1)
    assert counts.unmarked == 4 and counts.exempt_absent == 1 and counts.temporary == 1
    assert Attendance.select().count() == 0


def test_counts_after_the_roll_add_up_as_r4_says(small):
    meeting = _feb()
    svc.set_attendance(meeting.id, small.son, "present")
    svc.set_attendance(meeting.id, small.anh, Mark.EXCUSED, reason="  Đi   công tác  ")
    svc.set_attendance(meeting.id, small.at, "absent")
    svc.set_attendance(meeting.id, small.hung, "present")
    svc.set_attendance(meeting.id, small.viet, "present")
    c = svc.counts(meeting.id)
    assert (c.total, c.present, c.excused, c.absent, c.exempt_absent, c.unmarked) == (5, 2, 1, 1, 1, 0)
    assert c.present + c.excused + c.absent + c.exempt_absent == c.total == c.official + c.probationary
    assert (c.present_official, c.present_probationary) == (2, 0)
    assert (c.temporary, c.temporary_present) == (1, 1)
    assert c.excused_names == [("Nguyễn Thị Ngọc Ánh", "Đi công tác")]
    assert c.absent_names == ["Trần Văn Ất"]
    assert c.rate_percent == 50.0  # 2 present of 5 − 1 exempt staying home


def test_an_exempt_member_who_comes_counts_present(small):
    meeting = _feb()
    svc.set_attendance(meeting.id, small.u, "present")
    c = svc.counts(meeting.id)
    assert (c.present, c.exempt, c.exempt_absent) == (1, 1, 0)


def test_the_reason_is_kept_and_cleared_when_present(small):
    meeting = _feb()
    svc.set_attendance(meeting.id, small.anh, "excused", reason="Ốm")
    assert Attendance.get().reason == "Ốm"
    svc.set_attendance(meeting.id, small.anh, "present", reason="Ốm")
    assert Attendance.get().reason == "" and Attendance.get().mark == "present"
    svc.set_attendance(meeting.id, small.anh, "unmarked")
    assert Attendance.select().count() == 0
    actions = [e["action"] for e in audit.entries("meeting", meeting.id)]
    assert actions == ["create", "attendance", "attendance", "attendance"]


def test_mark_rest_present_leaves_marked_exempt_and_temporary_alone(small):
    meeting = _feb()
    svc.set_attendance(meeting.id, small.anh, "excused", reason="Ốm")
    assert svc.mark_rest_present(meeting.id) == 3
    marks = {a.member_id: a.mark for a in svc.attendees(meeting.id)}
    assert marks[small.anh] is Mark.EXCUSED and marks[small.u] is Mark.UNMARKED
    assert marks[small.viet] is Mark.UNMARKED and marks[small.son] is Mark.PRESENT


@pytest.mark.parametrize(
    ("who", "day", "text"),
    [
        ("hung", dt.date(2026, 4, 5), "không sinh hoạt tại chi bộ ngày 05/04/2026"),
        ("ech", dt.date(2026, 2, 5), "không sinh hoạt tại chi bộ ngày 05/02/2026"),
    ],
)
def test_attendance_for_someone_not_in_the_cell_that_day_is_refused(small, who, day, text):
    meeting = _feb(date=day)
    before = _snapshot()
    with pytest.raises(ValidationFailed) as info:
        svc.set_attendance(meeting.id, getattr(small, who), "present")
    assert info.value.issues[0].field == "attendance.member_id" and text in info.value.issues[0].message
    assert _snapshot() == before


def test_unknown_ids_and_bad_marks_are_refused_with_nothing_changed(small):
    meeting = _feb()
    before = _snapshot()
    with pytest.raises(NotFound, match="đảng viên mã số 999"):
        svc.set_attendance(meeting.id, 999, "present")
    with pytest.raises(NotFound, match="buổi sinh hoạt mã số 42"):
        svc.set_attendance(42, small.son, "present")
    with pytest.raises(ValidationFailed, match="không phải cách điểm danh"):
        svc.set_attendance(meeting.id, small.son, "maybe")
    assert _snapshot() == before


def test_a_meeting_ending_before_it_starts_is_refused(small):
    before = _snapshot()
    with pytest.raises(ValidationFailed) as info:
        _feb(start=dt.time(20, 0), end=dt.time(19, 0))
    assert info.value.issues[0].field == "meeting.end" and "phải sau giờ bắt đầu" in info.value.issues[0].message
    meeting = _feb()
    with pytest.raises(ValidationFailed):
        svc.update_meeting(meeting.id, {"end": dt.time(19, 0)})
    assert svc.get_meeting(meeting.id).end == dt.time(21, 15)
    assert len(_snapshot()["Meeting"]) == len(before["Meeting"]) + 1


def test_a_chair_outside_the_cell_is_refused(small):
    with pytest.raises(ValidationFailed) as info:
        _feb(chair_id=small.ech)
    assert info.value.issues[0].field == "meeting.chair_id"
    with pytest.raises(ValidationFailed, match="mã số 77"):
        _feb(minute_taker_id=77)
    assert MeetingRow.select().count() == 0


def test_moving_a_meeting_to_a_day_a_marked_member_was_not_in_the_cell_is_refused(small):
    meeting = _feb()
    svc.set_attendance(meeting.id, small.hung, "present")
    with pytest.raises(ValidationFailed, match="Hoàng Văn Hưng"):
        svc.update_meeting(meeting.id, {"date": dt.date(2026, 4, 2)})
    assert svc.get_meeting(meeting.id).date == dt.date(2026, 2, 5)


def test_update_records_only_the_changed_fields(small):
    meeting = _feb()
    svc.update_meeting(meeting.id, {"conclusions": "Chi bộ  thống nhất.\n\n", "votes_for": 3, "chair_id": small.son},
                       reason="Ghi kết luận")
    saved = svc.get_meeting(meeting.id)
    assert saved.conclusions == "Chi bộ thống nhất." and saved.votes_for == 3 and saved.chair_id == small.son
    entry = audit.entries("meeting", meeting.id)[-1]
    assert set(entry["changes"]) == {"conclusions", "votes_for", "chair_id"} and entry["reason"] == "Ghi kết luận"


def test_delete_removes_the_meeting_and_its_roll_unless_a_number_was_given(small):
    first, second = _feb(), _feb(date=dt.date(2026, 3, 5))
    svc.set_attendance(first.id, small.son, "present")
    svc.delete_meeting(first.id, "Nhập nhầm")
    assert Attendance.select().count() == 0 and MeetingRow.select().count() == 1
    documents.issue_number(documents.MINUTES, second.id, second.date)
    with pytest.raises(ValidationFailed, match="Số 01-BB/CB"):
        svc.delete_meeting(second.id)


def test_meeting_warnings_name_what_is_missing(small):
    meeting = _feb(start=dt.time(19, 30), end=dt.time(20, 30), kind=MeetingKind.COMBINED)
    svc.set_attendance(meeting.id, small.anh, "excused")
    svc.update_meeting(meeting.id, {"votes_for": 1, "conclusions": "Thống nhất"})
    warnings = " | ".join(meeting_checks.warnings_for(meeting.id))
    assert "Thời lượng 60 phút, ít hơn mức tối thiểu 120 phút" in warnings
    assert "Còn 3 đồng chí chưa điểm danh" in warnings
    assert "Chưa ghi lý do vắng của: Nguyễn Thị Ngọc Ánh" in warnings
    assert "Chưa ghi chủ đề sinh hoạt chuyên đề" in warnings
    assert "Chưa chọn người chủ trì" in warnings
    assert "Số phiếu biểu quyết (1) nhiều hơn số đảng viên chính thức có mặt (0)" in warnings
    assert "chưa quá một nửa" in warnings


def test_the_duration_thresholds_are_settings(small):
    meeting = _feb(start=dt.time(19, 30), end=dt.time(20, 50))
    assert any("80 phút" in w for w in meeting_checks.warnings_for(meeting.id))
    settings.set_value("meetings.min_minutes", 60)
    assert not any("80 phút" in w for w in meeting_checks.warnings_for(meeting.id))


def _month_meetings(small: SmallCell, marks_for_anh: dict[int, str], year: int = 2026) -> None:
    for month, mark in marks_for_anh.items():
        meeting = _feb(date=dt.date(year, month, 5))
        svc.set_attendance(meeting.id, small.anh, mark, reason="Ốm" if mark == "excused" else "")


def test_three_months_absent_without_reason_are_flagged(small):
    _month_meetings(small, {1: "absent", 2: "excused", 3: "absent", 4: "present", 6: "absent", 7: "absent"})
    # A second regular meeting in June where she came: June is not a month of absence.
    june = _feb(date=dt.date(2026, 6, 20))
    svc.set_attendance(june.id, small.anh, "present")
    record = next(r for r in meeting_checks.absence_report(2026) if r.member_id == small.anh)
    assert record.absent_months == [Month(2026, 1), Month(2026, 3), Month(2026, 7)]
    assert record.excused_months == [Month(2026, 2)]
    assert record.absent_count == 3
    warnings = meeting_checks.year_warnings(2026, TODAY)
    assert any("Nguyễn Thị Ngọc Ánh vắng sinh hoạt không lý do 3 tháng" in w for w in warnings)
    settings.set_value("meetings.absence_months", 4)
    assert not any("Nguyễn Thị Ngọc Ánh" in w for w in meeting_checks.year_warnings(2026, TODAY))


def test_months_not_expected_are_not_counted_as_absences(small):
    # Hưng left on 15/3: April and May are not his months; Ư is exempt and never counted.
    for month in (2, 4, 5):
        meeting = _feb(date=dt.date(2026, month, 5))
        svc.set_attendance(meeting.id, small.u, "absent")
        svc.set_attendance(meeting.id, small.viet, "absent")
        if month == 2:
            svc.set_attendance(meeting.id, small.hung, "absent")
    records = {r.member_id: r for r in meeting_checks.absence_report(2026)}
    assert records[small.hung].absent_months == [Month(2026, 2)]
    assert small.u not in records and small.viet not in records


def test_thematic_meetings_do_not_count_as_regular_months(small):
    thematic = _feb(kind=MeetingKind.THEMATIC, topic="Học tập và làm theo tư tưởng Hồ Chí Minh")
    svc.set_attendance(thematic.id, small.anh, "absent")
    assert all(r.member_id != small.anh for r in meeting_checks.absence_report(2026))


def test_the_calendar_warns_for_missing_regular_and_thematic_meetings(small):
    for month in range(1, 11):
        _feb(date=dt.date(2026, month, 5), kind=MeetingKind.COMBINED if month in (2, 5) else MeetingKind.REGULAR)
    warnings = meeting_checks.year_warnings(2026, TODAY)
    assert "Quý 3/2026 không có buổi sinh hoạt chuyên đề." in warnings
    assert not any("Quý 1/2026" in w or "Quý 2/2026" in w or "Quý 4/2026" in w for w in warnings)
    assert not any("không có buổi sinh hoạt thường kỳ" in w for w in warnings)  # November is not over
    later = meeting_checks.year_warnings(2026, dt.date(2027, 1, 10))
    assert "Tháng 11/2026 không có buổi sinh hoạt thường kỳ." in later
    assert "Tháng 12/2026 không có buổi sinh hoạt thường kỳ." in later


def test_list_meetings_gives_counts_per_meeting(small):
    first, second = _feb(), _feb(date=dt.date(2026, 4, 15))
    svc.set_attendance(first.id, small.son, "present")
    listed = svc.list_meetings(2026)
    assert [s.meeting.id for s in listed] == [first.id, second.id]
    assert listed[0].counts.present == 1 and listed[0].counts.total == 5
    assert listed[1].counts.total == 5  # Hưng gone, Ếch arrived
    assert svc.list_meetings(2025) == []


def test_standings_follow_the_history(small):
    roll = {a.member_id: a for a in svc.attendees(_feb().id)}
    assert roll[small.u].standing is Standing.EXEMPT and roll[small.u].official
    assert roll[small.at].standing is Standing.PROBATIONARY and not roll[small.at].official
    assert roll[small.viet].standing is Standing.TEMPORARY


# --- R14: document numbers --------------------------------------------------------------------

def test_numbers_run_per_type_through_the_term_not_the_year(small):
    dec = _feb(date=dt.date(2025, 12, 5))
    jan = _feb(date=dt.date(2026, 1, 5))
    assert documents.issue_number(documents.MINUTES, dec.id, dec.date) == 1
    assert documents.issue_number(documents.MINUTES, jan.id, jan.date) == 2
    assert documents.issue_number(documents.RESOLUTION, jan.id, jan.date) == 1
    assert documents.issue_number(documents.MINUTES, dec.id, dec.date) == 1  # printed again: same number
    # December's resolution would come before January's 01: no number is left in date order.
    assert documents.peek_number(documents.RESOLUTION, dec.id, dec.date) is None
    assert documents.peek_number(documents.RESOLUTION, jan.id, jan.date) == 1
    assert DocumentNumber.select().count() == 3  # peeking gives nothing away


def test_a_new_term_starts_again_from_one(small):
    old = _feb(date=dt.date(2026, 1, 5))
    documents.issue_number(documents.MINUTES, old.id, old.date)
    info = cell_service.get_cell()
    info.term_label = "2030–2035"
    cell_service.save_cell(info, today=TODAY)
    new = _feb(date=dt.date(2026, 2, 5))
    assert documents.issue_number(documents.MINUTES, new.id, new.date) == 1


def test_a_chosen_number_continues_the_paper_register_and_cannot_be_reused(small):
    first, second = _feb(date=dt.date(2026, 1, 5)), _feb(date=dt.date(2026, 2, 5))
    documents.set_number(documents.MINUTES, first.id, 7, issued_on=first.date)
    assert documents.issue_number(documents.MINUTES, second.id, second.date) == 8
    with pytest.raises(ValidationFailed, match="08-BB/CB đã được dùng") as refused:
        documents.set_number(documents.MINUTES, first.id, 8, issued_on=first.date)
    assert "số số" not in str(refused.value).lower() and "Số văn bản: 08-BB/CB" in str(refused.value)
    assert documents.number_of(documents.MINUTES, first.id) == 7


# --- review fixes: votes bounded by the voters, no roll before the day, sane document numbers ------

def test_votes_outnumbering_the_official_members_are_refused_naming_the_field(small):
    # 5 February 2026: Sơn, Ánh, Ư (exempt) and Hưng are official; Ất is probationary, Việt temporary.
    with pytest.raises(ValidationFailed, match="Số tán thành: .*500.*nhiều hơn số đảng viên chính thức"):
        _feb(votes_for=500)
    assert MeetingRow.select().count() == 0
    with pytest.raises(ValidationFailed, match=r"\(4\)"):
        _feb(votes_for=3, votes_against=1, votes_other=1)
    meeting = _feb(votes_for=3, votes_against=1)
    assert (meeting.votes_for, meeting.votes_against) == (3, 1)


def test_once_the_roll_is_taken_only_the_official_members_present_bound_the_votes(small):
    meeting = _feb()
    for who, mark in ((small.son, "present"), (small.hung, "present"), (small.anh, "absent"),
                      (small.u, "excused"), (small.at, "present")):
        svc.set_attendance(meeting.id, who, mark)
    with pytest.raises(ValidationFailed, match="Số không tán thành: .*có mặt.*\\(2\\)"):
        svc.update_meeting(meeting.id, {"votes_for": 0, "votes_against": 3})
    assert svc.update_meeting(meeting.id, {"votes_for": 2, "votes_against": 0}).votes_for == 2
    # A later change of the roll only warns; editing other fields still works.
    svc.set_attendance(meeting.id, small.hung, "absent")
    assert svc.update_meeting(meeting.id, {"place": "Hội trường"}).place == "Hội trường"


def test_a_planned_meeting_takes_no_roll_until_its_day(small):
    later = TODAY + dt.timedelta(days=10)
    meeting = _feb(date=later)  # planning ahead is fine
    with pytest.raises(ValidationFailed, match="chưa diễn ra"):
        svc.set_attendance(meeting.id, small.son, "present", today=TODAY)
    with pytest.raises(ValidationFailed, match="chưa diễn ra"):
        svc.mark_rest_present(meeting.id, today=TODAY)
    assert Attendance.select().count() == 0
    svc.set_attendance(meeting.id, small.son, "unmarked", today=TODAY)  # clearing is harmless
    assert svc.set_attendance(meeting.id, small.son, "present", today=later).mark is Mark.PRESENT


def test_a_meeting_with_a_roll_cannot_move_into_the_future(small):
    meeting = _feb()
    svc.set_attendance(meeting.id, small.son, "present")
    with pytest.raises(ValidationFailed, match="đã điểm danh không thể dời"):
        svc.update_meeting(meeting.id, {"date": TODAY + dt.timedelta(days=3)}, today=TODAY)
    assert svc.get_meeting(meeting.id).date == dt.date(2026, 2, 5)


def test_absurd_document_numbers_are_refused(small):
    meeting = _feb()
    with pytest.raises(ValidationFailed, match="999999999 quá lớn"):
        documents.set_number(documents.MINUTES, meeting.id, 999999999, issued_on=meeting.date)
    assert documents.number_of(documents.MINUTES, meeting.id) is None
    assert documents.set_number(documents.MINUTES, meeting.id, documents.MAX_NUMBER, issued_on=meeting.date) == 9999


def test_a_deleted_meetings_id_is_never_given_again(cell_db):
    import datetime as _dt

    from app.domain.meetings import Meeting, MeetingKind
    from app.services import meetings as meeting_service

    first = meeting_service.add_meeting(Meeting(date=_dt.date(2026, 10, 5), kind=MeetingKind.REGULAR))
    meeting_service.delete_meeting(first.id, "ghi nhầm")
    second = meeting_service.add_meeting(Meeting(date=_dt.date(2026, 10, 6), kind=MeetingKind.REGULAR))
    assert second.id != first.id
