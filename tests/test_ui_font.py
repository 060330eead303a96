"""The window's font is the bundled Noto Sans, and it draws stacked Vietnamese marks inside the line."""
from __future__ import annotations

import math
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontInfo, QFontMetricsF, QImage, QPainter  # noqa: E402

from app import paths  # noqa: E402
from conftest_ui import qapp, ui_db  # noqa: E402,F401
from ui.application import FONT_FAMILY, FONT_POINT_SIZE, app_font, create_app, install_fonts  # noqa: E402

# Capitals carrying a hỏi hook, a circumflex with a hook or tilde over it: the tallest Vietnamese glyphs.
TALL_CAPITALS = "ẢẨẪỄỎ"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def ink_outside_line(font: QFont, text: str = TALL_CAPITALS) -> tuple[float, float]:
    """Pixels of ink above baseline − ascent and below baseline + descent (≤ 0 means inside).

    The text is drawn on white with its baseline far from the image edges, so nothing the font
    draws is cut by the image itself; any dark pixel outside the line box is ink a widget of
    that line height would clip.
    """
    probe = QImage(1, 1, QImage.Format.Format_RGB32)
    metrics = QFontMetricsF(font, probe)
    line = math.ceil(metrics.height())
    width = math.ceil(metrics.horizontalAdvance(text)) + 4 * line
    image = QImage(width, 4 * line, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    baseline = 2 * line
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.black)
    painter.drawText(2 * line, baseline, text)
    painter.end()
    dark = [y for y in range(image.height())
            if any(QColor(image.pixel(x, y)).lightness() < 128 for x in range(image.width()))]
    assert dark, "nothing was drawn"
    return (baseline - metrics.ascent()) - dark[0], (dark[-1] + 1) - (baseline + metrics.descent())


def test_application_font_is_the_bundled_noto_sans(qapp):
    ids = install_fonts()
    assert len(ids) == 4, "the four bundled Noto Sans files must load"
    families = {family for font_id in ids for family in QFontDatabase.applicationFontFamilies(font_id)}
    assert families == {FONT_FAMILY}
    assert set(QFontDatabase.styles(FONT_FAMILY)) >= {"Regular", "Bold", "Italic", "Bold Italic"}
    font = create_app().font()
    assert QFontInfo(font).family() == FONT_FAMILY
    assert font.pointSize() == FONT_POINT_SIZE
    assert all((paths.fonts_dir() / name).exists() for name in
               ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf"))


def test_the_window_draws_tall_vietnamese_capitals_inside_the_line(qtbot, ui_db):
    from ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    for widget in (window, window.roster.table, window.roster.search, window.nav):
        font = widget.font()
        assert QFontInfo(font).family() == FONT_FAMILY
        above, below = ink_outside_line(font)
        assert above <= 0 and below <= 0, (widget, above, below)


@pytest.mark.parametrize("points", [8, 9, 10, 12, 14, 16, 20, 28])
def test_other_sizes_stay_inside_within_a_hinting_pixel(qapp, points):
    """For a future large-font mode. Hinting snaps Noto's marks to whole pixels and may push one
    anti-aliased row (≤ 1.2 px measured) past the rounded ascent; a clipping font overshoots by more."""
    above, below = ink_outside_line(QFont(FONT_FAMILY, points))
    assert above < 1.5 and below <= 0, (above, below)


@pytest.mark.parametrize("percent", [100, 125, 150, 175])
def test_every_text_size_draws_capitals_inside_the_line(qapp, percent):
    """Cỡ chữ 100–175 %: the interface font at each size keeps Ấ, Ễ, Ộ inside its line."""
    font = app_font(percent)
    assert font.pointSizeF() == pytest.approx(11 * percent / 100)
    above, below = ink_outside_line(font)
    assert above < 1.5 and below <= 0, (above, below)


@pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu Sans is not installed here")
def test_the_check_catches_a_font_that_clips(qapp):
    """DejaVu Sans (Debian's default) puts the hook of Ẩ above its own ascent; the check must see it."""
    families = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(DEJAVU)))
    font = QFont(families[0], FONT_POINT_SIZE)
    assert QFontInfo(font).family() == "DejaVu Sans"
    above, _below = ink_outside_line(font)
    assert above >= 1.5, f"DejaVu Sans at {FONT_POINT_SIZE} pt drew only {above:.2f} px above its ascent"
