"""Các chi bộ: the cells that sent the Đảng ủy packages, with the fingerprint pinned for each; receiving new
packages, the conflicts waiting for a decision, the key file the cells encrypt to, and the return package."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.domain.issues import Issue
from app.i18n import _
from app.services import keys, package_crypto, superior, superior_import
from app.services.errors import ServiceError
from ui.dialogs import BaseDialog, show_error, show_info
from ui.ops import run_op
from ui.reports.page import fill_table, small_table
from ui.superior import SuperiorPage, packages_changed, superior_hub
from ui.superior.receive import (
    ask_package_files,
    fingerprint_label,
    outcome_text,
    period_text,
    receive_files,
)
from ui.widgets import heading, shortcut_button, text_width

KEY_FILTER = _("Tệp khóa công khai (*.json)")



def two_lines(fingerprint: str) -> str:
    """The ten groups of a fingerprint as two lines of five, as they are read out on the phone."""
    groups = fingerprint.split()
    half = (len(groups) + 1) // 2
    return " ".join(groups[:half]) + ("\n" + " ".join(groups[half:]) if len(groups) > 1 else "")


def _last_package(cell: dict) -> str:
    if not cell["last_period"]:
        return ""
    return _("{period}, gói số {sequence}").format(period=period_text(cell["last_period"]),
                                                 sequence=cell["last_sequence"])


class ResolveDialog(BaseDialog):
    """«Nhận khóa mới» (the cell's new machine or key is pinned and its package taken) or «Không nhận», with the
    reason kept in the history."""

    def __init__(self, conflict: dict, accept: bool, parent: QWidget | None = None):
        title = _("Nhận khóa mới của chi bộ") if accept else _("Không nhận gói xung đột")
        super().__init__(title, parent, ok_text=_("Nhận khóa mới") if accept else _("Không nhận"))
        self.conflict, self.accept_key = conflict, accept
        self.outcome = None
        text = (_("{name} (mã {code}) gửi gói từ một máy khác hoặc ký bằng một khóa khác. Chỉ nhận khi đã gọi "
                  "điện hỏi bí thư chi bộ và dấu vân tay chi bộ đọc trùng với dấu vân tay dưới đây; từ đó máy chỉ "
                  "nhận gói có khóa mới này.") if accept else
                _("Gói của {name} (mã {code}) sẽ không được nhận; máy vẫn giữ khóa cũ của chi bộ. Hãy ghi lý do "
                  "(được lưu vào lịch sử)."))
        note = QLabel(text.format(name=conflict["cell_name"], code=conflict["cell_code"]))
        note.setWordWrap(True)
        self.layout_.addWidget(note)
        reason_note = QLabel(conflict["reason"])
        reason_note.setWordWrap(True)
        self.layout_.addWidget(reason_note)
        form = QFormLayout()
        self.layout_.addLayout(form)
        form.addRow(_("Dấu vân tay mới"), fingerprint_label(conflict["fingerprint"]))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("ví dụ: chi bộ thay máy tính mới, đã gọi điện xác nhận") if accept
                                       else _("ví dụ: chi bộ không gửi gói này"))
        self.add_field(form, "reason", self.reason, _("Lý do"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(_("chỉ khi chi bộ khóa gói bằng mật khẩu"))
        if accept:
            self.add_field(form, "passphrase", self.passphrase, _("Mật khẩu của gói"))
        self.setMinimumWidth(text_width(self, 75))
        self.finish_layout()

    @property
    def required_fields(self) -> tuple[str, ...]:
        return () if self.accept_key else ("reason",)

    def save(self) -> bool:
        if not self.accept_key and not self.reason.text().strip():
            self.show_issues([Issue("reason", _("hãy ghi lý do không nhận."))])
            return False
        passphrase = self.passphrase.text() or None
        outcome = self.perform(lambda: superior_import.resolve_conflict(
            self.conflict["id"], self.accept_key, passphrase=passphrase, reason=self.reason.text().strip()))
        if outcome is None:
            return False
        self.outcome = outcome.value
        return True


class CellsPage(SuperiorPage):
    area = "superior"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[dict] = []
        self.waiting: list[dict] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(heading(_("Các chi bộ")))
        intro = QLabel(_("Mỗi chi bộ gửi lên một tệp gói (.chibo) có chữ ký của chi bộ. Lần đầu nhận gói của một chi "
                         "bộ, máy ghi nhớ dấu vân tay khóa ký của chi bộ đó; hãy gọi điện đối chiếu dấu vân tay với "
                         "bí thư chi bộ."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.receive_button = shortcut_button(self, _("Nhận gói của chi bộ…"), "Ctrl+O", self.receive)
        self.return_button = shortcut_button(self, _("Gói trả về…"), None, self.make_return)
        self.return_button.setToolTip(_("Gói Đảng ủy gửi về chi bộ đang chọn: các kỳ đã tiếp nhận, kết quả xếp loại"))
        self.key_button = shortcut_button(self, _("Ghi khóa nhận gói mã hóa…"), None, self.export_key)
        self.key_button.setToolTip(_("Tệp khóa đưa cho các chi bộ để chi bộ mã hóa gói gửi Đảng ủy"))
        for button in (self.receive_button, self.return_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.key_button)
        layout.addLayout(row)
        self.table = small_table([_("Mã chi bộ"), _("Tên chi bộ"), _("Số gói\nđã nhận"), _("Gói gần nhất"),
                                  _("Dấu vân tay khóa ký")])
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 3)
        self.conflict_caption = QLabel()
        layout.addWidget(self.conflict_caption)
        self.conflicts = small_table([_("Ngày nhận"), _("Chi bộ"), _("Dấu vân tay mới"), _("Lý do")])
        self.conflicts.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.conflicts, 2)
        actions = QHBoxLayout()
        self.accept_button = shortcut_button(self, _("Nhận khóa mới…"), None, lambda: self.resolve(True))
        self.reject_button = shortcut_button(self, _("Không nhận…"), None, lambda: self.resolve(False))
        actions.addWidget(self.accept_button)
        actions.addWidget(self.reject_button)
        actions.addStretch(1)
        layout.addLayout(actions)
        superior_hub().received.connect(self._heard_packages)
        self.reload()

    def _watched(self) -> tuple[QWidget, ...]:
        return (self, self.table, self.conflicts, self.conflict_caption)

    def reload(self) -> None:
        try:
            self.rows = superior.cells()
            self.waiting = superior.conflicts()
        except ServiceError as exc:
            show_error(self, str(exc))
            self.rows, self.waiting = [], []
        fill_table(self.table, [
            [c["code"], c["name"], str(c["packages"]), _last_package(c), two_lines(c["fingerprint"])]
            for c in self.rows],
            _("Chưa nhận gói nào. Bấm «Nhận gói của chi bộ…» để chọn các tệp .chibo chi bộ gửi."))
        # The name takes the room left (cut, whole in its tooltip, at large text): the fingerprint shows whole.
        header = self.table.horizontalHeader()
        header.setStretchLastSection(not self.rows)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch if self.rows else
                                    QHeaderView.ResizeMode.Interactive)
        for table in (self.table, self.conflicts):
            table.resizeRowsToContents()
        self.conflict_caption.setText(_("Xung đột chờ quyết định ({count}):").format(count=len(self.waiting)))
        fill_table(self.conflicts, [
            [c["received_at"][:10], _("{name} (mã {code})").format(name=c["cell_name"], code=c["cell_code"]),
             two_lines(c["fingerprint"]), c["reason"]] for c in self.waiting],
            _("Không có gói nào đang chờ quyết định."))
        if self.waiting:
            # The reason is long (both machines' codes): cut in its column, whole in its tooltip and the dialog.
            self.conflicts.setColumnWidth(3, text_width(self, 20))
        if self.rows:
            self.table.selectRow(0)
        self._update_buttons()

    def selected_cell(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or not self.rows:
            return None
        return self.rows[rows[0].row()]

    def select_cell(self, code: str) -> None:
        codes = [c["code"] for c in self.rows]
        if code in codes:
            self.table.selectRow(codes.index(code))

    def selected_conflict(self) -> dict | None:
        rows = self.conflicts.selectionModel().selectedRows()
        if not rows or not self.waiting:
            return None
        return self.waiting[rows[0].row()]

    def _update_buttons(self) -> None:
        self.return_button.setEnabled(self.selected_cell() is not None)
        chosen = self.selected_conflict() is not None
        self.accept_button.setEnabled(chosen)
        self.reject_button.setEnabled(chosen)

    # --- actions -------------------------------------------------------------------------------------
    def receive(self, paths: list | None = None) -> list:
        """Choose the files (or take the ones given), then each one's preview and «Nhận»."""
        chosen = paths if paths is not None else ask_package_files(self)
        if not chosen:
            return []
        taken = receive_files(self, chosen)
        self.reload()
        if len(taken) > 1:
            show_info(self, "\n".join(outcome_text(o) for o in taken), _("Đã nhận gói của chi bộ"))
        return taken

    def resolve(self, accept: bool) -> None:
        chosen = self.selected_conflict()
        if chosen is None:
            return
        dialog = ResolveDialog(chosen, accept, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            packages_changed()
            self.reload()

    def export_key(self) -> None:
        from ui.files import ask_save_path

        path = ask_save_path(self, title=_("Ghi khóa nhận gói mã hóa"), file_filter=KEY_FILTER, area="package",
                             suggested_name="khoa-nhan-goi-dang-uy.json")
        if path is None:
            return

        def write() -> str:
            keys.export_public(path, keys.EXCHANGE)
            return package_crypto.fingerprint(keys.public_exchange_key())

        outcome = run_op(self, write)
        if outcome is not None:
            show_info(self, _("Đã ghi khóa vào tệp:\n{file}\n\nDấu vân tay của khóa:\n{fingerprint}\n\nGửi tệp này cho "
                              "các chi bộ (qua USB hoặc thư điện tử). Khi chi bộ chọn «Theo khóa của Đảng ủy», chỉ máy "
                              "này mở được gói. Chi bộ nên gọi điện đọc lại dấu vân tay trên để chắc là đúng khóa "
                              "của Đảng ủy.").format(file=path, fingerprint=outcome.value),
                      _("Đã ghi khóa nhận gói mã hóa"))

    def make_return(self) -> None:
        from ui.superior.return_dialog import ReturnPackageDialog

        chosen = self.selected_cell()
        if chosen is None:
            return
        dialog = ReturnPackageDialog(chosen, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.built is not None:
            packages_changed()
            show_info(self, dialog.result_text(), _("Đã lập gói trả về"))
        dialog.deleteLater()
