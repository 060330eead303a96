"""The fee book's headings (FORMS §4.2, verbatim) and its rows as plain values, shared by the PDF and the XLSX."""
from __future__ import annotations

from dataclasses import dataclass

from app.domain import months as mo
from app.domain.dates import Month, format_date
from app.domain.fee_ledger import MemberYear, SummaryRow, YearBook
from app.domain.fee_rules import Regime
from app.domain.fees import Channel
from app.domain.money import format_number
from app.i18n import _

FORM_CODE = "Mẫu số S01/ĐP"
BOOK_TITLE = "SỔ THU, NỘP ĐẢNG PHÍ"
PART_ONE = "PHẦN I – THU ĐẢNG PHÍ"
PART_TWO = "PHẦN II: TỔNG HỢP THU, NỘP ĐẢNG PHÍ HÀNG THÁNG"
EXEMPT_NOTE = ("Đảng viên miễn đóng đảng phí thì đánh dấu (X) vào cột 'Được miễn', không ghi số tiền vào cột "
               "thu nhập và đảng phí.")

# Part I: (top heading, sub-heading or None). Three "phải đóng" columns share one top heading.
PART_ONE_COLUMNS = (
    ("Stt", None),
    ("Họ và tên đảng viên", None),
    ("Được miễn", None),
    ("Tháng/năm", None),
    ("Thu nhập tính đóng đảng phí", None),
    ("Số tiền đảng phí phải đóng", "Tháng này"),
    ("Số tiền đảng phí phải đóng", "Truy thu các tháng trước"),
    ("Số tiền đảng phí phải đóng", "Cộng"),
    ("Số tiền đảng phí đã thu", None),
    ("Số tiền đảng phí chưa đóng đến cuối tháng", None),
    ("Ghi chú", None),
)

PART_TWO_COLUMNS = (
    ("Ngày tháng năm nộp", None),
    ("Thu đảng phí tháng", None),
    ("Tình hình đảng viên", "Tổng số đảng viên đến cuối tháng"),
    ("Tình hình đảng viên", "Tổng số đảng viên được miễn"),
    ("Tình hình đảng phí", "Số tiền đảng phí chưa đóng"),
    ("Tình hình đảng phí", "Số tiền đảng phí đã thu"),
    ("Tình hình đảng phí", "Đảng phí được trích giữ lại"),
    ("Tình hình đảng phí", "Đảng phí phải nộp cấp trên"),
    ("Nộp đảng phí lên cấp trên", "Đảng phí đã nộp cấp trên"),
    ("Nộp đảng phí lên cấp trên", "Đảng phí chưa nộp cấp trên"),
    ("Nộp đảng phí lên cấp trên", "Người nhận ký"),
)

SIGNERS = ("NGƯỜI GHI SỔ", "PHỤ TRÁCH", "T/M CẤP ỦY")


@dataclass(frozen=True)
class PartOneRow:
    """One member's line of a month: numbers as int đồng, None where the form leaves the cell empty."""

    number: int
    name: str
    exempt: bool
    month: str
    income: int | None
    due: int | None
    back: int | None
    total: int | None
    collected: int | None
    unpaid: int | None
    note: str

    def values(self) -> list:
        return [self.number, self.name, "X" if self.exempt else "", self.month, self.income, self.due, self.back,
                self.total, self.collected, self.unpaid, self.note]


def _blank_zero(value: int) -> int | None:
    return value or None


def _note(member: MemberYear, month: Month) -> str:
    line = member.line(month)
    parts = []
    if line.due.exempt:
        parts.append(exempt_reason(line.due.rule, line.due.explanation))
    elif line.due.reduction:
        parts.append(_("Giảm {percent}%").format(percent=line.due.reduction))
    if not line.in_book:
        parts.append(_("Đã chuyển đi / thôi sinh hoạt"))
    if line.due.missing_profile:
        parts.append(_("Chưa khai mức đóng"))
    if Channel.PORTAL.value in line.channels:
        parts.append(_("Cổng DVCQG"))
    if line.paid_ahead_to is not None:
        parts.append(_("Nộp trước đến {month}").format(month=mo.label(line.paid_ahead_to)))
    if line.paid_back:
        parts.append(_("Nộp bù tháng trước"))
    if line.extra:
        parts.append(_("Đóng thêm {amount}").format(amount=format_number(line.extra)))
    if line.excused and line.outstanding:
        parts.append(_("Có lý do chính đáng"))
    return "; ".join(parts)


def exempt_reason(rule: str, explanation: str) -> str:
    """A few words for the note column: why the member pays nothing."""
    if rule == "exempt.party_age":
        return _("Miễn: 50 năm tuổi đảng")
    if rule == "exempt.social_pension":
        return _("Miễn: trợ cấp hưu trí xã hội")
    _head, _sep, reason = explanation.partition(" — ")
    return _("Miễn: {reason}").format(reason=reason) if reason else _("Miễn: hoàn cảnh khó khăn")


def part_one(book: YearBook, month: Month) -> tuple[list[PartOneRow], PartOneRow]:
    """The month's block of Part I and its total line ("Cộng")."""
    rows = []
    for member in book.members:
        line = member.line(month)
        if not (line.in_book or line.collected or line.unpaid_end or line.back):
            continue
        exempt = line.due.exempt
        rows.append(PartOneRow(
            number=len(rows) + 1, name=member.name, exempt=exempt, month=mo.label(month),
            income=None if exempt else line.due.income,
            due=None if exempt or not line.in_book else line.due.amount,
            back=_blank_zero(line.back), total=_blank_zero(line.total) if not exempt else _blank_zero(line.back),
            collected=_blank_zero(line.collected), unpaid=_blank_zero(line.unpaid_end), note=_note(member, month)))
    total = PartOneRow(0, _("Cộng"), False, mo.label(month), None,
                       sum(r.due or 0 for r in rows), sum(r.back or 0 for r in rows),
                       sum(r.total or 0 for r in rows), sum(r.collected or 0 for r in rows),
                       sum(r.unpaid or 0 for r in rows), _("{count} đảng viên, {exempt} được miễn").format(
                           count=len(rows), exempt=sum(r.exempt for r in rows)))
    return rows, total


def book_months(book: YearBook) -> list[Month]:
    """The months of the year the book has something to say about: up to the month it is made in."""
    return [Month(book.year, n) for n in range(1, 13) if Month(book.year, n) <= Month.of(book.made_on)]


def part_two_values(row: SummaryRow) -> list:
    """One line of Part II: dates of remittance, the month, counts, then money (int đồng); a month not
    yet come is an empty line."""
    if row.future:
        return ["", row.label] + [""] * 9
    dates = ", ".join(format_date(d) for d in row.remitted_on)
    return [dates, row.label, row.members, row.exempt, row.unpaid, row.collected, row.retained, row.to_remit,
            row.remitted, row.not_remitted, ""]


def regime_note(year: int) -> str:
    """Which regulation the year's months fall under (both, in 2026)."""
    if year < 2026:
        return _("Các tháng năm {year} tính theo {regime}.").format(year=year, regime=Regime.QD342.label)
    if year > 2026:
        return _("Các tháng năm {year} tính theo {regime}.").format(year=year, regime=Regime.QD01.label)
    return _("Tháng 01/2026 tính theo Quyết định 342-QĐ/TW; từ tháng 02/2026 tính theo Quy định 01-QĐ/TW.")
