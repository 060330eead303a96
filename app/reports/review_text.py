"""What the papers of the annual review share: the four grades with their tick boxes, the form codes and the
wording that differs by form (Hướng dẫn 43-HD/BTCTW, FORMS §1.3–1.7)."""
from __future__ import annotations

import copy
from dataclasses import dataclass

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from app.domain.review import GRADES_BEST_FIRST, Grade
from app.reports import party
from app.reports.base import Document, face

FORM_TITLE = "BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN"
CELL_FORM_CODE = "Mẫu 01-HD KĐ.ĐG 2025"
CRITERIA_LINES = ("1. Nhóm tiêu chí chung: {general}/30",
                  "2. Nhóm tiêu chí về kết quả thực hiện nhiệm vụ: {tasks}/70",
                  "Tổng điểm: {total}/100")
BLANK_SCORE = "……"
# The short forms the tables use, with their legend printed under them.
GRADE_SHORT = {Grade.EXCELLENT: "HTXSNV", Grade.GOOD: "HTTNV", Grade.PASSED: "HTNV", Grade.FAILED: "KHTNV"}


@dataclass(frozen=True)
class FormWording:
    """The parts of Mẫu 2A/2B/2C that differ (FORMS §1.3–1.5)."""

    subtitle: str
    appendix: int
    framework_for: str
    item_two: str


_ITEM_TWO_2C = ("Việc thực hiện quyền và nghĩa vụ của đảng viên theo các nhiệm vụ chính trị được cấp uỷ, chi bộ "
                "phân công.")
_ITEM_TWO_2B = ("Việc thực hiện nhiệm vụ, quyền hạn và kết quả thực hiện các chỉ tiêu, nhiệm vụ được giao trong năm, "
                "gắn với hiệu quả, tiến độ, chất lượng công việc.")
WORDING = {
    "2C": FormWording("(Đảng viên không làm việc trong hệ thống chính trị)", 5,
                      "đảng viên không làm việc trong hệ thống chính trị", _ITEM_TWO_2C),
    "2B": FormWording("(Cá nhân không giữ chức vụ lãnh đạo, quản lý)", 4,
                      "cá nhân không giữ chức vụ lãnh đạo, quản lý", _ITEM_TWO_2B),
    # 2A was not captured in text (FORMS §1.5): 2B's items with Phụ lục 3, the leaders' framework.
    "2A": FormWording("(Cá nhân giữ chức vụ lãnh đạo, quản lý)", 3,
                      "cá nhân giữ chức vụ lãnh đạo, quản lý", _ITEM_TWO_2B),
}


def form_code(form: str) -> str:
    return f"Mẫu {form}-HD KĐ.ĐG 2025"


def lead_sentence(form: str) -> str:
    w = WORDING[form]
    return (f"Trên cơ sở cụ thể hoá khung tiêu chí đánh giá đối với {w.framework_for} được quy định tại "
            f"Phụ lục {w.appendix}, Quy định 366-QĐ/TW, cá nhân tự đánh giá, chấm điểm theo các tiêu chí được cụ "
            "thể hóa như sau:")


def score_text(value: str) -> str:
    return value or BLANK_SCORE


def grade_legend() -> str:
    return "Ghi chú: " + "; ".join(f"{GRADE_SHORT[g]} – {g.label}" for g in GRADES_BEST_FIRST) + "."


def short(grade: Grade | None) -> str:
    return GRADE_SHORT[grade] if grade else ""


def votes_text(votes: dict[Grade, int], voters: int | None) -> str:
    """Kết quả biểu quyết: each grade's votes; blanks to fill by hand when no vote was recorded."""
    if not votes:
        return "; ".join(f"{g.label}: …… phiếu" for g in GRADES_BEST_FIRST) + "."
    parts = "; ".join(f"{g.label}: {votes.get(g, 0)} phiếu" for g in GRADES_BEST_FIRST)
    counted = voters if voters is not None else sum(votes.values())
    return f"{parts} (tổng số {counted} đảng viên biểu quyết)."


class StillParagraph(Paragraph):
    """A paragraph that breaks its lines once per width: the page-break arrangers of the base measure the same
    text several times, and copies made by laid_out() take the lines their original already broke."""

    _source: StillParagraph | None = None
    _wrapped_at: float | None = None

    def wrap(self, avail_width, avail_height):
        # split() may drop the broken lines (reportlab deletes blPara), so they are checked for too.
        if self._wrapped_at == avail_width and hasattr(self, "blPara"):
            return self._wrapped
        source = self._source
        if source is not None and source._wrapped_at == avail_width:
            self.blPara, self.width, self.height = source.blPara, source.width, source.height
            self._wrapped_at, self._wrapped = avail_width, source._wrapped
            return self._wrapped
        self._wrapped = super().wrap(avail_width, avail_height)
        self._wrapped_at = avail_width
        if source is not None and source._wrapped_at is None:
            source.blPara, source.width, source.height = self.blPara, self.width, self.height
            source._wrapped_at, source._wrapped = avail_width, self._wrapped
        return self._wrapped


# Laid-out paragraphs by text and look: two hundred forms in one file repeat the same headings and guidance, and
# each copy then starts with its lines already broken (a copy shares only what drawing reads).
_LAID_OUT: dict[tuple, StillParagraph] = {}
_LAID_OUT_MAX = 4000


def laid_out(markup_text: str, style) -> StillParagraph:
    key = (markup_text, style.name, style.fontName, style.fontSize, style.leading, style.alignment,
           style.firstLineIndent, style.spaceAfter, style.keepWithNext)
    found = _LAID_OUT.get(key)
    if found is None:
        if len(_LAID_OUT) >= _LAID_OUT_MAX:
            _LAID_OUT.clear()
        found = _LAID_OUT[key] = StillParagraph(markup_text, style)
    twin = copy.copy(found)
    twin._source = found
    return twin


class ReviewDocument(Document):
    """The review papers' base: paragraphs laid out once per text and width."""

    def para(self, text: str, style: str = "body") -> Paragraph:
        return laid_out(party.markup(text), self.styles[style])

    def rich(self, markup_text: str, style: str = "body") -> Paragraph:
        return laid_out(markup_text, self.styles[style])


class Reached(Flowable):
    """Zero-size marker that calls back when the layout reaches it (a progress bar follows the real work)."""

    def __init__(self, callback):
        super().__init__()
        self.callback = callback

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self) -> None:
        self.callback()


class TickLine(Flowable):
    """A square to tick and the text beside it; "X" in the square when ticked (a real letter, so the paper
    reads the same to a machine as to an eye)."""

    def __init__(self, text: str, ticked: bool, size: float, indent: float = 0):
        super().__init__()
        self.text, self.ticked, self.size, self.indent = party.nfc(text), ticked, size, indent

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, self.size * 1.5

    def draw(self) -> None:
        box = self.size * 0.85
        y = self.size * 0.3
        self.canv.setLineWidth(0.7)
        self.canv.rect(self.indent, y, box, box)
        if self.ticked:
            self.canv.setFont(face("bold"), self.size * 0.9)
            self.canv.drawCentredString(self.indent + box / 2, y + box * 0.15, "X")
        self.canv.setFont(face("regular"), self.size)
        self.canv.drawString(self.indent + box + self.size * 0.6, y + box * 0.12, self.text)


def grade_boxes(size: float, ticked: Grade | None, indent: float = 0) -> list[Flowable]:
    """The four levels of Điều 11, best first, the chosen one ticked."""
    return [TickLine(g.label, g is ticked, size, indent) for g in GRADES_BEST_FIRST]


def fitted(doc: Document, text: str, width: float, size: float) -> str | Paragraph:
    """A table cell's text as a plain string when it fits its column (fast), else a wrapping paragraph."""
    text = party.nfc(text)
    if pdfmetrics.stringWidth(text, face("regular"), size) <= width - 6:
        return text
    return laid_out(party.markup(text), doc.cell_style(size))


def signer(doc: Document, heading: list[str], note: str, name: str) -> list[Flowable]:
    """A signing block: bold heading lines, the italic note under them, space to sign, then the name."""
    items: list[Flowable] = [doc.para(party.upper(line), "signature") for line in heading]
    if note:
        items.append(doc.para(note, "signature_note"))
    space = float(doc.settings.get("signature_space_mm", doc.layout.spacing("signature_space_mm")))
    items.append(Spacer(1, space * mm))
    items.append(doc.para(name or " ", "signature"))
    return items


def signature_table(doc: Document, left: list[Flowable] | str, right: list[Flowable]) -> Table:
    width = doc.frame_width / 2
    table = Table([[left, right]], colWidths=[width, width])
    table.setStyle(doc._plain_table_style())
    return table


def form_code_line(doc: Document, code: str) -> Paragraph:
    """The form's code at the top right (FORMS §1.3, as 2023 printed it)."""
    style = doc.styles["plain"].clone("form_code", alignment=2, spaceAfter=2)
    return Paragraph(party.markup(code), style)


def centred_bold(doc: Document, text: str) -> Paragraph:
    return Paragraph(party.markup(text), doc.styles["section"].clone("centred_bold", alignment=TA_CENTER,
                                                                    firstLineIndent=0))
