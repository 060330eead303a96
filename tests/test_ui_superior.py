"""The Đảng ủy's window: its two pages on a superior file, receiving a cell's package through the dialog, the
consolidated Biểu 1 on the page, a conflict settled from the page, the return package accepted at the cell, and
the first run that makes a Đảng ủy's file."""
from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtWidgets import QDialog  # noqa: E402

from app.domain.report_period import Period  # noqa: E402
from app.services import cell as cell_service  # noqa: E402
from app.services import consolidated, period_lock, return_package, superior, superior_import  # noqa: E402
from app.services.statistics_printing import figure  # noqa: E402
from app.storage.db import close_database, open_database  # noqa: E402
from conftest_ui import qapp, run_modals  # noqa: E402,F401
from ui.reports.page import COL_CURRENT, COL_LABEL, COL_PREVIOUS  # noqa: E402
from ui.screenshots import _sample_cell, _sample_export, build_superior_sample  # noqa: E402

TODAY = dt.date(2026, 11, 23)
YEAR = Period(2026)


@pytest.fixture
def sample(tmp_path, qapp):  # noqa: F811
    files = build_superior_sample(tmp_path / "mau", TODAY)
    yield files
    close_database()


@pytest.fixture
def empty_superior(tmp_path, qapp):  # noqa: F811
    """A Đảng ủy's file with nothing received, and two cells' package files beside it."""
    files = {}
    for key, (name, code, family, count, card) in zip(("tay", "truong"), (
            ("Chi bộ thôn Tây", "38.168.053.000.002", "Trần", 5, 80001000),
            ("Chi bộ thôn Nam", "38.168.053.000.004", "Lê", 4, 80003000)), strict=True):
        _sample_cell(tmp_path / f"{key}.sqlite", name, code, family, count, card, TODAY)
        files[key] = _sample_export(tmp_path / f"{key}.chibo", TODAY)
    files["tay_db"] = tmp_path / "tay.sqlite"
    files["superior"] = tmp_path / "dang-uy.sqlite"
    open_database(files["superior"])
    superior.init_superior("Đảng ủy xã Hòa Bình", today=TODAY)
    yield files
    close_database()


def _window(qtbot):
    from ui.main_window import MainWindow

    window = MainWindow()
    window.daily_timer.stop()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


def _shown(page) -> list[tuple[str, str, str]]:
    table = page.form_view.table
    return [(table.item(r, COL_LABEL).text().strip("\u2003"), table.item(r, COL_CURRENT).text(),
             table.item(r, COL_PREVIOUS).text()) for r in range(table.rowCount())]


def _expected(code: str) -> list[tuple[str, str, str]]:
    form = next(f for f in consolidated.forms(YEAR) if f.form == code)
    return [(r.label, figure(r.current), figure(r.previous)) for r in form.printed_rows]


def test_the_window_on_a_superior_file_shows_the_two_pages_and_no_roster(qtbot, sample):
    from ui.main_window import CELLS, CONSOLIDATED
    from ui.superior.cells_page import CellsPage
    from ui.superior.consolidated_page import ConsolidatedPage

    window = _window(qtbot)
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == ["Các chi bộ", "Tổng hợp"]
    assert window.roster is None and not window.count_label.isVisible()
    assert window.offer_drafts() == []
    cells = window.page(CELLS)
    assert isinstance(cells, CellsPage)
    assert [cells.table.item(r, 1).text() for r in range(cells.table.rowCount())] == [
        "Chi bộ thôn Đông", "Chi bộ thôn Tây", "Chi bộ Trường Tiểu học Hòa Bình"]
    assert cells.table.item(1, 4).text().split() == superior.cells()[1]["fingerprint"].split()
    window.nav.setCurrentRow(CONSOLIDATED)
    assert isinstance(window.current_page(), ConsolidatedPage)
    menu_texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "Nhập danh sách…" not in menu_texts and "Thông tin chi bộ…" not in menu_texts


def test_a_package_received_through_the_dialog_adds_the_cell_and_the_summed_form_on_the_page(
        qtbot, empty_superior):
    from ui.superior.cells_page import CellsPage
    from ui.superior.consolidated_page import ConsolidatedPage
    from ui.superior.receive import ImportDialog

    cells = CellsPage()
    qtbot.addWidget(cells)
    cells.show()
    summed = ConsolidatedPage(today=TODAY)
    qtbot.addWidget(summed)
    summed.show()
    assert summed.forms == [] and not summed.pdf_button.isEnabled()
    seen = []

    def take(dialog) -> None:
        assert isinstance(dialog, ImportDialog)
        seen.append((dialog.status_label.text(), dialog.fingerprint.text()))
        dialog.ok_button.click()

    run_modals(qtbot, lambda: cells.receive([empty_superior["tay"], empty_superior["truong"]]), take, take,
               lambda box: box.accept())
    assert [s[0] for s in seen] == ["Gói mới", "Gói mới"]
    assert [c["name"] for c in superior.cells()] == ["Chi bộ thôn Tây", "Chi bộ thôn Nam"]
    assert seen[0][1] == superior.cells()[0]["fingerprint"]
    assert cells.table.rowCount() == 2 and cells.table.item(1, 1).text() == "Chi bộ thôn Nam"
    # The Tổng hợp page heard of it: Biểu 1 of the year is the consolidated one, from the two cells.
    summed.set_period(YEAR)
    summed.select_form("1")
    assert summed.form_view.current_form().form == "1"
    assert _shown(summed) == _expected("1")
    assert "Tổng hợp từ 2 chi bộ" in summed.subtitle.text()
    members_table = summed.cell_tables[0]
    assert [members_table.item(r, 1).text() for r in range(members_table.rowCount())] == [
        "Chi bộ thôn Tây", "Chi bộ thôn Nam", "Cộng"]


def test_the_same_file_again_is_shown_unchanged_and_a_bad_file_only_says_why(qtbot, empty_superior, tmp_path):
    from ui.superior.cells_page import CellsPage

    superior_import.import_package(empty_superior["tay"].read_bytes())
    cells = CellsPage()
    qtbot.addWidget(cells)
    bad = tmp_path / "hong.chibo"
    bad.write_bytes(b"not a package at all")
    texts = []

    def unchanged(dialog) -> None:
        texts.append(dialog.status_label.text())
        assert not dialog.ok_button.isVisible()
        dialog.reject()

    def refused(box) -> None:
        texts.append(box.text())
        box.accept()

    run_modals(qtbot, lambda: cells.receive([empty_superior["tay"], bad]), unchanged, refused)
    assert texts[0] == "Đã nhận từ trước"
    assert "hong.chibo" in texts[1]
    assert len(superior.packages()) == 1


def test_a_passphrase_package_asks_its_passphrase(qtbot, sample, tmp_path):
    from ui.superior.receive import PassphraseDialog, plan_for

    plans = []

    def wrong_then_right(dialog) -> None:
        assert isinstance(dialog, PassphraseDialog)
        dialog.passphrase.setText("sai-mat-khau")
        dialog.ok_button.click()
        assert dialog.isVisible()  # said under the field; the dialog waits
        dialog.passphrase.setText("mat-khau-chi-bo")
        dialog.ok_button.click()

    run_modals(qtbot, lambda: plans.append(plan_for(None, sample["truong"])), wrong_then_right)
    assert plans[0] is not None and plans[0].status == superior_import.UNCHANGED


def test_a_conflict_is_resolved_from_the_page(qtbot, sample):
    from ui.superior.cells_page import CellsPage

    cells = CellsPage()
    qtbot.addWidget(cells)
    cells.show()
    waiting = superior.conflicts()
    assert len(waiting) == 1 and cells.conflicts.item(0, 2).text().split() == waiting[0]["fingerprint"].split()
    old_fingerprint = next(c["fingerprint"] for c in superior.cells() if c["code"] == waiting[0]["cell_code"])
    cells.conflicts.selectRow(0)
    assert cells.accept_button.isEnabled()

    def accept(dialog) -> None:
        dialog.reason.setText("Chi bộ thay máy mới, đã gọi điện xác nhận")
        dialog.ok_button.click()

    run_modals(qtbot, lambda: cells.resolve(True), accept)
    assert superior.conflicts() == []
    assert superior.conflicts(include_resolved=True)[0]["resolution"] == "accepted"
    pinned = next(c for c in superior.cells() if c["code"] == waiting[0]["cell_code"])
    assert pinned["fingerprint"] == waiting[0]["fingerprint"] != old_fingerprint
    assert cells.conflicts.item(0, 0).text() == "Không có gói nào đang chờ quyết định."


def test_rejecting_a_conflict_asks_a_reason(qtbot, sample):
    from ui.superior.cells_page import CellsPage

    cells = CellsPage()
    qtbot.addWidget(cells)
    cells.conflicts.selectRow(0)

    def reject(dialog) -> None:
        dialog.ok_button.click()
        assert dialog.isVisible() and "lý do" in dialog.general_error.text() + dialog._field_errors["reason"].text()
        dialog.reason.setText("Chi bộ không gửi gói này")
        dialog.ok_button.click()

    run_modals(qtbot, lambda: cells.resolve(False), reject)
    assert superior.conflicts(include_resolved=True)[0]["resolution"] == "rejected"


def test_the_return_dialog_writes_a_package_the_cell_accepts(qtbot, empty_superior, tmp_path):
    from ui.superior.return_dialog import ReturnPackageDialog

    superior_import.import_package(empty_superior["tay"].read_bytes())
    cell = superior.cells()[0]
    grades_file = tmp_path / "xep-loai.csv"
    dialog = ReturnPackageDialog(cell)
    qtbot.addWidget(dialog)
    assert dialog.year.value() == 2026 and dialog.chosen_periods() == ["2026"]
    refs = dialog.refs
    assert len(refs) == 5 and dialog.grades.item(0, 1).text().startswith("Trần")
    grades_file.write_text(f"ref,grade,reason\n{refs[1]},tot,Hoàn thành tốt việc được giao\n", encoding="utf-8")
    dialog.set_grade(refs[0], "xuat-sac")
    dialog.load_grades(grades_file)
    assert dialog.chosen_grades() == {refs[0]: "xuat-sac", refs[1]: "tot"}
    assert dialog.grades_to_send()[refs[1]] == ("tot", "Hoàn thành tốt việc được giao")
    out = tmp_path / "tra-ve.chibo"
    dialog.path.setText(str(out))
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and out.is_file()
    assert "Chi bộ thôn Tây" in dialog.result_text()
    names = {refs[0]: dialog.grades.item(0, 1).text(), refs[1]: dialog.grades.item(1, 1).text()}
    close_database()
    open_database(empty_superior["tay_db"])
    try:
        assert not cell_service.is_superior()
        outcome = return_package.import_return(out.read_bytes())
        assert [a["period"] for a in outcome.accepted] == ["2026"]
        assert {g["full_name"]: g["grade"] for g in outcome.grades} == {
            names[refs[0]]: "xuat-sac", names[refs[1]]: "tot"}
        assert [a["period"] for a in period_lock.acceptances()] == ["2026"]
    finally:
        close_database()
    open_database(empty_superior["superior"])


def test_the_exchange_key_file_is_written_with_its_fingerprint_shown(qtbot, sample, tmp_path, monkeypatch):
    from app.services import keys, package_crypto
    from ui.superior import cells_page
    from ui.superior.cells_page import CellsPage

    target = tmp_path / "khoa.json"
    monkeypatch.setattr("ui.files.ask_save_path", lambda *_args, **_kw: target)
    said = []
    monkeypatch.setattr(cells_page, "show_info", lambda _parent, text, _title=None: said.append(text))
    page = CellsPage()
    qtbot.addWidget(page)
    page.key_button.click()
    public = keys.read_public_key_file(target, purpose=keys.EXCHANGE)
    assert public == keys.public_exchange_key()
    assert package_crypto.fingerprint(public) in said[0]


def test_closing_the_window_on_a_superior_file_takes_its_backup(qtbot, sample):
    from app.services import safety

    window = _window(qtbot)
    assert safety.takes_backups() and safety.last_backup_time() is None
    window.close()
    assert not window.isVisible()
    assert safety.last_backup_time() is not None
    assert list(safety.backup_folder().glob("*khi-dong*"))


def test_first_run_as_a_dang_uy_makes_a_superior_file(qtbot, tmp_path, qapp):  # noqa: F811
    from ui.first_run import CellDialog

    open_database(tmp_path / "moi.sqlite")
    try:
        dialog = CellDialog(first_run=True)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.cell_box.isVisible() and not dialog.superior_box.isVisible()
        dialog.for_superior.setChecked(True)
        assert dialog.superior_box.isVisible() and not dialog.cell_box.isVisible()
        dialog.ok_button.click()
        assert dialog.isVisible() and cell_service.get_cell() is None  # the name is asked first
        dialog.superior_unit.setText("Đảng ủy xã Hòa Bình")
        dialog.superior_above.setText("Đảng bộ tỉnh Phú Thọ")
        dialog.ok_button.click()
        assert dialog.result() == QDialog.DialogCode.Accepted
        assert cell_service.is_superior()
        info = superior.require_superior()
        assert (info.name, info.superior_name) == ("Đảng ủy xã Hòa Bình", "Đảng bộ tỉnh Phú Thọ")
    finally:
        close_database()


def test_first_run_as_a_cell_is_unchanged(qtbot, tmp_path, qapp):  # noqa: F811
    from ui.first_run import CellDialog

    open_database(tmp_path / "moi.sqlite")
    try:
        dialog = CellDialog(first_run=True)
        qtbot.addWidget(dialog)
        dialog.edits["name"].setText("Chi bộ thôn Bắc")
        dialog.edits["superior_name"].setText("Đảng ủy xã Hòa Bình")
        dialog.ok_button.click()
        assert cell_service.get_cell().name == "Chi bộ thôn Bắc" and not cell_service.is_superior()
    finally:
        close_database()
