"""Thông tin chi bộ: asked on the first run, and editable later from the Tệp menu."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.domain.cell import SUPERIOR_LEVEL_SUGGESTIONS, CellInfo, CellLevel
from app.domain.issues import Issue
from app.i18n import _
from app.services import cell as cell_service
from app.services import superior
from ui.dialogs import BaseDialog
from ui.widgets import heading, text_width

_TEXT_FIELDS = {
    "name": lambda: _("ví dụ: Chi bộ thôn Đông"),
    "superior_name": lambda: _("ví dụ: Đảng bộ xã Hòa Bình"),
    "place_name": lambda: _("ví dụ: Hòa Bình (in ở dòng «Hòa Bình, ngày … tháng … năm …»)"),
    "term_label": lambda: _("ví dụ: 2025–2030"),
    "secretary_name": lambda: _("họ và tên đồng chí bí thư"),
    "deputy_name": lambda: _("họ và tên đồng chí phó bí thư (nếu có)"),
    "code": lambda: _("mã do Đảng ủy đặt, ví dụ 38.168.053.000.001 (ghi trong gói gửi cấp trên)"),
}


class CellDialog(BaseDialog):
    """The cell's name, its superior and its leaders, saved with cell.save_cell."""

    area = "cell"

    @property
    def required_fields(self) -> tuple[str, ...]:
        if self.for_superior is not None and self.for_superior.isChecked():
            return ("superior_unit",)
        return ("name", "superior_name")

    def __init__(self, first_run: bool = False, parent: QWidget | None = None):
        title = _("Chào mừng đến với chibo") if first_run else _("Thông tin chi bộ")
        self.for_superior: QCheckBox | None = None
        super().__init__(title, parent)
        self.info = cell_service.get_cell() or CellInfo()
        if first_run:
            self.layout_.addWidget(heading(_("Chào mừng đến với chibo")))
            intro = QLabel(_("Trước khi bắt đầu, xin cho biết thông tin của chi bộ. Các thông tin này được in "
                             "ở đầu các biểu mẫu; có thể sửa lại sau trong menu Tệp → Thông tin chi bộ."))
            intro.setWordWrap(True)
            self.layout_.addWidget(intro)
            self.for_superior = QCheckBox(_("Đây là dữ liệu của Đảng ủy (tổng hợp các chi bộ)"))
            self.for_superior.setToolTip(_("Chọn khi máy này của Đảng ủy xã, phường: nhận gói các chi bộ gửi lên và "
                                           "tổng hợp; không ghi đảng viên của chi bộ nào."))
            self.layout_.addWidget(self.for_superior)
            self.layout_.addWidget(self._build_superior())
        self.cell_box = QWidget()
        form = QFormLayout(self.cell_box)
        form.setContentsMargins(0, 0, 0, 0)
        self.layout_.addWidget(self.cell_box)
        self.edits: dict[str, QLineEdit] = {}
        for name in ("name", "superior_name"):
            self._add_text(form, name)
        self.superior_level = QComboBox()
        self.superior_level.setEditable(True)
        # Enter in the box moves on; it must not add what was typed to the suggestions.
        self.superior_level.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.superior_level.addItems([suggest() for suggest in SUPERIOR_LEVEL_SUGGESTIONS])
        self.superior_level.setCurrentText(self.info.superior_level)
        self.superior_level.lineEdit().setPlaceholderText(_("chọn trong danh sách hoặc gõ, ví dụ: Đảng ủy xã"))
        self.add_field(form, "superior_level", self.superior_level)
        self.cell_level = QComboBox()
        for level in CellLevel:
            self.cell_level.addItem(level.label, level)
        self.cell_level.setCurrentIndex(self.cell_level.findData(CellLevel(self.info.cell_level)))
        self.add_field(form, "cell_level", self.cell_level)
        for name in ("place_name", "term_label", "secretary_name", "deputy_name", "code"):
            self._add_text(form, name)
        self.setMinimumWidth(text_width(self, 100))
        self.finish_layout()
        if self.for_superior is not None:
            self.for_superior.toggled.connect(self._kind_chosen)
            self._kind_chosen()

    def _build_superior(self) -> QWidget:
        self.superior_box = QWidget()
        column = QVBoxLayout(self.superior_box)
        column.setContentsMargins(0, 0, 0, 0)
        note = QLabel(_("Dữ liệu của Đảng ủy chỉ cần tên Đảng ủy và cấp trên của Đảng ủy. Các chi bộ gửi gói lên, "
                        "Đảng ủy nhận gói ở trang Các chi bộ và xem số liệu chung ở trang Tổng hợp."))
        note.setWordWrap(True)
        column.addWidget(note)
        form = QFormLayout()
        column.addLayout(form)
        self.superior_unit = QLineEdit()
        self.superior_unit.setPlaceholderText(_("ví dụ: Đảng ủy xã Hòa Bình"))
        self.add_field(form, "superior_unit", self.superior_unit, _("Tên Đảng ủy"))
        self.superior_above = QLineEdit()
        self.superior_above.setPlaceholderText(_("ví dụ: Đảng bộ tỉnh Phú Thọ (không bắt buộc)"))
        self.add_field(form, "superior_above", self.superior_above, _("Cấp trên của Đảng ủy"))
        return self.superior_box

    def _kind_chosen(self) -> None:
        chosen = self.for_superior.isChecked()
        self.superior_box.setVisible(chosen)
        self.cell_box.setVisible(not chosen)
        self.clear_issues()
        self.update_required_marks()
        self.adjustSize()
        (self.superior_unit if chosen else self.edits["name"]).setFocus()

    def _add_text(self, form: QFormLayout, name: str) -> None:
        edit = QLineEdit(getattr(self.info, name))
        edit.setPlaceholderText(_TEXT_FIELDS[name]())
        self.edits[name] = edit
        self.add_field(form, name, edit)

    def save(self) -> bool:
        if self.for_superior is not None and self.for_superior.isChecked():
            return self._save_superior()
        values = {name: edit.text() for name, edit in self.edits.items()}
        info = CellInfo(**values, superior_level=self.superior_level.currentText(),
                        cell_level=CellLevel(self.cell_level.currentData()), term_start=self.info.term_start)
        outcome = self.perform(lambda: cell_service.save_cell(info))
        if outcome is None:
            return False
        self.info = outcome.value
        return True

    def _save_superior(self) -> bool:
        name = self.superior_unit.text().strip()
        if not name:
            self.show_issues([Issue(self.field_key("superior_unit"), _("hãy ghi tên Đảng ủy."))])
            return False
        outcome = self.perform(lambda: superior.init_superior(name, self.superior_above.text()))
        if outcome is None:
            return False
        self.info = outcome.value
        return True
