"""The Đánh giá page: the year's review, its members at every stage, the live quota, the checks' warnings, the
papers; one member's review opens over the list (Enter, a double click or «Sửa…»)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import format_date
from app.i18n import _
from app.services import review as review_service
from app.services.changes import Changes
from app.services.errors import ServiceError
from ui.dialogs import ERROR_STYLE, show_error
from ui.pages import Page
from ui.review.editor import MemberEditor
from ui.review.model import ReviewTableModel, RowRole
from ui.widgets import heading, shortcut_button, text_width, warnings_list

_MemberRole = Qt.ItemDataRole.UserRole + 5


def year_to_open(today: dt.date) -> int:
    """The year whose review is due: this year, or last year in January (the review may end by 31/01)."""
    return today.year - 1 if today.month == 1 else today.year


class ReviewPage(Page):
    """Kiểm điểm, đánh giá, xếp loại. `today` is for tests and screenshots; the window leaves it to the clock."""

    area = "review"

    def __init__(self, parent: QWidget | None = None, today: dt.date | None = None):
        super().__init__(parent)
        self.today = today or dt.date.today()
        self.model = ReviewTableModel(self)
        self.rows: list[review_service.ReviewRow] = []
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_list_side())
        self.editor = MemberEditor()
        self.editor.closed.connect(self._editor_closed)
        self.stack.addWidget(self.editor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.reload()

    # --- building ------------------------------------------------------------------------------------
    def _build_list_side(self) -> QWidget:
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(self._build_toolbar())
        layout.addLayout(self._build_actions())
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.empty)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self._build_table())
        self.splitter.addWidget(self._build_warnings())
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        layout.addWidget(self.splitter, 1)
        return side

    def _build_toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(heading(_("Kiểm điểm, xếp loại")))
        row.addSpacing(text_width(self, 2))
        self.year_caption = QLabel(_("Năm"))
        row.addWidget(self.year_caption)
        self.year_box = QComboBox()
        self.year_box.currentIndexChanged.connect(lambda _index: self._year_chosen())
        row.addWidget(self.year_box)
        self.open_button = shortcut_button(self, "", None, self.open_season)
        self.season_button = shortcut_button(self, _("Đợt kiểm điểm…"), None, self.edit_season)
        self.season_button.setToolTip(_("Ngày kiểm điểm, buổi họp kiểm điểm, số có mặt"))
        row.addWidget(self.open_button)
        row.addWidget(self.season_button)
        self.season_label = QLabel()
        self.season_label.setWordWrap(True)
        row.addWidget(self.season_label, 1)
        return row

    def _build_actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.edit_button = shortcut_button(self, _("Sửa…"), None, self.edit_selected)
        self.cell_button = shortcut_button(self, _("Tập thể chi bộ (Mẫu 01)…"), None, self.edit_cell_rating)
        self.print_button = QPushButton(_("In, lưu PDF"))
        menu = QMenu(self.print_button)
        for text, slot in ((_("Bản kiểm điểm của tất cả đảng viên (một tệp)…"), self._print("save_all_forms")),
                           (_("Tổng hợp kết quả xếp loại…"), self._print("save_summary")),
                           (_("Báo cáo kiểm điểm tập thể chi bộ (Mẫu 01)…"), self._print("save_cell_report")),
                           (_("Biên bản họp kiểm điểm…"), self._print("save_minutes")),
                           (_("Phiếu biểu quyết xếp loại…"), self._print("save_ballots"))):
            menu.addAction(text, slot)
        self.print_button.setMenu(menu)
        for button in (self.edit_button, self.cell_button, self.print_button):
            row.addWidget(button)
        self.quota_label = QLabel()
        self.quota_label.setWordWrap(True)
        row.addWidget(self.quota_label, 1)
        return row

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        # Enter and a double click open the member (Qt sends both as activated).
        table.activated.connect(lambda index: self.edit_member(self.model.data(index, RowRole).member_id))
        self.table = table
        return table

    def _build_warnings(self) -> QWidget:
        box, self.warnings = warnings_list(
            _("Cần xem lại (nhắc nhở; Đảng ủy quyết định). Bấm đúp một dòng để mở đồng chí đó:"))
        # Three to five lines: the members' table keeps most of the height on a 768-pixel screen.
        lines = self.warnings.fontMetrics().lineSpacing()
        self.warnings.setMaximumHeight(lines * 5 + 16)
        self.warnings.itemActivated.connect(self._warning_activated)
        box.setMaximumHeight(lines * 8 + 16)  # the caption's two lines and the list's five
        return box

    def _print(self, name: str):
        def run() -> None:
            from ui.review import papers

            if self.year() is not None:
                getattr(papers, name)(self, self.year())
        return run

    # --- state ---------------------------------------------------------------------------------------
    def year(self) -> int | None:
        return self.year_box.currentData()

    def current_member_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()].member_id if index.isValid() else None

    def touched_by(self, changes: Changes) -> bool:
        return bool(changes.reviews or changes.review_tasks or changes.members or changes.everything)

    def apply_changes(self, changes: Changes, source: object = None) -> None:
        self.reload()
        if self.editor.row is not None and source is not self.editor:
            self.editor.reload()

    def flush_edits(self) -> bool:
        return self.editor.flush()

    def reload(self) -> None:
        """Read the years, then the chosen year's members, warnings and quota."""
        try:
            opened = review_service.years()
        except ServiceError as exc:
            show_error(self, str(exc))
            opened = []
        keep = self.year()
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for year in opened:
            self.year_box.addItem(str(year), year)
        if opened:
            wanted = keep if keep in opened else (year_to_open(self.today) if year_to_open(self.today) in opened
                                                  else opened[0])
            self.year_box.setCurrentIndex(self.year_box.findData(wanted))
        self.year_box.blockSignals(False)
        due = year_to_open(self.today)
        self.open_button.setText(_("Mở đợt kiểm điểm năm {year}…").format(year=due))
        self.open_button.setVisible(due not in opened)
        self._year_chosen()

    def _year_chosen(self) -> None:
        year = self.year()
        has_season = year is not None
        for widget in (self.splitter, self.season_button, self.edit_button, self.cell_button, self.print_button,
                       self.quota_label, self.year_box, self.year_caption):
            widget.setVisible(has_season)
        self.empty.setVisible(not has_season)
        if not has_season:
            self.rows = []
            self.model.set_rows([])
            self.season_label.clear()
            self.empty.setText(_("Chưa mở đợt kiểm điểm nào. Bấm «Mở đợt kiểm điểm năm {year}…» để bắt đầu: chương "
                                 "trình lập danh sách đảng viên sinh hoạt tại chi bộ vào ngày kiểm điểm, rồi ghi bản "
                                 "tự kiểm điểm, ý kiến chi ủy, kết quả biểu quyết và quyết định của Đảng ủy cho từng "
                                 "đồng chí.").format(year=year_to_open(self.today)))
            return
        self._show_year(year)

    def _show_year(self, year: int) -> None:
        selected = self.current_member_id()
        try:
            season = review_service.get_season(year)
            self.rows = review_service.review_rows(year)
            findings = review_service.check(year, self.rows)
        except ServiceError as exc:
            show_error(self, str(exc))
            return
        self.model.set_rows(self.rows)
        meeting = _("; buổi họp đã chọn") if season.meeting_id else ""
        self.season_label.setText(_("Ngày kiểm điểm {date}{meeting}; {count} đồng chí trong danh sách.").format(
            date=format_date(season.review_date), meeting=meeting, count=len(self.rows)))
        row = self.model.row_of(selected) if selected is not None else -1
        self.table.selectRow(row if row >= 0 else 0)
        self._show_quota(year)
        self._show_findings(findings)

    def _show_quota(self, year: int) -> None:
        lines, over = [], False
        for stage in ("proposed_grade", "final_grade"):
            found, percent = review_service.live_quota(year, stage, self.rows)
            if stage == "final_grade" and not any(r.data.final_grade for r in self.rows):
                continue
            over = over or found.over > 0
            lines.append(_("{stage}: Hoàn thành xuất sắc {excellent} / tối đa {allowed} ({percent} % của {good} Hoàn "
                           "thành tốt)").format(stage=review_service.Stage.label(stage), excellent=found.excellent,
                                                allowed=found.allowed, percent=percent, good=found.good))
        self.quota_label.setText("\n".join(lines))
        self.quota_label.setStyleSheet(ERROR_STYLE + " font-weight: bold;" if over else "")
        self.quota_label.setProperty("over_quota", over)

    def _show_findings(self, findings: list[review_service.Finding]) -> None:
        self.warnings.clear()
        for finding in findings:
            item = QListWidgetItem(str(finding))
            item.setData(_MemberRole, finding.member_id)
            self.warnings.addItem(item)
        if not findings:
            self.warnings.addItem(_("Không có điều gì cần nhắc."))

    # --- actions -------------------------------------------------------------------------------------
    def edit_selected(self) -> None:
        member_id = self.current_member_id()
        if member_id is not None:
            self.edit_member(member_id)

    def edit_member(self, member_id: int) -> None:
        year = self.year()
        if year is None or not self.editor.open(year, member_id):
            return
        self.stack.setCurrentWidget(self.editor)
        self.editor.tabs.setFocus()

    def open_draft(self, year: int, member_id: int) -> bool:
        """Open the member whose review was typed and not saved (the editor puts the draft back, with its note)."""
        self.reload()
        index = self.year_box.findData(year)
        if index < 0:
            return False
        self.year_box.setCurrentIndex(index)
        self.edit_member(member_id)
        return self.stack.currentWidget() is self.editor

    def _editor_closed(self) -> None:
        self.stack.setCurrentIndex(0)
        self.table.setFocus()

    def _warning_activated(self, item: QListWidgetItem) -> None:
        member_id = item.data(_MemberRole)
        if member_id is not None:
            self.edit_member(member_id)

    def open_season(self) -> None:
        from ui.review.dialogs import SeasonDialog

        year = year_to_open(self.today)
        if SeasonDialog(year, None, self).exec() == QDialog.DialogCode.Accepted:
            self.year_box.setCurrentIndex(self.year_box.findData(year))

    def edit_season(self) -> None:
        from ui.review.dialogs import SeasonDialog

        year = self.year()
        if year is not None:
            SeasonDialog(year, review_service.get_season(year), self).exec()

    def edit_cell_rating(self) -> None:
        from ui.review.dialogs import CellRatingDialog

        year = self.year()
        if year is not None:
            CellRatingDialog(year, self).exec()

