"""The window's speed on a large cell: 200 members with 10 years of fees and a year of meetings, offscreen.

Run: python3 bench/bench_ui.py [MEMBERS] [YEARS]     (default 200 members, 10 years)
Prints (a) switching pages in the main window (Đảng viên → Sinh hoạt → Đảng phí → Đảng viên, each page
already built once), (b) the refresh after one payment on the Đảng phí page, recorded through run_op,
(c) the cold start of the window process (CHIBO_QUIT_AFTER_SHOWN=1). Targets: a page switch < 100 ms,
one payment's refresh < 50 ms. Figures, not a test: they depend on the machine.
"""
from __future__ import annotations

import datetime as dt
import json
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
sys.path.insert(0, str(ROOT / "bench"))

ROUNDS = 20
SWITCH_TARGET, PAYMENT_TARGET = 0.100, 0.050
STARTS = 5


def laptop_screen(folder: Path) -> None:
    """An offscreen screen of 1366×768, set before Qt starts."""
    config = folder / "screen.json"
    config.write_text(json.dumps({"windowFrameMargins": False, "screens": [{
        "name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96, "logicalBaseDpi": 96,
        "dpr": 1}]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def add_meetings(member_ids: list[int], today: dt.date) -> None:
    """A regular meeting in each month of the year so far, with a few absent and the rest present."""
    from app.domain.meetings import Mark, Meeting
    from app.services import meetings
    from app.storage.models import database

    rng = random.Random(7)
    with database.atomic():
        for month in range(1, today.month + 1):
            day = dt.date(today.year, month, 1)
            meeting = meetings.add_meeting(Meeting(
                date=day, start=dt.time(19, 30), end=dt.time(21, 15), place="Hội trường khu phố",
                chair_id=member_ids[0], minute_taker_id=member_ids[1], agenda="1. Khai mạc.\n2. Đánh giá.",
                assessment="Chi bộ hoàn thành nhiệm vụ tháng.", conclusions="Thống nhất."))
            for member_id in rng.sample(member_ids, 12):
                meetings.set_attendance(meeting.id, member_id, rng.choice([Mark.EXCUSED, Mark.ABSENT]), reason="Ốm")
            meetings.mark_rest_present(meeting.id, today=today)


def summary(label: str, times: list[float], target: float | None = None) -> bool:
    median, worst = statistics.median(times), max(times)
    ok = target is None or worst < target
    aim = f"   target < {target * 1000:.0f} ms  {'ok' if ok else 'TOO SLOW'}" if target else ""
    print(f"{label:<44} median {median * 1000:7.1f} ms   worst {worst * 1000:7.1f} ms   (n={len(times)}){aim}")
    return ok


def switch_pages(app, window) -> bool:
    from ui.main_window import FEES, MEETINGS, ROSTER

    def show(row: int) -> float:
        start = time.perf_counter()
        window.nav.setCurrentRow(row)
        app.processEvents()
        window.repaint()  # painted, as the secretary sees it
        return time.perf_counter() - start

    first = {name: show(row) for name, row in (("Sinh hoạt", MEETINGS), ("Đảng phí", FEES))}
    show(ROSTER)
    print("first opening (the page is built): " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in first.items()))
    times: dict[str, list[float]] = {"→ Sinh hoạt": [], "→ Đảng phí": [], "→ Đảng viên": []}
    for _ in range(ROUNDS):
        for name, row in (("→ Sinh hoạt", MEETINGS), ("→ Đảng phí", FEES), ("→ Đảng viên", ROSTER)):
            times[name].append(show(row))
    every = [t for values in times.values() for t in values]
    for name, values in times.items():
        summary(f"page switch {name}", values)
    return summary("page switch, all", every, SWITCH_TARGET)


def one_payment(app, window, today: dt.date) -> bool:
    from app.domain.dates import Month
    from app.services import fees
    from ui.main_window import FEES
    from ui.ops import run_op

    window.nav.setCurrentRow(FEES)
    app.processEvents()
    page = window.page(FEES)
    refresh: list[float] = []
    heard = page.apply_changes

    def timed_refresh(changes, source=None):
        start = time.perf_counter()
        heard(changes, source)
        refresh.append(time.perf_counter() - start)

    page.apply_changes = timed_refresh
    month = Month.of(today)
    members = [m.member_id for m in page.book.members if m.line(month).in_book][:ROUNDS]
    whole, resets = [], []
    page.model.modelReset.connect(lambda: resets.append(1))
    for member_id in members:
        start = time.perf_counter()
        run_op(window, lambda member_id=member_id: fees.record_payment(
            member_id, amount=10_000, month_from=month, paid_on=today, today=today))
        window.repaint()
        whole.append(time.perf_counter() - start)
    page.apply_changes = heard
    ok = summary("one payment: the page's refresh (hub → done)", refresh, PAYMENT_TARGET)
    summary("one payment: run_op (write + refresh) + paint", whole)
    print(f"grid reset while refreshing: {len(resets)} times (0 expected)")
    return ok


def cold_start(db: Path, folder: Path) -> None:
    env = {**os.environ, "CHIBO_QUIT_AFTER_SHOWN": "1", "XDG_CONFIG_HOME": str(folder / "config"),
           "XDG_DATA_HOME": str(folder / "data")}
    code = "import sys; from ui.application import run_gui; sys.exit(run_gui(*sys.argv[1:]))"
    times = []
    for _ in range(STARTS):
        result = subprocess.run([sys.executable, "-c", code, str(db), "vi"], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=120)
        if result.returncode != 0:
            print("cold start failed:", result.stderr[-500:])
            return
        times.append(float(result.stdout.strip().splitlines()[-1]))
    print(f"{'cold start, process start → window shown':<44} median {statistics.median(times):7.3f} s    "
          f"worst {max(times):7.3f} s    (n={STARTS})")


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    years = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    with tempfile.TemporaryDirectory(prefix="chibo-bench-ui-") as name:
        folder = Path(name)
        laptop_screen(folder)
        os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
        from PySide6.QtCore import QStandardPaths

        QStandardPaths.setTestModeEnabled(True)  # the window's remembered sizes go to a throw-away place
        import bench_fees

        from app.services import members as member_service
        from app.storage.db import close_database, open_database
        from ui.application import create_app
        from ui.main_window import MainWindow

        today = dt.date.today()
        bench_fees.TODAY = today  # the window counts from the real day; so does the data
        db = folder / "ui.sqlite"
        open_database(db)
        start = time.perf_counter()
        members, payments = bench_fees.build(count, years)
        ids = [entry.member.id for entry in member_service.list_members()]
        add_meetings(ids, today)
        print(f"built {members} members, {payments:,} payments over {years} years and {today.month} meetings "
              f"in {time.perf_counter() - start:.1f} s")
        app = create_app()
        start = time.perf_counter()
        window = MainWindow()
        window.resize(1366, 768)
        window.show()
        app.processEvents()
        print(f"main window built and shown: {(time.perf_counter() - start) * 1000:.0f} ms")
        ok = switch_pages(app, window)
        ok &= one_payment(app, window, today)
        window.close()
        close_database()
        cold_start(db, folder)
    print("OK" if ok else "SLOWER THAN A TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
