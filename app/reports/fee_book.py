"""Sổ thu, nộp đảng phí (Mẫu số S01/ĐP, FORMS §4.2): cover, Part I month by month, Part II with subtotals."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table

from app.domain.money import format_number
from app.reports import party
from app.reports.base import Document, PartyTitle, face


@dataclass
class MonthBlock:
    """One month of Part I: its heading, member lines (11 values each) and the total line."""

    title: str
    rows: list[list]
    total: list


@dataclass
class FeeBookPrint:
    """Everything the book prints, already computed by the fee service (no rule is applied here)."""

    superior: str
    cell: str
    year: int
    place: str
    made_on: dt.date
    form_code: str
    title: str
    part_one_title: str
    part_two_title: str
    part_one_columns: tuple
    part_two_columns: tuple
    exempt_note: str
    months: list[MonthBlock]
    summary: list[list]          # 11 values per line
    summary_kinds: list[str]     # month, quarter, year
    notes: list[str] = field(default_factory=list)
    signers: tuple = ()
    signer_names: tuple = ()


# Column widths in millimetres on a landscape A4 frame; the name and note columns take what is left.
_PART_ONE_MM = (9, None, 13, 17, 23, 19, 21, 20, 20, 22, None)
_PART_TWO_MM = (22, 24, 20, 20, 24, 24, 24, 24, 24, 24, None)
_MONEY_ONE = range(4, 10)
_MONEY_TWO = range(4, 10)


class FeeBookDocument(Document):
    form = "fee_book"

    def __init__(self, data: FeeBookPrint, layout=None):
        super().__init__(layout)
        self.data = data
        self.pdf_title = f"Sổ thu, nộp đảng phí năm {data.year}"
        self.table_size = float(self.settings.get("table_size", 9.5))
        self.header_size = float(self.settings.get("table_header_size", 8.5))
        self.cell_style = ParagraphStyle("fee_cell", fontName=face("regular"), fontSize=self.table_size,
                                         leading=self.table_size * 1.15, alignment=TA_LEFT)
        self.head_style = ParagraphStyle("fee_head", fontName=face("bold"), fontSize=self.header_size,
                                         leading=self.header_size * 1.15, alignment=TA_CENTER)

    @property
    def orientation(self) -> str:
        return self.settings.get("orientation", "landscape")

    # --- the story ---------------------------------------------------------------------------
    def story(self) -> list[Flowable]:
        story = self._cover()
        story.append(PageBreak())
        story.append(self.para(self.data.part_one_title, "doc_type"))
        story.append(Spacer(1, 6))
        for block in self.data.months:
            story += self._month(block)
        story.append(self.para(f"Ghi chú: {self.data.exempt_note}", "note"))
        story.append(PageBreak())
        story += self._part_two()
        return story

    def _cover(self) -> list[Flowable]:
        d = self.data
        top = Table([[self.para(d.form_code, "note")]], colWidths=[self.frame_width])
        top.setStyle(self._plain_table_style())
        top.setStyle([("ALIGN", (0, 0), (-1, -1), "RIGHT")])
        items: list[Flowable] = [top, Spacer(1, 18), PartyTitle(self.layout.size("party_title")), Spacer(1, 26)]
        items += [self.para(f"Đảng bộ: {d.superior}", "center"), self.para(f"Chi bộ: {d.cell}", "center")]
        items += [Spacer(1, 40), self._big(d.title, 26), Spacer(1, 10), self._big(f"Năm {d.year}", 18),
                  Spacer(1, 40)]
        items += [self.para(line, "center") for line in d.notes]
        return items

    def _big(self, text: str, size: float) -> Paragraph:
        style = ParagraphStyle("fee_big", fontName=face("bold"), fontSize=size, leading=size * 1.25,
                               alignment=TA_CENTER)
        return Paragraph(party.markup(text), style)

    def _widths(self, spec: tuple) -> list[float]:
        fixed = sum(w for w in spec if w is not None) * mm
        free = [i for i, w in enumerate(spec) if w is None]
        share = (self.frame_width - fixed) / len(free)
        return [share if w is None else w * mm for w in spec]

    def _header_rows(self, columns: tuple) -> tuple[list[list], list[tuple]]:
        """Two header rows with their spans: a heading over its sub-headings, or over both rows."""
        first, second, spans = [], [], []
        col = 0
        while col < len(columns):
            top, sub = columns[col]
            span = 1
            while sub is not None and col + span < len(columns) and columns[col + span][0] == top:
                span += 1
            first.append(Paragraph(party.markup(top), self.head_style))
            first += [""] * (span - 1)
            if sub is None:
                second.append("")
                spans.append(("SPAN", (col, 0), (col, 1)))
            else:
                second += [Paragraph(party.markup(columns[col + k][1]), self.head_style) for k in range(span)]
                if span > 1:
                    spans.append(("SPAN", (col, 0), (col + span - 1, 0)))
            col += span
        return [first, second], spans

    def _cells(self, values: list, money: range, note_col: int | None) -> list:
        out = []
        for i, value in enumerate(values):
            if value is None or value == "":
                out.append("")
            elif i in money and isinstance(value, int):
                out.append(format_number(value))
            elif i == note_col and len(str(value)) > 22:
                out.append(Paragraph(party.markup(str(value)), self.cell_style))
            else:
                out.append(party.nfc(str(value)))
        return out

    def _month(self, block: MonthBlock) -> list[Flowable]:
        header, spans = self._header_rows(self.data.part_one_columns)
        body = [self._cells(r, _MONEY_ONE, 10) for r in block.rows]
        total = self._cells(block.total, _MONEY_ONE, 10)
        rows = header + body + [total]
        last = len(rows) - 1
        extra = spans + [
            ("ALIGN", (1, 2), (1, last), "LEFT"), ("ALIGN", (10, 2), (10, last), "LEFT"),
            ("ALIGN", (4, 2), (9, last), "RIGHT"),
            ("FONTNAME", (0, last), (-1, last), face("bold")),
            ("VALIGN", (0, 0), (-1, 1), "MIDDLE"),
        ]
        table = self.grid(rows, self._widths(_PART_ONE_MM), header_rows=2, size=self.table_size, extra=extra)
        heading = self.rich(f"<b>{party.markup(block.title)}</b>", "plain")
        # A month's heading never sits alone at a page foot: it needs room for the header and a few lines.
        return [CondPageBreak(45 * mm), heading, table, Spacer(1, 10)]

    def _part_two(self) -> list[Flowable]:
        d = self.data
        items: list[Flowable] = [self.para(d.part_two_title, "doc_type"), self.para(f"NĂM: {d.year}", "summary"),
                                 Spacer(1, 8)]
        header, spans = self._header_rows(d.part_two_columns)
        body = [self._cells(r, _MONEY_TWO, None) for r in d.summary]
        rows = header + body
        last = len(rows) - 1
        extra = spans + [("ALIGN", (4, 2), (9, last), "RIGHT"), ("ALIGN", (1, 2), (1, last), "LEFT"),
                         # Tighter lines, so that the table and the three signatures share one page.
                         ("TOPPADDING", (0, 2), (-1, last), 1), ("BOTTOMPADDING", (0, 2), (-1, last), 2)]
        for offset, kind in enumerate(d.summary_kinds):
            if kind != "month":
                extra += [("FONTNAME", (0, 2 + offset), (-1, 2 + offset), face("bold")),
                          ("BACKGROUND", (0, 2 + offset), (-1, 2 + offset), "#eeeeee")]
        items.append(self.grid(rows, self._widths(_PART_TWO_MM), header_rows=2, size=self.table_size, extra=extra))
        items.append(Spacer(1, 4))
        items.append(self._signers())
        return items

    def _signers(self) -> Flowable:
        """Người ghi sổ | Phụ trách | T/M cấp ủy, the names level with each other whatever the headings."""
        d = self.data
        width = self.frame_width / 3
        headings = [heading.split("\n") for heading in d.signers]
        lines = max(len(h) for h in headings)
        space = float(self.settings.get("signature_space_mm", 16)) * mm
        cells = []
        for heading, name in zip(headings, d.signer_names):
            items: list[Flowable] = [self.para(party.upper(line), "signature") for line in heading]
            if len(heading) < lines:
                items.append(Spacer(1, self.styles["signature"].leading * (lines - len(heading))))
            items += [Spacer(1, space), self.para(name or " ", "signature")]
            cells.append(items)
        date_row = ["", "", self.para(party.date_line(d.place, d.made_on), "date_line")]
        table = Table([date_row, cells], colWidths=[width] * 3)
        table.setStyle(self._plain_table_style())
        return KeepTogether([table])
