"""The fee book's headings (FORMS §4.2, verbatim) and its rows as plain values, shared by the PDF and the XLSX."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain import months as mo
from app.domain.dates import Month, format_date
from app.domain.fee_ledger import MemberYear, SummaryRow, YearBook
from app.domain.fee_rules import Regime, regime
from app.domain.fees import Channel
from app.domain.money import format_number
from app.i18n import _
from app.services import meetings

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

# Who signs the book of a chi bộ: the one who keeps it, and the secretary for the cell. FORMS §6 (QĐ 399-QĐ/TW):
# a chi bộ signs "T/M CHI BỘ" (not "T/M cấp ủy", not "K/T") and has no seal; S02/ĐP's "Phụ trách" is the
# accountant of a đảng bộ, whom a chi bộ does not have.
RECORDER = "NGƯỜI GHI SỔ"
ON_BEHALF = ("T/M CHI BỘ", "BÍ THƯ")


@dataclass(frozen=True)
class PartOneRow:
    """One member's line of a month: numbers as int đồng, None where the form leaves the cell empty.

    The last three fields are money that crossed months, kept so that the total line can say it too."""

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
    paid_before: int = 0
    ahead: int = 0
    extra: int = 0
    temporary: bool = False

    def values(self) -> list:
        return [self.number, self.name, "X" if self.exempt else "", self.month, self.income, self.due, self.back,
                self.total, self.collected, self.unpaid, self.note]


def _blank_zero(value: int) -> int | None:
    return value or None


def months_text(months: tuple[Month, ...]) -> str:
    """Months as the note column writes them: 07/2026; 07–09/2026; 12/2026–01/2027; 03/2026, 05/2026."""
    runs: list[list[Month]] = []
    for month in months:
        if runs and mo.months_between(runs[-1][-1], month) == 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    parts = []
    for run in runs:
        first, last = run[0], run[-1]
        if first == last:
            parts.append(mo.label(first))
        elif first.year == last.year:
            parts.append(f"{first.month:02d}–{mo.label(last)}")
        else:
            parts.append(f"{mo.label(first)}–{mo.label(last)}")
    return ", ".join(parts)


def _crossing_notes(line) -> list[str]:
    """Where money that crossed months came from or went: with these, Cộng − đã thu = chưa đóng + đóng trước
    cho tháng sau + đóng thêm − đã đóng trước, and the line reads true."""
    parts = []
    if line.paid_before:
        since = months_text(line.paid_before_in)
        if line.paid_before >= line.due.amount:
            parts.append(_("Đã đóng trước từ tháng {months}").format(months=since))
        else:
            parts.append(_("Đã đóng trước {amount} từ tháng {months}").format(
                amount=format_number(line.paid_before), months=since))
    if line.ahead:
        parts.append(_("Gồm {amount} đóng trước cho tháng {months}").format(
            amount=format_number(line.ahead), months=months_text(line.ahead_for)))
    if line.back_for:
        parts.append(_("Đóng bù cho tháng {months}").format(months=months_text(line.back_for)))
    if line.extra_received:
        parts.append(_("Đóng thêm {amount}").format(amount=format_number(line.extra_received)))
    return parts


def _note(member: MemberYear, month: Month) -> str:
    line = member.line(month)
    parts = []
    if line.due.exempt:
        parts.append(exempt_reason(line.due.rule, line.due.explanation))
    elif line.due.reduction:
        parts.append(_("Giảm {percent}%").format(percent=line.due.reduction))
    if not line.in_book:
        parts.append(_("Đã chuyển đi / thôi sinh hoạt"))
    if line.temporary:
        parts.append(_("Sinh hoạt tạm thời nơi khác"))
    if line.due.missing_profile:
        parts.append(_("Chưa khai mức đóng"))
    if Channel.PORTAL.value in line.channels:
        parts.append(_("Cổng DVCQG"))
    parts += _crossing_notes(line)
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
            collected=_blank_zero(line.collected), unpaid=_blank_zero(line.unpaid_end), note=_note(member, month),
            paid_before=line.paid_before, ahead=line.ahead, extra=line.extra_received,
            temporary=line.in_book and line.temporary))
    total = PartOneRow(0, _("Cộng"), False, mo.label(month), None,
                       sum(r.due or 0 for r in rows), sum(r.back or 0 for r in rows),
                       sum(r.total or 0 for r in rows), sum(r.collected or 0 for r in rows),
                       sum(r.unpaid or 0 for r in rows), _total_note(rows))
    return rows, total


def _total_note(rows: list[PartOneRow]) -> str:
    """The total line's note: who is counted (as the minutes count, or the difference said), and the money
    that crossed months, so that the total reads true like each line."""
    members = sum(1 for r in rows if r.due is not None or r.exempt)
    temporary = sum(r.temporary for r in rows)
    text = _("{count} đảng viên, {exempt} được miễn").format(count=members, exempt=sum(r.exempt for r in rows))
    if temporary:
        text = _("{count} đảng viên (kể cả {temporary} đồng chí sinh hoạt tạm thời nơi khác), {exempt} được "
                 "miễn").format(count=members, temporary=temporary, exempt=sum(r.exempt for r in rows))
    parts = [text]
    ahead, before, extra = (sum(r.ahead for r in rows), sum(r.paid_before for r in rows),
                            sum(r.extra for r in rows))
    if ahead:
        parts.append(_("đã thu gồm {amount} đóng trước cho các tháng sau").format(amount=format_number(ahead)))
    if before:
        parts.append(_("{amount} đã đóng trước từ các tháng trước").format(amount=format_number(before)))
    if extra:
        parts.append(_("đóng thêm {amount}").format(amount=format_number(extra)))
    return "; ".join(parts)


def book_months(book: YearBook) -> list[Month]:
    """The months of the year the book has something to say about: up to the month it is made in (later
    months are left empty)."""
    return [Month(book.year, n) for n in range(1, 13) if Month(book.year, n) <= Month.of(book.made_on)]


def as_of(book: YearBook) -> str:
    """The day the book was made, as the provisional figures name it."""
    return format_date(book.made_on)


def month_title(book: YearBook, month: Month) -> str:
    """The heading of a month's block of Part I; a month not ended says that its figures are provisional."""
    title = _("Tháng {month:02d}/{year} — tính theo {regime}").format(
        month=month.month, year=month.year, regime=regime(month).value)
    if month == book.open_month:
        title += _(" — tháng chưa kết thúc, số liệu tạm tính đến ngày {day}").format(day=as_of(book))
    return title


def part_one_columns(book: YearBook, month: Month) -> tuple:
    """The form's headings; in a month not yet ended, "đến cuối tháng" would be untrue, so the two columns
    that change until the month ends name the day they are counted to."""
    if month != book.open_month:
        return PART_ONE_COLUMNS
    columns = list(PART_ONE_COLUMNS)
    columns[8] = (_("Số tiền đảng phí đã thu đến ngày {day}").format(day=as_of(book)), None)
    columns[9] = (_("Số tiền đảng phí chưa đóng, tạm tính đến ngày {day}").format(day=as_of(book)), None)
    return tuple(columns)


def part_two_label(book: YearBook, row: SummaryRow) -> str:
    """"Tháng 12", "Cộng quý IV", "Cộng cả năm", with "(tạm tính đến ngày …)" when a month in it has not ended."""
    if not row.provisional:
        return row.label
    return _("{label} (tạm tính đến ngày {day})").format(label=row.label, day=as_of(book))


def part_two_values(book: YearBook, row: SummaryRow) -> list:
    """One line of Part II: dates of remittance, the month, counts, then money (int đồng); a month not
    yet come is an empty line."""
    if row.future:
        return ["", row.label] + [""] * 9
    dates = ", ".join(format_date(d) for d in row.remitted_on)
    return [dates, part_two_label(book, row), row.members, row.exempt, row.unpaid, row.collected, row.retained,
            row.to_remit, row.remitted, row.not_remitted, ""]


def temporary_members(book: YearBook) -> list[tuple[str, tuple[Month, ...]]]:
    """Members in temporary activity elsewhere in some month of the book, with those months."""
    shown = set(book_months(book))
    found = []
    for member in book.members:
        months = tuple(line.month for line in member.lines if line.temporary and line.month in shown)
        if months:
            found.append((member.name, months))
    return found


def part_two_notes(book: YearBook) -> list[str]:
    """What Part II's figures rest on, under the table: the provisional month, the months left empty, and the
    members counted here whom the minutes count apart."""
    notes = []
    month = book.open_month
    if month is not None:
        quarter = ("I", "II", "III", "IV")[mo.quarter(month) - 1]
        notes.append(_("Tháng {month} chưa kết thúc: số liệu tháng {number}, Cộng quý {quarter} và Cộng cả năm "
                       "tạm tính đến ngày {day} (ngày lập sổ); các tháng sau để trống.").format(
            month=mo.label(month), number=month.month, quarter=quarter, day=as_of(book)))
    temporary = temporary_members(book)
    if temporary:
        names = "; ".join(_("{name} (tháng {months})").format(name=name, months=months_text(months))
                          for name, months in temporary)
        notes.append(_("(*) Tổng số đảng viên kể cả {count} đồng chí sinh hoạt tạm thời nơi khác, vẫn đóng đảng phí "
                       "tại chi bộ; biên bản sinh hoạt chi bộ ghi riêng, không tính vào tổng số: {names}.").format(
            count=len(temporary), names=names))
    return notes


def minutes_notes(book: YearBook) -> dict[Month, list[str]]:
    """Under a month of Part I: the book counts members at the month's end, the minutes on the meeting day;
    where the two differ (leaving aside members in temporary activity elsewhere, whom the minutes count
    apart), say by whom."""
    shown = set(book_months(book))
    held = [m for m in meetings.meetings_in(book.year) if Month.of(m.date) in shown and m.date <= book.made_on]
    if not held:
        return {}
    roster = meetings.Roster()
    names = {m.id: m.full_name for m in roster.members} | {m.member_id: m.name for m in book.members}
    notes: dict[Month, list[str]] = {}
    for meeting in held:
        month = Month.of(meeting.date)
        counted = {a.member_id for a in roster.attendees(meeting.date) if a.in_total}
        at_end = {m.member_id for m in book.members if m.line(month).in_book and not m.line(month).temporary}
        if counted == at_end:
            continue
        apart = any(m.line(month).temporary for m in book.members)
        text = _("Biên bản sinh hoạt chi bộ ngày {day} ghi tổng số {minutes} đảng viên{apart}; {until} là "
                 "{count}").format(day=format_date(meeting.date), minutes=len(counted),
            apart=_(" (không kể đồng chí sinh hoạt tạm thời nơi khác)") if apart else "",
            until=_("đến ngày lập sổ") if month == book.open_month else _("đến cuối tháng"), count=len(at_end))
        since = {i: _change_after(roster.history.get(i, []), meeting.date, month) for i in at_end ^ counted}
        if at_end - counted:
            text += _(", có thêm {names}").format(
                names=", ".join(names[i] + since[i] for i in _ordered(at_end - counted, names)))
        if counted - at_end:
            text += _(", không còn {names}").format(
                names=", ".join(names[i] + since[i] for i in _ordered(counted - at_end, names)))
        notes.setdefault(month, []).append(text + ".")
    return notes


def _ordered(ids: set[int], names: dict[int, str]) -> list[int]:
    return sorted(ids, key=lambda i: names[i])


def _change_after(history: list, day: dt.date, month: Month) -> str:
    """" (Từ trần, ngày 10/03/2026)": the status change between the meeting and the month's end, if any."""
    changes = [c for c in history if day < c.effective_date <= mo.last_day(month)]
    if not changes:
        return ""
    change = max(changes, key=lambda c: (c.effective_date, c.id or 0))
    return _(" ({status}, ngày {day})").format(status=change.status.label, day=format_date(change.effective_date))


def cover_line(label: str, name: str) -> str:
    """"Đảng bộ: xã Hòa Bình" — the form's label, then the name; a name that already says what it is
    ("Đảng bộ xã Hòa Bình", "Chi bộ thôn Đông") is written once, as it is, and a superior given as its
    committee ("Đảng ủy xã Hòa Bình") is named as the đảng bộ that committee leads."""
    text = name.strip()
    folded = text.casefold()
    if label == "Đảng bộ":
        for committee in ("đảng ủy ", "đảng uỷ "):
            if folded.startswith(committee):
                return "Đảng bộ " + text[len(committee):]
    if folded.startswith(label.casefold() + " "):
        return text
    return f"{label}: {text}" if text else f"{label}: ……"


def regime_note(year: int) -> str:
    """Which regulation the year's months fall under (both, in 2026)."""
    if year < 2026:
        return _("Các tháng năm {year} tính theo {regime}.").format(year=year, regime=Regime.QD342.label)
    if year > 2026:
        return _("Các tháng năm {year} tính theo {regime}.").format(year=year, regime=Regime.QD01.label)
    return _("Tháng 01/2026 tính theo Quyết định 342-QĐ/TW; từ tháng 02/2026 tính theo Quy định 01-QĐ/TW.")
