"""Two writers at once: two processes × 500 service writes each (add member, fee payment, attendance mark) on
one database file, each its own transaction, each acknowledged only once committed.

Run from the repository root:  python bench/bench_two_writers.py [WRITES] [PROCESSES]
The writer is tests/helpers/crash_writer.py in its counted mode; tests/test_two_writers.py runs 2 × 50.
Every transaction begins IMMEDIATE (app/storage/db.py), so a writer that meets the other's lock waits for it
(busy_timeout) instead of failing. Exit status 0 only if nothing acknowledged was lost, nothing was half
written, no writer reported an error or a traceback and integrity_check is "ok".
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.helpers import crash_loop  # noqa: E402


def main(argv: list[str]) -> int:
    writes = int(argv[1]) if len(argv) > 1 else 500
    processes = int(argv[2]) if len(argv) > 2 else 2
    with tempfile.TemporaryDirectory(prefix="chibo-bench-two-") as folder:
        path = Path(folder) / "chibo.sqlite"
        result = crash_loop.run_writers(path, processes, writes)
        check = crash_loop.verify(path, result.acks)
    print(f"processes: {result.processes} × {writes} writes")
    print(f"writes acknowledged: {len(result.acks)} of {result.processes * writes}")
    print(f"lost (acknowledged but not in the file): {len(check.lost)}")
    print(f"half operations found: {len(check.half)}")
    print(f"errors reported: {len(result.errors)}")
    print(f"tracebacks: {result.tracebacks}")
    print(f"integrity_check: {check.integrity}")
    print(f"seconds taken: {result.seconds:.1f}")
    for line in crash_loop.figures(0, result.acks, check):
        print(line)
    for line in (result.errors + check.lost + check.half)[:20]:
        print("  " + line)
    ok = check.ok and not result.errors and not result.tracebacks and len(result.acks) == result.processes * writes
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
