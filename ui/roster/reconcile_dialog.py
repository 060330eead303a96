"""Đối chiếu với danh sách cấp trên: every difference in a table; only the cells the secretary ticks are taken."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.domain.reconcile import Difference, Kind, Report, shown
from app.i18n import _
from app.services import reconcile
from ui.dialogs import BaseDialog, show_info
from ui.tasks import run_task
from ui.widgets import text_width

COL_KIND, COL_ROW, COL_MEMBER, COL_FIELD, COL_OURS, COL_THEIRS = range(6)


class ReconcileDialog(BaseDialog):
    """Reads their file off the GUI thread, lists the differences, and takes the ticked values in one write."""

    def __init__(self, path: Path | str, parent: QWidget | None = None):
        super().__init__(_("Đối chiếu với danh sách cấp trên"), parent,
                         ok_text=_("Lấy giá trị của cấp trên cho các ô đã chọn"))
        self.path = Path(path)
        self.report: Report | None = None
        self.saved: list = []
        self._choices: dict[int, reconcile.Choice] = {}  # table row -> what ticking it takes
        self.summary = QLabel(_("Đang đọc tệp {file}…").format(file=self.path.name))
        self.summary.setWordWrap(True)
        self.layout_.addWidget(self.summary)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.hide()
        self.layout_.addWidget(self.notes)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([_("Loại"), _("Dòng"), _("Đồng chí ở đây"), _("Trường"), _("Ở đây"),
                                              _("Cấp trên")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.layout_.addWidget(self.table, 1)
        self.ok_button.setEnabled(False)
        self.resize(text_width(self, 140), self.fontMetrics().height() * 32)
        self.finish_layout()

    def start(self) -> None:
        run_task(self, _("Đang đọc tệp {file}…").format(file=self.path.name),
                 lambda: reconcile.compare(self.path), self.show_report, self._failed)

    def _failed(self, message: str) -> None:
        self.summary.setText(_("Không đọc được tệp {file}.").format(file=self.path.name))
        self.show_general_error(message)
        self.ok_button.setEnabled(False)

    def show_report(self, report: Report) -> None:
        self.report = report
        self.summary.setText(report.summary())
        self.notes.setText("\n".join(f"• {w}" for w in report.warnings))
        self.notes.setVisible(bool(report.warnings))
        self._choices.clear()
        self.table.setRowCount(0)
        for difference in report.differences:
            self._add(difference)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        self.ok_button.setEnabled(bool(self._choices))
        if not report.differences:
            self.show_general_error(_("Hai danh sách khớp nhau, không có gì khác."))

    def _add(self, difference: Difference) -> None:
        member = difference.member.full_name if difference.member else ""
        row_text = str(difference.row) if difference.row is not None else ""
        if difference.kind is not Kind.DIFFERENT:
            self._append([difference.kind.label, row_text, member, "", "", difference.describe()])
            return
        for fld in difference.fields:
            index = self._append([difference.kind.label, row_text, member, fld.label, shown(fld.ours),
                                  shown(fld.theirs)])
            item = self.table.item(index, COL_FIELD)
            if fld.takeable:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                self._choices[index] = reconcile.Choice(difference.member.id, fld.field)
            else:
                item.setToolTip(_("Tình trạng không lấy theo danh sách được: mỗi thay đổi cần ngày và lý do; "
                                  "hãy dùng «Đổi tình trạng»."))

    def _append(self, texts: list[str]) -> int:
        index = self.table.rowCount()
        self.table.insertRow(index)
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            # Qt makes every item tickable; only a value that can be taken gets its box (_add).
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
            item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            self.table.setItem(index, column, item)
        return index

    def check(self, index: int, checked: bool = True) -> None:
        self.table.item(index, COL_FIELD).setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def chosen(self) -> list[reconcile.Choice]:
        return [choice for index, choice in self._choices.items()
                if self.table.item(index, COL_FIELD).checkState() == Qt.CheckState.Checked]

    def save(self) -> bool:
        chosen = self.chosen()
        if self.report is None or not chosen:
            self.show_general_error(_("Chưa chọn ô nào: đánh dấu ở cột «Trường» những giá trị muốn lấy của cấp trên."))
            return False
        report = self.report
        outcome = self.perform(lambda: reconcile.apply_choices(report, chosen))
        if outcome is None:
            return False
        self.saved = outcome.value.value
        return True


def reconcile_with_superior(parent: QWidget) -> None:
    """Đối chiếu với danh sách cấp trên…: pick their file, see the differences, take what is ticked."""
    path, _filter = QFileDialog.getOpenFileName(parent, _("Chọn tệp danh sách đảng viên của cấp trên"),
                                                str(Path.home()), _("Bảng tính Excel hoặc CSV (*.xlsx *.csv)"))
    if not path:
        return
    dialog = ReconcileDialog(path, parent)
    dialog.start()
    if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved:
        show_info(parent, _("Đã lấy giá trị của cấp trên cho {count} đồng chí; mỗi thay đổi có trong lịch sử "
                            "hồ sơ.").format(count=len(dialog.saved)))
