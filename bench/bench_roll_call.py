"""Roll call speed on the Sinh hoạt page: forty names ticked with one key each, as a secretary does at a meeting.

Run: QT_QPA_PLATFORM=offscreen python3 bench/bench_roll_call.py [MEMBERS] [ROUNDS]   (default 40 members, 10 rounds)
Target: the program's share of the forty keys well under 10 s (the keys themselves take the secretary the rest
of the minute). Each round is a new meeting opened on the page; every key saves one mark and moves down a row.
"""
from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TODAY = dt.date(2026, 11, 23)
GIVEN = "An Bình Cúc Dũng Đào Giang Hà Hương Khánh Lâm Mai Nam Oanh Phúc Quân Sơn Tâm Uyên Vân Xuân".split()
FAMILY = ("Nguyễn Văn", "Trần Thị", "Lê Đức", "Phạm Ngọc")


def build(count: int) -> None:
    from app.domain.cell import CellInfo
    from app.domain.members import Member
    from app.services import cell
    from app.services import members as member_service

    cell.save_cell(CellInfo(name="Chi bộ thôn Đông", superior_name="Đảng bộ xã Hòa Bình"), today=TODAY)
    for i in range(count):
        name = f"{FAMILY[i % len(FAMILY)]} {GIVEN[i % len(GIVEN)]}{' Hai' if i >= len(GIVEN) else ''}"
        member_service.add_member(Member(full_name=name, admission_date=dt.date(2000, 1, 1) + dt.timedelta(days=i),
                                         official_date=dt.date(2001, 1, 1) + dt.timedelta(days=i)), today=TODAY)


def one_round(page, app, day: dt.date, count: int) -> tuple[float, list[float]]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from app.domain.meetings import Meeting
    from app.services import meetings

    meeting = meetings.add_meeting(Meeting(date=day))
    page.open_meeting(meeting.id)
    view = page.roll.view
    view.setFocus()
    view.select_row(0)
    app.processEvents()
    keys = []
    started = time.perf_counter()
    for i in range(count):
        key_started = time.perf_counter()
        QTest.keyClick(view, Qt.Key.Key_K if i == 7 else Qt.Key.Key_C)
        keys.append(time.perf_counter() - key_started)
    total = time.perf_counter() - started
    marked = meetings.counts(meeting.id)
    assert (marked.total, marked.unmarked) == (count, 0), marked
    return total, keys


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    from app.storage import db as storage
    from ui.application import create_app
    from ui.meetings.page import MeetingsPage

    folder = Path(tempfile.mkdtemp(prefix="chibo-bench-"))
    storage.open_database(folder / "bench.sqlite")
    build(count)
    app = create_app()
    page = MeetingsPage(today=TODAY)
    page.resize(1280, 800)
    page.show()
    app.processEvents()
    totals, keys = [], []
    for index in range(rounds):
        total, per_key = one_round(page, app, dt.date(2026, 1 + index % 10, 5 + index // 10), count)
        totals.append(total)
        keys.extend(per_key)
    storage.close_database()
    print(f"members: {count}, rounds: {rounds}")
    print(f"roll call, {count} keys: median {statistics.median(totals):.2f} s, worst {max(totals):.2f} s"
          f"  (target well under 10 s)")
    print(f"one key (save a mark, move down): median {statistics.median(keys) * 1000:.1f} ms, "
          f"worst {max(keys) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
