"""Printing a meeting's minutes and resolution, the year's attendance register and the register of numbers."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from app.domain.cell import CellInfo
from app.domain.dates import Month
from app.domain.labels import field_label
from app.domain.meetings import AttendanceCounts, Meeting, count_attendance, vote_result
from app.i18n import _
from app.reports import base, meeting_text, party
from app.reports.attendance_register import (
    OTHER,
    REGULAR,
    AttendanceRegisterDocument,
    RegisterColumnPrint,
    RegisterLine,
    RegisterPrint,
)
from app.reports.base import PartyHeader
from app.reports.document_register import DocumentRegisterDocument, DocumentRegisterPrint, RegisterEntry
from app.reports.layout import load_layout
from app.reports.meeting_text import MeetingPrint
from app.reports.minutes import MinutesDocument
from app.reports.resolution import ResolutionDocument
from app.services import cell as cell_service
from app.services import documents
from app.services import meetings as meeting_service
from app.services.errors import ServiceError
from app.services.meeting_checks import YearRegister, year_register
from app.services.meetings import Roster, marks_of
from app.storage.models import database

MINUTES, RESOLUTION = meeting_text.MINUTES, meeting_text.RESOLUTION
_FORMS = {MINUTES: (MinutesDocument, documents.MINUTES), RESOLUTION: (ResolutionDocument, documents.RESOLUTION)}
# What printing does when no number is left in date order (R14): refuse and say why, take the next
# number at the end of the term anyway, or print "Số   -NQ/CB" to be numbered by hand (nothing stored).
REFUSE, NEXT_NUMBER, BLANK = "refuse", "next", "blank"


def cell_for_papers() -> CellInfo:
    """The cell's details, or the refusal every printed paper gives when they are missing."""
    info = cell_service.get_cell()
    if info is None:
        raise ServiceError(_("Chưa có thông tin chi bộ; hãy nhập tên chi bộ và cấp ủy cấp trên trước khi in."))
    return info


def meeting_print(meeting_id: int, number: str, roster: Roster, info: CellInfo) -> MeetingPrint:
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
        task_results=_task_results(meeting_id),
    )


def _task_results(meeting_id: int) -> tuple[str, ...]:
    """The tasks whose result this meeting confirmed, one line each for the minutes."""
    from app.services import review_tasks

    return tuple(f"Đồng chí {item.full_name}: {meeting_text.sentence(item.task.title).rstrip('.')} (hạn tháng "
                 f"{item.task.due_month.month:02d}/{item.task.due_month.year}): {item.task.status.label.lower()}."
                 for item in review_tasks.to_confirm(meeting_id) if item.confirmed)


def _numbers(doc_type: str, meeting_ids: list[int], issue: bool, when_no_gap: str) -> dict[int, int | None]:
    """Each meeting's number; new ones are given in meeting-date order, whatever order was asked."""
    meetings = sorted((meeting_service.get_meeting(i) for i in dict.fromkeys(meeting_ids)), key=lambda m: m.date)
    numbers: dict[int, int | None] = {}
    for m in meetings:
        if not issue or (when_no_gap == BLANK and documents.order_conflict(doc_type, m.id, m.date)):
            numbers[m.id] = documents.peek_number(doc_type, m.id, m.date)
        else:
            numbers[m.id] = documents.issue_number(doc_type, m.id, m.date, out_of_order=when_no_gap == NEXT_NUMBER)
    return numbers


def meeting_documents(form: str, meeting_ids: list[int], issue: bool, when_no_gap: str = REFUSE) -> list[base.Document]:
    """The form for each meeting; issue=True gives (or reuses) the document number, a preview only peeks."""
    document_class, doc_type = _FORMS[form]
    info, roster = cell_for_papers(), Roster()
    numbers = _numbers(doc_type, meeting_ids, issue, when_no_gap)
    return [document_class(meeting_print(i, party.number_text(numbers[i], doc_type), roster, info))
            for i in meeting_ids]


def print_meetings(form: str, meeting_ids: list[int], target: Path | str | io.BytesIO | None = None, *,
                   issue: bool = True, when_no_gap: str = REFUSE) -> bytes | None:
    """Minutes or resolutions of one or many meetings in one PDF; each starts on its own page.

    The numbers and the file are one step: if a number cannot be given in date order (when_no_gap
    REFUSE raises documents.NumberOrderConflict) or the file cannot be written, no number is kept.
    """
    if not meeting_ids:
        raise ServiceError(_("Chưa chọn buổi sinh hoạt nào để in."))
    with database.atomic():
        return base.render(meeting_documents(form, meeting_ids, issue, when_no_gap), target)


def preview(form: str, meeting_id: int) -> bytes:
    """The PDF as it would print, without giving it a number yet."""
    return print_meetings(form, [meeting_id], None, issue=False)


def number_conflict(form: str, meeting_id: int) -> documents.NumberOrderConflict | None:
    """Why printing would find no number in date order for this meeting's document (the window asks)."""
    meeting = meeting_service.get_meeting(meeting_id)
    return documents.order_conflict(_FORMS[form][1], meeting_id, meeting.date)


def empty_sections(form: str, meeting_id: int) -> list[str]:
    """The labels of the sections the form will print as dotted lines, because nothing was typed."""
    meeting = meeting_service.get_meeting(meeting_id)
    return [field_label(f"meeting.{name}") for name in meeting_text.empty_sections(form, meeting)]


def empty_sections_warning(form: str, meeting_id: int) -> str | None:
    """One sentence for the window and the command line before printing; None when every section is typed."""
    labels = empty_sections(form, meeting_id)
    if not labels:
        return None
    day = meeting_service.get_meeting(meeting_id).date.strftime("%d/%m/%Y")
    what = _("Biên bản") if form == MINUTES else _("Nghị quyết")
    return _("{what} ngày {date} còn trống: {sections}. Các mục này sẽ in thành dòng chấm để ghi tay.").format(
        what=what, date=day, sections="; ".join(labels))


# --- the year's attendance register ----------------------------------------------------------------

LEGEND = (
    "Ký hiệu: C – có mặt; P – vắng có lý do; K – vắng không lý do; M – được miễn công tác và sinh hoạt đảng, "
    "không dự; T – đang sinh hoạt tạm thời nơi khác; «–» – chưa hoặc không còn sinh hoạt tại chi bộ; "
    "ô trống – chưa điểm danh.",
    "Số phải dự: tổng số đảng viên, trừ đồng chí được miễn sinh hoạt mà không dự; đồng chí được miễn mà có dự "
    "ghi C, được tính vào số phải dự, số có mặt và cột cả năm của mình. Tỷ lệ dự = số có mặt ÷ số phải dự, "
    "như biên bản của từng buổi.",
    "Cột tô xám: tháng đã qua không có buổi sinh hoạt thường kỳ.",
    "Tháng {months}: sinh hoạt thường kỳ kết hợp chuyên đề trong một buổi, ghi ở cột của tháng.",
    "(*) Vắng sinh hoạt thường kỳ không lý do từ {months} tháng trở lên trong năm: đề nghị chi bộ xem xét xóa tên.",
)


def _counted(label: str, group: str, counts: AttendanceCounts) -> RegisterColumnPrint:
    """A meeting's column with the counts of its minutes: có mặt, phải dự (the rate's base), the rate."""
    rate = party.percent_text(counts.present, counts.rate_base).removesuffix("%") if counts.rate_base else ""
    return RegisterColumnPrint(label, group, str(counts.present), str(counts.rate_base), rate)


def _register_columns(register: YearRegister, today: dt.date) -> tuple[list[RegisterColumnPrint], list[int | None]]:
    """Twelve month columns for the regular meetings (a month with two gets two), then one column per
    thematic or extraordinary meeting; the meeting id behind each column (None: no meeting)."""
    columns: list[RegisterColumnPrint] = []
    ids: list[int | None] = []
    for month in range(1, 13):
        found = [c for c in register.columns if c.meeting.kind.is_regular and c.meeting.date.month == month]
        if not found:
            over = Month(register.year, month) < Month.of(today)
            columns.append(RegisterColumnPrint(str(month), REGULAR, shaded=over))
            ids.append(None)
        for c in found:
            label = str(month) if len(found) == 1 else c.meeting.date.strftime("%d/%m")
            columns.append(_counted(label, REGULAR, c.counts))
            ids.append(c.meeting.id)
    for c in register.columns:
        if not c.meeting.kind.is_regular:
            columns.append(_counted(c.meeting.date.strftime("%d/%m"), OTHER, c.counts))
            ids.append(c.meeting.id)
    return columns, ids


def _legend(register: YearRegister, columns: list[RegisterColumnPrint], flag_months: int) -> list[str]:
    legend = [LEGEND[0], LEGEND[1]]
    if any(c.shaded for c in columns):
        legend.append(LEGEND[2])
    combined = sorted({c.meeting.date.month for c in register.columns if c.meeting.kind.is_thematic
                       and c.meeting.kind.is_regular})
    if combined:
        legend.append(LEGEND[3].format(months=", ".join(str(m) for m in combined)))
    if flag_months:
        legend.append(LEGEND[4].format(months=flag_months))
    return legend


def register_print(year: int, today: dt.date) -> RegisterPrint:
    info = cell_for_papers()
    register = year_register(year)
    flag_months = meeting_service.thresholds().absence_months
    columns, ids = _register_columns(register, today)
    groups = {group: [i for c, i in zip(columns, ids) if c.group == group and i is not None]
              for group in (REGULAR, OTHER)}
    groups["all"] = [i for i in ids if i is not None]
    lines = [RegisterLine(row.full_name, [row.codes.get(i, "") if i is not None else "" for i in ids],
                          {group: row.totals(found) for group, found in groups.items()},
                          bool(flag_months) and row.absent_months >= flag_months) for row in register.rows]
    header = PartyHeader(info.superior_name, info.name, None, info.place_name, today)
    return RegisterPrint(header, year, columns, lines, flag_months, info.secretary_name,
                         _legend(register, columns, flag_months))


def print_attendance_register(year: int, target: Path | str | io.BytesIO | None = None,
                              today: dt.date | None = None) -> bytes | None:
    return AttendanceRegisterDocument(register_print(year, today or dt.date.today())).render(target)


# --- the register of numbers issued (sổ đăng ký văn bản đi) ------------------------------------------

_REGISTER_TYPES = ((RESOLUTION, documents.RESOLUTION, "Nghị quyết"), (MINUTES, documents.MINUTES, "Biên bản"))


def _signed_by(form: str, m: Meeting | None, people: dict[int, str], secretary: str) -> str:
    """Who signs: the secretary on behalf of the cell; the minute-taker and the chair for minutes."""
    if form == RESOLUTION:
        return f"{secretary} (Bí thư)" if secretary else "Bí thư"
    if m is None:
        return ""
    names = [f"{people[m.chair_id]} (chủ trì)" if m.chair_id in people else "",
             f"{people[m.minute_taker_id]} (thư ký)" if m.minute_taker_id in people else ""]
    return "\n".join(n for n in names if n)


def document_register_print(term: str | None, today: dt.date) -> DocumentRegisterPrint:
    """Every number of the term, per type in number order, with the document's date and summary; a
    number dated before a lower one (given out of order, or set by hand) says so in Ghi chú."""
    info = cell_for_papers()
    term = documents.current_term() if term is None else term
    people = {m.id: m.full_name for m in Roster().members}
    groups = []
    for form, doc_type, kind in _REGISTER_TYPES:
        late = {n.number for n in documents.order_breaks(doc_type, term)}
        entries = []
        for n in documents.dated_numbers(doc_type, term):
            meeting = meeting_service.get_meeting(n.meeting_id) if n.meeting_id is not None else None
            entries.append(RegisterEntry(
                n.text, n.issued_on, kind, meeting_text.document_summary(form, meeting) if meeting else "",
                _signed_by(form, meeting, people, info.secretary_name),
                "Không theo thứ tự ngày" if n.number in late else ""))
        groups.append((f"{kind} ({doc_type})", entries))
    header = PartyHeader(info.superior_name, info.name, None, info.place_name, today)
    return DocumentRegisterPrint(header, term, groups, info.secretary_name)


def print_document_register(term: str | None = None, target: Path | str | io.BytesIO | None = None,
                            today: dt.date | None = None) -> bytes | None:
    return DocumentRegisterDocument(document_register_print(term, today or dt.date.today())).render(target)
