"""Nhận gói của chi bộ: each .chibo file chosen is read without changing anything (superior_import.preview), what
it would do is shown with the fingerprint to compare by phone, and «Nhận» applies it. An encrypted package asks
its passphrase; a file that is no package shows why and nothing else happens."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from app.domain.issues import Issue
from app.domain.report_period import Period, PeriodError
from app.i18n import _
from app.services import package_crypto, superior_import
from app.services.errors import ServiceError
from ui.dialogs import BaseDialog, show_error
from ui.ops import error_text
from ui.reports.dialogs import PACKAGE_FILTER, ask_open_paths, privacy_labels
from ui.superior import packages_changed
from ui.widgets import scaled_font, text_width, warnings_list

_ENVELOPE_LIMIT = 64 * 1024


def status_labels() -> dict[str, str]:
    return {superior_import.NEW: _("Gói mới"), superior_import.UNCHANGED: _("Đã nhận từ trước"),
            superior_import.UPDATED: _("Gói cập nhật"), superior_import.OLDER: _("Gói cũ hơn"),
            superior_import.CONFLICT: _("Xung đột")}


def period_text(text: str) -> str:
    try:
        return Period.parse(text).label
    except (PeriodError, ValueError):
        return text


def fingerprint_label(fingerprint: str) -> QLabel:
    """The fingerprint large, in a fixed-width font, selectable: it is read out group by group on the phone."""
    label = QLabel(fingerprint)
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(scaled_font(label, 1.15).pointSizeF())
    font.setBold(True)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def needs_passphrase(data: bytes) -> bool:
    """True for a package sealed with a passphrase (its envelope says so); anything else is False."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo(package_crypto.ENVELOPE_NAME)
            if info.file_size > _ENVELOPE_LIMIT:
                return False
            header = json.loads(archive.read(info).decode("utf-8"))
    except Exception:  # noqa: BLE001 - not a sealed package: the preview says what is wrong with it
        return False
    return isinstance(header, dict) and header.get("method") == package_crypto.METHOD_PASSPHRASE


def explanation(plan: superior_import.ImportPlan) -> str:
    """What «Nhận» would do, in the Đảng ủy's words."""
    if plan.status == superior_import.NEW and plan.new_cell:
        return _("Chi bộ này gửi gói lần đầu. Máy sẽ ghi nhớ dấu vân tay khóa ký dưới đây; các gói sau của chi bộ "
                 "phải có đúng dấu vân tay này. Trước khi bấm «Nhận», hãy gọi điện cho bí thư chi bộ, nhờ đọc dấu "
                 "vân tay trên máy của chi bộ và so từng nhóm bốn ký tự.")
    if plan.status == superior_import.NEW:
        return _("Kỳ này chi bộ chưa gửi lần nào. Bấm «Nhận» để ghi số liệu của kỳ vào máy.")
    if plan.status == superior_import.UPDATED:
        return _("Chi bộ gửi lại kỳ này (gói số {new}) thay cho gói số {old} đã nhận. Bấm «Nhận» để dùng số liệu "
                 "mới; gói cũ vẫn được giữ trong máy.").format(new=plan.sequence, old=plan.replaces_sequence)
    if plan.status == superior_import.UNCHANGED:
        return _("Gói này đã được nhận trước đây; không có gì thay đổi.")
    if plan.status == superior_import.OLDER:
        return _("Máy đã có gói số {held} của kỳ này, mới hơn gói này; gói này không được nhận.").format(
            held=plan.held_sequence)
    return _("{reason} Có thể chi bộ đã đổi máy hoặc cài lại chương trình, cũng có thể gói không phải của chi bộ "
             "gửi. Bấm «Giữ lại» để gói nằm chờ ở mục «Xung đột chờ quyết định» trên trang Các chi bộ; hỏi chi bộ "
             "qua điện thoại rồi mới quyết định.").format(reason=plan.reason)


class ImportDialog(BaseDialog):
    """What one package would do, then «Nhận» (superior_import.apply); the Outcome in self.outcome."""

    settings_key = "SuperiorImportDialog"

    def __init__(self, plan: superior_import.ImportPlan, path: Path | None = None, parent: QWidget | None = None):
        takes = plan.status in (superior_import.NEW, superior_import.UPDATED, superior_import.CONFLICT)
        ok_text = _("Giữ lại") if plan.status == superior_import.CONFLICT else _("Nhận")
        super().__init__(_("Nhận gói của chi bộ"), parent, ok_text=ok_text)
        self.plan = plan
        self.outcome: superior_import.Outcome | None = None
        if path is not None:
            file_label = QLabel(_("Tệp: {file}").format(file=path.name))
            file_label.setToolTip(str(path))
            self.layout_.addWidget(file_label)
        self.status_label = QLabel(status_labels()[plan.status])
        self.status_label.setFont(scaled_font(self.status_label, 1.2, bold=True))
        colour = {superior_import.CONFLICT: "#a02020", superior_import.OLDER: "#805000",
                  superior_import.UNCHANGED: "#555555"}.get(plan.status, "#1d5c2a")
        self.status_label.setStyleSheet(f"color: {colour};")
        self.layout_.addWidget(self.status_label)
        self.explain = QLabel(explanation(plan))
        self.explain.setWordWrap(True)
        self.layout_.addWidget(self.explain)
        form = QFormLayout()
        form.addRow(_("Chi bộ"), QLabel(_("{name} (mã {code})").format(name=plan.cell_name, code=plan.cell_code)))
        form.addRow(_("Kỳ báo cáo"), QLabel(period_text(plan.period)))
        form.addRow(_("Gói số"), QLabel(str(plan.sequence)))
        form.addRow(_("Mức gửi"), QLabel(privacy_labels().get(plan.privacy, plan.privacy)))
        self.fingerprint = fingerprint_label(plan.fingerprint)
        form.addRow(_("Dấu vân tay khóa ký"), self.fingerprint)
        self.layout_.addLayout(form)
        if plan.warnings:
            box, self.warnings = warnings_list(_("Cần xem lại:"))
            for text in plan.warnings:
                self.warnings.addItem(text)
            self.layout_.addWidget(box)
        else:
            self.warnings = None
        if not takes:
            self.ok_button.hide()
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Đóng"))
        self.setMinimumWidth(text_width(self, 80))
        self.finish_layout()

    def save(self) -> bool:
        outcome = self.perform(lambda: superior_import.apply(self.plan))
        if outcome is None:
            return False
        self.outcome = outcome.value
        return True


class PassphraseDialog(BaseDialog):
    """The passphrase of a package the cell sealed with one; the package is opened here (self.plan)."""

    required_fields = ("passphrase",)

    def __init__(self, data: bytes, path: Path | None = None, parent: QWidget | None = None):
        super().__init__(_("Mật khẩu của gói"), parent, ok_text=_("Mở gói"))
        self.data = data
        self.plan: superior_import.ImportPlan | None = None
        note = QLabel(_("Gói {file} được chi bộ khóa bằng mật khẩu. Hãy gõ mật khẩu chi bộ đã báo qua điện "
                        "thoại.").format(file=f"«{path.name}»" if path else ""))
        note.setWordWrap(True)
        self.layout_.addWidget(note)
        form = QFormLayout()
        self.layout_.addLayout(form)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_field(form, "passphrase", self.passphrase, _("Mật khẩu"))
        self.setMinimumWidth(text_width(self, 60))
        self.finish_layout()

    def save(self) -> bool:
        self.clear_issues()
        if not self.passphrase.text():
            self.show_issues([Issue("passphrase", _("hãy gõ mật khẩu."))])
            return False
        try:
            self.plan = superior_import.preview(self.data, self.passphrase.text())
        except Exception as exc:  # noqa: BLE001 - a wrong passphrase, a damaged file: said under the field
            self.show_issues([Issue("passphrase", error_text(exc))])
            return False
        self.passphrase.clear()  # nothing asks to keep unsaved text: the passphrase is not work
        self.mark_clean()
        return True


def plan_for(parent: QWidget | None, path: Path) -> superior_import.ImportPlan | None:
    """The preview of one file, asking its passphrase when it has one; None (the reason shown) when it cannot be
    opened or the passphrase is not given."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        show_error(parent, _("Không đọc được tệp {file}:\n{error}").format(file=path, error=error_text(exc)))
        return None
    try:
        return superior_import.preview(data)
    except ServiceError as exc:
        if not needs_passphrase(data):
            show_error(parent, _("Tệp {file}:\n{error}").format(file=path.name, error=str(exc)),
                       _("Không nhận gói"))
            return None
    except Exception as exc:  # noqa: BLE001 - a file from outside: its fault is shown, never a traceback
        show_error(parent, _("Tệp {file}:\n{error}").format(file=path.name, error=error_text(exc)), _("Không nhận gói"))
        return None
    asked = PassphraseDialog(data, path, parent)
    try:
        return asked.plan if asked.exec() == QDialog.DialogCode.Accepted else None
    finally:
        asked.deleteLater()


def receive_files(parent: QWidget | None, paths: list[Path]) -> list[superior_import.Outcome]:
    """Each file in turn: its preview, then «Nhận»; the outcomes of the packages taken."""
    taken = []
    for path in paths:
        plan = plan_for(parent, Path(path))
        if plan is None:
            continue
        dialog = ImportDialog(plan, Path(path), parent)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.outcome is not None:
            taken.append(dialog.outcome)
        dialog.deleteLater()
    if taken:
        packages_changed()
    return taken


def ask_package_files(parent: QWidget | None) -> list[Path]:
    return ask_open_paths(parent, _("Chọn gói của chi bộ (một hoặc nhiều tệp)"), PACKAGE_FILTER, "package")


def outcome_text(outcome: superior_import.Outcome) -> str:
    plan = outcome.plan
    where = _("{name}, {period}, gói số {sequence}").format(name=plan.cell_name, period=period_text(plan.period),
                                                           sequence=plan.sequence)
    if outcome.conflict_id is not None:
        return _("Giữ lại chờ quyết định: {where}").format(where=where)
    if outcome.applied:
        return _("Đã nhận: {where}").format(where=where)
    return _("Không thay đổi: {where}").format(where=where)

