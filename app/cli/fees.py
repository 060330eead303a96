"""Command line for party fees: profiles, exemptions, dues, payments, arrears, flags, rules and the XLSX book."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from app.cli.common import UsageError, date_option, print_json
from app.domain.dates import DateParseError, format_date, iso
from app.i18n import _

CATEGORIES = ("bhxh", "benefit", "pension", "student", "other")


def register(sub) -> None:
    fees = sub.add_parser("fees", help=_("đảng phí: mức đóng, miễn giảm, thu, nợ, sổ"))
    cmds = fees.add_subparsers(dest="action", required=True)

    p = cmds.add_parser("profile", help=_("khai đối tượng đóng đảng phí từ một tháng (không có --category: xem lịch sử)"))
    p.add_argument("member_id", type=int)
    p.add_argument("--category", choices=CATEGORIES)
    p.add_argument("--from", dest="from_month", help="YYYY-MM")
    p.add_argument("--basis", help=_("tiền lương BHXH / trợ cấp / lương hưu (đồng)"))
    p.add_argument("--region", type=int, choices=(1, 2, 3, 4), help=_("vùng lương tối thiểu nơi sinh hoạt"))
    p.add_argument("--note", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_profile)

    p = cmds.add_parser("exempt", help=_("ghi quyết định miễn đảng phí"))
    p.add_argument("member_id", type=int)
    p.add_argument("--from", dest="from_month", required=True, help="YYYY-MM")
    p.add_argument("--to", dest="to_month", help=_("YYYY-MM (bắt buộc, trừ khi hưởng trợ cấp hưu trí xã hội)"))
    p.add_argument("--reason", required=True)
    p.add_argument("--kind", choices=("hardship", "social_pension"), default="hardship")
    p.add_argument("--decision", default="", help=_("số, ngày quyết định"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_exempt)

    p = cmds.add_parser("reduce", help=_("ghi quyết định giảm đảng phí 30, 50 hoặc 70%% (tối đa 12 tháng)"))
    p.add_argument("member_id", type=int)
    p.add_argument("--percent", type=int, required=True, choices=(30, 50, 70))
    p.add_argument("--from", dest="from_month", required=True, help="YYYY-MM")
    p.add_argument("--to", dest="to_month", required=True, help="YYYY-MM")
    p.add_argument("--reason", default="")
    p.add_argument("--decision", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_reduce)

    p = cmds.add_parser("reliefs", help=_("các quyết định miễn, giảm của một đảng viên"))
    p.add_argument("member_id", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_reliefs)
    p = cmds.add_parser("cancel-relief", help=_("hủy một quyết định miễn, giảm"))
    p.add_argument("relief_id", type=int)
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=_cmd_cancel_relief)

    p = cmds.add_parser("due", help=_("số đảng phí phải đóng của một tháng, và căn cứ"))
    p.add_argument("member_id", type=int)
    p.add_argument("month", help="YYYY-MM")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_due)

    p = cmds.add_parser("pay", help=_("ghi một khoản thu đảng phí"))
    p.add_argument("member_id", type=int)
    p.add_argument("--amount", required=True, help=_("số đồng, ví dụ 15930 hoặc 15.930"))
    p.add_argument("--month", required=True, help=_("tháng đóng (YYYY-MM)"))
    p.add_argument("--to", dest="to_month", help=_("đến tháng, khi đóng nhiều tháng một lần (YYYY-MM)"))
    p.add_argument("--channel", choices=("cash", "portal"), default="cash")
    p.add_argument("--reference", default="", help=_("mã giao dịch trên Cổng DVCQG"))
    p.add_argument("--date", help=_("ngày nộp (dd/mm/yyyy; mặc định hôm nay)"))
    p.add_argument("--received-by", help=_("người thu"))
    p.add_argument("--note", default="")
    p.add_argument("--yes", "--confirm", dest="confirmed", action="store_true",
                   help=_("ghi cả khi số tiền khác xa số phải đóng (không hỏi lại)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_pay)

    p = cmds.add_parser("payments", help=_("các khoản đã thu"))
    p.add_argument("--member", type=int)
    p.add_argument("--year", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_payments)
    p = cmds.add_parser("cancel-payment", help=_("hủy một khoản thu ghi nhầm"))
    p.add_argument("payment_id", type=int)
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=_cmd_cancel_payment)

    p = cmds.add_parser("excuse", help=_("ghi lý do chính đáng cho một tháng chưa đóng"))
    p.add_argument("member_id", type=int)
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=_cmd_excuse)

    for name, text, handler in (("arrears", _("ai còn nợ đảng phí, tháng nào"), _cmd_arrears),
                                ("flags", _("cảnh báo: chưa đóng 3 tháng trở lên trong năm"), _cmd_flags),
                                ("summary", _("tổng hợp thu, nộp hằng tháng (Phần II của sổ)"), _cmd_summary)):
        p = cmds.add_parser(name, help=text)
        p.add_argument("--year", type=int, required=True)
        p.add_argument("--json", action="store_true")
        p.set_defaults(handler=handler)

    p = cmds.add_parser("report", help=_("thông báo tháng: ai đã đóng, ai chưa"))
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_report)

    p = cmds.add_parser("remit", help=_("ghi khoản nộp đảng phí lên cấp trên"))
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.add_argument("--amount", required=True)
    p.add_argument("--date")
    p.add_argument("--channel", choices=("cash", "portal"), default="cash")
    p.add_argument("--reference", default="")
    p.set_defaults(handler=_cmd_remit)

    p = cmds.add_parser("rules", help=_("định mức theo thời gian (lương tối thiểu vùng, tỷ lệ trích giữ lại, …)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_rules)
    p = cmds.add_parser("set-rule", help=_("thêm định mức áp dụng từ một tháng"))
    p.add_argument("key", choices=("min_wage", "retained_share", "rounding", "old_fixed"))
    p.add_argument("value", help=_("min_wage: 5310000,4730000,4140000,3700000; retained_share: truc_thuoc=30,co_so=70; "
                                   "rounding: 1000:up; old_fixed: student=3000,other=10000,other_retired=5000"))
    p.add_argument("--from", dest="from_month", required=True, help="YYYY-MM")
    p.add_argument("--note", default="")
    p.set_defaults(handler=_cmd_set_rule)

    p = cmds.add_parser("export", help=_("xuất sổ thu, nộp đảng phí của một năm ra Excel (.xlsx)"))
    p.add_argument("--year", type=int, required=True)
    p.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(handler=_cmd_export)


# ---------------------------------------------------------------- option parsing


def month_option(value: str | None, option: str):
    from app.domain.months import parse_month

    if value is None:
        return None
    try:
        return parse_month(value)
    except DateParseError:
        raise UsageError(_("{option}: «{value}» không phải tháng hợp lệ (YYYY-MM, ví dụ 2026-02).").format(
            option=option, value=value)) from None


def amount_option(value: str | None, option: str) -> int | None:
    from app.domain.money import MoneyError, parse_money

    if value is None:
        return None
    try:
        return parse_money(value)
    except MoneyError as exc:
        raise UsageError(f"{option}: {exc}") from None


def _money(amount: int) -> str:
    from app.domain.money import format_money

    return format_money(amount)


def _today() -> dt.date:
    return dt.date.today()


def _label(month) -> str:
    """A month as the book writes it: 02/2026."""
    from app.domain.months import label

    return label(month)


def _months_text(start, end) -> str:
    """'tháng 02/2026', or 'tháng 02/2026–04/2026' for several months."""
    if start == end:
        return _("tháng {month}").format(month=_label(start))
    return _("tháng {start}–{end}").format(start=_label(start), end=_label(end))


# ---------------------------------------------------------------- handlers


def _profile_json(p) -> dict:
    return {"id": p.id, "member_id": p.member_id, "from": str(p.effective_from), "category": p.category.value,
            "category_label": p.category.label, "basis": p.basis, "region": p.region, "note": p.note}


def _cmd_profile(args: argparse.Namespace) -> int:
    from app.services import fees

    if args.category is None:
        found = fees.profiles(args.member_id)
        if args.json:
            print_json([_profile_json(p) for p in found])
        for p in [] if args.json else found:
            basis = _money(p.basis) if p.basis is not None else ""
            print(f"{_label(p.effective_from)}  {p.category.label:<45} {basis:>14}  {p.region or ''}")
        return 0
    if args.from_month is None:
        raise UsageError(_("--from: cần tháng bắt đầu áp dụng (YYYY-MM)."))
    profile = fees.set_profile(args.member_id, args.category, from_month=month_option(args.from_month, "--from"),
                               basis=amount_option(args.basis, "--basis"), region=args.region, note=args.note,
                               today=_today())
    if args.json:
        print_json(_profile_json(profile))
    else:
        print(_("Đã ghi: {category} từ tháng {month}.").format(category=profile.category.label,
                                                              month=_label(profile.effective_from)))


def _relief_json(r) -> dict:
    return {"id": r.id, "member_id": r.member_id, "kind": r.kind.value, "percent": r.percent,
            "from": str(r.from_month), "to": str(r.to_month) if r.to_month else None, "reason": r.reason,
            "decision": r.decision, "cancelled": r.cancelled, "text": r.describe()}


def _cmd_exempt(args: argparse.Namespace) -> int:
    from app.services import fees

    relief = fees.add_relief(args.member_id, args.kind, from_month=month_option(args.from_month, "--from"),
                             to_month=month_option(args.to_month, "--to"), reason=args.reason, decision=args.decision)
    print_json(_relief_json(relief)) if args.json else print(_("Đã ghi: {text}.").format(text=relief.describe()))


def _cmd_reduce(args: argparse.Namespace) -> int:
    from app.services import fees

    relief = fees.add_relief(args.member_id, "reduction", from_month=month_option(args.from_month, "--from"),
                             to_month=month_option(args.to_month, "--to"), percent=args.percent, reason=args.reason,
                             decision=args.decision)
    print_json(_relief_json(relief)) if args.json else print(_("Đã ghi: {text}.").format(text=relief.describe()))


def _cmd_reliefs(args: argparse.Namespace) -> int:
    from app.services import fees

    found = fees.reliefs(args.member_id, include_cancelled=True)
    if args.json:
        print_json([_relief_json(r) for r in found])
        return 0
    for r in found:
        print(f"{r.id:>4}  {r.describe()}  {r.reason}{_(' (đã hủy)') if r.cancelled else ''}")


def _cmd_cancel_relief(args: argparse.Namespace) -> int:
    from app.services import fees

    fees.cancel_relief(args.relief_id, args.reason)
    print(_("Đã hủy quyết định số {id}.").format(id=args.relief_id))


def due_json(d) -> dict:
    return {"month": str(d.month), "due": d.amount, "due_text": _money(d.amount), "rule": d.rule,
            "regime": d.regime.value, "explanation": d.explanation, "in_book": d.in_book, "exempt": d.exempt,
            "income": d.income, "reduction_percent": d.reduction,
            "category": d.category.value if d.category else None, "missing_profile": d.missing_profile}


def _cmd_due(args: argparse.Namespace) -> int:
    from app.services import fees

    result = fees.due(args.member_id, month_option(args.month, "MONTH"))
    if args.json:
        print_json(due_json(result))
    else:
        print(f"{_money(result.amount)} — {result.explanation} [{result.regime}]")


def payment_json(p) -> dict:
    return {"id": p.id, "member_id": p.member_id, "amount": p.amount, "paid_on": iso(p.paid_on),
            "month_from": str(p.month_from), "month_to": str(p.month_to), "channel": p.channel.value,
            "reference": p.reference, "received_by": p.received_by, "receipt_no": p.receipt_no, "note": p.note,
            "warnings": list(p.warnings)}


def _cmd_pay(args: argparse.Namespace) -> int:
    from app.services import fees

    amount, month_from = amount_option(args.amount, "--amount"), month_option(args.month, "--month")
    month_to = month_option(args.to_month, "--to")
    question = fees.amount_question(args.member_id, amount=amount, month_from=month_from, month_to=month_to,
                                    today=_today())
    if question and not args.confirmed:
        # The window asks; a script must say it means it, or nothing is written.
        raise UsageError(_("chưa ghi. {question}\nNếu đúng, chạy lại với --yes.").format(
            question=question.replace("\n\n", " ")))
    payment = fees.record_payment(
        args.member_id, amount=amount, month_from=month_from,
        month_to=month_to, paid_on=date_option(args.date, "--date"), channel=args.channel,
        reference=args.reference, received_by=args.received_by, note=args.note, today=_today())
    for warning in payment.warnings:
        print(warning, file=sys.stderr)
    if args.json:
        print_json(payment_json(payment))
    else:
        print(_("Đã thu {amount} ({months}, ngày {day}).").format(
            amount=_money(payment.amount), months=_months_text(payment.month_from, payment.month_to),
            day=format_date(payment.paid_on)))


def _cmd_payments(args: argparse.Namespace) -> int:
    from app.services import fees

    found = fees.payments(args.member, args.year)
    if args.json:
        print_json([payment_json(p) for p in found])
        return 0
    for p in found:
        print(f"{p.id:>5}  {format_date(p.paid_on)}  {p.member_id:>5}  {_money(p.amount):>14}  "
              f"{_label(p.month_from)}–{_label(p.month_to)}  {p.channel.label}  {p.reference}")


def _cmd_cancel_payment(args: argparse.Namespace) -> int:
    from app.services import fees

    payment = fees.cancel_payment(args.payment_id, args.reason)
    print(_("Đã hủy khoản thu số {id} ({amount}).").format(id=payment.id, amount=_money(payment.amount)))


def _cmd_excuse(args: argparse.Namespace) -> int:
    from app.services import fees

    excuse = fees.add_excuse(args.member_id, month_option(args.month, "--month"), reason=args.reason, today=_today())
    print(_("Đã ghi lý do chính đáng cho tháng {month}.").format(month=_label(excuse.month)))


def _cmd_arrears(args: argparse.Namespace) -> int:
    from app.services import fees

    rows = fees.arrears(args.year, _today())
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        months = ", ".join(_label(month_option(m["month"], "month")) for m in row["months"])
        print(f"{row['member_id']:>5}  {row['name']:<30} {row['arrears_text']:>14}  {months}")
        if row["flag"]:
            print(f"       ⚠ {row['flag']}")
    print(_("Cộng: {count} đồng chí còn nợ.").format(count=sum(1 for r in rows if r["arrears"])))


def _cmd_flags(args: argparse.Namespace) -> int:
    from app.services import fees

    book = fees.year_book(args.year, _today())
    data = [{"member_id": f.member_id, "name": f.name, "kind": f.kind.value, "proposes_removal": f.proposes_removal,
             "months": [str(m) for m in f.months], "paid_late": [str(m) for m in f.settled], "unpaid": f.unpaid,
             "message": f.message} for f in book.flags]
    if args.json:
        print_json(data)
        return 0
    for f in book.flags:
        print(f"{f.member_id:>5}  {f.name}: {f.message}")
    if not book.flags:
        print(_("Không có đảng viên nào chưa đóng từ 3 tháng trở lên trong năm {year}.").format(year=args.year))


def summary_json(row) -> dict:
    return {"label": row.label, "kind": row.kind, "month": str(row.month) if row.month else None,
            "members": row.members, "exempt": row.exempt, "unpaid": row.unpaid, "collected": row.collected,
            "retained": row.retained, "to_remit": row.to_remit, "remitted": row.remitted,
            "not_remitted": row.not_remitted, "remitted_on": [iso(d) for d in row.remitted_on],
            # The month of today has not ended: its figures, its quarter's and the year's are provisional.
            "provisional": row.provisional, "future": row.future, "temporary": row.temporary}


def _cmd_summary(args: argparse.Namespace) -> int:
    from app.services import fees

    rows = fees.year_book(args.year, _today()).summary
    if args.json:
        print_json([summary_json(r) for r in rows])
        return 0
    for r in rows:
        mark = _(" (tạm tính)") if r.provisional else ""
        print(f"{r.label:<14} {r.members:>4} {r.exempt:>4} {_money(r.unpaid):>14} {_money(r.collected):>14} "
              f"{_money(r.retained):>14} {_money(r.to_remit):>14} {_money(r.remitted):>14}{mark}")


def _cmd_report(args: argparse.Namespace) -> int:
    from app.services import fees

    lines = fees.monthly_report(month_option(args.month, "--month"), _today())
    if args.json:
        print_json([{"member_id": line.member_id, "name": line.name, "state": line.state.value,
                     "state_label": line.state.label, "due": line.due, "paid": line.paid,
                     "outstanding": line.outstanding, "explanation": line.explanation} for line in lines])
        return 0
    for line in lines:
        print(f"{line.name:<30} {line.state.label:<20} {_money(line.due):>12} {_money(line.paid):>12}")


def _cmd_remit(args: argparse.Namespace) -> int:
    from app.services import fees

    r = fees.add_remittance(month_option(args.month, "--month"), amount=amount_option(args.amount, "--amount"),
                            paid_on=date_option(args.date, "--date"), channel=args.channel, reference=args.reference,
                            today=_today())
    print(_("Đã ghi nộp cấp trên {amount} cho tháng {month}.").format(amount=_money(r.amount), month=_label(r.month)))


def _cmd_rules(args: argparse.Namespace) -> int:
    from app.domain.fee_rules import RuleKey, describe_value
    from app.services import fees

    book = fees.rule_book()
    data = {key.value: [{"id": v.id, "from": str(v.effective_from), "value": v.value, "note": v.note,
                         "default": v.is_default, "text": describe_value(key, v.value)} for v in book.history(key)]
            for key in RuleKey}
    if args.json:
        print_json(data)
        return 0
    for key in RuleKey:
        print(key.label)
        for v in data[key.value]:
            print(f"  {_('từ')} {_label(month_option(v['from'], 'from'))}: {v['text']}{'' if v['default'] else ' *'}")


def _cmd_set_rule(args: argparse.Namespace) -> int:
    from app.domain.fee_rules import RuleKey, RuleValueError, describe_value, parse_text
    from app.services import fees

    key = RuleKey(args.key)
    try:
        value = parse_text(key, args.value)
    except RuleValueError as exc:
        raise UsageError(f"{key.label}: {exc}") from None
    saved = fees.set_rule_value(key, from_month=month_option(args.from_month, "--from"), value=value, note=args.note)
    print(_("Đã lưu {label} từ tháng {month}: {text}.").format(label=key.label, month=_label(saved.effective_from),
                                                             text=describe_value(key, saved.value)))


def _cmd_export(args: argparse.Namespace) -> int:
    from app.services import fee_export

    count = fee_export.export_year(args.year, args.output, today=_today())
    print(_("Đã xuất sổ đảng phí năm {year} ({count} đảng viên) ra {file}.").format(
        year=args.year, count=count, file=args.output))
