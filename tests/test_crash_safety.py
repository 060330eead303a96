"""Crash safety: a writer killed with SIGKILL at random moments loses no committed operation and leaves
no half-written one (a member without its audit entry, a status row, a fee payment, an attendance mark or a
meeting's text without its log entry, …).

The writer (tests/helpers/crash_writer.py) prints an acknowledgement only after each service call has
returned; the loop (tests/helpers/crash_loop.py) kills it CHIBO_KILLS times (25 here; the benchmark
bench/bench_kill.py runs 200) against the same file and then checks the file.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import pytest

from app.services import members as member_service
from app.storage import db as storage
from tests.helpers import crash_loop
from tests.helpers import crash_writer as writer

KILLS = int(os.environ.get("CHIBO_KILLS", "25"))
SEED = int(os.environ.get("CHIBO_CRASH_SEED", str(crash_loop.DEFAULT_SEED)))

pytestmark = pytest.mark.skipif(sys.platform == "win32" or not hasattr(signal, "SIGKILL"),
                                reason="SIGKILL is POSIX only")


@pytest.fixture(scope="module")
def killed_database(tmp_path_factory) -> tuple[Path, crash_loop.LoopResult]:
    path = tmp_path_factory.mktemp("crash") / "chibo.sqlite"
    return path, crash_loop.run_kill_loop(path, KILLS, seed=SEED)


def test_the_writer_was_killed_every_time_and_acknowledged_work(killed_database):
    _path, result = killed_database
    assert result.writer_failures == []
    assert result.kills == KILLS
    kinds = {ack.kind for ack in result.acks}
    assert kinds == set(writer.KINDS), f"only {kinds} acknowledged in {KILLS} runs"


def test_no_acknowledged_operation_is_lost_and_none_is_half_written(killed_database):
    path, result = killed_database
    check = crash_loop.verify(path, result.acks)
    assert check.integrity == "ok"
    assert check.lost == []
    assert check.half == []
    assert check.members >= len({a.member_id for a in result.acks if a.kind == "add"})


def test_the_killed_file_opens_in_the_program_and_reads_back(killed_database, tmp_path):
    path, result = killed_database
    copy = tmp_path / "copy.sqlite"
    with closing(sqlite3.connect(str(path))) as source, closing(sqlite3.connect(str(copy))) as dest:
        source.backup(dest)
    storage.open_database(copy)
    try:
        roster = member_service.list_members(include_archived=True)
        for ack in result.acks:
            if ack.kind == "status":
                member = member_service.get_member(ack.member_id)
                assert member.notes == writer.update_note(ack.counter)
                assert member.status.value == "mien_sinh_hoat"
        assert len(roster) == crash_loop.verify(copy, []).members
    finally:
        storage.close_database()


def test_the_checker_itself_sees_lost_and_half_operations(killed_database, tmp_path):
    """The verification would not pass a broken file: plant each kind of damage in a copy."""
    path, result = killed_database
    copy = tmp_path / "damaged.sqlite"
    with closing(sqlite3.connect(str(path))) as source, closing(sqlite3.connect(str(copy))) as dest:
        source.backup(dest)
    never = [crash_loop.Ack(kind, 10**9, 10**8) for kind in writer.KINDS]
    lost = crash_loop.verify(copy, result.acks + never).lost
    # Each one, and the meeting's text is older than the last one acknowledged.
    assert len(lost) == len(writer.KINDS) + 1 and any("older than the last acknowledged" in line for line in lost), lost
    member = next(a.member_id for a in result.acks if a.kind == "mark")
    with closing(sqlite3.connect(str(copy))) as conn, conn:
        # A member written without its audit entry, initial status or update entry.
        conn.execute("INSERT INTO member (full_name, sort_key, search_text, created_at, updated_at, card_number, notes) "
                     "VALUES ('Nửa Chừng', 'x', 'x', '2026-01-01', '2026-01-01', '1', 'không có nhật ký')")
        # A payment, a mark and a meeting's text written without their entries.
        conn.execute("INSERT INTO fee_payment (member_id, amount, paid_on, month_from, month_to, channel, reference, "
                     "received_by, note, recorded_at, cancel_reason) VALUES (?, 777, '2026-11-23', '2026-11', "
                     "'2026-11', 'cash', '', '', 'nửa chừng', '2026-11-23', '')", (member,))
        meeting = conn.execute("SELECT id FROM meeting").fetchone()[0]
        conn.execute("UPDATE attendance SET reason = 'không có nhật ký' WHERE member_id = ?", (member,))
        conn.execute("UPDATE meeting SET discussion = 'không có nhật ký' WHERE id = ?", (meeting,))
    half = crash_loop.verify(copy, result.acks).half
    assert any("'create' entries" in h for h in half)
    assert any("no initial" in h for h in half)
    assert any("without its 'update' entry" in h for h in half)
    assert any("fee_payment rows" in h for h in half) and any("payment of 777 without its entry" in h for h in half)
    assert any(f"member {member}: mark" in h for h in half)
    assert any("discussion 'không có nhật ký' stored" in h for h in half)
