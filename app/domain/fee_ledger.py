"""The fee book of a year, derived from dues and payments (never stored): Part I per member per month,
Part II the monthly summary with quarter and year subtotals, the R2 flags and the monthly who-paid report.

How money is counted:
- a payment names the months it is for; it fills them in order, each up to what is still owed, and what
  is left lands on its last month as a voluntary extra (members may pay more, 01-QĐ/TW);
- "đã thu" of a month is the cash received in that month (by payment date), advances included, so that
  Part II matches the money actually in hand;
- "chưa đóng đến cuối tháng" is what is still owed, at the end of the month, for that month and all the
  months before it since the member's dues began; "truy thu các tháng trước" is the same at the end of
  the month before;
- a month that has not ended on the day the book is made is never closed: its money is counted up to
  that day (provisional, "tạm tính"), and the months after it hold only what was paid ahead for them.

So each line reads: Cộng (due + truy thu) − đã thu = chưa đóng, except for money that crossed months, which
the line carries (paid_before, ahead, extra_received) so that the book can say where it went.
"""
from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from app.domain import months as mo
from app.domain.dates import Month
from app.domain.fee_rules import RuleBook
from app.domain.fees import Due, Excuse, MemberFacts, Payment, Remittance, compute_due
from app.domain.members import MemberStatus, status_on
from app.i18n import _


class FlagWindow(enum.StrEnum):
    CALENDAR_YEAR = "calendar_year"
    ROLLING_12 = "rolling_12"


@dataclass(frozen=True)
class FlagOptions:
    """R2's knobs: threshold 3, grace 0 days, cumulative months in the calendar year by default."""

    threshold: int = 3
    grace_days: int = 0
    consecutive_only: bool = False
    window: FlagWindow = FlagWindow.CALENDAR_YEAR


@dataclass
class MonthLine:
    """Part I: one member, one month."""

    month: Month
    due: Due
    back: int = 0          # Truy thu các tháng trước
    collected: int = 0     # Số tiền đảng phí đã thu (in this month, by payment date)
    unpaid_end: int = 0    # Số tiền đảng phí chưa đóng đến cuối tháng
    paid_for: int = 0      # paid towards this month's due so far (as of the day the book is made)
    extra: int = 0         # paid beyond this month's due (voluntary)
    late: bool = False     # unpaid at the month's end + grace (R2)
    excused: bool = False  # lý do chính đáng recorded
    channels: tuple[str, ...] = ()
    paid_ahead_to: Month | None = None  # money received this month for months after it
    paid_back: bool = False             # money received this month for months before it
    # Money that crossed months, so that the line can say why Cộng − đã thu ≠ chưa đóng:
    paid_before: int = 0                          # of this month's due, paid with money received earlier
    paid_before_in: tuple[Month, ...] = ()        # … the months that money was received in
    ahead: int = 0                                # received this month for later months
    ahead_for: tuple[Month, ...] = ()             # … those months
    back_for: tuple[Month, ...] = ()              # earlier months that money received this month went to
    extra_received: int = 0                       # received this month beyond anything due (voluntary)
    temporary: bool = False  # sinh hoạt tạm thời nơi khác on the month's last day (the minutes count apart)
    provisional: bool = False  # the month had not ended on the day the book was made (tạm tính)

    @property
    def total(self) -> int:
        return self.due.amount + self.back

    @property
    def in_book(self) -> bool:
        return self.due.in_book

    @property
    def settled(self) -> bool:
        return self.paid_for >= self.due.amount

    @property
    def outstanding(self) -> int:
        return max(0, self.due.amount - self.paid_for)


@dataclass
class MemberYear:
    """One member's twelve months, what they owed before the year, and the year's totals."""

    facts: MemberFacts
    lines: list[MonthLine]
    carried_in: int = 0            # owed for earlier years at the end of the previous year
    late_months: list[Month] = field(default_factory=list)
    still_owed_before: int = 0     # … of which still owed today
    settled_late: list[Month] = field(default_factory=list)  # late months since paid in full (đã đóng bù)

    def arrears(self, today: dt.date) -> int:
        """Owed today: earlier years plus this year's months up to the current one, payments so far counted."""
        current = Month.of(today)
        return self.still_owed_before + sum(line.outstanding for line in self.lines if line.month <= current)

    @property
    def member_id(self) -> int:
        return self.facts.member.id

    @property
    def name(self) -> str:
        return self.facts.member.full_name

    @property
    def in_book(self) -> bool:
        return any(line.in_book for line in self.lines)

    def line(self, month: Month) -> MonthLine:
        return self.lines[month.month - 1]

    @property
    def due_total(self) -> int:
        return sum(line.due.amount for line in self.lines)

    @property
    def collected_total(self) -> int:
        return sum(line.collected for line in self.lines)

    def unpaid_at(self, month: Month) -> int:
        return self.line(month).unpaid_end


@dataclass
class SummaryRow:
    """Part II: a month, a quarter subtotal or the year."""

    label: str
    month: Month | None
    members: int = 0
    exempt: int = 0
    unpaid: int = 0
    collected: int = 0
    retained: int = 0
    to_remit: int = 0
    remitted: int = 0
    remitted_on: tuple[dt.date, ...] = ()
    kind: str = "month"  # month, quarter, year
    future: bool = False  # a month not yet come when the book was made: nothing to show
    temporary: int = 0    # of `members`, those in temporary activity elsewhere (the minutes count them apart)
    provisional: bool = False  # holds a month not yet ended when the book was made: figures tạm tính

    @property
    def not_remitted(self) -> int:
        return self.to_remit - self.remitted


class FlagKind(enum.StrEnum):
    """What a warning of the fee book says: a proposal to consider removal, or a reminder of late payment."""

    UNPAID = "unpaid"        # months still unpaid today: đề nghị xem xét xóa tên
    PAID_LATE = "paid_late"  # months paid after their deadline: nhắc nhở, not a proposal


@dataclass(frozen=True)
class Flag:
    """R2, read with DOMAIN §3.5 ("không đóng đảng phí 3 tháng trong năm"): a member with `threshold` months
    past their deadline and still unpaid today, without good reason, is a removal proposal (UNPAID); one whose
    late months have (some or all) been paid since is only reminded (PAID_LATE). A warning, never an action."""

    member_id: int
    name: str
    months: tuple[Month, ...]  # the months the warning counts: unpaid ones (UNPAID), all late ones (PAID_LATE)
    unpaid: int
    paid_later: int = 0  # months paid in full after their deadline (of the year's window)
    kind: FlagKind = FlagKind.UNPAID
    settled: tuple[Month, ...] = ()  # of the late months, those paid in full since
    consecutive: bool = False  # the months counted follow each other

    @property
    def proposes_removal(self) -> bool:
        return self.kind is FlagKind.UNPAID

    @property
    def message(self) -> str:
        if self.kind is FlagKind.UNPAID:
            text = _("Đề nghị chi bộ xem xét xóa tên (không đóng đảng phí {count} tháng trong năm: {months})").format(
                count=len(self.months), months=_labels(self.months))
            if self.paid_later:
                text += _("; ngoài ra đóng chậm {count} tháng (đã đóng bù)").format(count=self.paid_later)
            return text
        owing = tuple(m for m in self.months if m not in self.settled)
        if not owing:
            text = _("Đóng chậm {count} tháng liền (đã đóng bù): {months}") if self.consecutive else \
                _("Đóng chậm {count} tháng trong năm (đã đóng bù): {months}")
            return text.format(count=len(self.months), months=_labels(self.months))
        text = _("Đóng chậm {count} tháng liền: {settled_count} tháng đã đóng bù ({settled}), {owing_count} tháng "
                 "còn nợ ({owing})") if self.consecutive else \
            _("Đóng chậm {count} tháng trong năm: {settled_count} tháng đã đóng bù ({settled}), {owing_count} tháng "
              "còn nợ ({owing})")
        return text.format(count=len(self.months), settled_count=len(self.settled), settled=_labels(self.settled),
                           owing_count=len(owing), owing=_labels(owing))


def _labels(months: tuple[Month, ...]) -> str:
    return ", ".join(mo.label(m) for m in months)


@dataclass
class YearBook:
    year: int
    members: list[MemberYear]
    summary: list[SummaryRow]
    flags: list[Flag]
    made_on: dt.date

    def month_rows(self) -> list[SummaryRow]:
        return [r for r in self.summary if r.kind == "month"]

    @property
    def open_month(self) -> Month | None:
        """The month of the year the book was made in: not ended then, so never closed (tạm tính)."""
        month = Month.of(self.made_on)
        return month if month.year == self.year else None

    def member(self, member_id: int) -> MemberYear | None:
        return next((m for m in self.members if m.member_id == member_id), None)

    def flag(self, member_id: int) -> Flag | None:
        return next((f for f in self.flags if f.member_id == member_id), None)

    def tallies(self) -> list[MonthTally]:
        return month_tallies(self.members, self.year)

    def arrears(self) -> int:
        """What every member on the book owes on the day it was made."""
        return sum(m.arrears(self.made_on) for m in self.members)


@dataclass
class _Allocation:
    month: int   # month index
    paid_on: dt.date
    amount: int

    @property
    def received(self) -> int:
        """The index of the month the money was received in."""
        return self.paid_on.year * 12 + self.paid_on.month - 1


# A payment may name months up to this far after the year (MAX_PAYMENT_SPAN): they are owed for too, so that
# money paid ahead into the next year is placed there rather than taken for a voluntary extra.
_AHEAD_MONTHS = 24


def member_year(facts: MemberFacts, payments: list[Payment], excuses: list[Excuse], rules: RuleBook, year: int,
                today: dt.date, options: FlagOptions = FlagOptions()) -> MemberYear:
    """One member's year of the book, computed from the first month anything is owed or paid."""
    first, last = Month(year, 1), Month(year, 12)
    starts = [p.effective_from for p in facts.profiles] + [p.month_from for p in payments]
    if options.window is FlagWindow.ROLLING_12:
        starts.append(last.add(-12))
    begin = min([first, *starts])
    joined = facts.first_book_month()
    if joined is not None and joined > begin:
        begin = min(joined, first)
    end = min(max([last, *(p.month_to for p in payments if p.month_from <= last)]), last.add(_AHEAD_MONTHS))
    begin_index, end_index = mo.index(begin), mo.index(end)
    months = [mo.from_index(i) for i in range(begin_index, end_index + 1)]
    dues = [compute_due(facts, month, rules.for_month(month)) for month in months]
    placed = _allocate(payments, dues, begin_index, end_index)
    excused = {mo.index(e.month) for e in excuses}
    lines = _lines(year, dues, placed, payments, begin_index, excused, today)
    if any(c.status is MemberStatus.TEMPORARY for c in facts.history):
        for line in lines:
            line.temporary = line.in_book and status_on(facts.history, mo.last_day(line.month)) is \
                MemberStatus.TEMPORARY
    allocations = placed.allocations
    carried = _unpaid_at(dues, allocations, begin_index, mo.index(first) - 1, mo.last_day(first.add(-1)))
    still_owed = _unpaid_at(dues, allocations, begin_index, mo.index(first) - 1, today)
    result = MemberYear(facts, lines, carried, still_owed_before=still_owed)
    result.late_months = _late_months(result, dues, allocations, begin_index, excused, today, options, year)
    return result


@dataclass
class _Placed:
    """Where the payments went: month by month, and what was left over (a voluntary extra)."""

    allocations: list[_Allocation]
    extras: dict[int, int]                 # left over, on the payment's last month (where the grid shows it)
    leftovers: list[tuple[dt.date, int]]   # the same money with the day it was received (the book's đã thu)


def _allocate(payments: list[Payment], dues: list[Due], begin: int, end: int) -> _Placed:
    """Fill each payment's months in order up to what is owed; the rest is an extra on its last month."""
    owed = [d.amount for d in dues]
    placed = _Placed([], defaultdict(int), [])
    for payment in sorted(payments, key=lambda p: (p.paid_on, p.id or 0)):
        left = payment.amount
        low = max(mo.index(payment.month_from), begin)
        high = min(mo.index(payment.month_to), end)
        for number in range(low, high + 1):
            take = min(left, owed[number - begin])
            if take > 0:
                owed[number - begin] -= take
                left -= take
                placed.allocations.append(_Allocation(number, payment.paid_on, take))
        if left > 0:
            if low <= high:
                placed.extras[high] += left
            placed.leftovers.append((payment.paid_on, left))
    placed.allocations.sort(key=lambda a: a.paid_on)
    return placed


def _unpaid_at(dues: list[Due], allocations: list[_Allocation], begin: int, upto: int, day: dt.date) -> int:
    """Owed for months begin … upto, counting payments made on or before `day`."""
    if upto < begin:
        return 0
    owed = sum(d.amount for d in dues[: upto - begin + 1])
    paid = sum(a.amount for a in allocations if a.month <= upto and a.paid_on <= day)
    return owed - paid


@dataclass
class _Crossing:
    """Money received in one month for another, by month index (payments up to the day the book is made)."""

    before: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    before_in: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    ahead: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    ahead_for: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    back_for: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    extra: dict[int, int] = field(default_factory=lambda: defaultdict(int))


def _crossing(placed: _Placed, today: dt.date) -> _Crossing:
    """One allocation paid ahead is seen twice: ahead in the month received, paid before in the month it is for."""
    crossing = _Crossing()
    for a in placed.allocations:
        if a.paid_on > today:
            break  # sorted by day
        if a.month > a.received:
            crossing.ahead[a.received] += a.amount
            crossing.ahead_for[a.received].add(a.month)
            crossing.before[a.month] += a.amount
            crossing.before_in[a.month].add(a.received)
        elif a.month < a.received:
            crossing.back_for[a.received].add(a.month)
    for paid_on, amount in placed.leftovers:
        if paid_on <= today:
            crossing.extra[paid_on.year * 12 + paid_on.month - 1] += amount
    return crossing


def _months(numbers: set[int]) -> tuple[Month, ...]:
    return tuple(mo.from_index(n) for n in sorted(numbers))


def _lines(year: int, dues: list[Due], placed: _Placed, payments: list[Payment], begin: int, excused: set[int],
           today: dt.date) -> list[MonthLine]:
    """The twelve months; money received after `today` is not counted, and the month of `today` is
    counted up to that day (its end has not come)."""
    collected: dict[Month, int] = defaultdict(int)
    channels: dict[Month, set[str]] = defaultdict(set)
    ahead: dict[Month, Month] = {}
    back: set[Month] = set()
    first_index = mo.index(Month(year, 1))
    for payment in payments:
        if payment.paid_on > today:
            continue  # not yet received on the day the book is made
        if payment.paid_on.year != year and not (payment.month_from.year <= year <= payment.month_to.year):
            continue  # nothing of it shows in this year's lines
        received = Month.of(payment.paid_on)
        collected[received] += payment.amount
        if payment.month_to > received:
            ahead[received] = max(ahead.get(received, payment.month_to), payment.month_to)
        if payment.month_from < received:
            back.add(received)
        for number in range(max(mo.index(payment.month_from), first_index),
                            min(mo.index(payment.month_to), first_index + 11) + 1):
            channels[mo.from_index(number)].add(payment.channel.value)
    allocations = placed.allocations
    paid_for: dict[int, int] = defaultdict(int)
    for a in allocations:
        if a.paid_on <= today:
            paid_for[a.month] += a.amount
    crossing = _crossing(placed, today)
    owed_upto = list(itertools.accumulate(d.amount for d in dues))
    # Allocations made before the year to months before it count in every month alike: add them up once.
    year_start = dt.date(year, 1, 1)
    settled_before = sum(a.amount for a in allocations
                         if a.paid_on < year_start and a.month < first_index and a.paid_on <= today)
    recent = [a for a in allocations if a.paid_on >= year_start or a.month >= first_index]
    lines = []
    previous_unpaid = _unpaid_at(dues, allocations, begin, first_index - 1,
                                 min(year_start - dt.timedelta(days=1), today))
    current = Month.of(today)
    for month_number in range(1, 13):
        month = Month(year, month_number)
        number = first_index + month_number - 1
        due = dues[number - begin]
        end_day = min(mo.last_day(month), today)
        paid = settled_before + sum(a.amount for a in recent if a.paid_on <= end_day and a.month <= number)
        unpaid_end = owed_upto[number - begin] - paid
        line = MonthLine(month, due, back=previous_unpaid, collected=collected.get(month, 0), unpaid_end=unpaid_end,
                         paid_for=paid_for.get(number, 0), extra=placed.extras.get(number, 0),
                         excused=number in excused, channels=tuple(sorted(channels.get(month, ()))),
                         paid_ahead_to=ahead.get(month), paid_back=month in back,
                         paid_before=crossing.before.get(number, 0),
                         paid_before_in=_months(crossing.before_in.get(number, set())),
                         ahead=crossing.ahead.get(number, 0), ahead_for=_months(crossing.ahead_for.get(number, set())),
                         back_for=_months(crossing.back_for.get(number, set())),
                         extra_received=crossing.extra.get(number, 0), provisional=month == current)
        lines.append(line)
        previous_unpaid = unpaid_end
    return lines

def _late_months(result: MemberYear, dues: list[Due], allocations: list[_Allocation], begin: int,
                 excused: set[int], today: dt.date, options: FlagOptions, year: int) -> list[Month]:
    """R2: months with something due and not paid in full by the month's end + grace, not excused,
    and already closed today."""
    if options.window is FlagWindow.ROLLING_12:
        last_closed = min(Month.of(today).add(-1), Month(year, 12))
        candidates = list(mo.month_range(last_closed.add(-11), last_closed))
    else:
        candidates = list(mo.month_range(Month(year, 1), Month(year, 12)))
    late = []
    low = mo.index(candidates[0])
    relevant = [a for a in allocations if a.month >= low]
    for month in candidates:
        number = mo.index(month)
        if number < begin or number - begin >= len(dues):
            continue
        due = dues[number - begin]
        deadline = mo.last_day(month) + dt.timedelta(days=options.grace_days)
        if due.amount <= 0 or deadline >= today or number in excused:
            continue
        paid = sum(a.amount for a in relevant if a.month == number and a.paid_on <= deadline)
        if paid < due.amount:
            late.append(month)
            if sum(a.amount for a in relevant if a.month == number and a.paid_on <= today) >= due.amount:
                result.settled_late.append(month)
    for line in result.lines:
        line.late = line.month in late
    return late


def flag_for(member: MemberYear, options: FlagOptions) -> Flag | None:
    """The member's warning, if any: the removal proposal when enough late months are still unpaid today,
    else the late-payment reminder when enough months were late, paid since or not."""
    settled = set(member.settled_late)
    unpaid = [m for m in member.late_months if m not in settled]
    counted = _longest_run(unpaid) if options.consecutive_only else unpaid
    if len(counted) >= options.threshold:
        return Flag(member.member_id, member.name, tuple(counted), _owed(member, counted), len(settled),
                    FlagKind.UNPAID, settled=tuple(member.settled_late), consecutive=_consecutive(counted))
    late = _longest_run(member.late_months) if options.consecutive_only else member.late_months
    if len(late) < options.threshold or not settled & set(late):
        return None
    return Flag(member.member_id, member.name, tuple(late), _owed(member, late), len(settled & set(late)),
                FlagKind.PAID_LATE, settled=tuple(m for m in late if m in settled), consecutive=_consecutive(late))


def _owed(member: MemberYear, months: list[Month]) -> int:
    year = member.lines[0].month.year
    return sum(member.line(m).outstanding for m in months if m.year == year)


def _consecutive(months: list[Month]) -> bool:
    return len(months) > 1 and all(mo.months_between(a, b) == 1 for a, b in zip(months, months[1:]))


def _longest_run(months: list[Month]) -> list[Month]:
    best: list[Month] = []
    run: list[Month] = []
    for month in months:
        run = run + [month] if run and mo.months_between(run[-1], month) == 1 else [month]
        if len(run) > len(best):
            best = run
    return best


def summary(members: list[MemberYear], year: int, rules: RuleBook, cell_level: str,
            remittances: list[Remittance], today: dt.date) -> list[SummaryRow]:
    """Part II: twelve months, each quarter after its third month, then the year; months after today's
    are kept as empty lines."""
    remitted: dict[Month, list[Remittance]] = defaultdict(list)
    for r in remittances:
        remitted[r.month].append(r)
    rows: list[SummaryRow] = []
    months: list[SummaryRow] = []
    for number in range(1, 13):
        month = Month(year, number)
        row = SummaryRow(_("Tháng {month}").format(month=number), month, future=month > Month.of(today),
                         provisional=month == Month.of(today))
        rows.append(row)
        months.append(row)
        if number % 3 == 0:
            rows.append(_subtotal(_("Cộng quý {q}").format(q=("I", "II", "III", "IV")[number // 3 - 1]),
                                  months[number - 3:number], "quarter"))
        if row.future:
            continue
        for m in members:
            line = m.lines[number - 1]
            row.collected += line.collected
            row.unpaid += line.unpaid_end
            if line.in_book:
                row.members += 1
                row.exempt += line.due.exempt
                row.temporary += line.temporary
        share = rules.for_month(month).retained_share.get(cell_level, 0)
        row.retained = (2 * row.collected * share.numerator + share.denominator) // (2 * share.denominator)
        row.to_remit = row.collected - row.retained
        row.remitted = sum(r.amount for r in remitted.get(month, ()))
        row.remitted_on = tuple(sorted(r.paid_on for r in remitted.get(month, ())))
    rows.append(_subtotal(_("Cộng cả năm"), months, "year"))
    # Subtotals were placed before their months were filled in: compute them now.
    for index, row in enumerate(rows):
        if row.kind == "quarter":
            q = ("I", "II", "III", "IV").index(row.label.split()[-1])
            rows[index] = _subtotal(row.label, months[3 * q:3 * q + 3], "quarter")
        elif row.kind == "year":
            rows[index] = _subtotal(row.label, months, "year")
    return rows


def _subtotal(label: str, months: list[SummaryRow], kind: str) -> SummaryRow:
    """Flows (money in and out) add up; stocks (members, exempt, unpaid) are read at the period's end,
    or at its last month already come."""
    past = [r for r in months if not r.future]
    if not past:
        return SummaryRow(label, None, kind=kind, future=True)
    last = past[-1]
    return SummaryRow(label, None, members=last.members, exempt=last.exempt, unpaid=last.unpaid,
                      temporary=last.temporary, provisional=any(r.provisional for r in past),
                      collected=sum(r.collected for r in past), retained=sum(r.retained for r in past),
                      to_remit=sum(r.to_remit for r in past), remitted=sum(r.remitted for r in past),
                      kind=kind)


class PaidState(enum.StrEnum):
    PAID = "paid"
    PARTIAL = "partial"
    UNPAID = "unpaid"
    EXEMPT = "exempt"
    NO_PROFILE = "no_profile"

    @property
    def label(self) -> str:
        return {PaidState.PAID: _("Đã đóng"), PaidState.PARTIAL: _("Đóng chưa đủ"), PaidState.UNPAID: _("Chưa đóng"),
                PaidState.EXEMPT: _("Được miễn"), PaidState.NO_PROFILE: _("Chưa khai mức đóng")}[self]

    @property
    def owes(self) -> bool:
        """Not paid in full (nothing paid, or part of it): what the notice and the grid call still owed."""
        return self in (PaidState.UNPAID, PaidState.PARTIAL)


def paid_state(line: MonthLine) -> PaidState:
    if line.due.exempt:
        return PaidState.EXEMPT
    if line.due.missing_profile and line.paid_for == 0 and line.extra == 0:
        return PaidState.NO_PROFILE
    if line.settled:
        return PaidState.PAID
    return PaidState.PARTIAL if line.paid_for > 0 else PaidState.UNPAID


def owes(line: MonthLine) -> bool:
    """A month on the book with something due and not yet paid in full."""
    return line.in_book and line.due.amount > 0 and line.outstanding > 0


def oldest_unpaid(member: MemberYear, upto: Month) -> Month | None:
    """The first month of the year, up to `upto`, still owed and without a good reason recorded: the month a
    payment of "what is due" goes to first, so an older debt is never left behind a newer one."""
    for line in member.lines:
        if line.month > upto:
            break
        if owes(line) and not line.excused:
            return line.month
    return None


@dataclass(frozen=True)
class MonthTally:
    """The grid's total line for one month: who is on the book, who has paid it, and the money."""

    month: Month
    members: int = 0      # on the book that month
    exempt: int = 0
    paid: int = 0         # paid in full, of those who owe something (not exempt)
    due: int = 0
    received: int = 0     # paid towards the month's dues, voluntary extras included
    outstanding: int = 0  # still owed for the month

    @property
    def paying(self) -> int:
        return self.members - self.exempt


def month_tallies(members: list[MemberYear], year: int) -> list[MonthTally]:
    """The twelve months' tallies of the lines given (a sum over lines already computed)."""
    tallies = []
    for number in range(12):
        counts = [0, 0, 0, 0, 0, 0]
        for member in members:
            line = member.lines[number]
            if not line.in_book:
                continue
            counts[0] += 1
            counts[1] += line.due.exempt
            counts[2] += not line.due.exempt and not line.due.missing_profile and line.settled
            counts[3] += line.due.amount
            counts[4] += line.paid_for + line.extra
            counts[5] += line.outstanding
        tallies.append(MonthTally(Month(year, number + 1), *counts))
    return tallies
