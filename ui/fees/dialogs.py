"""Dialogs of the Đảng phí page: a payment, a member's fee profile, an exemption or reduction, a good reason,
a remittance upward. Each saves through one service call and shows its messages under the fields."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPushButton, QWidget

from app.domain import months as mo
from app.domain.dates import Month
from app.domain.fee_rules import REGIONS, region_label
from app.domain.fees import REDUCTION_PERCENTS, Channel, FeeCategory, ReliefKind
from app.domain.members import Issue, Member
from app.domain.money import format_money, format_number, parse_money
from app.i18n import _
from app.services import fees
from app.services.errors import ServiceError
from ui.dialogs import BaseDialog, confirm
from ui.widgets import DateField, read_only_table, text_width


class FeeDialog(BaseDialog):
    """Shared pieces: month and money fields read with a message naming the field."""

    def month_field(self, month: Month | None) -> QLineEdit:
        edit = QLineEdit(mo.label(month) if month else "")
        edit.setPlaceholderText(_("tháng/năm, ví dụ 02/2026"))
        # Fixed to its placeholder's width: a short box says "a month goes here", and the example shows whole.
        edit.setFixedWidth(edit.fontMetrics().horizontalAdvance(edit.placeholderText()) + text_width(edit, 4))
        return edit

    def money_field(self, amount: int | None) -> QLineEdit:
        edit = QLineEdit(format_number(amount) if amount else "")
        edit.setPlaceholderText(_("số đồng, ví dụ 15.930"))
        edit.setFixedWidth(edit.fontMetrics().horizontalAdvance(edit.placeholderText()) + text_width(edit, 4))
        return edit

    def read_month(self, name: str, text: str, issues: list[Issue], required: bool = True) -> Month | None:
        return self.read_field(name, text, mo.parse_month, issues, _("cần nhập tháng.") if required else "",
                               _("«{text}» không phải tháng hợp lệ; gõ tháng/năm, ví dụ 02/2026."))

    def read_money(self, name: str, text: str, issues: list[Issue], required: bool = True) -> int | None:
        return self.read_field(name, text, parse_money, issues, _("cần nhập số tiền.") if required else "")

    # A service message about a field this dialog shows under another name (e.g. "Tháng" → "Đóng cho tháng").
    field_aliases: dict[str, str] = {}

    def run_service(self, call) -> bool:
        """Save through the window's one runner (BaseDialog.perform): field messages under the fields, any
        other failure in one box, and every page told what changed. The service's value is kept."""
        outcome = self.perform(call)
        if outcome is None:
            return False
        self.result_value = outcome.value
        return True

    def show_issues(self, issues: list[Issue]) -> None:
        super().show_issues([Issue(self.field_aliases.get(i.field, i.field), i.message, i.is_error) for i in issues])


class PaymentDialog(FeeDialog):
    """Thu đảng phí: any amount, one or several months, cash or the Portal with its reference."""

    settings_key = "FeePaymentDialog"
    field_aliases = {"fee.month": "fee.from", "fee.member": "fee.from"}

    def __init__(self, member: Member, month: Month, amount: int | None, today: dt.date, parent: QWidget | None = None):
        super().__init__(_("Thu đảng phí — {name}").format(name=member.full_name), parent, _("Ghi khoản thu"))
        self.member, self.today = member, today
        form = QFormLayout()
        self.layout_.addLayout(form)
        self.month_from = self.add_field(form, "fee.from", self.month_field(month), _("Đóng cho tháng"))
        self.month_to = self.add_field(form, "fee.to", self.month_field(month), _("Đến tháng"))
        self.amount = self.add_field(form, "fee.amount", self.money_field(amount))
        self.paid_on = self.add_field(form, "fee.paid_on", DateField(today))
        self.channel = QComboBox()
        for channel in Channel:
            self.channel.addItem(channel.label, channel.value)
        self.add_field(form, "fee.channel", self.channel)
        self.reference = self.add_field(form, "fee.reference", QLineEdit())
        self.reference.setPlaceholderText(_("mã giao dịch trên Cổng Dịch vụ công (nếu nộp qua Cổng)"))
        self.received_by = self.add_field(form, "fee.received_by", QLineEdit(fees.collector_name()), _("Người thu"))
        self.note = self.add_field(form, "fee.note", QLineEdit(), _("Ghi chú"))
        self.setMinimumWidth(text_width(self, 70))
        self.finish_layout()

    def save(self) -> bool:
        issues: list[Issue] = []
        start = self.read_month("fee.from", self.month_from.text(), issues)
        end = self.read_month("fee.to", self.month_to.text(), issues, required=False) or start
        amount = self.read_money("fee.amount", self.amount.text(), issues)
        day = self.read_date("fee.paid_on", self.paid_on.text(), issues) or self.today
        if issues:
            self.show_issues(issues)
            return False
        if not self._amount_confirmed(amount, start, end):
            return False
        return self.run_service(lambda: fees.record_payment(
            self.member.id, amount=amount, month_from=start, month_to=end, paid_on=day,
            channel=self.channel.currentData(), reference=self.reference.text(),
            received_by=self.received_by.text(), note=self.note.text(), today=self.today))

    def _amount_confirmed(self, amount: int, start: Month, end: Month) -> bool:
        """An amount far from what the months call for is recorded only when the secretary says so."""
        try:
            question = fees.amount_question(self.member.id, amount=amount, month_from=start, month_to=end,
                                            today=self.today)
        except ServiceError:
            return True  # the payment itself is refused next, with its reason under the field
        if question is None or confirm(self, question, _("Số tiền khác xa số phải đóng"), _("Vẫn ghi")):
            return True
        self.amount.setFocus()
        self.amount.selectAll()
        return False


class ProfileDialog(FeeDialog):
    """Đối tượng đóng đảng phí: the member's history, and a new line from a month on."""

    settings_key = "FeeProfileDialog"

    def __init__(self, member: Member, month: Month, today: dt.date, parent: QWidget | None = None):
        super().__init__(_("Đối tượng đóng đảng phí — {name}").format(name=member.full_name), parent)
        self.member, self.today = member, today
        history = fees.profiles(member.id)
        if history:
            rows = [[mo.label(p.effective_from), p.category.label,
                     format_money(p.basis) if p.basis is not None else "",
                     region_label(p.region) if p.region else "", p.note] for p in history]
            table = read_only_table([_("Từ tháng"), _("Đối tượng"), _("Thu nhập"), _("Vùng"), _("Ghi chú")], rows)
            table.setMaximumHeight(table.verticalHeader().length() + table.horizontalHeader().height() + 8)
            self.layout_.addWidget(QLabel(_("Đã khai (dòng sau thay dòng trước từ tháng của nó):")))
            self.layout_.addWidget(table)
        last = history[-1] if history else None
        form = QFormLayout()
        self.layout_.addLayout(form)
        self.category = QComboBox()
        for category in FeeCategory:
            self.category.addItem(category.label, category.value)
        if last is not None:
            self.category.setCurrentIndex(list(FeeCategory).index(last.category))
        self.add_field(form, "fee.category", self.category)
        self.from_month = self.add_field(form, "fee.from", self.month_field(month))
        self.basis = self.add_field(form, "fee.basis", self.money_field(last.basis if last else None))
        self.region = QComboBox()
        for region in REGIONS:
            self.region.addItem(region_label(region), region)
        self.region.setCurrentIndex((last.region or 1) - 1 if last and last.region else 0)
        self.add_field(form, "fee.region", self.region)
        self.note = self.add_field(form, "fee.note", QLineEdit(), _("Ghi chú"))
        self.category.currentIndexChanged.connect(self._enable)
        self._enable()
        self.setMinimumWidth(text_width(self, 80))
        self.finish_layout()

    def _enable(self) -> None:
        category = FeeCategory(self.category.currentData())
        self.basis.setEnabled(category.needs_basis)
        self.region.setEnabled(category is FeeCategory.OTHER)

    def save(self) -> bool:
        issues: list[Issue] = []
        category = FeeCategory(self.category.currentData())
        start = self.read_month("fee.from", self.from_month.text(), issues)
        basis = self.read_money("fee.basis", self.basis.text(), issues, required=False) if category.needs_basis else None
        if issues:
            self.show_issues(issues)
            return False
        region = self.region.currentData() if category is FeeCategory.OTHER else None
        return self.run_service(lambda: fees.set_profile(self.member.id, category, from_month=start, basis=basis,
                                                         region=region, note=self.note.text(), today=self.today))


class ReliefDialog(FeeDialog):
    """Miễn, giảm đảng phí: the decisions on record, and a new one (≤ 12 months, no overlap)."""

    settings_key = "FeeReliefDialog"

    def __init__(self, member: Member, month: Month, parent: QWidget | None = None):
        super().__init__(_("Miễn, giảm đảng phí — {name}").format(name=member.full_name), parent)
        self.member = member
        self.existing = fees.reliefs(member.id)
        if self.existing:
            rows = [[r.describe(), r.reason, r.decision] for r in self.existing]
            self.table = read_only_table([_("Quyết định"), _("Lý do"), _("Số, ngày quyết định")], rows)
            self.table.setMaximumHeight(self.table.verticalHeader().length() + self.table.horizontalHeader().height() + 8)
            self.layout_.addWidget(self.table)
            self.cancel_button = QPushButton(_("Hủy quyết định đang chọn…"))
            self.cancel_button.clicked.connect(self._cancel_selected)
            self.layout_.addWidget(self.cancel_button)
        form = QFormLayout()
        self.layout_.addLayout(form)
        self.kind = QComboBox()
        for kind in ReliefKind:
            self.kind.addItem(kind.label, kind.value)
        self.add_field(form, "fee.kind", self.kind, _("Loại"))
        self.percent = QComboBox()
        for percent in REDUCTION_PERCENTS:
            self.percent.addItem(f"{percent}%", percent)
        self.add_field(form, "fee.percent", self.percent)
        self.from_month = self.add_field(form, "fee.from", self.month_field(month))
        self.to_month = self.add_field(form, "fee.to", self.month_field(month.add(11)))
        self.reason = self.add_field(form, "fee.reason", QLineEdit())
        self.reason.setPlaceholderText(_("ví dụ: hộ cận nghèo năm 2026"))
        self.decision = self.add_field(form, "fee.decision", QLineEdit(), _("Số, ngày quyết định"))
        self.kind.currentIndexChanged.connect(self._enable)
        self._enable()
        self.setMinimumWidth(text_width(self, 80))
        self.finish_layout()

    def _enable(self) -> None:
        self.percent.setEnabled(ReliefKind(self.kind.currentData()) is ReliefKind.REDUCTION)

    def _cancel_selected(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.show_general_error(_("Hãy chọn một quyết định trong bảng."))
            return
        relief = self.existing[rows[0].row()]
        reason, ok = QInputDialog.getText(self, _("Hủy quyết định"), _("Lý do hủy «{what}»:").format(
            what=relief.describe()))
        if ok and self.run_service(lambda: fees.cancel_relief(relief.id, reason)):
            self.accept_without_saving()

    def accept_without_saving(self) -> None:
        super(BaseDialog, self).accept()

    def save(self) -> bool:
        issues: list[Issue] = []
        kind = ReliefKind(self.kind.currentData())
        start = self.read_month("fee.from", self.from_month.text(), issues)
        end = self.read_month("fee.to", self.to_month.text(), issues, required=kind is not ReliefKind.SOCIAL_PENSION)
        if issues:
            self.show_issues(issues)
            return False
        percent = self.percent.currentData() if kind is ReliefKind.REDUCTION else None
        return self.run_service(lambda: fees.add_relief(self.member.id, kind, from_month=start, to_month=end,
                                                        percent=percent, reason=self.reason.text(),
                                                        decision=self.decision.text()))


class ExcuseDialog(FeeDialog):
    """Lý do chính đáng: the month no longer counts towards the three-month warning."""

    settings_key = "FeeExcuseDialog"

    def __init__(self, member: Member, month: Month, parent: QWidget | None = None):
        super().__init__(_("Lý do chính đáng — {name}").format(name=member.full_name), parent)
        self.member = member
        form = QFormLayout()
        self.layout_.addLayout(form)
        self.month = self.add_field(form, "fee.month", self.month_field(month))
        self.reason = self.add_field(form, "fee.reason", QLineEdit())
        self.reason.setPlaceholderText(_("ví dụ: nằm viện điều trị cả tháng"))
        self.setMinimumWidth(text_width(self, 70))
        self.finish_layout()

    def save(self) -> bool:
        issues: list[Issue] = []
        month = self.read_month("fee.month", self.month.text(), issues)
        if issues:
            self.show_issues(issues)
            return False
        return self.run_service(lambda: fees.add_excuse(self.member.id, month, reason=self.reason.text()))


class RemittanceDialog(FeeDialog):
    """Nộp đảng phí lên cấp trên for a month; the amount offered is what is still to send."""

    settings_key = "FeeRemittanceDialog"

    def __init__(self, month: Month, amount: int, today: dt.date, parent: QWidget | None = None):
        super().__init__(_("Nộp đảng phí lên cấp trên"), parent, _("Ghi khoản nộp"))
        self.today = today
        form = QFormLayout()
        self.layout_.addLayout(form)
        self.month = self.add_field(form, "fee.month", self.month_field(month), _("Đảng phí tháng"))
        self.amount = self.add_field(form, "fee.amount", self.money_field(amount if amount > 0 else None))
        self.paid_on = self.add_field(form, "fee.paid_on", DateField(today))
        self.channel = QComboBox()
        for channel in Channel:
            self.channel.addItem(channel.label, channel.value)
        self.add_field(form, "fee.channel", self.channel)
        self.reference = self.add_field(form, "fee.reference", QLineEdit())
        self.setMinimumWidth(text_width(self, 60))
        self.finish_layout()

    def save(self) -> bool:
        issues: list[Issue] = []
        month = self.read_month("fee.month", self.month.text(), issues)
        amount = self.read_money("fee.amount", self.amount.text(), issues)
        day = self.read_date("fee.paid_on", self.paid_on.text(), issues) or self.today
        if issues:
            self.show_issues(issues)
            return False
        return self.run_service(lambda: fees.add_remittance(month, amount=amount, paid_on=day,
                                                            channel=self.channel.currentData(),
                                                            reference=self.reference.text(), today=self.today))
