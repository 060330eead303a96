"""Biên bản sinh hoạt chi bộ (FORMS §2): the record of one meeting, signed by the minute-taker and the chair."""
from __future__ import annotations

from reportlab.platypus import Flowable

from app.reports import party
from app.reports.base import Document
from app.reports.meeting_text import (
    MINUTES,
    MeetingPrint,
    attendance_lines,
    chair_text,
    duration_text,
    kind_title,
    minute_taker_text,
    opening_sentence,
    sections,
    sentence,
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
        story += self._conclusion()
        signers = self.signature_rows([self.settings.get("left_signer", "NGƯỜI GHI BIÊN BẢN")],
                                      [self.settings.get("right_signer", "CHỦ TRÌ HỘI NGHỊ")],
                                      d.minute_taker_name, d.chair_name, lead=[self.para(self._closing())])
        return self.ending(story, signers)

    def _participants(self) -> list[Flowable]:
        d = self.data
        items = []
        if d.meeting.guests:
            items.append(self.para(sentence(f"- Đại biểu cấp trên: {d.meeting.guests}")))
        items += [self.para(chair_text(d)), self.para(minute_taker_text(d))]
        items += [self.para(line) for line in attendance_lines(d.counts)]
        return self.section("I. THÀNH PHẦN THAM DỰ", items)

    def _contents(self) -> list[Flowable]:
        m = self.data.meeting
        # The agenda is always there: typed, or dotted lines to fill in by hand.
        items = self.section(["II. NỘI DUNG SINH HOẠT", self.para("Chương trình sinh hoạt:")],
                             self.text_block(m.agenda))
        parts = [(part.heading, self.text_block(part.text)) for part in sections(MINUTES, m)]
        if self.data.task_results:
            # The results of the tasks given before, as the meeting confirmed them (the evidence of the review).
            parts.insert(0, ("Kết quả thực hiện nhiệm vụ được phân công kỳ trước",
                             [self.para(f"- {line}") for line in self.data.task_results]))
        for number, (heading, body) in enumerate(parts, start=1):
            items += self.section(f"{number}. {heading}", body)
        return items

    def _conclusion(self) -> list[Flowable]:
        d, m = self.data, self.data.meeting
        body = self.text_block(m.conclusions) + [self.para(vote_sentence(d.vote, "Kết luận"))]
        return self.section("III. KẾT LUẬN VÀ BIỂU QUYẾT", body)

    def _closing(self) -> str:
        m = self.data.meeting
        end = f"vào hồi {party.clock_text(m.end)} cùng ngày" if m.end else "cùng ngày"
        return (f"Buổi sinh hoạt kết thúc {end}; thời lượng {duration_text(m)}. "
                "Biên bản đã được đọc lại trước chi bộ và được chi bộ thông qua.")
