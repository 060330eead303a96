"""The statistics forms on paper and in workbooks: the PDF (one form a page at least, the figures of Biểu 1),
the XLSX (a sheet a form, numbers, frozen header, print setup) and the report for a Đảng ủy, whose
"aggregate" level names no member anywhere."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from app.domain.report_period import Period
from app.reports.file_names import document_file_name
from app.services import demo, report_xlsx, statistics, statistics_printing, statistics_xlsx
from app.services import members as member_service
from app.services.errors import ServiceError
from app.storage import db as storage
from tests.conftest import TODAY, needs_poppler

YEAR = Period(2026)


@pytest.fixture(scope="module")
def demo_cell(tmp_path_factory):
    """The demo's cell (built once for the module: it takes a few seconds) and its forms of the year."""
    folder = tmp_path_factory.mktemp("statistics")
    storage.open_database(folder / "demo.sqlite")
    demo.build_demo(TODAY)
    yield folder, statistics.forms(YEAR)
    storage.close_database()


def text_of(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", *pages, str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return unicodedata.normalize("NFC", out)


def page_count(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def member_names() -> list[str]:
    return [e.member.full_name for e in member_service.list_members(include_archived=True)]


def workbook_text(path: Path) -> str:
    book = openpyxl.load_workbook(path)
    return "\n".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                     for v in row if v is not None)


# --- the PDF ---------------------------------------------------------------------------------------

@needs_poppler
def test_the_pdf_has_each_form_from_its_own_page_with_biểu_1_figures(demo_cell):
    folder, forms = demo_cell
    target = statistics_printing.write_pdf(forms, folder / document_file_name("statistics", YEAR))
    assert target.name == "bieu-thong-ke-2026.pdf"
    pages = page_count(target)
    assert pages >= len(forms)
    # Each form starts a page: its number is on a page's first lines, later forms on later pages.
    starts = []
    for form in forms:
        starts.append(next(p for p in range(1, pages + 1) if form.name in text_of(target, p)[:400]))
    assert starts == sorted(set(starts)) and starts[0] == 1
    text = text_of(target)
    for heading in ("CHI BỘ THÔN ĐÔNG", "TĂNG, GIẢM ĐẢNG VIÊN", "ĐẢNG VIÊN MỚI KẾT NẠP", "ĐỘI NGŨ ĐẢNG VIÊN",
                    "Kỳ báo cáo: năm 2026", "Chỉ tiêu", "Cùng kỳ năm", "Kỳ này so với", "NGƯỜI LẬP BIỂU",
                    "(Ký, ghi rõ họ tên; số điện thoại)", "T/M CHI ỦY", "BÍ THƯ"):
        assert heading in text, heading
    form_1 = forms[0]
    first_page = text_of(target, 1)
    for code, label in (("A", "A. Số đảng viên cuối kỳ trước chuyển sang"),
                        ("D", "D. Số đảng viên cuối kỳ báo cáo (A + B − C)")):
        row = next(r for r in form_1.rows if r.code == code)
        line = next(x for x in first_page.splitlines() if label in x)
        assert line.split(label)[1].split() == [str(row.current), str(row.previous), row.percent], line
    assert form_1.value("D") == form_1.value("A") + form_1.value("B") - form_1.value("C")


@needs_poppler
def test_a_superiors_consolidated_forms_print_with_its_name_subtitle_and_signer(demo_cell):
    folder, forms = demo_cell
    target = statistics_printing.write_pdf(
        forms[:1], folder / "tong-hop.pdf", unit_name="Đảng ủy xã Hòa Bình", superior_name="Đảng bộ tỉnh Mẫu",
        subtitle="Tổng hợp từ 3 chi bộ", signer_name="Nguyễn Văn Tổng", signer=("T/M ĐẢNG ỦY", "BÍ THƯ"),
        date=dt.date(2026, 10, 5))
    text = text_of(target)
    for line in ("ĐẢNG BỘ TỈNH MẪU", "ĐẢNG ỦY XÃ HÒA BÌNH", "Tổng hợp từ 3 chi bộ", "T/M ĐẢNG ỦY",
                 "Nguyễn Văn Tổng", "Hòa Bình, ngày 05 tháng 10 năm 2026"):
        assert line in text, line
    assert "CHI BỘ THÔN ĐÔNG" not in text


@needs_poppler
def test_the_notes_of_a_form_are_printed(demo_cell):
    folder, forms = demo_cell
    form_3 = next(f for f in forms if f.form == "3")
    assert form_3.warnings  # the demo leaves some fields empty
    flat = " ".join(text_of(statistics_printing.write_pdf([form_3], folder / "b3.pdf")).split())
    assert "Ghi chú:" in flat
    for warning in form_3.warnings:
        assert warning in flat


def test_a_pdf_that_cannot_be_written_gives_the_usual_message(demo_cell, tmp_path):
    _folder, forms = demo_cell
    with pytest.raises(ServiceError, match="Không ghi được tệp"):
        statistics_printing.write_pdf(forms[:1], tmp_path / "no-such-folder" / "b.pdf")


def test_statistics_file_names_are_dated_by_the_period():
    assert document_file_name("statistics", Period.parse("2026-Q3")) == "bieu-thong-ke-2026-Q3.pdf"
    assert document_file_name("statistics", Period.parse("2026-07"), extension="xlsx") == "bieu-thong-ke-2026-07.xlsx"
    assert document_file_name("statistics_report", 2026) == "bao-cao-chi-bo-2026.xlsx"


# --- the forms' workbook ---------------------------------------------------------------------------

def test_the_workbook_has_a_sheet_a_form_with_the_figures_as_numbers(demo_cell):
    folder, forms = demo_cell
    target = statistics_xlsx.write_xlsx(forms, folder / "bieu.xlsx")
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Biểu 1", "Biểu 2", "Biểu 3", "Biểu 6F", "Biểu 7"]
    for form, sheet in zip(forms, book.worksheets):
        header = next(r for r in range(1, 15) if sheet.cell(r, 1).value == "Chỉ tiêu")
        assert [sheet.cell(header, c).value for c in range(1, 5)] == list(statistics_xlsx.COLUMNS)
        assert sheet.freeze_panes == f"A{header + 1}"
        assert sheet.print_title_rows == f"${header}:${header}"
        assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.orientation == "portrait"  # A4
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.cell(1, 1).value == "ĐẢNG BỘ XÃ HÒA BÌNH" and sheet.cell(2, 1).value == "CHI BỘ THÔN ĐÔNG"
        assert sheet.cell(1, 4).value == form.name
        for offset, row in enumerate(form.printed_rows, start=1):
            cells = [sheet.cell(header + offset, c) for c in range(1, 5)]
            assert cells[0].value == row.label
            assert cells[1].value == row.current and cells[2].value == row.previous
            assert cells[0].alignment.indent == 2 * row.level
            assert cells[0].font.bold == (row.level == 0)
            if row.current is not None:
                assert isinstance(cells[1].value, int) and cells[1].number_format == "#,##0"
            if row.percent:
                assert f"{cells[3].value:.1f}".replace(".", ",") == row.percent
                assert cells[3].number_format == "0.0"
            else:
                assert cells[3].value is None
    assert book["Biểu 1"].column_dimensions["A"].width >= 40


def test_the_workbook_of_a_superior_carries_its_name_and_subtitle(demo_cell):
    folder, forms = demo_cell
    target = statistics_xlsx.write_xlsx(forms[:1], folder / "tong-hop.xlsx", unit_name="Đảng ủy xã Hòa Bình",
                                        subtitle="Tổng hợp từ 3 chi bộ")
    text = workbook_text(target)
    assert "ĐẢNG ỦY XÃ HÒA BÌNH" in text and "Tổng hợp từ 3 chi bộ" in text and "CHI BỘ THÔN ĐÔNG" not in text


# --- the report for a Đảng ủy ----------------------------------------------------------------------

SHEETS = ["Thống kê", "Đảng viên", "Biến động", "Sinh hoạt", "Đảng phí", "Kiểm điểm"]


def test_the_aggregate_report_names_no_member_anywhere(demo_cell):
    folder, forms = demo_cell
    target = report_xlsx.write_report(YEAR, folder / "aggregate.xlsx", privacy="aggregate", today=TODAY)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == SHEETS
    text = workbook_text(target)
    names = member_names()
    assert len(names) >= 30
    assert [n for n in names if n in text] == []
    # The roster is counts by status, totalling who was in the cell on the period's last day.
    roster = book["Đảng viên"]
    values = {r[0]: r[1] for r in roster.iter_rows(values_only=True) if r[0] and isinstance(r[1], int)}
    assert values["Cộng"] == len(member_service.roster_on(YEAR.last_day))
    for sheet in book.worksheets:
        assert sheet.freeze_panes and sheet.print_title_rows
        assert int(sheet.page_setup.paperSize) == 9  # A4


def test_the_roster_report_has_names_dates_and_no_contact_details(demo_cell):
    folder, _forms = demo_cell
    target = report_xlsx.write_report(YEAR, folder / "roster.xlsx", privacy="roster", today=TODAY)
    book = openpyxl.load_workbook(target)
    text = workbook_text(target)
    on_roll = member_service.roster_on(YEAR.last_day)
    assert all(member.full_name in text for member, _status in on_roll)
    roster = book["Đảng viên"]
    header = next(r for r in range(1, 10) if roster.cell(r, 1).value == "STT")
    heads = [c.value for c in roster[header] if c.value]
    assert "Số điện thoại" not in heads and "Số CCCD" not in heads
    first = roster.cell(header + 1, heads.index("Ngày vào Đảng") + 1)
    assert isinstance(first.value, dt.datetime) and first.number_format == "dd/mm/yyyy"
    # The review lists the members reviewed, by name.
    assert any(row[0] in {m.full_name for m, _s in on_roll} for row in book["Kiểm điểm"].iter_rows(values_only=True))


def test_the_full_report_adds_contact_details(demo_cell):
    folder, _forms = demo_cell
    book = openpyxl.load_workbook(report_xlsx.write_report(YEAR, folder / "full.xlsx", privacy="full", today=TODAY))
    roster = book["Đảng viên"]
    header = next(r for r in range(1, 10) if roster.cell(r, 1).value == "STT")
    heads = [c.value for c in roster[header] if c.value]
    assert {"Số điện thoại", "Nơi ở hiện nay", "Số CCCD"} <= set(heads)


def test_the_report_sheets_hold_the_periods_figures(demo_cell):
    folder, forms = demo_cell
    period = Period.parse("2026-Q3")
    book = openpyxl.load_workbook(report_xlsx.write_report(period, folder / "q3.xlsx", today=TODAY))
    # Thống kê: Biểu 1's row D equals the form's.
    form_1 = statistics.forms(period, ("1",))[0]
    stats = book["Thống kê"]
    row_d = next(r for r in stats.iter_rows(values_only=True) if str(r[0]).startswith("D. Số đảng viên cuối kỳ"))
    assert row_d[1:3] == (form_1.value("D"), form_1.value("D", "previous"))
    # Đảng phí: the quarter's three months, money as integers with the money format, and a total.
    fees_sheet = book["Đảng phí"]
    months = [r for r in fees_sheet.iter_rows() if r[0].value in ("07/2026", "08/2026", "09/2026")]
    assert len(months) == 3
    assert all(isinstance(c.value, int) and c.number_format == "#,##0" for c in months[0][1:])
    total = next(r for r in fees_sheet.iter_rows() if r[0].value == "Cộng")
    assert total[2].value == sum(r[2].value for r in months)
    # Sinh hoạt: the quarter's meetings with their dates as dates.
    meeting_rows = [r for r in book["Sinh hoạt"].iter_rows() if isinstance(r[0].value, dt.datetime)]
    assert meeting_rows and all(period.contains(r[0].value.date()) for r in meeting_rows)
    assert meeting_rows[0][0].number_format == "dd/mm/yyyy"


def test_an_unknown_privacy_level_is_refused(demo_cell, tmp_path):
    with pytest.raises(ServiceError, match="aggregate"):
        report_xlsx.write_report(YEAR, tmp_path / "x.xlsx", privacy="everything")


def test_a_form_note_naming_a_member_is_left_out_of_the_aggregate_report(demo_cell, monkeypatch):
    folder, forms = demo_cell
    name = member_names()[0]
    named = dataclasses.replace(forms[0], warnings=(f"Đồng chí {name} vào chi bộ ngày 05/03/2026 chưa ghi hình thức.",))
    monkeypatch.setattr(statistics, "forms", lambda period, codes=statistics.FORM_CODES: [named, *forms[1:]])
    aggregate = workbook_text(report_xlsx.write_report(YEAR, folder / "named-a.xlsx", today=TODAY))
    assert name not in aggregate and "1 ghi chú nêu tên đảng viên không đưa vào báo cáo tổng hợp." in aggregate
    roster = workbook_text(report_xlsx.write_report(YEAR, folder / "named-r.xlsx", privacy="roster", today=TODAY))
    assert f"Đồng chí {name} vào chi bộ" in roster
