"""The one PDF renderer every form stands on: A4, the Party header, body styles, signatures, page numbers."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.reports import party
from app.reports.layout import Layout, load_layout

FONT = "ChiboSerif"
_STYLES = ("regular", "bold", "italic", "bold_italic")
_FACE = {"regular": FONT, "bold": FONT + "-Bold", "italic": FONT + "-Italic", "bold_italic": FONT + "-BoldItalic"}
_registered: set[str] = set()


def register_fonts(layout: Layout) -> None:
    """Register the bundled Liberation Serif once per process (TrueType: embedded and subset by reportlab).

    Never the 14 built-in PDF fonts: they carry no Vietnamese letters and are not embedded.
    """
    if FONT in _registered:
        return
    for style in _STYLES:
        pdfmetrics.registerFont(TTFont(_FACE[style], str(layout.font_file(style))))
    pdfmetrics.registerFontFamily(FONT, normal=_FACE["regular"], bold=_FACE["bold"], italic=_FACE["italic"],
                                  boldItalic=_FACE["bold_italic"])
    _registered.add(FONT)


def face(style: str = "regular") -> str:
    return _FACE[style]


@dataclass
class PartyHeader:
    """What the top of a Party document shows (DOMAIN §5.1): who issues it, its number, where and when."""

    superior: str
    cell: str
    number: str | None = None
    place: str = ""
    date: dt.date | None = None
    show_date_line: bool = True


class PartyTitle(Flowable):
    """ĐẢNG CỘNG SẢN VIỆT NAM, bold, with a solid line as long as the title right under it."""

    TEXT = "ĐẢNG CỘNG SẢN VIỆT NAM"

    def __init__(self, size: float):
        super().__init__()
        self.size = size

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, self.size * 1.2 + 4

    def draw(self) -> None:
        text_width = pdfmetrics.stringWidth(self.TEXT, face("bold"), self.size)
        x = (self.width - text_width) / 2
        baseline = 4 + self.size * 0.25
        self.canv.setFont(face("bold"), self.size)
        self.canv.drawString(x, baseline, self.TEXT)
        self.canv.setLineWidth(0.6)
        self.canv.line(x, baseline - 3.5, x + text_width, baseline - 3.5)


class DottedLines(Flowable):
    """Dotted lines to write on by hand, where a section was left empty in the program."""

    def __init__(self, count: int, gap: float):
        super().__init__()
        self.count, self.gap = count, gap

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, self.count * self.gap

    def draw(self) -> None:
        self.canv.setDash(1, 2.5)
        self.canv.setLineWidth(0.5)
        for i in range(self.count):
            y = (self.count - i - 1) * self.gap + 3
            self.canv.line(0, y, self.width, y)


class DocumentStart(Flowable):
    """Zero-size marker at a document's first page, so page numbers restart when forms share one file."""

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self) -> None:
        self.canv._chibo_first_page = self.canv.getPageNumber()


class Document:
    """One printed form. A subclass names its `form` (its block in layout.json) and builds `story()`."""

    form = ""

    def __init__(self, layout: Layout | None = None):
        self.layout = layout or load_layout()
        register_fonts(self.layout)
        self.settings = self.layout.form(self.form)
        self.styles = self._styles()

    # --- page set-up -------------------------------------------------------------------------
    @property
    def orientation(self) -> str:
        return self.settings.get("orientation", "portrait")

    @property
    def page_size(self) -> tuple[float, float]:
        return self.layout.page_size(self.orientation)

    @property
    def frame_width(self) -> float:
        return self.page_size[0] - self.layout.margin("left") - self.layout.margin("right")

    def story(self) -> list[Flowable]:
        raise NotImplementedError

    # --- styles ------------------------------------------------------------------------------
    def _style(self, name: str, size: str, style: str = "regular", align=TA_JUSTIFY, indent: bool = False,
               after: float | None = None, keep: bool = False) -> ParagraphStyle:
        points = self.layout.size(size)
        return ParagraphStyle(
            name, fontName=face(style), fontSize=points, leading=points * self.layout.spacing("leading_factor"),
            alignment=align, firstLineIndent=self.layout.mm("first_line_indent_mm") if indent else 0,
            spaceAfter=self.layout.spacing("paragraph_after_pt") if after is None else after,
            keepWithNext=keep,
        )

    def _styles(self) -> dict[str, ParagraphStyle]:
        return {
            "body": self._style("body", "body", indent=True),
            "plain": self._style("plain", "body", align=TA_LEFT),
            "section": self._style("section", "section", "bold", indent=True, keep=True),
            "doc_type": self._style("doc_type", "doc_type", "bold", TA_CENTER, after=0),
            "summary": self._style("summary", "summary", "bold", TA_CENTER, after=0),
            "center": self._style("center", "body", align=TA_CENTER, after=0),
            "header": self._style("header", "header", align=TA_CENTER, after=0),
            "header_bold": self._style("header_bold", "header", "bold", TA_CENTER, after=0),
            "number": self._style("number", "number", align=TA_CENTER, after=0),
            "date_line": self._style("date_line", "date_line", "italic", TA_CENTER, after=0),
            "signature": self._style("signature", "signature", "bold", TA_CENTER, after=0),
            "signature_note": self._style("signature_note", "signature", "italic", TA_CENTER, after=0),
            "recipients_heading": self._style("recipients_heading", "recipients_heading", align=TA_LEFT, after=2),
            "recipients": self._style("recipients", "recipients", align=TA_LEFT, after=0),
            "note": self._style("note", "note", "italic", TA_LEFT, after=0),
            "table_header": self._style("table_header", "table_header", "bold", TA_CENTER, after=0),
        }

    # --- building blocks ---------------------------------------------------------------------
    def para(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(party.markup(text), self.styles[style])

    def rich(self, markup_text: str, style: str = "body") -> Paragraph:
        """A paragraph whose caller already escaped the text and added <b>/<i> tags."""
        return Paragraph(markup_text, self.styles[style])

    def header(self, h: PartyHeader) -> Table:
        """Left: superior body, CHI BỘ … in bold, "*", the number; right: the Party title and the date line."""
        left_share = self.layout.spacing("header_left_share")
        widths = [self.frame_width * left_share, self.frame_width * (1 - left_share)]
        date_cell = self.para(party.date_line(h.place, h.date), "date_line") if h.show_date_line else ""
        rows = [
            [self.para(party.upper(h.superior), "header"), PartyTitle(self.layout.size("party_title"))],
            [self.para(party.upper(h.cell), "header_bold"), ""],
            [self.para("*", "header"), ""],
            [self.para(h.number, "number") if h.number else "", date_cell],
        ]
        table = Table(rows, colWidths=widths)
        table.setStyle(TableStyle([
            # Empty cells are drawn in the cell font too; left at the default, Helvetica would be
            # referenced (and not embedded) in the file.
            ("FONTNAME", (0, 0), (-1, -1), face("regular")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            # The number sits a little below the asterisk, level with the date line.
            ("TOPPADDING", (0, 3), (-1, 3), 2),
        ]))
        return table

    def title(self, doc_type: str, *summary: str) -> list[Flowable]:
        """BIÊN BẢN / NGHỊ QUYẾT in bold capitals, the summary line(s) under it, then a short rule."""
        items: list[Flowable] = [Spacer(1, 14), self.para(party.upper(doc_type), "doc_type")]
        items += [self.para(line, "summary") for line in summary if line]
        items += [self.para("-----", "center"), Spacer(1, 8)]
        return items

    def text_block(self, text: str, empty_lines: int = 3) -> list[Flowable]:
        """Multi-line text typed by the secretary, a paragraph per line; dotted lines if it is empty."""
        lines = [line.strip() for line in party.nfc(text).splitlines() if line.strip()]
        if not lines:
            return [DottedLines(empty_lines, self.layout.size("body") * 1.6)] if empty_lines else []
        return [self.para(line) for line in lines]

    def signatures(self, left: list[str] | None, right: list[str], left_name: str = "", right_name: str = "",
                   lead: list[Flowable] | None = None) -> Flowable:
        """Two signing blocks side by side: headings in bold capitals, space to sign, then the name.

        `lead` (the closing sentence) stays on the same page, so signatures never stand alone.
        """
        width = self.frame_width / 2
        cells = [self._signer(left, left_name) if left else "", self._signer(right, right_name)]
        table = Table([cells], colWidths=[width, width])
        table.setStyle(self._plain_table_style())
        return KeepTogether([*(lead or []), Spacer(1, 10), table])

    def _signer(self, heading: list[str], name: str) -> list[Flowable]:
        items: list[Flowable] = [self.para(party.upper(line), "signature") for line in heading]
        items.append(Spacer(1, self.layout.mm("signature_space_mm")))
        items.append(self.para(name or " ", "signature"))
        return items

    def recipients_and_signer(self, recipients: list[str], heading: list[str], name: str,
                              lead: list[Flowable] | None = None) -> Flowable:
        """Nơi nhận at the left (its lines in the small size), the signer at the right."""
        left: list[Flowable] = [self.rich("<u>Nơi nhận:</u>", "recipients_heading")]
        left += [self.para(f"- {line}", "recipients") for line in recipients]
        width = self.frame_width / 2
        table = Table([[left, self._signer(heading, name)]], colWidths=[width, width])
        table.setStyle(self._plain_table_style())
        return KeepTogether([*(lead or []), Spacer(1, 10), table])

    @staticmethod
    def _plain_table_style() -> TableStyle:
        return TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), face("regular")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ])

    def grid(self, rows: list[list], widths: list[float], header_rows: int, size: float,
             extra: list[tuple] | None = None) -> Table:
        """A ruled table whose header rows repeat at the top of every page it runs onto."""
        table = Table(rows, colWidths=widths, repeatRows=header_rows)
        commands = [
            ("FONTNAME", (0, 0), (-1, -1), face("regular")),
            ("FONTNAME", (0, 0), (-1, header_rows - 1), face("bold")),
            ("FONTSIZE", (0, 0), (-1, -1), size),
            ("LEADING", (0, 0), (-1, -1), size * 1.2),
            ("GRID", (0, 0), (-1, -1), 0.5, "#000000"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        table.setStyle(TableStyle(commands + (extra or [])))
        return table

    # --- rendering ---------------------------------------------------------------------------
    def render(self, target: Path | str | io.BytesIO | None = None) -> bytes | None:
        return render([self], target)


def _page_template(layout: Layout, orientation: str) -> PageTemplate:
    width, height = layout.page_size(orientation)
    left, right = layout.margin("left"), layout.margin("right")
    top, bottom = layout.margin("top"), layout.margin("bottom")
    frame = Frame(left, bottom, width - left - right, height - top - bottom, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    def page_number(canvas, _doc) -> None:
        # Page numbers from the second page of each document, Arabic, centred at the top (DOMAIN §5.1).
        number = canvas.getPageNumber() - getattr(canvas, "_chibo_first_page", 1) + 1
        if number >= 2:
            canvas.saveState()
            canvas.setFont(face("regular"), layout.size("page_number"))
            canvas.drawCentredString(left + (width - left - right) / 2, height - top / 2 - 4, str(number))
            canvas.restoreState()

    return PageTemplate(id=orientation, frames=[frame], onPageEnd=page_number, pagesize=(width, height))


def render(documents: list[Document], target: Path | str | io.BytesIO | None = None) -> bytes | None:
    """Lay out one or more forms into one PDF; each starts on a new page with its own page numbers.

    With no target the PDF comes back as bytes (for the preview); otherwise it is written there.
    """
    if not documents:
        raise ValueError("no documents")
    layout = documents[0].layout
    buffer = io.BytesIO() if target is None else target
    templates = [_page_template(layout, o) for o in ("portrait", "landscape")]
    first = documents[0].orientation
    templates.sort(key=lambda t: t.id != first)
    doc = BaseDocTemplate(buffer if not isinstance(buffer, Path) else str(buffer), pageTemplates=templates,
                          pagesize=layout.page_size(first), initialFontName=face("regular"),
                          title=_title(documents), author="chibo", creator="chibo", subject="",
                          invariant=1)
    story: list[Flowable] = []
    for index, document in enumerate(documents):
        if index:
            story += [NextPageTemplate(document.orientation), PageBreak()]
        story.append(DocumentStart())
        story += document.story()
    doc.build(story)
    if target is None:
        return buffer.getvalue()
    return None


def _title(documents: list[Document]) -> str:
    return party.nfc(getattr(documents[0], "pdf_title", "") or documents[0].form)
