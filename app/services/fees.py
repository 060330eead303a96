"""Đảng phí: what a secretary does with party fees — profiles, exemptions, payments, the year's book, flags."""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.domain import months as mo
from app.domain.dates import Month, format_date
from app.domain.fee_ledger import FlagOptions, FlagWindow, MemberYear, PaidState, YearBook, flag_for, member_year, \
    oldest_unpaid, paid_state, summary
from app.domain.fee_rules import RuleBook, RuleKey, RuleValue, RuleValueError, DEFAULT_VALUES, validate_value
from app.domain.fees import (
    DEFAULT_CONFIRM_FACTOR,
    Channel,
    Due,
    Excuse,
    FeeCategory,
    FeeProfile,
    MemberFacts,
    Payment,
    Relief,
    ReliefKind,
    Remittance,
    check_payment,
    check_profile,
    check_relief,
    compute_due,
    nothing_to_pay,
    span_label,
    unusual_amount,
)
from app.domain.issues import Issue
from app.domain.money import MAX_AMOUNT, format_money
from app.i18n import _
from app.services import cell as cell_service
from app.services import members as member_service
from app.services import period_lock, settings
from app.services.errors import NotFound, ServiceError, ValidationFailed
from app.storage import audit
from app.storage import fee_models as fm
from app.storage.fee_models import database

settings.register(
    {
        "fees.grace_days": 0,
        "fees.flag_threshold": 3,
        "fees.flag_consecutive_only": 0,
        "fees.flag_window": FlagWindow.CALENDAR_YEAR.value,
        "fees.receipt_numbers": 1,
        "fees.collector": "",
        "fees.confirm_factor": DEFAULT_CONFIRM_FACTOR,
    },
    {
        "fees.grace_days": lambda: _("Đảng phí: số ngày gia hạn sau cuối tháng trước khi tính là chưa đóng"),
        "fees.flag_threshold": lambda: _("Đảng phí: số tháng chưa đóng trong năm để cảnh báo (R2)"),
        "fees.flag_consecutive_only": lambda: _("Đảng phí: chỉ tính các tháng liên tiếp (1 = có, 0 = không)"),
        "fees.flag_window": lambda: _("Đảng phí: cách tính «3 tháng trong năm» (calendar_year hoặc rolling_12)"),
        "fees.receipt_numbers": lambda: _("Đảng phí: đánh số biên lai tiền mặt theo năm (1 = có, 0 = không)"),
        "fees.collector": lambda: _("Đảng phí: người thu (để trống: bí thư chi bộ)"),
        "fees.confirm_factor": lambda: _("Đảng phí: hỏi lại khi số tiền thu nhỏ hơn số phải đóng chia cho số này, "
                                         "hoặc lớn hơn số phải đóng nhân với số này (0 = không hỏi)"),
    },
)


def _one_of(choices: tuple, shown: str) -> Callable[[object], str]:
    def check(value: object) -> str:
        if isinstance(value, bool) or value not in choices:
            return _("«{value}» không hợp lệ; chỉ nhận {choices}.").format(value=value, choices=shown)
        return ""
    return check


# For settings.set_value: {key: check(value) -> the error in words, or "" when the value is allowed}.
SETTING_VALIDATORS: dict[str, Callable[[object], str]] = {
    "fees.flag_window": _one_of(tuple(w.value for w in FlagWindow), "calendar_year / rolling_12"),
    "fees.flag_consecutive_only": _one_of((0, 1), "0 / 1"),
    "fees.receipt_numbers": _one_of((0, 1), "0 / 1"),
    "fees.confirm_factor": _one_of((0, *range(2, 21)), "0, 2 … 20"),
}


def setting(key: str) -> object:
    """A fee setting as stored, or its default when the stored value is not one of its choices."""
    value = settings.get(key)
    check = SETTING_VALIDATORS.get(key)
    if check is not None and check(value):
        return settings.DEFAULTS[key]
    return value


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


# ---------------------------------------------------------------- reading


# The last rule book made, with the rows it was made from: the same rows give the same book, and with it the
# months of rules it has already worked out (one member's line reads ten years of months).
_last_rule_book: tuple[tuple, RuleBook] | None = None


def rule_book() -> RuleBook:
    """The built-in figures plus every row the secretary added."""
    global _last_rule_book
    added = fm.active_rule_values()
    key = tuple((v.id, v.key.value, str(v.effective_from), json.dumps(v.value, sort_keys=True), v.note)
                for v in added)
    if _last_rule_book is None or _last_rule_book[0] != key:
        _last_rule_book = (key, RuleBook(list(DEFAULT_VALUES) + added))
    return _last_rule_book[1]


def _facts(member_ids: set[int] | None = None) -> dict[int, MemberFacts]:
    """Every member's (or some members') fee facts, in roster order, from a handful of queries."""
    profiles: dict[int, list[FeeProfile]] = defaultdict(list)
    for profile in fm.all_profiles():
        profiles[profile.member_id].append(profile)
    reliefs: dict[int, list[Relief]] = defaultdict(list)
    for relief in fm.reliefs():
        reliefs[relief.member_id].append(relief)
    history = member_service.histories()
    result = {}
    for entry in member_service.list_members(statuses=None, include_archived=True):
        member = entry.member
        if member_ids is not None and member.id not in member_ids:
            continue
        result[member.id] = MemberFacts(member, history.get(member.id, []), profiles.get(member.id, []),
                                        reliefs.get(member.id, []))
    return result


def member_facts(member_id: int) -> MemberFacts:
    """One member's fee facts, read for that member alone (NotFound when there is no such member)."""
    member = member_service.get_member(member_id)
    return MemberFacts(member, member_service.status_history(member_id),
                       [p for p in fm.all_profiles() if p.member_id == member_id], fm.reliefs(member_id))


def flag_options() -> FlagOptions:
    return FlagOptions(
        threshold=max(1, int(settings.get("fees.flag_threshold"))),
        grace_days=int(settings.get("fees.grace_days")),
        consecutive_only=setting("fees.flag_consecutive_only") == 1,
        window=FlagWindow(str(setting("fees.flag_window"))),
    )


def due(member_id: int, month: Month) -> Due:
    """R1: what the member owes for a month and the rule that says so."""
    return compute_due(member_facts(member_id), month, rule_book().for_month(month))


def profiles(member_id: int) -> list[FeeProfile]:
    return member_facts(member_id).profiles  # NotFound when there is no such member


def reliefs(member_id: int, include_cancelled: bool = False) -> list[Relief]:
    return fm.reliefs(member_id, include_cancelled)


def payments(member_id: int | None = None, year: int | None = None) -> list[Payment]:
    found = fm.active_payments(member_id)
    if year is not None:
        found = [p for p in found if p.paid_on.year == year or p.month_from.year <= year <= p.month_to.year]
    return found


def excuses(member_id: int | None = None) -> list[Excuse]:
    return [e for e in fm.active_excuses() if member_id is None or e.member_id == member_id]


def remittances(year: int | None = None) -> list[Remittance]:
    return [r for r in fm.active_remittances() if year is None or r.month.year == year]


def year_book(year: int, today: dt.date | None = None) -> YearBook:
    """The whole year of the fee book, derived from dues and payments (nothing here is stored)."""
    today = _today(today)
    if not 1990 <= year <= 2100:
        raise ServiceError(_("Năm {year} không hợp lệ.").format(year=year))
    rules = rule_book()
    options = flag_options()
    by_member: dict[int, list[Payment]] = defaultdict(list)
    for payment in fm.active_payments():
        by_member[payment.member_id].append(payment)
    excused: dict[int, list[Excuse]] = defaultdict(list)
    for excuse in excuses():
        excused[excuse.member_id].append(excuse)
    members: list[MemberYear] = []
    for member_id, facts in _facts().items():
        result = member_year(facts, by_member.get(member_id, []), excused.get(member_id, []), rules, year, today,
                             options)
        if _shown(result):
            members.append(result)
    return _totalled(year, members, rules, options, today)


def _shown(line: MemberYear) -> bool:
    """A member has a line in the year's book when on it some month, or when money moved for them."""
    return line.in_book or bool(line.collected_total) or bool(line.carried_in)


def _totalled(year: int, members: list[MemberYear], rules: RuleBook, options: FlagOptions,
              today: dt.date) -> YearBook:
    """The book from its members' lines: Part II and the flags are sums and tests over the lines given."""
    info = cell_service.get_cell()
    level = info.cell_level.value if info else "truc_thuoc"
    rows = summary(members, year, rules, level, remittances(year), today)
    flags = [f for f in (flag_for(m, options) for m in members) if f is not None]
    return YearBook(year, members, rows, flags, today)


def member_line(year: int, member_id: int, today: dt.date | None = None) -> MemberYear | None:
    """One member's line of the year's book, computed alone (None when the member has no line that year)."""
    return _member_line(year, member_id, _today(today), rule_book(), flag_options())


def _member_line(year: int, member_id: int, today: dt.date, rules: RuleBook, options: FlagOptions) -> MemberYear | None:
    result = member_year(member_facts(member_id), payments(member_id), excuses(member_id), rules, year, today, options)
    return result if _shown(result) else None


def refresh_members(book: YearBook, member_ids: Iterable[int], *, today: dt.date | None = None) -> YearBook:
    """The book after a change to a few members' lines (a payment, a profile): their lines computed again,
    every other line kept as it is, Part II and the flags added up again from the lines held.

    A member who gains or loses a line that year changes the book's rows: the whole year is read again."""
    today, rules, options = _today(today), rule_book(), flag_options()
    fresh = {member_id: _member_line(book.year, member_id, today, rules, options) for member_id in set(member_ids)}
    held = {m.member_id for m in book.members}
    if any((line is None) == (member_id in held) for member_id, line in fresh.items()):
        return year_book(book.year, today)
    members = [fresh.get(m.member_id) or m for m in book.members]
    return _totalled(book.year, members, rules, options, today)


# ---------------------------------------------------------------- writing


def _fail(field_name: str, message: str) -> ValidationFailed:
    return ValidationFailed([Issue(field_name, message)])


def _checked(issues: list[Issue]) -> None:
    errors = [i for i in issues if i.is_error]
    if errors:
        raise ValidationFailed(errors)


def set_profile(member_id: int, category: FeeCategory | str, *, from_month: Month, basis: int | None = None,
                region: int | None = None, note: str = "", today: dt.date | None = None) -> FeeProfile:
    """Khai đối tượng đóng đảng phí from a month on; the earlier rows stay as the member's history."""
    today = _today(today)
    try:
        category = FeeCategory(category)
    except ValueError:
        raise _fail("fee.category", _("«{value}» không có; chọn bhxh, benefit, pension, student hoặc other.").format(
            value=category)) from None
    facts = member_facts(member_id)
    issues = check_profile(category, basis, region)
    if mo.months_between(Month.of(today), from_month) > 12:
        issues.append(Issue("fee.from", _("tháng {month} quá xa trong tương lai.").format(month=mo.label(from_month))))
    first = facts.first_book_month()
    if first is not None and from_month >= first and not facts.in_book(from_month):
        issues.append(Issue("fee.from", _("tháng {month}: đồng chí {name} không sinh hoạt tại chi bộ.").format(
            month=mo.label(from_month), name=facts.member.full_name)))
    _checked(issues)
    with database.atomic():
        row = fm.FeeProfile.create(member=member_id, effective_from=str(from_month), category=category.value,
                                   basis=basis, region=region, note=note.strip())
        audit.record("fee_profile", member_id, "create", {
            "effective_from": [None, str(from_month)], "category": [None, category.value],
            "basis": [None, basis], "region": [None, region]}, note.strip())
    return FeeProfile(member_id, from_month, category, basis, region, note.strip(), row.id)


def add_relief(member_id: int, kind: ReliefKind | str, *, from_month: Month, to_month: Month | None,
               percent: int | None = None, reason: str = "", decision: str = "") -> Relief:
    """Ghi quyết định miễn hoặc giảm đảng phí (≤ 12 months each, no overlap with another decision)."""
    kind = ReliefKind(kind)
    facts = member_facts(member_id)
    percent = 100 if kind.is_exemption else (percent or 0)
    relief = Relief(member_id, kind, from_month, to_month, percent, reason.strip(), decision.strip())
    _checked(check_relief(relief, reliefs(member_id), facts))
    with database.atomic():
        row = fm.FeeRelief.create(member=member_id, kind=kind.value, percent=percent, from_month=str(from_month),
                                  to_month=str(to_month) if to_month else None, reason=relief.reason,
                                  decision=relief.decision)
        audit.record("fee_relief", member_id, "create", {
            "kind": [None, kind.value], "percent": [None, percent], "from_month": [None, str(from_month)],
            "to_month": [None, str(to_month) if to_month else None]}, relief.reason)
    return Relief(member_id, kind, from_month, to_month, percent, relief.reason, relief.decision, row.id)


def cancel_relief(relief_id: int, reason: str) -> None:
    row = fm.FeeRelief.get_or_none(fm.FeeRelief.id == relief_id)
    if row is None or row.cancelled_at is not None:
        raise NotFound(_("Không có quyết định miễn/giảm số {id}.").format(id=relief_id))
    if not reason.strip():
        raise _fail("fee.reason", _("cần ghi lý do hủy."))
    with database.atomic():
        fm.FeeRelief.update(cancelled_at=fm.now(), cancel_reason=reason.strip()).where(
            fm.FeeRelief.id == relief_id).execute()
        audit.record("fee_relief", row.member_id, "cancel", {"id": [relief_id, None]}, reason.strip())


def collector_name() -> str:
    name = str(settings.get("fees.collector")).strip()
    if name:
        return name
    info = cell_service.get_cell()
    return info.secretary_name if info else ""


def record_payment(member_id: int, *, amount: int, month_from: Month, month_to: Month | None = None,
                   paid_on: dt.date | None = None, channel: Channel | str = Channel.CASH, reference: str = "",
                   received_by: str | None = None, note: str = "", today: dt.date | None = None) -> Payment:
    """Thu đảng phí: one payment for one or more months; refused whole when anything is wrong."""
    today = _today(today)
    paid_on = paid_on or today
    month_to = month_to or month_from
    period_lock.check_open(paid_on, _("Khoản thu đảng phí"))
    try:
        channel = Channel(channel)
    except ValueError:
        raise _fail("fee.channel", _("«{value}» không có; chọn cash (tiền mặt) hoặc portal (Cổng DVCQG).").format(
            value=channel)) from None
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise _fail("fee.amount", _("số tiền phải là số đồng nguyên."))
    facts = member_facts(member_id)
    _checked(check_payment(facts, amount, month_from, month_to, paid_on, today))
    warnings = _already_paid_warnings(facts, member_id, month_from, month_to, today)
    received_by = collector_name() if received_by is None else received_by.strip()
    with database.atomic():
        receipt = None
        if channel is Channel.CASH and setting("fees.receipt_numbers") == 1:
            receipt = fm.next_receipt_no(paid_on.year)
        row = fm.FeePayment.create(member=member_id, amount=amount, paid_on=paid_on, month_from=str(month_from),
                                   month_to=str(month_to), channel=channel.value, reference=reference.strip(),
                                   received_by=received_by, receipt_no=receipt, note=note.strip())
        audit.record("fee_payment", member_id, "create", {
            "amount": [None, amount], "paid_on": [None, paid_on.isoformat()], "months": [None, f"{month_from}..{month_to}"],
            "channel": [None, channel.value], "reference": [None, reference.strip()]})
    return Payment(member_id, amount, paid_on, month_from, month_to, channel, reference.strip(), received_by, receipt,
                   note.strip(), row.id, warnings)


def _already_paid_warnings(facts: MemberFacts, member_id: int, month_from: Month, month_to: Month,
                           today: dt.date) -> tuple[str, ...]:
    """When every month paid for is already paid in full, the money is kept as a voluntary extra: say so."""
    found, rules, options = payments(member_id), rule_book(), flag_options()
    member_excuses = excuses(member_id)
    books: dict[int, MemberYear] = {}
    for month in mo.month_range(month_from, month_to):
        if month.year not in books:
            books[month.year] = member_year(facts, found, member_excuses, rules, month.year, today, options)
        line = books[month.year].line(month)
        if line.due.amount <= 0 or line.outstanding > 0:
            return ()
    if month_from == month_to:
        text = _("Lưu ý: tháng {month} đã đóng đủ; số tiền này ghi là đóng thêm tự nguyện.").format(
            month=mo.label(month_from))
    else:
        text = _("Lưu ý: các tháng {start}–{end} đã đóng đủ; số tiền này ghi là đóng thêm tự nguyện.").format(
            start=mo.label(month_from), end=mo.label(month_to))
    return (text,)


def outstanding(member_id: int, month: Month, today: dt.date | None = None) -> tuple[Due, int]:
    """(the month's due, what is still unpaid of it today)."""
    today = _today(today)
    facts = member_facts(member_id)
    result = member_year(facts, payments(member_id), excuses(member_id), rule_book(), month.year, today,
                         flag_options())
    line = result.line(month)
    return line.due, line.outstanding


def pay_due(member_id: int, month: Month, *, today: dt.date | None = None, channel: Channel | str = Channel.CASH,
            paid_on: dt.date | None = None) -> Payment:
    """The two-keystroke payment: what is still owed for the month, in cash, today."""
    due_, left = outstanding(member_id, month, today)
    refusal = nothing_to_pay(due_, left)
    if refusal:
        raise ServiceError(refusal)
    return record_payment(member_id, amount=left, month_from=month, paid_on=paid_on, channel=channel, today=today)


def pay_oldest_due(member_id: int, month: Month, *, today: dt.date | None = None,
                   channel: Channel | str = Channel.CASH, paid_on: dt.date | None = None) -> Payment:
    """Enter on a month: what is still owed for the member's oldest month of that year up to it (on the book,
    no good reason recorded), or for the month itself when nothing older is owed. payment.month_from says
    which month was paid."""
    today = _today(today)
    line = member_line(month.year, member_id, today)
    oldest = oldest_unpaid(line, month) if line is not None else None
    return pay_due(member_id, oldest or month, today=today, channel=channel, paid_on=paid_on)


def expected_amount(member_id: int, *, month_from: Month, month_to: Month | None = None,
                    today: dt.date | None = None) -> int:
    """What a payment for these months should come to: what is still owed for them, or, when nothing is,
    what they are due (a second payment for months already paid)."""
    today = _today(today)
    month_to = month_to or month_from
    lines = []
    for year in range(month_from.year, min(month_to.year, month_from.year + 2) + 1):
        found = member_line(year, member_id, today)
        if found is not None:
            lines += [line for line in found.lines if month_from <= line.month <= month_to and line.in_book]
    return sum(line.outstanding for line in lines) or sum(line.due.amount for line in lines)


def amount_question(member_id: int, *, amount: int, month_from: Month, month_to: Month | None = None,
                    today: dt.date | None = None) -> str | None:
    """The question to ask before recording an amount far from what the months call for (below it ÷ the
    setting fees.confirm_factor or above it × the factor), naming both amounts; None when it is ordinary."""
    factor = int(setting("fees.confirm_factor"))
    expected = expected_amount(member_id, month_from=month_from, month_to=month_to, today=today)
    if not unusual_amount(amount, expected, factor):
        return None
    month_to = month_to or month_from
    months = span_label(month_from, month_to)
    if amount < expected:
        text = _("Đồng chí {name}: số tiền ghi là {amount}, nhỏ hơn nhiều so với số phải đóng tháng {months} là "
                 "{expected}. Có gõ thiếu chữ số không?\n\nVẫn ghi khoản thu {amount}?")
    else:
        text = _("Đồng chí {name}: số tiền ghi là {amount}, lớn hơn nhiều so với số phải đóng tháng {months} là "
                 "{expected}. Có gõ thừa chữ số không?\n\nVẫn ghi khoản thu {amount}?")
    return text.format(name=member_facts(member_id).member.full_name, amount=format_money(amount), months=months,
                       expected=format_money(expected))


def cancel_payment(payment_id: int, reason: str) -> Payment:
    row = fm.FeePayment.get_or_none(fm.FeePayment.id == payment_id)
    if row is None:
        raise NotFound(_("Không có khoản thu số {id}.").format(id=payment_id))
    if row.cancelled_at is not None:
        raise ServiceError(_("Khoản thu số {id} đã được hủy trước đó.").format(id=payment_id))
    if not reason.strip():
        raise _fail("fee.reason", _("cần ghi lý do hủy khoản thu."))
    period_lock.check_open(row.paid_on, _("Khoản thu đảng phí"))
    with database.atomic():
        fm.FeePayment.update(cancelled_at=fm.now(), cancel_reason=reason.strip()).where(
            fm.FeePayment.id == payment_id).execute()
        audit.record("fee_payment", row.member_id, "cancel", {"id": [payment_id, None], "amount": [row.amount, None]},
                     reason.strip())
    return fm.payment(payment_id)


def add_excuse(member_id: int, month: Month, *, reason: str, today: dt.date | None = None) -> Excuse:
    """Ghi lý do chính đáng for a month left unpaid: the month no longer counts towards the R2 flag."""
    today = _today(today)
    facts = member_facts(member_id)
    if not reason.strip():
        raise _fail("fee.reason", _("cần ghi lý do chính đáng."))
    if month > Month.of(today):
        raise _fail("fee.month", _("tháng {month} chưa đến.").format(month=mo.label(month)))
    if not facts.in_book(month):
        raise _fail("fee.month", _("tháng {month}: đồng chí không sinh hoạt tại chi bộ.").format(month=mo.label(month)))
    if any(e.month == month for e in excuses(member_id)):
        raise _fail("fee.month", _("tháng {month} đã có lý do chính đáng.").format(month=mo.label(month)))
    with database.atomic():
        row = fm.FeeExcuse.create(member=member_id, month=str(month), reason=reason.strip())
        audit.record("fee_excuse", member_id, "create", {"month": [None, str(month)]}, reason.strip())
    return Excuse(member_id, month, reason.strip(), row.id)


def cancel_excuse(excuse_id: int) -> None:
    row = fm.FeeExcuse.get_or_none(fm.FeeExcuse.id == excuse_id)
    if row is None or row.cancelled_at is not None:
        raise NotFound(_("Không có lý do chính đáng số {id}.").format(id=excuse_id))
    with database.atomic():
        fm.FeeExcuse.update(cancelled_at=fm.now()).where(fm.FeeExcuse.id == excuse_id).execute()
        audit.record("fee_excuse", row.member_id, "cancel", {"month": [row.month, None]})


def add_remittance(month: Month, *, amount: int, paid_on: dt.date | None = None, channel: Channel | str = Channel.CASH,
                   reference: str = "", note: str = "", today: dt.date | None = None) -> Remittance:
    """Nộp đảng phí lên cấp trên for a month."""
    today = _today(today)
    paid_on = paid_on or today
    channel = Channel(channel)
    issues = []
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        issues.append(Issue("fee.amount", _("phải là số đồng nguyên lớn hơn 0.")))
    elif amount > MAX_AMOUNT:
        issues.append(Issue("fee.amount", _("{amount} quá lớn; xin kiểm tra lại.").format(amount=format_money(amount))))
    if paid_on > today:
        issues.append(Issue("fee.paid_on", _("ngày {day} ở tương lai.").format(day=format_date(paid_on))))
    if month > Month.of(today):
        issues.append(Issue("fee.month", _("tháng {month} chưa đến.").format(month=mo.label(month))))
    _checked(issues)
    month_left, year_left = still_to_remit(month, today)
    if amount > max(month_left, year_left):
        raise _fail("fee.amount", _("{amount} nhiều hơn số còn phải nộp cấp trên: tháng {month} còn {left}, "
                                    "từ đầu năm đến tháng {month} còn {year_left}.").format(
            amount=format_money(amount), month=mo.label(month), left=format_money(month_left),
            year_left=format_money(year_left)))
    with database.atomic():
        row = fm.FeeRemittance.create(month=str(month), amount=amount, paid_on=paid_on, channel=channel.value,
                                      reference=reference.strip(), note=note.strip())
        audit.record("fee_remittance", row.id, "create", {"month": [None, str(month)], "amount": [None, amount]})
    return Remittance(month, amount, paid_on, channel, reference.strip(), note.strip(), row.id)


def still_to_remit(month: Month, today: dt.date | None = None) -> tuple[int, int]:
    """(still to remit for the month, still to remit for the year up to and including it), never below 0."""
    rows = [r for r in year_book(month.year, _today(today)).month_rows() if r.month <= month]
    month_left = sum(r.not_remitted for r in rows if r.month == month)
    year_left = sum(r.not_remitted for r in rows)
    return max(0, month_left), max(0, year_left)


def cancel_remittance(remittance_id: int, reason: str) -> None:
    row = fm.FeeRemittance.get_or_none(fm.FeeRemittance.id == remittance_id)
    if row is None or row.cancelled_at is not None:
        raise NotFound(_("Không có khoản nộp cấp trên số {id}.").format(id=remittance_id))
    with database.atomic():
        fm.FeeRemittance.update(cancelled_at=fm.now(), cancel_reason=reason.strip()).where(
            fm.FeeRemittance.id == remittance_id).execute()
        audit.record("fee_remittance", remittance_id, "cancel", {"amount": [row.amount, None]}, reason.strip())


def set_rule_value(key: RuleKey | str, *, from_month: Month, value: dict, note: str = "") -> RuleValue:
    """A new dated figure (e.g. next year's minimum wage); earlier ones stay for the months they covered."""
    try:
        key = RuleKey(key)
    except ValueError:
        raise _fail("fee.rule", _("«{key}» không có; chọn một trong: {keys}.").format(
            key=key, keys=", ".join(k.value for k in RuleKey))) from None
    try:
        cleaned = validate_value(key, value)
    except RuleValueError as exc:
        raise _fail("fee.rule", f"{key.label}: {exc}") from None
    with database.atomic():
        row = fm.FeeRuleValue.create(key=key.value, effective_from=str(from_month),
                                     value=json.dumps(cleaned, ensure_ascii=False), note=note.strip())
        audit.record("fee_rule_value", row.id, "create", {key.value: [None, cleaned],
                                                          "effective_from": [None, str(from_month)]}, note.strip())
    return RuleValue(key, from_month, cleaned, note.strip(), row.id)


def remove_rule_value(rule_id: int) -> None:
    row = fm.FeeRuleValue.get_or_none(fm.FeeRuleValue.id == rule_id)
    if row is None or row.removed_at is not None:
        raise NotFound(_("Không có định mức số {id} (định mức mặc định không xóa được).").format(id=rule_id))
    with database.atomic():
        fm.FeeRuleValue.update(removed_at=fm.now()).where(fm.FeeRuleValue.id == rule_id).execute()
        audit.record("fee_rule_value", rule_id, "remove", {row.key: [json.loads(row.value), None]})


# ---------------------------------------------------------------- reports


@dataclass
class ReportLine:
    """One member in the monthly announcement to the meeting: who paid, who has not."""

    member_id: int
    name: str
    state: PaidState
    due: int
    paid: int
    outstanding: int
    late_months: int
    explanation: str


def monthly_report(month: Month, today: dt.date | None = None, book: YearBook | None = None) -> list[ReportLine]:
    """Thông báo tình hình đóng đảng phí tháng: every member on the book that month."""
    book = book or year_book(month.year, today)
    lines = []
    for member in book.members:
        line = member.line(month)
        if not line.in_book:
            continue
        lines.append(ReportLine(member.member_id, member.name, paid_state(line), line.due.amount, line.paid_for,
                                line.outstanding, len(member.late_months), line.due.explanation))
    return lines


def arrears(year: int, today: dt.date | None = None, book: YearBook | None = None) -> list[dict]:
    """Nợ đảng phí: for each member who owes anything, what and for which months (JSON-ready)."""
    today = _today(today)
    book = book or year_book(year, today)
    flagged = {f.member_id: f for f in book.flags}
    result = []
    for member in book.members:
        owed = member.arrears(today)
        months = [
            {"month": str(line.month), "due": line.due.amount, "paid": line.paid_for, "unpaid": line.outstanding,
             "excused": line.excused, "late": line.late}
            for line in member.lines if line.outstanding > 0 and line.month <= Month.of(today)
        ]
        if not owed and not months and member.member_id not in flagged:
            continue
        flag = flagged.get(member.member_id)
        result.append({
            "member_id": member.member_id, "name": member.name, "arrears": owed,
            "arrears_text": format_money(owed), "owed_before_year": member.still_owed_before,
            "months": months, "late_months": [str(m) for m in member.late_months],
            "flag": flag.message if flag else None,
        })
    return result
