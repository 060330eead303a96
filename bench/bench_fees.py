"""Party-fee speed with a large cell: 200 members over 10 years (24,000 member-months).

Run: python3 bench/bench_fees.py [MEMBERS] [YEARS]     (default 200 members, 10 years: 2017–2026)
Targets (issue 5): the year's dues and arrears < 0.5 s; the year's fee book PDF < 2 s.
"""
from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 12, 31)
FAMILY = "Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Bùi Đỗ Hồ Ngô Dương Lý Phan Trịnh Đinh Lương Âu Đoàn Lò".split()
MIDDLE = "Văn Thị Quốc Đức Minh Hữu Công Ngọc Thu Kim Hồng".split()
GIVEN = "Hùng Sơn Minh Thắng Lực Đức Tiến Quang Khải Bảo Ất Việt Lan Hà Mai Hạnh Yến Ngọc Thủy Oanh Ánh Ư".split()


def build(count: int, years: int) -> tuple[int, int]:
    from app.domain.cell import CellInfo
    from app.domain.dates import Month
    from app.domain.members import Member, Sex, initial_history
    from app.services import cell, fees
    from app.services import members as member_service
    from app.domain.fees import compute_due
    from app.domain import months as mo
    from app.storage import fee_models as fm
    from app.storage.models import bulk_insert, database, now

    rng = random.Random(5)
    first = Month(TODAY.year - years + 1, 1)
    cell.save_cell(CellInfo(name="Chi bộ khu phố 3", superior_name="Đảng bộ phường Tân An", place_name="Tân An",
                            secretary_name="Lê Văn Sơn"), TODAY)
    items = []
    for i in range(count):
        birth = dt.date(rng.randint(1940, 2003), rng.randint(1, 12), rng.randint(1, 28))
        admitted = dt.date(max(birth.year + 19, 1965), birth.month, birth.day)
        admitted = min(admitted, dt.date(2016, 6, 1)) if i % 10 else dt.date(2021, 3, 1)
        member = Member(full_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                        sex=rng.choice(list(Sex)), birth_date=birth, admission_date=admitted,
                        ceremony_date=admitted + dt.timedelta(days=10),
                        official_date=admitted + dt.timedelta(days=375), card_number=str(70_000_000 + i)).normalized()
        items.append((member, initial_history(member, TODAY)))
    stamp = now()
    with database.atomic():
        ids = member_service.insert_members(items)
        profiles = []
        for member_id in ids:
            kind = rng.random()
            if kind < 0.4:
                salary = rng.randrange(5_000_000, 15_000_000, 10_000)
                for year in range(first.year, TODAY.year + 1):
                    profiles.append({"member": member_id, "effective_from": f"{year}-01", "category": "bhxh",
                                     "basis": salary, "region": None, "note": "", "recorded_at": stamp})
                    salary += 250_000
            elif kind < 0.6:
                profiles.append({"member": member_id, "effective_from": str(first), "category": "pension",
                                 "basis": rng.randrange(4_000_000, 9_000_000, 10_000), "region": None, "note": "",
                                 "recorded_at": stamp})
            else:
                profiles.append({"member": member_id, "effective_from": str(first), "category": "other",
                                 "basis": None, "region": rng.randint(1, 4), "note": "", "recorded_at": stamp})
        bulk_insert(fm.FeeProfile, profiles, columns=7)
        reliefs = [{"member": ids[i], "kind": "reduction", "percent": 50, "from_month": "2026-03",
                    "to_month": "2026-12", "reason": "Khó khăn", "decision": "", "recorded_at": stamp}
                   for i in range(0, count, 25)]
        bulk_insert(fm.FeeRelief, reliefs, columns=8)
        facts = fees._facts()
        rules = fees.rule_book()
        payments = []
        for member_id in ids:
            f = facts[member_id]
            for month in mo.month_range(first, Month.of(TODAY)):
                due = compute_due(f, month, rules.for_month(month))
                if due.amount <= 0 or rng.random() < 0.04:
                    continue  # a few months left unpaid, so there are arrears and warnings
                payments.append({"member": member_id, "amount": due.amount,
                                 "paid_on": month.first_day() + dt.timedelta(days=rng.randint(2, 20)),
                                 "month_from": str(month), "month_to": str(month),
                                 "channel": "portal" if rng.random() < 0.3 else "cash", "reference": "",
                                 "received_by": "Lê Văn Sơn", "receipt_no": None, "note": "", "recorded_at": stamp})
        bulk_insert(fm.FeePayment, payments, columns=12)
    return len(ids), len(payments)


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    years = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    from app.services import fee_printing, fees
    from app.storage.db import close_database, open_database

    with tempfile.TemporaryDirectory(prefix="chibo-bench-fees-") as folder:
        open_database(Path(folder) / "fees.sqlite")
        start = time.perf_counter()
        members, payments = build(count, years)
        print(f"built {members} members × {years} years ({members * years * 12:,} member-months), "
              f"{payments:,} payments in {time.perf_counter() - start:.1f} s")
        book_time, book = timed(lambda: fees.year_book(TODAY.year, TODAY))
        arrears_time, rows = timed(lambda: fees.arrears(TODAY.year, TODAY))
        print(f"year's dues and arrears (year_book): {book_time:.3f} s  (target < 0.5 s)")
        print(f"arrears listing (fees arrears --json): {arrears_time:.3f} s  "
              f"({len(rows)} members owe, {len(book.flags)} warnings)")
        # From the database to the file: the book is computed again inside, as the window and `print` do.
        pdf_time, _ = timed(lambda: fee_printing.print_fee_book(TODAY.year, Path(folder) / "so.pdf", today=TODAY), 2)
        pages = (Path(folder) / "so.pdf").read_bytes().count(b"/Type /Page\n") or "?"
        print(f"year's fee book PDF: {pdf_time:.3f} s  (target < 2 s; {pages} pages)")
        close_database()
    ok = book_time < 0.5 and pdf_time < 2.0
    print("OK" if ok else "SLOWER THAN THE TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
