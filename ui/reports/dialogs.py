"""The dialogs of the Báo cáo page: what a report or package sends (privacy), the package sent upward with its
encryption and file, the package the Đảng ủy sends back, and reopening an accepted period."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.issues import Issue
from app.domain.report_period import Period
from app.i18n import _
from app.services import keys, package_export, period_lock
from app.services.errors import ServiceError
from ui.dialogs import BaseDialog
from ui.files import ask_save_path, remember_folder, remembered_folder, set_vietnamese_labels
from ui.ops import error_text
from ui.widgets import text_width

PACKAGE_FILTER = _("Gói gửi cấp trên (*.chibo)")
KEY_FILTER = _("Tệp khóa công khai (*.json *.key *.txt);;Mọi tệp (*)")
NO_ENCRYPTION, TO_KEY, PASSPHRASE = "none", "key", "passphrase"
MIN_PASSPHRASE = 8


def privacy_labels() -> dict[str, str]:
    return {"aggregate": _("Chỉ số liệu tổng hợp"), "roster": _("Kèm danh sách đảng viên"),
            "full": _("Kèm toàn bộ hồ sơ")}


def privacy_sentences() -> dict[str, str]:
    """What goes out at each level, as the secretary needs to know it before sending."""
    return {
        "aggregate": _("Chỉ gửi các con số: biểu thống kê, số buổi sinh hoạt và số người có mặt, số đảng phí thu "
                       "và nộp, số đảng viên mỗi mức xếp loại. Không có tên người nào."),
        "roster": _("Gửi thêm danh sách đảng viên: họ tên, giới tính, ngày sinh, số thẻ, ngày vào Đảng, ngày "
                    "chính thức, chức vụ, các lần đổi tình trạng, huy hiệu, khen thưởng và mức xếp loại của "
                    "từng đồng chí. Không có điện thoại, địa chỉ, số CCCD."),
        "full": _("Gửi cả hồ sơ: như trên, thêm dân tộc, tôn giáo, quê quán, nơi ở, nghề nghiệp, trình độ, số "
                  "CCCD, điện thoại và ghi chú. Chỉ chọn khi Đảng ủy yêu cầu."),
    }


class PrivacyChoice(QWidget):
    """Three choices, and under them the sentence saying what the one chosen sends; aggregate first and chosen."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for level, text in privacy_labels().items():
            button = QRadioButton(text)
            self.group.addButton(button)
            self.buttons[level] = button
            button.toggled.connect(self._chosen)
            column.addWidget(button)
        self.sentence = QLabel()
        self.sentence.setWordWrap(True)
        self.sentence.setStyleSheet("background: #eef3fa; border: 1px solid #c5d3e8; padding: 6px;")
        column.addWidget(self.sentence)
        self.buttons["aggregate"].setChecked(True)

    def _chosen(self) -> None:
        self.sentence.setText(privacy_sentences()[self.value()])

    def value(self) -> str:
        return next((level for level, button in self.buttons.items() if button.isChecked()), "aggregate")

    def set_value(self, level: str) -> None:
        self.buttons[level].setChecked(True)


def ask_open_paths(parent: QWidget | None, title: str, file_filter: str, area: str, many: bool = True) -> list[Path]:
    """Qt's non-native open dialog in Vietnamese, in the area's remembered folder; the files chosen (one unless
    many), or none."""
    dialog = QFileDialog(parent, title, str(remembered_folder(area)), file_filter)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles if many else QFileDialog.FileMode.ExistingFile)
    set_vietnamese_labels(dialog, _("&Mở"))
    dialog.resize(max(dialog.width(), 860), max(dialog.height(), 520))
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return []
        paths = [Path(name) for name in dialog.selectedFiles()]
    finally:
        dialog.deleteLater()
    remember_folder(paths[0].parent, area)
    return paths


def ask_open_path(parent: QWidget | None, title: str, file_filter: str, area: str) -> Path | None:
    """Qt's non-native open dialog in Vietnamese, in the area's remembered folder; the file chosen or None."""
    chosen = ask_open_paths(parent, title, file_filter, area, many=False)
    return chosen[0] if chosen else None


def ask_return_file(parent: QWidget | None) -> Path | None:
    return ask_open_path(parent, _("Chọn gói Đảng ủy gửi về"), PACKAGE_FILTER, "package")


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class ReportPrivacyDialog(BaseDialog):
    """Báo cáo Excel cho cấp trên: which level of detail the workbook carries."""

    def __init__(self, period: Period, parent=None):
        super().__init__(_("Báo cáo Excel cho cấp trên — {period}").format(period=period.label), parent,
                         ok_text=_("Tiếp tục…"))
        self.layout_.addWidget(_note(_("Tệp Excel gồm biểu thống kê, danh sách hoặc số đảng viên, các thay đổi "
                                       "trong kỳ, sinh hoạt, đảng phí và kết quả xếp loại. Chọn mức chi tiết:")))
        self.choice = PrivacyChoice()
        self.layout_.addWidget(self.choice)
        self.setMinimumWidth(text_width(self, 70))
        self.finish_layout()

    def privacy(self) -> str:
        return self.choice.value()


def exported_message(exported: package_export.Exported) -> str:
    """What the secretary reads after the package is written: its number, and the fingerprint to read out."""
    info = exported.to_json()
    how = {"key": _("đã mã hóa bằng khóa của Đảng ủy"), "passphrase": _("đã khóa bằng mật khẩu"),
           "": _("không mã hóa")}[exported.encrypted]
    return _("Đã lập gói số {sequence} ({period}), {how}, vào tệp:\n{file}\n\n"
             "Mã nhận dạng chữ ký của chi bộ:\n{fingerprint}\n\n"
             "Khi gửi gói lần đầu, hoặc khi Đảng ủy hỏi, hãy gọi điện đọc mã này cho Đảng ủy, từng nhóm bốn ký tự. "
             "Đảng ủy so với mã hiện trên máy của họ: trùng khớp thì gói đúng là của chi bộ gửi.").format(
        sequence=info["sequence"], period=Period.parse(info["period"]).label, how=how,
        file=info["path"] or "", fingerprint=info["fingerprint"])


class PackageDialog(BaseDialog):
    """Lập gói gửi cấp trên: privacy, encryption (none, to the Đảng ủy's key, a passphrase), the file; saving
    calls package_export.export_package and keeps the result in self.exported."""

    settings_key = "PackageDialog"

    def __init__(self, period: Period, parent=None, today: dt.date | None = None):
        super().__init__(_("Lập gói gửi cấp trên — {period}").format(period=period.label), parent,
                         ok_text=_("Lập gói"))
        self.period = period
        self.today = today or dt.date.today()
        self.exported: package_export.Exported | None = None
        self.layout_.addWidget(_note(_("Gói là một tệp có chữ ký của chi bộ, gửi cho Đảng ủy qua USB hoặc thư điện "
                                       "tử. Số liệu trong gói là số liệu {period} đang lưu trong máy.").format(
            period=period.label)))
        privacy_box = QGroupBox(_("Gửi những gì"))
        column = QVBoxLayout(privacy_box)
        self.privacy = PrivacyChoice()
        column.addWidget(self.privacy)
        self.layout_.addWidget(privacy_box)
        self.layout_.addWidget(self._build_encryption())
        form = QFormLayout()
        self.layout_.addLayout(form)
        self.path = QLineEdit()
        self.path.setPlaceholderText(_("bấm «Chọn…» để chọn nơi lưu"))
        self.path.setText(str(remembered_folder("package") / f"goi-bao-cao-{period}.chibo"))
        self.add_field(form, "path", self._with_button(self.path, self._choose_path), _("Lưu gói vào tệp"))
        self._field_widgets["path"] = self.path
        self.setMinimumWidth(text_width(self, 85))
        self.finish_layout()
        self._encryption_chosen()

    def _with_button(self, edit: QLineEdit, slot: Callable[[], None]) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        button = QPushButton(_("Chọn…"))
        button.clicked.connect(slot)
        row.addWidget(button)
        return box

    def _build_encryption(self) -> QGroupBox:
        box = QGroupBox(_("Mã hóa"))
        form = QFormLayout(box)
        self.encryption: dict[str, QRadioButton] = {}
        group = QButtonGroup(box)
        for value, text in ((NO_ENCRYPTION, _("Không mã hóa (ai có tệp cũng đọc được)")),
                            (TO_KEY, _("Theo khóa của Đảng ủy (chỉ máy của Đảng ủy mở được)")),
                            (PASSPHRASE, _("Theo mật khẩu (báo mật khẩu cho Đảng ủy bằng điện thoại)"))):
            button = QRadioButton(text)
            group.addButton(button)
            self.encryption[value] = button
            button.toggled.connect(self._encryption_chosen)
            form.addRow(button)
        self.encryption[NO_ENCRYPTION].setChecked(True)
        self.key_path = QLineEdit()
        self.key_path.setPlaceholderText(_("tệp khóa công khai Đảng ủy gửi cho chi bộ"))
        self.key_row = self._with_button(self.key_path, self._choose_key)
        self.add_field(form, "key_file", self.key_row, _("Tệp khóa của Đảng ủy"))
        self._field_widgets["key_file"] = self.key_path
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(_("ít nhất {count} ký tự").format(count=MIN_PASSPHRASE))
        self.add_field(form, "passphrase", self.passphrase, _("Mật khẩu"))
        self.passphrase_again = QLineEdit()
        self.passphrase_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_field(form, "passphrase_again", self.passphrase_again, _("Gõ lại mật khẩu"))
        self.encryption_form = form
        return box

    def method(self) -> str:
        return next(value for value, button in self.encryption.items() if button.isChecked())

    def _encryption_chosen(self) -> None:
        if not hasattr(self, "encryption_form"):
            return
        method = self.method()
        self.encryption_form.setRowVisible(self.key_row.parentWidget(), method == TO_KEY)
        for edit in (self.passphrase, self.passphrase_again):
            self.encryption_form.setRowVisible(edit.parentWidget(), method == PASSPHRASE)
        if self.isVisible():
            self.grow_to_fit()

    def _choose_key(self) -> None:
        path = ask_open_path(self, _("Chọn tệp khóa của Đảng ủy"), KEY_FILTER, "keys")
        if path is not None:
            self.key_path.setText(str(path))

    def _choose_path(self) -> None:
        current = Path(self.path.text()) if self.path.text().strip() else None
        path = ask_save_path(self, title=_("Lưu gói gửi cấp trên"), file_filter=PACKAGE_FILTER, area="package",
                             suggested_name=current.name if current else f"goi-bao-cao-{self.period}.chibo")
        if path is not None:
            self.path.setText(str(path))

    def save(self) -> bool:
        issues: list[Issue] = []
        method = self.method()
        to_key, passphrase = None, None
        if method == TO_KEY:
            if not self.key_path.text().strip():
                issues.append(Issue("key_file", _("hãy chọn tệp khóa Đảng ủy gửi cho chi bộ.")))
            else:
                try:
                    to_key = keys.read_public_key_file(self.key_path.text().strip(), purpose=keys.EXCHANGE)
                except ServiceError as exc:
                    issues.append(Issue("key_file", str(exc)))
        elif method == PASSPHRASE:
            passphrase = self.passphrase.text()
            if len(passphrase) < MIN_PASSPHRASE:
                issues.append(Issue("passphrase", _("cần ít nhất {count} ký tự.").format(count=MIN_PASSPHRASE)))
            elif passphrase != self.passphrase_again.text():
                issues.append(Issue("passphrase_again", _("hai lần gõ không giống nhau.")))
        text = self.path.text().strip()
        if not text:
            issues.append(Issue("path", _("hãy chọn nơi lưu gói.")))
        path = Path(text) if text else None
        if path is not None and path.suffix.lower() != ".chibo":
            path = path.with_name(path.name.rstrip(". ") + ".chibo")
        if issues:
            self.show_issues(issues)
            return False
        outcome = self.perform(lambda: package_export.export_package(
            self.period, path, privacy=self.privacy.value(), to_key=to_key, passphrase=passphrase, today=self.today))
        if outcome is None:
            return False
        self.exported = outcome.value
        remember_folder(path.parent, "package")
        return True


def _grade_text(value: str) -> str:
    from app.domain.review import Grade

    try:
        return Grade(value).label
    except ValueError:
        return value


def _period_text(text: str) -> str:
    try:
        return Period.parse(text).label
    except ValueError:
        return text


def result_text(result: object) -> str:
    """What the return package does (or did), as lines the secretary can read: who signed it, the periods the
    Đảng ủy accepted, the grades it decided."""
    if result is None:
        return ""
    data = result.to_json() if hasattr(result, "to_json") else result
    if not isinstance(data, dict):
        return str(data)
    future = bool(data.get("dry_run"))
    lines = [_("Gói của: {name}").format(name=data.get("superior_name", "")),
             _("Mã nhận dạng chữ ký của Đảng ủy: {fingerprint}").format(fingerprint=data.get("fingerprint", ""))]
    if data.get("pinned_now"):
        lines.append(_("Đây là gói trả về đầu tiên: máy sẽ ghi nhớ mã này. Hãy gọi điện cho Đảng ủy, đọc mã trên "
                       "để hỏi có đúng không trước khi bấm «Nhận gói»."))
    accepted = data.get("accepted") or []
    lines.append("")
    lines.append(_("Kỳ Đảng ủy đã tiếp nhận ({count}):").format(count=len(accepted)))
    status_words = {"recorded": _("sẽ khóa, không sửa được nữa") if future else _("đã khóa"),
                    "already": _("đã khóa từ trước")}
    for item in accepted:
        word = status_words.get(item.get("status"), item.get("message") or item.get("status", ""))
        lines.append(f"• {_period_text(item.get('period', ''))}: {word}")
    grades = data.get("grades") or []
    if grades:
        lines.append("")
        lines.append(_("Mức xếp loại Đảng ủy quyết định, năm {year} ({count}):").format(
            year=data.get("year", ""), count=len(grades)))
        for item in grades:
            word = (_("sẽ ghi") if future else _("đã ghi")) if item.get("status") == "applied" else (
                _("không ghi: {why}").format(why=item.get("message", "")))
            lines.append(f"• {item.get('full_name', '')}: {_grade_text(item.get('grade', ''))} — {word}")
    return "\n".join(lines)


class ReturnDialog(BaseDialog):
    """Nhận gói trả về: the file read first without changing anything (what it would do), then taken."""

    settings_key = "ReturnDialog"

    def __init__(self, path: Path, importer: Callable[..., object], parent=None):
        super().__init__(_("Nhận gói Đảng ủy gửi về"), parent, ok_text=_("Nhận gói"))
        self.path, self.importer = path, importer
        self.result: object = None
        self.layout_.addWidget(_note(_("Tệp: {file}").format(file=path)))
        form = QFormLayout()
        self.layout_.addLayout(form)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(_("chỉ khi Đảng ủy khóa gói bằng mật khẩu"))
        self.add_field(form, "passphrase", self.passphrase, _("Mật khẩu của gói"))
        check = QPushButton(_("Xem trước"))
        check.clicked.connect(self.preview)
        form.addRow("", check)
        self.layout_.addWidget(_note(_("Những gì gói sẽ ghi vào máy (chưa ghi gì cho đến khi bấm «Nhận gói»):")))
        self.preview_text = QPlainTextEdit()
        self.preview_text.setReadOnly(True)
        self.layout_.addWidget(self.preview_text, 1)
        self.setMinimumWidth(text_width(self, 80))
        self.resize(text_width(self, 90), self.fontMetrics().height() * 24)
        self.finish_layout()
        self.preview()

    def _data(self) -> bytes | None:
        try:
            return self.path.read_bytes()
        except OSError as exc:
            self.show_general_error(error_text(exc))
            return None

    def preview(self) -> None:
        self.clear_issues()
        data = self._data()
        if data is None:
            return
        try:
            shown = self.importer(data, passphrase=self.passphrase.text() or None, dry_run=True)
        except Exception as exc:  # noqa: BLE001 - a file from outside: its fault is shown, never a traceback
            self.preview_text.setPlainText("")
            self.show_general_error(error_text(exc))
            return
        self.preview_text.setPlainText(result_text(shown))

    def save(self) -> bool:
        data = self._data()
        if data is None:
            return False
        outcome = self.perform(lambda: self.importer(data, passphrase=self.passphrase.text() or None,
                                                     dry_run=False))
        if outcome is None:
            return False
        self.result = outcome.value
        return True


class ReopenDialog(BaseDialog):
    """Mở lại kỳ đã được cấp trên tiếp nhận: with the reason, which stays in the history."""

    def __init__(self, period_text: str, period_label: str, parent=None):
        super().__init__(_("Mở lại kỳ đã được tiếp nhận"), parent, ok_text=_("Mở lại kỳ"))
        self.period_text = period_text
        self.layout_.addWidget(_note(_(
            "Số liệu {period} đã được Đảng ủy tiếp nhận nên đang bị khóa, không sửa được. Mở lại để sửa; sau khi "
            "sửa cần lập gói mới gửi Đảng ủy. Lý do mở lại được ghi vào lịch sử.").format(period=period_label)))
        form = QFormLayout()
        self.layout_.addLayout(form)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("ví dụ: Đảng ủy đề nghị sửa ngày vào Đảng của một đồng chí"))
        self.add_field(form, "reason", self.reason, _("Lý do"))
        self.setMinimumWidth(text_width(self, 75))
        self.finish_layout()

    required_fields = ("reason",)

    def save(self) -> bool:
        if not self.reason.text().strip():
            self.show_issues([Issue("reason", _("hãy ghi lý do mở lại."))])
            return False
        return self.perform(lambda: period_lock.reopen(self.period_text, self.reason.text())) is not None
