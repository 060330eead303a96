"""Shared fixtures: a fresh database per test, and Qt forced offscreen before anything imports it."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.domain.cell import CellInfo  # noqa: E402
from app.services import cell as cell_service  # noqa: E402
from app.storage import db as storage  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_XLSX = FIXTURES / "danh-sach-dang-vien-thon-dong.xlsx"
TODAY = dt.date(2026, 11, 23)


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
