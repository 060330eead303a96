"""The Đảng ủy's consolidated tables for a period (landscape A4): members by cell, attendance by cell and month,
fees by cell, review results by cell and grade, and what to look into. Takes plain rows of text."""
from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from app.reports import party
from app.reports.base import Document, face


@dataclass(frozen=True)
class TablePrint:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    first_width_mm: float = 60
    note: str = ""


@dataclass
class ConsolidatedTablesPrint:
    unit_name: str
    superior_name: str
    period_label: str
    subtitle: str
    tables: list[TablePrint] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


class ConsolidatedTablesDocument(Document):
    form = "consolidated"

    def __init__(self, data: ConsolidatedTablesPrint, layout=None):
        super().__init__(layout)
        self.data = data
        self.pdf_title = f"Tổng hợp từ các chi bộ {data.period_label}"

    @property
    def orientation(self) -> str:
        return self.settings.get("orientation", "landscape")

    @property
    def page_size(self):
        return self.layout.page_size(self.orientation)

    def _small(self, name: str, style: str = "regular", align=TA_LEFT, size: float = 10) -> object:
        return self.styles["plain"].clone(f"cons_{name}", fontName=face(style), fontSize=size, leading=size * 1.2,
                                          alignment=align, spaceAfter=0)

    def story(self) -> list[Flowable]:
        d = self.data
        left = []
        if d.superior_name:
            left.append(Paragraph(party.markup(party.upper(d.superior_name)), self._small("sup", align=TA_CENTER,
                                                                                           size=12)))
        left.append(Paragraph(party.markup(party.upper(d.unit_name)), self._small("unit", "bold", TA_CENTER, 12)))
        left.append(Paragraph("*", self._small("star", align=TA_CENTER, size=12)))
        head = Table([[left, ""]], colWidths=[self.frame_width * 0.45, self.frame_width * 0.55])
        head.setStyle(self._plain_table_style())
        story: list[Flowable] = [head, Spacer(1, 8),
                                 self.para("TỔNG HỢP TÌNH HÌNH CÁC CHI BỘ", "doc_type"),
                                 self.para(f"Kỳ báo cáo: {d.period_label}", "center"),
                                 Paragraph(party.markup(d.subtitle), self.styles["date_line"]), Spacer(1, 8)]
        for number, table in enumerate(d.tables, start=1):
            story.append(Paragraph(party.markup(f"{number}. {table.title}"), self._small(f"t{number}", "bold",
                                                                                          size=12)))
            story.append(Spacer(1, 4))
            story.append(self._table(table))
            if table.note:
                story.append(Paragraph(party.markup(table.note), self._small(f"n{number}", "italic", size=9)))
            story.append(Spacer(1, 10))
        story.append(Paragraph(party.markup(f"{len(d.tables) + 1}. Những điểm cần xem lại"),
                               self._small("flags", "bold", size=12)))
        story.append(Spacer(1, 4))
        lines = d.flags or ["Không có."]
        story += [Paragraph(party.markup(f"- {line}"), self._small(f"f{i}", size=10)) for i, line in enumerate(lines)]
        return story

    def _table(self, table: TablePrint) -> Table:
        size = 9 if len(table.columns) <= 10 else 8
        first = table.first_width_mm * mm
        rest = (self.frame_width - first - 10 * mm) / max(len(table.columns) - 2, 1)
        widths = [10 * mm, first, *[rest] * (len(table.columns) - 2)]
        head = self._small("head", "bold", TA_CENTER, size)
        body = self._small("body", size=size)
        rows: list[list] = [[Paragraph(party.markup(c), head) for c in table.columns]]
        for row in table.rows:
            rows.append([row[0], Paragraph(party.markup(row[1]), body), *row[2:]])
        extra = [("ALIGN", (2, 1), (-1, -1), "RIGHT"), ("ALIGN", (1, 1), (1, -1), "LEFT")]
        if table.rows and table.rows[-1][0] == "":
            extra.append(("FONTNAME", (0, len(rows) - 1), (-1, len(rows) - 1), face("bold")))
        return self.grid(rows, widths, header_rows=1, size=size, extra=extra)
