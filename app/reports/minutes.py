"""Biên bản sinh hoạt chi bộ (FORMS §2): the record of one meeting, signed by the minute-taker and the chair."""
from __future__ import annotations

from reportlab.platypus import Flowable

from app.domain.meetings import MeetingKind
from app.reports import party
from app.reports.base import Document
from app.reports.meeting_text import (
    MeetingPrint,
    attendance_lines,
    chair_text,
    duration_text,
    kind_title,
    minute_taker_text,
    opening_sentence,
    vote_sentence,
)


class MinutesDocument(Document):
    form = "minutes"

    def __init__(self, data: MeetingPrint, layout=None):
        super().__init__(layout)
        self.data = data
        self.data.header.show_date_line = bool(self.settings.get("date_line", False))
        self.pdf_title = f"Biên bản sinh hoạt chi bộ {self.data.meeting.date.isoformat()}"

    def story(self) -> list[Flowable]:
        d, m = self.data, self.data.meeting
        story: list[Flowable] = [self.header(d.header)]
        period = party.month_year(m.date.year, m.date.month)
        topic = f"Chuyên đề: {m.topic}" if m.kind.is_thematic and m.topic else ""
        story += self.title("BIÊN BẢN", kind_title(m.kind), period, topic)
        story.append(self.para(opening_sentence(d)))
        story += self._participants()
        story += self._contents()
        conclusion = self._conclusion()
        story += conclusion[:-1]
        story.append(self.signatures([self.settings.get("left_signer", "NGƯỜI GHI BIÊN BẢN")],
                                     [self.settings.get("right_signer", "CHỦ TRÌ HỘI NGHỊ")],
                                     d.minute_taker_name, d.chair_name, lead=conclusion[-1:]))
        return story

    def _participants(self) -> list[Flowable]:
        d = self.data
        items = [self.para("I. THÀNH PHẦN THAM DỰ", "section")]
        if d.meeting.guests:
            items.append(self.para(f"- Đại biểu cấp trên: {d.meeting.guests}."))
        items += [self.para(chair_text(d)), self.para(minute_taker_text(d))]
        items += [self.para(line) for line in attendance_lines(d.counts)]
        return items

    def _sections(self) -> list[tuple[str, str]]:
        m = self.data.meeting
        reviewed, planned = m.reviewed_month, m.tasks_for
        regular = [
            (f"Đánh giá kết quả thực hiện nhiệm vụ {party.month_year(reviewed.year, reviewed.month)}", m.assessment),
            (f"Phương hướng, nhiệm vụ {party.month_year(planned.year, planned.month)}", m.next_tasks),
            ("Phân công tổ chức thực hiện", m.assignments),
        ]
        thematic = [(f"Sinh hoạt chuyên đề: {m.topic}" if m.topic else "Sinh hoạt chuyên đề", m.thematic_content)]
        after = [("Ý kiến thảo luận của đảng viên", m.discussion),
                 ("Tự đánh giá chất lượng kỳ sinh hoạt", m.self_assessment)]
        if m.kind is MeetingKind.REGULAR:
            return regular + after
        if m.kind is MeetingKind.COMBINED:
            # 42-HD: the regular and the thematic parts are held, and recorded, one after the other.
            return regular + thematic + after
        if m.kind is MeetingKind.THEMATIC:
            return thematic + after
        return [("Nội dung", m.assessment or m.thematic_content), ("Ý kiến thảo luận của đảng viên", m.discussion)]

    def _contents(self) -> list[Flowable]:
        m = self.data.meeting
        items = [self.para("II. NỘI DUNG SINH HOẠT", "section")]
        if m.agenda:
            items.append(self.para("Chương trình sinh hoạt:"))
            items += self.text_block(m.agenda)
        for number, (heading, text) in enumerate(self._sections(), start=1):
            items.append(self.para(f"{number}. {heading}", "section"))
            items += self.text_block(text)
        return items

    def _conclusion(self) -> list[Flowable]:
        d, m = self.data, self.data.meeting
        items = [self.para("III. KẾT LUẬN VÀ BIỂU QUYẾT", "section")]
        items += self.text_block(m.conclusions)
        items.append(self.para(vote_sentence(d.vote, "Kết luận")))
        end = f"vào hồi {party.clock_text(m.end)} cùng ngày" if m.end else "cùng ngày"
        items.append(self.para(f"Buổi sinh hoạt kết thúc {end}; thời lượng {duration_text(m)}. "
                               "Biên bản đã được đọc lại trước chi bộ và được chi bộ thông qua."))
        return items
