"""Bản kiểm điểm, tự đánh giá, xếp loại cá nhân (Mẫu 2C/2B/2A-HD KĐ.ĐG 2025, FORMS §1.3–1.5), with the chi ủy's,
the chi bộ's and the Đảng ủy's assessment blocks under it as the 2023 form had them (FORMS §1.7)."""
from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from app.domain.review import Grade
from app.reports.base import DottedLines, PartyHeader, TableWithEnding
from app.reports.review_text import (
    CRITERIA_LINES,
    FORM_TITLE,
    WORDING,
    Reached,
    ReviewDocument,
    centred_bold,
    fitted,
    form_code,
    form_code_line,
    grade_boxes,
    lead_sentence,
    score_text,
    signature_table,
    signer,
    votes_text,
)

SIGN_NOTE = "(Ký, ghi rõ họ tên)"
DATED_SIGN_NOTE = "(Xác lập thời điểm, ký, ghi rõ họ tên)"


@dataclass
class TaskLine:
    """One task of the year as evidence under A.I.2: what, the month it was due, its confirmed result."""

    title: str
    due: str
    result: str


@dataclass
class CriteriaPrint:
    """The criteria sheet used: its name, and per group its heading and (title, maximum points) items."""

    name: str
    groups: list[tuple[str, list[tuple[str, str]]]]


@dataclass
class ReviewFormPrint:
    """One member's form with every value already worded by the service."""

    header: PartyHeader
    form: str
    year: int
    cell_name: str
    full_name: str
    birth_date: str
    criteria: CriteriaPrint
    committee: str
    strengths: str = ""
    shortcomings: str = ""
    remedies: str = ""
    plan: str = ""
    tasks: list[TaskLine] = field(default_factory=list)
    shares: str = ""
    notes: list[str] = field(default_factory=list)
    general: str = ""
    task_score: str = ""
    total: str = ""
    self_grade: Grade | None = None
    committee_view: str = ""
    cell_comments: str = ""
    votes: dict[Grade, int] = field(default_factory=dict)
    voters: int | None = None
    proposed: Grade | None = None
    proposed_reason: str = ""
    final: Grade | None = None
    final_reason: str = ""
    final_decision: str = ""
    secretary_name: str = ""


class ReviewFormDocument(ReviewDocument):
    form = "review_form"

    def __init__(self, data: ReviewFormPrint, layout=None, on_done=None):
        super().__init__(layout)
        self.data = data
        self.on_done = on_done  # called once the whole form is laid out
        self.pdf_title = f"Bản kiểm điểm năm {data.year} – {data.full_name}"

    def story(self) -> list[Flowable]:
        d = self.data
        story: list[Flowable] = [form_code_line(self, form_code(d.form)), self.header(d.header)]
        story += self.title(FORM_TITLE, f"Năm {d.year}", WORDING[d.form].subtitle)
        story += self._identity()
        story += self._part_a()
        story += self._part_b()
        story += self._assessment()
        return story + ([Reached(self.on_done)] if self.on_done else [])

    def _lines(self, count: int = 3) -> list[Flowable]:
        return [DottedLines(count, self.layout.size("body") * 1.6)]

    def _identity(self) -> list[Flowable]:
        d = self.data
        gap = "\u00a0" * 8  # kept: a paragraph folds ordinary spaces into one
        items = [self.para(f"Họ và tên: {d.full_name}{gap}Ngày sinh: {d.birth_date or '……………'}", "plain"),
                 self.para(f"Đơn vị công tác: ……………………………… {d.cell_name}", "plain")]
        items += [self.para(f"Ghi chú: {note}", "note") for note in d.notes]
        return items + [Spacer(1, 4)]

    # --- A. NỘI DUNG KIỂM ĐIỂM ------------------------------------------------------------------
    def _part_a(self) -> list[Flowable]:
        d = self.data
        story = [self.para("A. NỘI DUNG KIỂM ĐIỂM", "section")]
        story += self.section(["I. Ưu điểm, kết quả đạt được",
                               self.para("1. Về phẩm chất chính trị, đạo đức, lối sống; tinh thần đoàn kết, thống "
                                         "nhất trong nội bộ; ý thức tổ chức kỷ luật, trách nhiệm nêu gương, việc thực "
                                         "hiện những điều đảng viên không được làm; tác phong, lề lối làm việc. Liên "
                                         "hệ các biểu hiện về suy thoái, \"tự diễn biến\", \"tự chuyển hoá\".")],
                              self.text_block(d.strengths))
        story += self.section([self.para(f"2. {WORDING[d.form].item_two}")], self._tasks())
        story += self.section([self.para("3. Việc thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu của cá nhân theo "
                                         "quy định.")], self._lines(2))
        story += self.section(["II. Hạn chế, khuyết điểm và nguyên nhân", self.para("1. Hạn chế, khuyết điểm.")],
                              self.text_block(d.shortcomings))
        story += self.section([self.para("2. Nguyên nhân của hạn chế, khuyết điểm.")], self._lines(2))
        story += self.section(["III. Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận "
                               "hoặc được chỉ ra ở các kỳ kiểm điểm trước",
                               self.para("Kiểm điểm rõ từng hạn chế, khuyết điểm (đã được khắc phục; đang khắc phục, "
                                         "mức độ khắc phục; chưa được khắc phục); những khó khăn, vướng mắc (nếu "
                                         "có); trách nhiệm của cá nhân.", "note")],
                              self.text_block(d.remedies))
        story += self.section(["IV. Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)",
                               self.para("Giải trình từng vấn đề được gợi ý kiểm điểm, nêu nguyên nhân, xác định trách "
                                         "nhiệm của cá nhân đối với từng vấn đề được gợi ý kiểm điểm.", "note")],
                              self._lines(2))
        story += self.section("V. Làm rõ trách nhiệm của cá nhân đối với những hạn chế, khuyết điểm của tập thể "
                              "(nếu có)", self._lines(2))
        story += self.section("VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm", self.text_block(d.plan))
        return story

    def _tasks(self) -> list[Flowable]:
        """The year's tasks as evidence, with their shares; dotted lines when none was recorded."""
        d = self.data
        if not d.tasks:
            return self._lines(2)
        size = self.table_size
        number, due, result = 10 * mm, 20 * mm, 50 * mm
        title = self.frame_width - number - due - result
        rows: list[list] = [["STT", "Nhiệm vụ được giao", "Hạn", "Kết quả"]]
        rows += [[str(i), fitted(self, t.title, title, size), t.due, fitted(self, t.result, result, size)]
                 for i, t in enumerate(d.tasks, start=1)]
        table = self.grid(rows, [number, title, due, result], header_rows=1, size=size,
                          extra=[("ALIGN", (1, 1), (1, -1), "LEFT")])
        return [self.para("Nhiệm vụ được giao trong năm:", "plain"), table, Spacer(1, 3),
                self.para(d.shares, "plain")]

    # --- B. NỘI DUNG TỰ ĐÁNH GIÁ, XẾP LOẠI -------------------------------------------------------
    def _part_b(self) -> list[Flowable]:
        d = self.data
        story = [self.para("B. NỘI DUNG TỰ ĐÁNH GIÁ, XẾP LOẠI", "section")]
        scores = [self.para(line.format(general=score_text(d.general), tasks=score_text(d.task_score),
                                        total=score_text(d.total)), "plain")
                  for line in CRITERIA_LINES]
        note, table = self._criteria()
        story += self.section(["I. Đánh giá theo các nhóm tiêu chí"], [self.para(lead_sentence(d.form)), note])
        # The sheet's last rows stay with the scores under it.
        story.append(TableWithEnding(table, [Spacer(1, 4), *scores], keep_rows=2))
        boxes = grade_boxes(self.layout.size("body"), d.self_grade, indent=self.layout.mm("first_line_indent_mm"))
        story.append(KeepTogether([self.para("II. Đề xuất xếp loại mức chất lượng:", "section"), *boxes]))
        story.append(KeepTogether([Spacer(1, 8), signature_table(
            self, "", signer(self, ["NGƯỜI TỰ KIỂM ĐIỂM"], SIGN_NOTE, d.full_name))]))
        return story

    def _criteria(self) -> tuple[Flowable, Table]:
        """The criteria sheet used, each item with its maximum points."""
        c, size = self.data.criteria, self.table_size
        points = 24 * mm
        title = self.frame_width - points
        rows: list[list] = [["Tiêu chí", "Điểm tối đa"]]
        group_rows = []
        for heading, items in c.groups:
            group_rows.append(len(rows))
            rows.append([fitted(self, heading, title, size), ""])
            rows += [[fitted(self, f"({i}) {t}", title, size), p] for i, (t, p) in enumerate(items, start=1)]
        extra = [("ALIGN", (0, 1), (0, -1), "LEFT")]
        extra += [cmd for r in group_rows for cmd in (("SPAN", (0, r), (1, r)),
                                                       ("FONTNAME", (0, r), (-1, r), self.styles["section"].fontName))]
        return (self.para(f"Khung tiêu chí áp dụng: {c.name}.", "note"),
                self.grid(rows, [title, points], header_rows=1, size=size, extra=extra))

    # --- the assessment blocks (FORMS §1.7) -----------------------------------------------------------
    def _assessment(self) -> list[Flowable]:
        d = self.data
        cell: list[Flowable] = [Spacer(1, 10), centred_bold(self, "ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN")]
        cell += [self.para("- Nhận xét, đánh giá của chi ủy:", "plain"), *self.text_block(d.committee_view, 2)]
        cell += [self.para("- Ý kiến của chi bộ:", "plain"), *self.text_block(d.cell_comments, 2)]
        cell += [self.para(f"- Kết quả biểu quyết: {votes_text(d.votes, d.voters)}", "plain")]
        cell.append(self.para("- Chi bộ đề xuất xếp loại mức chất lượng: "
                              + (d.proposed.label if d.proposed else "…………………………………………"), "plain"))
        if d.proposed_reason:
            cell.append(self.para(f"Lý do: {d.proposed_reason}", "plain"))
        cell.append(signature_table(self, "", signer(self, ["T/M CHI ỦY (CHI BỘ)"], DATED_SIGN_NOTE,
                                                     d.secretary_name)))
        final: list[Flowable] = [Spacer(1, 8), self.para(f"- {d.committee} xếp loại mức chất lượng: "
                                                         + (d.final.label if d.final else ""), "plain")]
        if d.final is None:
            final += self._lines(2)
        for label, text in (("Lý do", d.final_reason), ("Văn bản", d.final_decision)):
            if text:
                final.append(self.para(f"{label}: {text}", "plain"))
        final.append(signature_table(self, "", signer(self, ["T/M ĐẢNG ỦY"], DATED_SIGN_NOTE, "")))
        return [KeepTogether(cell), KeepTogether(final)]
