"""The fee book as the superior body reads it: its pages read back (pdftotext for text, pdfplumber for the
tables and type sizes) and its spreadsheet, on the demo cell and on small cells built for one rule."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.domain.dates import Month
from app.domain.members import Member, MemberStatus, Sex
from app.domain.meetings import Meeting
from app.services import cell as cell_service
from app.services import demo, fee_export, fee_printing, fees, meetings, settings
from app.services import members as member_service
from app.services.fee_book_rows import cover_line, part_one
from app.storage import db as storage
from tests.conftest import TODAY

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
MID_NOVEMBER = TODAY                 # 23/11/2026: November has not ended
FIRST_OF_DECEMBER = dt.date(2026, 12, 1)  # the day the superior body's copy was printed


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces (headings wrap inside cells)."""
    return re.sub(r"\s+", " ", nfc(text or "")).strip()


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [nfc(page) for page in text.split("\f")[:-1]]


def number(cell: str | None) -> int:
    return int(cell.replace(".", "")) if cell and cell.strip() else 0


@dataclass
class Paper:
    pdf: Path
    pages: list[str]
    tables: list[tuple[int, list[list[str]]]]  # (page index, rows), every ruled table
    sizes: list[float]                          # the size of every character printed
    minutes: list[tuple[dt.date, int]]          # each meeting of the year: its day and its tổng số


def read_paper(pdf: Path, minutes: list[tuple[dt.date, int]]) -> Paper:
    pdfplumber = pytest.importorskip("pdfplumber")
    tables, sizes = [], []
    with pdfplumber.open(pdf) as document:
        for index, page in enumerate(document.pages):
            sizes += [c["size"] for c in page.chars]
            tables += [(index, [[flat(c) if c is not None else None for c in row] for row in table])
                       for table in page.extract_tables()]
    return Paper(pdf, page_texts(pdf), tables, sizes, minutes)


@pytest.fixture(scope="module")
def papers(tmp_path_factory) -> dict[dt.date, Paper]:
    """The demo cell's book printed on 23/11/2026 and on 01/12/2026 (one database for the whole module)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    folder = tmp_path_factory.mktemp("fee-book")
    storage.open_database(folder / "demo.sqlite")
    try:
        demo.build_demo(TODAY)
        minutes = [(s.meeting.date, s.counts.total) for s in meetings.list_meetings(2026)]
        result = {}
        for day in (MID_NOVEMBER, FIRST_OF_DECEMBER):
            target = folder / f"so-{day}.pdf"
            fee_printing.print_fee_book(2026, target, today=day)
            result[day] = read_paper(target, [m for m in minutes if m[0] <= day])
        target = folder / "so-2025.pdf"
        fee_printing.print_fee_book(2025, target, today=MID_NOVEMBER)
        result[dt.date(2025, 12, 31)] = read_paper(target, [])
    finally:
        storage.close_database()
    return result


def part_one_tables(paper: Paper) -> list[list[list[str]]]:
    return [rows for _page, rows in paper.tables if rows[0][0] == "Stt"]


def part_two_rows(paper: Paper) -> dict[str, list[str]]:
    """Part II's lines by their label's first words ("Tháng 12", "Cộng quý IV", "Cộng cả năm")."""
    found = {}
    for _page, rows in paper.tables:
        if rows[0][0] != "Ngày tháng năm nộp":
            continue
        for row in rows[2:]:
            label = row[1] or ""
            match = re.match(r"(Tháng \d+|Cộng quý [IV]+|Cộng cả năm)", label)
            if match:
                found[match.group(1)] = row
    return found


def month_blocks(paper: Paper) -> dict[int, list[list[str]]]:
    """Part I's tables by month (a month that runs onto the next page is joined up)."""
    blocks: dict[int, list[list[str]]] = {}
    for rows in part_one_tables(paper):
        body = [r for r in rows[2:] if r[3] and re.fullmatch(r"\d\d/2026", r[3])]
        if body:
            blocks.setdefault(int(body[0][3][:2]), []).extend([rows[0]] + body)
    return blocks


# --- 1. a month not yet ended is never closed --------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("day", [MID_NOVEMBER, FIRST_OF_DECEMBER])
def test_a_book_made_inside_a_month_marks_it_provisional_and_closes_no_later_month(papers, day):
    paper = papers[day]
    text = flat(" ".join(paper.pages))
    stamp = day.strftime("%d/%m/%Y")
    open_month = day.month
    # The cover says the day and that the year so far is provisional; nothing claims the year's end.
    cover = flat(paper.pages[0])
    assert f"Sổ lập ngày {stamp}, khi tháng {open_month:02d}/2026 chưa kết thúc" in cover
    assert f"Từ đầu năm đến ngày {stamp}" in cover and "(tạm tính)" in cover
    assert "cuối năm" not in text
    # Part I: the open month's heading and its two changing columns name the day; earlier months are closed.
    assert f"Tháng {open_month:02d}/2026 — tính theo 01-QĐ/TW — tháng chưa kết thúc, số liệu tạm tính đến ngày " \
           f"{stamp}" in text
    blocks = month_blocks(paper)
    assert sorted(blocks) == list(range(1, open_month + 1))  # no block for a month after the day
    header = blocks[open_month][0]
    assert header[8] == f"Số tiền đảng phí đã thu đến ngày {stamp}"
    assert header[9] == f"Số tiền đảng phí chưa đóng, tạm tính đến ngày {stamp}"
    assert all(blocks[m][0][9] == "Số tiền đảng phí chưa đóng đến cuối tháng" for m in range(1, open_month))
    # Part II: the month, its quarter and the year are marked; the months after it are empty lines.
    rows = part_two_rows(paper)
    for label in (f"Tháng {open_month}", "Cộng quý IV", "Cộng cả năm"):
        assert rows[label][1].endswith(f"(tạm tính đến ngày {stamp})"), rows[label]
    assert all(not rows[f"Tháng {m}"][1].endswith(")") for m in range(1, open_month))
    for later in range(open_month + 1, 13):
        assert rows[f"Tháng {later}"][2:] == [""] * 9
    assert f"Tháng {open_month:02d}/2026 chưa kết thúc" in text


@needs_poppler
def test_a_year_that_has_ended_is_closed_and_says_nothing_provisional(papers):
    paper = papers[dt.date(2025, 12, 31)]
    text = flat(" ".join(paper.pages))
    assert "tạm tính" not in text
    assert "Cả năm: đã thu" in text and "chưa đóng đến cuối năm" in text
    assert all(rows[0][9] == "Số tiền đảng phí chưa đóng đến cuối tháng" for rows in part_one_tables(paper))


def test_money_received_after_the_day_the_book_is_made_is_not_counted(cell_db):
    member = member_service.add_member(Member(full_name="Trần Thị Lan", sex=Sex.FEMALE, birth_date=dt.date(1980, 1, 1),
                                              admission_date=dt.date(2010, 1, 5), official_date=dt.date(2011, 1, 5)),
                                       today=TODAY).member.id
    fees.set_profile(member, "bhxh", from_month=Month(2026, 1), basis=8_000_000, today=TODAY)
    fees.record_payment(member, amount=80_000, month_from=Month(2026, 11), paid_on=dt.date(2026, 11, 20), today=TODAY)
    line = fees.year_book(2026, dt.date(2026, 11, 10)).member(member).line(Month(2026, 11))
    assert line.provisional and line.collected == 0 and line.unpaid_end == 80_000 * 10 + 80_000
    line = fees.year_book(2026, TODAY).member(member).line(Month(2026, 11))
    assert line.collected == 80_000


# --- 2. every line reads true --------------------------------------------------------------------

def _explained(row: list[str]) -> int:
    """What the note says crossed months: paid before − paid ahead − voluntary extra (amounts it names)."""
    note = row[10] or ""
    before = sum(number(a) for a in re.findall(r"Đã đóng trước ([\d.]+) từ tháng", note))
    before += number(row[5]) * len(re.findall(r"Đã đóng trước từ tháng", note))
    before += sum(number(a) for a in re.findall(r"([\d.]+) đã đóng trước từ các tháng trước", note))
    ahead = sum(number(a) for a in re.findall(r"Gồm ([\d.]+) đóng trước cho tháng", note))
    ahead += sum(number(a) for a in re.findall(r"đã thu gồm ([\d.]+) đóng trước cho các tháng sau", note))
    extra = sum(number(a) for a in re.findall(r"[Đđ]óng thêm ([\d.]+)", note))
    return before - ahead - extra


@needs_poppler
def test_every_line_of_part_one_reads_true_or_its_note_says_why(papers):
    paper = papers[FIRST_OF_DECEMBER]
    checked, notes = 0, ""
    for rows in part_one_tables(paper):
        for row in rows[2:]:
            if not (row[0] and row[0].isdigit()) and row[1] != "Cộng":
                continue
            total, collected, unpaid = number(row[7]), number(row[8]), number(row[9])
            assert total - collected - unpaid == _explained(row), row
            checked += 1
            notes += " " + (row[10] or "")
    assert checked > 12 * 30
    # The demo's advances and back payments are all said where they apply.
    assert "Đã đóng trước từ tháng 10/2026" in notes and "Gồm " in notes and "Đóng bù cho tháng" in notes


def test_an_advance_into_the_next_year_is_placed_there_and_said_on_both_months(cell_db):
    member = member_service.add_member(Member(full_name="Trần Thị Lan", sex=Sex.FEMALE, birth_date=dt.date(1980, 1, 1),
                                              admission_date=dt.date(2010, 1, 5), official_date=dt.date(2011, 1, 5)),
                                       today=TODAY).member.id
    fees.set_profile(member, "bhxh", from_month=Month(2026, 1), basis=8_000_000, today=TODAY)
    fees.record_payment(member, amount=80_000 * 10, month_from=Month(2026, 1), month_to=Month(2026, 10),
                        paid_on=dt.date(2026, 10, 5), today=TODAY)
    # Nov 2026 – Jan 2027 and 5.000 đ more, paid on 10/11.
    fees.record_payment(member, amount=245_000, month_from=Month(2026, 11), month_to=Month(2027, 1),
                        paid_on=dt.date(2026, 11, 10), today=TODAY, )
    book = fees.year_book(2026, dt.date(2026, 12, 1))
    november, _ = part_one(book, Month(2026, 11))
    december, _ = part_one(book, Month(2026, 12))
    assert november[0].note == "Gồm 160.000 đóng trước cho tháng 12/2026–01/2027; Đóng thêm 5.000"
    assert december[0].note == "Đã đóng trước từ tháng 11/2026"
    assert (november[0].total, november[0].collected, november[0].unpaid) == (80_000, 245_000, None)
    assert (december[0].total, december[0].collected, december[0].unpaid) == (80_000, None, None)


# --- 3. type sizes ---------------------------------------------------------------------------------

@needs_poppler
def test_every_character_of_the_book_is_at_least_11_points(papers):
    paper = papers[FIRST_OF_DECEMBER]
    assert round(min(paper.sizes), 2) >= 11
    # The tables (most of the text) are at the size resources/forms/layout.json gives the fee book.
    assert sum(1 for s in paper.sizes if round(s, 1) == 11.0) > 0.8 * len(paper.sizes)


def test_the_fee_book_sizes_come_from_the_layout_file():
    from app.reports.layout import load_layout

    form = load_layout().form("fee_book")
    assert form["table_size"] >= 11 and form["table_header_size"] >= 11 and form["orientation"] == "landscape"


# --- 4. the cover -----------------------------------------------------------------------------------

@needs_poppler
def test_the_cover_names_the_superior_and_the_cell_once(papers):
    cover = papers[FIRST_OF_DECEMBER].pages[0]
    assert cover.count("Đảng bộ xã Hòa Bình") == 1 and "Đảng bộ:" not in cover
    assert cover.count("Chi bộ thôn Đông") == 1 and "Chi bộ:" not in cover
    code = next(line for line in cover.splitlines() if "Mẫu số S01/ĐP" in line)
    assert code.index("Mẫu số") > len(code) / 2  # the form's code in the top right corner


@pytest.mark.parametrize("label, name, line", [
    ("Đảng bộ", "Đảng bộ xã Hòa Bình", "Đảng bộ xã Hòa Bình"),
    ("Đảng bộ", "ĐẢNG BỘ PHƯỜNG TÂN AN", "ĐẢNG BỘ PHƯỜNG TÂN AN"),
    ("Đảng bộ", "Đảng ủy xã Hòa Bình", "Đảng bộ xã Hòa Bình"),
    ("Đảng bộ", "xã Hòa Bình", "Đảng bộ: xã Hòa Bình"),
    ("Chi bộ", "Chi bộ thôn Đông", "Chi bộ thôn Đông"),
    ("Chi bộ", "Thôn Đông", "Chi bộ: Thôn Đông"),
    ("Chi bộ", "", "Chi bộ: ……"),
])
def test_a_cover_line_says_its_label_once(label, name, line):
    assert cover_line(label, name) == line


# --- 5. signatures ----------------------------------------------------------------------------------

def _signature_page(paper: Paper) -> str:
    return next(page for page in paper.pages if "T/M CHI BỘ" in page)


@needs_poppler
def test_the_book_is_signed_by_its_keeper_and_by_the_secretary_for_the_cell(papers):
    paper = papers[FIRST_OF_DECEMBER]
    text = " ".join(paper.pages)
    assert "PHỤ TRÁCH" not in text and "CẤP ỦY" not in text
    lines = _signature_page(paper).splitlines()
    heading = next(i for i, line in enumerate(lines) if "NGƯỜI GHI SỔ" in line)
    assert "T/M CHI BỘ" in lines[heading] and "BÍ THƯ" in lines[heading + 1]
    names = next(line for line in lines[heading:] if "Lê Văn Sơn" in line)
    # The collector at the left (the demo's fees.collector, the deputy), the secretary at the right.
    assert names.index("Nguyễn Thị Ngọc Ánh") < names.index("Lê Văn Sơn")
    assert lines[heading].index("NGƯỜI GHI SỔ") < lines[heading].index("T/M CHI BỘ")


@needs_poppler
def test_a_secretary_who_keeps_the_book_signs_once(cell_db, tmp_path):
    info = cell_service.get_cell()
    info.secretary_name = "Lê Văn Sơn"
    cell_service.save_cell(info, TODAY)
    settings.set_value("fees.collector", "")
    assert fees.collector_name() == "Lê Văn Sơn"
    target = tmp_path / "so.pdf"
    fee_printing.print_fee_book(2026, target, today=TODAY)
    page = page_texts(target)[-1]
    assert "T/M CHI BỘ" in page and "(kiêm người ghi sổ)" in page and "NGƯỜI GHI SỔ" not in page
    assert page.count("Lê Văn Sơn") == 1
    settings.set_value("fees.collector", "Hoàng Thị Mai")
    fee_printing.print_fee_book(2026, target, today=TODAY)
    page = page_texts(target)[-1]
    assert "NGƯỜI GHI SỔ" in page and "Hoàng Thị Mai" in page and "Lê Văn Sơn" in page


@needs_poppler
@pytest.mark.parametrize("day", [MID_NOVEMBER, FIRST_OF_DECEMBER])
def test_no_page_is_blank(papers, day):
    for index, page in enumerate(papers[day].pages):
        words = page.split()
        assert len(words) > 20, (index + 1, words)


@needs_poppler
def test_the_signatures_keep_their_lines_however_many_notes_there_are(cell_db, tmp_path, monkeypatch):
    """Many notes under Part II: the lines kept with the signatures shrink to what fits on a page."""
    demo.build_demo(TODAY)
    notes = [f"Ghi chú số {n}: " + "một dòng ghi chú dài để chiếm chỗ dưới bảng tổng hợp " * 3 for n in range(14)]
    monkeypatch.setattr(fee_printing, "part_two_notes", lambda book: notes)
    target = tmp_path / "so.pdf"
    fee_printing.print_fee_book(2026, target, today=TODAY)
    pages = page_texts(target)
    signed = next(page for page in pages if "T/M CHI BỘ" in page)
    assert "Ghi chú số 13" in signed


@needs_poppler
@pytest.mark.parametrize("day", [MID_NOVEMBER, FIRST_OF_DECEMBER])
def test_no_page_holds_only_signatures(papers, day):
    paper = papers[day]
    signed = [i for i, page in enumerate(paper.pages) if "T/M CHI BỘ" in page]
    assert signed == [len(paper.pages) - 1]
    lines = [row for page, rows in paper.tables if page == signed[0] for row in rows
             if row[1] and re.match(r"Tháng \d+|Cộng", row[1])]
    assert len(lines) >= 4, lines
    assert any(row[1].startswith("Cộng cả năm") for row in lines)


# --- 6. the member count and the minutes -------------------------------------------------------------

@needs_poppler
def test_the_member_count_agrees_with_the_minutes_of_the_month_or_the_paper_says_why(papers):
    paper = papers[MID_NOVEMBER]
    text = flat(" ".join(paper.pages))
    rows = part_two_rows(paper)
    temporary = re.search(r"\(\*\) Tổng số đảng viên kể cả (\d+) đồng chí sinh hoạt tạm thời nơi khác", text)
    assert temporary, "the demo's member in temporary activity elsewhere is said under Part II"
    assert "Sinh hoạt tạm thời nơi khác" in text  # and on that member's lines in Part I
    said = 0
    for day, total in paper.minutes:
        count = rows[f"Tháng {day.month}"][2]
        assert count.endswith("(*)")
        here = int(count.split()[0]) - int(temporary.group(1))  # counted as the minutes count
        if here != total:
            # Said under that month's table in Part I, with who came or left after the meeting.
            block = next(flat(page) for page in paper.pages if f"ngày {day:%d/%m/%Y} ghi tổng số" in page)
            assert (f"Biên bản sinh hoạt chi bộ ngày {day:%d/%m/%Y} ghi tổng số {total} đảng viên (không kể đồng chí "
                    f"sinh hoạt tạm thời nơi khác); đến cuối tháng là {here}, có thêm") in block
            assert f"{day:%m/2026}" in block
            said += 1
    assert len(paper.minutes) > 10 and said >= 1


def test_a_member_in_temporary_activity_elsewhere_is_on_the_book_and_counted_apart(cell_db):
    def add(name: str) -> int:
        return member_service.add_member(Member(full_name=name, sex=Sex.MALE, birth_date=dt.date(1980, 1, 1),
                                                admission_date=dt.date(2010, 1, 5), official_date=dt.date(2011, 1, 5)),
                                         today=TODAY).member.id

    ids = [add("Nguyễn Văn Hùng"), add("Trần Văn Sơn"), add("Lê Văn Minh")]
    for member in ids:
        fees.set_profile(member, "other", from_month=Month(2026, 1), region=3, today=TODAY)
    member_service.change_status(ids[2], MemberStatus.TEMPORARY, effective_date=dt.date(2026, 3, 2),
                                 reason="Sinh hoạt tạm thời tại Đảng bộ phường Tân An", today=TODAY)
    meeting = meetings.add_meeting(Meeting(date=dt.date(2026, 4, 6), topic="Sinh hoạt thường kỳ"))
    minutes = meetings.counts(meeting.id)
    assert (minutes.total, minutes.temporary) == (2, 1)
    book = fees.year_book(2026, TODAY)
    april = next(r for r in book.month_rows() if r.month == Month(2026, 4))
    assert (april.members, april.temporary) == (3, 1)  # on the book: pays at the cell it belongs to
    rows, total = part_one(book, Month(2026, 4))
    assert [r.note for r in rows if r.name == "Lê Văn Minh"] == ["Sinh hoạt tạm thời nơi khác"]
    assert total.note == "3 đảng viên (kể cả 1 đồng chí sinh hoạt tạm thời nơi khác), 0 được miễn"


# --- 7. the spreadsheet -------------------------------------------------------------------------------

def test_the_spreadsheet_follows_the_provisional_month_rule(cell_db, tmp_path):
    from openpyxl import load_workbook

    demo.build_demo(TODAY)
    target = tmp_path / "so.xlsx"
    fee_export.export_year(2026, target, today=FIRST_OF_DECEMBER)
    workbook = load_workbook(target)
    texts = [c for row in workbook["Phan I - Thu dang phi"].iter_rows(values_only=True) for c in row
             if isinstance(c, str)]
    assert texts[0] == "Đảng bộ xã Hòa Bình" and "Chi bộ thôn Đông" in texts
    assert "Tháng 12/2026 — tính theo 01-QĐ/TW — tháng chưa kết thúc, số liệu tạm tính đến ngày 01/12/2026" in texts
    assert texts.count("Số tiền đảng phí chưa đóng đến cuối tháng") == 11
    assert texts.count("Số tiền đảng phí chưa đóng, tạm tính đến ngày 01/12/2026") == 1
    part_two = {row[1]: row for row in workbook["Phan II - Tong hop"].iter_rows(values_only=True) if row[1]}
    assert isinstance(part_two["Tháng 12 (tạm tính đến ngày 01/12/2026)"][4], int)
    assert "Cộng cả năm (tạm tính đến ngày 01/12/2026)" in part_two and "Cộng cả năm" not in part_two
    sheet = workbook["Phan II - Tong hop"]
    counted = [row[2] for row in sheet.iter_rows() if row[1].value and str(row[1].value).startswith("Tháng 5")]
    assert counted[0].value == 33 and counted[0].number_format == '0" (*)"'

    fee_export.export_year(2026, target, today=MID_NOVEMBER)
    workbook = load_workbook(target)
    part_two = {row[1]: row for row in workbook["Phan II - Tong hop"].iter_rows(values_only=True) if row[1]}
    assert part_two["Tháng 12"][2:] == (None,) * 9
    grid = list(workbook["Luoi thang"].iter_rows(values_only=True))
    assert grid[0][12] == "T11/2026 (tạm tính đến 23/11/2026)"
    december = [row[13] for row in grid[1:] if isinstance(row[0], int)]
    assert "chưa" not in december and any(isinstance(v, int) for v in december)  # only what was paid ahead
