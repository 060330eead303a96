"""Starting the window: the Qt application, the bundled fonts, the database and the first run."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLabel, QLineEdit

from app import paths
from app.i18n import _, set_language

FONT_FAMILY = "Noto Sans"
# The one place the interface size is set; a large-font mode changes only this.
FONT_POINT_SIZE = 11
FONT_FILES = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf")

_loaded_font_ids: list[int] = []


def install_fonts() -> list[int]:
    """Register the bundled Noto Sans once; system fonts (DejaVu on Debian) clip Vietnamese capitals."""
    if not _loaded_font_ids:
        for name in FONT_FILES:
            font_id = QFontDatabase.addApplicationFont(str(paths.fonts_dir() / name))
            if font_id < 0:
                print(_("Không nạp được phông chữ {file}.").format(file=name), file=sys.stderr)
            else:
                _loaded_font_ids.append(font_id)
    return list(_loaded_font_ids)


def app_font(percent: int = 100) -> QFont:
    """The interface font at a text size (Cỡ chữ) in percent of the normal 11 pt."""
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(FONT_POINT_SIZE * percent / 100)
    return font


def apply_text_scale(percent: int) -> None:
    """Every widget built from now on takes this size; the main window builds itself again to follow."""
    app = QApplication.instance()
    if app is not None:
        app.setFont(app_font(percent))


def saved_text_scale() -> int:
    """The Cỡ chữ kept with the cell's settings (100 when unreadable)."""
    from app.services import settings as setting_service
    from app.services.errors import ServiceError
    from app.storage.db import DatabaseError

    try:
        value = int(setting_service.get("ui.text_scale"))
    except (ServiceError, DatabaseError, ValueError, TypeError):
        return 100
    return value if value in setting_service.TEXT_SCALES else 100


def create_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the bundled font; safe to call again (tests and scripts share one)."""
    app = QApplication.instance()
    if app is None:
        QApplication.setOrganizationName("chibo")
        QApplication.setApplicationName("chibo")
        app = QApplication(argv if argv is not None else sys.argv[:1])
    install_fonts()
    app.setFont(app_font())
    from ui.qt_language import install_qt_translations
    install_qt_translations(app)
    return app


def seconds_since_process_start() -> float:
    """Wall time since the OS started this process (the benchmark counts Python's own start-up too)."""
    try:
        if sys.platform.startswith("linux"):
            ticks = os.sysconf("SC_CLK_TCK")
            start = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19]) / ticks
            uptime = float(Path("/proc/uptime").read_text().split()[0])
            return uptime - start
        if sys.platform == "win32":
            return _windows_process_age()
    except (OSError, ValueError, IndexError):
        pass
    return time.perf_counter() - _IMPORTED_AT


def _windows_process_age() -> float:
    import ctypes
    from ctypes import wintypes

    created, ignored = wintypes.FILETIME(), wintypes.FILETIME()
    handle = ctypes.windll.kernel32.GetCurrentProcess()
    ctypes.windll.kernel32.GetProcessTimes(handle, ctypes.byref(created), *(ctypes.byref(ignored),) * 3)
    start = ((created.dwHighDateTime << 32) | created.dwLowDateTime) / 1e7 - 11644473600
    return time.time() - start


_IMPORTED_AT = time.perf_counter()


def ask_passphrase(message: str) -> str | None:
    """The passphrase of an encrypted file, or None if the secretary gives up."""
    dialog = QInputDialog()
    dialog.setWindowTitle(_("Tệp dữ liệu đã mã hóa"))
    dialog.setLabelText(message + "\n\n" + _("Mật khẩu:"))
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    dialog.setOkButtonText(_("Mở"))
    dialog.setCancelButtonText(_("Thoát"))
    # The message names the file with its whole path: it wraps, so the dialog fits a small screen.
    for label in dialog.findChildren(QLabel):
        label.setWordWrap(True)
    dialog.setMaximumWidth(720)
    return dialog.textValue() if dialog.exec() == QDialog.DialogCode.Accepted else None


def _open(db_path: Path, passphrase: str | None = None) -> bool:
    """Open the file for this window; when another window is editing it, ask first (ui/safety/second_window)."""
    from app.storage.db import DatabaseError, PassphraseNeeded, WrongPassphrase, open_database
    from ui.dialogs import show_error
    from ui.safety.second_window import ask_how_to_open

    read_only = ask_how_to_open(db_path)
    if read_only is None:
        return False
    while True:
        try:
            open_database(db_path, passphrase, role="window", read_only=read_only)
            from app.services.safety import tidy_after_start

            tidy_after_start()
            return True
        except (PassphraseNeeded, WrongPassphrase) as exc:
            # The storage layer cannot tell an encrypted file from a foreign one; its message says both.
            passphrase = ask_passphrase(str(exc))
            if passphrase is None:
                return False
        except DatabaseError as exc:
            show_error(None, _("Không mở được dữ liệu của chi bộ.\n\n{error}").format(error=exc),
                       _("Không mở được tệp dữ liệu"))
            return False


def run_gui(db_path: Path | None, lang: str = "vi", passphrase: str | None = None) -> int:
    """Open the window on the cell's database; returns the process exit code."""
    set_language(lang)
    app = create_app()
    if not _open(db_path or paths.default_db_path(), passphrase):
        return 1
    from app.services import cell
    from app.storage.db import close_database
    from ui.first_run import CellDialog
    from ui.main_window import MainWindow

    try:
        apply_text_scale(saved_text_scale())
        if cell.get_cell() is None and CellDialog(first_run=True).exec() != QDialog.DialogCode.Accepted:
            return 0
        window = MainWindow()
        window.show_first()
        if os.environ.get("CHIBO_QUIT_AFTER_SHOWN") == "1":
            # A zero timer fires once the event loop has painted the window and waits for input.
            QTimer.singleShot(0, lambda: (print(f"{seconds_since_process_start():.3f}", flush=True), app.quit()))
        return app.exec()
    finally:
        close_database()
