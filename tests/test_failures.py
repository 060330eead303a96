"""Every failure of the disk or the data file is a Vietnamese message, never a traceback: a full database
(a real SQLITE_FULL through PRAGMA max_page_count), a lock held by another connection, a read-only file, a full
disk or a pulled USB stick during a backup, a backup folder that is a file."""
from __future__ import annotations

import errno
import json
import sqlite3
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace

import peewee
import pytest

from app.cli import main
from app.services import failures
from app.services.errors import ServiceError
from app.storage import db as storage

UNCHANGED = "Dữ liệu đã lưu không bị thay đổi."
MEMBER = ("--admitted", "03/01/1992", "--official", "03/01/1993", "--birth", "02/10/1968")


@pytest.fixture
def db(tmp_path: Path):
    path = tmp_path / "cli.sqlite"
    assert main(["--db", str(path), "init", "--cell", "Chi bộ thôn Đông", "--superior", "Đảng bộ xã Hòa Bình"]) == 0
    assert main(["--db", str(path), "members", "add", "--name", "Trần Thị Lan", *MEMBER]) == 0
    storage.close_database()
    yield path
    storage.close_database()


def run(capsys, db: Path, *args) -> tuple[int, str, str]:
    code = main(["--db", str(db), *[str(a) for a in args]])
    out = capsys.readouterr()
    return code, out.out, out.err


def assert_message(code: int, err: str, *words: str) -> None:
    assert code == 1
    assert "Traceback" not in err
    assert err.startswith("Lỗi: ") and err.count("\n") == 1, err
    for word in words:
        assert word in err, err


def members_in(db: Path) -> int:
    with closing(sqlite3.connect(str(db))) as conn:
        return conn.execute("SELECT count(*) FROM member").fetchone()[0]


# ---------------------------------------------------------------- message_for on its own


@pytest.mark.parametrize(("code", "words"), [
    (errno.ENOSPC, ("hết chỗ trống", "giải phóng chỗ trống")),
    (errno.EROFS, ("chỉ cho đọc",)),
    (errno.EACCES, ("Không có quyền",)),
    (errno.EPERM, ("Không có quyền",)),
    (errno.EIO, ("báo lỗi", "cắm lại USB")),
    (errno.ENOENT, ("Không tìm thấy", "cắm lại USB")),
    (errno.ENODEV, ("Không tìm thấy", "cắm lại USB")),
    (errno.ENOTDIR, ("không phải thư mục",)),
])
def test_each_os_error_names_the_file_and_says_nothing_changed(code, words):
    text = failures.message_for(OSError(code, "English text", "/media/usb/chibo.sqlite"))
    assert "/media/usb/chibo.sqlite" in text and UNCHANGED in text
    assert "English text" not in text
    for word in words:
        assert word in text


def test_windows_error_codes_are_recognised_before_errno():
    full = OSError(errno.EINVAL, "There is not enough space on the disk", "E:\\sao-luu\\a.sqlite")
    full.winerror = 112
    assert "hết chỗ trống" in failures.message_for(full)
    gone = OSError(errno.EINVAL, "The device is not ready", "E:\\sao-luu")
    gone.winerror = 21
    assert "rút ra" in failures.message_for(gone)


@pytest.mark.parametrize(("text", "words"), [
    ("database is locked", ("chương trình khác đang giữ", "đóng chương trình kia")),
    ("database or disk is full", ("hết chỗ trống",)),
    ("attempt to write a readonly database", ("chỉ cho đọc",)),
    ("disk I/O error", ("báo lỗi",)),
    ("unable to open database file", ("Không mở được",)),
])
def test_sqlite_and_peewee_errors_by_their_text(text, words):
    for exc in (sqlite3.OperationalError(text), peewee.OperationalError(text)):
        message = failures.message_for(exc)
        assert message is not None and UNCHANGED in message
        for word in words:
            assert word in message


def test_a_failure_wrapped_in_a_service_error_is_found_and_a_bug_is_not():
    wrapped = _raised_from(OSError(errno.ENOSPC, "No space left on device", "/mnt/usb/x.xlsx"),
                           ServiceError("Không ghi được tệp /mnt/usb/x.xlsx: No space left on device"))
    assert "hết chỗ trống" in failures.message_for(wrapped)
    assert failures.message_for(ServiceError("Không có đảng viên số 7.")) is None
    assert failures.message_for(ValueError("bug")) is None
    assert failures.message_for(sqlite3.OperationalError("no such table: member")) is None


def test_a_file_opened_read_only_is_named_as_such(monkeypatch, tmp_path):
    monkeypatch.setattr(storage, "current", lambda: SimpleNamespace(path=tmp_path / "a.sqlite", passphrase=None,
                                                                    read_only=True))
    text = failures.message_for(peewee.OperationalError("attempt to write a readonly database"))
    assert "chế độ chỉ đọc" in text and str(tmp_path / "a.sqlite") in text


# ---------------------------------------------------------------- the command line, with real failures


@pytest.fixture
def full_database(monkeypatch):
    """SQLite refuses to grow the file past its present size: a real SQLITE_FULL on the next new page."""
    monkeypatch.setitem(storage.PRAGMAS, "max_page_count", 1)


def test_a_full_database_refuses_a_new_member_with_a_message(db, capsys, full_database):
    code, _out, err = run(capsys, db, "members", "add", "--name", "Lê Văn Bình", *MEMBER, "--notes", "x" * 20000)
    assert_message(code, err, "hết chỗ trống", str(db), UNCHANGED)
    assert members_in(db) == 1


def test_a_full_database_refuses_an_import_with_a_message(db, capsys, full_database, tmp_path):
    sheet = tmp_path / "ds.csv"
    rows = [f"Nguyễn Văn Thử {i},01/02/1980,03/01/2000,03/01/2001,{'ghi chú ' * 50}" for i in range(200)]
    sheet.write_text("Họ và tên,Ngày sinh,Ngày vào Đảng,Ngày chính thức,Ghi chú\n" + "\n".join(rows), encoding="utf-8")
    code, _out, err = run(capsys, db, "members", "import", sheet)
    assert_message(code, err, "hết chỗ trống", UNCHANGED)
    assert members_in(db) == 1


def test_a_full_database_refuses_a_fee_payment_with_a_message(db, capsys, monkeypatch):
    profile = run(capsys, db, "fees", "profile", 1, "--category", "bhxh", "--from", "2026-01", "--basis", "8.000.000")
    assert profile[0] == 0
    storage.close_database()
    monkeypatch.setitem(storage.PRAGMAS, "max_page_count", 1)
    code, _out, err = run(capsys, db, "fees", "pay", 1, "--amount", "80000", "--month", "2026-02",
                          "--date", "05/02/2026", "--note", "y" * 20000)
    assert_message(code, err, "hết chỗ trống", UNCHANGED)
    monkeypatch.delitem(storage.PRAGMAS, "max_page_count")
    code, out, _err = run(capsys, db, "fees", "payments", "--year", "2026", "--json")
    assert json.loads(out) == []


def test_a_write_meeting_another_programs_lock_says_so(db, capsys, monkeypatch):
    monkeypatch.setitem(storage.PRAGMAS, "busy_timeout", 200)
    with closing(sqlite3.connect(str(db))) as other:
        other.execute("BEGIN IMMEDIATE")
        code, _out, err = run(capsys, db, "members", "add", "--name", "Lê Văn Bình", *MEMBER)
        other.rollback()
    assert_message(code, err, "chương trình khác đang giữ", str(db), "đóng chương trình kia")
    assert members_in(db) == 1


def test_a_read_only_file_says_so(db, capsys, monkeypatch):
    # We may run as root, whom chmod does not stop: open the file through SQLite's read-only URI instead.
    plain = storage.SqliteDatabase
    monkeypatch.setattr(storage, "SqliteDatabase",
                        lambda path, **kw: plain(Path(path).resolve().as_uri() + "?mode=ro", uri=True, **kw))
    code, _out, err = run(capsys, db, "members", "add", "--name", "Lê Văn Bình", *MEMBER)
    assert_message(code, err, "chỉ cho đọc", str(db), UNCHANGED)
    assert members_in(db) == 1


def test_a_full_disk_during_a_backup_says_so(db, capsys, monkeypatch):
    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage, "copy_database", full)
    code, _out, err = run(capsys, db, "backup")
    assert_message(code, err, "hết chỗ trống", "giải phóng chỗ trống")
    assert "No space" not in err


def test_a_stick_pulled_out_during_a_backup_says_so(db, capsys, monkeypatch):
    # SQLite's backup API reports a vanished device as its own error, not an OSError.
    def pulled(*_args, **_kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(storage, "copy_database", pulled)
    code, _out, err = run(capsys, db, "backup", "-o", db.parent / "usb" / "b.sqlite")
    assert_message(code, err, "cắm lại USB", UNCHANGED)


def test_a_backup_folder_that_is_a_file_or_is_gone(db, capsys, monkeypatch):
    blocker = db.parent / "usb"
    blocker.write_text("not a folder")
    code, _out, err = run(capsys, db, "backup", "-o", blocker / "b.sqlite")
    assert_message(code, err, str(blocker / "b.sqlite"), "không phải thư mục")
    assert run(capsys, db, "settings", "set", "backup.folder", blocker)[0] == 1  # a file is refused as a folder
    later = db.parent / "o-dia-d"
    assert run(capsys, db, "settings", "set", "backup.folder", later)[0] == 0  # missing now: allowed
    later.write_text("became a file since")
    code, _out, err = run(capsys, db, "backup")
    assert_message(code, err, str(later), "không phải thư mục")
    # A stick pulled out: its drive is gone, so even its folder cannot be made (we may run as root, who could).
    gone = db.parent / "E" / "sao-luu"
    mkdir = Path.mkdir

    def pulled(self, *args, **kwargs):
        if gone.parent in (self, *self.parents):
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(self))
        return mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", pulled)
    assert run(capsys, db, "settings", "set", "backup.folder", gone)[0] == 0
    code, _out, err = run(capsys, db, "backup")
    assert_message(code, err, str(gone), "rút ra", "cắm lại USB")


def test_a_bug_is_one_line_without_a_traceback_unless_asked(db, capsys, monkeypatch):
    from app.services import members

    def broken(*_args, **_kwargs):
        raise KeyError("full_name")

    monkeypatch.setattr(members, "list_members", broken)
    code, _out, err = run(capsys, db, "members", "list")
    assert_message(code, err, "không lường trước", "CHIBO_DEBUG=1", "KeyError: 'full_name'")
    monkeypatch.setenv("CHIBO_DEBUG", "1")
    code, _out, err = run(capsys, db, "members", "list")
    assert code == 1 and "Traceback (most recent call last)" in err and "def broken" not in err


def _raised_from(cause: BaseException, wrapper: BaseException) -> BaseException:
    """wrapper as a service raises it: `raise wrapper from cause`, with both tracebacks."""
    try:
        try:
            raise cause
        except type(cause) as exc:
            raise wrapper from exc
    except type(wrapper) as raised:
        return raised


def test_a_message_written_for_the_user_stands_even_over_a_known_failure():
    written = _raised_from(sqlite3.OperationalError("attempt to write a readonly database"),
                           storage.DatabaseError("Tệp đang mở chỉ để xem; thay đổi không được lưu."))
    assert failures.message_for(written) is None
    passed_on = _raised_from(sqlite3.OperationalError("database is locked"),
                             storage.DatabaseError("Không đọc được tệp a.sqlite: database is locked"))
    assert "chương trình khác đang giữ" in failures.message_for(passed_on)
