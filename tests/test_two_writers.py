"""Two processes writing at once on one file (add member, fee payment, attendance mark): every write is
acknowledged, none is lost or half written, neither writer meets an error. The timed run with 2 × 500 writes is
bench/bench_two_writers.py."""
from __future__ import annotations

from tests.helpers import crash_loop

WRITES = 50


def test_two_writers_on_one_file_lose_nothing_and_meet_no_error(tmp_path):
    path = tmp_path / "chibo.sqlite"
    result = crash_loop.run_writers(path, 2, WRITES)
    assert result.errors == [] and result.tracebacks == 0
    assert len(result.acks) == 2 * WRITES
    assert {a.counter // crash_loop.WRITER_SPAN for a in result.acks} == {0, 1}
    assert {a.kind for a in result.acks} == {"add", "pay", "mark"}
    check = crash_loop.verify(path, result.acks)
    assert (check.integrity, check.lost, check.half) == ("ok", [], [])
    assert check.members == len([a for a in result.acks if a.kind == "add"])
