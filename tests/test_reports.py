"""The printed forms read back from the PDF: Vietnamese text intact, the Party header, counts, fonts, A4, pages."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

from app.domain.meetings import Meeting, MeetingKind
from app.reports import party
from app.services import documents, meeting_printing, settings
from app.services import meetings as svc

from tests.conftest import needs_poppler
from tests.test_meetings import SmallCell, build_small_cell


def text_of(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def fonts_of(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def assert_embedded_serif_only(pdf: Path) -> None:
    fonts = fonts_of(pdf)
    assert fonts, "no fonts"
    for row in fonts:
        # name, type…, emb, sub, uni, object, generation: emb and sub are the 5th and 4th from the end.
        assert row[-5] == "yes" and row[-4] == "yes", row
        assert "LiberationSerif" in row[0], row


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
        (dt.date(2026, 5, 27), "ngày 27 tháng 5 năm 2026"),
        (dt.date(2026, 1, 10), "ngày 10 tháng 01 năm 2026"),
        (dt.date(2026, 12, 9), "ngày 09 tháng 12 năm 2026"),
    ],
)
def test_dates_follow_the_padding_rule(day, text):
    assert party.long_date(day) == text


def test_numbers_symbols_and_committee_names():
    assert party.number_text(3, "BB") == "Số 03-BB/CB"
    assert party.number_text(12, "NQ") == "Số 12-NQ/CB"
    assert party.committee_of("Đảng bộ xã Hòa Bình") == "Đảng ủy xã Hòa Bình"
    assert party.committee_of("Đảng bộ xã Hòa Bình", "Đảng uỷ") == "Đảng uỷ xã Hòa Bình"
    assert party.percent_text(26, 28) == "92,9%" and party.percent_text(5, 5) == "100%"
    assert party.upper(unicodedata.normalize("NFD", "chi bộ thôn đông")) == "CHI BỘ THÔN ĐÔNG"
    assert party.lower_first("Xây dựng nông thôn mới") == "xây dựng nông thôn mới"
    assert party.lower_first("Hồ Chí Minh với thanh niên") == "Hồ Chí Minh với thanh niên"


@pytest.fixture
def feb_meeting(cell_db):
    cell = build_small_cell()
    meeting = svc.add_meeting(Meeting(
        date=dt.date(2026, 2, 5), kind=MeetingKind.REGULAR, start=dt.time(19, 30), end=dt.time(21, 15),
        place="Nhà văn hóa thôn Đông", chair_id=cell.son, minute_taker_id=cell.anh,
        assessment="Chi bộ lãnh đạo nhân dân giữ vững an ninh trật tự; 100% hộ gia đình đăng ký gia đình văn hóa.",
        next_tasks="Tổ chức Tết trồng cây; vận động đóng góp xây dựng đường giao thông nông thôn.",
        conclusions="Chi bộ thống nhất các nhiệm vụ đã đề ra.", votes_for=2, votes_against=0, votes_other=0))
    svc.set_attendance(meeting.id, cell.son, "present")
    svc.set_attendance(meeting.id, cell.anh, "present")
    svc.set_attendance(meeting.id, cell.at, "excused", reason="Ốm nằm viện")
    svc.set_attendance(meeting.id, cell.hung, "absent")
    return cell, meeting


@needs_poppler
def test_minutes_read_back_with_header_counts_and_signatures(feb_meeting, tmp_path):
    cell, meeting = feb_meeting
    pdf = tmp_path / "bien-ban.pdf"
    meeting_printing.print_meetings("minutes", [meeting.id], pdf)
    text = flat(text_of(pdf))
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG BỘ XÃ HÒA BÌNH", "CHI BỘ THÔN ĐÔNG", "Số 01-BB/CB", "BIÊN BẢN",
        "SINH HOẠT CHI BỘ THƯỜNG KỲ", "tháng 02 năm 2026",
        "Hôm nay, vào hồi 19 giờ 30 phút, ngày 05 tháng 02 năm 2026, tại Nhà văn hóa thôn Đông",
        "Tổng số đảng viên của chi bộ: 5 đồng chí; trong đó đảng viên chính thức 4 đồng chí, đảng viên dự bị 1 đồng chí",
        "miễn công tác và sinh hoạt đảng: 1 đồng chí, không dự sinh hoạt 1 đồng chí",
        "sinh hoạt tạm thời (không tính vào tổng số): 1 đồng chí",
        "Số đảng viên có mặt: 2 đồng chí", "Số đảng viên vắng mặt: 2 đồng chí",
        "Có lý do: 1 đồng chí (đồng chí Trần Văn Ất: Ốm nằm viện)",
        "Không có lý do: 1 đồng chí (đồng chí Hoàng Văn Hưng)",
        "Chủ trì: đồng chí Lê Văn Sơn, Bí thư chi bộ", "đồng chí Nguyễn Thị Ngọc Ánh",
        "100% hộ gia đình đăng ký gia đình văn hóa", "thời lượng 105 phút",
        # Over the three official members entitled to vote (Ư is exempt and stayed home), not the two present.
        "với 2/3 đồng chí đảng viên chính thức tán thành, đạt tỷ lệ 66,7%",
        "NGƯỜI GHI BIÊN BẢN", "CHỦ TRÌ HỘI NGHỊ",
    ):
        assert expected in text, expected
    assert unicodedata.is_normalized("NFC", text)
    assert pdf_info(pdf)["Page size"].startswith("595.276 x 841.89")
    assert_embedded_serif_only(pdf)


@needs_poppler
def test_resolution_has_its_number_date_line_recipients_and_signer(feb_meeting, tmp_path):
    _cell, meeting = feb_meeting
    pdf = tmp_path / "nghi-quyet.pdf"
    meeting_printing.print_meetings("resolution", [meeting.id], pdf)
    text = flat(text_of(pdf))
    for expected in ("ĐẢNG CỘNG SẢN VIỆT NAM", "Số 01-NQ/CB", "Hòa Bình, ngày 05 tháng 02 năm 2026", "NGHỊ QUYẾT",
                     "lãnh đạo thực hiện nhiệm vụ tháng 02 năm 2026", "I. ĐÁNH GIÁ KẾT QUẢ LÃNH ĐẠO THÁNG 01 NĂM 2026",
                     "II. PHƯƠNG HƯỚNG, NHIỆM VỤ THÁNG 02 NĂM 2026",
                     "III. KẾT LUẬN Chi bộ thống nhất các nhiệm vụ đã đề ra.", "IV. TỔ CHỨC THỰC HIỆN",
                     "Nghị quyết này được chi bộ thảo luận và biểu quyết thông qua tại kỳ sinh hoạt ngày "
                     "05/02/2026, với 2/3 đồng chí", "Nơi nhận:",
                     "Đảng ủy xã Hòa Bình (để báo cáo)", "Lưu Chi bộ.", "T/M CHI BỘ", "BÍ THƯ", "Lê Văn Sơn"):
        assert expected in text, expected
    assert "K/T" not in text
    assert_embedded_serif_only(pdf)
    assert pdf_info(pdf)["Page size"].startswith("595.276 x 841.89")


@needs_poppler
def test_printing_again_keeps_the_number_and_a_preview_gives_none(feb_meeting, tmp_path):
    _cell, meeting = feb_meeting
    preview = tmp_path / "preview.pdf"
    preview.write_bytes(meeting_printing.preview("minutes", meeting.id))
    assert "Số 01-BB/CB" in flat(text_of(preview))
    assert documents.number_of(documents.MINUTES, meeting.id) is None
    second = svc.add_meeting(Meeting(date=dt.date(2026, 3, 5)))
    meeting_printing.print_meetings("minutes", [second.id, meeting.id], tmp_path / "a.pdf")
    meeting_printing.print_meetings("minutes", [second.id, meeting.id], tmp_path / "b.pdf")
    text = flat(text_of(tmp_path / "b.pdf"))
    # Asked March first: the file keeps the order asked, the numbers follow the meetings' dates.
    assert text.index("Số 02-BB/CB") < text.index("Số 01-BB/CB")
    assert documents.number_of(documents.MINUTES, meeting.id) == 1
    assert documents.number_of(documents.MINUTES, second.id) == 2
    assert text_of(tmp_path / "a.pdf") == text_of(tmp_path / "b.pdf")


@needs_poppler
def test_long_content_breaks_across_pages_with_numbers_from_page_two(feb_meeting, tmp_path):
    _cell, meeting = feb_meeting
    long_text = "\n".join(f"- Nội dung thứ {i}: chi bộ đánh giá kết quả thực hiện nghị quyết, phân công đảng viên "
                          f"phụ trách hộ gia đình, vận động nhân dân giữ gìn vệ sinh môi trường." for i in range(1, 80))
    svc.update_meeting(meeting.id, {"assessment": long_text})
    pdf = tmp_path / "dai.pdf"
    meeting_printing.print_meetings("minutes", [meeting.id], pdf)
    pages = int(pdf_info(pdf)["Pages"])
    assert pages >= 3
    assert text_of(pdf, 1).split()[0] != "1"  # no number on the first page
    for page in range(2, pages + 1):
        assert text_of(pdf, page).split()[0] == str(page)
    text = flat(text_of(pdf))
    assert all(f"Nội dung thứ {i}:" in text for i in range(1, 80))
    # The signatures come with the closing sentence, never alone on the last page.
    last = flat(text_of(pdf, pages))
    assert "Buổi sinh hoạt kết thúc" in last and "NGƯỜI GHI BIÊN BẢN" in last


@needs_poppler
def test_many_minutes_in_one_file_each_start_a_page_with_their_own_numbering(feb_meeting, tmp_path):
    _cell, meeting = feb_meeting
    others = [svc.add_meeting(Meeting(date=dt.date(2026, m, 5), kind=MeetingKind.REGULAR)).id for m in (3, 4)]
    pdf = tmp_path / "ca-nam.pdf"
    meeting_printing.print_meetings("minutes", [meeting.id, *others], pdf)
    starts = [p for p in range(1, int(pdf_info(pdf)["Pages"]) + 1)
              if "BIÊN BẢN" in [line.strip() for line in text_of(pdf, p).splitlines()]]
    assert len(starts) == 3
    for page in starts:
        assert not re.match(r"^\d+$", text_of(pdf, page).split()[0])


@needs_poppler
def test_decomposed_text_prints_composed(feb_meeting, tmp_path):
    _cell, meeting = feb_meeting
    topic = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
    svc.update_meeting(meeting.id, {"kind": MeetingKind.COMBINED, "topic": unicodedata.normalize("NFD", topic)})
    pdf = tmp_path / "nfd.pdf"
    meeting_printing.print_meetings("minutes", [meeting.id], pdf)
    assert topic in flat(text_of(pdf))


def _register_cell(cell: SmallCell, months: int) -> None:
    for month in range(1, months + 1):
        meeting = svc.add_meeting(Meeting(date=dt.date(2026, month, 6)))
        svc.mark_rest_present(meeting.id)
        if month in (1, 3, 5):
            svc.set_attendance(meeting.id, cell.anh, "absent")
        if month == 2:
            svc.set_attendance(meeting.id, cell.at, "excused", reason="Ốm")


@needs_poppler
def test_the_year_register_shows_marks_totals_and_the_absence_flag(cell_db, tmp_path):
    cell = build_small_cell()
    _register_cell(cell, 6)
    pdf = tmp_path / "so-diem-danh.pdf"
    meeting_printing.print_attendance_register(2026, pdf, today=dt.date(2026, 7, 1))
    info = pdf_info(pdf)
    assert info["Page size"].startswith("841.89 x 595.276")  # A4, turned
    assert_embedded_serif_only(pdf)
    raw = text_of(pdf)
    text = flat(raw)
    for expected in ("ĐẢNG CỘNG SẢN VIỆT NAM", "SỔ THEO DÕI ĐẢNG VIÊN DỰ SINH HOẠT CHI BỘ", "Năm 2026",
                     "Hòa Bình, ngày 01 tháng 7 năm 2026", "Nguyễn Thị Ngọc Ánh", "Trần Văn Ất", "Cả năm", "Có mặt",
                     "T/M CHI BỘ", "(*)"):
        assert expected in text, expected
    layout_text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                                 text=True, check=True).stdout
    anh = next(line for line in layout_text.splitlines() if "Nguyễn Thị Ngọc Ánh" in line).split()
    # Six months: K C K C K C, then 3 present, 0 with reason, 3 without reason; her name is flagged (R3).
    assert anh[-9:] == ["K", "C", "K", "C", "K", "C", "3", "0", "3"]
    assert anh[anh.index("Ánh") + 1] == "(*)"
    at = next(line for line in layout_text.splitlines() if "Trần Văn Ất" in line).split()
    assert at[-9:] == ["C", "P", "C", "C", "C", "C", "5", "1", "0"]
    # Hưng left in March: his April–June cells say he was no longer in the cell.
    hung = next(line for line in layout_text.splitlines() if "Hoàng Văn Hưng" in line).split()
    assert hung[-9:] == ["C", "C", "C", "–", "–", "–", "3", "0", "0"]


@needs_poppler
def test_a_long_register_repeats_its_header_rows_on_every_page(cell_db, tmp_path):
    from app.domain.members import Member
    from app.services import members as member_service

    build_small_cell()
    for i in range(45):
        member_service.add_member(Member(full_name=f"Nguyễn Văn Thứ {i:02d}", admission_date=dt.date(2001, 1, 1),
                                         official_date=dt.date(2002, 1, 1)), today=dt.date(2026, 11, 23))
    meeting = svc.add_meeting(Meeting(date=dt.date(2026, 2, 6)))
    svc.mark_rest_present(meeting.id)
    pdf = tmp_path / "dai.pdf"
    meeting_printing.print_attendance_register(2026, pdf, today=dt.date(2026, 11, 23))
    pages = int(pdf_info(pdf)["Pages"])
    assert pages >= 3
    for page in range(1, pages + 1):
        if "Nguyễn Văn Thứ" in text_of(pdf, page):
            assert "Họ và tên" in text_of(pdf, page)
        if page > 1:
            assert text_of(pdf, page).split()[0] == str(page)


@needs_poppler
def test_layout_sizes_come_from_the_data_file(feb_meeting, tmp_path, monkeypatch):
    import json

    from app.reports import layout as layout_module

    data = json.loads(layout_module.layout_path().read_text(encoding="utf-8"))
    data["page"]["margin_mm"]["left"] = 60
    custom = tmp_path / "layout.json"
    custom.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(layout_module, "layout_path", lambda: custom)
    _cell, meeting = feb_meeting
    pdf = tmp_path / "rong.pdf"
    meeting_printing.print_meetings("minutes", [meeting.id], pdf)
    normal = tmp_path / "thuong.pdf"
    monkeypatch.undo()
    meeting_printing.print_meetings("minutes", [meeting.id], normal)
    assert int(pdf_info(pdf)["Pages"]) > int(pdf_info(normal)["Pages"]) or \
        len(text_of(pdf).splitlines()) > len(text_of(normal).splitlines())
    assert settings.get("meetings.min_minutes") == 90


def test_a_blank_document_number_keeps_its_gap_in_a_paragraph():
    """Ordinary spaces collapse in a paragraph («Số -BB/CB»); the blank for the hand-written number must not."""
    from reportlab.platypus import Paragraph

    text = party.number_text(None, "BB")
    assert text.startswith("Số") and text.endswith("-BB/CB") and " " not in text
    width = Paragraph(text).minWidth()
    assert width > Paragraph("Số -BB/CB").minWidth()
