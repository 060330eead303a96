"""Thêm / sửa hồ sơ đảng viên: every editable field, in three groups."""
from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QPlainTextEdit, QVBoxLayout

from app.domain.members import DATE_FIELDS, Issue, Member, Sex
from app.i18n import _
from app.services import members as member_service
from ui.dialogs import BaseDialog
from ui.widgets import DateField, text_width

_GROUPS = (
    (lambda: _("Thông tin cá nhân"), ("full_name", "sex", "birth_date", "ethnicity", "religion", "home_town",
                                      "residence", "occupation", "education", "professional_level", "citizen_id")),
    (lambda: _("Thông tin Đảng"), ("admission_date", "ceremony_date", "official_date", "card_number",
                                   "member_code", "party_post", "political_theory")),
    (lambda: _("Liên hệ & ghi chú"), ("phone", "notes")),
)

# The sex combo's items by position; Qt would hand an enum back as a plain str.
_SEXES = (None, *Sex)


class MemberDialog(BaseDialog):
    """Saves with add_member or update_member; warnings are kept in self.warnings for the caller to show."""

    @property
    def required_fields(self) -> tuple[str, ...]:
        return ("full_name", "birth_date", "admission_date") if self.member_id is None else ("full_name",)

    def __init__(self, member: Member | None, parent=None):
        title = _("Sửa hồ sơ đồng chí {name}").format(name=member.full_name) if member else _("Thêm đảng viên")
        super().__init__(title, parent)
        self.member = member or Member()
        self.member_id = member.id if member else None
        self.warnings: list[Issue] = []
        self.widgets = {}
        columns = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        for (title_of, group), column in zip(_GROUPS, (left, right, right)):
            # A single & in a group title would mark a keyboard shortcut and vanish.
            box = QGroupBox(title_of().replace("&", "&&"))
            form = QFormLayout(box)
            for name in group:
                self.widgets[name] = self.add_field(form, name, self._widget(name))
            column.addWidget(box)
        left.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        self.layout_.addLayout(columns)
        self.reason = QLineEdit()
        if self.member_id is not None:
            reason_form = QFormLayout()
            reason_form.addRow(_("Lý do sửa (nếu có)"), self.reason)
            self.layout_.addLayout(reason_form)
        self.setMinimumWidth(text_width(self, 130))
        self.finish_layout()

    def _widget(self, name: str):
        value = getattr(self.member, name)
        if name in DATE_FIELDS:
            return DateField(value)
        if name == "sex":
            combo = QComboBox()
            combo.addItems([_("(chưa ghi)"), *(sex.label for sex in _SEXES[1:])])
            combo.setCurrentIndex(_SEXES.index(value))
            return combo
        if name == "notes":
            edit = QPlainTextEdit(value)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 4 + 12)
            return edit
        return QLineEdit(value)

    def _read(self, issues: list[Issue]) -> Member:
        values = {}
        for name, widget in self.widgets.items():
            if name in DATE_FIELDS:
                values[name] = self.read_date(name, widget.text(), issues)
            elif name == "sex":
                values[name] = _SEXES[widget.currentIndex()]
            elif name == "notes":
                values[name] = widget.toPlainText()
            else:
                values[name] = widget.text()
        return dataclasses.replace(self.member, **values)

    def save(self) -> bool:
        issues: list[Issue] = []
        member = self._read(issues)
        if issues:
            self.show_issues(issues)
            return False
        if self.member_id is None:
            outcome = self.perform(lambda: member_service.add_member(member))
        else:
            outcome = self.perform(lambda: member_service.update_member(self.member_id, member, self.reason.text()))
        if outcome is None:
            return False
        result = outcome.value
        self.member, self.member_id, self.warnings = result.member, result.member.id, result.warnings
        return True
