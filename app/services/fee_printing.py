"""The year's fee book (Sổ thu, nộp đảng phí) and the month's notice as PDF, through the one document engine."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from app.domain import months as mo
from app.domain.dates import Month
from app.domain.fee_ledger import PaidState, YearBook
from app.domain.money import format_money, format_number
from app.i18n import _
from app.reports import party
from app.reports.base import PartyHeader
from app.reports.fee_book import FeeBookDocument, FeeBookPrint, MonthBlock, Signer
from app.reports.fee_notice import FeeNoticeDocument, FeeNoticePrint, NoticeLine
from app.services import cell as cell_service
from app.services import fees
from app.services.errors import ServiceError
from app.services.fee_book_rows import (
    BOOK_TITLE,
    EXEMPT_NOTE,
    FORM_CODE,
    ON_BEHALF,
    PART_ONE,
    PART_TWO,
    PART_TWO_COLUMNS,
    RECORDER,
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


def book_print(book: YearBook) -> FeeBookPrint:
    info = cell_service.get_cell()
    if info is None:
        raise ServiceError(_("Chưa có thông tin chi bộ; hãy nhập tên chi bộ và cấp ủy cấp trên trước khi in."))
    months = []
    minutes = minutes_notes(book)
    for month in book_months(book):
        rows, total = part_one(book, month)
        values = total.values()
        values[0], values[2] = "", ""
        months.append(MonthBlock(month_title(book, month), [r.values() for r in rows], values,
                                 columns=part_one_columns(book, month), provisional=month == book.open_month,
                                 notes=minutes.get(month, [])))
    summary = [part_two_values(book, r) for r in book.summary]
    for values, row in zip(summary, book.summary):
        if row.temporary and not row.future:
            values[2] = f"{row.members} (*)"  # the note under the table names them
    return FeeBookPrint(
        superior=cover_line("Đảng bộ", info.superior_name), cell=cover_line("Chi bộ", info.name), year=book.year,
        place=info.place_name, made_on=book.made_on,
        form_code=FORM_CODE, title=BOOK_TITLE, part_one_title=PART_ONE, part_two_title=PART_TWO,
        part_two_columns=PART_TWO_COLUMNS, exempt_note=EXEMPT_NOTE,
        months=months, summary=summary, summary_kinds=[r.kind for r in book.summary],
        notes=_cover_notes(book, info), part_two_notes=part_two_notes(book), signers=_signers(info),
    )


def _cover_notes(book: YearBook, info) -> list[str]:
    """The cover's lines under the title: the rules the year falls under, and the day the book was made with
    what it says about the year so far."""
    rules = fees.rule_book().for_month(Month(book.year, 12))
    share = rules.retained_share.get(info.cell_level.value)
    notes = [regime_note(book.year)]
    if share is not None:
        notes.append(_("{level}: trích giữ lại {percent}% số đảng phí thu được, nộp cấp trên phần còn lại.").format(
            level=info.cell_level.label, percent=_percent(share)))
    notes.append(_("Làm tròn: {rounding}.").format(rounding=rules.rounding.describe()))
    year_row = book.summary[-1]
    if book.open_month is None:
        notes.append(_("Cả năm: đã thu {collected}; chưa đóng đến cuối năm {unpaid}.").format(
            collected=format_money(year_row.collected), unpaid=format_money(year_row.unpaid)))
        return notes
    notes.append(_("Sổ lập ngày {day}, khi tháng {month} chưa kết thúc: số liệu tháng này, quý này và cả năm là "
                   "tạm tính đến ngày lập sổ.").format(day=as_of(book), month=mo.label(book.open_month)))
    notes.append(_("Từ đầu năm đến ngày {day}: đã thu {collected}; chưa đóng {unpaid} (tạm tính).").format(
        day=as_of(book), collected=format_money(year_row.collected), unpaid=format_money(year_row.unpaid)))
    return notes


def _signers(info) -> tuple[Signer, ...]:
    """Người ghi sổ (the collector, fees.collector_name) at the left, the secretary for the cell at the right;
    one signature when the secretary keeps the book, so that nobody signs twice."""
    collector = fees.collector_name()
    if collector and party.nfc(collector).casefold() == party.nfc(info.secretary_name).casefold():
        return (Signer(ON_BEHALF, info.secretary_name, note=_("(kiêm người ghi sổ)")),)
    return Signer((RECORDER,), collector), Signer(ON_BEHALF, info.secretary_name)


def _percent(share) -> str:
    value = share * 100
    text = str(value.numerator // value.denominator) if value.denominator == 1 else f"{float(value):.2f}".rstrip("0")
    return text.replace(".", ",")


def print_fee_book(year: int, target: Path | str | io.BytesIO | None = None, *, today: dt.date | None = None,
                   book: YearBook | None = None) -> bytes | None:
    """The year's book as a PDF (to a file, or as bytes when target is None)."""
    book = book or fees.year_book(year, today)
    return _render(lambda: FeeBookDocument(book_print(book)), target)


def _render(document, target: Path | str | io.BytesIO | None) -> bytes | None:
    """document() rendered to a .pdf file, or returned as bytes when target is None."""
    if isinstance(target, (str, Path)) and Path(target).suffix.lower() != ".pdf":
        raise ServiceError(_("Tên tệp in phải kết thúc bằng .pdf."))
    try:
        return document().render(target)
    except OSError as exc:
        raise ServiceError(_("Không ghi được tệp {file}: {error}").format(file=target, error=exc.strerror)) from exc


# ---------------------------------------------------------------- the monthly notice


def notice_print(month: Month, book: YearBook) -> FeeNoticePrint:
    """Thông báo tình hình đóng đảng phí of a month, worded from the year's book (no rule applied here)."""
    info = cell_service.get_cell()
    if info is None:
        raise ServiceError(_("Chưa có thông tin chi bộ; hãy nhập tên chi bộ và cấp ủy cấp trên trước khi in."))
    lines = fees.monthly_report(month, book.made_on, book)
    owing = [line for line in lines if line.state.owes]
    paid = sum(1 for line in lines if line.state is PaidState.PAID)
    exempt = sum(1 for line in lines if line.state is PaidState.EXEMPT)
    summary = [_("{cell} có {count} đảng viên trong sổ đảng phí tháng {month}: {paid} đồng chí đã đóng đủ, {owing} "
                 "đồng chí chưa đóng đủ, {exempt} đồng chí được miễn.").format(
        cell=info.name, count=len(lines), month=mo.label(month), paid=paid, owing=len(owing), exempt=exempt),
        _("Số phải thu {due}; đã thu {received}; còn thiếu {left}.").format(
            due=format_money(sum(line.due for line in lines)), received=format_money(sum(line.paid for line in lines)),
            left=format_money(sum(line.outstanding for line in lines)))]
    flags = sorted(book.flags, key=lambda flag: not flag.proposes_removal)
    return FeeNoticePrint(
        header=PartyHeader(info.superior_name, info.name, place=info.place_name, date=book.made_on),
        month_label=party.month_year(month.year, month.month),
        lines=[NoticeLine(line.name, format_number(line.due), format_number(line.paid), format_number(line.outstanding),
                          line.state.label, owes=line in owing) for line in lines],
        summary=summary, warnings=[_("Đồng chí {name}: {text}.").format(name=f.name, text=f.message) for f in flags],
        secretary_name=info.secretary_name)


def print_fee_notice(month: Month, target: Path | str | io.BytesIO | None = None, *, today: dt.date | None = None,
                     book: YearBook | None = None) -> bytes | None:
    """The month's notice as a PDF (to a file, or as bytes when target is None)."""
    book = book if book is not None and book.year == month.year else fees.year_book(month.year, today)
    return _render(lambda: FeeNoticeDocument(notice_print(month, book)), target)
