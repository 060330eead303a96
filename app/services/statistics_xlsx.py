"""The basic statistics forms (Biểu số 1, 2, 3, 6F, 7-BTCTW) as a workbook: one sheet a form, the unit and
the title on top, the figures as numbers, printable on A4 with the header row repeated."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from app.domain.statistics import StatForm, StatRow
from app.i18n import _
from app.reports import party
from app.reports.statistics_form import capitalised
from app.services import cell as cell_service
from app.services.errors import ServiceError
from app.services.spreadsheets import save_workbook, write_cell

COLUMNS = ("Chỉ tiêu", "Kỳ này", "Cùng kỳ năm trước", "Kỳ này so với cùng kỳ (%)")
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0"
FIGURE_WIDTHS = (12, 14, 16)
LABEL_MIN, LABEL_MAX = 36, 70


def sheet_name(form: StatForm) -> str:
    """«Biểu 1», «Biểu 6F»: short enough for Excel's 31 characters."""
    return f"Biểu {form.form}"


def percent_value(row: StatRow) -> float | None:
    """Kỳ này so với cùng kỳ as a number to one decimal (the figure StatRow.percent prints), or None."""
    if row.current is None or not row.previous:
        return None
    return float(round(Fraction(100 * row.current, row.previous) * 10) / 10)


def _styles():
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin")
    return {
        "bold": Font(bold=True), "title": Font(bold=True, size=14), "italic": Font(italic=True),
        "head": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "center": Alignment(horizontal="center"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
    }


def unit_lines(sheet, unit_name: str, superior_name: str, right: list[str], last_column: int = 4) -> int:
    """The superior and the unit at the top left, `right` (the form's number…) at the top right; the next row."""
    s = _styles()
    row = 1
    if superior_name:
        write_cell(sheet, row, 1, party.upper(superior_name))
        row += 1
    write_cell(sheet, row, 1, party.upper(unit_name)).font = s["bold"]
    for offset, text in enumerate(right):
        cell = write_cell(sheet, 1 + offset, last_column, text)
        cell.font = s["bold"] if offset == 0 else s["italic"]
        cell.alignment = s["center"]
    return max(row, len(right)) + 2


def centred(sheet, row: int, text: str, font=None, last_column: int = 4) -> int:
    s = _styles()
    cell = write_cell(sheet, row, 1, text)
    cell.alignment = s["center"]
    if font is not None:
        cell.font = font
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)
    return row + 1


def header_row(sheet, row: int, columns=COLUMNS) -> int:
    s = _styles()
    for column, text in enumerate(columns, start=1):
        cell = write_cell(sheet, row, column, text)
        cell.font, cell.alignment, cell.border = s["bold"], s["head"], s["border"]
    sheet.row_dimensions[row].height = 32
    return row + 1


def form_rows(sheet, row: int, form: StatForm) -> int:
    """The form's printed rows from `row`: labels indented by level, level 0 in bold; the next free row."""
    from openpyxl.styles import Alignment

    s = _styles()
    for line in form.printed_rows:
        label = write_cell(sheet, row, 1, line.label)
        label.alignment = Alignment(indent=2 * line.level, vertical="center", wrap_text=True)
        values = (line.current, line.previous, percent_value(line))
        for column, value in enumerate(values, start=2):
            cell = write_cell(sheet, row, column, value)
            cell.number_format = PERCENT_FORMAT if column == 4 else COUNT_FORMAT
        for column in range(1, 5):
            cell = sheet.cell(row=row, column=column)
            cell.border = s["border"]
            if line.level == 0:
                cell.font = s["bold"]
        row += 1
    return row


def notes(sheet, row: int, lines: list[str] | tuple[str, ...]) -> int:
    s = _styles()
    if not lines:
        return row
    row += 1
    write_cell(sheet, row, 1, _("Ghi chú:")).font = s["bold"]
    for line in lines:
        row += 1
        write_cell(sheet, row, 1, f"- {line}").font = s["italic"]
    return row + 1


def label_width(forms: list[StatForm]) -> float:
    longest = max((len(r.label) + 2 * r.level for f in forms for r in f.printed_rows), default=LABEL_MIN)
    return float(min(max(longest + 2, LABEL_MIN), LABEL_MAX))


def set_widths(sheet, widths: list[float] | tuple[float, ...]) -> None:
    from openpyxl.utils import get_column_letter

    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def print_setup(sheet, header: int, landscape: bool = False) -> None:
    """A4, fit to the page's width (as many pages down as needed), the header row on every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header}:{header}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left, sheet.page_margins.right = 0.8, 0.5


def write_form_sheet(sheet, form: StatForm, unit_name: str, superior_name: str = "", subtitle: str = "") -> None:
    s = _styles()
    sheet.title = sheet_name(form)
    row = unit_lines(sheet, unit_name, superior_name, [form.name, f"({capitalised(form.period.label)})"])
    row = centred(sheet, row, party.upper(form.title), s["title"])
    row = centred(sheet, row, f"Kỳ báo cáo: {form.period.label}")
    if subtitle:
        row = centred(sheet, row, subtitle, s["italic"])
    header = row + 1
    first = header_row(sheet, header)
    sheet.freeze_panes = f"A{first}"
    end = form_rows(sheet, first, form)
    notes(sheet, end, form.warnings)
    set_widths(sheet, (label_width([form]), *FIGURE_WIDTHS))
    print_setup(sheet, header)


def write_xlsx(forms: list[StatForm], path, *, unit_name: str | None = None, subtitle: str = "",
               superior_name: str | None = None) -> Path:
    """One sheet a form («Biểu 1», «Biểu 2», …); unit and superior default to the cell's."""
    from openpyxl import Workbook

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ServiceError(_("Tên tệp xuất phải kết thúc bằng .xlsx."))
    if not forms:
        raise ServiceError(_("Chưa chọn biểu thống kê nào để xuất."))
    info = cell_service.get_cell()
    if unit_name is None:
        if info is None or not info.name.strip():
            raise ServiceError(_("Chưa có tên chi bộ; hãy nhập thông tin chi bộ trước khi xuất biểu thống kê."))
        unit_name = info.name
    if superior_name is None:
        superior_name = info.superior_name if info else ""
    book = Workbook()
    for index, form in enumerate(forms):
        sheet = book.active if index == 0 else book.create_sheet()
        write_form_sheet(sheet, form, unit_name, superior_name, subtitle)
    save_workbook(book, path)
    return path
