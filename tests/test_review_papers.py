"""The annual review's papers read back from the PDF: each member's form (Mẫu 2C/2B/2A) with its scores, ticked
grade and tasks; every form in one file; the summary's counts and Biểu 6F; the cell's report; the meeting's
minutes; the ballots; and the refusals."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.domain.meetings import Mark, Meeting
from app.domain.members import Member
from app.services import meetings as meeting_service
from app.services import members as member_service
from app.services import review as review_service
from app.services import review_printing, review_tasks
from app.services.errors import ServiceError
from app.storage.models import Cell
from tests.conftest import TODAY, needs_poppler
from tests.test_meetings import SmallCell, build_small_cell

YEAR = 2026
REVIEW_DAY = dt.date(2026, 11, 20)


@dataclass
class ReviewCell:
    """The small cell of the meeting tests, with a newly admitted and a suspended member, and a filled season."""

    people: SmallCell
    new: int        # admitted 2026-09-01: not reviewed (under 6 months)
    suspended: int  # đình chỉ sinh hoạt: not reviewed
    meeting: int


def _member(name: str, admitted: dt.date, official: dt.date | None) -> int:
    member = Member(full_name=name, admission_date=admitted, ceremony_date=admitted, official_date=official)
    return member_service.add_member(member, today=TODAY).member.id


def _review_meeting(people: SmallCell) -> int:
    meeting = meeting_service.add_meeting(Meeting(
        date=REVIEW_DAY, start=dt.time(19, 30), end=dt.time(21, 45), place="Nhà văn hóa thôn Đông",
        chair_id=people.son, minute_taker_id=people.anh))
    meeting_service.set_attendance(meeting.id, people.ech, Mark.EXCUSED, reason="Đi công tác", today=TODAY)
    meeting_service.mark_rest_present(meeting.id, today=TODAY)
    return meeting.id


def _tasks(member_id: int, statuses: list[str]) -> None:
    for month, status in enumerate(statuses, start=3):
        task = review_tasks.add_task(member_id, f"Nhiệm vụ tháng {month}: vận động hộ gia đình nộp quỹ",
                                     due_month=f"{YEAR}-{month:02d}")
        review_tasks.set_status(task.id, status)


def build_review_cell() -> ReviewCell:
    people = build_small_cell()
    new = _member("Đinh Văn Mới", dt.date(2026, 9, 1), None)
    suspended = _member("Lò Thị Đình", dt.date(2001, 5, 1), dt.date(2002, 5, 1))
    meeting = _review_meeting(people)
    review_service.open_season(YEAR, review_date=REVIEW_DAY, meeting_id=meeting)
    review_service.update_season(YEAR, present=5)
    _tasks(people.son, ["vuot", "dung-han", "dung-han"])
    _tasks(people.anh, ["dung-han", "dung-han"])
    review_service.set_review(
        YEAR, people.son, general_score="27,5", task_score="63", self_grade="xuat-sac",
        strengths="Gương mẫu, đoàn kết, giữ vững lập trường.\nLãnh đạo chi bộ hoàn thành các chỉ tiêu của năm.",
        shortcomings="Có lúc chưa sâu sát cơ sở.", remedies="Đã khắc phục hạn chế năm trước về sinh hoạt định kỳ.",
        plan="Tăng cường đi cơ sở, nắm tình hình nhân dân.", committee_view="Đồng chí gương mẫu, có uy tín.",
        cell_comments="Chi bộ nhất trí cao.", votes={"xuat-sac": 4, "tot": 1}, voters=5, proposed_grade="xuat-sac",
        final_grade="tot", final_reason="Vượt tỷ lệ Hoàn thành xuất sắc của Đảng bộ",
        final_decision="Quyết định số 15-QĐ/ĐU ngày 25/12/2026")
    review_service.set_review(YEAR, people.anh, form="2B", general_score=25, task_score=55, self_grade="tot",
                              sick_months=4, votes={"tot": 5}, voters=5, proposed_grade="tot", final_grade="tot")
    review_service.set_review(YEAR, people.at, general_score=20, task_score=40, self_grade="hoan-thanh",
                              works_elsewhere=True, proposed_grade="hoan-thanh")
    review_service.set_review(YEAR, suspended, suspended=True)
    review_service.set_cell_rating(YEAR, general=26, tasks=62, exceeded=False, self_grade="tot", votes={"tot": 5},
                                   strengths="Chi bộ lãnh đạo hoàn thành các chỉ tiêu kinh tế – xã hội của thôn.",
                                   plan="Nâng cao chất lượng sinh hoạt chi bộ.")
    return ReviewCell(people, new, suspended, meeting)


@pytest.fixture
def review_cell(cell_db) -> ReviewCell:
    return build_review_cell()


def text_of(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return unicodedata.normalize("NFC", out)


def flowing(pdf: Path) -> str:
    """The text with every run of spaces and line ends made one space (justified lines run on)."""
    return " ".join(text_of(pdf).split())


def pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def line_with(text: str, needle: str) -> str:
    return next(line for line in text.splitlines() if needle in line)


# --- the member's form ---------------------------------------------------------------------------

@needs_poppler
def test_the_form_prints_the_headings_in_order_with_the_members_scores_and_ticked_grade(review_cell, tmp_path):
    target = review_printing.print_review_form(YEAR, review_cell.people.son, tmp_path / "son.pdf")
    text, flat = text_of(target), flowing(target)
    headings = ["Mẫu 2C-HD KĐ.ĐG 2025", "ĐẢNG BỘ XÃ HÒA BÌNH", "ĐẢNG CỘNG SẢN VIỆT NAM",
                "Hòa Bình, ngày 20 tháng 11 năm 2026", "BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN", "Năm 2026",
                "(Đảng viên không làm việc trong hệ thống chính trị)", "Họ và tên: Lê Văn Sơn",
                "A. NỘI DUNG KIỂM ĐIỂM", "I. Ưu điểm, kết quả đạt được", "II. Hạn chế, khuyết điểm và nguyên nhân",
                "III. Kết quả khắc phục những hạn chế", "IV. Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)",
                "V. Làm rõ trách nhiệm của cá nhân", "VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm",
                "B. NỘI DUNG TỰ ĐÁNH GIÁ, XẾP LOẠI", "I. Đánh giá theo các nhóm tiêu chí",
                "được quy định tại Phụ lục 5, Quy định 366-QĐ/TW",
                "1. Nhóm tiêu chí chung: 27,5/30", "2. Nhóm tiêu chí về kết quả thực hiện nhiệm vụ: 63/70",
                "Tổng điểm: 90,5/100", "II. Đề xuất xếp loại mức chất lượng:", "NGƯỜI TỰ KIỂM ĐIỂM",
                "(Ký, ghi rõ họ tên)", "Nhận xét, đánh giá của chi ủy:", "Chi bộ đề xuất xếp loại mức chất lượng:",
                "T/M CHI ỦY (CHI BỘ)", "Đảng ủy xã Hòa Bình xếp loại mức chất lượng: Hoàn thành tốt nhiệm vụ",
                "T/M ĐẢNG ỦY"]
    positions = [flat.find(h) for h in headings]
    assert -1 not in positions, [h for h, p in zip(headings, positions) if p == -1]
    assert positions == sorted(positions)
    # The self grade is ticked, and only it.
    assert re.search(r"X\s+Hoàn thành xuất sắc nhiệm vụ", line_with(text, "Hoàn thành xuất sắc nhiệm vụ"))
    for other in ("Hoàn thành tốt nhiệm vụ", "Không hoàn thành nhiệm vụ"):
        assert "X" not in line_with(text, other).split(other)[0]
    assert "Gương mẫu, đoàn kết, giữ vững lập trường." in flat and "Có lúc chưa sâu sát cơ sở." in flat
    assert "Hoàn thành xuất sắc nhiệm vụ: 4 phiếu; Hoàn thành tốt nhiệm vụ: 1 phiếu" in flat
    assert "Quyết định số 15-QĐ/ĐU ngày 25/12/2026" in flat


@needs_poppler
def test_the_form_lists_the_years_tasks_with_their_results_and_shares(review_cell, tmp_path):
    flat = flowing(review_printing.print_review_form(YEAR, review_cell.people.son, tmp_path / "son.pdf"))
    assert flat.count("vận động hộ gia đình nộp quỹ") == 3
    for due, result in (("03/2026", "Hoàn thành vượt yêu cầu"), ("04/2026", "Hoàn thành đúng hạn")):
        assert re.search(rf"{due}\s+{result}", flat)
    assert "hoàn thành đúng tiến độ: 100%; vượt yêu cầu: 33,33%" in flat
    # The criteria sheet used, each item with its maximum points.
    assert "Khung tiêu chí áp dụng: Khung tiêu chí mặc định theo Phụ lục 5" in flat
    assert re.search(r"Tự phê bình và phê bình, khắc phục hạn chế, khuyết điểm\s+10", flat)


@needs_poppler
def test_another_form_changes_subtitle_appendix_and_item_two(review_cell, tmp_path):
    anh = flowing(review_printing.print_review_form(YEAR, review_cell.people.anh, tmp_path / "anh.pdf"))
    assert "Mẫu 2B-HD KĐ.ĐG 2025" in anh and "(Cá nhân không giữ chức vụ lãnh đạo, quản lý)" in anh
    assert "Phụ lục 4, Quy định 366-QĐ/TW" in anh and "gắn với hiệu quả, tiến độ, chất lượng công việc" in anh
    assert "Hướng dẫn 43, mục 7.5" in anh  # four months sick
    asked = flowing(review_printing.print_review_form(YEAR, review_cell.people.anh, tmp_path / "2a.pdf", form="2A"))
    assert "Mẫu 2A-HD KĐ.ĐG 2025" in asked and "Phụ lục 3, Quy định 366-QĐ/TW" in asked
    assert "(Cá nhân giữ chức vụ lãnh đạo, quản lý)" in asked


@needs_poppler
def test_a_form_not_yet_decided_leaves_the_grades_and_lines_blank(review_cell, tmp_path):
    text = text_of(review_printing.print_review_form(YEAR, review_cell.people.ech, tmp_path / "ech.pdf"))
    flat = " ".join(text.split())
    assert "1. Nhóm tiêu chí chung: ……/30" in flat and "Tổng điểm: ……/100" in flat
    assert not any(re.search(r"X\s+(Hoàn|Không)", line) for line in text.splitlines())
    assert "Đảng ủy xã Hòa Bình xếp loại mức chất lượng: ……" not in flat  # left blank, dotted lines below
    at = flowing(review_printing.print_review_form(YEAR, review_cell.people.at, tmp_path / "at.pdf"))
    assert "Chưa có nhận xét của chi ủy nơi cư trú (Quy định 213)." in at


def test_a_member_not_reviewed_is_refused_with_the_reason(review_cell, tmp_path):
    with pytest.raises(ServiceError, match=r"Đỗ Thị Ư .*\(Miễn công tác và sinh hoạt đảng\); không in bản kiểm điểm"):
        review_printing.print_review_form(YEAR, review_cell.people.u, tmp_path / "u.pdf")
    with pytest.raises(ServiceError, match=r"Mới kết nạp chưa đủ 6 tháng.*không in phiếu biểu quyết"):
        review_printing.print_ballots(YEAR, tmp_path / "moi.pdf", member_id=review_cell.new)
    assert not (tmp_path / "u.pdf").exists() and not (tmp_path / "moi.pdf").exists()


def test_a_year_with_no_season_is_refused_naming_the_year(review_cell, tmp_path):
    with pytest.raises(ServiceError, match="Chưa mở đợt kiểm điểm năm 2025"):
        review_printing.print_review_summary(2025, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_an_unknown_form_is_refused_in_vietnamese(review_cell, tmp_path):
    with pytest.raises(ServiceError, match="chọn 2C, 2B hoặc 2A"):
        review_printing.print_review_form(YEAR, review_cell.people.son, tmp_path / "x.pdf", form="3D")


@needs_poppler
def test_every_form_in_one_file_each_from_a_new_page_with_progress(review_cell, tmp_path):
    calls: list[tuple[int, int]] = []
    target = review_printing.print_review_forms(YEAR, tmp_path / "all.pdf", progress=lambda d, t: calls.append((d, t)))
    reviewed = [r for r in review_service.review_rows(YEAR) if r.reviewed]
    assert len(reviewed) == 4  # Sơn, Ánh, Ất, Ếch
    assert calls == [(i, 4) for i in range(1, 5)]
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(target), "-"], capture_output=True, text=True,
                         check=True).stdout
    page_texts = [unicodedata.normalize("NFC", p) for p in out.split("\f")[:-1]]
    starts = [i for i, p in enumerate(page_texts) if "BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN" in p]
    assert len(starts) == 4 and len(page_texts) == pages(target)
    assert all(page_texts[i].lstrip().startswith("Mẫu 2") for i in starts)  # each form at the top of a page
    names = [next(r.full_name for r in reviewed if f"Họ và tên: {r.full_name}" in page_texts[i]) for i in starts]
    assert names == [r.full_name for r in reviewed]


# --- the summary ---------------------------------------------------------------------------------

@needs_poppler
def test_the_summary_counts_grades_shares_and_bieu_6f_exactly(review_cell, tmp_path):
    target = review_printing.print_review_summary(YEAR, tmp_path / "tong-hop.pdf")
    text, flat = text_of(target), flowing(target)
    assert "TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2026" in flat
    head = text[text.index("NĂM 2026"):text.index("Nguyễn Thị Ngọc Ánh")]  # headers wrap inside their cells
    for word in ("STT", "Họ và tên", "Chức vụ", "Tổng", "điểm", "Tự xếp loại", "Chi bộ đề", "Đảng ủy", "quyết định",
                 "Ghi chú"):
        assert word in head
    son = line_with(text, "Lê Văn Sơn")
    assert re.search(r"Bí thư chi bộ\s+90,5\s+HTXSNV\s+HTXSNV\s+HTTNV", son)
    assert "Miễn công tác và sinh hoạt đảng" in line_with(text, "Đỗ Thị Ư")
    assert "Đình chỉ sinh hoạt đảng" in line_with(text, "Lò Thị Đình")
    assert "Chưa có kết quả xếp loại" in line_with(text, "Vũ Thị Ếch")
    # Of the 4 reviewed, the cell proposed 1 excellent, 1 good, 1 passed; the Đảng ủy decided 2 good.
    assert re.search(r"Hoàn thành xuất sắc nhiệm vụ\s+1\s+25%\s+0\s+0%", text)
    assert re.search(r"Hoàn thành tốt nhiệm vụ\s+1\s+25%\s+2\s+50%", text)
    assert re.search(r"Hoàn thành nhiệm vụ\s+1\s+25%\s+0\s+0%", text)
    assert re.search(r"Cộng\s+3\s+75%\s+2\s+50%", text)
    assert "Tổng số đảng viên của chi bộ: 7 đồng chí." in flat
    assert "Số đảng viên được đánh giá, xếp loại: 4 đồng chí (chưa có kết quả xếp loại: 1 đồng chí)." in flat
    assert "Số đảng viên không đánh giá, xếp loại: 3 đồng chí, trong đó:" in flat
    assert "+ Miễn công tác và sinh hoạt đảng: 1 đồng chí;" in flat
    assert "+ Đình chỉ sinh hoạt đảng: 1 đồng chí;" in flat
    assert "+ Mới kết nạp chưa đủ 6 tháng: 1 đồng chí." in flat
    assert "không tính vào tổng số): 1 đồng chí." in flat  # Phạm Quốc Việt, here for a while
    assert ("Chi bộ đề xuất: 1 đồng chí Hoàn thành xuất sắc nhiệm vụ, 1 đồng chí Hoàn thành tốt nhiệm vụ; được phép "
            "tối đa 0 đồng chí Hoàn thành xuất sắc nhiệm vụ; vượt 1 đồng chí.") in flat
    assert "T/M CHI ỦY" in text and "BÍ THƯ" in text


# --- the cell's report, the minutes, the ballots -------------------------------------------------

@needs_poppler
def test_the_cell_report_carries_its_scores_ticked_grade_and_the_members_results(review_cell, tmp_path):
    target = review_printing.print_cell_report(YEAR, tmp_path / "bao-cao.pdf")
    text, flat = text_of(target), flowing(target)
    headings = ["Mẫu 01-HD KĐ.ĐG 2025", "Số -BC/CB", "BÁO CÁO", "tập thể Chi bộ thôn Đông kiểm điểm, tự đánh giá",
                "A. NỘI DUNG KIỂM ĐIỂM", "VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm",
                "Nâng cao chất lượng sinh hoạt chi bộ.", "B. NỘI DUNG TỰ ĐÁNH GIÁ, XẾP LOẠI", "Phụ lục 1",
                "1. Nhóm tiêu chí chung: 26/30", "2. Nhóm tiêu chí về kết quả thực hiện nhiệm vụ: 62/70",
                "Tổng điểm: 88/100", "II. Đề xuất xếp loại mức chất lượng", "Hoàn thành tốt nhiệm vụ: 2 đồng chí (50%)",
                "(Gửi kèm Phụ lục về kết quả thực hiện nhiệm vụ", "Nơi nhận:", "T/M CHI ỦY (CHI BỘ)", "Lưu Chi bộ."]
    positions = [flat.find(h) for h in headings]
    assert -1 not in positions, [h for h, p in zip(headings, positions) if p == -1]
    assert positions == sorted(positions)
    assert re.search(r"X\s+Hoàn thành tốt nhiệm vụ", text)


@needs_poppler
def test_the_minutes_take_the_review_meeting_and_every_members_votes(review_cell, tmp_path):
    target = review_printing.print_review_minutes(YEAR, tmp_path / "bien-ban.pdf")
    text, flat = text_of(target), flowing(target)
    assert "BIÊN BẢN" in text and "HỘI NGHỊ KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM 2026" in flat
    assert "vào hồi 19 giờ 30 phút, ngày 20 tháng 11 năm 2026, tại Nhà văn hóa thôn Đông" in flat
    assert "Chủ trì: đồng chí Lê Văn Sơn" in flat and "đồng chí Nguyễn Thị Ngọc Ánh" in flat
    assert "Có lý do: 1 đồng chí (đồng chí Vũ Thị Ếch: Đi công tác)." in flat
    assert re.search(r"Lê Văn Sơn\s+4\s+1\s+0\s+0\s+HTXSNV", text)
    assert re.search(r"Nguyễn Thị Ngọc Ánh\s+0\s+5\s+0\s+0\s+HTTNV", text)
    assert "Tập thể chi bộ: Hoàn thành xuất sắc nhiệm vụ: 0 phiếu; Hoàn thành tốt nhiệm vụ: 5 phiếu" in flat
    assert "Hội nghị kết thúc vào hồi 21 giờ 45 phút cùng ngày." in flat
    assert "THƯ KÝ" in text and "CHỦ TRÌ" in text


@needs_poppler
def test_the_minutes_without_a_meeting_leave_blanks_on_the_review_date(review_cell, tmp_path):
    review_service.update_season(YEAR, meeting_id=None)
    flat = flowing(review_printing.print_review_minutes(YEAR, tmp_path / "bien-ban.pdf"))
    assert "vào hồi …… giờ …… phút, ngày 20 tháng 11 năm 2026, tại ……" in flat
    assert "Số đảng viên có mặt: 5 đồng chí." in flat


@needs_poppler
def test_one_ballot_per_reviewed_member_and_one_for_the_cell(review_cell, tmp_path):
    target = review_printing.print_ballots(YEAR, tmp_path / "phieu.pdf")
    flat = flowing(target)
    assert flat.count("PHIẾU BIỂU QUYẾT MỨC XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2026") == 4
    assert flat.count("PHIẾU BIỂU QUYẾT MỨC XẾP LOẠI CHẤT LƯỢNG TẬP THỂ CHI BỘ NĂM 2026") == 1
    assert flat.count("(Đồng ý mức nào thì đánh dấu X vào ô tương ứng; mỗi phiếu chỉ chọn một mức)") == 5
    assert "Họ và tên đảng viên: Lê Văn Sơn" in flat and "Tập thể: Chi bộ thôn Đông" in flat
    assert "Đỗ Thị Ư" not in flat
    assert pages(target) == 2  # three ballots to a page
    one = flowing(review_printing.print_ballots(YEAR, tmp_path / "son.pdf", member_id=review_cell.people.son))
    assert one.count("PHIẾU BIỂU QUYẾT") == 1 and "Lê Văn Sơn" in one


# --- what every paper shares -----------------------------------------------------------------------

PAPERS = {
    "form": lambda cell, path: review_printing.print_review_form(YEAR, cell.people.son, path),
    "forms": lambda cell, path: review_printing.print_review_forms(YEAR, path),
    "summary": lambda cell, path: review_printing.print_review_summary(YEAR, path),
    "cell": lambda cell, path: review_printing.print_cell_report(YEAR, path),
    "minutes": lambda cell, path: review_printing.print_review_minutes(YEAR, path),
    "ballots": lambda cell, path: review_printing.print_ballots(YEAR, path),
}


@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_no_cell_details_is_refused_as_for_every_paper(review_cell, tmp_path, paper):
    Cell.delete().execute()
    with pytest.raises(ServiceError, match="Chưa có thông tin chi bộ"):
        PAPERS[paper](review_cell, tmp_path / "x.pdf")


@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_a_failed_write_leaves_no_file_and_says_so(review_cell, tmp_path, paper):
    target = tmp_path / "missing-folder" / "x.pdf"
    with pytest.raises(ServiceError, match="Không ghi được tệp"):
        PAPERS[paper](review_cell, target)
    assert not target.parent.exists()


@needs_poppler
@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_every_paper_embeds_its_fonts_and_keeps_vietnamese_whole(review_cell, tmp_path, paper):
    target = PAPERS[paper](review_cell, tmp_path / f"{paper}.pdf")
    assert target == tmp_path / f"{paper}.pdf"
    fonts = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all(row[-5] == "yes" for row in rows), fonts  # every font embedded
    assert all("Helvetica" not in line and "Times" not in line for line in fonts.splitlines())
    text = text_of(target)
    assert "ĐẢNG" in text or "PHIẾU" in text
    assert unicodedata.normalize("NFC", text) == text and "\ufffd" not in text
