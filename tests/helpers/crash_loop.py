"""The kill loop shared by tests/test_crash_safety.py and bench/bench_kill.py.

run_kill_loop starts tests.helpers.crash_writer against one database file, reads its acknowledgements
("OK <kind> <member_id> <counter>", each printed only after the service call committed), and kills it with
SIGKILL after a random number of acknowledgements or a random short time, whichever comes first; then it
starts it again on the same file, continuing the counter. verify then opens the file with plain sqlite3 and
checks that nothing acknowledged was lost and that no operation was left half written.
"""
from __future__ import annotations

import json
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers import crash_writer as writer

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SEED = 20261123


@dataclass(frozen=True)
class Ack:
    kind: str
    member_id: int
    counter: int


@dataclass
class LoopResult:
    kills: int = 0
    acks: list[Ack] = field(default_factory=list)
    # Lives killed before their first acknowledgement (while starting, opening or migrating the file).
    silent_kills: int = 0
    # Runs where the writer ended on its own (a crash in the writer, not our kill): the stderr text.
    writer_failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Verification:
    integrity: str
    lost: list[str]
    half: list[str]
    members: int
    status_rows: int
    log_rows: int

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.lost and not self.half


def _parse(line: bytes) -> Ack | None:
    if not line.endswith(b"\n"):
        return None  # a torn last line promises nothing
    parts = line.decode("utf-8").split()
    if len(parts) != 4 or parts[0] != "OK" or parts[1] not in writer.KINDS:
        raise AssertionError(f"unexpected line from the writer: {line!r}")
    return Ack(parts[1], int(parts[2]), int(parts[3]))


def _reader(stream, lines: queue.Queue) -> None:
    for line in iter(stream.readline, b""):
        lines.put(line)
    lines.put(None)


def run_once(db_path: Path, start: int, max_acks: int, max_seconds: float) -> tuple[list[Ack], str | None]:
    """One writer life: start it, read until max_acks acknowledgements or max_seconds, SIGKILL it.

    Returns every acknowledgement it printed (including lines still in the pipe when it died), and its
    stderr if it ended by itself instead of by our kill.
    """
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.helpers.crash_writer", str(db_path), str(start)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL,
        )
        lines: queue.Queue = queue.Queue()
        thread = threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True)
        thread.start()
        acks: list[Ack] = []
        deadline = time.monotonic() + max_seconds
        ended = False
        try:
            while len(acks) < max_acks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    line = lines.get(timeout=remaining)
                except queue.Empty:
                    break
                if line is None:
                    ended = True
                    break
                ack = _parse(line)
                if ack:
                    acks.append(ack)
        finally:
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
            returncode = proc.wait()
        # Lines the writer printed before it died are acknowledgements too: drain the pipe.
        thread.join(timeout=10)
        while not ended:
            line = lines.get(timeout=10)
            if line is None:
                break
            ack = _parse(line)
            if ack:
                acks.append(ack)
        proc.stdout.close()
        failure = None
        if returncode != -signal.SIGKILL:
            err.seek(0)
            failure = f"writer exited with {returncode}: {err.read().decode('utf-8', 'replace')}"
        return acks, failure


def run_kill_loop(db_path: Path | str, kills: int, seed: int = DEFAULT_SEED, max_acks: int = 100,
                  max_seconds: float = 1.0) -> LoopResult:
    """Kill the writer `kills` times against the same file; each life continues the counter."""
    db_path = Path(db_path)
    rng = random.Random(seed)
    result = LoopResult()
    started = time.monotonic()
    start = 0
    for _ in range(kills):
        target = rng.randint(1, max_acks)
        # From spawn: the shortest ones die while starting up or migrating, before any operation.
        limit = rng.uniform(0.02, max_seconds)
        acks, failure = run_once(db_path, start, target, limit)
        result.kills += 1
        result.acks.extend(acks)
        if failure:
            result.writer_failures.append(failure)
        if acks:
            start = max(a.counter for a in acks) + 1
        else:
            result.silent_kills += 1
    result.seconds = time.monotonic() - started
    return result


def verify(db_path: Path | str, acks: list[Ack]) -> Verification:
    """Integrity, no lost acknowledged operation, and no half-written operation anywhere in the file."""
    with closing(sqlite3.connect(str(db_path))) as conn:
        integrity = "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
        members = {row[0]: row[1:] for row in conn.execute(
            "SELECT id, card_number, full_name, notes, admission_date FROM member")}
        status_rows = conn.execute("SELECT id, member_id, status, effective_date, reason FROM status_change").fetchall()
        log = conn.execute("SELECT entity, entity_id, action, changes, reason FROM change_log").fetchall()
        cells = conn.execute("SELECT id FROM cell").fetchall()

    lost: list[str] = []
    for ack in acks:
        row = members.get(ack.member_id)
        if ack.kind == "add":
            if row is None or row[0] != writer.card_number(ack.counter):
                lost.append(f"add {ack}: member row {row!r}")
        elif ack.kind == "update":
            if row is None or row[2] != writer.update_note(ack.counter):
                lost.append(f"update {ack}: member row {row!r}")
        elif not any(s[1] == ack.member_id and s[2] == "mien_sinh_hoat" and s[4] == writer.status_reason(ack.counter)
                     for s in status_rows):
            lost.append(f"status {ack}: no status_change row")

    half: list[str] = []
    member_log = [(eid, action, json.loads(changes), reason) for entity, eid, action, changes, reason in log
                  if entity == "member"]
    creates = Counter(eid for eid, action, _c, _r in member_log if action == "create")
    updates: dict[int, list[dict]] = {}
    for eid, action, changes, _r in member_log:
        if action == "update":
            updates.setdefault(eid, []).append(changes)
    status_logs = Counter(eid for eid, action, _c, _r in member_log if action == "status")
    status_per_member = Counter(s[1] for s in status_rows)
    for member_id, (card, _name, notes, admitted) in members.items():
        if creates[member_id] != 1:
            half.append(f"member {member_id}: {creates[member_id]} 'create' entries in change_log")
        if not any(s[1] == member_id and s[2] == "du_bi" and str(s[3]) == str(admitted) for s in status_rows):
            half.append(f"member {member_id}: no initial 'du_bi' status row")
        if status_per_member[member_id] != status_logs[member_id]:
            half.append(f"member {member_id}: {status_per_member[member_id]} status rows but "
                        f"{status_logs[member_id]} 'status' entries in change_log")
        logged = updates.get(member_id, [])
        if notes:
            if not any(c.get("notes", [None, None])[1] == notes for c in logged):
                half.append(f"member {member_id}: notes {notes!r} stored without its 'update' entry")
        elif logged:
            half.append(f"member {member_id}: 'update' entry {logged!r} but the value is not stored")
    for member_id in set(creates) | set(status_logs) | set(updates):
        if member_id not in members:
            half.append(f"change_log names member {member_id}, which has no row")
    cell_creates = sum(1 for entity, _eid, action, _c, _r in log if entity == "cell" and action == "create")
    if len(cells) > 1 or cell_creates != len(cells):
        half.append(f"{len(cells)} cell rows but {cell_creates} 'create' entries for the cell")
    return Verification(integrity, lost, half, len(members), len(status_rows), len(log))
