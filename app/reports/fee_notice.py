"""Thông báo tình hình đóng đảng phí tháng: the notice read at the opening of the month's meeting (DOMAIN §1.3)."""
from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.reports.base import Document, PartyHeader


@dataclass
class NoticeLine:
    name: str
    due: str
    paid: str
    owed: str
    state: str
    owes: bool = False  # printed in bold: the member has not paid the month in full


@dataclass
class FeeNoticePrint:
    """Everything the notice prints, already computed and worded by the fee service."""

    header: PartyHeader
    month_label: str          # "tháng 11 năm 2026"
    lines: list[NoticeLine]
    summary: list[str]        # the sentences above the table
    warnings: list[str] = field(default_factory=list)  # the three-month warnings, one sentence each
    secretary_name: str = ""


class FeeNoticeDocument(Document):
    form = "fee_notice"

    def __init__(self, data: FeeNoticePrint, layout=None):
        super().__init__(layout)
        self.data = data
        self.pdf_title = f"Thông báo tình hình đóng đảng phí {data.month_label}"

    def _widths(self) -> list[float]:
        number, money, state = 10 * mm, 24 * mm, 30 * mm
        return [number, self.frame_width - number - 3 * money - state, money, money, money, state]

    def _rows(self) -> list[list]:
        rows: list[list] = [["STT", "Họ và tên", "Phải đóng", "Đã đóng", "Còn thiếu", "Tình hình"]]
        rows += [[str(i), line.name, line.due, line.paid, line.owed, line.state]
                 for i, line in enumerate(self.data.lines, start=1)]
        return rows

    def story(self) -> list[Flowable]:
        d = self.data
        story: list[Flowable] = [self.header(d.header)]
        story += self.title("THÔNG BÁO", f"Tình hình đóng đảng phí {d.month_label}")
        story += [self.para(line) for line in d.summary]
        last = len(d.lines)
        extra = [("ALIGN", (1, 1), (1, last), "LEFT"), ("ALIGN", (2, 1), (4, last), "RIGHT")]
        bold = self.styles["table_header"].fontName
        extra += [("FONTNAME", (0, i), (-1, i), bold) for i, line in enumerate(d.lines, start=1) if line.owes]
        story.append(self.grid(self._rows(), self._widths(), header_rows=1, size=self.table_size, extra=extra))
        lead: list[Flowable] = [Spacer(1, 6)]
        if d.warnings:
            lead.append(self.para("Cảnh báo:", "plain"))
            lead += [self.para(f"- {text}", "plain") for text in d.warnings]
        signer = self.layout.form("resolution")
        story.append(self.signatures(None, [signer.get("signer_on_behalf", "T/M CHI BỘ"),
                                            signer.get("signer_title", "BÍ THƯ")],
                                     right_name=d.secretary_name, lead=lead))
        return story
