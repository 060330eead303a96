"""Hostile spreadsheets: how long the importer takes to refuse each one, and its peak memory.

Run: python3 bench/bench_hostile.py
Target (issue 10): any file up to 10 MB is read or refused within 5 s and 300 MB of memory.
The files are made first; each is then read in a fresh process, so its peak resident memory (ru_maxrss)
is its own; the baseline is that of a process that has loaded the program and openpyxl and read nothing. The tests assert the
refusals and their messages; this only measures them.
"""
from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CASES = ("baseline", "styles_bomb", "shared_strings_bomb", "memory_bomb", "lying_header", "formula_roster",
         "large_roster", "styles_at_bound", "shared_strings_at_bound", "sheet_at_bound")


def _make(name: str, path: Path) -> None:
    """The hostile files of tests/helpers/hostile_files.py, and files just inside each bound: the slowest
    that are read rather than refused."""
    from app.services import spreadsheets
    from tests.helpers import hostile_files as h

    if hasattr(h, name):
        getattr(h, name)(path)
    elif name == "styles_at_bound":
        parts = h.roster_parts()
        head, tail = h._split(parts["xl/styles.xml"], b"</cellXfs>")
        free = spreadsheets.STYLES_MAX_TAGS - parts["xl/styles.xml"].count(b"<") - 10
        h._write(path, parts, ("xl/styles.xml", head, b"<xf/>", tail, free))
    elif name == "shared_strings_at_bound":
        rng = random.Random(10)  # packed ~57:1 like shared_strings_bomb, so only the tag bound applies
        block = b"".join(b"<si><t>%s</t></si>" % rng.choice((b"", b"a")) for _ in range(10_000))
        h._write(path, h._with_shared_strings(h.roster_parts()),
                 (h.SHARED_STRINGS, h._SST_HEAD, block, b"</sst>", spreadsheets.SHARED_STRINGS_MAX_TAGS // 40_001))
    elif name == "sheet_at_bound":
        h.large_roster(path, 11_800)  # ~1.57 million tags with its 14 columns


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run_case(name: str, folder: Path) -> None:
    """In this process: open a database, time preview_import of the file made before; print one line."""
    import openpyxl  # noqa: F401 - loaded before the baseline is read, as an import would load it

    from app.domain.cell import CellInfo
    from app.services import cell, roster_io
    from app.services.errors import ServiceError
    from app.storage import db as storage

    storage.open_database(folder / f"{name}.sqlite")
    cell.save_cell(CellInfo(name="Chi bộ thôn Đông", superior_name="Đảng bộ xã Hòa Bình"))
    if name == "baseline":
        print(f"{name}\t-\t-\t{_peak_mb():.0f}\tprogram and openpyxl loaded, nothing read")
        return
    path = folder / f"{name}.xlsx"
    start = time.perf_counter()
    try:
        preview = roster_io.preview_import(path)
        outcome = f"read: {preview.summary()}"
    except ServiceError as exc:
        outcome = f"refused: {exc}"
    seconds = time.perf_counter() - start
    print(f"{name}\t{path.stat().st_size / 1024:.0f} KB\t{seconds:.2f}\t{_peak_mb():.0f}\t{outcome}")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        run_case(sys.argv[2], Path(os.environ["CHIBO_BENCH_DIR"]))
        return
    folder = Path(tempfile.mkdtemp(prefix="chibo-hostile-"))
    for name in CASES[1:]:
        start = time.perf_counter()
        _make(name, folder / f"{name}.xlsx")
        print(f"made {name} in {time.perf_counter() - start:.2f} s")
    env = dict(os.environ, CHIBO_BENCH_DIR=str(folder))
    print("case\tfile\tseconds\tpeak MB\toutcome")
    for name in CASES:
        out = subprocess.run([sys.executable, __file__, "--case", name], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=600)
        print(out.stdout.strip() or f"{name}\tfailed: {out.stderr.strip().splitlines()[-1:]}")


if __name__ == "__main__":
    main()
