"""Sổ theo dõi dự sinh hoạt: the year's attendance at regular meetings, members × months."""
from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.reports.base import Document, PartyHeader


@dataclass
class RegisterLine:
    name: str
    codes: list[str]  # twelve entries, "" for a month without a regular meeting
    present: int
    excused: int
    absent: int
    flagged: bool = False


@dataclass
class RegisterPrint:
    header: PartyHeader
    year: int
    lines: list[RegisterLine]
    month_present: list[str]  # twelve entries, "" for a month without a regular meeting
    month_expected: list[str]
    flag_months: int
    secretary_name: str = ""
    legend: list[str] = field(default_factory=list)


class AttendanceRegisterDocument(Document):
    form = "attendance"

    def __init__(self, data: RegisterPrint, layout=None):
        super().__init__(layout)
        self.data = data
        self.data.header.show_date_line = bool(self.settings.get("date_line", True))
        self.pdf_title = f"Sổ theo dõi dự sinh hoạt chi bộ năm {data.year}"
        self.table_size = float(self.settings.get("table_size", self.layout.size("table")))

    def _widths(self) -> list[float]:
        month = float(self.settings.get("month_column_mm", 10)) * mm
        total = float(self.settings.get("total_column_mm", 15)) * mm
        number = 10 * mm
        name = self.frame_width - number - 12 * month - 3 * total
        return [number, name] + [month] * 12 + [total] * 3

    def _header_rows(self) -> list[list]:
        first = ["STT", "Họ và tên", "Tháng"] + [""] * 11 + [self.rich("Cả năm", "table_header"), "", ""]
        second = ["", ""] + [str(m) for m in range(1, 13)] + [
            self.rich("Có mặt", "table_header"), self.rich("Vắng có lý do", "table_header"),
            self.rich("Vắng không lý do", "table_header")]
        return [first, second]

    def _body_rows(self) -> list[list]:
        rows = []
        for index, line in enumerate(self.data.lines, start=1):
            absent = f"{line.absent} (*)" if line.flagged else str(line.absent)
            rows.append([str(index), line.name, *line.codes, str(line.present), str(line.excused), absent])
        rows.append(["", "Số đảng viên có mặt", *self.data.month_present, "", "", ""])
        rows.append(["", "Số đảng viên phải dự", *self.data.month_expected, "", "", ""])
        return rows

    def story(self) -> list[Flowable]:
        d = self.data
        story: list[Flowable] = [self.header(d.header)]
        story += self.title("SỔ THEO DÕI ĐẢNG VIÊN DỰ SINH HOẠT CHI BỘ", f"Năm {d.year}")
        rows = self._header_rows() + self._body_rows()
        last = len(rows) - 1
        extra = [
            ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2, 0), (13, 0)), ("SPAN", (14, 0), (16, 0)),
            ("ALIGN", (1, 2), (1, last), "LEFT"),
            ("FONTNAME", (1, last - 1), (-1, last), self.styles["table_header"].fontName),
        ]
        extra += [("FONTNAME", (16, 2 + i), (16, 2 + i), self.styles["table_header"].fontName)
                  for i, line in enumerate(d.lines) if line.flagged]
        # Months without a regular meeting are shaded, so an empty column reads "no meeting", not "forgotten".
        extra += [("BACKGROUND", (1 + month, 1), (1 + month, last), "#e6e6e6")
                  for month in range(1, 13) if not d.month_expected[month - 1]]
        story.append(self.grid(rows, self._widths(), header_rows=2, size=self.table_size, extra=extra))
        legend = [Spacer(1, 6)] + [self.para(line, "note") for line in d.legend]
        signer = self.layout.form("resolution")
        story.append(self.signatures(None, [signer.get("signer_on_behalf", "T/M CHI BỘ"),
                                            signer.get("signer_title", "BÍ THƯ")],
                                     right_name=d.secretary_name, lead=legend))
        return story
