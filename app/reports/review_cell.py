"""Báo cáo kiểm điểm, tự đánh giá, xếp loại chất lượng của tập thể chi bộ (Mẫu 01-HD KĐ.ĐG 2025, FORMS §1.6)."""
from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.platypus import Flowable, KeepTogether, Spacer

from app.domain.review import Grade
from app.reports.base import DottedLines, PartyHeader
from app.reports.review_text import (
    CELL_FORM_CODE,
    CRITERIA_LINES,
    ReviewDocument,
    form_code_line,
    grade_boxes,
    score_text,
)

_ITEMS = (
    "1. Việc chấp hành nguyên tắc tổ chức và hoạt động, nhất là nguyên tắc tập trung dân chủ; thực hiện quy chế "
    "làm việc.",
    "2. Kết quả thực hiện các mục tiêu, chỉ tiêu, nhiệm vụ được đề ra trong nghị quyết đại hội nhiệm kỳ, kế hoạch, "
    "chương trình công tác năm, được cấp có thẩm quyền giao, phê duyệt và các nhiệm vụ phát sinh, đột xuất được cấp "
    "có thẩm quyền giao.",
    # The source is cut short after "lợi ích nhóm" and has gaps (FORMS §1.6); the words between the quoted
    # parts are the usual wording of earlier forms.
    "3. Công tác xây dựng, chỉnh đốn Đảng và hệ thống chính trị; xây dựng tổ chức bộ máy tinh gọn, hoạt động hiệu "
    "năng, hiệu lực, hiệu quả; tinh giản biên chế gắn với cải cách hành chính và chuyển đổi số; năng lực, trách "
    "nhiệm của tập thể lãnh đạo, quản lý; trách nhiệm nêu gương; trách nhiệm giải trình; công tác đấu tranh phòng, "
    "chống tham nhũng, tiêu cực, lãng phí, suy thoái về tư tưởng chính trị, đạo đức, lối sống, \"tự diễn biến\", "
    "\"tự chuyển hoá\" trong nội bộ; công tác kiểm soát quyền lực, phòng, chống chạy chức, chạy quyền, lợi ích nhóm.",
    "4. Trách nhiệm của tập thể lãnh đạo, quản lý trong triển khai thực hiện các chủ trương, đường lối, nghị quyết, "
    "văn bản chỉ đạo của Đảng, của cấp trên; thực hiện nhiệm vụ chính trị của địa phương, tổ chức, cơ quan, đơn vị.",
)
FOOTNOTE = ("(Gửi kèm Phụ lục về kết quả thực hiện nhiệm vụ trong đó thể hiện sản phẩm tiến độ, chất lượng cụ thể - "
            "theo hướng dẫn của các cấp uỷ, tổ chức đảng).")


@dataclass
class CellReportPrint:
    header: PartyHeader
    year: int
    cell_name: str
    general: str = ""
    tasks: str = ""
    total: str = ""
    self_grade: Grade | None = None
    strengths: str = ""
    shortcomings: str = ""
    remedies: str = ""
    plan: str = ""
    criteria: list[str] = field(default_factory=list)   # the criteria lines the cell's score rests on
    results: list[str] = field(default_factory=list)    # the members' results, one line each
    computed: str = ""                                  # the grade the score and conditions give
    recipients: list[str] = field(default_factory=list)
    secretary_name: str = ""


class CellReportDocument(ReviewDocument):
    form = "review_cell"

    def __init__(self, data: CellReportPrint, layout=None):
        super().__init__(layout)
        self.data = data
        self.pdf_title = f"Báo cáo kiểm điểm tập thể chi bộ năm {data.year}"

    def _lines(self, count: int = 2) -> list[Flowable]:
        return [DottedLines(count, self.layout.size("body") * 1.6)]

    def story(self) -> list[Flowable]:
        d = self.data
        story: list[Flowable] = [form_code_line(self, CELL_FORM_CODE), self.header(d.header)]
        story += self.title("BÁO CÁO", "Kiểm điểm, tự đánh giá, xếp loại chất lượng của tập thể",
                            f"{d.cell_name} năm {d.year}")
        story.append(self.para(f"Căn cứ kết quả lãnh đạo, chỉ đạo thực hiện nhiệm vụ chính trị tại địa phương (cơ "
                               f"quan, đơn vị); tập thể {d.cell_name} kiểm điểm, tự đánh giá, xếp loại chất lượng với "
                               "các nội dung chủ yếu sau:"))
        story += self._part_a()
        story += self._part_b()
        closing = self.recipient_rows(d.recipients, ["T/M CHI ỦY (CHI BỘ)", "BÍ THƯ"], d.secretary_name)
        return self.ending(story, closing)

    def _part_a(self) -> list[Flowable]:
        d = self.data
        story = [self.para("A. NỘI DUNG KIỂM ĐIỂM", "section")]
        story += self.section(["I. Ưu điểm, kết quả đạt được", *[self.para(item, "note") for item in _ITEMS]],
                              self.text_block(d.strengths))
        story += self.section(["II. Hạn chế, khuyết điểm và nguyên nhân", self.para("- Hạn chế, khuyết điểm.")],
                              self.text_block(d.shortcomings))
        story += self.section([self.para("- Nguyên nhân của hạn chế, khuyết điểm.")], self._lines())
        story += self.section(["III. Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận "
                               "hoặc được chỉ ra ở các kỳ kiểm điểm trước",
                               self.para("Kiểm điểm rõ từng hạn chế, khuyết điểm (đã được khắc phục; đang khắc phục, "
                                         "mức độ khắc phục; chưa được khắc phục); những khó khăn, vướng mắc (nếu "
                                         "có); trách nhiệm của tập thể, cá nhân có liên quan.", "note")],
                              self.text_block(d.remedies))
        story += self.section("IV. Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)", self._lines())
        story += self.section(["V. Trách nhiệm của tập thể, cá nhân",
                               self.para("Về hạn chế, khuyết điểm trong thực hiện nhiệm vụ hoặc khi có dấu hiệu vi "
                                         "phạm; để xảy ra những vấn đề bức xúc, phức tạp, dư luận quan tâm; có đơn, "
                                         "thư khiếu nại, tố cáo; …; trì trệ, yếu kém, không hoàn thành chức trách, "
                                         "nhiệm vụ được giao.", "note")], self._lines())
        story += self.section("VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm", self.text_block(d.plan))
        return story

    def _part_b(self) -> list[Flowable]:
        d = self.data
        story = [self.para("B. NỘI DUNG TỰ ĐÁNH GIÁ, XẾP LOẠI", "section")]
        lead = self.para("Trên cơ sở cụ thể hoá khung tiêu chí đánh giá đối với tập thể được quy định tại Phụ lục 1, "
                         "Quy định số 366-QĐ/TW, các tập thể tự đánh giá, chấm điểm theo các tiêu chí được cụ thể hóa "
                         "như sau:")
        criteria = [self.para(line, "plain") for line in d.criteria]
        story += self.section(["I. Đánh giá theo các nhóm tiêu chí"], [lead, *criteria])
        scores = [self.para(line.format(general=score_text(d.general), tasks=score_text(d.tasks),
                                        total=score_text(d.total)), "plain") for line in CRITERIA_LINES]
        story.append(KeepTogether(scores))
        boxes = grade_boxes(self.layout.size("body"), d.self_grade, indent=self.layout.mm("first_line_indent_mm"))
        story.append(KeepTogether([self.para("II. Đề xuất xếp loại mức chất lượng", "section"), *boxes]))
        if d.computed:
            story.append(self.para(d.computed, "note"))
        results = [self.para("Kết quả xếp loại đảng viên của chi bộ (căn cứ của việc tự xếp loại tập thể):", "plain")]
        results += [self.para(line, "plain") for line in d.results]
        story += [Spacer(1, 4), KeepTogether(results), Spacer(1, 4), self.para(FOOTNOTE, "note")]
        return story
