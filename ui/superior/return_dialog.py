"""Gói trả về cho một chi bộ: the year, the periods the Đảng ủy accepts, the final grades it decided (chosen in a
table of the cell's members, or read from a file), the year's criteria sheet, a passphrase, and the file."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.domain.issues import Issue
from app.domain.report_period import Period, PeriodError
from app.domain.review import GRADES_BEST_FIRST, Grade
from app.i18n import _
from app.services import return_package, superior
from app.services.errors import ServiceError
from ui.dialogs import BaseDialog, show_error
from ui.files import ask_save_path, remember_folder, remembered_folder
from ui.reports.dialogs import ask_open_path
from ui.superior.receive import period_text
from ui.widgets import text_width

GRADE_FILTER = _("Bảng xếp loại (*.csv *.xlsx)")
CRITERIA_FILTER = _("Mọi tệp (*)")
COL_REF, COL_NAME, COL_PROPOSED, COL_FINAL = range(4)
MIN_PASSPHRASE = 8


def _year(period: str) -> int | None:
    try:
        return Period.parse(period).year
    except (PeriodError, ValueError):
        return None


def grade_text(value: str | None) -> str:
    try:
        return Grade(value).label if value else ""
    except ValueError:
        return value or ""


class ReturnPackageDialog(BaseDialog):
    """Calls return_package.build_return; the Built result in self.built."""

    settings_key = "ReturnPackageDialog"

    def __init__(self, cell: dict, parent: QWidget | None = None):
        super().__init__(_("Gói trả về — {name}").format(name=cell["name"]), parent, ok_text=_("Lập gói trả về"))
        self.cell = cell
        self.built: return_package.Built | None = None
        self.packages = [p for p in superior.current_packages() if p.cell_id == cell["id"]]
        years = sorted({y for p in self.packages if (y := _year(p.period)) is not None})
        note = QLabel(_("Gói trả về báo cho {name} (mã {code}) các kỳ Đảng ủy đã tiếp nhận (chi bộ sẽ khóa, "
                        "không sửa được nữa) và mức xếp loại Đảng ủy quyết định cho từng đảng viên.").format(
            name=cell["name"], code=cell["code"]))
        note.setWordWrap(True)
        self.layout_.addWidget(note)
        form = QFormLayout()
        self.layout_.addLayout(form)
        self.year = QSpinBox()
        self.year.setRange(1930, dt.date.today().year + 1)
        self.year.setValue(years[-1] if years else dt.date.today().year)
        self.year.setMaximumWidth(text_width(self, 12))
        self.add_field(form, "year", self.year, _("Năm"))
        self.periods = QListWidget()
        self.periods.setFixedHeight(self.periods.fontMetrics().lineSpacing() * 3 + 16)
        self.add_field(form, "periods", self.periods, _("Kỳ đã tiếp nhận"))
        self.layout_.addWidget(QLabel(_("Mức xếp loại Đảng ủy quyết định (để trống: không ghi):")))
        self.grades = QTableWidget(0, 4)
        self.grades.setHorizontalHeaderLabels([_("Mã"), _("Họ và tên"), _("Chi bộ đề xuất"),
                                               _("Đảng ủy quyết định")])
        self.grades.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grades.verticalHeader().hide()
        self.grades.verticalHeader().setDefaultSectionSize(self.grades.fontMetrics().height() + 14)
        header = self.grades.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col in (COL_REF, COL_PROPOSED, COL_FINAL):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.layout_.addWidget(self.grades, 1)
        tools = QHBoxLayout()
        self.from_file = QPushButton(_("Lấy từ tệp…"))
        self.from_file.setToolTip(_("Bảng CSV hoặc Excel có cột «ref» (mã đảng viên) và «grade» (xếp loại)"))
        self.from_file.clicked.connect(lambda _checked=False: self.load_grades())
        self.same_as_proposed = QPushButton(_("Theo đề xuất của chi bộ"))
        self.same_as_proposed.clicked.connect(lambda _checked=False: self.take_proposed())
        tools.addWidget(self.from_file)
        tools.addWidget(self.same_as_proposed)
        tools.addStretch(1)
        self.layout_.addLayout(tools)
        files = QFormLayout()
        self.layout_.addLayout(files)
        self.criteria = QLineEdit()
        self.criteria.setPlaceholderText(_("không bắt buộc: tiêu chí xếp loại của năm (PDF, Word…)"))
        self.add_field(files, "criteria", self._with_button(self.criteria, self._choose_criteria),
                       _("Tệp tiêu chí"))
        self._field_widgets["criteria"] = self.criteria
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(_("không bắt buộc; ít nhất {n} ký tự, báo cho chi bộ qua điện thoại").format(
            n=MIN_PASSPHRASE))
        self.add_field(files, "passphrase", self.passphrase, _("Mật khẩu của gói"))
        self.path = QLineEdit()
        self.add_field(files, "path", self._with_button(self.path, self._choose_path), _("Lưu gói vào tệp"))
        self._field_widgets["path"] = self.path
        self.year.valueChanged.connect(lambda _value: self.fill())
        self.fill()
        self.setMinimumWidth(text_width(self, 95))
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        height = self.fontMetrics().height() * 30
        self.resize(text_width(self, 100), min(height, screen.height() - 40) if screen is not None else height)
        self.finish_layout()

    def _with_button(self, edit: QLineEdit, slot) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        button = QPushButton(_("Chọn…"))
        button.clicked.connect(lambda _checked=False: slot())
        row.addWidget(button)
        return box

    def _file_name(self) -> str:
        return f"goi-tra-ve-{self.cell['code'] or 'chi-bo'}-{self.year.value()}.chibo"

    # --- the year's packages and members -----------------------------------------------------------
    def fill(self) -> None:
        year = self.year.value()
        self.periods.clear()
        members: dict[str, dict] = {}
        for package in self.packages:
            if _year(package.period) != year:
                continue
            item = QListWidgetItem(_("{period} — gói số {sequence}").format(period=period_text(package.period),
                                                                           sequence=package.sequence))
            item.setData(Qt.ItemDataRole.UserRole, package.period)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.periods.addItem(item)
            data = superior.package_data(package)
            for member in data.get("members") or []:
                members.setdefault(member["ref"], {"name": member["full_name"], "proposed": None})
            for member in (data.get("review") or {}).get("members") or []:
                entry = members.setdefault(member["ref"], {"name": member["full_name"], "proposed": None})
                entry["proposed"] = member.get("proposed_grade") or entry["proposed"]
        if self.periods.count() == 0:
            item = QListWidgetItem(_("Chi bộ chưa gửi gói nào của năm {year}.").format(year=year))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.periods.addItem(item)
        self.members = members
        self.reasons: dict[str, str] = {}
        self.refs = sorted(members, key=lambda ref: (len(ref), ref))
        self.grades.setRowCount(len(self.refs))
        for r, ref in enumerate(self.refs):
            entry = members[ref]
            for c, text in ((COL_REF, ref), (COL_NAME, entry["name"]), (COL_PROPOSED, grade_text(entry["proposed"]))):
                self.grades.setItem(r, c, QTableWidgetItem(text))
            box = QComboBox()
            box.addItem("", None)
            for grade in GRADES_BEST_FIRST:
                box.addItem(grade.label, grade.value)
            self.grades.setCellWidget(r, COL_FINAL, box)
        self.from_file.setEnabled(bool(self.refs))
        self.same_as_proposed.setEnabled(any(m["proposed"] for m in members.values()))
        if not self.path.text() or self.path.text().endswith(".chibo"):
            folder = Path(self.path.text()).parent if self.path.text() else remembered_folder("package")
            self.path.setText(str(folder / self._file_name()))

    def grade_box(self, ref: str) -> QComboBox:
        return self.grades.cellWidget(self.refs.index(ref), COL_FINAL)

    def set_grade(self, ref: str, grade: str | None) -> None:
        box = self.grade_box(ref)
        box.setCurrentIndex(max(0, box.findData(grade)))

    def chosen_grades(self) -> dict[str, str]:
        out = {}
        for ref in self.refs:
            value = self.grade_box(ref).currentData()
            if value:
                out[ref] = value
        return out

    def grades_to_send(self) -> dict[str, tuple[str, str]]:
        """ref -> (grade, reason): the reason a grades file gave, when it gave one."""
        return {ref: (grade, self.reasons.get(ref, "")) for ref, grade in self.chosen_grades().items()}

    def chosen_periods(self) -> list[str]:
        out = []
        for i in range(self.periods.count()):
            item = self.periods.item(i)
            if item.data(Qt.ItemDataRole.UserRole) and item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def take_proposed(self) -> None:
        for ref in self.refs:
            proposed = self.members[ref]["proposed"]
            if proposed:
                self.set_grade(ref, proposed)

    def load_grades(self, path: Path | None = None) -> None:
        """«Lấy từ tệp…»: the grades of a CSV or Excel table put in the table's boxes."""
        if path is None:
            path = ask_open_path(self, _("Chọn bảng xếp loại"), GRADE_FILTER, "excel")
            if path is None:
                return
        try:
            read = return_package.read_grades(path)
        except ServiceError as exc:
            show_error(self, str(exc))
            return
        unknown = [ref for ref in read if ref not in self.members]
        for ref, (grade, reason) in read.items():
            if ref in self.members:
                self.set_grade(ref, grade)
                if reason:
                    self.reasons[ref] = reason
        if unknown:
            show_error(self, _("Các mã sau không có trong danh sách chi bộ gửi năm {year}, không ghi: {refs}.").format(
                year=self.year.value(), refs=", ".join(unknown[:20]) + ("…" if len(unknown) > 20 else "")))

    def _choose_criteria(self) -> None:
        path = ask_open_path(self, _("Chọn tệp tiêu chí xếp loại"), CRITERIA_FILTER, "package")
        if path is not None:
            self.criteria.setText(str(path))

    def _choose_path(self) -> None:
        path = ask_save_path(self, title=_("Lưu gói trả về"), file_filter=_("Gói chibo (*.chibo)"), area="package",
                             suggested_name=self._file_name())
        if path is not None:
            self.path.setText(str(path))

    # --- saving --------------------------------------------------------------------------------------
    def save(self) -> bool:
        issues: list[Issue] = []
        periods = self.chosen_periods()
        if not periods:
            issues.append(Issue("periods", _("hãy đánh dấu ít nhất một kỳ đã tiếp nhận.")))
        passphrase = self.passphrase.text() or None
        if passphrase is not None and len(passphrase) < MIN_PASSPHRASE:
            issues.append(Issue("passphrase", _("cần ít nhất {count} ký tự.").format(count=MIN_PASSPHRASE)))
        text = self.path.text().strip()
        if not text:
            issues.append(Issue("path", _("hãy chọn nơi lưu gói.")))
        path = Path(text) if text else None
        if path is not None and path.suffix.lower() != ".chibo":
            path = path.with_name(path.name.rstrip(". ") + ".chibo")
        criteria = self.criteria.text().strip() or None
        if issues:
            self.show_issues(issues)
            return False
        grades = self.grades_to_send()
        outcome = self.perform(lambda: return_package.build_return(
            self.cell["code"], year=self.year.value(), periods=periods, path=path, passphrase=passphrase,
            grades=grades, criteria_file=criteria))
        if outcome is None:
            return False
        self.built = outcome.value
        remember_folder(path.parent, "package")
        return True

    def result_text(self) -> str:
        built = self.built
        if built is None:
            return ""
        lines = [_("Đã lập gói trả về số {sequence} cho {name}, năm {year}, vào tệp:").format(
            sequence=built.sequence, name=self.cell["name"], year=self.year.value()), str(built.path or ""), ""]
        lines.append(_("Kỳ đã tiếp nhận: {periods}").format(
            periods=", ".join(period_text(a["period"]) for a in built.accepted) or _("không có")))
        lines.append(_("Mức xếp loại ghi trong gói: {count} đồng chí").format(count=len(built.grades)))
        if self.passphrase.text():
            lines.append(_("Gói đã khóa bằng mật khẩu: báo mật khẩu cho chi bộ qua điện thoại."))
        lines.append("")
        lines.append(_("Gửi tệp này cho chi bộ; chi bộ mở trang Báo cáo, bấm «Nhận gói trả về…»."))
        return "\n".join(lines)
