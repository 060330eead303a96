"""Shared fixtures: a fresh database per test, and Qt forced offscreen before anything imports it."""
from __future__ import annotations

import datetime as dt
import importlib
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.domain.cell import CellInfo  # noqa: E402
from app.services import cell as cell_service  # noqa: E402
from app.storage import db as storage  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_XLSX = FIXTURES / "danh-sach-dang-vien-thon-dong.xlsx"
TODAY = dt.date(2026, 11, 23)

# No test may depend on the machine's speed: hypothesis' default 200 ms deadline per example is a timing assertion.
settings.register_profile("chibo", deadline=None)
settings.load_profile("chibo")


def _importable(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


# Optional parts: a test that needs one is skipped, with the reason, where it is missing.
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils (pdftotext, pdfinfo, pdffonts) is not installed")
needs_sqlcipher = pytest.mark.skipif(not _importable("sqlcipher3"),
                                     reason="sqlcipher3 is not installed, so encryption is unavailable")
needs_qtpdf = pytest.mark.skipif(not _importable("PySide6.QtPdf"),
                                 reason="PySide6-Addons (QtPdf) is not installed, so there is no preview")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "chibo.sqlite"
    storage.open_database(path)
    yield path
    storage.close_database()


@pytest.fixture
def cell_db(db_path: Path) -> Path:
    """A database with the cell set up and no members."""
    cell_service.save_cell(CellInfo(name="Chi bộ thôn Đông", superior_name="Đảng bộ xã Hòa Bình",
                                    place_name="Hòa Bình", term_label="2025–2030"))
    return db_path
