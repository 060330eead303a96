"""Qt's own words (standard buttons, text-box menus, file and print dialogs) in Vietnamese.

Two parts: the catalogue, for the words Qt writes itself, and Qt's default locale, for what it takes
from the locale (file types from the MIME database, "Tài liệu PDF"; dates and sizes in the file
dialog). chibo formats its own dates and money in Python, so the locale changes nothing else.

Qt ships no Vietnamese catalogue, so chibo carries one: i18n/qt_vi.ts, compiled by lrelease to
resources/i18n/qt_vi.qm. After editing the .ts, recompile it:

    pyside6-lrelease i18n/qt_vi.ts -qm resources/i18n/qt_vi.qm

(a test fails while the two disagree).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from app import i18n, paths

_translator: QTranslator | None = None


def qt_catalogue_path() -> Path:
    return paths.resources_dir() / "i18n" / "qt_vi.qm"


def install_qt_translations(app: QCoreApplication, language: str | None = None) -> bool:
    """Translate Qt's own strings into the program's language (app.i18n's by default).

    Vietnamese installs the bundled catalogue and makes vi_VN Qt's default locale; any other
    language removes the catalogue (Qt's source strings are English already) and goes back to the
    system's locale. Returns True when the Vietnamese catalogue is in place.
    Safe to call again: the one translator is installed once and kept alive here.
    """
    global _translator
    if (language or i18n.language()) != "vi":
        if _translator is not None:
            app.removeTranslator(_translator)
            _translator = None
        QLocale.setDefault(QLocale.system())
        return False
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    if _translator is None:
        translator = QTranslator(app)
        if not translator.load(str(qt_catalogue_path())):
            return False
        app.installTranslator(translator)
        _translator = translator
    return True
