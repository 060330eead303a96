"""Crash-safety benchmark: SIGKILL the service writer N times (default 200) against one database file.

Run from the repository root:  python bench/bench_kill.py [N]
The loop is tests/helpers/crash_loop.py, the same one tests/test_crash_safety.py runs with 25 kills.
Exit status 0 only if nothing acknowledged was lost, nothing was half written and integrity_check is "ok".
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.helpers import crash_loop  # noqa: E402


def main(argv: list[str]) -> int:
    kills = int(argv[1]) if len(argv) > 1 else 200
    seed = int(os.environ.get("CHIBO_CRASH_SEED", str(crash_loop.DEFAULT_SEED)))
    with tempfile.TemporaryDirectory(prefix="chibo-bench-kill-") as folder:
        path = Path(folder) / "chibo.sqlite"
        result = crash_loop.run_kill_loop(path, kills, seed=seed)
        check = crash_loop.verify(path, result.acks)
    for line in crash_loop.figures(result.kills, result.acks, check):
        print(line)
    print(f"kills before the writer's first acknowledgement: {result.silent_kills}")
    print(f"half operations found: {len(check.half)}")
    print(f"integrity_check: {check.integrity}")
    print(f"seconds taken: {result.seconds:.1f}")
    print(f"rows at the end: {check.members} members, {check.status_rows} status rows, {check.log_rows} log entries")
    if result.writer_failures:
        print(f"writer failures (not killed by us): {len(result.writer_failures)}")
        print(result.writer_failures[0])
    for line in (check.lost + check.half)[:20]:
        print("  " + line)
    return 0 if check.ok and not result.writer_failures else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
