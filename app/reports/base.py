"""The one PDF renderer every form stands on: A4, the Party header, body styles, signatures, page numbers."""
from __future__ import annotations

import datetime as dt
import io
import os
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
    FrameBreak,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import _listWrapOn

from app.reports import party
from app.reports.layout import Layout, load_layout
from app.services.files import write_file_atomically

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

    def split(self, avail_width, avail_height):
        # Like a paragraph: at least two lines on each side of a page break.
        here = int(avail_height / self.gap)
        if here < 2 or self.count - here < 2:
            return []
        return [DottedLines(here, self.gap), DottedLines(self.count - here, self.gap)]

    def draw(self) -> None:
        self.canv.setDash(1, 2.5)
        self.canv.setLineWidth(0.5)
        for i in range(self.count):
            y = (self.count - i - 1) * self.gap + 3
            self.canv.line(0, y, self.width, y)


class _Arranger(Flowable):
    """Decides only where its flowables break between pages; the frame then lays them out one by one.

    Like reportlab's KeepTogether it never fits whole (wrap answers an impossible height), so the
    frame always asks split(), which returns the flowables to place, with a frame break first when
    they must all start on the next page.
    """

    def wrap(self, avail_width, avail_height):
        return avail_width, 0xFFFFFF

    def _height(self, flowables: list[Flowable], width: float) -> float:
        return _listWrapOn(flowables, width, self.canv)[1]

    def _at_top(self) -> bool:
        frame = getattr(self, "_frame", None)
        return frame is not None and bool(getattr(frame, "_atTop", False))

    def _moved(self, content: list[Flowable]) -> list[Flowable]:
        """Everything onto the next page, unless this is already the top of one (then let it run on)."""
        return content if self._at_top() else [FrameBreak(), *content]

    def _tried_again(self, content: list[Flowable]) -> list[Flowable]:
        """To the next page, where this is split again with the whole page; at a page top, give up."""
        return content if self._at_top() else [FrameBreak(), self]


class KeepStart(_Arranger):
    """Headings with the first lines of the text under them: the text itself may run onto the next
    page, so a long paragraph never drags its heading over and leaves the page foot blank."""

    def __init__(self, heads: list[Flowable], body: Flowable, kept: list[Flowable] | None = None):
        super().__init__()
        # `kept`: what the body keeps with it (the last item of a short list after the first).
        self.heads, self.body, self.kept = heads, body, kept or []

    def split(self, avail_width, avail_height):
        content = [*self.heads, self.body, *self.kept]
        if self._height(content, avail_width) <= avail_height:
            return content
        heads = self._height(self.heads, avail_width) + self.heads[-1].getSpaceAfter()
        room = avail_height - heads - self.body.getSpaceBefore()
        # A paragraph splits only with two lines or more on this page (orphans are not allowed).
        parts = self.body.split(avail_width, room) if room > 0 else []
        if len(parts) >= 2:
            return [*self.heads, *parts, *self.kept]
        return self._moved(content)


class KeepEnding(_Arranger):
    """The last lines of the text before the closing with the closing itself (the final sentence,
    the signatures): no page ever holds only a closing sentence and signatures. `heads` are the
    headings over that text when it is the only text of its section; they stay with its first lines."""

    def __init__(self, body: Flowable, ending: list[Flowable], lines: int = 2, heads: list[Flowable] | None = None):
        super().__init__()
        self.body, self.ending, self.lines, self.heads = body, ending, lines, heads or []

    def split(self, avail_width, avail_height):
        content = [*self.heads, self.body, KeepTogether(self.ending)]
        if self._height([*self.heads, self.body, *self.ending], avail_width) <= avail_height:
            return content
        if isinstance(self.body, Paragraph):
            room = avail_height
            if self.heads:
                room -= self._height(self.heads, avail_width) + self.heads[-1].getSpaceAfter()
            self.body.wrap(avail_width, avail_height)
            leading = self.body.style.leading
            here = min(int(max(room, 0) / leading), len(self.body.blPara.lines) - self.lines)
            parts = self.body.split(avail_width, here * leading + leading / 2) if here >= 2 else []
            if len(parts) == 2:
                return [*self.heads, parts[0], KeepEnding(parts[1], self.ending, self.lines)]
        return self._tried_again(content)


class TableWithEnding(_Arranger):
    """A ruled table whose last rows stay with what follows it (a legend, the signatures)."""

    def __init__(self, table: Table, ending: list[Flowable], keep_rows: int = 4):
        super().__init__()
        self.table, self.ending, self.keep_rows = table, ending, keep_rows

    def split(self, avail_width, avail_height):
        content = [self.table, KeepTogether(self.ending)]
        if self._height([self.table, *self.ending], avail_width) <= avail_height:
            return content
        self.table.wrap(avail_width, avail_height)
        heights = self.table._rowHeights
        fit, used = 0, 0.0
        for height in heights:
            if used + height > avail_height:
                break
            fit, used = fit + 1, used + height
        here = min(fit, len(heights) - self.keep_rows)
        if here > self.table.repeatRows:
            parts = self.table.split(avail_width, sum(heights[:here]) + 0.5)
            if len(parts) == 2:
                return [parts[0], TableWithEnding(parts[1], self.ending, self.keep_rows)]
        return self._tried_again(content)


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
    def table_size(self) -> float:
        """The point size of a table's text: the form's own "table_size" in layout.json, else the layout's."""
        return float(self.settings.get("table_size", self.layout.size("table")))

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
        body = self._style("body", "body", indent=True)
        # No last line of a paragraph alone at the top of a page (the first alone at a foot is never allowed).
        body.allowWidows = 0
        return {
            "body": body,
            "plain": self._style("plain", "body", align=TA_LEFT),
            # Headings are kept with the first lines under them by section(), not by keepWithNext,
            # which would carry a whole long paragraph to the next page with its heading.
            "section": self._style("section", "section", "bold", indent=True),
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

    def cell_style(self, size: float) -> ParagraphStyle:
        """Text that wraps inside a ruled table's cell, at the table's size."""
        return self.styles["plain"].clone(f"cell_{size}", fontSize=size, leading=size * 1.2, spaceAfter=0)

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
        paragraphs = [self.para(line) for line in lines]
        if len(paragraphs) >= 2 and len(lines[-1]) < 80:
            # The last item of a list never starts a page alone.
            paragraphs[-2].keepWithNext = True
        return paragraphs

    def section(self, heads: list[str | Flowable] | str, body: list[Flowable]) -> list[Flowable]:
        """A heading (or several; text is set as a section heading) and the text under it; the heading
        goes with the text's first lines."""
        heads = [heads] if isinstance(heads, str) else heads
        paragraphs = [self.para(h, "section") if isinstance(h, str) else h for h in heads]
        if not body:
            return paragraphs
        first, rest = body[0], list(body[1:])
        kept: list[Flowable] = []
        while rest and (kept or [first])[-1].getKeepWithNext():
            kept.append(rest.pop(0))
        return [KeepStart(paragraphs, first, kept), *rest]

    def ending(self, story: list[Flowable], closing: list[Flowable], lines: int = 2) -> list[Flowable]:
        """The story with its closing (final sentence, signatures) kept with the last lines before it."""
        if not story:
            return [KeepTogether(closing)]
        # Short paragraphs (one-line list items) are gathered from the end until they make `lines` lines.
        start, height = len(story) - 1, 0.0
        needed = lines * self.styles["body"].leading
        while start > 0 and not isinstance(story[start], KeepStart):
            height += story[start].wrap(self.frame_width, 1e6)[1]
            if height >= needed or not isinstance(story[start - 1], (Paragraph, DottedLines, KeepStart)):
                break
            start -= 1
        first, rest = story[start], story[start + 1:]
        if isinstance(first, KeepStart):
            # A section of one paragraph: its heading, its first lines and its last lines all count.
            return [*story[:start], KeepEnding(first.body, [*first.kept, *rest, *closing], lines, heads=first.heads)]
        return [*story[:start], KeepEnding(first, [*rest, *closing], lines)]

    def cell_signer(self) -> list[str]:
        """T/M CHI BỘ / BÍ THƯ, as the resolution's layout spells them: whoever signs for the cell."""
        signer = self.layout.form("resolution")
        return [signer.get("signer_on_behalf", "T/M CHI BỘ"), signer.get("signer_title", "BÍ THƯ")]

    def signatures(self, left: list[str] | None, right: list[str], left_name: str = "", right_name: str = "",
                   lead: list[Flowable] | None = None) -> Flowable:
        """Two signing blocks side by side: headings in bold capitals, space to sign, then the name.

        `lead` (the closing sentence) stays on the same page, so signatures never stand alone.
        """
        return KeepTogether(self.signature_rows(left, right, left_name, right_name, lead))

    def signature_rows(self, left: list[str] | None, right: list[str], left_name: str = "", right_name: str = "",
                       lead: list[Flowable] | None = None) -> list[Flowable]:
        """What signatures() keeps together, as a list for ending() or TableWithEnding."""
        width = self.frame_width / 2
        cells = [self._signer(left, left_name) if left else "", self._signer(right, right_name)]
        table = Table([cells], colWidths=[width, width])
        table.setStyle(self._plain_table_style())
        return [*(lead or []), Spacer(1, 10), table]

    def _signer(self, heading: list[str], name: str) -> list[Flowable]:
        items: list[Flowable] = [self.para(party.upper(line), "signature") for line in heading]
        items.append(Spacer(1, self.layout.mm("signature_space_mm")))
        items.append(self.para(name or " ", "signature"))
        return items

    def recipients_and_signer(self, recipients: list[str], heading: list[str], name: str,
                              lead: list[Flowable] | None = None) -> Flowable:
        """Nơi nhận at the left (its lines in the small size), the signer at the right."""
        return KeepTogether(self.recipient_rows(recipients, heading, name, lead))

    def recipient_rows(self, recipients: list[str], heading: list[str], name: str,
                       lead: list[Flowable] | None = None) -> list[Flowable]:
        """What recipients_and_signer() keeps together, as a list for ending()."""
        left: list[Flowable] = [self.rich("<u>Nơi nhận:</u>", "recipients_heading")]
        left += [self.para(f"- {line}", "recipients") for line in recipients]
        width = self.frame_width / 2
        table = Table([[left, self._signer(heading, name)]], colWidths=[width, width])
        table.setStyle(self._plain_table_style())
        return [*(lead or []), Spacer(1, 10), table]

    @staticmethod
    def _plain_table_style() -> TableStyle:
        return TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), face("regular")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ])

    def grid(self, rows: list[list], widths: list[float], header_rows: int, size: float,
             extra: list[tuple] | None = None, ruled_rows: int | None = None) -> Table:
        """A ruled table whose header rows repeat at the top of every page it runs onto; rows after the first
        `ruled_rows` (notes, signatures kept with the last lines by NOSPLIT) are drawn without rules."""
        table = Table(rows, colWidths=widths, repeatRows=header_rows)
        commands = [
            ("FONTNAME", (0, 0), (-1, -1), face("regular")),
            ("FONTNAME", (0, 0), (-1, header_rows - 1), face("bold")),
            ("FONTSIZE", (0, 0), (-1, -1), size),
            ("LEADING", (0, 0), (-1, -1), size * 1.2),
            ("GRID", (0, 0), (-1, -1 if ruled_rows is None else ruled_rows - 1), 0.5, "#000000"),
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

    With no target the PDF comes back as bytes (for the preview); otherwise it is written there, a file
    whole or not at all (laid out in memory first, then app.services.files.write_file_atomically).
    """
    if not documents:
        raise ValueError("no documents")
    layout = documents[0].layout
    to_file = isinstance(target, (str, os.PathLike))
    buffer = io.BytesIO() if target is None or to_file else target
    templates = [_page_template(layout, o) for o in ("portrait", "landscape")]
    first = documents[0].orientation
    templates.sort(key=lambda t: t.id != first)
    doc = BaseDocTemplate(buffer, pageTemplates=templates,
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
    if to_file:
        write_file_atomically(target, buffer.getvalue())
    return None


def _title(documents: list[Document]) -> str:
    return party.nfc(getattr(documents[0], "pdf_title", "") or documents[0].form)
