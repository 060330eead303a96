"""The year's fee book as an .xlsx: Part I month by month, Part II with subtotals, and the month grid."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.domain import months as mo
from app.domain.dates import Month, format_date
from app.domain.fee_ledger import MonthLine, PaidState, YearBook, paid_state
from app.i18n import _
from app.services import cell as cell_service
from app.services import fees
from app.services.errors import ServiceError
from app.services.fee_book_rows import (
    BOOK_TITLE,
    EXEMPT_NOTE,
    FORM_CODE,
    PART_ONE,
    PART_TWO,
    PART_TWO_COLUMNS,
    as_of,
    book_months,
    cover_line,
    minutes_notes,
    month_title,
    part_one,
    part_one_columns,
    part_two_notes,
    part_two_values,
    regime_note,
)
from app.services.spreadsheets import save_workbook, write_cell

MONEY_FORMAT = "#,##0"


def export_year(year: int, path: Path | str, *, today: dt.date | None = None, book: YearBook | None = None) -> int:
    """Write the book of `year` to path; returns how many members it holds."""
    from openpyxl import Workbook

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ServiceError(_("Tên tệp xuất phải kết thúc bằng .xlsx."))
    book = book or fees.year_book(year, today)
    workbook = Workbook()
    _part_one(workbook.active, book)
    _part_two(workbook.create_sheet(), book)
    _grid(workbook.create_sheet(), book)
    save_workbook(workbook, path)
    return len(book.members)


def _styles():
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin")
    return {
        "bold": Font(bold=True), "title": Font(bold=True, size=14),
        "wrap": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
    }


def _cover(sheet, book: YearBook, title: str) -> int:
    """The book's heading lines; returns the next free row."""
    s = _styles()
    info = cell_service.get_cell()
    write_cell(sheet, 1, 1, cover_line("Đảng bộ", info.superior_name if info else ""))
    write_cell(sheet, 2, 1, cover_line("Chi bộ", info.name if info else "")).font = s["bold"]
    write_cell(sheet, 1, 8, "ĐẢNG CỘNG SẢN VIỆT NAM").font = s["bold"]
    write_cell(sheet, 2, 8, FORM_CODE)
    write_cell(sheet, 4, 1, f"{BOOK_TITLE} — NĂM {book.year}").font = s["title"]
    write_cell(sheet, 5, 1, title).font = s["bold"]
    write_cell(sheet, 6, 1, regime_note(book.year))
    if book.open_month is not None:
        # The month the book is made in has not ended: nothing of it is closed (as in the PDF).
        note = _("Lập ngày {day}: tháng {month} chưa kết thúc, số liệu tháng này, quý này và cả năm là tạm "
                 "tính đến ngày lập sổ.").format(day=as_of(book), month=mo.label(book.open_month))
        write_cell(sheet, 7, 1, note).font = s["bold"]
        return 9
    return 8


def _header(sheet, row: int, columns) -> int:
    """Two header rows: a top heading spanning its sub-headings, or one heading over both rows."""
    s = _styles()
    col = 1
    while col <= len(columns):
        top, sub = columns[col - 1]
        span = 1
        while sub is not None and col + span <= len(columns) and columns[col + span - 1][0] == top:
            span += 1
        write_cell(sheet, row, col, top)
        if sub is None:
            sheet.merge_cells(start_row=row, start_column=col, end_row=row + 1, end_column=col)
        else:
            if span > 1:
                sheet.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + span - 1)
            for offset in range(span):
                write_cell(sheet, row + 1, col + offset, columns[col + offset - 1][1])
        col += span
    for r in (row, row + 1):
        for c in range(1, len(columns) + 1):
            cell = sheet.cell(row=r, column=c)
            cell.font, cell.alignment, cell.border = s["bold"], s["wrap"], s["border"]
    sheet.row_dimensions[row].height = 32
    sheet.row_dimensions[row + 1].height = 45
    return row + 2


def _write(sheet, row: int, values: list, bold: bool = False) -> None:
    s = _styles()
    for col, value in enumerate(values, start=1):
        cell = write_cell(sheet, row, col, value if value not in ("",) else None)
        cell.border = s["border"]
        if isinstance(value, int) and not isinstance(value, bool):
            cell.number_format = MONEY_FORMAT
        if bold:
            cell.font = s["bold"]


def _part_one(sheet, book: YearBook) -> None:
    sheet.title = "Phan I - Thu dang phi"
    row = _cover(sheet, book, PART_ONE)
    minutes = minutes_notes(book)
    for month in book_months(book):
        rows, total = part_one(book, month)
        write_cell(sheet, row, 1, month_title(book, month)).font = _styles()["bold"]
        row = _header(sheet, row + 1, part_one_columns(book, month))
        for line in rows:
            _write(sheet, row, line.values())
            row += 1
        values = total.values()
        values[0], values[2] = None, ""
        _write(sheet, row, values, bold=True)
        for note in minutes.get(month, []):
            row += 1
            write_cell(sheet, row, 1, note)
        row += 2
    write_cell(sheet, row, 1, f"Ghi chú: {EXEMPT_NOTE}")
    for letter, width in zip("ABCDEFGHIJK", (5, 28, 8, 9, 14, 12, 13, 12, 13, 15, 30)):
        sheet.column_dimensions[letter].width = width


def _part_two(sheet, book: YearBook) -> None:
    sheet.title = "Phan II - Tong hop"
    row = _cover(sheet, book, PART_TWO)
    write_cell(sheet, row - 1, 1, f"NĂM: {book.year}").font = _styles()["bold"]
    row = _header(sheet, row, PART_TWO_COLUMNS)
    for summary_row in book.summary:
        _write(sheet, row, part_two_values(book, summary_row), bold=summary_row.kind != "month")
        if summary_row.temporary and not summary_row.future:
            # Shown «33 (*)» as in the PDF, still a number; the note under the table says who.
            sheet.cell(row=row, column=3).number_format = '0" (*)"'
        row += 1
    for note in part_two_notes(book):
        row += 1
        write_cell(sheet, row, 1, note)
    for letter, width in zip("ABCDEFGHIJK", (14, 14, 12, 12, 14, 14, 14, 14, 14, 14, 12)):
        sheet.column_dimensions[letter].width = width


_STATE_MARK = {PaidState.PAID: "", PaidState.PARTIAL: "thiếu", PaidState.UNPAID: "chưa", PaidState.EXEMPT: "miễn",
               PaidState.NO_PROFILE: "?"}


def _grid(sheet, book: YearBook) -> None:
    """Members × months: what each paid towards each month; 'miễn', 'chưa' or 'thiếu' where not paid in full."""
    s = _styles()
    sheet.title = "Luoi thang"
    headers = ["Stt", "Họ và tên đảng viên", *(_grid_heading(book, Month(book.year, m)) for m in range(1, 13)),
               _("Phải đóng cả năm"), _("Đã đóng cho năm"), _("Còn nợ (hôm nay)")]
    for col, text in enumerate(headers, start=1):
        cell = write_cell(sheet, 1, col, text)
        cell.font, cell.alignment, cell.border = s["bold"], s["wrap"], s["border"]
    for index, member in enumerate(book.members, start=1):
        values: list = [index, member.name]
        for line in member.lines:
            values.append(_grid_value(line, book))
        paid_for_year = sum(line.paid_for + line.extra for line in member.lines)
        values += [member.due_total, paid_for_year, member.arrears(book.made_on)]
        _write(sheet, index + 1, values)
    sheet.column_dimensions["B"].width = 28
    sheet.freeze_panes = "C2"
    write_cell(sheet, len(book.members) + 3, 2,
               _("Lập ngày {day}").format(day=format_date(book.made_on)))


def _grid_heading(book: YearBook, month: Month) -> str:
    if month == book.open_month:
        return _("T{month} (tạm tính đến {day})").format(month=f"{month.month:02d}/{month.year}", day=as_of(book))
    return f"T{month.month:02d}/{month.year}"


def _grid_value(line: MonthLine, book: YearBook) -> int | str:
    """A month's cell: what was paid towards it, or why not; a month after the day the book is made is left
    empty unless something was paid ahead for it."""
    if not line.in_book:
        return ""
    state = paid_state(line)
    if line.month > Month.of(book.made_on) and state is not PaidState.PAID:
        return line.paid_for + line.extra or ""
    if state is PaidState.PAID and line.paid_for:
        return line.paid_for + line.extra
    return _STATE_MARK[state]
