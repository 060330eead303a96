"""Nghị quyết chi bộ (FORMS §3): the monthly resolution, signed T/M CHI BỘ / BÍ THƯ, with Nơi nhận."""
from __future__ import annotations

from reportlab.platypus import Flowable

from app.domain.meetings import MeetingKind
from app.reports import party
from app.reports.base import Document
from app.reports.meeting_text import (
    RESOLUTION,
    MeetingPrint,
    attendance_lines,
    duration_text,
    kind_phrase,
    resolution_summary,
    sections,
    sentence,
    vote_sentence,
)

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


class ResolutionDocument(Document):
    form = "resolution"

    def __init__(self, data: MeetingPrint, layout=None):
        super().__init__(layout)
        self.data = data
        self.data.header.show_date_line = bool(self.settings.get("date_line", True))
        self.pdf_title = f"Nghị quyết chi bộ {self.data.meeting.date.isoformat()}"

    def story(self) -> list[Flowable]:
        d, m = self.data, self.data.meeting
        story: list[Flowable] = [self.header(d.header)]
        story += self.title("NGHỊ QUYẾT", resolution_summary(m))
        story += self._opening()
        story += self._sections()
        vote = self.para(vote_sentence(d.vote, "Nghị quyết này", m.date))
        closing = self.recipient_rows(self._recipients(), self.cell_signer(), d.secretary_name, lead=[vote])
        return self.ending(story, closing)

    def _opening(self) -> list[Flowable]:
        d, m = self.data, self.data.meeting
        place = f" tại {m.place}" if m.place else ""
        post = f", {d.chair_post}" if d.chair_post else ""
        chair = f"Đồng chí {d.chair_name}{post}" if d.chair_name else "Đồng chí ……………………"
        taker = d.minute_taker_name or "……………………"
        items = [self.para("Căn cứ Điều lệ Đảng Cộng sản Việt Nam và các văn bản hướng dẫn của cấp trên về "
                           "sinh hoạt chi bộ;"),
                 self.para(f"{party.long_date(m.date).capitalize()}, {d.cell_name} tổ chức {kind_phrase(m.kind)} "
                           f"{party.month_year(m.date.year, m.date.month)}{place}; thời lượng {duration_text(m)}. "
                           f"{chair} chủ trì; đồng chí {taker} làm thư ký.")]
        items += [self.para(line) for line in attendance_lines(d.counts)]
        items.append(self.para(f"Sau khi thảo luận, {d.cell_name} thống nhất ban hành nghị quyết như sau:"))
        return items

    def _sections(self) -> list[Flowable]:
        m = self.data.meeting
        items: list[Flowable] = []
        for number, part in zip(_ROMAN, sections(RESOLUTION, m)):
            body = self.text_block(part.text)
            if part.field == "thematic_content" and m.kind is MeetingKind.COMBINED and m.topic:
                # The summary line names the month's tasks; the topic of the thematic part is named here.
                body.insert(0, self.para(sentence(f"Chuyên đề: {m.topic}")))
            items += self.section(f"{number}. {part.heading}", body)
        return items

    def _recipients(self) -> list[str]:
        committee = self.data.committee or "Cấp ủy cấp trên"
        lines = self.settings.get("recipients") or ["{committee} (để báo cáo),", "Đảng viên trong chi bộ,",
                                                    "Lưu Chi bộ."]
        return [line.format(committee=committee) for line in lines]

