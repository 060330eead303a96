"""Tổng hợp kết quả đánh giá, xếp loại chất lượng đảng viên năm: one line per member, the totals by grade and
Biểu 6F's counts of who was not reviewed (FORMS §1.8: the table's columns are set by the Đảng ủy above)."""
from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from app.reports import party
from app.reports.base import PartyHeader
from app.reports.review_text import ReviewDocument, fitted, grade_legend, signature_table, signer

COLUMNS = ("STT", "Họ và tên", "Chức vụ", "Tổng điểm", "Tự xếp loại", "Chi bộ đề xuất", "Đảng ủy quyết định",
           "Ghi chú")


@dataclass
class SummaryLine:
    full_name: str
    post: str
    total: str
    self_grade: str
    proposed: str
    final: str
    note: str


@dataclass
class GradeTotal:
    """One grade's count and share of those reviewed, as the cell proposed and as the Đảng ủy decided."""

    label: str
    proposed: str
    proposed_percent: str
    final: str
    final_percent: str


@dataclass
class SummaryPrint:
    header: PartyHeader
    year: int
    lines: list[SummaryLine]
    totals: list[GradeTotal]
    counts: list[str]          # Biểu 6F's lines, worded
    quota: list[str]
    secretary_name: str = ""
    signer: list[str] = field(default_factory=lambda: ["T/M CHI ỦY", "BÍ THƯ"])


class ReviewSummaryDocument(ReviewDocument):
    form = "review_summary"

    def __init__(self, data: SummaryPrint, layout=None):
        super().__init__(layout)
        self.data = data
        self.pdf_title = f"Tổng hợp kết quả xếp loại đảng viên năm {data.year}"

    def story(self) -> list[Flowable]:
        d = self.data
        story: list[Flowable] = [self.header(d.header)]
        story += self.title("TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM " + str(d.year))
        story += [self._members(), Spacer(1, 2), self.para(grade_legend(), "note"), Spacer(1, 6)]
        lines = self.styles["plain"].clone("summary_lines", fontSize=self.table_size + 1,
                                           leading=(self.table_size + 1) * 1.3, spaceAfter=1)
        story.append(KeepTogether([self.para("1. Kết quả xếp loại (tỷ lệ trên số đảng viên được đánh giá, xếp loại)",
                                             "section"), self._totals()]))
        story.append(Spacer(1, 6))
        story.append(KeepTogether([self.para("2. Số lượng đảng viên (Biểu 6F)", "section"),
                                   *[Paragraph(party.markup(line), lines) for line in d.counts]]))
        closing = [Spacer(1, 6), self.para("3. Tỷ lệ Hoàn thành xuất sắc nhiệm vụ", "section"),
                   *[Paragraph(party.markup(line), lines) for line in d.quota], Spacer(1, 4),
                   signature_table(self, "", signer(self, d.signer, "", d.secretary_name))]
        story.append(KeepTogether(closing))
        return story

    def _widths(self) -> list[float]:
        fixed = [10 * mm, 52 * mm, 38 * mm, 18 * mm, 22 * mm, 22 * mm, 24 * mm]
        return fixed + [self.frame_width - sum(fixed)]

    def _members(self) -> Flowable:
        size, widths = self.table_size, self._widths()
        header = [self.para(c, "table_header") for c in COLUMNS]
        rows: list[list] = [header]
        for i, line in enumerate(self.data.lines, start=1):
            rows.append([str(i), fitted(self, line.full_name, widths[1], size),
                         fitted(self, line.post, widths[2], size), line.total, line.self_grade, line.proposed,
                         line.final,
                         fitted(self, line.note, widths[7], size) if line.note else ""])
        return self.grid(rows, widths, header_rows=1, size=size,
                         extra=[("ALIGN", (1, 1), (2, -1), "LEFT"), ("ALIGN", (7, 1), (7, -1), "LEFT")])

    def _totals(self) -> Flowable:
        size = self.table_size
        number = 30 * mm
        label = self.frame_width - 4 * number
        header = [["Mức xếp loại", "Chi bộ đề xuất", "", "Đảng ủy quyết định", ""],
                  ["", "Số lượng", "Tỷ lệ", "Số lượng", "Tỷ lệ"]]
        rows = header + [[t.label, t.proposed, t.proposed_percent, t.final, t.final_percent] for t in self.data.totals]
        extra = [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (2, 0)), ("SPAN", (3, 0), (4, 0)),
                 ("ALIGN", (0, 2), (0, -1), "LEFT"), ("FONTNAME", (0, -1), (-1, -1), self.styles["section"].fontName)]
        return self.grid(rows, [label, number, number, number, number], header_rows=2, size=size, extra=extra)
