"""Nhập danh sách from an Excel/CSV file (preview first, then one transaction) and Xuất danh sách to Excel."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QTabWidget, QWidget

from app.domain.dates import format_date
from app.i18n import _
from app.services import changes as change_service
from app.services import roster_io
from ui.dialogs import BaseDialog, show_info
from ui.roster.history_dialog import change_lines
from ui.tasks import run_task
from ui.widgets import read_only_table, text_width


class ImportDialog(BaseDialog):
    """Shows what the file would add, update and reject; «Nhập» is enabled only when nothing is rejected."""

    def __init__(self, path: Path | str, parent: QWidget | None = None):
        super().__init__(_("Nhập danh sách đảng viên"), parent, ok_text=_("Nhập"))
        self.path = Path(path)
        self.preview: roster_io.ImportPreview | None = None
        self.imported = False
        self.summary = QLabel(_("Đang đọc tệp {file}…").format(file=self.path.name))
        self.summary.setWordWrap(True)
        self.layout_.addWidget(self.summary)
        # A line per column the file typed in an old Vietnamese encoding (TCVN3, VNI) and the import read as Unicode.
        self.conversions = QLabel()
        self.conversions.setWordWrap(True)
        self.conversions.hide()
        self.layout_.addWidget(self.conversions)
        self.tabs = QTabWidget()
        self.layout_.addWidget(self.tabs, 1)
        self.ok_button.setEnabled(False)
        self.resize(text_width(self, 130), self.fontMetrics().height() * 30)
        self.finish_layout()

    def start(self) -> None:
        run_task(self, _("Đang đọc tệp {file}…").format(file=self.path.name),
                 lambda: roster_io.preview_import(self.path), self.show_preview, self._failed)

    def _failed(self, message: str) -> None:
        self.summary.setText(_("Không đọc được tệp {file}.").format(file=self.path.name))
        self.show_general_error(message)
        self.ok_button.setEnabled(False)

    def show_preview(self, preview: roster_io.ImportPreview) -> None:
        self.preview = preview
        self.summary.setText(preview.counts())
        lines = preview.conversion_lines()
        self.conversions.setText("\n".join(lines))
        self.conversions.setVisible(bool(lines))
        tabs = (
            (_("Thêm mới"), [_("Dòng"), _("Họ và tên"), _("Ngày sinh"), _("Số thẻ"), _("Lưu ý")],
             [[str(r.row), r.member.full_name, format_date(r.member.birth_date), r.member.card_number,
               "\n".join(r.warnings)] for r in preview.added]),
            (_("Cập nhật"), [_("Dòng"), _("Họ và tên"), _("Thay đổi"), _("Lưu ý")],
             [[str(r.row), r.member.full_name, change_lines(r.changes), "\n".join(r.warnings)]
              for r in preview.updated]),
            (_("Không đổi"), [_("Dòng"), _("Họ và tên"), _("Lưu ý")],
             [[str(r.row), r.member.full_name, "\n".join(r.warnings)] for r in preview.unchanged]),
            (_("Bị từ chối"), [_("Dòng"), _("Lý do")], [[str(r.row), r.reason] for r in preview.rejected]),
        )
        self.tabs.clear()
        for title, headers, rows in tabs:
            self.tabs.addTab(read_only_table(headers, rows), f"{title} ({len(rows)})")
        if not preview.ok:
            self.tabs.setCurrentIndex(3)
            self.show_general_error(_("Tệp có dòng bị từ chối nên chưa nhập được gì. Xin sửa các dòng đó trong tệp "
                                      "rồi nhập lại."))
        elif not (preview.added or preview.updated):
            self.show_general_error(_("Không có gì mới để nhập: mọi dòng đều đã có trong danh sách."))
        self.ok_button.setEnabled(preview.ok and bool(preview.added or preview.updated))

    def save(self) -> bool:
        # The dialog closes when the worker reports success, not now.
        if self.preview is not None and self.preview.ok:
            self.buttons.setEnabled(False)
            run_task(self, _("Đang nhập danh sách…"),
                     lambda: change_service.perform(roster_io.apply_import, self.preview),
                     self._applied, self._apply_failed)
        return False

    def _applied(self, outcome: change_service.Outcome) -> None:
        from ui.ops import announce

        announce(outcome.changes, self)
        self.imported = True
        self.done(QDialog.DialogCode.Accepted)

    def _apply_failed(self, message: str) -> None:
        self.show_general_error(message)
        self.buttons.setEnabled(True)


def import_roster(parent: QWidget, on_imported: Callable[[], None]) -> None:
    """Tệp → Nhập danh sách…: pick a file, preview it, import it."""
    path, _filter = QFileDialog.getOpenFileName(parent, _("Chọn tệp danh sách đảng viên"), str(Path.home()),
                                                _("Bảng tính Excel hoặc CSV (*.xlsx *.csv)"))
    if not path:
        return
    dialog = ImportDialog(path, parent)
    dialog.start()
    if dialog.exec() == QDialog.DialogCode.Accepted and dialog.preview is not None:
        on_imported()
        show_info(parent, _("Đã nhập xong: thêm {added}, cập nhật {updated} đồng chí.").format(
            added=len(dialog.preview.added), updated=len(dialog.preview.updated)))


def export_roster(parent: QWidget) -> None:
    """Tệp → Xuất danh sách…: the roster as an .xlsx wherever the secretary chooses."""
    path, _filter = QFileDialog.getSaveFileName(parent, _("Xuất danh sách đảng viên"),
                                                str(Path.home() / "danh-sach-dang-vien.xlsx"), _("Excel (*.xlsx)"))
    if not path:
        return
    target = Path(path) if path.lower().endswith(".xlsx") else Path(path + ".xlsx")
    run_task(parent, _("Đang xuất danh sách…"), lambda: roster_io.export_roster(target),
             lambda count: show_info(parent, _("Đã xuất {count} đồng chí ra tệp:\n{file}").format(
                 count=count, file=target)))
