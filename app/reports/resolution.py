"""Nghị quyết chi bộ (FORMS §3): the monthly resolution, signed T/M CHI BỘ / BÍ THƯ, with Nơi nhận."""
from __future__ import annotations

from reportlab.platypus import Flowable

from app.domain.meetings import MeetingKind
from app.reports import party
from app.reports.base import Document
from app.reports.meeting_text import MeetingPrint, attendance_lines, duration_text, kind_phrase, vote_sentence


class ResolutionDocument(Document):
    form = "resolution"

    def __init__(self, data: MeetingPrint, layout=None):
        super().__init__(layout)
        self.data = data
        self.data.header.show_date_line = bool(self.settings.get("date_line", True))
        self.pdf_title = f"Nghị quyết chi bộ {self.data.meeting.date.isoformat()}"

    def story(self) -> list[Flowable]:
        d, m = self.data, self.data.meeting
        planned = m.tasks_for
        summary = f"lãnh đạo thực hiện nhiệm vụ {party.month_year(planned.year, planned.month)}"
        if m.kind is MeetingKind.THEMATIC:
            summary = f"về {party.lower_first(m.topic)}" if m.topic else "sinh hoạt chuyên đề"
        story: list[Flowable] = [self.header(d.header)]
        story += self.title("NGHỊ QUYẾT", summary)
        story += self._opening()
        story += self._sections()
        story.append(self.recipients_and_signer(self._recipients(), self._signer_heading(), d.secretary_name,
                                                lead=[self.para(vote_sentence(d.vote, "Nghị quyết này"))]))
        return story

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
        reviewed, planned = m.reviewed_month, m.tasks_for
        if m.kind is MeetingKind.THEMATIC:
            parts = [("I. NỘI DUNG CHUYÊN ĐỀ", m.thematic_content), ("II. KẾT LUẬN", m.conclusions),
                     ("III. TỔ CHỨC THỰC HIỆN", m.assignments)]
        else:
            parts = [
                (f"I. ĐÁNH GIÁ KẾT QUẢ LÃNH ĐẠO {party.upper(party.month_year(reviewed.year, reviewed.month))}",
                 m.assessment),
                (f"II. PHƯƠNG HƯỚNG, NHIỆM VỤ {party.upper(party.month_year(planned.year, planned.month))}",
                 m.next_tasks),
                ("III. TỔ CHỨC THỰC HIỆN", m.assignments),
            ]
            if m.self_assessment:
                parts.append(("IV. TỰ ĐÁNH GIÁ CHẤT LƯỢNG KỲ SINH HOẠT", m.self_assessment))
        items: list[Flowable] = []
        for heading, text in parts:
            items.append(self.para(heading, "section"))
            items += self.text_block(text)
        return items

    def _recipients(self) -> list[str]:
        committee = self.data.committee or "Cấp ủy cấp trên"
        lines = self.settings.get("recipients") or ["{committee} (để báo cáo),", "Đảng viên trong chi bộ,",
                                                    "Lưu Chi bộ."]
        return [line.format(committee=committee) for line in lines]

    def _signer_heading(self) -> list[str]:
        return [self.settings.get("signer_on_behalf", "T/M CHI BỘ"), self.settings.get("signer_title", "BÍ THƯ")]
