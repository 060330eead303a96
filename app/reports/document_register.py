"""Sổ đăng ký văn bản đi: the numbers the cell issued in a term, one table per document type (R14)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from app.reports import party
from app.reports.base import Document, PartyHeader, TableWithEnding


@dataclass
class RegisterEntry:
    """One document issued: its number and symbol, its date, its kind and summary, who signed it."""

    number: str
    day: dt.date
    kind: str
    summary: str
    signer: str = ""  # one signer a line
    note: str = ""


@dataclass
class DocumentRegisterPrint:
    header: PartyHeader
    term: str
    groups: list[tuple[str, list[RegisterEntry]]] = field(default_factory=list)
    secretary_name: str = ""


_COLUMNS = ("STT", "Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại văn bản", "Trích yếu nội dung",
            "Người ký", "Ghi chú")
_WIDTHS_MM = (10, 28, 24, 22, None, 56, 28)


class DocumentRegisterDocument(Document):
    form = "document_register"

    def __init__(self, data: DocumentRegisterPrint, layout=None):
        super().__init__(layout)
        self.data = data
        self.data.header.show_date_line = bool(self.settings.get("date_line", True))
        self.pdf_title = f"Sổ đăng ký văn bản đi nhiệm kỳ {data.term}"
        self.cell = self.cell_style(self.table_size)

    def _widths(self) -> list[float]:
        fixed = sum(w for w in _WIDTHS_MM if w) * mm
        return [w * mm if w else self.frame_width - fixed for w in _WIDTHS_MM]

    def _rows(self) -> tuple[list[list], list[tuple]]:
        rows: list[list] = [[self.rich(title, "table_header") for title in _COLUMNS]]
        extra: list[tuple] = []
        for title, entries in self.data.groups:
            extra += [("SPAN", (0, len(rows)), (-1, len(rows))), ("ALIGN", (0, len(rows)), (-1, len(rows)), "LEFT"),
                      ("BACKGROUND", (0, len(rows)), (-1, len(rows)), "#eeeeee")]
            rows.append([Paragraph(f"<b>{party.markup(title)}</b>", self.cell)] + [""] * (len(_COLUMNS) - 1))
            if not entries:
                rows.append(["", Paragraph("Chưa cấp số nào.", self.cell)] + [""] * (len(_COLUMNS) - 2))
            for index, entry in enumerate(entries, start=1):
                rows.append([str(index), entry.number.removeprefix("Số "), entry.day.strftime("%d/%m/%Y"),
                             Paragraph(party.markup(entry.kind), self.cell),
                             Paragraph(party.markup(entry.summary), self.cell),
                             Paragraph("<br/>".join(party.markup(n) for n in entry.signer.splitlines()), self.cell),
                             Paragraph(party.markup(entry.note), self.cell)])
        return rows, extra

    def story(self) -> list[Flowable]:
        d = self.data
        story: list[Flowable] = [self.header(d.header)]
        story += self.title("SỔ ĐĂNG KÝ VĂN BẢN ĐI", f"Nhiệm kỳ {d.term}" if d.term else "")
        rows, extra = self._rows()
        table = self.grid(rows, self._widths(), header_rows=1, size=self.table_size, extra=extra)
        note = self.para("Số văn bản chạy liên tục theo từng loại trong nhiệm kỳ, theo thứ tự ngày của văn bản; "
                         "số không theo thứ tự ngày được ghi ở cột Ghi chú.", "note")
        ending = self.signature_rows(None, self.cell_signer(), right_name=d.secretary_name, lead=[Spacer(1, 6), note])
        story.append(TableWithEnding(table, ending, keep_rows=3))
        return story
