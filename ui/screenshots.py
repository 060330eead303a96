"""Render every screen to PNG for a look: QT_QPA_PLATFORM=offscreen python3 -m ui.screenshots OUTDIR."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QApplication, QWidget


def _build_database(folder: Path) -> None:
    from app.services import demo
    from app.storage.db import open_database

    open_database(folder / "screenshots.sqlite")
    demo.build_demo()


def _save(widget: QWidget, path: Path, size: tuple[int, int] | None = None) -> None:
    if size:
        widget.resize(*size)
    # Like exec(): a dialog not sized by its own code takes its size hint when shown.
    widget.show()
    for _ in range(5):
        QApplication.processEvents()
    widget.grab().save(str(path))
    print(path)


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    # Saved window sizes from a real session must not change the pictures, nor the pictures the session.
    QStandardPaths.setTestModeEnabled(True)
    from ui.application import create_app

    create_app()
    QSettings("chibo", "chibo").clear()
    from app.domain.members import MemberStatus
    from ui.first_run import CellDialog
    from ui.main_window import MainWindow
    from ui.roster.archive_dialog import ArchiveDialog
    from ui.roster.history_dialog import HistoryDialog
    from ui.roster.member_dialog import MemberDialog
    from ui.roster.status_dialog import StatusDialog

    with tempfile.TemporaryDirectory() as tmp:
        _build_database(Path(tmp))
        window = MainWindow()
        _save(window, out / "main-window.png", (1280, 800))
        roster = window.roster
        # A member with a history worth showing: the first one who is no longer simply on probation.
        member = next(e.member for e in roster.model.entries if e.member.status != MemberStatus.PROBATIONARY)
        roster.select_member(member.id)
        _save(window, out / "main-window-selected.png", (1280, 800))
        roster.search.setText("dang")
        _save(window, out / "main-window-search.png", (1280, 800))
        roster.search.clear()
        window.nav.setCurrentRow(2)
        _save(window, out / "coming-soon.png", (1280, 800))
        _save(MemberDialog(member, window), out / "member-dialog.png")
        bad = MemberDialog(None, window)
        bad.widgets["full_name"].setText("Ảnh")
        bad.widgets["birth_date"].setText("31/02/1980")
        bad.accept()
        _save(bad, out / "member-dialog-errors.png")
        _save(StatusDialog(member, window), out / "status-dialog.png")
        _save(ArchiveDialog(member, window), out / "archive-dialog.png")
        history = HistoryDialog(member, window)
        _save(history, out / "history-status.png")
        history.tabs.setCurrentIndex(1)
        _save(history, out / "history-changes.png")
        _save_import(window, Path(tmp), out)
        from app.storage.db import close_database, open_database

        # The first run happens on a database with no cell yet: empty fields, placeholders showing.
        open_database(Path(tmp) / "empty.sqlite")
        _save(CellDialog(first_run=True), out / "first-run.png")
        close_database()
    return 0


def _save_import(window: QWidget, tmp: Path, out: Path) -> None:
    """The import preview of the roster's own export, with one row edited and one made invalid."""
    from openpyxl import load_workbook

    from app.services import roster_io
    from ui.roster.import_dialog import ImportDialog

    source = tmp / "export.xlsx"
    roster_io.export_roster(source)
    book = load_workbook(source)
    sheet = book.active
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == "Nghề nghiệp":
                sheet.cell(cell.row + 1, cell.column, "Giáo viên nghỉ hưu")
                sheet.cell(cell.row + 2, cell.column, "Thợ mộc")
    book.save(source)
    dialog = ImportDialog(source, window)
    dialog.show_preview(roster_io.preview_import(source))
    dialog.tabs.setCurrentIndex(1)
    _save(dialog, out / "import-preview.png")
    bad = tmp / "co-loi.csv"
    bad.write_text("Họ và tên,Ngày sinh,Số thẻ\nĐặng Văn Đông,05/02/1980,99990001\nTrần Văn Ba,31/02/1980,\n",
                   encoding="utf-8")
    rejected = ImportDialog(bad, window)
    rejected.show_preview(roster_io.preview_import(bad))
    _save(rejected, out / "import-rejected.png")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
