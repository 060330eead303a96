"""Who has the cell's file open: one record per process beside the file, and a gate while the file is replaced.

Beside `chi-bo.sqlite` lives a folder `chi-bo.sqlite.dang-mo/` ("đang mở": open now). For each process that
has the file open it holds
  <id>.json  who: computer, user, pid, role ("window", "command backup"), read_only, start time;
  <id>.lock  an OS lock held for the whole life of that process;
and `gate.lock`, held for a moment by each registration and for the whole of `exclusive()` (encrypt, decrypt,
rekey, restore), so that no process starts using the file while it is being replaced. The folder goes away
when the last process lets go.

The OS lock is filelock's (flock on POSIX, LockFileEx on Windows; pure Python), which also copes with a lock
file unlinked while a peer waits on it. Its fallback to a "soft" lock (the file's mere existence) is turned
off: with it, a window that crashed would look open for ever.

Alive or stale. The OS drops a process's lock however it ends (exit, crash, kill -9, power cut, a USB stick
pulled out: the lock lives in the running kernel, not in the file). So a record from this computer whose lock
can be taken is stale, and whoever finds it removes it. A record is written only once its lock is held and
removed before the lock is let go, so a free lock never belongs to a process still starting or ending.

Records from another computer (a USB stick carried from one PC to the next, a shared folder). Their lock says
little here: on a stick pulled out of the other PC nothing holds it any more, on a network share the lock may or
may not reach this computer. So a record from another computer
  - whose lock is held (a share that passes locks on) is alive;
  - whose lock can be taken is *unverified*: it is never removed on its own, but shown to the user, who may take
    over (`take_over`, the window's «Vẫn mở để sửa»). `require_alone` refuses while it is there and says how to
    clear it. Its start time does not decide: two computers' clocks need not agree, and a window may stay open
    for days.

Not detected: programs other than chibo that open the SQLite file (the sqlite3 shell, DB Browser); a process
on a filesystem without OS locks (some FUSE mounts: it registers nothing); two computers with one host name
(taken for one computer). A read-only open in a folder that cannot be written registers nothing.
"""
from __future__ import annotations

import atexit
import datetime as dt
import json
import os
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path

import filelock

from app.i18n import _
from app.storage import audit
from app.storage.db import DatabaseError, FileInUse

FOLDER_SUFFIX = ".dang-mo"
GATE_NAME = "gate.lock"
# How long opening the file waits for a conversion under way elsewhere before saying so.
GATE_WAIT_SECONDS = 5.0
# A registration whose folder vanished under it tries again this many times.
ATTEMPTS = 3
HOST = socket.gethostname()


@dataclass(frozen=True)
class Holder:
    """One process that has the file open, as its record says."""

    id: str
    host: str
    user: str
    pid: int
    role: str  # "window", or "command <name>"
    read_only: bool
    started: dt.datetime
    # Its OS lock was seen held. False only for a record from another computer whose lock could be taken.
    verified: bool = True

    @property
    def is_window(self) -> bool:
        return self.role == "window"

    @property
    def other_computer(self) -> bool:
        return self.host != HOST

    def doing(self) -> str:
        if self.is_window:
            return _("mở cửa sổ chỉ để xem") if self.read_only else _("mở cửa sổ")
        if self.role.startswith("command "):
            return _("chạy lệnh «{name}»").format(name=self.role.removeprefix("command "))
        return _("chạy lệnh")

    def describe(self) -> str:
        """«máy TÊN, người dùng U, tiến trình 1234, mở cửa sổ từ 18:05 ngày 01/12/2026»."""
        return _("máy {host}, người dùng {user}, tiến trình {pid}, {doing} từ {time} ngày {date}").format(
            host=self.host, user=self.user or "?", pid=self.pid, doing=self.doing(),
            time=self.started.strftime("%H:%M"), date=self.started.strftime("%d/%m/%Y"))

    def to_json(self) -> str:
        return json.dumps({"host": self.host, "user": self.user, "pid": self.pid, "role": self.role,
                           "read_only": self.read_only, "started": self.started.isoformat(timespec="seconds")},
                          ensure_ascii=False)


@dataclass
class _Registration:
    holder: Holder
    lock: filelock.BaseFileLock


_mine: dict[Path, _Registration] = {}  # this process's records, by folder
_exclusive: dict[Path, int] = {}  # folders whose gate this process holds (exclusive), with nesting depth


def folder_for(path: Path | str) -> Path:
    path = Path(path).resolve()
    return path.with_name(path.name + FOLDER_SUFFIX)


def _file_lock(path: Path) -> filelock.BaseFileLock:
    # Not thread-local: a window may close the file from another thread than the one that opened it.
    return filelock.FileLock(path, thread_local=False, fallback_to_soft=False)


def _user() -> str:
    # The OS account, as the history names it: getpass would take $USER, which anyone can set.
    return audit.os_account()


def registered(path: Path | str) -> Holder | None:
    """This process's record for the file, if it has one."""
    mine = _mine.get(folder_for(path))
    return mine.holder if mine is not None else None


def register(path: Path | str, role: str = "command", read_only: bool = False) -> Holder:
    """Record that this process has the file open; again for the same file only updates the record."""
    folder = folder_for(path)
    mine = _mine.get(folder)
    if mine is not None:
        if (mine.holder.role, mine.holder.read_only) != (role, read_only):
            mine.holder = replace(mine.holder, role=role, read_only=read_only)
            _write_record(folder, mine.holder)
        return mine.holder
    holder = Holder(f"{os.getpid()}-{secrets.token_hex(4)}", HOST, _user(), os.getpid(), role, read_only,
                    dt.datetime.now().replace(microsecond=0))
    try:
        _mine[folder] = _Registration(holder, _add_record(folder, holder))
    except OSError as exc:
        _tidy(folder)  # nothing of this process's is left in it
        if read_only:
            return holder  # a stick that cannot be written: the file can still be read, and no one is told
        raise _unwritable(folder, exc) from exc
    return holder


def _unwritable(folder: Path, exc: OSError) -> DatabaseError:
    return DatabaseError(_("Không ghi được vào thư mục {folder}: {error}").format(
        folder=folder.parent, error=exc.strerror or exc))


def _add_record(folder: Path, holder: Holder) -> filelock.BaseFileLock:
    for _attempt in range(ATTEMPTS - 1):
        with suppress(FileNotFoundError):  # the folder vanished under us: the last holder was tidying up
            return _try_add_record(folder, holder)
    return _try_add_record(folder, holder)


def _try_add_record(folder: Path, holder: Holder) -> filelock.BaseFileLock:
    folder.mkdir(exist_ok=True)
    with _gate(folder):
        lock = _file_lock(folder / f"{holder.id}.lock")
        lock.acquire(blocking=False)
        try:
            _write_record(folder, holder)
        except BaseException:
            _drop(folder, holder.id, lock)
            raise
    return lock


def _write_record(folder: Path, holder: Holder) -> None:
    # Written whole under another name, then renamed: a reader never sees half a record.
    temporary = folder / f"{holder.id}.json.tmp"
    try:
        temporary.write_text(holder.to_json(), encoding="utf-8")
        os.replace(temporary, folder / f"{holder.id}.json")
    except BaseException:
        temporary.unlink(missing_ok=True)  # a full disk leaves no half record behind
        raise


def _drop(folder: Path, record_id: str, lock: filelock.BaseFileLock) -> None:
    """Remove a record and its lock file while the lock is held (a peer waiting on it then tries again)."""
    _remove_record(folder, record_id)
    lock.release()


def _remove_record(folder: Path, record_id: str) -> None:
    (folder / f"{record_id}.json").unlink(missing_ok=True)
    with suppress(OSError):  # Windows refuses to delete a file still open; filelock's release deletes it there
        (folder / f"{record_id}.lock").unlink()


def release(path: Path | str | None = None) -> None:
    """Remove this process's record for the file (for every file when path is None)."""
    folders = [folder_for(path)] if path is not None else list(_mine)
    for folder in folders:
        mine = _mine.pop(folder, None)
        if mine is not None:
            _drop(folder, mine.holder.id, mine.lock)
            _tidy(folder)


atexit.register(release)


def _tidy(folder: Path) -> None:
    """Remove the folder once no record is left in it; only when no one else is at the gate."""
    if folder in _exclusive:
        return
    gate = _file_lock(folder / GATE_NAME)
    try:
        gate.acquire(blocking=False)
    except OSError:
        return
    try:
        if not any(name.name != GATE_NAME for name in folder.iterdir()):
            with suppress(OSError):
                (folder / GATE_NAME).unlink()
    except OSError:
        pass
    finally:
        gate.release()
    with suppress(OSError):
        folder.rmdir()


@contextmanager
def _gate(folder: Path) -> Iterator[None]:
    if folder in _exclusive:
        yield
        return
    gate = _file_lock(folder / GATE_NAME)
    try:
        gate.acquire(timeout=GATE_WAIT_SECONDS)
    except filelock.Timeout as exc:
        raise FileInUse(busy_message(folder)) from exc
    try:
        yield
    finally:
        gate.release()


def busy_message(folder: Path) -> str:
    holders = _alive(folder)
    if holders:
        return _("Tệp dữ liệu đang được chuyển đổi (mã hóa, giải mã, đổi mật khẩu hoặc khôi phục) ở nơi khác: "
                 "{holders}. Hãy đợi việc đó xong rồi mở lại.").format(holders=_list(holders))
    return _("Tệp dữ liệu đang được chuyển đổi (mã hóa, giải mã, đổi mật khẩu hoặc khôi phục) ở nơi khác. "
             "Hãy đợi việc đó xong rồi mở lại.")


def others(path: Path | str) -> list[Holder]:
    """Every process but this one that has the file open; stale records are removed on the way."""
    return _alive(folder_for(path))


def _alive(folder: Path) -> list[Holder]:
    mine = _mine.get(folder)
    own_id = mine.holder.id if mine is not None else None
    try:
        records = sorted(folder.glob("*.json")) if folder.is_dir() else []
    except OSError:
        return []
    found = [_check(folder, record) for record in records if record.stem != own_id]
    return sorted((h for h in found if h is not None), key=lambda h: h.started)


def _read(record: Path) -> Holder | None:
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        return Holder(record.stem, str(data["host"]), str(data["user"]), int(data["pid"]), str(data["role"]),
                      bool(data["read_only"]), dt.datetime.fromisoformat(data["started"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _check(folder: Path, record: Path) -> Holder | None:
    """The record's holder if it may still be alive; a stale record from this computer is removed."""
    holder = _read(record)
    lock = _file_lock(folder / f"{record.stem}.lock")
    try:
        lock.acquire(blocking=False)
    except filelock.Timeout:
        return holder
    except OSError:  # a lock file this user may not open: cannot tell, so the user is asked
        return replace(holder, verified=False) if holder is not None else None
    if holder is not None and holder.other_computer:
        lock.release()
        return replace(holder, verified=False)
    _drop(folder, record.stem, lock)
    return None


def take_over(path: Path | str, holders: list[Holder]) -> None:
    """Remove the records of holders the user says are gone (unverified records from another computer)."""
    folder = folder_for(path)
    for holder in holders:
        if not holder.verified:
            _remove_record(folder, holder.id)


def _list(holders: list[Holder]) -> str:
    return "; ".join(holder.describe() for holder in holders)


def in_use_message(holders: list[Holder], action: str) -> str:
    message = _("Không thể {action} khi tệp đang được mở ở nơi khác: {holders}. "
                "Hãy đóng chương trình đó rồi làm lại.").format(action=action, holders=_list(holders))
    if any(not holder.verified for holder in holders):
        message += " " + _("Không kiểm tra được tệp còn mở trên máy khác hay không; nếu chắc chắn máy đó đã đóng "
                           "chibo, hãy mở chibo trên máy này và chọn «Vẫn mở để sửa».")
    return message


def require_alone(path: Path | str, action: str) -> None:
    """Refuse (FileInUse naming each of them) when another process has the file open; action: «mã hóa»…"""
    holders = others(path)
    if holders:
        raise FileInUse(in_use_message(holders, action))


@contextmanager
def exclusive(path: Path | str, action: str | None = None) -> Iterator[None]:
    """Hold the gate: no process starts using the file meanwhile (one that tries waits, then is told why).

    With action, also require_alone under the gate, so no one can open the file between the check and the work.
    """
    folder = folder_for(path)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise _unwritable(folder, exc) from exc
    try:
        with _gate(folder):
            _exclusive[folder] = _exclusive.get(folder, 0) + 1
            try:
                if action is not None:
                    require_alone(path, action)
                yield
            finally:
                _exclusive[folder] -= 1
                if not _exclusive[folder]:
                    del _exclusive[folder]
    finally:
        _tidy(folder)
