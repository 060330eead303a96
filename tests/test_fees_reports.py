"""The fee book read back: the PDF through pdftotext/pdffonts/pdfinfo, the XLSX through openpyxl."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from app.domain.dates import Month
from app.domain.members import Member, Sex
from app.domain.money import format_number
from app.services import demo, demo_fees, fee_export, fee_printing, fees
from app.services import members as member_service
from app.services.errors import ServiceError
from tests.conftest import TODAY

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


@pytest.fixture
def demo_db(cell_db):
    # cell_db already holds a cell; the demo builder refuses only a file with members.
    demo.build_demo(TODAY)
    demo_fees.build(TODAY)
    return cell_db


def pdf_text(path: Path) -> str:
    return unicodedata.normalize("NFC", subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                                                       text=True, check=True).stdout)


@needs_poppler
def test_fee_book_pdf_reads_back_with_vietnamese_and_totals(demo_db, tmp_path):
    target = tmp_path / "so.pdf"
    fee_printing.print_fee_book(2026, target, today=TODAY)
    text = pdf_text(target)
    for heading in ("ĐẢNG CỘNG SẢN VIỆT NAM", "Mẫu số S01/ĐP", "SỔ THU, NỘP ĐẢNG PHÍ", "Năm 2026",
                    "PHẦN I – THU ĐẢNG PHÍ", "Họ và tên đảng viên", "Được miễn", "Truy thu", "trước",
                    "PHẦN II: TỔNG HỢP THU, NỘP ĐẢNG PHÍ HÀNG THÁNG", "NĂM: 2026", "Cộng quý I", "Cộng quý IV",
                    "Cộng cả năm", "NGƯỜI GHI SỔ", "T/M CHI BỘ", "Đảng bộ xã Hòa Bình", "Miễn: 50 năm tuổi đảng"):
        assert heading in text, heading
    book = fees.year_book(2026, TODAY)
    year = book.summary[-1]
    # The year's label wraps ("Cộng cả năm (tạm tính đến ngày …)"): its numbers sit on one of its lines.
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if "Cộng cả năm" in line)
    year_line = " ".join(lines[at - 1:at + 3])
    numbers = re.findall(r"\d{1,3}(?:\.\d{3})+|\d+", year_line)
    assert format_number(year.collected) in numbers
    assert format_number(year.retained) in numbers and format_number(year.to_remit) in numbers
    assert year.collected == sum(p.amount for p in fees.payments() if p.paid_on.year == 2026)
    # Each month's total line in Part I carries the month's collection of Part II.
    january = next(r for r in book.month_rows() if r.month == Month(2026, 1))
    assert any("Cộng" in line and format_number(january.collected) in line for line in text.splitlines())
    # Every member's name, diacritics intact.
    for member in book.members[:10]:
        assert member.name in text


@needs_poppler
def test_fee_book_pdf_embeds_only_its_own_fonts_and_is_landscape_a4(demo_db, tmp_path):
    target = tmp_path / "so.pdf"
    fee_printing.print_fee_book(2026, target, today=TODAY)
    fonts = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True, check=True).stdout
    rows = fonts.strip().splitlines()[2:]
    assert rows, fonts
    for row in rows:
        assert "TrueType" in row and " yes yes " in row, row
        assert "Helvetica" not in row and "Times-Roman" not in row
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+841\.89 x 595\.27", info)


def test_pdf_refuses_a_bad_target_name(demo_db, tmp_path):
    with pytest.raises(ServiceError, match=r"\.pdf"):
        fee_printing.print_fee_book(2026, tmp_path / "so.txt", today=TODAY)


def test_fee_book_as_bytes_for_a_year_with_nothing(cell_db):
    member_service.add_member(Member(full_name="Trần Thị Lan", sex=Sex.FEMALE, admission_date=dt.date(2020, 1, 5),
                                     official_date=dt.date(2021, 1, 5)), today=TODAY)
    data = fee_printing.print_fee_book(2024, None, today=TODAY)
    assert data.startswith(b"%PDF")


def test_xlsx_export_reads_back(demo_db, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "so.xlsx"
    count = fee_export.export_year(2026, target, today=TODAY)
    book = fees.year_book(2026, TODAY)
    assert count == len(book.members)
    workbook = load_workbook(target)
    assert workbook.sheetnames == ["Phan I - Thu dang phi", "Phan II - Tong hop", "Luoi thang"]
    part_one = workbook["Phan I - Thu dang phi"]
    texts = [c for row in part_one.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "Số tiền đảng phí chưa đóng đến cuối tháng" in texts
    assert any(t.startswith("Tháng 01/2026 — tính theo") for t in texts)
    assert any(t.startswith("SỔ THU, NỘP ĐẢNG PHÍ") for t in texts)
    part_two = workbook["Phan II - Tong hop"]
    rows = {row[1].split(" (")[0]: row for row in part_two.iter_rows(values_only=True) if row[1]}
    year = book.summary[-1]
    assert rows["Cộng cả năm"][5] == year.collected
    assert rows["Cộng cả năm"][6] + rows["Cộng cả năm"][7] == year.collected
    assert isinstance(rows["Tháng 3"][5], int)
    assert rows["Tháng 12"][5] is None  # not yet come on 23/11/2026
    grid = workbook["Luoi thang"]
    header = [c.value for c in grid[1]]
    assert header[:3] == ["Stt", "Họ và tên đảng viên", "T01/2026"]
    names = [r[1] for r in grid.iter_rows(min_row=2, values_only=True) if isinstance(r[0], int)]
    assert names == [m.name for m in book.members]


def test_xlsx_refuses_another_suffix(demo_db, tmp_path):
    with pytest.raises(ServiceError, match=r"\.xlsx"):
        fee_export.export_year(2026, tmp_path / "so.csv", today=TODAY)
