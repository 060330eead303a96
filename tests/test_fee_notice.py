"""Thông báo tình hình đóng đảng phí tháng, read back from the PDF: who paid, who owes, the warnings, the signer."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import unicodedata

import pytest

from app.domain.dates import Month
from app.domain.members import Member, Sex
from app.services import fee_printing, fees
from app.services import members as member_service
from app.services.errors import ServiceError
from tests.conftest import TODAY

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def add(name: str) -> int:
    member = Member(full_name=name, sex=Sex.FEMALE, birth_date=dt.date(1985, 2, 1),
                    admission_date=dt.date(2010, 5, 1), official_date=dt.date(2011, 5, 20))
    member_id = member_service.add_member(member, today=TODAY).member.id
    fees.set_profile(member_id, "other", from_month=Month(2026, 1), region=1, today=TODAY)
    return member_id


@needs_poppler
def test_the_notice_names_who_paid_who_owes_and_the_warnings(cell_db, tmp_path):
    paid, owing = add("Trần Thị Lan"), add("Lê Thị Hà")
    for month in range(1, 11):
        fees.pay_due(paid, Month(2026, month), today=TODAY)
    for month in (1, 2, 3, 4, 5, 6):
        fees.pay_due(owing, Month(2026, month), today=TODAY)
    target = tmp_path / "thong-bao.pdf"
    fee_printing.print_fee_notice(Month(2026, 10), target, today=TODAY)
    text = unicodedata.normalize("NFC", subprocess.run(["pdftotext", "-layout", str(target), "-"],
                                                       capture_output=True, text=True, check=True).stdout)
    flowing = " ".join(text.split())  # justified lines run on
    assert "THÔNG BÁO" in text and "Tình hình đóng đảng phí tháng 10 năm 2026" in flowing
    assert "1 đồng chí đã đóng đủ, 1 đồng chí chưa đóng đủ" in flowing
    lan = next(line for line in text.splitlines() if "Trần Thị Lan" in line)
    ha = next(line for line in text.splitlines() if "Lê Thị Hà" in line and "15.930" in line)
    assert "Đã đóng" in lan and "Chưa đóng" in ha
    assert "Đề nghị chi bộ xem xét xóa tên" in flowing  # July … October unpaid: four months
    assert "T/M CHI BỘ" in text


def test_the_notice_comes_back_as_bytes_and_refuses_another_extension(cell_db, tmp_path):
    add("Trần Thị Lan")
    assert fee_printing.print_fee_notice(Month(2026, 11), today=TODAY).startswith(b"%PDF")
    with pytest.raises(ServiceError, match=".pdf"):
        fee_printing.print_fee_notice(Month(2026, 11), tmp_path / "thong-bao.docx", today=TODAY)
