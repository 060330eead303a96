"""The cell's report of a period as a workbook, for a Đảng ủy that does not run chibo: the statistics forms,
the roster, the status changes, the meetings, the party fees and the year's review.

Privacy: "aggregate" carries no member's name or personal detail anywhere (counts only; a note on a form
that names a member is left out); "roster" adds names, statuses and dates; "full" adds phone, address and
citizen ID. The sheet «Thống kê» holds the five forms one under another under one frozen column header (the
columns are the same for every form), each form opened by a line with its number and title."""
from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from pathlib import Path

from app.domain.member_events import EntryKind, Scope
from app.domain.members import MemberStatus
from app.domain.report_period import Period
from app.i18n import _
from app.reports import party
from app.services import cell as cell_service
from app.services import fees, meetings, statistics
from app.services import members as member_service
from app.services import statistics_xlsx as sx
from app.services.errors import ServiceError
from app.services.spreadsheets import save_workbook, write_cell

PRIVACY = ("aggregate", "roster", "full")
DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = "#,##0"


def _check_privacy(privacy: str) -> str:
    value = str(privacy or "").strip().lower()
    if value not in PRIVACY:
        raise ServiceError(_("Mức riêng tư «{value}» không có; chọn aggregate (chỉ số liệu tổng hợp), roster "
                             "(có danh sách) hoặc full (có cả điện thoại, địa chỉ, số CCCD).").format(value=privacy))
    return value


class _Sheet:
    """A sheet with the cell's heading lines, one ruled table under a frozen header, A4 print setup."""

    def __init__(self, book, title: str, heading: str, columns: tuple[str, ...] | list[str], *,
                 unit: tuple[str, str], period: Period):
        self.sheet = book.create_sheet()
        self.sheet.title = title
        self.styles = sx._styles()
        superior, name = unit
        last = max(len(columns), 2)
        row = sx.unit_lines(self.sheet, name, superior, [f"({sx.capitalised(period.label)})"], last_column=last)
        row = sx.centred(self.sheet, row, party.upper(heading), self.styles["title"], last_column=last)
        self.header_at = row + 1
        self.row = sx.header_row(self.sheet, self.header_at, columns)
        self.sheet.freeze_panes = f"A{self.row}"

    def line(self, values: list, *, bold: bool = False, money: bool = False) -> None:
        for column, value in enumerate(values, start=1):
            cell = write_cell(self.sheet, self.row, column, value)
            cell.border = self.styles["border"]
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, int) and not isinstance(value, bool):
                cell.number_format = MONEY_FORMAT if money else sx.COUNT_FORMAT
            elif isinstance(value, float):
                cell.number_format = sx.PERCENT_FORMAT
            if bold:
                cell.font = self.styles["bold"]
        self.row += 1

    def note(self, text: str) -> None:
        self.row += 1
        write_cell(self.sheet, self.row, 1, text).font = self.styles["italic"]
        self.row += 1

    def finish(self, widths: tuple[float, ...], landscape: bool = False) -> None:
        sx.set_widths(self.sheet, widths)
        sx.print_setup(self.sheet, self.header_at, landscape)


def write_report(period: Period, path, *, privacy: str = "aggregate", today: dt.date | None = None) -> Path:
    """The report of `period` to path (.xlsx), whole or not at all; `today` dates the fee book (tạm tính)."""
    from openpyxl import Workbook

    privacy = _check_privacy(privacy)
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ServiceError(_("Tên tệp xuất phải kết thúc bằng .xlsx."))
    info = cell_service.get_cell()
    if info is None or not info.name.strip():
        raise ServiceError(_("Chưa có tên chi bộ; hãy nhập thông tin chi bộ trước khi lập báo cáo."))
    unit = (info.superior_name, info.name)
    history_of = member_service.histories()
    everyone = {e.member.id: e.member for e in member_service.list_members(include_archived=True)}
    names = [m.full_name for m in everyone.values() if m.full_name]
    book = Workbook()
    book.remove(book.active)  # every sheet is made by _Sheet, in order
    sheet = functools.partial(_Sheet, book, unit=unit, period=period)
    _statistics(sheet, period, names if privacy == "aggregate" else [])
    _roster(sheet, period, privacy)
    _changes(sheet, period, privacy, everyone, history_of)
    _meetings(sheet, period)
    _fees(sheet, period, today)
    _review(sheet, period, privacy)
    save_workbook(book, path)
    return path


# --- Thống kê --------------------------------------------------------------------------------------

def _statistics(sheet, period: Period, hidden_names: list[str]) -> None:
    s = sheet(_("Thống kê"), _("Biểu thống kê cơ bản"), sx.COLUMNS)
    forms = statistics.forms(period)
    for form in forms:
        write_cell(s.sheet, s.row, 1, f"{form.name}: {party.upper(form.title)}").font = s.styles["title"]
        s.sheet.merge_cells(start_row=s.row, start_column=1, end_row=s.row, end_column=4)
        s.row = sx.form_rows(s.sheet, s.row + 1, form)
        shown = [w for w in form.warnings if not any(name in w for name in hidden_names)]
        left_out = len(form.warnings) - len(shown)
        if left_out:
            shown.append(_("{count} ghi chú nêu tên đảng viên không đưa vào báo cáo tổng hợp.").format(
                count=left_out))
        s.row = sx.notes(s.sheet, s.row, shown) + 1
    s.finish((sx.label_width(forms) + 6, *sx.FIGURE_WIDTHS))


# --- Đảng viên -------------------------------------------------------------------------------------

def _roster(sheet, period: Period, privacy: str) -> None:
    day = period.last_day
    on_roll = member_service.roster_on(day)
    title, heading = _("Đảng viên"), _("Danh sách đảng viên")
    if privacy == "aggregate":
        s = sheet(title, _("Đảng viên theo tình trạng"), (_("Tình trạng"), _("Số đảng viên")))
        counts = Counter(status for _member, status in on_roll)
        for status in MemberStatus:
            if counts.get(status):
                s.line([status.label, counts[status]])
        s.line([_("Cộng"), len(on_roll)], bold=True)
        s.note(_("Đảng viên sinh hoạt tại chi bộ ngày {day}.").format(day=day.strftime("%d/%m/%Y")))
        s.finish((36, 16))
        return
    columns = [_("STT"), _("Họ và tên"), _("Ngày sinh"), _("Giới tính"), _("Tình trạng"), _("Ngày vào Đảng"),
               _("Ngày chính thức")]
    if privacy == "full":
        columns += [_("Số điện thoại"), _("Nơi ở hiện nay"), _("Số CCCD")]
    s = sheet(title, heading, columns)
    for number, (member, status) in enumerate(on_roll, start=1):
        values = [number, member.full_name, member.birth_date, member.sex.label if member.sex else None,
                  status.label, member.admission_date, member.official_date]
        if privacy == "full":
            values += [member.phone or None, member.residence or None, member.citizen_id or None]
        s.line(values)
    s.note(_("Đảng viên sinh hoạt tại chi bộ ngày {day}.").format(day=day.strftime("%d/%m/%Y")))
    widths = (6, 28, 12, 10, 20, 14, 14) + ((14, 36, 16) if privacy == "full" else ())
    s.finish(widths, landscape=privacy == "full")


# --- Biến động -------------------------------------------------------------------------------------

def _kind_label(kind: str, scope: str) -> str:
    parts = []
    if kind in EntryKind._value2member_map_:
        parts.append(EntryKind(kind).label)
    if scope in Scope._value2member_map_:
        parts.append(Scope(scope).label)
    return "; ".join(parts)


def _changes(sheet, period: Period, privacy: str, everyone: dict, history_of: dict) -> None:
    named = privacy != "aggregate"
    columns = [_("Ngày"), *([_("Đảng viên")] if named else []), _("Từ tình trạng"), _("Sang tình trạng"),
               _("Hình thức")]
    s = sheet(_("Biến động"), _("Biến động đảng viên"), columns)
    found = []
    for member_id, history in history_of.items():
        previous = None
        for change in history:
            if period.contains(change.effective_date):
                member = everyone.get(member_id)
                found.append((change.effective_date, member.sort_key if hasattr(member, "sort_key") else "",
                              member.full_name if member else "", previous, change))
            previous = change.status
    found.sort(key=lambda item: (item[0], item[2]))
    for day, _key, name, previous, change in found:
        values = [day, *([name] if named else []), previous.label if previous else None, change.status.label,
                  _kind_label(change.kind, change.scope) or None]
        s.line(values)
    if not found:
        s.note(_("Không có thay đổi tình trạng nào trong kỳ."))
    s.finish((12, *((28,) if named else ()), 20, 20, 32))


# --- Sinh hoạt -------------------------------------------------------------------------------------

def _meetings(sheet, period: Period) -> None:
    s = sheet(_("Sinh hoạt"), _("Sinh hoạt chi bộ"), (
        _("Ngày"), _("Loại buổi sinh hoạt"), _("Phải dự"), _("Có mặt"), _("Vắng có lý do"), _("Vắng không lý do"),
        _("Chưa điểm danh"), _("Tỷ lệ dự họp (%)")))
    found = [m for m in meetings.list_meetings(period.year) if period.contains(m.meeting.date)]
    for item in found:
        c = item.counts
        s.line([item.meeting.date, item.meeting.kind.label, c.rate_base, c.present, c.excused, c.absent,
                c.unmarked, c.rate_percent])
    if found:
        s.line([_("Cộng: {count} buổi").format(count=len(found)), None,
                *[sum(getattr(m.counts, name) for m in found)
                  for name in ("rate_base", "present", "excused", "absent", "unmarked")], None], bold=True)
    else:
        s.note(_("Không có buổi sinh hoạt nào trong kỳ."))
    s.finish((12, 26, 10, 10, 12, 12, 12, 12), landscape=True)


# --- Đảng phí --------------------------------------------------------------------------------------

def _fees(sheet, period: Period, today: dt.date | None) -> None:
    s = sheet(_("Đảng phí"), _("Thu, nộp đảng phí"), (
        _("Tháng"), _("Phải thu"), _("Đã thu"), _("Chi bộ giữ lại"), _("Phải nộp cấp trên"), _("Đã nộp cấp trên")))
    book = fees.year_book(period.year, today)
    due = {t.month: t.due for t in book.tallies()}
    rows = {r.month: r for r in book.month_rows()}
    totals = [0, 0, 0, 0, 0]
    for month in period.months:
        row = rows.get(month)
        if row is None or row.future:
            s.line([f"{month.month:02d}/{month.year}", None, None, None, None, None])
            continue
        values = [due.get(month, 0), row.collected, row.retained, row.to_remit, row.remitted]
        totals = [a + b for a, b in zip(totals, values)]
        s.line([f"{month.month:02d}/{month.year}", *values], money=True)
    s.line([_("Cộng"), *totals], bold=True, money=True)
    if book.open_month is not None and period.contains(book.open_month.first_day()):
        s.note(_("Tháng {month} chưa kết thúc: số liệu là tạm tính.").format(
            month=f"{book.open_month.month:02d}/{book.open_month.year}"))
    s.note(_("Đơn vị: đồng."))
    s.finish((12, 16, 16, 16, 18, 18))


# --- Kiểm điểm -------------------------------------------------------------------------------------

def _review(sheet, period: Period, privacy: str) -> None:
    from app.services import review
    from app.storage import review_models

    year = period.year
    s = sheet(_("Kiểm điểm"), _("Kết quả kiểm điểm, đánh giá, xếp loại năm {year}").format(year=year),
              (_("Mức xếp loại"), _("Chi bộ đề xuất"), _("Cấp trên quyết định")))
    if not review_models.ReviewYear.select().where(review_models.ReviewYear.year == year).exists():
        s.note(_("Năm {year} chưa mở đợt kiểm điểm, đánh giá, xếp loại.").format(year=year))
        s.finish((36, 16, 18))
        return
    rows = review.review_rows(year)
    found = review.summary(year, rows)
    for grade in found.grades:
        s.line([grade.grade.label, grade.proposed, grade.final])
    s.line([_("Cộng (đảng viên được đánh giá, xếp loại: {count})").format(count=found.reviewed),
            sum(g.proposed for g in found.grades), sum(g.final for g in found.grades)], bold=True)
    if privacy != "aggregate":
        s.row += 1
        start = s.row
        sx.header_row(s.sheet, s.row, (_("Họ và tên"), _("Tự xếp loại"), _("Chi bộ đề xuất"),
                                       _("Cấp trên quyết định")))
        s.row += 1
        for row in rows:
            if not row.reviewed:
                continue
            d = row.data
            s.line([row.full_name, *[g.label if g else None for g in (d.self_grade, d.proposed_grade,
                                                                           d.final_grade)]])
        if s.row == start + 1:
            s.note(_("Chưa có đảng viên nào được đánh giá, xếp loại."))
    s.finish((36, 24, 24, 24))
