"""Printing the year's fee book (Sổ thu, nộp đảng phí) to PDF through the one document engine."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from app.domain.dates import Month
from app.domain.fee_ledger import YearBook
from app.domain.money import format_money
from app.i18n import _
from app.reports.fee_book import FeeBookDocument, FeeBookPrint, MonthBlock
from app.services import cell as cell_service
from app.services import fees
from app.services.errors import ServiceError
from app.services.fee_book_rows import (
    BOOK_TITLE,
    EXEMPT_NOTE,
    FORM_CODE,
    PART_ONE,
    PART_ONE_COLUMNS,
    PART_TWO,
    PART_TWO_COLUMNS,
    SIGNERS,
    book_months,
    part_one,
    part_two_values,
    regime_note,
)
from app.domain.fee_rules import regime


def book_print(book: YearBook) -> FeeBookPrint:
    info = cell_service.get_cell()
    if info is None:
        raise ServiceError(_("Chưa có thông tin chi bộ; hãy nhập tên chi bộ và cấp ủy cấp trên trước khi in."))
    months = []
    for month in book_months(book):
        rows, total = part_one(book, month)
        values = total.values()
        values[0], values[2] = "", ""
        title = _("Tháng {month:02d}/{year} — tính theo {regime}").format(
            month=month.month, year=book.year, regime=regime(month).value)
        months.append(MonthBlock(title, [r.values() for r in rows], values))
    rules = fees.rule_book().for_month(Month(book.year, 12))
    share = rules.retained_share.get(info.cell_level.value)
    notes = [regime_note(book.year)]
    if share is not None:
        notes.append(_("{level}: trích giữ lại {percent}% số đảng phí thu được, nộp cấp trên phần còn lại.").format(
            level=info.cell_level.label, percent=_percent(share)))
    notes.append(_("Làm tròn: {rounding}.").format(rounding=rules.rounding.describe()))
    year_row = book.summary[-1]
    notes.append(_("Cả năm: đã thu {collected}; chưa đóng đến cuối năm {unpaid}.").format(
        collected=format_money(year_row.collected), unpaid=format_money(year_row.unpaid)))
    return FeeBookPrint(
        superior=info.superior_name, cell=info.name, year=book.year, place=info.place_name, made_on=book.made_on,
        form_code=FORM_CODE, title=BOOK_TITLE, part_one_title=PART_ONE, part_two_title=PART_TWO,
        part_one_columns=PART_ONE_COLUMNS, part_two_columns=PART_TWO_COLUMNS, exempt_note=EXEMPT_NOTE,
        months=months, summary=[part_two_values(r) for r in book.summary],
        summary_kinds=[r.kind for r in book.summary], notes=notes,
        signers=(SIGNERS[0], SIGNERS[1], f"{SIGNERS[2]}\nBÍ THƯ"),
        signer_names=(fees.collector_name(), "", info.secretary_name),
    )


def _percent(share) -> str:
    value = share * 100
    text = str(value.numerator // value.denominator) if value.denominator == 1 else f"{float(value):.2f}".rstrip("0")
    return text.replace(".", ",")


def print_fee_book(year: int, target: Path | str | io.BytesIO | None = None, *, today: dt.date | None = None,
                   book: YearBook | None = None) -> bytes | None:
    """The year's book as a PDF (to a file, or as bytes when target is None)."""
    book = book or fees.year_book(year, today)
    if isinstance(target, (str, Path)) and Path(target).suffix.lower() != ".pdf":
        raise ServiceError(_("Tên tệp in phải kết thúc bằng .pdf."))
    try:
        return FeeBookDocument(book_print(book)).render(target)
    except OSError as exc:
        raise ServiceError(_("Không ghi được tệp {file}: {error}").format(file=target, error=exc.strerror)) from exc
