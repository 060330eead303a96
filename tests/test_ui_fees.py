"""The Đảng phí page driven with keys: a payment in two keystrokes, a typed amount, the dialogs; each test
checks what the database holds afterwards."""
from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QShortcut  # noqa: E402
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QTableView  # noqa: E402

from app.domain.dates import Month  # noqa: E402
from app.domain.members import Sex  # noqa: E402
from app.services import fees  # noqa: E402
from conftest_ui import add, qapp, run_modals, type_text, ui_db  # noqa: E402,F401
from tests.conftest import TODAY  # noqa: E402
from ui.fees.dialogs import PaymentDialog, ProfileDialog, ReliefDialog  # noqa: E402
from ui.fees.model import COL_OWED, FIRST_MONTH, RowRole  # noqa: E402
from ui.fees.page import FeesPage  # noqa: E402


@pytest.fixture
def members(ui_db):
    lan = add("Trần Thị Lan", sex=Sex.FEMALE, birth_date=dt.date(1985, 2, 1), admission_date=dt.date(2010, 5, 1),
              official_date=dt.date(2011, 5, 20))
    hung = add("Nguyễn Văn Hùng", sex=Sex.MALE, birth_date=dt.date(1979, 7, 9), admission_date=dt.date(2012, 1, 9),
               official_date=dt.date(2013, 1, 20))
    fees.set_profile(lan.id, "other", from_month=Month(2026, 1), region=1, today=TODAY)
    fees.set_profile(hung.id, "bhxh", from_month=Month(2026, 1), basis=8_000_000, today=TODAY)
    return lan, hung


def shown_page(qtbot, width: int = 1200, height: int = 800) -> FeesPage:
    """The Đảng phí page on today's year, shown at this size (test_ui_fees_refresh builds its page here too)."""
    widget = FeesPage(today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def page(qtbot, members):
    return shown_page(qtbot)


def cell(page: FeesPage, member_id: int, month: int):
    row = page.model.row_of(member_id)
    return page.model.index(row, FIRST_MONTH + month - 1)


def focus_cell(qtbot, page: FeesPage, member_id: int, month: int) -> None:
    index = cell(page, member_id, month)
    page.table.setFocus()
    page.table.setCurrentIndex(index)
    qtbot.wait(1)


def test_model_passes_qt_model_tester(qtmodeltester, page):
    qtmodeltester.check(page.model)


def settle_before(page: FeesPage, member_id: int, month: int) -> None:
    """Pay the months before `month` (so Enter on it has no older month to go to first)."""
    for earlier in range(1, month):
        fees.pay_due(member_id, Month(2026, earlier), today=TODAY)
    page.reload()


def test_enter_records_the_due_in_cash_today(qtbot, page, members):
    lan, hung = members
    settle_before(page, hung.id, 2)
    focus_cell(qtbot, page, hung.id, 2)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    stored = fees.payments(hung.id)
    assert [(p.amount, p.month_from, p.paid_on, p.channel.value) for p in stored][1:] == \
        [(80_000, Month(2026, 2), TODAY, "cash")]
    assert "80.000" in page.message.text()
    # The cursor moved down, like a spreadsheet, and the grid shows the month as paid.
    assert page.model.data(cell(page, hung.id, 2)) == "80.000"
    assert page.table.currentIndex().row() == page.model.row_of(hung.id) + 1


def test_enter_pays_the_oldest_month_still_owed_and_says_so(qtbot, page, members):
    lan, _hung = members
    settle_before(page, lan.id, 9)
    focus_cell(qtbot, page, lan.id, 11)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert [p.month_from for p in fees.payments(lan.id)][-1] == Month(2026, 9)
    assert page.message.text().startswith("Đã ghi tháng 09/2026 — tháng cũ nhất còn nợ — thay vì tháng 11/2026")
    # The cursor is on the month recorded, in the same row: Enter again pays October.
    assert page.table.currentIndex() == cell(page, lan.id, 9)
    focus_cell(qtbot, page, lan.id, 11)
    fees.add_excuse(lan.id, Month(2026, 10), reason="Nằm viện cả tháng", today=TODAY)
    page.reload()
    focus_cell(qtbot, page, lan.id, 11)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert [p.month_from for p in fees.payments(lan.id)][-1] == Month(2026, 11)  # October has a good reason


def test_space_records_too_and_a_second_press_says_already_paid(qtbot, page, members):
    lan, _hung = members
    settle_before(page, lan.id, 3)
    focus_cell(qtbot, page, lan.id, 3)
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert [p.amount for p in fees.payments(lan.id)][2:] == [15_930]
    focus_cell(qtbot, page, lan.id, 3)
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert len(fees.payments(lan.id)) == 3
    assert "đã đóng đủ" in page.message.text()


def test_typing_an_amount_into_a_cell_records_it(qtbot, page, members):
    lan, _hung = members
    focus_cell(qtbot, page, lan.id, 4)
    qtbot.keyClicks(page.table, "2")
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    type_text(qtbot, editor, "20.000")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(fees.payments(lan.id)) == 1, timeout=2000)
    payment = fees.payments(lan.id)[0]
    assert (payment.amount, payment.month_from) == (20_000, Month(2026, 4))
    assert page.model.data(cell(page, lan.id, 4)) == "20.000"


def test_a_bad_typed_amount_is_refused_with_a_message(qtbot, page, members):
    lan, _hung = members
    page.record_typed(lan.id, Month(2026, 4), "-500")
    assert fees.payments(lan.id) == []
    assert "âm" in page.message.text()


def test_f2_opens_the_dialog_for_several_months_on_the_portal(qtbot, page, members):
    _lan, hung = members
    focus_cell(qtbot, page, hung.id, 5)

    def fill(dialog: PaymentDialog) -> None:
        dialog.month_to.setText("07/2026")
        dialog.amount.setText("240.000")
        dialog.channel.setCurrentIndex(1)
        dialog.reference.setText("DVC2605123456")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    run_modals(qtbot, lambda: qtbot.keyClick(page.table, Qt.Key.Key_F2), fill)
    stored = fees.payments(hung.id)
    assert [(p.amount, str(p.month_from), str(p.month_to), p.channel.value, p.reference) for p in stored] == \
        [(240_000, "2026-05", "2026-07", "portal", "DVC2605123456")]


def test_payment_dialog_shows_the_error_under_the_field_and_stores_nothing(qtbot, page, members):
    lan, _hung = members
    dialog = PaymentDialog(lan, Month(2009, 1), 5_000, TODAY, page)
    qtbot.addWidget(dialog)
    dialog.amount.setText("-3")
    assert not dialog.save()
    dialog.amount.setText("5000")
    assert not dialog.save()
    assert "trước khi" in dialog._field_errors["fee.from"].text()
    assert dialog._field_errors["fee.from"].isVisibleTo(dialog)
    assert fees.payments(lan.id) == []


def test_delete_cancels_the_months_payment(qtbot, page, members, monkeypatch):
    lan, _hung = members
    fees.pay_due(lan.id, Month(2026, 6), today=TODAY)
    page.reload()
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Ghi nhầm", True)))
    focus_cell(qtbot, page, lan.id, 6)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert fees.payments(lan.id) == []
    assert "Đã hủy" in page.message.text()


def test_profile_dialog_adds_a_line(qtbot, page, members):
    lan, _hung = members
    dialog = ProfileDialog(lan, Month(2026, 9), TODAY, page)
    qtbot.addWidget(dialog)
    dialog.category.setCurrentIndex(2)  # pension
    dialog.basis.setText("6.120.000")
    assert dialog.save()
    assert fees.due(lan.id, Month(2026, 9)).amount == 30_600


def test_relief_dialog_refuses_more_than_twelve_months(qtbot, page, members):
    lan, _hung = members
    dialog = ReliefDialog(lan, Month(2026, 3), page)
    qtbot.addWidget(dialog)
    dialog.reason.setText("Hộ nghèo")
    dialog.to_month.setText("12/2027")
    assert not dialog.save()
    assert "12 tháng" in dialog._field_errors["fee.to"].text()
    dialog.to_month.setText("02/2027")
    assert dialog.save()
    assert fees.due(lan.id, Month(2026, 5)).exempt


def test_report_and_flags_panels(qtbot, page, members):
    lan, hung = members
    page.reload()
    assert page.flags_table.rowCount() == 2  # both owe since January: R2 warnings
    assert "Đề nghị chi bộ xem xét xóa tên" in page.flags_table.item(0, 2).text()
    focus_cell(qtbot, page, lan.id, 10)
    assert "Tháng 10/2026" in page.report_title.text()
    assert page.report_model.rowCount() == 2
    row = page.model.row_of(hung.id)
    assert page.model.data(page.model.index(row, COL_OWED)) != "0"
    assert page.model.data(page.model.index(row, 0), RowRole).member_id == hung.id


def test_excel_and_the_book_pdf_are_saved_under_dated_names(qtbot, page, members, tmp_path, monkeypatch):
    from ui import files

    asked = []

    def ask(parent, *, title, suggested_name, file_filter, area="pdf"):
        asked.append((suggested_name, file_filter, area))
        return tmp_path / suggested_name

    shown = []
    monkeypatch.setattr(files, "ask_save_path", ask)
    monkeypatch.setattr("ui.fees.papers.show_info", lambda parent, text, title=None: shown.append(text))
    qtbot.mouseClick(page.buttons["export"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=10000)
    qtbot.mouseClick(page.buttons["save_book"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=10000)
    assert [(name, area) for name, _filter, area in asked] == [("so-dang-phi-2026.xlsx", "excel"),
                                                              ("so-dang-phi-2026.pdf", "pdf")]
    assert (tmp_path / "so-dang-phi-2026.xlsx").stat().st_size > 0
    assert (tmp_path / "so-dang-phi-2026.pdf").read_bytes().startswith(b"%PDF")
    assert "so-dang-phi-2026.pdf" in shown[1]


def test_the_months_notice_is_saved_and_printed_from_its_tab(qtbot, page, members, tmp_path, monkeypatch):
    from ui import files, printing

    lan, _hung = members
    asked, printed, shown = [], [], []
    monkeypatch.setattr(files, "ask_save_path", lambda parent, **kw: asked.append(kw["suggested_name"])
                        or tmp_path / kw["suggested_name"])
    monkeypatch.setattr(printing, "print_pdf", lambda parent, data, *, title: printed.append((data, title)))
    monkeypatch.setattr("ui.fees.papers.show_info", lambda parent, text, title=None: shown.append(text))
    focus_cell(qtbot, page, lan.id, 10)
    qtbot.mouseClick(page.buttons["save_notice"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=10000)
    assert asked == ["thong-bao-dang-phi-2026-10.pdf"]
    assert (tmp_path / asked[0]).read_bytes().startswith(b"%PDF")
    qtbot.mouseClick(page.buttons["print_notice"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(printed) == 1, timeout=10000)
    assert printed[0][0].startswith(b"%PDF") and printed[0][1] == "Thông báo đảng phí tháng 10/2026"


def test_in_prints_the_book_and_the_main_buttons_carry_their_shortcuts(qtbot, page, members, monkeypatch):
    from ui import printing

    printed = []
    monkeypatch.setattr(printing, "print_pdf", lambda parent, data, *, title: printed.append((data, title)))
    page.activateWindow()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(printed) == 1, timeout=10000)
    assert printed[0][0].startswith(b"%PDF") and printed[0][1] == "Sổ thu, nộp đảng phí năm 2026"
    assert page.buttons["save_book"].text() == "Lưu PDF…" and page.buttons["print_book"].text() == "In…"
    for key, keys in (("save_book", "Ctrl+S"), ("print_book", "Ctrl+P"), ("profile", "Ctrl+D"),
                      ("relief", "Ctrl+M"), ("excuse", "Ctrl+L"), ("remit", "Ctrl+R"), ("pay", "Enter"),
                      ("dialog", "F2"), ("cancel", "Delete")):
        assert keys in page.buttons[key].toolTip(), key
    sequences = [s.key().toString() for s in page.findChildren(QShortcut)]
    assert len(sequences) == len(set(sequences)), sequences  # no key does two things on this page

def test_a_typed_amount_far_from_the_due_is_asked_about_with_both_amounts(qtbot, page, members, monkeypatch):
    lan, _hung = members
    settle_before(page, lan.id, 4)
    asked = []
    answer = iter([False, True])
    monkeypatch.setattr("ui.fees.page.confirm", lambda parent, text, title, yes: asked.append(text) or next(answer))
    page.record_typed(lan.id, Month(2026, 4), "159.300")
    assert len(fees.payments(lan.id)) == 3  # the secretary said no: nothing written
    assert "159.300" in asked[0] and "15.930" in asked[0] and "Vẫn ghi" in asked[0]
    assert "Chưa ghi" in page.message.text()
    page.record_typed(lan.id, Month(2026, 4), "159.300")
    assert fees.payments(lan.id)[-1].amount == 159_300
    page.record_typed(lan.id, Month(2026, 5), "15.930")  # an ordinary amount is not asked about
    assert len(asked) == 2 and fees.payments(lan.id)[-1].month_from == Month(2026, 5)


def test_the_payment_dialog_asks_too_and_keeps_the_dialog_open_on_no(qtbot, page, members, monkeypatch):
    lan, _hung = members
    monkeypatch.setattr("ui.fees.dialogs.confirm", lambda parent, text, title, yes: False)
    dialog = PaymentDialog(lan, Month(2026, 9), 15_930, TODAY, page)
    qtbot.addWidget(dialog)
    dialog.amount.setText("1.593")
    assert not dialog.save()
    assert fees.payments(lan.id) == []
    monkeypatch.setattr("ui.fees.dialogs.confirm", lambda parent, text, title, yes: True)
    assert dialog.save()
    assert [p.amount for p in fees.payments(lan.id)] == [1_593]


def test_each_tab_shows_its_own_buttons_beside_the_tabs(qtbot, page, members):
    notice = [page.buttons[key] for key in ("copy", "save_notice", "print_notice")]
    assert all(b.isVisible() for b in notice) and not page.buttons["remit"].isVisible()
    page.tabs.setCurrentIndex(2)
    assert page.buttons["remit"].isVisible() and not any(b.isVisible() for b in notice)
    page.tabs.setCurrentIndex(page.tabs.flags_index)
    assert not page.buttons["remit"].isVisible() and not any(b.isVisible() for b in notice)


@pytest.mark.parametrize("percent", [100, 150])
def test_on_a_laptop_the_grid_and_every_panel_keep_three_rows_in_view(qtbot, members, percent):
    from ui.application import apply_text_scale

    apply_text_scale(percent)
    try:
        widget = FeesPage(today=TODAY)
        qtbot.addWidget(widget)
        widget.resize(1366 - 160, 698 - 70)  # the maximized window less its navigation, menu and status bar
        widget.show()
        qtbot.waitExposed(widget)
        assert widget.minimumSizeHint().height() <= widget.height()
        for index in range(widget.tabs.count()):
            widget.tabs.setCurrentIndex(index)
            QApplication.processEvents()
            for table in (widget.table, widget.tabs.currentWidget().findChild(QTableView)):
                rows = table.verticalHeader().defaultSectionSize()
                assert table.viewport().height() >= 3 * rows, (percent, index, table)
        assert widget.message.height() >= 2 * widget.message.fontMetrics().lineSpacing()
    finally:
        apply_text_scale(100)
