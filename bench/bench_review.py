"""Printing speed of the annual review for a large cell: every member's form in one PDF, and the summary.

Run: python3 bench/bench_review.py [MEMBERS]   (default 200)
Targets (issue 11): all forms in one file < 5 s, the summary < 0.5 s.
Each figure is the time to read the data and write the PDF; "first" includes loading the fonts once.
"""
from __future__ import annotations

import datetime as dt
import functools
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_meetings import FAMILY, GIVEN, MIDDLE, TODAY, first_and_best, timed  # noqa: E402  the same names and clock

YEAR = 2026
TEXT = ("Giữ vững lập trường chính trị, gương mẫu chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà "
        "nước; đoàn kết, gần gũi nhân dân nơi cư trú. ")
STATUSES = ("dung-han", "dung-han", "vuot", "cham")


def build(count: int) -> None:
    from app.domain.cell import CellInfo
    from app.domain.members import Member, initial_history
    from app.services import cell, review, review_tasks
    from app.services import members as member_service
    from app.storage.models import database

    rng = random.Random(11)
    cell.save_cell(CellInfo(name="Chi bộ khu phố 3", superior_name="Đảng bộ phường Tân An", place_name="Tân An",
                            term_label="2025–2030", secretary_name="Nguyễn Văn Hùng"), today=TODAY)
    with database.atomic():
        items = []
        for i in range(count):
            member = Member(full_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                            birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=i * 97),
                            admission_date=dt.date(1990, 1, 1) + dt.timedelta(days=i * 37),
                            official_date=dt.date(1991, 1, 1) + dt.timedelta(days=i * 37)).normalized()
            items.append((member, initial_history(member, TODAY)))
        member_service.insert_members(items)
    review.open_season(YEAR, review_date=dt.date(YEAR, 12, 15))
    review.update_season(YEAR, present=count)
    with database.atomic():
        for member_id in range(1, count + 1):
            for month in (3, 6, 9):
                task = review_tasks.add_task(member_id, f"Vận động các hộ trong tổ {month} tham gia vệ sinh môi trường",
                                             due_month=f"{YEAR}-{month:02d}")
                review_tasks.set_status(task.id, rng.choice(STATUSES))
            general, tasks = rng.randint(22, 30), rng.randint(45, 68)
            review.set_review(YEAR, member_id, general_score=general, task_score=tasks, strengths=TEXT * 3,
                              shortcomings=TEXT, remedies=TEXT, plan=TEXT * 2, committee_view=TEXT,
                              cell_comments="Chi bộ nhất trí với tự đánh giá của đồng chí.")


def page_count(pdf: Path) -> str:
    try:
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return next((line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")), "?")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    from app.services import review, review_printing
    from app.storage.db import close_database, open_database

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        open_database(folder / "bench.sqlite")
        started = time.perf_counter()
        build(count)
        print(f"{count} members with a filled review and 3 tasks each built in {time.perf_counter() - started:.1f} s")
        jobs = (
            ("summary of results", 0.5, folder / "tong-hop.pdf",
             lambda path: review_printing.print_review_summary(YEAR, path)),
            ("every member's form in one file", 5.0, folder / "ban-kiem-diem.pdf",
             lambda path: review_printing.print_review_forms(YEAR, path)),
        )
        # What the Đánh giá page reads after every save: the rows, the warnings and the quota.
        page = timed(lambda: (review.check(YEAR, rows := review.review_rows(YEAR)),
                              review.live_quota(YEAR, rows=rows)))
        verdict = "ok" if page < 0.3 else "SLOW"
        print(f"{'the review page (rows, checks)':<32} {page:6.3f} s   target < 0.3 s  {verdict}")
        failed = page >= 0.3
        for label, target, path, job in jobs:
            first, best, ok = first_and_best(functools.partial(job, path), 2, target)
            failed |= not ok
            print(f"{label:<32} first {first:6.3f} s   best of 2 {best:6.3f} s   {page_count(path):>4} pages   "
                  f"target < {target} s  {'ok' if ok else 'TOO SLOW'}")
        close_database()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
