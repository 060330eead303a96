"""Định mức đảng phí: the dated figures the superior body may give differently, and adding a newer one."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QWidget

from app.domain import months as mo
from app.domain.fee_rules import RuleKey, RuleValueError, describe_value, parse_text
from app.domain.members import Issue
from app.i18n import _
from app.services import fees
from ui.dialogs import confirm
from ui.fees.dialogs import FeeDialog
from ui.widgets import read_only_table, text_width

_EXAMPLES = {
    RuleKey.MIN_WAGE: lambda: _("4 mức vùng I, II, III, IV, ví dụ: 5310000, 4730000, 4140000, 3700000"),
    RuleKey.RETAINED_SHARE: lambda: _("ví dụ: truc_thuoc=30, co_so=70 (phần trăm chi bộ giữ lại)"),
    RuleKey.ROUNDING: lambda: _("bước:cách, ví dụ 1:half_up (không làm tròn), 100:half_up, 1000:up"),
    RuleKey.OLD_FIXED: lambda: _("ví dụ: student=3000, other=10000, other_retired=5000"),
}


class RulesDialog(FeeDialog):
    """Each figure applies from its month until a later row; built-in rows cannot be removed, only followed."""

    settings_key = "FeeRulesDialog"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(_("Định mức đảng phí theo thời gian"), parent, _("Thêm định mức"))
        note = QLabel(_("Tỷ lệ % theo Quy định 01-QĐ/TW và Quyết định 342-QĐ/TW có sẵn trong chương trình. "
                        "Các con số dưới đây cấp trên có thể hướng dẫn khác: thêm dòng mới kèm tháng bắt đầu "
                        "áp dụng; dòng cũ vẫn dùng cho các tháng trước đó."))
        note.setWordWrap(True)
        self.layout_.addWidget(note)
        self.rows = []
        book = fees.rule_book()
        for key in RuleKey:
            for value in book.history(key):
                self.rows.append((key, value))
        self.table = read_only_table(
            [_("Định mức"), _("Từ tháng"), _("Giá trị"), _("Ghi chú")],
            [[key.label, mo.label(v.effective_from), describe_value(key, v.value),
              (v.note + ("" if v.is_default else _(" (đã thêm)"))).strip()] for key, v in self.rows])
        # Long values (four regions) wrap inside a stretched column instead of running off the dialog.
        self.table.setWordWrap(True)
        self.table.setColumnWidth(0, text_width(self, 30))
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(text_width(self, 24))
        self.layout_.addWidget(self.table, 1)
        self.remove_button = QPushButton(_("Xóa dòng đã thêm đang chọn"))
        self.remove_button.clicked.connect(self._remove_selected)
        self.layout_.addWidget(self.remove_button)
        form = QFormLayout()
        self.layout_.addLayout(form)
        self.key = QComboBox()
        for key in RuleKey:
            self.key.addItem(key.label, key.value)
        self.add_field(form, "fee.rule", self.key)
        self.from_month = self.add_field(form, "fee.from", self.month_field(None))
        self.value = self.add_field(form, "fee.value", QLineEdit(), _("Giá trị"))
        self.key.currentIndexChanged.connect(self._example)
        self._example()
        self.setMinimumWidth(text_width(self, 110))
        self.finish_layout()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # Row heights can only be measured once the stretched column has its real width.
        self.table.resizeRowsToContents()

    def _example(self) -> None:
        self.value.setPlaceholderText(_EXAMPLES[RuleKey(self.key.currentData())]())

    def _remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.show_general_error(_("Hãy chọn một dòng trong bảng."))
            return
        key, value = self.rows[rows[0].row()]
        if value.is_default:
            self.show_general_error(_("Dòng có sẵn không xóa được; hãy thêm dòng mới từ tháng cần thay đổi."))
            return
        if confirm(self, _("Xóa định mức {label} từ tháng {month}?").format(
                label=key.label, month=mo.label(value.effective_from)), _("Xóa định mức"), _("Xóa")):
            if self.run_service(lambda: fees.remove_rule_value(value.id)):
                super(FeeDialog, self).done(1)

    def save(self) -> bool:
        issues: list[Issue] = []
        key = RuleKey(self.key.currentData())
        start = self.read_month("fee.from", self.from_month.text(), issues)
        value = None
        try:
            value = parse_text(key, self.value.text())
        except RuleValueError as exc:
            issues.append(Issue("fee.value", str(exc)))
        if issues:
            self.show_issues(issues)
            return False
        return self.run_service(lambda: fees.set_rule_value(key, from_month=start, value=value))
