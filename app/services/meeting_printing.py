"""Printing a meeting's minutes and resolution, and the year's attendance register, as Party documents."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from app.domain.cell import CellInfo
from app.domain.meetings import count_attendance, vote_result
from app.i18n import _
from app.reports import base, party
from app.reports.attendance_register import AttendanceRegisterDocument, RegisterLine, RegisterPrint
from app.reports.base import PartyHeader
from app.reports.layout import load_layout
from app.reports.meeting_text import MeetingPrint
from app.reports.minutes import MinutesDocument
from app.reports.resolution import ResolutionDocument
from app.services import cell as cell_service
from app.services import documents
from app.services import meetings as meeting_service
from app.services.errors import ServiceError
from app.services.meeting_checks import year_register
from app.services.meetings import Roster, marks_of

MINUTES, RESOLUTION = "minutes", "resolution"
_FORMS = {MINUTES: (MinutesDocument, documents.MINUTES), RESOLUTION: (ResolutionDocument, documents.RESOLUTION)}


def _cell() -> CellInfo:
    info = cell_service.get_cell()
    if info is None:
        raise ServiceError(_("Chưa có thông tin chi bộ; hãy nhập tên chi bộ và cấp ủy cấp trên trước khi in."))
    return info


def _meeting_print(meeting_id: int, number: str, roster: Roster, info: CellInfo) -> MeetingPrint:
    meeting = meeting_service.get_meeting(meeting_id)
    attendees = roster.attendees(meeting.date, marks_of([meeting_id]).get(meeting_id, {}))
    people = {m.id: m for m in roster.members}
    chair = people.get(meeting.chair_id)
    taker = people.get(meeting.minute_taker_id)
    spelling = load_layout().spelling("committee", "Đảng ủy")
    header = PartyHeader(info.superior_name, info.name, number, info.place_name, meeting.date)
    return MeetingPrint(
        header=header, meeting=meeting, cell_name=info.name, counts=count_attendance(attendees),
        vote=vote_result(meeting, attendees), chair_name=chair.full_name if chair else "",
        chair_post=chair.party_post if chair else "", minute_taker_name=taker.full_name if taker else "",
        secretary_name=info.secretary_name, committee=party.committee_of(info.superior_name, spelling),
    )


def meeting_documents(form: str, meeting_ids: list[int], issue: bool) -> list[base.Document]:
    """The form for each meeting; issue=True gives (or reuses) the document number, a preview only peeks."""
    document_class, doc_type = _FORMS[form]
    info, roster = _cell(), Roster()
    result = []
    for meeting_id in meeting_ids:
        meeting = meeting_service.get_meeting(meeting_id)
        number = (documents.issue_number(doc_type, meeting_id, meeting.date) if issue
                  else documents.peek_number(doc_type, meeting_id))
        result.append(document_class(_meeting_print(meeting_id, party.number_text(number, doc_type), roster, info)))
    return result


def print_meetings(form: str, meeting_ids: list[int], target: Path | str | io.BytesIO | None = None, *,
                   issue: bool = True) -> bytes | None:
    """Minutes or resolutions of one or many meetings in one PDF; each starts on its own page."""
    if not meeting_ids:
        raise ServiceError(_("Chưa chọn buổi sinh hoạt nào để in."))
    return base.render(meeting_documents(form, meeting_ids, issue), target)


def preview(form: str, meeting_id: int) -> bytes:
    """The PDF as it would print, without giving it a number yet."""
    return print_meetings(form, [meeting_id], None, issue=False)


LEGEND = (
    "Ký hiệu: C – có mặt; P – vắng có lý do; K – vắng không lý do; M – được miễn sinh hoạt, không dự; "
    "T – đang sinh hoạt tạm thời nơi khác; «–» – chưa hoặc không còn sinh hoạt tại chi bộ; "
    "ô trống – chưa điểm danh. Cột tô xám: tháng đó không có buổi sinh hoạt thường kỳ.",
    "(*) Vắng sinh hoạt không lý do từ {months} tháng trở lên trong năm: đề nghị chi bộ xem xét xóa tên.",
)


def register_print(year: int, today: dt.date) -> RegisterPrint:
    info = _cell()
    register = year_register(year)
    months = meeting_service.thresholds().absence_months
    lines = [RegisterLine(row.full_name, [row.months.get(m, "") for m in range(1, 13)], row.present, row.excused,
                          row.absent, bool(months) and row.absent >= months) for row in register.rows]
    present = [str(register.month_present[m]) if m in register.meeting_months else "" for m in range(1, 13)]
    expected = [str(register.month_expected[m]) if m in register.meeting_months else "" for m in range(1, 13)]
    header = PartyHeader(info.superior_name, info.name, None, info.place_name, today)
    return RegisterPrint(header, year, lines, present, expected, months, info.secretary_name,
                         [LEGEND[0], LEGEND[1].format(months=months)])


def print_attendance_register(year: int, target: Path | str | io.BytesIO | None = None,
                              today: dt.date | None = None) -> bytes | None:
    return AttendanceRegisterDocument(register_print(year, today or dt.date.today())).render(target)

