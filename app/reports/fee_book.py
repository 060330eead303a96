"""Sổ thu, nộp đảng phí (Mẫu số S01/ĐP, FORMS §4.2): cover, Part I month by month, Part II with subtotals."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Paragraph, Spacer, Table

from app.domain.money import format_number
from app.reports import party
from app.reports.base import Document, PartyTitle, face


@dataclass
class MonthBlock:
    """One month of Part I: its heading, its column headings, member lines (11 values each) and the total."""

    title: str
    rows: list[list]
    total: list
    columns: tuple = ()
    provisional: bool = False  # the month had not ended when the book was made
    notes: list[str] = field(default_factory=list)  # under its table (where the minutes counted otherwise)


@dataclass(frozen=True)
class Signer:
    """One signature under the book: its headings (bold capitals), a note under them, the name."""

    headings: tuple[str, ...]
    name: str
    note: str = ""


@dataclass
class FeeBookPrint:
    """Everything the book prints, already computed by the fee service (no rule is applied here)."""

    superior: str                # the cover's lines, written once each: "Đảng bộ xã Hòa Bình"
    cell: str
    year: int
    place: str
    made_on: dt.date
    form_code: str
    title: str
    part_one_title: str
    part_two_title: str
    part_two_columns: tuple
    exempt_note: str
    months: list[MonthBlock]
    summary: list[list]          # 11 values per line
    summary_kinds: list[str]     # month, quarter, year
    notes: list[str] = field(default_factory=list)
    part_two_notes: list[str] = field(default_factory=list)
    signers: tuple[Signer, ...] = ()


# Column widths in millimetres on a landscape A4 frame (the longest name and money at 11 pt fit on one line);
# the note column takes what is left.
_PART_ONE_MM = (9, 45, 12, 22, 20, 18, 19, 19, 20, 24, None)
_PART_TWO_MM = (22, 34, 20, 20, 23, 23, 23, 23, 23, 23, None)
_MONEY = range(4, 10)
_NOTE_COLUMN = 10
_PADDING = 6  # points: a ruled cell's left and right padding (base.grid)
# A book repeats the same few dues on every page: each sum is written out once.
_number = functools.lru_cache(maxsize=4096)(format_number)
# Part I: a month's heading goes to the next page unless its column headings and a few lines fit under it.
_MONTH_START_MM = 70
# Lines kept together: the headings with the first lines, the last lines with the total (and the signatures).
# Part II keeps its last quarter (three months, Cộng quý IV, Cộng cả năm) with the notes and signatures.
_FIRST_LINES, _LAST_LINES, _LINES_WITH_SIGNATURES = 3, 3, 5


class FeeBookDocument(Document):
    form = "fee_book"

    def __init__(self, data: FeeBookPrint, layout=None):
        super().__init__(layout)
        self.data = data
        self.pdf_title = f"Sổ thu, nộp đảng phí năm {data.year}"
        self.header_size = float(self.settings.get("table_header_size", self.layout.size("table_header")))
        self.cell_style = ParagraphStyle("fee_cell", fontName=face("regular"), fontSize=self.table_size,
                                         leading=self.table_size * 1.15, alignment=TA_LEFT)
        self.bold_cell_style = self.cell_style.clone("fee_cell_bold", fontName=face("bold"))
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
        for index, block in enumerate(self.data.months):
            last = index == len(self.data.months) - 1
            notes = block.notes + ([f"Ghi chú: {self.data.exempt_note}"] if last else [])
            story += self._month(block, notes, first=index == 0)
        if not self.data.months:
            story.append(self.para(f"Ghi chú: {self.data.exempt_note}", "note"))
        story.append(PageBreak())
        story += self._part_two()
        return story

    def _cover(self) -> list[Flowable]:
        d = self.data
        # The form's code in the top right corner (a paragraph keeps its own alignment, not the table's).
        code = Paragraph(party.markup(d.form_code), self.styles["note"].clone("fee_code", alignment=TA_RIGHT))
        items: list[Flowable] = [code, Spacer(1, 18), PartyTitle(self.layout.size("party_title")), Spacer(1, 26)]
        items += [self.para(d.superior, "center"), self.para(d.cell, "center")]
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

    def _cells(self, values: list, widths: list[float], note_col: int | None, bold: bool = False) -> list:
        out = []
        style = self.bold_cell_style if bold else self.cell_style
        for i, value in enumerate(values):
            text = "" if value is None else party.nfc(str(value))
            if not text:
                out.append("")
            elif i in _MONEY and isinstance(value, int):
                out.append(_number(value))
            elif i in (1, note_col) and stringWidth(text, style.fontName, style.fontSize) > widths[i] - _PADDING:
                # Names and notes wrap inside their column rather than run over the next one (a paragraph only
                # where needed: a thousand of them is most of the time a long book takes).
                out.append(Paragraph(party.markup(text), style))
            else:
                out.append(text)
        return out

    def _unruled(self, rows: list[list], texts: list[str], columns: int) -> list[tuple]:
        """Lines of text under a table, inside it (so NOSPLIT keeps them with its last lines): one cell across."""
        commands = []
        for text in texts:
            rows.append([self.para(text, "note")] + [""] * (columns - 1))
            row = len(rows) - 1
            commands += [("SPAN", (0, row), (-1, row)), ("ALIGN", (0, row), (-1, row), "LEFT"),
                         ("LEFTPADDING", (0, row), (-1, row), 0), ("TOPPADDING", (0, row), (-1, row), 4)]
        return commands

    def _month(self, block: MonthBlock, notes: list[str], first: bool) -> list[Flowable]:
        header, spans = self._header_rows(block.columns)
        widths = self._widths(_PART_ONE_MM)
        body = [self._cells(r, widths, _NOTE_COLUMN) for r in block.rows]
        rows = header + body + [self._cells(block.total, widths, _NOTE_COLUMN, bold=True)]
        last = len(rows) - 1
        extra = spans + [
            ("ALIGN", (1, 2), (1, last), "LEFT"), ("ALIGN", (10, 2), (10, last), "LEFT"),
            ("ALIGN", (4, 2), (9, last), "RIGHT"),
            ("FONTNAME", (0, last), (-1, last), face("bold")),
            ("VALIGN", (0, 0), (-1, 1), "MIDDLE"),
            ("NOSPLIT", (0, 0), (-1, min(last, 1 + _FIRST_LINES))),
        ]
        extra += self._unruled(rows, notes, len(block.columns))
        table = self.grid(rows, widths, header_rows=2, size=self.table_size, extra=extra, ruled_rows=last + 1)
        self._keep_end(table, max(2, last - _LAST_LINES + 1))
        heading = self.rich(f"<b>{party.markup(block.title)}</b>", "plain")
        # Space above a month's heading, not under its table: a frame drops it at a page top, where a spacer
        # after the last table would have made a blank page before Part II.
        heading.style = heading.style.clone("fee_month", spaceBefore=0 if first else 12)
        return [CondPageBreak(_MONTH_START_MM * mm), heading, table]

    def _part_two(self) -> list[Flowable]:
        d = self.data
        items: list[Flowable] = [self.para(d.part_two_title, "doc_type"), self.para(f"NĂM: {d.year}", "summary"),
                                 Spacer(1, 8)]
        header, spans = self._header_rows(d.part_two_columns)
        widths = self._widths(_PART_TWO_MM)
        rows = header + [self._cells(r, widths, None, bold=kind != "month")
                         for r, kind in zip(d.summary, d.summary_kinds)]
        last = len(rows) - 1
        extra = spans + [("ALIGN", (4, 2), (9, last), "RIGHT"), ("ALIGN", (1, 2), (1, last), "LEFT"),
                         ("TOPPADDING", (0, 2), (-1, last), 1), ("BOTTOMPADDING", (0, 2), (-1, last), 2)]
        for offset, kind in enumerate(d.summary_kinds):
            if kind != "month":
                extra += [("FONTNAME", (0, 2 + offset), (-1, 2 + offset), face("bold")),
                          ("BACKGROUND", (0, 2 + offset), (-1, 2 + offset), "#eeeeee")]
        extra += self._unruled(rows, d.part_two_notes, len(d.part_two_columns))
        # The signatures are the table's last row: NOSPLIT keeps them with the last lines, so that no page
        # holds only signatures.
        rows.append([self._signers()] + [""] * (len(d.part_two_columns) - 1))
        signatures = len(rows) - 1
        extra += [("SPAN", (0, signatures), (-1, signatures)), ("LEFTPADDING", (0, signatures), (-1, signatures), 0),
                  ("RIGHTPADDING", (0, signatures), (-1, signatures), 0),
                  ("TOPPADDING", (0, signatures), (-1, signatures), 6)]
        table = self.grid(rows, widths, header_rows=2, size=self.table_size, extra=extra, ruled_rows=last + 1)
        self._keep_end(table, last - _LINES_WITH_SIGNATURES + 1)
        items.append(table)
        return items

    def _keep_end(self, table: Table, start: int) -> None:
        """The table's rows from `start` to its end (last lines, notes, signatures) never split, as far as they
        fit on one page under the repeated headings; when they would not, the group starts lower."""
        room = self.page_size[1] - self.layout.margin("top") - self.layout.margin("bottom")
        table.wrap(self.frame_width, 1e7)  # every row measured (reportlab stops at the height it is given)
        heights = table._rowHeights
        room -= sum(heights[:table.repeatRows]) + 1
        first = len(heights) - 1
        while first - 1 >= start and sum(heights[first - 1:]) <= room:
            first -= 1
        if first < len(heights) - 1:
            table.setStyle([("NOSPLIT", (0, first), (-1, -1))])

    def _signers(self) -> Table:
        """Người ghi sổ at the left, T/M CHI BỘ – BÍ THƯ at the right under the date line; the names level
        with each other whatever the headings."""
        d = self.data
        width = self.frame_width / 2
        lines = max(len(s.headings) + bool(s.note) for s in d.signers)
        space = float(self.settings.get("signature_space_mm", self.layout.spacing("signature_space_mm"))) * mm
        cells: list = [""] * (2 - len(d.signers))
        for signer in d.signers:
            items: list[Flowable] = [self.para(party.upper(line), "signature") for line in signer.headings]
            if signer.note:
                items.append(self.para(signer.note, "signature_note"))
            missing = lines - len(signer.headings) - bool(signer.note)
            if missing:
                items.append(Spacer(1, self.styles["signature"].leading * missing))
            items += [Spacer(1, space), self.para(signer.name or " ", "signature")]
            cells.append(items)
        date_row = ["", self.para(party.date_line(d.place, d.made_on), "date_line")]
        table = Table([date_row, cells], colWidths=[width] * 2)
        table.setStyle(self._plain_table_style())
        return table
