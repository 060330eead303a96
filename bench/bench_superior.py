"""Speed of the Đảng ủy's side: 60 cells of 50 members each send their yearly package (roster level), the Đảng
ủy imports all 60 and consolidates the year; and a 200-member cell writes its yearly package.

Run: python3 bench/bench_superior.py [CELLS] [MEMBERS]   (default 60 × 50)
Targets (issue 12): importing all packages < 10 s, the consolidated summary < 1 s, a 200-member cell's yearly
package (with its PDF) written < 2 s. The 60 cells' packages are built without their PDF to keep the set-up
short; what is imported is the same data.
"""
from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_meetings import FAMILY, GIVEN, MIDDLE, TODAY, first_and_best, timed  # noqa: E402  the same names and clock

YEAR = 2026


def build_cell(number: int, count: int, rng: random.Random) -> None:
    from app.domain.cell import CellInfo
    from app.domain.members import Member, initial_history
    from app.services import cell
    from app.services import members as member_service
    from app.storage.models import database

    cell.save_cell(CellInfo(name=f"Chi bộ thôn {number}", superior_name="Đảng ủy xã Hòa Bình",
                            code=f"38.168.053.{number:03d}", place_name="Hòa Bình"), today=TODAY)
    with database.atomic():
        items = []
        for i in range(count):
            member = Member(full_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                            birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=i * 97 + number),
                            admission_date=dt.date(1990, 1, 1) + dt.timedelta(days=i * 37 + number),
                            official_date=dt.date(1991, 1, 1) + dt.timedelta(days=i * 37 + number),
                            card_number=f"{number:03d}{i:05d}").normalized()
            items.append((member, initial_history(member, TODAY)))
        member_service.insert_members(items)


def main() -> None:
    cells = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    from app.domain.report_period import Period
    from app.services import consolidated, package_export, superior, superior_import
    from app.storage.db import close_database, open_database

    period = Period.parse(str(YEAR))
    rng = random.Random(12)
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        started = time.perf_counter()
        packages = []
        for number in range(1, cells + 1):
            open_database(folder / f"cell-{number}.sqlite")
            build_cell(number, count, rng)
            packages.append(package_export.export_package(period, None, privacy="roster", today=TODAY,
                                                          with_pdf=False).data)
            close_database()
        print(f"{cells} cells × {count} members built and exported in {time.perf_counter() - started:.1f} s")
        open_database(folder / "dang-uy.sqlite")
        superior.init_superior("Đảng ủy xã Hòa Bình")
        took = timed(lambda: [superior_import.import_package(p) for p in packages])
        ok = took < 10
        failed |= not ok
        label = f"importing {cells} packages"
        print(f"{label:<36} {took:6.3f} s   target < 10 s  {'ok' if ok else 'TOO SLOW'}")
        summary = consolidated.summary(period)
        assert summary["cells_reporting"] == cells and summary["identity_holds"]
        first, best, ok = first_and_best(lambda: consolidated.summary(period), 2, 1.0)
        failed |= not ok
        print(f"{'consolidated summary':<36} first {first:6.3f} s   best of 2 {best:6.3f} s   "
              f"{summary['members_total']['counted']} members   target < 1 s  {'ok' if ok else 'TOO SLOW'}")
        close_database()
        open_database(folder / "big-cell.sqlite")
        build_cell(999, 200, rng)
        target = folder / "big.chibo"
        first, best, ok = first_and_best(
            lambda: package_export.export_package(period, target, privacy="roster", today=TODAY), 2, 2.0)
        failed |= not ok
        print(f"{'200-member yearly package (PDF too)':<36} first {first:6.3f} s   best of 2 {best:6.3f} s   "
              f"{target.stat().st_size // 1024} KB   target < 2 s  {'ok' if ok else 'TOO SLOW'}")
        close_database()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
