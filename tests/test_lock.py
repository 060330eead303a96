"""Who has the file open (app/storage/lock.py): records beside it, real second processes, stale ones, read-only."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import filelock
import pytest

from app.domain.cell import CellInfo
from app.services import cell as cell_service
from app.services import drafts
from app.storage import db as storage
from app.storage import lock
from conftest import needs_sqlcipher

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# A second chibo process: opens the file, says READY, and keeps it open until its stdin closes.
CHILD = """
import sys
from app.storage import db, lock
lock.GATE_WAIT_SECONDS = float(sys.argv[4])
try:
    db.open_database(sys.argv[1], role=sys.argv[2], read_only=sys.argv[3] == "1")
except db.DatabaseError as exc:
    print("REFUSED", exc, flush=True)
    sys.exit(3)
print("READY", flush=True)
sys.stdin.read()
db.close_database()
"""
POSIX_KILL = pytest.mark.skipif(sys.platform == "win32" or not hasattr(signal, "SIGKILL"),
                                reason="SIGKILL is POSIX only")


def start_child(path: Path, role: str = "window", read_only: bool = False, gate_wait: float = 5.0):
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), role, "1" if read_only else "0",
                              str(gate_wait)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return child


def ready_child(path: Path, **kwargs):
    child = start_child(path, **kwargs)
    line = child.stdout.readline()
    assert line.strip() == "READY", line + child.stderr.read()
    return child


def end(child) -> None:
    child.stdin.close()
    child.wait(timeout=60)


def wait_until(condition, deadline_s: float = 30.0) -> None:
    deadline = time.monotonic() + deadline_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met"
        time.sleep(0.05)


def records(path: Path) -> list[Path]:
    folder = lock.folder_for(path)
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def test_a_record_names_this_process_and_closing_leaves_nothing(tmp_path: Path):
    path = tmp_path / "chibo.sqlite"
    storage.open_database(path, role="command backup")
    [record] = records(path)
    data = json.loads(record.read_text(encoding="utf-8"))
    assert (data["host"], data["pid"], data["role"], data["read_only"]) == (lock.HOST, os.getpid(), "command backup",
                                                                              False)
    storage.close_database()
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("chibo.sqlite-")] == ["chibo.sqlite"]


def test_reopening_the_same_file_keeps_one_record_and_its_role(tmp_path: Path):
    path, other = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    storage.open_database(path, role="window")
    first = records(path)
    storage.open_database(path)  # a restore or an encryption reopens it without saying the role again
    assert records(path) == first
    assert json.loads(first[0].read_text(encoding="utf-8"))["role"] == "window"
    storage.open_database(other)
    assert records(path) == [] and len(records(other)) == 1
    storage.close_database()
    assert records(other) == []


def test_require_alone_names_a_second_process_and_passes_once_it_exits(tmp_path: Path):
    path = tmp_path / "chibo.sqlite"
    storage.open_database(path)
    child = ready_child(path, role="window")
    try:
        [holder] = lock.others(path)
        assert (holder.pid, holder.role, holder.host, holder.verified) == (child.pid, "window", lock.HOST, True)
        with pytest.raises(storage.FileInUse) as refused:
            lock.require_alone(path, "mã hóa")
        message = str(refused.value)
        assert message.startswith("Không thể mã hóa khi tệp đang được mở ở nơi khác: ")
        assert f"máy {lock.HOST}" in message and f"tiến trình {child.pid}, mở cửa sổ từ " in message
        assert "Hãy đóng chương trình đó rồi làm lại." in message
        with pytest.raises(storage.FileInUse):
            with lock.exclusive(path, "khôi phục"):
                pass
    finally:
        end(child)
    lock.require_alone(path, "mã hóa")
    assert [r.stem for r in records(path)] == [lock.registered(path).id]
    storage.close_database()


@POSIX_KILL
def test_a_killed_holder_is_stale_and_its_files_are_removed(tmp_path: Path):
    path = tmp_path / "chibo.sqlite"
    storage.open_database(path)
    child = ready_child(path, role="command backup")
    assert [h.pid for h in lock.others(path)] == [child.pid]
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=60)
    lock.require_alone(path, "mã hóa")  # the kernel let go of its lock: the record is stale
    assert lock.others(path) == []
    own = lock.registered(path).id
    assert {p.name for p in lock.folder_for(path).iterdir()} <= {f"{own}.json", f"{own}.lock", lock.GATE_NAME}
    storage.close_database()
    assert not lock.folder_for(path).exists()


def test_while_exclusive_a_newcomer_waits_then_is_told_and_this_process_may_reopen(tmp_path: Path):
    path = tmp_path / "chibo.sqlite"
    storage.open_database(path)
    with lock.exclusive(path, "mã hóa"):
        storage.close_database()
        storage.open_database(path)  # the converting process itself is not kept out by its own gate
        child = start_child(path, gate_wait=0.2)
        out, err = child.communicate(timeout=60)
        assert child.returncode == 3, out + err
        assert "REFUSED" in out and "Hãy đợi việc đó xong rồi mở lại." in out
    ready = ready_child(path)
    end(ready)
    storage.close_database()


def test_a_registration_waits_at_a_held_gate_and_then_refuses(tmp_path: Path, monkeypatch):
    path = tmp_path / "chibo.sqlite"
    storage.open_database(path)
    storage.close_database()
    monkeypatch.setattr(lock, "GATE_WAIT_SECONDS", 0.1)
    lock.folder_for(path).mkdir()
    gate = filelock.FileLock(lock.folder_for(path) / lock.GATE_NAME)  # another process's gate: a separate lock
    with gate:
        with pytest.raises(storage.FileInUse, match="đang được chuyển đổi"):
            storage.open_database(path)
    assert records(path) == []
    storage.open_database(path)
    storage.close_database()


def _foreign_record(path: Path, host: str = "may-o-xa") -> str:
    folder = lock.folder_for(path)
    folder.mkdir(exist_ok=True)
    record_id = "4242-abcd"
    (folder / f"{record_id}.json").write_text(json.dumps(
        {"host": host, "user": "bithu", "pid": 4242, "role": "window", "read_only": False,
         "started": "2026-12-01T18:05:00"}), encoding="utf-8")
    (folder / f"{record_id}.lock").touch()
    return record_id


def test_a_record_from_another_computer_is_kept_unverified_until_taken_over(tmp_path: Path):
    path = tmp_path / "chibo.sqlite"
    storage.open_database(path)
    _foreign_record(path)
    [holder] = lock.others(path)
    assert not holder.verified and holder.other_computer
    assert holder.describe() == "máy may-o-xa, người dùng bithu, tiến trình 4242, mở cửa sổ từ 18:05 ngày 01/12/2026"
    assert len(lock.others(path)) == 1  # not removed by looking
    with pytest.raises(storage.FileInUse, match="Vẫn mở để sửa"):
        lock.require_alone(path, "giải mã")
    lock.take_over(path, [holder])
    assert lock.others(path) == []
    storage.close_database()
    assert not lock.folder_for(path).exists()


def test_a_stale_record_from_this_computer_is_removed_without_asking(tmp_path: Path):
    path = tmp_path / "chibo.sqlite"
    storage.open_database(path)
    _foreign_record(path, host=lock.HOST)
    assert lock.others(path) == []
    assert len(records(path)) == 1
    storage.close_database()


def _cell_file(tmp_path: Path) -> Path:
    path = tmp_path / "chibo.sqlite"
    storage.open_database(path)
    cell_service.save_cell(CellInfo(name="Chi bộ thôn Đông", superior_name="Đảng bộ xã Hòa Bình"))
    storage.close_database()
    return path


def test_read_only_refuses_a_write_with_a_message_naming_the_editor_and_changes_nothing(tmp_path: Path):
    path = _cell_file(tmp_path)
    child = ready_child(path, role="window")
    try:
        storage.open_database(path, role="window", read_only=True)
        assert storage.current().read_only
        assert lock.registered(path).read_only
        with pytest.raises(storage.ReadOnlyFile) as refused:
            cell_service.save_cell(CellInfo(name="Chi bộ đổi tên", superior_name="Đảng bộ xã Hòa Bình"))
        message = str(refused.value)
        assert message.startswith("Tệp đang mở chỉ để xem (máy ")
        assert f"tiến trình {child.pid}" in message and message.endswith("đang mở để sửa); thay đổi không được lưu.")
        assert cell_service.get_cell().name == "Chi bộ thôn Đông"  # reading still works
    finally:
        storage.close_database()
        end(child)
    storage.open_database(path)
    assert cell_service.get_cell().name == "Chi bộ thôn Đông"
    storage.close_database()


def test_read_only_refuses_a_file_that_needs_migrating_and_leaves_it_as_it_was(tmp_path: Path):
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "schema_v1.sqlite", path)
    before = path.read_bytes()
    with pytest.raises(storage.DatabaseError, match="chỉ để xem thì không nâng cấp"):
        storage.open_database(path, read_only=True)
    assert path.read_bytes() == before
    assert not lock.folder_for(path).exists()
    with pytest.raises(storage.DatabaseError, match="để xem"):
        storage.open_database(tmp_path / "missing.sqlite", read_only=True)
    assert not (tmp_path / "missing.sqlite").exists()


def test_drafts_in_read_only_mode_stay_in_memory(tmp_path: Path):
    path = _cell_file(tmp_path)
    storage.open_database(path, read_only=True)
    drafts.keep("meeting.1.content", {"content": "Đang gõ dở"})
    assert drafts.get("meeting.1.content").fields == {"content": "Đang gõ dở"}
    assert [d.key for d in drafts.all_drafts()] == ["meeting.1.content"]
    drafts.discard("meeting.1.content")
    assert drafts.get("meeting.1.content") is None
    drafts.keep("meeting.1.content", {"content": "Còn trong bộ nhớ"})
    storage.open_database(path, read_only=False)
    assert drafts.all_drafts() == []  # nothing reached the file
    storage.close_database()


def test_a_holder_started_now_describes_a_command():
    holder = lock.Holder("1-a", "pc", "", 7, "command backup", False, dt.datetime(2026, 12, 1, 8, 0))
    assert holder.describe() == "máy pc, người dùng ?, tiến trình 7, chạy lệnh «backup» từ 08:00 ngày 01/12/2026"


@needs_sqlcipher
def test_an_encryption_reopens_the_file_as_the_same_window(tmp_path: Path):
    from app.services import safety

    path = _cell_file(tmp_path)
    storage.open_database(path, role="window")
    safety.encrypt_database("mật khẩu dài đủ")
    assert lock.registered(path).role == "window" and len(records(path)) == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(lock.FOLDER_SUFFIX)] == [path.name + ".dang-mo"]
    storage.close_database()


@needs_sqlcipher
@pytest.mark.parametrize("operation", ["encrypt", "restore"])
def test_a_whole_file_swap_is_refused_while_another_chibo_has_the_file_open(tmp_path: Path, operation: str):
    """The attack that corrupted the file 7 times in 7: encrypt (or restore) under another process's feet."""
    from app.services import safety
    from app.services.errors import ServiceError

    path = _cell_file(tmp_path)
    storage.open_database(path, role="window")
    made = safety.backup_now()
    before = path.read_bytes()
    other = ready_child(path, role="window")
    try:
        with pytest.raises((ServiceError, storage.DatabaseError)) as refused:
            if operation == "encrypt":
                safety.encrypt_database("mật khẩu dài đủ")
            else:
                safety.restore_from(made)
        message = str(refused.value)
        assert f"tiến trình {other.pid}" in message and "Hãy đóng chương trình đó" in message
        assert not storage.is_encrypted_file(path)
        assert cell_service.get_cell().name == "Chi bộ thôn Đông"
    finally:
        end(other)
    storage.close_database()
    assert path.read_bytes()[:100] == before[:100]
    storage.open_database(path)
    assert storage.integrity_messages(storage.database) == ["ok"]
    storage.close_database()


def test_the_next_start_removes_a_killed_conversions_plain_copy_unless_another_chibo_is_at_work(tmp_path: Path):
    """A killed decrypt left `….ma-hoa.tmp`, a plaintext copy of the whole database, beside the file."""
    from app import cli

    path = _cell_file(tmp_path)
    leftover = path.with_name(path.name + ".ma-hoa.tmp")
    leftover.write_bytes(b"SQLite format 3\x00 plain rows")
    other = ready_child(path, role="window")
    try:
        assert cli.main(["--db", str(path), "check-db"]) == 0
        assert leftover.exists()  # it may be the other process's conversion under way
    finally:
        end(other)
    assert cli.main(["--db", str(path), "check-db"]) == 0
    assert not leftover.exists()


OPENER = """
import sys
from app.storage import db, lock
lock.GATE_WAIT_SECONDS = 60.0
print("OPENING", flush=True)
try:
    db.open_database(sys.argv[1], sys.argv[2], role="command members")
    print("OPENED", db.current().passphrase is not None, flush=True)
except db.DatabaseError as exc:
    print("REFUSED", exc, flush=True)
"""


@needs_sqlcipher
def test_a_process_opening_the_file_during_an_encryption_opens_it_as_it_is_once_done(tmp_path: Path):
    """The file is looked at only after the gate: one started mid-encryption must not take it for plain."""
    from app.services import safety

    path = _cell_file(tmp_path)
    key = "mật khẩu dài đủ"
    storage.open_database(path, role="window")
    with lock.exclusive(path):
        child = subprocess.Popen([sys.executable, "-c", OPENER, str(path), key], cwd=ROOT, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert child.stdout.readline().strip() == "OPENING"
        time.sleep(0.5)  # let it look at the file, as it did before waiting (not needed for the test to pass)
        safety.encrypt_database(key)
    out, err = child.communicate(timeout=120)
    assert out.strip() == "OPENED True", out + err
    storage.close_database()


def test_the_user_named_in_a_lock_record_is_the_os_account_not_the_environments(monkeypatch):
    from app.storage import audit, lock

    for name in ("USER", "LOGNAME", "USERNAME", "LNAME"):
        monkeypatch.setenv(name, "ke-gia-mao")
    assert lock._user() == audit.os_account()
    assert lock._user() != "ke-gia-mao"


def test_a_registration_that_meets_a_full_disk_leaves_nothing_behind(tmp_path: Path, monkeypatch):
    import errno

    path = _cell_file(tmp_path)

    def full(self, *_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_text", full)
    with pytest.raises(storage.DatabaseError):
        storage.open_database(path)
    monkeypatch.undo()
    folder = lock.folder_for(path)
    assert not folder.exists() or list(folder.iterdir()) == []
