"""Issue 10: restore repairs a damaged file and refuses what would break the program; encryption leaves no
plaintext behind; the history entry of a swap is in the new file before it goes in."""
from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from app.cli import main
from app.domain.members import Member
from app.services import demo, members, restore_checks, safety, settings
from app.services.errors import ServiceError
from app.storage import backup
from app.storage import db as storage

from tests.conftest import TODAY, needs_sqlcipher
from tests.helpers import hostile_backups

KEY = "song-hong-chay-mai"


@pytest.fixture
def demo_db(db_path: Path) -> Path:
    demo.build_demo(TODAY)
    return db_path


def _names() -> list[str]:
    return sorted(e.member.full_name for e in members.list_members(statuses=None, include_archived=True))


def _last_action(path: Path, key: str | None = None) -> str:
    with closing(storage.connect_raw(path, key, read_only=True)) as conn:
        return conn.execute("SELECT action FROM change_log ORDER BY id DESC LIMIT 1").fetchone()[0]


def test_a_whole_demo_backup_means_what_it_says(demo_db):
    made = safety.backup_now()
    with closing(sqlite3.connect(made)) as conn:
        assert restore_checks.problems(conn) == []


@pytest.mark.parametrize("kind", sorted(hostile_backups.HOSTILE))
def test_a_backup_that_would_break_the_program_is_refused_naming_table_row_and_field(demo_db, tmp_path, kind):
    make, words = hostile_backups.HOSTILE[kind]
    hostile = make(safety.backup_now(), tmp_path / f"{kind}.sqlite")
    assert backup.inspect(hostile).integrity == "ok"  # SQLite alone would take it
    members.add_member(Member(full_name="Người Mới Thêm"), today=TODAY)
    before, files = _names(), sorted(p.name for p in demo_db.parent.iterdir())
    with pytest.raises(restore_checks.UnusableBackup) as refused:
        safety.restore_from(hostile)
    for word in words:
        assert word in str(refused.value)
    assert "dữ liệu hiện tại giữ nguyên" in str(refused.value)
    assert _names() == before and "Người Mới Thêm" in before
    assert sorted(p.name for p in demo_db.parent.iterdir()) == files
    assert safety.check_database()["ok"]


def test_this_machines_settings_are_kept_whatever_the_backup_says(demo_db, tmp_path):
    mine = tmp_path / "cua-toi"
    settings.set_value("backup.folder", str(mine))
    settings.set_value("lock.idle_minutes", 15)
    hostile = hostile_backups.machine_settings_elsewhere(safety.backup_now(), tmp_path / "h.sqlite", tmp_path / "la")
    safety.restore_from(hostile)
    assert settings.get("backup.folder") == str(mine)
    assert settings.get("backup.second_folder") == ""
    assert settings.get("lock.idle_minutes") == 15
    assert settings.get("fees.collector") == "Nguyễn Thị Ngọc Ánh"  # the cell's own settings come with it
    assert safety.backup_now().parent == mine


def test_another_cells_backup_needs_a_confirmation_naming_both(demo_db, tmp_path):
    other = hostile_backups.other_cell(safety.backup_now(), tmp_path / "tay.sqlite")
    members.add_member(Member(full_name="Người Mới Thêm"), today=TODAY)
    before = _names()
    with pytest.raises(restore_checks.OtherCellBackup) as asked:
        safety.restore_from(other)
    assert "Chi bộ thôn Tây" in str(asked.value) and "Chi bộ thôn Đông" in str(asked.value)
    assert (asked.value.here, asked.value.there) == ("Chi bộ thôn Đông", "Chi bộ thôn Tây")
    assert _names() == before
    safety.restore_from(other, confirm_other_cell=True)
    assert "Người Mới Thêm" not in _names()


def test_the_same_cell_written_otherwise_is_not_another_cell(demo_db, tmp_path):
    import unicodedata

    same = hostile_backups.other_cell(safety.backup_now(), tmp_path / "dong.sqlite",
                                      unicodedata.normalize("NFD", "CHI BỘ  THÔN ĐÔNG"))
    safety.restore_from(same)
    assert restore_checks.is_other_cell("Chi bộ thôn Đông", "Chi bộ thôn Tây")
    assert not restore_checks.is_other_cell("", "Chi bộ thôn Tây")


def _damage(path: Path) -> bytes:
    """Overwrite pages in the middle of a real database, as a failing disk would."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle:middle + 3 * 4096] = bytes(range(256)) * 48
    path.write_bytes(bytes(data))
    return bytes(data)


def test_restore_repairs_a_damaged_file_and_keeps_a_byte_copy_of_it(demo_db, tmp_path):
    good = safety.backup_now(target=tmp_path / "tot.sqlite")
    storage.close_database()
    damaged = _damage(demo_db)
    storage.open_database(demo_db)
    assert not safety.check_database()["ok"]
    info = safety.restore_from(good)
    assert safety.check_database()["ok"] and len(_names()) == 35
    assert info.kept is not None and "hong-truoc-khoi-phuc" in info.kept.name
    assert info.kept.parent == demo_db.parent and info.kept.read_bytes() == damaged
    assert info.kept in backup.copies_beside(demo_db)
    assert _last_action(demo_db) == "restore"


def test_a_restore_is_in_the_history_of_the_new_file_even_if_killed_right_after_the_swap(demo_db, monkeypatch):
    made = safety.backup_now()
    _kill_after_swap(monkeypatch, demo_db)
    with pytest.raises(SystemExit):
        safety.restore_from(made)
    assert _last_action(demo_db) == "restore"


def _kill_after_swap(monkeypatch, live: Path) -> None:
    real = safety.os.replace

    def replace_then_die(src, dst):
        real(src, dst)
        if Path(dst) == live:
            raise SystemExit("killed")

    monkeypatch.setattr(safety.os, "replace", replace_then_die)


def _plain(path: Path) -> bool:
    return path.read_bytes()[:16] == storage.SQLITE_MAGIC


def _old_copies(db_path: Path, second: Path) -> list[Path]:
    """Two backups in each folder, and a copy from before a schema upgrade beside the file."""
    settings.set_value("backup.second_folder", str(second))
    made = [safety.backup_now("hang-ngay"), safety.backup_now("thu-cong")]
    made += [second / p.name for p in made]
    made.append(storage.copy_database(storage.database.obj, storage.pre_migration_copy_path(db_path, 3)))
    assert all(_plain(p) for p in made)
    return made


@needs_sqlcipher
def test_encrypting_encrypts_the_older_copies_in_both_folders_and_beside_the_file(demo_db, tmp_path):
    copies = _old_copies(demo_db, tmp_path / "usb")
    result = safety.encrypt_database(KEY)
    before_encrypting = [p for _t, p in backup.list_backups(demo_db.parent / "sao-luu", demo_db)
                         if "truoc-ma-hoa" in p.name]
    assert len(before_encrypting) == 1
    before_encrypting.append(tmp_path / "usb" / before_encrypting[0].name)
    assert set(result.encrypted) == {*copies, *before_encrypting}
    for path in result.encrypted:
        assert not _plain(path) and "Lê Văn Sơn".encode() not in path.read_bytes()
        storage.inspect_file(path, KEY)
    assert not result.failed and str(len(result.encrypted)) in result.describe()
    assert not list(tmp_path.rglob("*.tmp"))


@needs_sqlcipher
def test_encrypting_can_remove_the_older_copies_instead(demo_db, tmp_path):
    copies = _old_copies(demo_db, tmp_path / "usb")
    result = safety.encrypt_database(KEY, remove_old_copies=True)
    assert not any(p.exists() for p in copies) and set(copies) <= set(result.removed)
    assert "Đã xóa" in result.describe()
    assert all(not _plain(p) for _t, p in backup.list_backups(demo_db.parent / "sao-luu", demo_db))


@needs_sqlcipher
def test_rekey_re_encrypts_the_older_copies_with_the_new_key(demo_db, tmp_path):
    safety.encrypt_database(KEY)
    older = safety.backup_now()
    result = safety.rekey("mot-mat-khau-moi-hon")
    assert older in result.encrypted
    storage.inspect_file(older, "mot-mat-khau-moi-hon")
    with pytest.raises(storage.WrongPassphrase):
        storage.inspect_file(older, KEY)


@needs_sqlcipher
@pytest.mark.parametrize("action", ["encrypt", "rekey", "decrypt"])
def test_the_history_entry_of_a_conversion_survives_a_kill_right_after_the_swap(demo_db, monkeypatch, action):
    if action != "encrypt":
        safety.encrypt_database(KEY)
    _kill_after_swap(monkeypatch, demo_db)
    run = {"encrypt": lambda: safety.encrypt_database(KEY), "rekey": lambda: safety.rekey("mot-mat-khau-moi-hon"),
           "decrypt": safety.decrypt_database}[action]
    with pytest.raises(SystemExit):
        run()
    key = {"encrypt": KEY, "rekey": "mot-mat-khau-moi-hon", "decrypt": None}[action]
    assert _last_action(demo_db, key) == action


@needs_sqlcipher
def test_a_plain_backup_restored_into_an_encrypted_cell_stays_encrypted(demo_db, tmp_path):
    plain = safety.backup_now(target=tmp_path / "ngoai.sqlite")  # outside the backup folders: left plain
    safety.encrypt_database(KEY)
    members.add_member(Member(full_name="Người Mới Thêm"), today=TODAY)
    assert not safety.needs_passphrase_for(plain)
    safety.restore_from(plain)
    assert storage.is_encrypted_file(demo_db) and safety.is_encrypted()
    assert "Người Mới Thêm" not in _names()
    storage.close_database()
    with pytest.raises(storage.PassphraseNeeded):
        storage.open_database(demo_db)
    storage.open_database(demo_db, KEY)
    assert len(_names()) == 35


@needs_sqlcipher
def test_an_encrypted_backup_into_a_plain_cell_asks_for_its_passphrase(demo_db, tmp_path):
    safety.encrypt_database(KEY)
    encrypted = safety.backup_now(target=tmp_path / "ma-hoa.sqlite")
    safety.decrypt_database()
    assert safety.needs_passphrase_for(encrypted)
    with pytest.raises(ServiceError):
        safety.restore_from(encrypted)
    safety.restore_from(encrypted, KEY)
    assert safety.is_encrypted() and len(_names()) == 35


def test_leftovers_of_killed_operations_are_removed_and_nothing_else(demo_db, tmp_path):
    second = tmp_path / "usb"
    settings.set_value("backup.second_folder", str(second))
    real = safety.backup_now()
    folder = real.parent
    stale = [demo_db.with_name(demo_db.name + ".ma-hoa.tmp"), demo_db.with_name(demo_db.name + ".khoi-phuc.tmp"),
             demo_db.with_name(demo_db.name + ".khoi-phuc.tmp-journal"),
             folder / (real.name + ".tmp"), folder / (real.name + ".ma-hoa.tmp"), second / (real.name + ".tmp"),
             demo_db.with_name("chibo.truoc-nang-cap-v3-20260101-000000.sqlite.ma-hoa.tmp")]
    others = [tmp_path / "ghi-chu.tmp", tmp_path / "chibo-ghi-chu.tmp", folder / "khac-20260101-000000-000-thu-cong.sqlite.tmp"]
    for path in stale + others:
        path.write_bytes(b"x")
    assert sorted(safety.remove_leftovers(demo_db)) == sorted(stale)
    assert not any(p.exists() for p in stale) and all(p.exists() for p in others)
    assert real.exists() and demo_db.exists() and safety.check_database()["ok"]


def test_weak_passphrases_are_warned_about(cell_db):
    assert safety.passphrase_warnings("Sông-Hồng-chảy-mãi-2025") == []
    for weak in ("12345678", "matkhau123", "Password", "qwerty2024", "chibothondong", "Chi bộ thôn Đông 1",
                 "aaaaaaaaaaaa", "mat-khau-9"):
        assert safety.passphrase_warnings(weak), weak
    assert len(safety.passphrase_warnings("12345678")) == 3


def _cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_command_line_restore_of_another_cell_needs_the_flag(demo_db, tmp_path, capsys):
    other = hostile_backups.other_cell(safety.backup_now(), tmp_path / "tay.sqlite")
    storage.close_database()
    code, _out, err = _cli(capsys, "--db", demo_db, "restore", other, "--yes")
    assert code == 1 and "Chi bộ thôn Tây" in err and "Chi bộ thôn Đông" in err and "--other-cell" in err
    code, out, _err = _cli(capsys, "--db", demo_db, "restore", other, "--yes", "--other-cell")
    assert code == 0 and "Đã khôi phục" in out


@needs_sqlcipher
def test_command_line_encrypt_warns_of_a_weak_passphrase_and_reports_the_old_copies(demo_db, tmp_path, capsys):
    safety.backup_now()
    storage.close_database()
    weak, strong = tmp_path / "yeu", tmp_path / "manh"
    weak.write_text("matkhau123\n")
    strong.write_text(KEY + "\n")
    code, _out, err = _cli(capsys, "--db", demo_db, "encrypt", "--passphrase-file", weak)
    assert code == 1 and "dễ đoán" in err and "--accept-weak-passphrase" in err
    assert not storage.is_encrypted_file(demo_db)
    code, out, _err = _cli(capsys, "--db", demo_db, "encrypt", "--passphrase-file", strong, "--remove-old-backups")
    assert code == 0 and "Đã xóa 2 bản sao lưu cũ" in out
    code, out, err = _cli(capsys, "--db", demo_db, "--passphrase-file", strong, "rekey", "--new-passphrase-file", weak,
                          "--accept-weak-passphrase")
    assert code == 0 and "Cảnh báo" in err and "Đã đổi mật khẩu" in out


def test_a_setting_restore_refuses_is_one_the_settings_command_refuses_in_the_same_words(demo_db):
    with pytest.raises(ServiceError) as refused:
        settings.set_value("meetings.min_minutes", "-500")
    assert "-500 nằm ngoài khoảng 0–1000" in str(refused.value)
    assert settings.value_problem("meetings.min_minutes", -500) in str(refused.value)
    assert settings.value_problem("meetings.min_minutes", 90) == ""
    assert settings.value_problem("meetings.min_minutes", True)  # a bool is not a number of minutes
    assert settings.value_problem("may.chu", "x")


def _tampered_backup(tmp_path: Path) -> Path:
    """The demo's backup with a member's name and a payment's amount changed behind the history's back."""
    return hostile_backups.tampered(safety.backup_now(), tmp_path / "sua-tay.sqlite",
                                    "UPDATE member SET full_name = 'Kẻ Mạo Danh' WHERE id = 1",
                                    "UPDATE fee_payment SET amount = amount + 1000000 WHERE id = 1")


def test_a_backup_edited_behind_its_history_is_not_restored_without_a_confirmation(demo_db, tmp_path):
    tampered = _tampered_backup(tmp_path)
    assert backup.inspect(tampered).integrity == "ok"
    with closing(sqlite3.connect(tampered)) as conn:
        assert restore_checks.problems(conn) == []  # every value is one the program knows
    members.add_member(Member(full_name="Người Mới Thêm"), today=TODAY)
    before = _names()
    with pytest.raises(restore_checks.HistoryDisagrees) as refused:
        safety.restore_from(tampered)
    assert "Kẻ Mạo Danh" in str(refused.value) and "khoản thu đảng phí" in str(refused.value).lower()
    assert "dữ liệu hiện tại giữ nguyên" in str(refused.value)
    assert _names() == before and safety.check_database()["ok"]
    safety.restore_from(tampered, confirm_history_problems=True)
    assert "Kẻ Mạo Danh" in _names()
    assert _last_action(demo_db) == "restore"


def test_the_command_line_restores_an_edited_backup_only_with_accept_history_problems(demo_db, tmp_path, capsys):
    tampered = _tampered_backup(tmp_path)
    storage.close_database()
    assert main(["--db", str(demo_db), "restore", "--yes", str(tampered)]) == 1
    err = capsys.readouterr().err
    assert "Kẻ Mạo Danh" in err and "--accept-history-problems" in err and "không lường trước" not in err
    assert main(["--db", str(demo_db), "restore", "--yes", "--accept-history-problems", str(tampered)]) == 0
    storage.open_database(demo_db)
    assert "Kẻ Mạo Danh" in _names()


def test_restore_from_the_command_line_replaces_a_file_that_no_longer_opens(demo_db, tmp_path, capsys):
    good = safety.backup_now(target=tmp_path / "tot.sqlite")
    before = _names()
    storage.close_database()
    damaged = os.urandom(100) + demo_db.read_bytes()[100:]
    demo_db.write_bytes(damaged)
    assert main(["--db", str(demo_db), "check-db"]) == 1
    capsys.readouterr()
    assert main(["--db", str(demo_db), "restore", "--yes", str(good)]) == 0
    out, err = capsys.readouterr()
    kept = [p for p in demo_db.parent.iterdir() if ".hong-truoc-khoi-phuc-" in p.name and p.suffix == ".sqlite"]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert str(kept[0]) in out and "không lường trước" not in out + err
    storage.open_database(demo_db)
    assert _names() == before and _last_action(demo_db) == "restore"
    assert safety.check_database()["ok"]


def test_restore_over_a_file_that_no_longer_opens_checks_the_backup_as_any_restore(demo_db, tmp_path, capsys):
    tampered = _tampered_backup(tmp_path)
    storage.close_database()
    damaged = os.urandom(100) + demo_db.read_bytes()[100:]
    demo_db.write_bytes(damaged)
    assert main(["--db", str(demo_db), "restore", "--yes", str(tampered)]) == 1
    assert "--accept-history-problems" in capsys.readouterr().err
    assert demo_db.read_bytes() == damaged
    assert not list(demo_db.parent.glob("*.tmp"))
