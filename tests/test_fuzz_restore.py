"""Fuzzing what a restore reads: any bytes, and real backups with damaged pages, are refused cleanly."""
from __future__ import annotations

import os
import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.members import Member
from app.services import cell as cell_service
from app.services import members, safety
from app.services.errors import ServiceError
from app.storage import db as storage

from tests.conftest import TODAY

# Examples per fuzzer (hypothesis max_examples); the README quotes them.
RANDOM_FILE_EXAMPLES = 150
DAMAGED_BACKUP_EXAMPLES = 60


def _settings(examples: int):
    return settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _state() -> tuple:
    return (sorted(e.member.full_name for e in members.list_members(statuses=None, include_archived=True)),
            safety.check_database()["ok"])


def _listing(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if "sao-luu" not in p.parts}


@_settings(RANDOM_FILE_EXAMPLES)
@given(data=st.one_of(st.binary(max_size=3000),
                      st.binary(max_size=3000).map(lambda b: b"SQLite format 3\x00" + b)))
def test_any_bytes_offered_for_restore_are_refused_and_nothing_changes(cell_db, tmp_path, data):
    members.add_member(Member(full_name="Trần Thị Lan", card_number="1"), today=TODAY)
    before, files = _state(), _listing(cell_db.parent)
    candidate = tmp_path / "ung-vien.sqlite"
    candidate.write_bytes(data)
    try:
        safety.restore_from(candidate)
        restored = True
    except ServiceError:
        restored = False
    candidate.unlink()
    after, files_after = _state(), _listing(cell_db.parent)
    _wipe(cell_db)
    assert not restored, "a file of random bytes was restored"
    assert after == before
    # Nothing left behind beside the database: no staged copy, no stray journal.
    assert files_after == files


def _wipe(db_path: Path) -> None:
    """Back to the cell with no members for the next example (hypothesis reuses the fixture).

    The history tables refuse deletions, so the file itself is made anew.
    """
    cell = cell_service.get_cell()
    storage.close_database()
    for path in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        path.unlink(missing_ok=True)
    storage.open_database(db_path)
    cell_service.save_cell(cell)


@_settings(DAMAGED_BACKUP_EXAMPLES)
@given(seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 40))
def test_a_backup_with_damaged_pages_is_restored_whole_or_refused(cell_db, tmp_path, seed, flips):
    for i in range(5):
        members.add_member(Member(full_name=f"Người Thứ {'ABCDE'[i]}", card_number=str(100 + i)), today=TODAY)
    made = safety.backup_now(target=tmp_path / "ban-sao.sqlite")
    data = bytearray(made.read_bytes())
    rng = random.Random(seed)
    for _ in range(flips):
        data[rng.randrange(100, len(data))] ^= 1 << rng.randrange(8)
    made.write_bytes(bytes(data))
    before = _state()
    try:
        safety.restore_from(made)
    except ServiceError:
        assert _state() == before
    else:
        # Accepted only when SQLite itself finds the file whole; then the data is usable as it is.
        assert safety.check_database()["ok"]
    finally:
        os.remove(made)
        _wipe(cell_db)
