"""Backups, restore, encryption and the change history: nothing lost, nobody let in."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings
from hypothesis import strategies as st

from app.cli import main
from app.domain.members import Member
from app.services import demo, members, roster_io, safety, settings
from app.services.errors import ServiceError
from app.storage import backup
from app.storage import db as storage
from app.storage import migrations

from tests.conftest import SAMPLE_XLSX, TODAY, needs_sqlcipher


@pytest.fixture
def demo_db(db_path: Path) -> Path:
    demo.build_demo(TODAY)
    return db_path


def _count() -> int:
    return len(members.list_members(statuses=None, include_archived=True))


def test_backup_is_a_checked_copy_in_the_backup_folder(demo_db):
    made = safety.backup_now()
    assert made.parent == demo_db.parent / "sao-luu"
    info = backup.inspect(made)
    assert (info.integrity, info.members, info.cell_name) == ("ok", 35, "Chi bộ thôn Đông")
    assert not list(made.parent.glob("*-wal")) and not list(made.parent.glob("*.tmp"))


def test_manual_backup_to_a_chosen_file_and_a_second_folder(demo_db, tmp_path):
    target = safety.backup_now(target=tmp_path / "usb" / "ban-sao.sqlite")
    assert backup.inspect(target).members == 35
    settings.set_value("backup.second_folder", str(tmp_path / "usb2"))
    made = safety.backup_now()
    assert (tmp_path / "usb2" / made.name).exists()


def test_daily_backup_only_when_a_day_has_passed(demo_db):
    start = dt.datetime(2026, 11, 1, 8, 0)
    assert safety.daily_backup_if_due(start) is not None
    assert safety.daily_backup_if_due(start + dt.timedelta(hours=5)) is None
    assert safety.daily_backup_if_due(start + dt.timedelta(days=1, minutes=1)) is not None


def test_thinning_keeps_the_newest_per_day_week_and_month_and_all_recent():
    newest = dt.datetime(2026, 11, 23, 20, 0)
    stamps = [newest - dt.timedelta(hours=6 * i) for i in range(4 * 400)]
    keep = backup.to_keep(stamps, daily=7, weekly=4, monthly=12)
    assert newest in keep
    assert {s for s in stamps if newest - s < dt.timedelta(days=2)} <= keep
    days = {s.date() for s in keep}
    months = {(s.year, s.month) for s in keep}
    assert len(months) == 12 and len(days) <= 7 + 4 + 12 + 2
    assert min(keep) > newest - dt.timedelta(days=366)


@hsettings(max_examples=50, deadline=None)
@given(st.lists(st.datetimes(dt.datetime(2020, 1, 1), dt.datetime(2026, 12, 31)), min_size=1, max_size=60, unique=True),
       st.integers(0, 10), st.integers(0, 6), st.integers(0, 14))
def test_thinning_always_keeps_the_newest_and_only_what_exists(stamps, daily, weekly, monthly):
    keep = backup.to_keep(stamps, daily, weekly, monthly)
    assert max(stamps) in keep and keep <= set(stamps)


def test_restore_brings_back_the_backup_and_keeps_the_current_state_as_a_backup(demo_db):
    made = safety.backup_now()
    added = members.add_member(Member(full_name="Người Mới Thêm"), today=TODAY).member
    info = safety.restore_from(made)
    assert info.members == 35
    assert _count() == 35
    assert "Người Mới Thêm" not in {e.member.full_name for e in members.list_members(statuses=None)}
    before = [p for _t, p in backup.list_backups(demo_db.parent / "sao-luu", demo_db) if "truoc-khoi-phuc" in p.name]
    assert len(before) == 1 and backup.inspect(before[0]).members == 36
    assert storage.inspect_file(demo_db)[1] == migrations.SCHEMA_VERSION
    assert added.id is not None


def _damaged(path: Path, tmp_path: Path) -> Path:
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 997):
        data[offset] ^= 0xFF
    bad = tmp_path / "hong.sqlite"
    bad.write_bytes(bytes(data))
    return bad


def _foreign(tmp_path: Path) -> Path:
    path = tmp_path / "khac.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    return path


def _newer(path: Path, tmp_path: Path) -> Path:
    newer = tmp_path / "moi-hon.sqlite"
    newer.write_bytes(path.read_bytes())
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    return newer


@pytest.mark.parametrize("kind", ["damaged", "foreign", "not-sqlite", "newer", "missing"])
def test_restore_of_a_bad_file_is_refused_and_nothing_changes(demo_db, tmp_path, kind):
    made = safety.backup_now()
    bad = {
        "damaged": lambda: _damaged(made, tmp_path),
        "foreign": lambda: _foreign(tmp_path),
        "not-sqlite": lambda: (tmp_path / "x.sqlite").write_text("xin chào") and tmp_path / "x.sqlite",
        "newer": lambda: _newer(made, tmp_path),
        "missing": lambda: tmp_path / "khong-co.sqlite",
    }[kind]()
    members.add_member(Member(full_name="Người Mới Thêm"), today=TODAY)
    with pytest.raises(ServiceError):
        safety.restore_from(bad)
    assert _count() == 36
    assert safety.check_database()["ok"]


def test_restore_migrates_an_older_backup(demo_db, monkeypatch):
    made = safety.backup_now()
    step = "ALTER TABLE member ADD COLUMN nickname TEXT NOT NULL DEFAULT '';"
    monkeypatch.setattr(migrations, "STEPS", migrations.STEPS + (step,))
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", migrations.SCHEMA_VERSION + 1)
    storage.open_database(demo_db)  # the live file moves to the new version
    safety.restore_from(made)
    assert storage.inspect_file(demo_db)[1] == migrations.SCHEMA_VERSION
    assert _count() == 35


def test_import_takes_a_backup_first(cell_db):
    members.add_member(Member(full_name="Đã Có Sẵn"), today=TODAY)
    roster_io.apply_import(roster_io.preview_import(SAMPLE_XLSX, today=TODAY), today=TODAY)
    kinds = [p.name for _t, p in backup.list_backups(cell_db.parent / "sao-luu", cell_db)]
    assert any("truoc-nhap" in k for k in kinds)
    assert backup.inspect(cell_db.parent / "sao-luu" / kinds[0]).members == 1


@needs_sqlcipher
def test_encryption_hides_the_data_and_needs_the_passphrase(demo_db):
    safety.encrypt_database("mat-khau-dai")
    assert b"Chi b" not in demo_db.read_bytes() and "Lê Văn Sơn".encode() not in demo_db.read_bytes()
    assert safety.check_database()["encrypted"] is True
    storage.close_database()
    with pytest.raises(storage.PassphraseNeeded):
        storage.open_database(demo_db)
    before = demo_db.read_bytes()
    with pytest.raises(storage.WrongPassphrase, match="Mật khẩu không đúng"):
        storage.open_database(demo_db, "sai-mat-khau")
    assert demo_db.read_bytes() == before
    storage.open_database(demo_db, "mat-khau-dai")
    assert _count() == 35
    made = safety.backup_now()
    assert storage.is_encrypted_file(made)
    with pytest.raises(storage.DatabaseError):
        backup.inspect(made)
    assert backup.inspect(made, "mat-khau-dai").members == 35


@needs_sqlcipher
def test_rekey_and_decrypt(demo_db):
    safety.encrypt_database("mat-khau-cu-1")
    safety.rekey("mat-khau-moi-2")
    storage.close_database()
    with pytest.raises(storage.WrongPassphrase):
        storage.open_database(demo_db, "mat-khau-cu-1")
    storage.open_database(demo_db, "mat-khau-moi-2")
    safety.decrypt_database()
    assert not storage.is_encrypted_file(demo_db)
    assert safety.check_database()["encrypted"] is False
    assert _count() == 35


def test_short_passphrase_is_refused(demo_db):
    with pytest.raises(ServiceError, match="ít nhất 8"):
        safety.encrypt_database("ngan")
    assert not storage.is_encrypted_file(demo_db)


def test_settings_refuse_bad_values_with_the_setting_named(demo_db):
    with pytest.raises(ServiceError, match="phải là một số nguyên"):
        settings.set_value("backup.keep_daily", "bảy")
    with pytest.raises(ServiceError, match="Không có thiết lập"):
        settings.set_value("khong.co", "1")
    settings.set_value("backup.keep_daily", "3")
    assert settings.get("backup.keep_daily") == 3


def test_a_backup_folder_may_be_missing_but_not_a_file(demo_db, tmp_path):
    a_file = tmp_path / "ghi-chu.txt"
    a_file.write_text("x")
    for key in ("backup.folder", "backup.second_folder"):
        with pytest.raises(ServiceError, match="là một tệp, không phải thư mục"):
            settings.set_value(key, str(a_file))
        settings.set_value(key, str(tmp_path / "usb-chua-cam"))  # a stick not plugged in now
    assert settings.get("backup.second_folder") == str(tmp_path / "usb-chua-cam")


def _cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


@needs_sqlcipher
def test_command_line_backup_restore_check_history_encrypt(demo_db, tmp_path, capsys, monkeypatch):
    storage.close_database()
    target = tmp_path / "tay.sqlite"
    assert _cli(capsys, "--db", demo_db, "backup", "-o", target)[0] == 0
    assert _cli(capsys, "--db", demo_db, "members", "archive", "1", "--reason", "thử")[0] == 0
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, _out, err = _cli(capsys, "--db", demo_db, "restore", target)
    assert code == 1 and "--yes" in err
    assert _cli(capsys, "--db", demo_db, "restore", target, "--yes")[0] == 0
    code, out, _ = _cli(capsys, "--db", demo_db, "check-db", "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["members"] == 35 and report["encrypted"] is False
    code, out, _ = _cli(capsys, "--db", demo_db, "history", "--member", "1", "--json")
    assert [e["action"] for e in json.loads(out)][:1] == ["create"]
    assert _cli(capsys, "--db", demo_db, "history", "-o", tmp_path / "nk.csv")[0] == 0
    assert "Thời điểm" in (tmp_path / "nk.csv").read_text(encoding="utf-8-sig")
    pw, pw2 = tmp_path / "pw", tmp_path / "pw2"
    pw.write_text("mat-khau-dai\n")
    pw2.write_text("mat-khau-khac\n")
    assert _cli(capsys, "--db", demo_db, "encrypt", "--passphrase-file", pw)[0] == 0
    code, _out, err = _cli(capsys, "--db", demo_db, "members", "list")
    assert code == 1 and "mật khẩu" in err
    assert _cli(capsys, "--db", demo_db, "--passphrase-file", pw, "rekey", "--new-passphrase-file", pw2)[0] == 0
    code, out, _ = _cli(capsys, "--db", demo_db, "--passphrase-file", pw2, "members", "list", "--json")
    assert code == 0 and len(json.loads(out)) == 33  # the archived member came back with the restore


def test_checking_a_live_copy_from_elsewhere_writes_nothing_beside_it(demo_db, tmp_path):
    import shutil

    foreign = tmp_path / "elsewhere"
    foreign.mkdir()
    storage.close_database()
    shutil.copy(demo_db, foreign / "copy.sqlite")  # a WAL-mode file, as the live one is
    storage.open_database(demo_db)
    assert backup.inspect(foreign / "copy.sqlite").members == 35
    assert sorted(p.name for p in foreign.iterdir()) == ["copy.sqlite"]


def test_backup_to_a_folder_or_an_existing_file_is_refused_and_leaves_nothing(demo_db, tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    with pytest.raises(ServiceError, match="là một thư mục"):
        safety.backup_now(target=folder)
    existing = tmp_path / "co-san.sqlite"
    existing.write_text("giữ nguyên")
    with pytest.raises(ServiceError, match="đã có"):
        safety.backup_now(target=existing)
    assert existing.read_text() == "giữ nguyên"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("chibo")) == ["co-san.sqlite", "usb"]
