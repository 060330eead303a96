"""Party fees for the demo cell: realistic profiles, exemptions and payments from 01/2025 up to today."""
from __future__ import annotations

import datetime as dt
import random

from app.domain import months as mo
from app.domain.dates import Month
from app.domain.fees import FeeCategory, MemberFacts, compute_due
from app.services import cell as cell_service
from app.services import fees, settings
from app.storage import audit
from app.storage import fee_models as fm
from app.storage.models import bulk_insert, database, next_id, now

DEMO_START = Month(2025, 1)
# Thôn Đông, xã Hòa Bình: a rural commune, minimum-wage region III.
DEMO_REGION = 3
_SALARIED = ("giáo viên", "y sĩ", "kế toán", "viên chức", "công nhân")


def build(today: dt.date | None = None) -> int:
    """Add fee profiles, a few exemptions and reductions, payments and remittances to the demo cell;
    returns how many payments were made. Deterministic for a given `today`."""
    today = today or dt.date.today()
    rng = random.Random(20260201)
    facts = fees._facts()
    stamp = now()
    info = cell_service.get_cell()
    # The deputy collects the fees, as in many village cells: the book is signed by her as người ghi sổ and
    # by the secretary for the cell.
    collector = info.deputy_name if info else ""
    with database.atomic():
        if collector:
            settings.set_value("fees.collector", collector)
        profiles, reliefs = [], []
        for index, member_facts in enumerate(facts.values()):
            p, r = _profile_rows(rng, index, member_facts, today)
            profiles += p
            reliefs += r
        bulk_insert(fm.FeeProfile, [{**row, "recorded_at": stamp} for row in profiles], columns=7)
        bulk_insert(fm.FeeRelief, [{**row, "recorded_at": stamp} for row in reliefs], columns=8)
        facts = fees._facts()
        rules = fees.rule_book()
        payments = []
        for index, member_facts in enumerate(facts.values()):
            payments += _payments(rng, index, member_facts, rules, today, collector=collector)
        _number_receipts(payments)
        bulk_insert(fm.FeePayment, [{**row, "recorded_at": stamp} for row in payments], columns=12)
        excuses = _excuses(facts, today)
        bulk_insert(fm.FeeExcuse, [{**row, "recorded_at": stamp} for row in excuses], columns=4)
        remittances = _remittances(payments, today)
        first_remittance = next_id(fm.FeeRemittance)
        bulk_insert(fm.FeeRemittance, [{**row, "recorded_at": stamp} for row in remittances], columns=7)
        audit.record_many(_history(profiles, reliefs, payments, excuses, remittances, first_remittance))
    return len(payments)


def _history(profiles: list[dict], reliefs: list[dict], payments: list[dict], excuses: list[dict],
             remittances: list[dict], first_remittance: int) -> list[dict]:
    """The history entries the fee services write for the same rows, so the demo's history accounts for
    every row, as history_check.verify expects."""
    entry = audit.entry
    entries = [entry("fee_profile", r["member"], "create", {
        "effective_from": [None, r["effective_from"]], "category": [None, r["category"]], "basis": [None, r["basis"]],
        "region": [None, r["region"]]}, r["note"]) for r in profiles]
    entries += [entry("fee_relief", r["member"], "create", {
        "kind": [None, r["kind"]], "percent": [None, r["percent"]], "from_month": [None, r["from_month"]],
        "to_month": [None, r["to_month"]]}, r["reason"]) for r in reliefs]
    entries += [entry("fee_payment", r["member"], "create", {
        "amount": [None, r["amount"]], "paid_on": [None, r["paid_on"].isoformat()],
        "months": [None, f"{r['month_from']}..{r['month_to']}"], "channel": [None, r["channel"]],
        "reference": [None, r["reference"]]}) for r in payments]
    entries += [entry("fee_excuse", r["member"], "create", {"month": [None, r["month"]]}, r["reason"]) for r in excuses]
    entries += [entry("fee_remittance", first_remittance + i, "create", {"month": [None, r["month"]],
                                                                        "amount": [None, r["amount"]]})
                for i, r in enumerate(remittances)]
    return entries


def _age(member_facts: MemberFacts, day: dt.date) -> int:
    birth = member_facts.member.birth_date
    return (day - birth).days // 365 if birth else 40


def _profile_rows(rng: random.Random, index: int, f: MemberFacts, today: dt.date) -> tuple[list[dict], list[dict]]:
    first = f.first_book_month()
    if first is None:
        return [], []
    start = max(DEMO_START, first)
    member_id = f.member.id
    occupation = f.member.occupation
    age = _age(f, today)
    rows: list[dict] = []

    def add(month: Month, category: FeeCategory, basis: int | None = None, region: int | None = None,
            note: str = "") -> None:
        rows.append({"member": member_id, "effective_from": str(month), "category": category.value, "basis": basis,
                     "region": region, "note": note})

    if age < 24:
        add(start, FeeCategory.STUDENT, note="Sinh viên")
    elif occupation == "hưu trí" or (age >= 62 and index % 2 == 0):
        add(start, FeeCategory.PENSION, rng.randrange(4_200_000, 9_800_000, 10_000))
    elif occupation in _SALARIED:
        salary = rng.randrange(5_500_000, 14_000_000, 10_000)
        add(start, FeeCategory.BHXH, salary)
        # A pay rise from January 2026: the new salary counts from the February 2026 fee.
        add(max(start, Month(2026, 1)), FeeCategory.BHXH, salary + rng.randrange(300_000, 900_000, 10_000),
            note="Nâng lương")
        if index % 7 == 3 and f.member.sex and f.member.sex.value == "nu" and age < 45:
            add(Month(2026, 3), FeeCategory.BENEFIT, 6_900_000, note="Nghỉ thai sản")
            add(Month(2026, 9), FeeCategory.BHXH, salary + 500_000, note="Đi làm lại sau thai sản")
    else:
        add(start, FeeCategory.OTHER, region=DEMO_REGION)
    reliefs: list[dict] = []
    if index == 8:
        reliefs.append({"member": member_id, "kind": "hardship", "percent": 100, "from_month": "2026-02",
                        "to_month": "2027-01", "reason": "Hộ cận nghèo năm 2026", "decision": "QĐ số 12 ngày 20/02/2026"})
    if index == 14:
        reliefs.append({"member": member_id, "kind": "reduction", "percent": 50, "from_month": "2026-04",
                        "to_month": "2026-09", "reason": "Bệnh dài ngày, gia đình khó khăn",
                        "decision": "QĐ số 27 ngày 28/3/2026"})
    return rows, reliefs


def _habit(index: int) -> str:
    """How a member pays: most monthly at the meeting, some on the Portal, some by the quarter, two late."""
    if index in (6, 21):
        return "late"
    if index == 26:
        return "stopped"
    if index % 9 == 4:
        return "quarterly"
    if index % 5 == 2:
        return "portal"
    return "monthly"


def _payments(rng: random.Random, index: int, f: MemberFacts, rules, today: dt.date, *,
              collector: str) -> list[dict]:
    first = f.first_book_month()
    if first is None or not f.profiles:
        return []
    habit = _habit(index)
    current = Month.of(today)
    start = max(DEMO_START, first)
    dues = {m: compute_due(f, m, rules.for_month(m)) for m in mo.month_range(start, current)}
    rows = []

    def pay(months: list[Month], day: dt.date, channel: str = "cash") -> None:
        amount = sum(dues[m].amount for m in months if m in dues)
        if amount <= 0 or day > today:
            return
        rows.append({"member": f.member.id, "amount": amount, "paid_on": day, "month_from": str(months[0]),
                     "month_to": str(months[-1]), "channel": channel,
                     "reference": f"DVC{day:%y%m%d}{rng.randint(100000, 999999)}" if channel == "portal" else "",
                     "received_by": "" if channel == "portal" else collector, "receipt_no": None, "note": ""})

    payable = [m for m in dues if dues[m].in_book and dues[m].amount > 0]
    if habit == "quarterly":
        for m in payable:
            if m.month % 3 == 1:
                quarter = [q for q in (m, m.add(1), m.add(2)) if q in dues or q > current]
                extra = [q for q in quarter if q > current]
                for q in extra:  # paying ahead for months not yet come: this month's due carries on
                    dues[q] = dues[m]
                pay(quarter, m.first_day() + dt.timedelta(days=rng.randint(3, 9)))
        return rows
    for position, m in enumerate(payable):
        meeting_day = m.first_day() + dt.timedelta(days=rng.randint(3, 9))
        if habit == "stopped" and m >= Month(2026, 6):
            continue
        if habit == "late":
            if m.month % 2 == 1 and m.add(1) in dues:
                continue  # paid together with the next month
            months = [m.add(-1), m] if m.month % 2 == 0 and m.add(-1) in dues else [m]
            pay(months, meeting_day + dt.timedelta(days=12))
            continue
        if habit == "portal" and m >= Month(2026, 2):
            pay([m], meeting_day + dt.timedelta(days=rng.randint(0, 6)), "portal")
            continue
        pay([m], meeting_day)
    return rows


def _number_receipts(payments: list[dict]) -> None:
    counters: dict[int, int] = {}
    for row in sorted(payments, key=lambda r: r["paid_on"]):
        if row["channel"] == "cash":
            counters[row["paid_on"].year] = counters.get(row["paid_on"].year, 0) + 1
            row["receipt_no"] = counters[row["paid_on"].year]


def _excuses(facts: dict[int, MemberFacts], today: dt.date) -> list[dict]:
    """One of the late payers had a good reason for one month (in hospital)."""
    members = list(facts.values())
    if len(members) <= 21:
        return []
    target = members[21]
    month = Month(2026, 3)
    if target.in_book(month) and month <= Month.of(today):
        return [{"member": target.member.id, "month": str(month), "reason": "Nằm viện điều trị cả tháng"}]
    return []


def _remittances(payments: list[dict], today: dt.date) -> list[dict]:
    """Each month's share for the superior, sent on the 20th; the current month's not yet sent."""
    info = cell_service.get_cell()
    level = info.cell_level.value if info else "truc_thuoc"
    rules = fees.rule_book()
    collected: dict[Month, int] = {}
    for row in payments:
        month = Month.of(row["paid_on"])
        collected[month] = collected.get(month, 0) + row["amount"]
    rows = []
    for month, amount in sorted(collected.items()):
        day = month.first_day().replace(day=20)
        if day >= today:
            continue
        share = rules.for_month(month).retained_share.get(level)
        retained = (2 * amount * share.numerator + share.denominator) // (2 * share.denominator)
        if amount - retained > 0:
            rows.append({"month": str(month), "amount": amount - retained, "paid_on": day, "channel": "cash",
                         "reference": "", "note": "Nộp Đảng ủy xã"})
    return rows
