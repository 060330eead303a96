"""Roster speed with a large cell: import, opening the roster, a search keystroke, refilter and repaint, cold start.

Run: QT_QPA_PLATFORM=offscreen python3 bench/bench_roster.py [MEMBERS]   (default 10,000)
Targets (issue 2): open < 0.5 s, keystroke < 50 ms, 10,000-row XLSX import < 10 s, cold start < 1.5 s;
refilter and repaint of a shown view: median < 30 ms, worst < 50 ms.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FAMILY = "Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Bùi Đỗ Hồ Ngô Dương Lý Phan Trịnh Đinh Lương Âu Đoàn Lò".split()
MIDDLE = "Văn Thị Quốc Đức Minh Hữu Công Ngọc Thu Kim Hồng".split()
GIVEN = "Hùng Sơn Minh Thắng Lực Đức Tiến Quang Khải Bảo Ất Việt Lan Hà Mai Hạnh Yến Ngọc Thủy Oanh Ánh Ư Ếch".split()


def write_xlsx(path: Path, count: int) -> None:
    from openpyxl import Workbook

    rng = random.Random(7)
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["ĐẢNG BỘ XÃ HÒA BÌNH"])
    sheet.append(["CHI BỘ THÔN ĐÔNG"])
    sheet.append([])
    sheet.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng", "Ngày chính thức", "Số thẻ ĐV",
                  "Nghề nghiệp"])
    for i in range(count):
        # A distinct birth date per row, so no two rows are the same person by name and birth date.
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=(i * 7919) % 21900)
        birth = birth.replace(day=min(birth.day, 28))
        admitted = birth.replace(year=birth.year + rng.randint(19, 40))
        admitted = min(admitted, dt.date(2025, 1, 1))
        official = admitted.replace(year=admitted.year + 1)
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        birth_cell = birth if i % 2 else birth.strftime("%d/%m/%Y")
        sheet.append([i + 1, name, birth_cell, rng.choice(["Nam", "Nữ"]), admitted, official,
                      str(10_000_000 + i), "nông dân"])
    book.save(path)


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


# Typing a family name and a middle name, backspacing to an empty box, and a query that matches nobody:
# the worst keystroke is what the secretary feels.
REFILTER_QUERIES = ("d", "da", "dan", "dang", "dang v", "dang va", "dang van", "dang va", "dang", "d", "", "zzz", "")


def refilter_and_repaint(app, proxy, view, repeats: int = 5) -> list[float]:
    """Each keystroke's refilter plus the repaint of the visible rows, on the view as the window shows it."""
    view.setSortingEnabled(True)
    view.show()
    app.processEvents()
    timings = []
    for _ in range(repeats):
        for query in REFILTER_QUERIES:
            start = time.perf_counter()
            proxy.set_query(query)
            app.processEvents()
            timings.append(time.perf_counter() - start)
    return timings


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    from app.domain.cell import CellInfo
    from app.services import cell, roster_io
    from app.storage import db as storage

    folder = Path(tempfile.mkdtemp(prefix="chibo-bench-"))
    xlsx, db_path = folder / "ds.xlsx", folder / "bench.sqlite"
    write_xlsx(xlsx, count)
    storage.open_database(db_path)
    cell.save_cell(CellInfo(name="Chi bộ thôn Đông", superior_name="Đảng bộ xã Hòa Bình"))
    import_s, preview = timed(lambda: roster_io.preview_import(xlsx))
    assert preview.ok and len(preview.added) == count, preview.summary()
    apply_s, _ = timed(lambda: roster_io.apply_import(preview))

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTableView

    from ui.application import create_app
    from ui.roster.model import COL_NAME, RosterFilterProxy, RosterModel

    app = create_app()
    model = RosterModel()
    proxy = RosterFilterProxy(model)
    view = QTableView()
    view.setModel(proxy)
    view.resize(1200, 800)

    def open_roster():
        model.reload()
        proxy.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
        proxy.rowCount()

    open_s = min(timed(open_roster)[0] for _ in range(3))
    keystrokes = []
    for text in ("n", "ng", "ngu", "nguy", "nguye", "nguyen", "nguyen ", "nguyen v", "nguyen va", "nguyen van",
                 "nguyen van h", "nguyen van hu", "nguyen van hun", "nguyen van hung", ""):
        seconds, _ = timed(lambda text=text: (proxy.set_query(text), proxy.rowCount()))
        keystrokes.append(seconds)
    refilters = refilter_and_repaint(app, proxy, view)
    storage.close_database()

    env = dict(os.environ, CHIBO_QUIT_AFTER_SHOWN="1", QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    cold = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-m", "ui.launch", "--db", str(db_path)], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
        cold.append(float(out.stdout.strip().splitlines()[-1]))

    print(f"members: {count}")
    print(f"import {count}-row XLSX: read+check {import_s:.2f} s, write {apply_s:.2f} s, "
          f"total {import_s + apply_s:.2f} s  (target < 10 s)")
    print(f"open roster (load + sort + show): {open_s * 1000:.0f} ms  (target < 500 ms)")
    print(f"search keystroke: median {statistics.median(keystrokes) * 1000:.1f} ms, "
          f"worst {max(keystrokes) * 1000:.1f} ms  (target < 50 ms)")
    print(f"refilter and repaint a shown, sorted view ({len(refilters)} keystrokes, backspaces included): "
          f"median {statistics.median(refilters) * 1000:.1f} ms, worst {max(refilters) * 1000:.1f} ms"
          f"  (target: median < 30 ms, worst < 50 ms)")
    print(f"cold start to interactive window ({count} members): best {min(cold):.2f} s, "
          f"median {statistics.median(cold):.2f} s  (target < 1.5 s)")


if __name__ == "__main__":
    main()
