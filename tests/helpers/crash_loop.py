"""The kill loop shared by tests/test_crash_safety.py and bench/bench_kill.py.

run_kill_loop starts tests.helpers.crash_writer against one database file, reads its acknowledgements
("OK <kind> <member_id> <counter>", each printed only after the service call committed), and kills it with
SIGKILL after a random number of acknowledgements or a random short time, whichever comes first; then it
starts it again on the same file, continuing the counter. verify then opens the file with plain sqlite3 and
checks that nothing acknowledged was lost and that no operation was left half written.
"""
from __future__ import annotations

import contextlib
import functools
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
# Each of several writers counts from its own multiple of this, so their card numbers never meet.
WRITER_SPAN = 1_000_000


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


@dataclass
class WritersResult:
    """Several writers at once on one file: what they acknowledged and every failure they reported."""

    processes: int
    acks: list[Ack] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # ERR lines, and any exit status but 0
    tracebacks: int = 0
    seconds: float = 0.0


def run_writers(db_path: Path | str, processes: int, writes: int, kinds: tuple[str, ...] = ("add", "pay", "mark"),
                ) -> WritersResult:
    """Start `processes` writers together on one file, each doing `writes` operations of `kinds`, each on its
    own range of counters (so its own members); wait for all of them."""
    db_path = Path(db_path)
    writer.prepare(str(db_path))  # one cell and one meeting, before two writers could each make one
    result = WritersResult(processes)
    started = time.monotonic()
    with contextlib.ExitStack() as files:
        runs = []
        for number in range(processes):
            out, err = files.enter_context(tempfile.TemporaryFile()), files.enter_context(tempfile.TemporaryFile())
            runs.append((subprocess.Popen(
                [sys.executable, "-m", "tests.helpers.crash_writer", str(db_path), str(number * WRITER_SPAN),
                 str(writes), ",".join(kinds)], cwd=ROOT, stdout=out, stderr=err, stdin=subprocess.DEVNULL), out, err))
        for proc, out, err in runs:
            returncode = proc.wait()
            out.seek(0)
            err.seek(0)
            for line in out.read().decode("utf-8").splitlines(keepends=True):
                if line.startswith("ERR "):
                    result.errors.append(line.strip())
                else:
                    result.acks.append(_parse(line.encode("utf-8")))
            stderr = err.read().decode("utf-8", "replace")
            result.tracebacks += stderr.count("Traceback (most recent call last)")
            if returncode != 0:
                result.errors.append(f"writer {proc.pid} exited with {returncode}: {stderr[-2000:]}")
    result.seconds = time.monotonic() - started
    return result


def figures(kills: int, acks: list[Ack], check: Verification) -> list[str]:
    """The benchmarks' common lines: kills, operations acknowledged (by kind), lost operations."""
    by_kind = ", ".join(f"{kind} {n}" for kind in writer.KINDS if (n := sum(1 for a in acks if a.kind == kind)))
    return [f"kills done: {kills}", f"operations acknowledged: {len(acks)} ({by_kind})",
            f"lost committed operations: {len(check.lost)}"]


def verify(db_path: Path | str, acks: list[Ack]) -> Verification:
    """Integrity, no lost acknowledged operation, and no half-written operation anywhere in the file."""
    with closing(sqlite3.connect(str(db_path))) as conn:
        integrity = "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
        rows = _Rows(
            members={row[0]: row[1:] for row in conn.execute(
                "SELECT id, card_number, full_name, notes, admission_date FROM member")},
            status=conn.execute("SELECT id, member_id, status, effective_date, reason FROM status_change").fetchall(),
            log=[(entity, eid, action, json.loads(changes), reason) for entity, eid, action, changes, reason in
                 conn.execute("SELECT entity, entity_id, action, changes, reason FROM change_log ORDER BY id")],
            cells=conn.execute("SELECT id FROM cell").fetchall(),
            payments=conn.execute("SELECT member_id, amount, note FROM fee_payment "
                                  "WHERE cancelled_at IS NULL").fetchall(),
            profiles=conn.execute("SELECT member_id FROM fee_profile").fetchall(),
            marks={(row[0], row[1]): row[2:] for row in conn.execute(
                "SELECT meeting_id, member_id, mark, reason FROM attendance")},
            meetings={row[0]: row[1] for row in conn.execute("SELECT id, discussion FROM meeting")},
        )
    lost = [problem for ack in acks if (problem := _lost(ack, rows))]
    half = _half_members(rows) + _half_fees(rows) + _half_meetings(rows)
    cell_creates = sum(1 for entity, _eid, action, _c, _r in rows.log if entity == "cell" and action == "create")
    if len(rows.cells) > 1 or cell_creates != len(rows.cells):
        half.append(f"{len(rows.cells)} cell rows but {cell_creates} 'create' entries for the cell")
    last_text = max((a.counter for a in acks if a.kind == "text"), default=None)
    if last_text is not None:
        # The last life may have written the next counter's text and died before acknowledging it.
        newer = {writer.meeting_text(c) for c in range(last_text, max(a.counter for a in acks) + 2)}
        if not newer & set(rows.meetings.values()):
            lost.append(f"text: the meeting holds {list(rows.meetings.values())!r}, older than the last "
                        f"acknowledged {writer.meeting_text(last_text)!r}")
    return Verification(integrity, lost, half, len(rows.members), len(rows.status), len(rows.log))


@dataclass
class _Rows:
    members: dict
    status: list
    log: list
    cells: list
    payments: list
    profiles: list
    marks: dict
    meetings: dict

    def logged(self, entity: str, action: str) -> list[tuple[int, dict]]:
        return self._by_kind.get((entity, action), [])

    @functools.cached_property
    def _by_kind(self) -> dict[tuple[str, str], list[tuple[int, dict]]]:
        found: dict[tuple[str, str], list[tuple[int, dict]]] = {}
        for entity, eid, action, changes, _reason in self.log:
            found.setdefault((entity, action), []).append((eid, changes))
        return found

    @functools.cached_property
    def index(self) -> dict[str, set]:
        """What each kind of acknowledgement is looked up in."""
        return {
            "add": {(member_id, row[0]) for member_id, row in self.members.items()},
            "update": {(member_id, row[2]) for member_id, row in self.members.items()},
            "status": {(s[1], s[2], s[4]) for s in self.status},
            "pay": set(self.payments),
            "mark": {(member, *value) for (_meeting, member), value in self.marks.items()},
            "text": {c["discussion"][1] for _eid, c in self.logged("meeting", "update") if "discussion" in c},
        }


def _lost(ack: Ack, rows: _Rows) -> str | None:
    """Why an acknowledged operation is not in the file, or None when it is."""
    c = ack.counter
    expected = {
        "add": (ack.member_id, writer.card_number(c)),
        "update": (ack.member_id, writer.update_note(c)),
        "status": (ack.member_id, "mien_sinh_hoat", writer.status_reason(c)),
        "pay": (ack.member_id, writer.payment_amount(c), writer.payment_note(c)),
        "mark": (ack.member_id, "excused", writer.mark_reason(c)),
        # text: its history entry is there; the value itself is checked once, against the last one
        "text": writer.meeting_text(c),
    }[ack.kind]
    if expected in rows.index[ack.kind]:
        return None
    return f"{ack.kind} {ack}: not in the file (member row {rows.members.get(ack.member_id)!r})"


def _half_members(rows: _Rows) -> list[str]:
    half: list[str] = []
    creates = Counter(eid for eid, _c in rows.logged("member", "create"))
    updates: dict[int, list[dict]] = {}
    for eid, changes in rows.logged("member", "update"):
        updates.setdefault(eid, []).append(changes)
    status_logs = Counter(eid for eid, _c in rows.logged("member", "status"))
    status_per_member = Counter(s[1] for s in rows.status)
    for member_id, (_card, _name, notes, admitted) in rows.members.items():
        if creates[member_id] != 1:
            half.append(f"member {member_id}: {creates[member_id]} 'create' entries in change_log")
        if not any(s[1] == member_id and s[2] == "du_bi" and str(s[3]) == str(admitted) for s in rows.status):
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
        if member_id not in rows.members:
            half.append(f"change_log names member {member_id}, which has no row")
    return half


def _half_fees(rows: _Rows) -> list[str]:
    """Each payment and each fee profile with exactly its one 'create' entry, and no entry without its row."""
    half: list[str] = []
    for entity, stored in (("fee_payment", Counter(p[0] for p in rows.payments)),
                           ("fee_profile", Counter(p[0] for p in rows.profiles))):
        logged = Counter(eid for eid, _c in rows.logged(entity, "create"))
        for member_id in set(stored) | set(logged):
            if stored[member_id] != logged[member_id]:
                half.append(f"member {member_id}: {stored[member_id]} {entity} rows but {logged[member_id]} "
                            f"'create' entries in change_log")
    logged_amounts = {(eid, c.get("amount", [None, None])[1]) for eid, c in rows.logged("fee_payment", "create")}
    for member_id, amount, _note in rows.payments:
        if (member_id, amount) not in logged_amounts:
            half.append(f"member {member_id}: payment of {amount} without its entry")
    return half


def _half_meetings(rows: _Rows) -> list[str]:
    """Each mark with its 'attendance' entry (the writer never clears one), and the meeting's discussion the
    last value its 'update' entries wrote."""
    half: list[str] = []
    marked = {(eid, c["member_id"][1]): (c["mark"][1], c["reason"][1])
              for eid, c in rows.logged("meeting", "attendance")}
    for key in set(rows.marks) | set(marked):
        if rows.marks.get(key) != marked.get(key):
            half.append(f"meeting {key[0]}, member {key[1]}: mark {rows.marks.get(key)!r} stored, "
                        f"{marked.get(key)!r} in change_log")
    creates = Counter(eid for eid, _c in rows.logged("meeting", "create"))
    for meeting_id, discussion in rows.meetings.items():
        if creates[meeting_id] != 1:
            half.append(f"meeting {meeting_id}: {creates[meeting_id]} 'create' entries in change_log")
        texts = [c["discussion"][1] for eid, c in rows.logged("meeting", "update") if eid == meeting_id
                 and "discussion" in c]
        if (texts[-1] if texts else "") != discussion:
            half.append(f"meeting {meeting_id}: discussion {discussion!r} stored, {texts[-1:]!r} last in change_log")
    return half
