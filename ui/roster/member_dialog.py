"""Thêm / sửa hồ sơ đảng viên: every editable field, in three groups."""
from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain import stat_codes
from app.domain.members import DATE_FIELDS, Issue, JoinedCell, Joining, Member, Sex
from app.i18n import _
from app.services import members as member_service
from ui.dialogs import QWIDGETSIZE_MAX, BaseDialog
from ui.widgets import DateField, text_width

# The CCCD number sits with the card and record numbers (DOMAIN §4.4), which keeps the left column short
# enough for the «Bắt đầu sinh hoạt» rows of a new member at 150 % text on a 768-pixel screen.
_GROUPS = (
    (lambda: _("Thông tin cá nhân"), ("full_name", "sex", "birth_date", "ethnicity", "religion", "home_town",
                                      "residence", "occupation", "occupation_group", "education",
                                      "professional_level")),
    (lambda: _("Thông tin Đảng"), ("admission_date", "ceremony_date", "official_date", "card_number",
                                   "member_code", "citizen_id", "party_post", "political_theory",
                                   "youth_union")),
    (lambda: _("Liên hệ & ghi chú"), ("phone", "notes")),
)

# The sex combo's items by position; Qt would hand an enum back as a plain str.
_SEXES = (None, *Sex)
# Đoàn viên thanh niên by position: not recorded, yes, no.
_YOUTH = (None, True, False)
# Text fields the statistics read by a code list (app/domain/stat_codes.py): their words are offered.
_CODED_TEXT = {"education": stat_codes.EDUCATION, "professional_level": stat_codes.PROFESSIONAL,
               "political_theory": stat_codes.THEORY}


class _FormScroll(QScrollArea):
    """Asks for the height of the whole form, so the dialog opens showing all of it when the screen allows."""

    def __init__(self, parent=None):
        super().__init__(parent)
        # The fields take the focus, not the frame around them: the dialog opens in Họ và tên, ready to type.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def sizeHint(self) -> QSize:
        body = self.widget()
        hint = body.sizeHint()
        width = self.viewport().width() if self.isVisible() else hint.width()
        height = body.heightForWidth(width) if body.hasHeightForWidth() else hint.height()
        return QSize(hint.width() + self.verticalScrollBar().sizeHint().width(), max(height, hint.height()))


class MemberDialog(BaseDialog):
    """Saves with add_member or update_member; warnings are kept in self.warnings for the caller to show."""

    area = "member"

    @property
    def required_fields(self) -> tuple[str, ...]:
        if self.member_id is not None:
            return ("full_name",)
        start = "transfer_date" if self._how() is JoinedCell.TRANSFERRED else "admission_date"
        return "full_name", "birth_date", start

    def __init__(self, member: Member | None, parent=None, today: dt.date | None = None):
        title = _("Sửa hồ sơ đồng chí {name}").format(name=member.full_name) if member else _("Thêm đảng viên")
        super().__init__(title, parent)
        self.member = member or Member()
        self.member_id = member.id if member else None
        self.today = today or dt.date.today()
        self.warnings: list[Issue] = []
        self.widgets = {}
        columns = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        self.joined: dict[JoinedCell, QRadioButton] = {}
        for index, ((title_of, group), column) in enumerate(zip(_GROUPS, (left, right, right))):
            # A single & in a group title would mark a keyboard shortcut and vanish.
            box = QGroupBox(title_of().replace("&", "&&"))
            form = QFormLayout(box)
            for name in group:
                self.widgets[name] = self.add_field(form, name, self._widget(name))
            column.addWidget(box)
            if index == 0 and self.member_id is None:
                # Here, so Tab reaches it between the person and the Party dates it decides; rows of this form
                # rather than a box of their own, so the dialog stays within 768 pixels at 150 % text.
                self._add_joining(form)
        self.widgets["occupation"].textEdited.connect(self._suggest_group)
        # A group the secretary picks is never replaced by a suggestion.
        self.widgets["occupation_group"].activated.connect(
            lambda _index: self.widgets["occupation_group"].setProperty("suggested", False))
        left.addStretch(1)
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        # At 150 % text on a 768-pixel screen a form full of red notes is taller than the screen: the fields
        # scroll, the notes and the buttons stay in sight.
        body = QWidget()
        body.setLayout(columns)
        columns.setContentsMargins(0, 0, 0, 0)
        scroll = _FormScroll()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.layout_.addWidget(scroll, 1)
        self.reason = QLineEdit()
        if self.member_id is not None:
            reason_form = QFormLayout()
            reason_form.addRow(_("Lý do sửa (nếu có)"), self.reason)
            self.layout_.addLayout(reason_form)
        # Wide enough for both columns, yet never wider than a 1366-pixel screen with large text.
        screen = self.screen().availableGeometry().width() if self.screen() else QWIDGETSIZE_MAX
        self.setMinimumWidth(min(text_width(self, 130), screen - 40))
        self.finish_layout()
        self._joining_chosen()

    def _add_joining(self, form: QFormLayout) -> None:
        """Bắt đầu sinh hoạt tại chi bộ: admitted here, or transferred in with the letter's number and date."""
        choice = QWidget()
        row = QHBoxLayout(choice)
        row.setContentsMargins(0, 0, 0, 0)
        group = QButtonGroup(choice)
        for how in JoinedCell:
            button = QRadioButton(how.label)
            group.addButton(button)
            row.addWidget(button)
            self.joined[how] = button
            button.toggled.connect(self._joining_chosen)
        row.addStretch(1)
        self.joined[JoinedCell.ADMITTED].setChecked(True)
        self.add_field(form, "joined_cell", choice, _("Bắt đầu sinh hoạt"))
        self.transfer_form = form
        self.transfer_number = self.add_field(form, "transfer_number", QLineEdit())
        self.transfer_number.setPlaceholderText(_("ví dụ: 125-GGT/ĐU"))
        # The date and where from share one row, so the dialog keeps its height at 150 % text.
        self.transfer_date = DateField()
        self.transfer_scope = QComboBox()
        for text, code in ((_("từ đâu: chưa ghi"), ""), (_("từ tỉnh, thành phố khác"), "tinh_khac"),
                           (_("từ đơn vị khác trong tỉnh"), "trong_tinh")):
            self.transfer_scope.addItem(text, code)
        self.transfer_scope.setToolTip(_("Cho Biểu số 1: chuyển đến từ tỉnh khác hay trong tỉnh"))
        when = QWidget()
        line = QHBoxLayout(when)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.transfer_date)
        line.addWidget(self.transfer_scope, 1)
        self.transfer_row = self.add_field(form, "transfer_date", when)
        self._field_widgets[self.field_key("transfer_date")] = self.transfer_date
        self._captions[self.field_key("transfer_date")].setBuddy(self.transfer_date)

    def _how(self) -> JoinedCell:
        checked = [how for how, button in self.joined.items() if button.isChecked()]
        return checked[0] if checked else JoinedCell.ADMITTED

    def _joining_chosen(self) -> None:
        if self.member_id is not None or not hasattr(self, "transfer_form"):
            return
        transferred = self._how() is JoinedCell.TRANSFERRED
        for widget in (self.transfer_number, self.transfer_row):
            self.transfer_form.setRowVisible(widget.parentWidget(), transferred)
        self.update_required_marks()
        if self.isVisible():
            self.grow_to_fit()

    def _widget(self, name: str):
        value = getattr(self.member, name)
        if name in DATE_FIELDS:
            return DateField(value)
        if name == "sex":
            combo = QComboBox()
            combo.addItems([_("(chưa ghi)"), *(sex.label for sex in _SEXES[1:])])
            combo.setCurrentIndex(_SEXES.index(value))
            return combo
        if name == "occupation_group":
            combo = QComboBox()
            combo.addItem(_("Chưa rõ"), "")
            for code, label in stat_codes.choices(stat_codes.OCCUPATION_GROUPS):
                combo.addItem(label, code)
                combo.setItemData(combo.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
            # The groups' names are long: the list shows them whole, the closed box as far as its column allows.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
            combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
            found = combo.findData(value or "")
            combo.setCurrentIndex(found if found >= 0 else 0)
            return combo
        if name == "youth_union":
            combo = QComboBox()
            combo.addItems([_("Chưa rõ"), _("Có"), _("Không")])
            combo.setCurrentIndex(_YOUTH.index(value))
            return combo
        if name in _CODED_TEXT:
            # The statistics forms' words are offered as the secretary types; any other text is kept as typed.
            edit = QLineEdit(value)
            completer = QCompleter([label for _code, label in stat_codes.choices(_CODED_TEXT[name])], edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            edit.setCompleter(completer)
            edit.setToolTip(_("Theo danh mục của biểu thống kê: {labels}").format(
                labels=", ".join(label for _code, label in stat_codes.choices(_CODED_TEXT[name]))))
            return edit
        if name == "notes":
            edit = QPlainTextEdit(value)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 4 + 12)
            return edit
        return QLineEdit(value)

    def _suggest_group(self, text: str) -> None:
        """While the group is still «Chưa rõ», the free occupation suggests one (hưu trí → Nghỉ hưu, thôi việc)."""
        combo = self.widgets["occupation_group"]
        if combo.currentIndex() <= 0 or combo.property("suggested"):
            found = combo.findData(stat_codes.classify(stat_codes.OCCUPATION_GROUPS, text))
            combo.setCurrentIndex(max(found, 0))
            combo.setProperty("suggested", found > 0)

    def _read(self, issues: list[Issue]) -> Member:
        values = {}
        for name, widget in self.widgets.items():
            if name == "birth_date" and self.member_id is None:
                values[name] = self.read_date(name, widget.text(), issues, missing=_("cần ghi ngày sinh."))
            elif name in DATE_FIELDS:
                values[name] = self.read_date(name, widget.text(), issues)
            elif name == "sex":
                values[name] = _SEXES[widget.currentIndex()]
            elif name == "occupation_group":
                values[name] = widget.currentData() or ""
            elif name == "youth_union":
                values[name] = _YOUTH[widget.currentIndex()]
            elif name == "notes":
                values[name] = widget.toPlainText()
            else:
                values[name] = widget.text()
        return dataclasses.replace(self.member, **values)

    def _joining(self, issues: list[Issue]) -> Joining:
        if self._how() is JoinedCell.ADMITTED:
            return Joining(JoinedCell.ADMITTED)
        day = self.read_date("transfer_date", self.transfer_date.text(), issues)
        scope = self.transfer_scope.currentData() or ""
        return Joining(JoinedCell.TRANSFERRED, self.transfer_number.text(), day, scope)

    def save(self) -> bool:
        issues: list[Issue] = []
        member = self._read(issues)
        joining = self._joining(issues) if self.member_id is None else None
        if issues:
            # Everything at once: what the record would be refused for too, not only what could not be read.
            named = {i.field for i in issues}
            issues += [i for i in member_service.check_member(member, self.today, self.member_id, joining=joining)
                       if i.is_error and i.field not in named]
            self.show_issues(issues)
            return False
        if self.member_id is None:
            outcome = self.perform(lambda: member_service.add_member(member, joining=joining, today=self.today))
        else:
            outcome = self.perform(lambda: member_service.update_member(self.member_id, member, self.reason.text(),
                                                                         today=self.today))
        if outcome is None:
            return False
        result = outcome.value
        self.member, self.member_id, self.warnings = result.member, result.member.id, result.warnings
        return True
