"""Every meeting paper of the demo year read back: the register counts as the minutes count, numbers follow
the dates, typed sections print in both papers, pages never hold only a closing, no "..", no blank page foot."""
from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app.cli import main
from app.domain.meetings import AttendanceCounts, Meeting, MeetingKind, VoteResult, count_attendance, vote_result
from app.domain.members import Member
from app.reports import party
from app.services import demo as demo_service
from app.services import meeting_printing
from app.services import meetings as svc
from app.services import members as member_service
from app.storage import db as storage

from tests.conftest import TODAY, needs_poppler
from tests.test_meetings import build_small_cell
from tests.test_reports import flat

pytestmark = needs_poppler
MM = 72 / 25.4
BOTTOM_MARGIN = 20 * MM
# About a quarter page: the most a page foot is left blank, when a resolution's closing block (two lines
# of text, the vote sentence, Nơi nhận and the signature, itself about a quarter page) moves over.
QUARTER = 0.27
CODES = {"C", "P", "K", "M", "T", "–"}


# --- reading a PDF back ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def x(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Page:
    width: float
    height: float
    words: list[Word] = field(default_factory=list)

    def lines(self) -> list[list[Word]]:
        """Words grouped by their line (same top within 2 pt), each line left to right, top to bottom."""
        rows: list[list[Word]] = []
        for w in sorted(self.words, key=lambda w: (w.y0, w.x0)):
            if rows and abs(rows[-1][0].y0 - w.y0) < 2:
                rows[-1].append(w)
            else:
                rows.append([w])
        return [sorted(r, key=lambda w: w.x0) for r in rows]

    def foot_gap(self) -> float:
        """Blank height between the last text and the bottom margin, in points."""
        return self.height - BOTTOM_MARGIN - max(w.y1 for w in self.words)


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def pages_of(pdf: Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for width, height, body in _PAGE.findall(out):
        words = [Word(float(a), float(b), float(c), float(d), html.unescape(t))
                 for a, b, c, d, t in _WORD.findall(body)]
        pages.append(Page(float(width), float(height), words))
    return pages


def texts_of(pdf: Path) -> list[str]:
    """Each page's text (reading order), the page number line included."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return out.split("\f")[:-1]


def body_lines(page_text: str) -> list[str]:
    """The page's lines without the page number at its top."""
    lines = [line.strip() for line in page_text.splitlines() if line.strip()]
    return lines[1:] if lines and lines[0].isdigit() else lines


def line_text(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


_LABEL = re.compile(r"^(\d{1,2}|\d\d/\d\d)$")


def register_columns(page: Page) -> dict[str, float]:
    """The register's meeting columns on a page: label (month or dd/mm) → the column's x centre."""
    for line in page.lines():
        labels = [w for w in line if _LABEL.match(w.text)]
        if len(labels) >= 10:
            return {w.text: w.x for w in labels}
    raise AssertionError("no column labels on the page")


def _column_of(word: Word, columns: dict[str, float]) -> str | None:
    label, x = min(columns.items(), key=lambda item: abs(item[1] - word.x))
    return label if abs(x - word.x) < 5 * MM else None


def register_counts(pdf: Path) -> dict[str, dict[str, str]]:
    """label → {present, expected, rate} as the register's three count rows print them."""
    page = next(p for p in pages_of(pdf) if "phải" in {w.text for w in p.words})
    columns = register_columns(page)
    rows = {"Số đảng viên có mặt": "present", "Số đảng viên phải dự": "expected", "Tỷ lệ dự sinh hoạt (%)": "rate"}
    found: dict[str, dict[str, str]] = {}
    for line in page.lines():
        text = line_text(line)
        key = next((k for k in rows if text.startswith(k)), None)
        if key is None:
            continue
        for w in line[len(key.split()):]:
            label = _column_of(w, columns)
            assert label is not None, (key, w)
            found.setdefault(label, {})[rows[key]] = w.text
    return found


@dataclass
class MemberLine:
    name: str
    codes: list[str]
    totals: tuple[int, int, int]
    by_column: dict[str, str] = field(default_factory=dict)


def register_lines(pdf: Path) -> list[MemberLine]:
    """Every member's line on every page: the letters under the meeting columns and the three totals."""
    result = []
    for page in pages_of(pdf):
        columns = register_columns(page)
        last_column = max(columns.values())
        for line in page.lines():
            if not (line[0].text.isdigit() and len(line) > 4 and line[1].text[:1].isupper()):
                continue
            by_column = {_column_of(w, columns): w.text for w in line if w.text in CODES and _column_of(w, columns)}
            totals = [int(w.text) for w in line if w.x > last_column + 5 * MM]
            name = " ".join(w.text for w in line[1:] if w.x < min(columns.values()) - 4 * MM)
            assert len(totals) == 3, line_text(line)
            result.append(MemberLine(name, list(by_column.values()), tuple(totals), by_column))
    return result


# --- the demo year, printed once --------------------------------------------------------------------

@dataclass
class Printed:
    meeting: Meeting
    counts: AttendanceCounts
    vote: VoteResult
    minutes: Path
    resolution: Path


@dataclass
class DemoPapers:
    db: Path
    meetings: list[Printed]
    registers: dict[int, Path]
    documents: Path

    def all_pdfs(self) -> list[Path]:
        return [p for m in self.meetings for p in (m.minutes, m.resolution)] + [*self.registers.values(),
                                                                              self.documents]

    def of_kind(self, kind: MeetingKind) -> list[Printed]:
        return [m for m in self.meetings if m.meeting.kind is kind]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> DemoPapers:
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "demo.sqlite"
    storage.open_database(db)
    try:
        demo_service.build_demo(TODAY)
        printed = []
        for s in svc.list_meetings():
            m = s.meeting
            roll = svc.attendees(m.id)
            paths = {form: folder / f"{m.date}-{m.id}-{form}.pdf" for form in ("minutes", "resolution")}
            for form, path in paths.items():
                meeting_printing.print_meetings(form, [m.id], path)
            printed.append(Printed(m, count_attendance(roll), vote_result(m, roll), paths["minutes"],
                                   paths["resolution"]))
        years = sorted({p.meeting.date.year for p in printed})
        registers = {y: folder / f"so-theo-doi-{y}.pdf" for y in years}
        for year, path in registers.items():
            meeting_printing.print_attendance_register(year, path, today=TODAY)
        documents = folder / "so-van-ban-di.pdf"
        meeting_printing.print_document_register(None, documents, today=TODAY)
    finally:
        storage.close_database()
    return DemoPapers(db, printed, registers, documents)


def _minutes_counts(pdf: Path) -> dict[str, int | str]:
    text = flat("\n".join(texts_of(pdf)))
    exempt_away = re.search(r"không dự sinh hoạt (\d+) đồng chí", text)
    return {"total": int(re.search(r"Tổng số đảng viên của chi bộ: (\d+) đồng chí", text)[1]),
            "exempt_away": int(exempt_away[1]) if exempt_away else 0,
            "present": int(re.search(r"Số đảng viên có mặt: (\d+) đồng chí", text)[1]),
            "rate": re.search(r"Tỷ lệ đảng viên dự sinh hoạt: ([\d,]+%)", text)[1]}


def _label(m: Meeting) -> str:
    # The demo holds one regular (or combined) meeting a month: its column is headed by the month.
    return str(m.date.month) if m.kind.is_regular else m.date.strftime("%d/%m")


# --- R4: one counting rule for the minutes and the register ---------------------------------------

def test_the_register_counts_every_meeting_as_its_minutes_do(demo):
    for year, register in demo.registers.items():
        counts, lines = register_counts(register), register_lines(register)
        of_year = [p for p in demo.meetings if p.meeting.date.year == year]
        assert len(counts) == len(of_year), (year, sorted(counts))
        for p in of_year:
            minutes = _minutes_counts(p.minutes)
            column = counts[_label(p.meeting)]
            assert int(column["present"]) == minutes["present"], p.meeting.date
            assert int(column["expected"]) == minutes["total"] - minutes["exempt_away"], p.meeting.date
            assert int(column["present"]) <= int(column["expected"]), p.meeting.date
            assert column["rate"] + "%" == minutes["rate"], p.meeting.date
            # The letters in the column add up to its counts: C's are có mặt, C, P and K are phải dự.
            letters = [line.by_column.get(_label(p.meeting), "") for line in lines]
            assert letters.count("C") == int(column["present"]), p.meeting.date
            assert sum(letter in "CPK" and letter != "" for letter in letters) == int(column["expected"])


def test_every_member_line_adds_up_and_an_exempt_member_who_came_is_counted(demo):
    lines = register_lines(demo.registers[2026])
    assert len(lines) == len({line.name for line in lines}) >= 30
    for line in lines:
        assert line.totals == (line.codes.count("C"), line.codes.count("P"), line.codes.count("K")), line
    # The demo's exempt members come now and then: their C's are in their own yearly total.
    came = [line for line in lines if "M" in line.codes and "C" in line.codes]
    assert came and all(line.totals[0] == line.codes.count("C") > 0 for line in came)


def test_thematic_meetings_have_their_own_columns_in_the_register(demo):
    counts = register_counts(demo.registers[2026])
    thematic = [p.meeting for p in demo.of_kind(MeetingKind.THEMATIC)]
    assert thematic and all(m.date.strftime("%d/%m") in counts for m in thematic)
    legend = flat("\n".join(texts_of(demo.registers[2026])))
    combined = demo.of_kind(MeetingKind.COMBINED)[0].meeting
    assert f"Tháng {combined.date.month}: sinh hoạt thường kỳ kết hợp chuyên đề" in legend


# --- R14: numbers in date order --------------------------------------------------------------------

def _cli(db: Path, capsys, *args) -> tuple[int, str, str]:
    code = main(["--db", str(db), *[str(a) for a in args]])
    out = capsys.readouterr()
    storage.close_database()
    return code, out.out, out.err


def _numbers_in_date_order(db: Path, capsys) -> dict[str, list[int]]:
    listed = json.loads(_cli(db, capsys, "documents", "list", "--json")[1])
    days = {m["id"]: m["date"] for m in json.loads(_cli(db, capsys, "meetings", "list", "--json")[1])}
    by_type: dict[str, list[tuple[int, str]]] = {}
    for n in listed:
        by_type.setdefault(n["doc_type"], []).append((n["number"], days[n["meeting_id"]]))
    for doc_type, numbers in by_type.items():
        dated = [day for _number, day in sorted(numbers)]
        assert dated == sorted(dated), doc_type
    return {t: sorted(n for n, _d in numbers) for t, numbers in by_type.items()}


def test_numbers_stay_in_meeting_date_order_after_printing_an_old_meeting(demo, tmp_path, capsys):
    db = tmp_path / "demo.sqlite"
    shutil.copy(demo.db, db)
    before = _numbers_in_date_order(db, capsys)
    assert before["NQ"] == list(range(1, len(demo.meetings) + 1))
    # An extraordinary meeting of 10/11 entered late, after 20/11 was printed: no number is free between.
    code, out, err = _cli(db, capsys, "meetings", "add", "--date", "2026-11-10", "--kind", "extraordinary",
                          "--assessment", "Xét đề nghị kết nạp quần chúng ưu tú.", "--conclusions", "Đồng ý đề nghị.")
    old = int(out)
    code, _out, err = _cli(db, capsys, "print", "resolution", old, "-o", tmp_path / "nq.pdf")
    assert code == 1 and not (tmp_path / "nq.pdf").exists()
    assert "Số 14-NQ/CB (05/11/2026) và Số 15-NQ/CB (20/11/2026) đã liền nhau" in err
    assert f"chibo documents set {old} resolution 16" in err
    assert _numbers_in_date_order(db, capsys) == before
    # The paper register gave 20/11 the number 16: 15 is free, and the old meeting takes it, in date order.
    november = next(p.meeting.id for p in demo.meetings if p.meeting.date == dt.date(2026, 11, 20))
    assert _cli(db, capsys, "documents", "set", november, "resolution", 16)[0] == 0
    code, out, err = _cli(db, capsys, "print", "resolution", old, "-o", tmp_path / "nq.pdf")
    assert code == 0, err
    text = flat("\n".join(texts_of(tmp_path / "nq.pdf")))
    assert "Số 15-NQ/CB" in text and "Hòa Bình, ngày 10 tháng 11 năm 2026" in text
    assert _numbers_in_date_order(db, capsys)["NQ"] == [*before["NQ"][:-1], 15, 16]


def test_the_register_of_documents_lists_every_number_with_its_date_and_summary(demo):
    text = flat("\n".join(texts_of(demo.documents)))
    for p in demo.meetings:
        day = p.meeting.date.strftime("%d/%m/%Y")
        assert re.search(rf"\d\d-NQ/CB {day} Nghị quyết", text), day
        assert re.search(rf"\d\d-BB/CB {day} Biên bản", text), day
    assert "Không theo thứ tự ngày" not in text  # the demo's numbers all follow the dates
    thematic = demo.of_kind(MeetingKind.THEMATIC)[0].meeting
    assert f"Về {party.lower_first(thematic.topic)}" in text


# --- every typed section prints, in both papers ---------------------------------------------------

_DECIDED = ("assessment", "next_tasks", "thematic_content", "assignments", "self_assessment", "conclusions")


def _lines(text: str) -> list[str]:
    return [flat(line) for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("kind", [MeetingKind.THEMATIC, MeetingKind.COMBINED])
def test_each_typed_section_of_the_demo_meetings_is_in_both_papers(demo, kind):
    for p in demo.of_kind(kind):
        m = p.meeting
        minutes, resolution = (flat("\n".join(texts_of(pdf))) for pdf in (p.minutes, p.resolution))
        typed = [name for name in _DECIDED if getattr(m, name)]
        assert "assignments" in typed and "thematic_content" in typed
        for name in typed:
            for line in _lines(getattr(m, name)):
                assert line in minutes, (m.date, name, line)
                assert line in resolution, (m.date, name, line)
        for name in ("agenda", "discussion"):
            for line in _lines(getattr(m, name)):
                assert line in minutes, (m.date, name, line)
        assert flat(m.topic) in minutes and flat(m.topic) in resolution


@pytest.mark.parametrize("kind", list(MeetingKind))
def test_every_section_typed_prints_for_every_kind_of_meeting(cell_db, tmp_path, kind):
    build_small_cell()
    values = {name: f"Mục {name} của buổi {kind.value} đã ghi." for name in (*_DECIDED, "agenda", "discussion")}
    meeting = svc.add_meeting(Meeting(date=dt.date(2026, 3, 10), kind=kind, topic="Chủ đề riêng", **values))
    for form in ("minutes", "resolution"):
        pdf = tmp_path / f"{form}.pdf"
        meeting_printing.print_meetings(form, [meeting.id], pdf)
        text = flat("\n".join(texts_of(pdf)))
        wanted = (*_DECIDED, "agenda", "discussion") if form == "minutes" else _DECIDED
        for name in wanted:
            assert values[name] in text, (kind, form, name)
        assert meeting_printing.empty_sections(form, meeting.id) == []


def test_empty_sections_are_listed_before_printing_and_still_print_their_headings(cell_db, tmp_path):
    build_small_cell()
    meeting = svc.add_meeting(Meeting(date=dt.date(2026, 3, 5), kind=MeetingKind.REGULAR,
                                      assessment="Chi bộ hoàn thành nhiệm vụ."))
    assert meeting_printing.empty_sections("resolution", meeting.id) == [
        "Phương hướng, nhiệm vụ tháng tới", "Phân công tổ chức thực hiện"]
    assert meeting_printing.empty_sections("minutes", meeting.id) == [
        "Chương trình", "Phương hướng, nhiệm vụ tháng tới", "Phân công tổ chức thực hiện", "Ý kiến thảo luận",
        "Tự đánh giá chất lượng kỳ sinh hoạt", "Kết luận"]
    assert "còn trống: Chương trình; Phương hướng" in meeting_printing.empty_sections_warning("minutes", meeting.id)
    pdf = tmp_path / "bb.pdf"
    meeting_printing.print_meetings("minutes", [meeting.id], pdf)
    text = flat("\n".join(texts_of(pdf)))
    # An empty agenda keeps its place, to be written in by hand.
    assert "Chương trình sinh hoạt:" in text and "2. Phương hướng, nhiệm vụ tháng 3 năm 2026" in text


# --- the closing, the legend and the page feet -------------------------------------------------------

def _assert_closing_has_company(pdf: Path, signer: str, closing: str) -> None:
    pages = texts_of(pdf)
    page = next(t for t in pages if signer in t)
    before = [line for line in body_lines(page.split(closing)[0])]
    assert len(before) >= 2, (pdf.name, before)


def test_no_page_of_any_demo_paper_holds_only_a_closing_or_a_legend(demo):
    for p in demo.meetings:
        _assert_closing_has_company(p.minutes, "NGƯỜI GHI BIÊN BẢN", "Buổi sinh hoạt kết thúc")
        _assert_closing_has_company(p.resolution, "T/M CHI BỘ", "Nghị quyết này được chi bộ")
    for register in demo.registers.values():
        last = pages_of(register)[-1]
        assert len(register_lines_of_page(last)) >= 3 and "Ký" in {w.text for w in last.words}
    last = texts_of(demo.documents)[-1]
    assert "T/M CHI BỘ" in last and re.search(r"\d\d-(BB|NQ)/CB", last)


def register_lines_of_page(page: Page) -> list[str]:
    return [line_text(line) for line in page.lines() if line[0].text.isdigit() and len(line) > 4
            and line[1].text[:1].isupper()]


def test_no_doubled_full_stop_in_any_paper(demo):
    for pdf in demo.all_pdfs():
        assert ".." not in "\n".join(texts_of(pdf)), pdf.name
    thematic = demo.of_kind(MeetingKind.THEMATIC)[0]
    # The guests were typed with their own full stop.
    assert thematic.meeting.guests.endswith(".")
    assert f"- Đại biểu cấp trên: {thematic.meeting.guests}" in flat("\n".join(texts_of(thematic.minutes)))


def test_no_page_foot_is_left_blank_more_than_a_quarter_page(demo):
    for pdf in demo.all_pdfs():
        pages = pages_of(pdf)
        for number, page in enumerate(pages[:-1], start=1):
            assert page.foot_gap() <= page.height * QUARTER, (pdf.name, number, round(page.foot_gap() / MM))


def test_the_vote_names_the_meeting_and_counts_over_the_members_entitled_to_vote(demo):
    differs = 0
    for p in demo.meetings:
        v = p.vote
        share = party.percent_text(v.votes_for, v.eligible)
        text = flat("\n".join(texts_of(p.resolution)))
        assert (f"Nghị quyết này được chi bộ thảo luận và biểu quyết thông qua tại kỳ sinh hoạt ngày "
                f"{p.meeting.date:%d/%m/%Y}, với {v.votes_for}/{v.eligible} đồng chí đảng viên chính thức tán thành, "
                f"đạt tỷ lệ {share}") in text, p.meeting.date
        assert f"với {v.votes_for}/{v.eligible} đồng chí" in flat("\n".join(texts_of(p.minutes)))
        differs += v.eligible != v.voters
    assert differs  # some official members were away: the share is not over those present


# --- the same rules wherever the page breaks fall ----------------------------------------------------

_PARAGRAPH = ("Chi bộ lãnh đạo nhân dân hoàn thành các chỉ tiêu kinh tế, xã hội của tháng, giữ vững an ninh "
              "chính trị, trật tự an toàn xã hội; các đoàn thể phối hợp tốt với chi bộ trong vận động nhân dân. ") * 5


@pytest.mark.parametrize("agenda_lines", range(0, 22, 2))
def test_a_heading_goes_with_the_first_lines_of_a_long_paragraph_not_the_whole(cell_db, tmp_path, agenda_lines):
    build_small_cell()
    meeting = svc.add_meeting(Meeting(
        date=dt.date(2026, 2, 5), agenda="\n".join(f"{i}. Nội dung thứ {i}." for i in range(1, agenda_lines + 2)),
        assessment=_PARAGRAPH, next_tasks=_PARAGRAPH, assignments="\n".join(f"- Việc thứ {i}." for i in range(40)),
        discussion="Các đảng viên nhất trí.", self_assessment="Đạt loại Khá.", conclusions="Chi bộ thống nhất."))
    pdf = tmp_path / "bb.pdf"
    meeting_printing.print_meetings("minutes", [meeting.id], pdf)
    pages, texts = pages_of(pdf), texts_of(pdf)
    signed = next(i for i, t in enumerate(texts) if "NGƯỜI GHI BIÊN BẢN" in t)
    assert signed >= 2
    for number in range(signed - 1):
        # A heading and two lines at most are left over at a page foot (about 20 mm), never a paragraph.
        assert pages[number].foot_gap() <= 25 * MM, (number + 1, round(pages[number].foot_gap() / MM))
    for heading in ("1. Đánh giá kết quả thực hiện nhiệm vụ", "2. Phương hướng, nhiệm vụ"):
        page = next(t for t in texts if heading in t)
        assert _PARAGRAPH.split()[0] in page.split(heading)[1], heading


@pytest.mark.parametrize("conclusion_lines", range(1, 34, 2))
def test_the_closing_and_signatures_never_stand_alone(cell_db, tmp_path, conclusion_lines):
    build_small_cell()
    items = "\n".join(f"- Việc thứ {i}: chi bộ thống nhất thực hiện." for i in range(conclusion_lines))
    # The list ends the minutes (their conclusions) and the resolution (its organising of the work).
    meeting = svc.add_meeting(Meeting(date=dt.date(2026, 2, 5), assessment=_PARAGRAPH, next_tasks=_PARAGRAPH,
                                      conclusions=items, assignments=items))
    for form, signer, closing in (("minutes", "NGƯỜI GHI BIÊN BẢN", "Buổi sinh hoạt kết thúc"),
                                  ("resolution", "T/M CHI BỘ", "Nghị quyết này được chi bộ")):
        pdf = tmp_path / f"{form}.pdf"
        meeting_printing.print_meetings(form, [meeting.id], pdf)
        _assert_closing_has_company(pdf, signer, closing)
        assert all(p.foot_gap() <= p.height * QUARTER for p in pages_of(pdf)[:-1]), form


@pytest.mark.parametrize("members", range(6, 60, 4))
def test_the_register_legend_and_signature_stay_with_the_last_rows(cell_db, tmp_path, members):
    build_small_cell()
    for i in range(members):
        member_service.add_member(Member(full_name=f"Nguyễn Văn Thứ {i:02d}", admission_date=dt.date(2001, 1, 1),
                                         official_date=dt.date(2002, 1, 1)), today=TODAY)
    for month in (1, 2, 3):
        svc.mark_rest_present(svc.add_meeting(Meeting(date=dt.date(2026, month, 5))).id, today=TODAY)
    pdf = tmp_path / "so.pdf"
    meeting_printing.print_attendance_register(2026, pdf, today=TODAY)
    last = pages_of(pdf)[-1]
    assert len(register_lines_of_page(last)) >= 3, members
    assert {"Ký", "T/M"} <= {w.text for w in last.words}


def test_minutes_list_the_results_of_the_tasks_the_meeting_confirmed(cell_db, tmp_path):
    """The tasks given at one meeting and confirmed at the next are listed in the next meeting's minutes,
    each with its member, its month and its result; a task not yet confirmed is not."""
    from app.services import review_tasks

    small = build_small_cell()
    feb = svc.add_meeting(_feb_meeting())
    march = svc.add_meeting(_feb_meeting(date=dt.date(2026, 3, 5)))
    done = review_tasks.add_task(small.anh, "Vận động 5 hộ nộp quỹ", due_month="2026-03", meeting_id=feb.id)
    review_tasks.add_task(small.son, "Sửa tuyến mương đội 3", due_month="2026-03", meeting_id=feb.id)
    review_tasks.confirm(march.id, {done.id: "vuot"})
    target = tmp_path / "bb.pdf"
    meeting_printing.print_meetings(meeting_printing.MINUTES, [march.id], target, issue=False)
    text = flat(" ".join(texts_of(target)))
    assert ("Kết quả thực hiện nhiệm vụ được phân công kỳ trước - Đồng chí Nguyễn Thị Ngọc Ánh: Vận động 5 hộ "
            "nộp quỹ (hạn tháng 03/2026): hoàn thành vượt yêu cầu.") in text
    assert "Sửa tuyến mương" not in text
    meeting_printing.print_meetings(meeting_printing.MINUTES, [feb.id], target, issue=False)
    assert "nhiệm vụ được phân công kỳ trước" not in flat(" ".join(texts_of(target)))


def _feb_meeting(**values) -> Meeting:
    base = dict(date=dt.date(2026, 2, 5), kind=MeetingKind.REGULAR, start=dt.time(19, 30), end=dt.time(21, 15),
                place="Nhà văn hóa thôn Đông")
    base.update(values)
    return Meeting(**base)
