"""Phiếu biểu quyết mức xếp loại chất lượng: one framed ballot per member and one for the cell, several to a page,
to be cut apart along the frames."""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from app.reports import party
from app.reports.base import face
from app.reports.review_text import ReviewDocument, StillParagraph, grade_boxes

INSTRUCTION = "(Đồng ý mức nào thì đánh dấu X vào ô tương ứng; mỗi phiếu chỉ chọn một mức)"


@dataclass
class BallotPrint:
    """One ballot: whose grade is voted on (a member, or the cell itself)."""

    title: str      # PHIẾU BIỂU QUYẾT MỨC XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2026
    subject: str    # Họ và tên đảng viên: Nguyễn Văn An / Tập thể: Chi bộ thôn Đông
    cell_name: str


class BallotsDocument(ReviewDocument):
    form = "review_ballot"

    def __init__(self, ballots: list[BallotPrint], year: int, layout=None):
        super().__init__(layout)
        self.ballots = ballots
        self.pdf_title = f"Phiếu biểu quyết mức xếp loại năm {year}"

    @property
    def ballot_size(self) -> float:
        return float(self.settings.get("ballot_size", 13))

    def story(self) -> list[Flowable]:
        story: list[Flowable] = []
        for ballot in self.ballots:
            story += [self._ballot(ballot), Spacer(1, 14)]
        return story

    def _ballot(self, b: BallotPrint) -> Table:
        size = self.ballot_size
        plain = self.styles["plain"].clone("ballot", fontSize=size, leading=size * 1.25, spaceAfter=3)
        bold = self.styles["summary"].clone("ballot_title", fontSize=size, leading=size * 1.25, spaceAfter=4)
        small = self.styles["header_bold"].clone("ballot_cell", fontSize=size - 2, leading=(size - 2) * 1.2,
                                                 alignment=0, spaceAfter=4)
        note = self.styles["note"].clone("ballot_note", fontSize=size - 1, leading=(size - 1) * 1.25,
                                         alignment=1, spaceBefore=3)
        # The title breaks before "MỨC", never leaving the year alone on a line.
        head, _, tail = party.nfc(b.title).partition(" MỨC ")
        title = Paragraph(party.markup(head) + ("<br/>" + party.markup("MỨC " + tail) if tail else ""), bold)
        content = [self.rich_para(party.upper(b.cell_name), small), title,
                   self.rich_para(b.subject, plain), *grade_boxes(size, None, indent=size * 2),
                   self.rich_para(INSTRUCTION, note)]
        table = Table([[content]], colWidths=[self.frame_width])
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), face("regular")),
            ("BOX", (0, 0), (-1, -1), 0.6, "#000000"),
            ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ]))
        return table

    @staticmethod
    def rich_para(text: str, style) -> Paragraph:
        return StillParagraph(party.markup(text), style)
