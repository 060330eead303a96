"""Sổ theo dõi đảng viên dự sinh hoạt: the year's attendance, members × meetings, counted as the minutes count."""
from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from app.reports import party
from app.reports.base import Document, PartyHeader, TableWithEnding

REGULAR, OTHER = "regular", "other"


@dataclass
class RegisterColumnPrint:
    """One column: a month's regular meeting (label: the month), another meeting (label: dd/mm), or a
    month over without a regular meeting (shaded, no counts)."""

    label: str
    group: str
    present: str = ""
    expected: str = ""
    rate: str = ""
    shaded: bool = False


@dataclass
class RegisterLine:
    name: str
    codes: list[str]  # one per column
    totals: dict[str, tuple[int, int, int]]  # per group, and "all": có mặt, có lý do, không lý do
    flagged: bool = False


@dataclass
class RegisterPrint:
    header: PartyHeader
    year: int
    columns: list[RegisterColumnPrint]
    lines: list[RegisterLine]
    flag_months: int
    secretary_name: str = ""
    legend: list[str] = field(default_factory=list)


_GROUP_TITLES = {REGULAR: "Sinh hoạt thường kỳ, tháng", OTHER: "Chuyên đề, bất thường, ngày"}


class AttendanceRegisterDocument(Document):
    form = "attendance"

    def __init__(self, data: RegisterPrint, layout=None):
        super().__init__(layout)
        self.data = data
        self.data.header.show_date_line = bool(self.settings.get("date_line", True))
        self.pdf_title = f"Sổ theo dõi đảng viên dự sinh hoạt chi bộ năm {data.year}"
        self.cell = self.cell_style(self.table_size)

    # --- columns -----------------------------------------------------------------------------
    def _fixed_mm(self) -> tuple[float, float, float]:
        s = self.settings
        return (float(s.get("number_column_mm", 9)), float(s.get("name_column_mm", 46)),
                float(s.get("total_column_mm", 13)))

    def _meeting_width(self, count: int) -> float:
        number, name, total = self._fixed_mm()
        room = self.frame_width / mm - number - name - 3 * total
        return min(float(self.settings.get("month_column_mm", 11)), room / max(count, 1))

    def _tables_of(self) -> list[list[str]]:
        """The groups each table holds: one table while every meeting column stays readable, else two."""
        groups = [g for g in (REGULAR, OTHER) if any(c.group == g for c in self.data.columns)]
        narrowest = float(self.settings.get("min_meeting_column_mm", 9.5))
        if len(groups) < 2 or self._meeting_width(len(self.data.columns)) >= narrowest:
            return [groups]
        return [[g] for g in groups]

    # --- one table -----------------------------------------------------------------------------
    def _table(self, groups: list[str]) -> TableWithEnding | Flowable:
        d = self.data
        picked = [i for i, c in enumerate(d.columns) if c.group in groups]
        n = len(picked)
        number, name, total = self._fixed_mm()
        width = self._meeting_width(n) * mm
        name_width = self.frame_width - number * mm - n * width - 3 * total * mm
        widths = [number * mm, name_width] + [width] * n + [total * mm] * 3
        key = groups[0] if len(groups) == 1 else "all"
        rows = self._header_rows(groups, picked) + self._body_rows(picked, key) + self._footer_rows(picked)
        last = len(rows) - 1
        extra = [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2 + n, 0), (4 + n, 0)),
                 ("ALIGN", (1, 2), (1, last), "LEFT"),
                 ("FONTNAME", (1, last - 2), (-1, last), self.styles["table_header"].fontName)]
        start = 2
        for group in groups:
            count = sum(1 for i in picked if d.columns[i].group == group)
            extra.append(("SPAN", (start, 0), (start + count - 1, 0)))
            start += count
        # A month over without a regular meeting is shaded, so an empty column reads "no meeting", not "forgotten".
        extra += [("BACKGROUND", (2 + k, 1), (2 + k, last), "#e6e6e6")
                  for k, i in enumerate(picked) if d.columns[i].shaded]
        table = self.grid(rows, widths, header_rows=2, size=self.table_size, extra=extra)
        table.hAlign = "LEFT"
        return table

    def _header_rows(self, groups: list[str], picked: list[int]) -> list[list]:
        cols = self.data.columns
        first: list = ["STT", "Họ và tên"]
        for group in groups:
            count = sum(1 for i in picked if cols[i].group == group)
            first += [self.rich(_GROUP_TITLES[group], "table_header")] + [""] * (count - 1)
        first += [self.rich("Cả năm", "table_header"), "", ""]
        second = ["", ""] + [cols[i].label for i in picked] + [
            self.rich("Có mặt", "table_header"), self.rich("Vắng có lý do", "table_header"),
            self.rich("Vắng không lý do", "table_header")]
        return [first, second]

    def _body_rows(self, picked: list[int], key: str) -> list[list]:
        rows = []
        for index, line in enumerate(self.data.lines, start=1):
            name = party.markup(line.name) + (" <b>(*)</b>" if line.flagged else "")
            present, excused, absent = line.totals[key]
            rows.append([str(index), Paragraph(name, self.cell), *[line.codes[i] for i in picked],
                         str(present), str(excused), str(absent)])
        return rows

    def _footer_rows(self, picked: list[int]) -> list[list]:
        cols = self.data.columns
        return [["", Paragraph(label, self.cell), *[getattr(cols[i], attr) for i in picked], "", "", ""]
                for label, attr in (("<b>Số đảng viên có mặt</b>", "present"),
                                    ("<b>Số đảng viên phải dự</b>", "expected"),
                                    ("<b>Tỷ lệ dự sinh hoạt (%)</b>", "rate"))]

    # --- the page ------------------------------------------------------------------------------
    def story(self) -> list[Flowable]:
        d = self.data
        story: list[Flowable] = [self.header(d.header)]
        story += self.title("SỔ THEO DÕI ĐẢNG VIÊN DỰ SINH HOẠT CHI BỘ", f"Năm {d.year}")
        tables = [self._table(groups) for groups in self._tables_of()]
        for table in tables[:-1]:
            story += [table, Spacer(1, 10)]
        legend = [Spacer(1, 6)] + [self.para(line, "note") for line in d.legend]
        ending = self.signature_rows(None, self.cell_signer(), right_name=d.secretary_name, lead=legend)
        # The legend and the signatures go with the table's last member rows and its three count rows.
        story.append(TableWithEnding(tables[-1], ending, keep_rows=6))
        return story
