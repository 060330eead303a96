"""The Đảng phí page's papers: the year's book saved as PDF or Excel or printed, the month's notice saved or
printed. Save dialogs offer dated names in the remembered folder; the PDF is made off the GUI thread."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.domain import months as mo
from app.domain.dates import Month
from app.domain.fee_ledger import YearBook
from app.i18n import _
from app.reports.file_names import document_file_name
from ui.dialogs import show_info
from ui.tasks import run_task


def export_xlsx(parent: QWidget, *, year: int, today: dt.date) -> None:
    """Xuất Excel…: the year's book as so-dang-phi-YYYY.xlsx."""
    from app.services import fee_export
    from ui.files import EXCEL_FILTER, ask_save_path

    target = ask_save_path(parent, title=_("Xuất sổ đảng phí"), file_filter=EXCEL_FILTER, area="excel",
                           suggested_name=document_file_name("fee_book", year, extension="xlsx"))
    if target is None:
        return
    run_task(parent, _("Đang xuất sổ đảng phí…"), lambda: fee_export.export_year(year, target, today=today),
             lambda count: show_info(parent, _("Đã xuất sổ đảng phí năm {year} ({count} đảng viên) ra tệp:\n{file}")
                                     .format(year=year, count=count, file=target)))


def _book(year: int, today: dt.date) -> Callable[[Path | None], Callable[[], bytes | None]]:
    from app.services import fee_printing

    return lambda target: lambda: fee_printing.print_fee_book(year, target, today=today)


def _notice(month: Month, today: dt.date, book: YearBook | None) -> Callable[[Path | None], Callable[[], bytes | None]]:
    from app.services import fee_printing

    return lambda target: lambda: fee_printing.print_fee_notice(month, target, today=today, book=book)


def save_book_pdf(parent: QWidget, *, year: int, today: dt.date) -> None:
    """Lưu PDF…: the year's Sổ thu, nộp đảng phí as so-dang-phi-YYYY.pdf."""
    _save_pdf(parent, _("Lưu sổ thu, nộp đảng phí"), document_file_name("fee_book", year), _book(year, today),
              lambda path: _("Đã lưu sổ thu, nộp đảng phí năm {year} vào tệp:\n{file}").format(year=year, file=path))


def save_notice_pdf(parent: QWidget, *, month: Month, today: dt.date, book: YearBook | None) -> None:
    """Lưu PDF… of the notice tab: the month's notice as thong-bao-dang-phi-YYYY-MM.pdf."""
    _save_pdf(parent, _("Lưu thông báo đảng phí"), document_file_name("fee_notice", month),
              _notice(month, today, book), lambda path: _("Đã lưu thông báo đảng phí tháng {month} vào tệp:\n{file}")
              .format(month=mo.label(month), file=path))


def print_book(parent: QWidget, *, year: int, today: dt.date) -> None:
    """In…: the year's book to the printer, through Qt's print dialog."""
    _print(parent, _book(year, today)(None), _("Sổ thu, nộp đảng phí năm {year}").format(year=year))


def print_notice(parent: QWidget, *, month: Month, today: dt.date, book: YearBook | None) -> None:
    _print(parent, _notice(month, today, book)(None), _("Thông báo đảng phí tháng {month}").format(
        month=mo.label(month)))


def _save_pdf(parent: QWidget, title: str, name: str, render, done: Callable[[Path], str]) -> None:
    from ui.files import PDF_FILTER, ask_save_path

    target = ask_save_path(parent, title=title, suggested_name=name, file_filter=PDF_FILTER, area="pdf")
    if target is None:
        return
    run_task(parent, _("Đang lưu {file}…").format(file=target.name), render(target),
             lambda _result: show_info(parent, done(target)))


def _print(parent: QWidget, render: Callable[[], bytes | None], title: str) -> None:
    from ui.printing import print_pdf

    run_task(parent, _("Đang chuẩn bị bản in…"), render, lambda data: print_pdf(parent, data, title=title))
