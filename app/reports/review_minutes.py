"""Biên bản hội nghị kiểm điểm, đánh giá, xếp loại chất lượng năm: who came, the collective review, each
member's review, every member's vote tally and the cell's proposal, the cell's own vote, the signatures."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.domain.review import GRADES_BEST_FIRST, Grade
from app.reports import party
from app.reports.base import DottedLines, PartyHeader
from app.reports.meeting_text import MeetingPrint, attendance_lines, chair_text, minute_taker_text, sentence
from app.reports.review_text import ReviewDocument, fitted, grade_legend, short, votes_text


@dataclass
class MemberVote:
    """One member's part of the meeting: self score and grade, the cell's comments, the votes, the proposal."""

    full_name: str
    total: str
    self_grade: Grade | None
    comments: str
    votes: dict[Grade, int]
    voters: int | None
    proposed: Grade | None


@dataclass
class ReviewMinutesPrint:
    header: PartyHeader
    year: int
    cell_name: str
    day: dt.date
    meeting: MeetingPrint | None        # the review meeting when one is linked to the season
    present: int | None                 # the season's count, when no meeting is linked
    members: list[MemberVote] = field(default_factory=list)
    cell_total: str = ""
    cell_self_grade: Grade | None = None
    cell_votes: dict[Grade, int] = field(default_factory=dict)
    not_reviewed: list[str] = field(default_factory=list)


class ReviewMinutesDocument(ReviewDocument):
    form = "review_minutes"

    def __init__(self, data: ReviewMinutesPrint, layout=None):
        super().__init__(layout)
        self.data = data
        self.data.header.show_date_line = False
        self.pdf_title = f"Biên bản hội nghị kiểm điểm năm {data.year}"

    def story(self) -> list[Flowable]:
        d = self.data
        story: list[Flowable] = [self.header(d.header)]
        story += self.title("BIÊN BẢN", "HỘI NGHỊ KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI", f"CHẤT LƯỢNG NĂM {d.year}")
        story.append(self.para(self._opening()))
        story += self.section("I. THÀNH PHẦN THAM DỰ", [self.para(line) for line in self._participants()])
        story += self._contents()
        story += self._votes()
        signers = self.signature_rows(["THƯ KÝ"], ["CHỦ TRÌ"], self._name("minute_taker_name"),
                                      self._name("chair_name"), lead=[self.para(self._closing())])
        return self.ending(story, signers)

    def _name(self, attribute: str) -> str:
        return getattr(self.data.meeting, attribute) if self.data.meeting else ""

    def _opening(self) -> str:
        d, m = self.data, self.data.meeting.meeting if self.data.meeting else None
        when = (f"vào hồi {party.clock_text(m.start)}, " if m and m.start else "vào hồi …… giờ …… phút, ")
        place = f"tại {m.place}" if m and m.place else "tại ……………………………"
        return (f"Hôm nay, {when}{party.long_date(d.day)}, {place}, {d.cell_name} tổ chức hội nghị kiểm điểm, đánh "
                f"giá, xếp loại chất lượng tập thể chi bộ và đảng viên năm {d.year}.")

    def _participants(self) -> list[str]:
        d = self.data
        if d.meeting is not None:
            lines = [chair_text(d.meeting), minute_taker_text(d.meeting), *attendance_lines(d.meeting.counts)]
        else:
            present = d.present if d.present is not None else "……"
            lines = ["- Chủ trì: đồng chí ……………………………", "- Thư ký (người ghi biên bản): đồng chí ……………………………",
                     f"- Số đảng viên có mặt: {present} đồng chí.", "- Số đảng viên vắng mặt: …… đồng chí."]
        reviewed = len(d.members)
        lines.append(f"- Số đảng viên thuộc diện kiểm điểm, đánh giá, xếp loại: {reviewed} đồng chí.")
        if d.not_reviewed:
            lines.append("- Không kiểm điểm, xếp loại: " + "; ".join(d.not_reviewed) + ".")
        return lines

    def _contents(self) -> list[Flowable]:
        d = self.data
        story = [self.para("II. NỘI DUNG HỘI NGHỊ", "section")]
        collective = [self.para("Đồng chí bí thư chi bộ thay mặt chi ủy trình bày báo cáo kiểm điểm, tự đánh giá, xếp "
                                "loại chất lượng của tập thể chi bộ (Mẫu 01-HD KĐ.ĐG 2025); hội nghị thảo luận, góp "
                                "ý.")]
        if d.cell_total:
            collective.append(self.para(f"Tập thể chi bộ tự chấm {d.cell_total}/100 điểm"
                                        + (f", tự xếp loại {d.cell_self_grade.label}." if d.cell_self_grade else ".")))
        collective.append(self.para("Ý kiến góp ý:", "plain"))
        collective.append(DottedLines(3, self.layout.size("body") * 1.6))
        story += self.section("1. Kiểm điểm tập thể chi bộ", collective)
        members = [self.para("Từng đảng viên trình bày bản kiểm điểm, tự đánh giá, xếp loại; hội nghị góp ý; chi ủy "
                             "nhận xét, đánh giá; chi bộ biểu quyết đề xuất mức xếp loại.")]
        members += [self.para(self._member_line(m)) for m in d.members]
        story += self.section("2. Kiểm điểm từng đảng viên", members)
        return story

    @staticmethod
    def _member_line(m: MemberVote) -> str:
        score = f"tự chấm {m.total}/100 điểm" if m.total else "chưa tự chấm điểm"
        grade = f", tự xếp loại {m.self_grade.label}" if m.self_grade else ""
        comments = f"; ý kiến của chi bộ: {sentence(m.comments).rstrip('.')}" if m.comments.strip() else ""
        return f"- Đồng chí {m.full_name}: {score}{grade}{comments}."

    def _votes(self) -> list[Flowable]:
        d, size = self.data, self.table_size
        number, vote, proposed = 9 * mm, 17 * mm, 24 * mm
        name = self.frame_width - number - 4 * vote - proposed
        header = self.para("Chi bộ đề xuất", "table_header")
        rows: list[list] = [["STT", "Họ và tên", "Số phiếu biểu quyết", "", "", "", header],
                            ["", "", *[short(g) for g in GRADES_BEST_FIRST], ""]]
        for i, m in enumerate(d.members, start=1):
            counts = [str(m.votes.get(g, 0)) if m.votes else "" for g in GRADES_BEST_FIRST]
            rows.append([str(i), fitted(self, m.full_name, name, size), *counts, short(m.proposed)])
        extra = [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2, 0), (5, 0)), ("SPAN", (6, 0), (6, 1)),
                 ("FONTNAME", (0, 1), (-1, 1), self.styles["section"].fontName), ("ALIGN", (1, 2), (1, -1), "LEFT")]
        table = self.grid(rows, [number, name, vote, vote, vote, vote, proposed], header_rows=2, size=size, extra=extra)
        cell = f"Tập thể chi bộ: {votes_text(d.cell_votes, None)}"
        proposal = ("Chi bộ đề xuất xếp loại tập thể chi bộ: " + (d.cell_self_grade.label + "."
                                                                  if d.cell_self_grade else "……………………………."))
        return [*self.section("III. KẾT QUẢ BIỂU QUYẾT XẾP LOẠI", [table]), Spacer(1, 2),
                self.para(grade_legend(), "note"), Spacer(1, 4), self.para(cell), self.para(proposal)]

    def _closing(self) -> str:
        m = self.data.meeting.meeting if self.data.meeting else None
        end = f"vào hồi {party.clock_text(m.end)} cùng ngày" if m and m.end else "vào hồi …… giờ …… phút cùng ngày"
        return f"Hội nghị kết thúc {end}. Biên bản đã được đọc lại trước hội nghị và được hội nghị thông qua."
