"""The review's papers saved as PDF: one member's form or ballot, every form in one file (with a progress bar),
the summary, the cell's Mẫu 01, the minutes and the ballots. Each is made off the GUI thread."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from app.domain import names
from app.i18n import _
from app.reports.file_names import document_file_name
from app.services.review import ReviewRow
from ui.dialogs import show_info
from ui.tasks import run_task


def _ascii(text: str) -> str:
    """A name as a file name's part: no diacritics, words joined by hyphens (Nguyễn Văn An → nguyen-van-an)."""
    return "-".join("".join(ch for ch in names.fold(text) if ch.isascii() and (ch.isalnum() or ch == " ")).split())


def _file_name(kind: str, year: int, who: str = "") -> str:
    """The project's name for the paper (app.reports.file_names), with the member's name after the year."""
    stem, extension = document_file_name(kind, year).rsplit(".", 1)
    return f"{stem}-{who}.{extension}" if who else f"{stem}.{extension}"


def _ask(parent: QWidget, title: str, suggested: str) -> Path | None:
    from ui.files import PDF_FILTER, ask_save_path

    return ask_save_path(parent, title=title, suggested_name=suggested, file_filter=PDF_FILTER, area="pdf")


def _save(parent: QWidget, title: str, suggested: str, write: Callable[[Path], object]) -> None:
    target = _ask(parent, title, suggested)
    if target is None:
        return
    run_task(parent, _("Đang lưu {file}…").format(file=target.name), lambda: write(target),
             lambda _result: show_info(parent, _("Đã lưu «{title}» vào tệp:\n{file}").format(title=title, file=target)))


def save_member_form(parent: QWidget, year: int, row: ReviewRow) -> None:
    from app.services import review_printing

    _save(parent, _("Bản kiểm điểm"), _file_name("review_form", year, _ascii(row.full_name)),
          lambda path: review_printing.print_review_form(year, row.member_id, path))


def save_ballots(parent: QWidget, year: int, row: ReviewRow | None = None) -> None:
    from app.services import review_printing

    who = _ascii(row.full_name) if row is not None else ""
    _save(parent, _("Phiếu biểu quyết"), _file_name("review_ballots", year, who),
          lambda path: review_printing.print_ballots(year, path, member_id=row.member_id if row else None))


def save_summary(parent: QWidget, year: int) -> None:
    from app.services import review_printing

    _save(parent, _("Tổng hợp kết quả xếp loại"), _file_name("review_summary", year),
          lambda path: review_printing.print_review_summary(year, path))


def save_cell_report(parent: QWidget, year: int) -> None:
    from app.services import review_printing

    _save(parent, _("Báo cáo kiểm điểm tập thể chi bộ (Mẫu 01)"), _file_name("review_cell", year),
          lambda path: review_printing.print_cell_report(year, path))


def save_minutes(parent: QWidget, year: int) -> None:
    from app.services import review_printing

    _save(parent, _("Biên bản họp kiểm điểm"), _file_name("review_minutes", year),
          lambda path: review_printing.print_review_minutes(year, path))


class _Progress(QObject):
    """Carries the worker's progress(done, total) to the progress dialog on the GUI thread."""

    step = Signal(int, int)


def save_all_forms(parent: QWidget, year: int) -> None:
    """Every member's form in one PDF, with a bar that fills form by form."""
    from app.services import review_printing

    title = _("Bản kiểm điểm của tất cả đảng viên")
    target = _ask(parent, title, _file_name("review_form", year, "tat-ca"))
    if target is None:
        return
    progress, shown = _Progress(), {}

    def show(done: int, total: int) -> None:
        task = shown.get("task")
        if task is not None and not task.finished:
            task.progress.setMaximum(total)
            task.progress.setValue(done)

    progress.step.connect(show, Qt.ConnectionType.QueuedConnection)
    shown["task"] = run_task(
        parent, _("Đang in bản kiểm điểm…"),
        lambda: review_printing.print_review_forms(year, target, progress=lambda d, t: progress.step.emit(d, t)),
        lambda _result: show_info(parent, _("Đã lưu bản kiểm điểm của tất cả đảng viên vào tệp:\n{file}").format(
            file=target)))
    shown["progress"] = progress  # kept alive with the task
