"""Backup and restore speed on a 200-member cell with ten years of history.

Run: python3 bench/bench_backup.py
Target (issue 3): a backup of a 200-member, 10-year database under 1 s.
"""
from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def build(db_path: Path) -> None:
    """200 members; ten years of edits and status changes, each with its change-history rows."""
    from app.domain.cell import CellInfo
    from app.domain.members import Member, MemberStatus, StatusChange, initial_history
    from app.services import cell, members
    from app.storage import audit
    from app.storage import db as storage
    from app.storage.models import database

    storage.open_database(db_path)
    cell.save_cell(CellInfo(name="Chi bộ thôn Đông", superior_name="Đảng bộ xã Hòa Bình"))
    today = dt.date(2026, 11, 23)
    items = []
    for i in range(200):
        member = Member(full_name=f"Nguyễn Văn Người {i:03d}", birth_date=dt.date(1950 + i % 40, 1 + i % 12, 1 + i % 28),
                        admission_date=dt.date(2000 + i % 15, 3, 1), official_date=dt.date(2001 + i % 15, 3, 1),
                        card_number=str(20_000_000 + i)).normalized()
        history = initial_history(member, today)
        if i % 10 == 0:
            history.append(StatusChange(MemberStatus.EXEMPT, dt.date(2020, 1, 1), "Tuổi cao"))
        items.append((member, history))
    with database.atomic():
        ids = members.insert_members(items)
        # Ten years of monthly edits per member: 24,000 change-history rows.
        audit.record_many([audit.entry("member", member_id, "update", {"notes": [str(m), str(m + 1)]}, "ghi chép")
                           for member_id in ids for m in range(120)])


def main() -> None:
    from app.services import safety
    from app.storage import db as storage

    folder = Path(tempfile.mkdtemp(prefix="chibo-bench-"))
    db_path = folder / "cell.sqlite"
    build(db_path)
    size = db_path.stat().st_size + Path(f"{db_path}-wal").stat().st_size
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        made = safety.backup_now()
        timings.append(time.perf_counter() - start)
    start = time.perf_counter()
    safety.restore_from(made)
    restore_s = time.perf_counter() - start
    safety.encrypt_database("mat-khau-thu-nghiem")
    start = time.perf_counter()
    safety.backup_now()
    encrypted_s = time.perf_counter() - start
    storage.close_database()
    print(f"database: 200 members, 24,000+ change-history rows, {size / 1e6:.1f} MB")
    print(f"backup (copy + integrity check + thinning): best {min(timings) * 1000:.0f} ms, "
          f"worst {max(timings) * 1000:.0f} ms  (target < 1 s)")
    print(f"encrypted backup: {encrypted_s * 1000:.0f} ms")
    print(f"restore (check, backup of current state, stage, swap): {restore_s * 1000:.0f} ms")


if __name__ == "__main__":
    main()
