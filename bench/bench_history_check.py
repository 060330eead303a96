"""How long `check-db` takes to verify the change history (the hash chain and every row against it).

Run: python3 bench/bench_history_check.py [MEMBERS ...]     (default: 200 and 3000 members, 10 years of
monthly fee payments each, every payment with its history entry, as the fee service writes them)
A cell has 5 to 200 members; 3,000 is a large Đảng ủy's whole roster, 10,000 the roster benchmark's.
"""
from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 12, 31)
YEARS = range(2017, 2027)


def build(count: int) -> None:
    from app.domain.cell import CellInfo
    from app.domain.members import Member, Sex, initial_history
    from app.services import cell, demo_fees
    from app.services import members as member_service
    from app.storage import audit
    from app.storage import fee_models as fm
    from app.storage.models import bulk_insert, database, now

    cell.save_cell(CellInfo(name="Chi bộ khu phố 3", superior_name="Đảng bộ phường Tân An", place_name="Tân An"),
                   TODAY)
    items = []
    for i in range(count):
        member = Member(full_name=f"Nguyễn Văn Số{i}", sex=Sex.MALE, birth_date=dt.date(1970, 1, 1 + i % 28),
                        admission_date=dt.date(2010, 3, 1), official_date=dt.date(2011, 3, 20),
                        card_number=str(70_000_000 + i)).normalized()
        items.append((member, initial_history(member, TODAY)))
    stamp = now()
    with database.atomic():
        ids = member_service.insert_members(items)
        profiles = [{"member": i, "effective_from": "2017-01", "category": "other", "basis": None, "region": 1,
                     "note": ""} for i in ids]
        bulk_insert(fm.FeeProfile, [{**r, "recorded_at": stamp} for r in profiles], columns=7)
        payments = [{"member": i, "amount": 25_930, "paid_on": dt.date(y, m, 5), "month_from": f"{y}-{m:02d}",
                     "month_to": f"{y}-{m:02d}", "channel": "cash", "reference": "", "received_by": "Lê Văn Sơn",
                     "receipt_no": None, "note": ""} for i in ids for y in YEARS for m in range(1, 13)]
        bulk_insert(fm.FeePayment, [{**r, "recorded_at": stamp} for r in payments], columns=12)
        audit.record_many(demo_fees._history(profiles, [], payments, [], [], 1))


def main(argv: list[str]) -> int:
    from app.services import history_check
    from app.storage import db as storage

    sizes = [int(a) for a in argv] or [200, 3000]
    for count in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            storage.open_database(Path(tmp) / "chibo.sqlite")
            build(count)
            start = time.perf_counter()
            result = history_check.verify()
            seconds = time.perf_counter() - start
            storage.close_database()
        print(f"{count} members × {len(YEARS)} years: {result['entries']:,} history entries verified in "
              f"{seconds:.2f} s, {len(result['findings'])} findings")
        if result["findings"]:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
