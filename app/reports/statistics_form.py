"""The basic statistics forms as printed (Biểu số 1, 2, 3, 6F, 7-BTCTW; DOMAIN §5.4): the reporting unit at
the top left, the form's number and period at the top right, the title, then the table «Chỉ tiêu | Kỳ này |
Cùng kỳ năm trước | Kỳ này so với cùng kỳ (%)», the notes and the signatures.

The document takes plain data (StatisticsPrint), so a cell's own slice and a Đảng ủy's consolidated forms
(«Tổng hợp từ N chi bộ») print with the same code."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from app.reports import party
from app.reports.base import Document, TableWithEnding, face

COLUMNS = ("Chỉ tiêu", "Kỳ này", "Cùng kỳ năm trước", "Kỳ này so với cùng kỳ (%)")
MAKER = ("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên; số điện thoại)")
CELL_SIGNER = ("T/M CHI ỦY", "BÍ THƯ")
INDENT_MM = 5  # per level of a row


@dataclass(frozen=True)
class StatLine:
    """One printed row: figures already as text («» for a heading with no figure of its own)."""

    label: str
    level: int
    current: str
    previous: str
    percent: str

    @property
    def bold(self) -> bool:
        return self.level == 0


@dataclass(frozen=True)
class StatFormPrint:
    name: str          # Biểu số 1-BTCTW
    title: str         # Tăng, giảm đảng viên (printed in capitals)
    period_label: str  # quý III năm 2026
    lines: tuple[StatLine, ...]
    notes: tuple[str, ...] = ()


@dataclass
class StatisticsPrint:
    """Everything a set of forms prints besides the figures: who reports, who signs, where and when."""

    unit_name: str
    superior_name: str = ""
    subtitle: str = ""  # «Tổng hợp từ 12 chi bộ» on a Đảng ủy's consolidated forms
    place: str = ""
    date: dt.date | None = None
    signer_name: str = ""
    signer: tuple[str, ...] = CELL_SIGNER
    forms: list[StatFormPrint] = field(default_factory=list)


def capitalised(text: str) -> str:
    text = party.nfc(text)
    return text[:1].upper() + text[1:]


class StatisticsFormDocument(Document):
    """One form; several in one PDF each start on a new page (base.render)."""

    form = "statistics"

    def __init__(self, paper: StatisticsPrint, form: StatFormPrint, layout=None):
        super().__init__(layout)
        self.paper, self.data = paper, form
        self.pdf_title = f"{form.name}: {form.title} {form.period_label}"

    # --- styles of this form ---------------------------------------------------------------------
    @property
    def size(self) -> float:
        return float(self.settings.get("table_size", 12))

    def _small(self, name: str, style: str = "regular", align=TA_LEFT, size: float | None = None) -> object:
        points = size or self.size
        return self.styles["plain"].clone(f"stat_{name}", fontName=face(style), fontSize=points,
                                          leading=points * 1.2, alignment=align, spaceAfter=0)

    # --- the story ---------------------------------------------------------------------------------
    def story(self) -> list[Flowable]:
        d = self.data
        story: list[Flowable] = [self._heading(), Spacer(1, 12),
                                 self.para(party.upper(d.title), "doc_type"),
                                 self.para(f"Kỳ báo cáo: {d.period_label}", "center")]
        if self.paper.subtitle:
            story.append(Paragraph(party.markup(self.paper.subtitle), self.styles["date_line"]))
        story.append(Spacer(1, 8))
        return [*story, TableWithEnding(self._table(), self._ending(), keep_rows=3)]

    def _heading(self) -> Table:
        """Left: the superior, the unit in bold capitals, «*»; right: the form's number and period."""
        p = self.paper
        header_size = self.layout.size("header") - 1
        left: list[Flowable] = []
        if p.superior_name:
            left.append(Paragraph(party.markup(party.upper(p.superior_name)),
                                  self._small("superior", align=TA_CENTER, size=header_size)))
        left.append(Paragraph(party.markup(party.upper(p.unit_name)),
                              self._small("unit", "bold", TA_CENTER, header_size)))
        left.append(Paragraph("*", self._small("star", align=TA_CENTER, size=header_size)))
        right = [Paragraph(party.markup(self.data.name), self._small("form_name", "bold", TA_CENTER, header_size)),
                 Paragraph(party.markup(f"({capitalised(self.data.period_label)})"),
                           self._small("form_period", "italic", TA_CENTER, header_size))]
        widths = [self.frame_width * 0.55, self.frame_width * 0.45]
        table = Table([[left, right]], colWidths=widths)
        table.setStyle(self._plain_table_style())
        return table

    def _widths(self) -> list[float]:
        figures = [22 * mm, 25 * mm, 30 * mm]
        return [self.frame_width - sum(figures), *figures]

    def _table(self) -> Table:
        widths = self._widths()
        head_style = self._small("head", "bold", TA_CENTER, self.layout.size("table_header"))
        rows: list[list] = [[Paragraph(party.markup(c), head_style) for c in COLUMNS]]
        bold_rows = []
        for index, line in enumerate(self.data.lines, start=1):
            style = self._small(f"level{line.level}{'b' if line.bold else ''}", "bold" if line.bold else "regular")
            style.leftIndent = INDENT_MM * mm * line.level
            rows.append([Paragraph(party.markup(line.label), style), line.current, line.previous, line.percent])
            if line.bold:
                bold_rows.append(index)
        extra = [("ALIGN", (1, 1), (-1, -1), "RIGHT"), ("RIGHTPADDING", (1, 1), (-1, -1), 6)]
        extra += [("FONTNAME", (1, r), (-1, r), face("bold")) for r in bold_rows]
        return self.grid(rows, widths, header_rows=1, size=self.size, extra=extra)

    def _ending(self) -> list[Flowable]:
        items: list[Flowable] = []
        if self.data.notes:
            items += [Spacer(1, 6), Paragraph("<b>Ghi chú:</b>", self._small("notes_head"))]
            items += [Paragraph(party.markup(f"- {note}"), self._small("note", "italic")) for note in self.data.notes]
        return [*items, Spacer(1, 10), *self._signatures()]

    def _signatures(self) -> list[Flowable]:
        p = self.paper
        # The right half is the wider: the place and date line stays on one line over the signer.
        widths = [self.frame_width * 0.42, self.frame_width * 0.58]
        date = Paragraph(party.markup(party.date_line(p.place, p.date)), self.styles["date_line"])
        space = Spacer(1, float(self.settings.get("signature_space_mm", 22)) * mm)
        left = [self.para(MAKER[0], "signature"), self.para(MAKER[1], "signature_note"), space]
        right = [*[self.para(party.upper(line), "signature") for line in p.signer], space,
                 self.para(p.signer_name or " ", "signature")]
        table = Table([["", date], [left, right]], colWidths=widths)
        table.setStyle(self._plain_table_style())
        return [table]


def documents(paper: StatisticsPrint, layout=None) -> list[StatisticsFormDocument]:
    """One document per form, in order, for base.render."""
    return [StatisticsFormDocument(paper, form, layout) for form in paper.forms]
