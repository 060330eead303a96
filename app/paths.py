"""Where the program finds its bundled files and keeps the user's data."""
from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "chibo"


def project_root() -> Path:
    """The folder holding resources/ and i18n/ (the source tree, or a frozen bundle)."""
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return project_root() / "resources"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def help_dir() -> Path:
    """The built-in guide (Hướng dẫn): one small HTML page per part of the program."""
    return resources_dir() / "help"


def i18n_dir() -> Path:
    return project_root() / "i18n"


def data_dir() -> Path:
    """The user's data folder; the database lives here unless --db says otherwise."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "chibo.sqlite"
