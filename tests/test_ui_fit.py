"""Every page fits an office laptop (1366×768, 1280×720) and large text: rows, labels and the roll."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QRect  # noqa: E402
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QTableView  # noqa: E402

from app.services import demo  # noqa: E402
from app.services import settings as setting_service  # noqa: E402
from app.storage.db import close_database, open_database  # noqa: E402
from conftest_ui import qapp  # noqa: E402,F401
from ui.application import apply_text_scale  # noqa: E402
from ui.main_window import MEETINGS, PAGES, MainWindow  # noqa: E402

# The usable part of a 1366×768 screen under a task bar and a title bar.
LAPTOP = (1366, 768 - 40 - 30)


@pytest.fixture
def demo_cell(tmp_path, qapp):
    open_database(tmp_path / "demo.sqlite")
    demo.build_demo()
    yield
    apply_text_scale(100)
    close_database()


def _window(qtbot, size=LAPTOP) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


def _visible_rows(view: QAbstractItemView) -> int:
    viewport = view.viewport()
    first, last = view.rowAt(0), view.rowAt(viewport.height() - 1)
    if last < 0:
        last = view.model().rowCount() - 1
    return last - first + 1 if first >= 0 else 0


def test_the_roll_shows_at_least_twelve_members_on_a_laptop_screen(qtbot, demo_cell):
    window = _window(qtbot)
    window.nav.setCurrentRow(MEETINGS)
    QApplication.processEvents()
    roll = window.meetings.roll.view
    assert roll.model().rowCount() >= 12
    assert _visible_rows(roll) >= 12


@pytest.mark.parametrize("percent", [100, 150])
def test_every_page_fits_the_laptop_screen_and_its_labels_and_rows_are_tall_enough(qtbot, demo_cell, percent):
    apply_text_scale(percent)
    window = _window(qtbot)
    for row in range(len(PAGES)):
        window.nav.setCurrentRow(row)
        QApplication.processEvents()
        # Nothing forces the window past the screen: its buttons and status bar stay on it.
        hint = window.minimumSizeHint()
        assert hint.width() <= LAPTOP[0] and hint.height() <= LAPTOP[1], (PAGES[row].label(), hint)
        page = window.pages.currentWidget()
        for label in page.findChildren(QLabel):
            if not label.isVisibleTo(page) or not label.text():
                continue
            needed = label.heightForWidth(label.width()) if label.wordWrap() else label.sizeHint().height()
            # Noto Sans's stacked capitals need the whole line height; a label squeezed below it is cut.
            assert label.height() >= min(needed, label.maximumHeight()) - 1, (PAGES[row].label(), label.text())
        for view in page.findChildren(QTableView):
            if view.isVisibleTo(page):
                assert view.verticalHeader().defaultSectionSize() >= view.fontMetrics().height() + 4, (PAGES[row].label(), view)


def test_the_window_opens_maximized_on_a_small_screen_and_not_on_a_large_one(qtbot, demo_cell):
    from ui.dialogs import settings

    settings().remove("geometry/MainWindow")  # the first start: no size remembered
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.needs_maximizing(QRect(0, 0, 1366, 728))
    assert window.needs_maximizing(QRect(0, 0, 1280, 680))
    assert not window.needs_maximizing(QRect(0, 0, 1920, 1040))


def test_the_text_size_is_a_setting_applied_at_once(qtbot, demo_cell):
    window = _window(qtbot)
    before = window.roster.table.font().pointSizeF()
    window.set_text_scale(150)
    assert setting_service.get("ui.text_scale") == 150
    assert window.roster.table.font().pointSizeF() == pytest.approx(before * 1.5)
    window.step_text_scale(-1)
    assert setting_service.get("ui.text_scale") == 125
    with pytest.raises(Exception, match="100, 125, 150, 175"):
        setting_service.set_value("ui.text_scale", "130")


def test_a_setting_given_as_a_number_is_checked_like_one_typed(demo_cell):
    with pytest.raises(Exception, match="100, 125, 150, 175"):
        setting_service.set_value("ui.text_scale", 130)
    with pytest.raises(Exception):
        setting_service.set_value("fees.confirm_factor", 1)  # the fees area's own check, loaded first
    with pytest.raises(Exception, match="Không có thiết lập"):
        setting_service.set_value("no.such", 1)
