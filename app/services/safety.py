"""Keeping the cell's records safe: backups, restore, database checks and encryption at rest."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hmac
import os
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.domain import names
from app.i18n import _
from app.services import failures, history_check, restore_checks, settings
from app.services.errors import ServiceError
from app.storage import audit, backup
from app.storage import db as storage
from app.storage.backup import BackupInfo
from app.storage.models import Cell, ChangeLog, Member, Setting, StatusChange, database

MIN_PASSPHRASE = 8
# Below this length, or among these, a passphrase is accepted only after a warning (passphrase_warnings).
STRONG_PASSPHRASE = 10
COMMON_PASSPHRASES = frozenset({
    "matkhau", "matkhau123", "password", "passw0rd", "12345678", "123456789", "1234567890", "qwerty", "qwertyuiop",
    "abc123", "abcd1234", "abcdefgh", "iloveyou", "admin", "chibo", "dangvien", "dangcongsan", "vietnam",
    "hochiminh", "bacho", "11111111", "88888888", "00000000", "12341234", "87654321",
})


def backup_folder() -> Path:
    """Settings' folder, else a "sao-luu" folder beside the database file."""
    folder = settings.get("backup.folder")
    return Path(folder) if folder else storage.current().path.parent / "sao-luu"


def backup_now(kind: str = "thu-cong", *, target: Path | None = None, folder: Path | None = None,
               now: dt.datetime | None = None, overwrite: bool = False) -> Path:
    """One backup: to a chosen file; into a chosen folder, named as in the backup folder (when that one failed);
    or into the backup folder(s) with thinning."""
    now = now or dt.datetime.now()
    if folder is not None and target is None:
        target = Path(folder) / backup.backup_name(storage.current().path, kind, now)
    if target is not None:
        target = Path(target)
        if target.is_dir():
            raise ServiceError(_("{path} là một thư mục; hãy ghi cả tên tệp, ví dụ {path}/chibo-sao-luu.sqlite.").format(
                path=target))
        if target.exists() and not overwrite:
            raise ServiceError(_("Tệp {path} đã có; chọn tên khác (không ghi đè).").format(path=target))
    try:
        if target is not None:
            made = backup.make_backup(Path(target))
        else:
            made = _rotating_backup(kind, now)
    except Exception as exc:
        # SQLite's backup copy reports a full disk or a pulled stick as its own error, not as an OSError.
        if not isinstance(exc, OSError) and failures.classify(exc) is None:
            raise
        raise ServiceError(" ".join((_("Không sao lưu được vào {path}.").format(path=target or backup_folder()),
                                     failures.message_for(exc) or str(exc)))) from exc
    with database.atomic():
        audit.record("database", None, "backup", {"file": [None, str(made)]}, kind)
    return made


def _rotating_backup(kind: str, now: dt.datetime) -> Path:
    db_path = storage.current().path
    folder = backup_folder()
    # Only the last folder is made: the path of a pulled USB stick must fail, not be made again on the system disk.
    folder.mkdir(exist_ok=True)
    made = backup.make_backup(folder / backup.backup_name(db_path, kind, now))
    keep = (settings.get("backup.keep_daily"), settings.get("backup.keep_weekly"), settings.get("backup.keep_monthly"))
    backup.thin(folder, db_path, *keep)
    second = settings.get("backup.second_folder")
    if second:
        try:
            backup.copy_to(made, Path(second))
            backup.thin(Path(second), db_path, *keep)
        except OSError:
            pass  # a USB stick that is not plugged in must not stop the main backup
    return made


def last_backup_time() -> dt.datetime | None:
    backups = backup.list_backups(backup_folder(), storage.current().path)
    return backups[0][0] if backups else None


def takes_backups() -> bool:
    """A window that only looks (opened read-only) takes no backups: the one editing the file does, and a backup
    is recorded in the history, which a read-only window cannot write."""
    return not storage.current().read_only


def daily_backup_if_due(now: dt.datetime | None = None) -> Path | None:
    if not takes_backups():
        return None
    now = now or dt.datetime.now()
    last = last_backup_time()
    if last is None or now - last >= dt.timedelta(days=1):
        return backup_now("hang-ngay", now=now)
    return None


def backup_before(operation: str) -> Path | None:
    """A backup before a risky operation (import, restore, re-keying); skipped for an empty database."""
    return backup_now(operation) if _worth_backing_up() else None


def _worth_backing_up() -> bool:
    return Member.select().exists() or Cell.select().exists()


def check_database() -> dict:
    """What `check-db` reports: integrity, foreign keys, version, encryption, counts, last backup."""
    state = storage.current()
    try:
        integrity = storage.integrity_messages(database)
        foreign = storage.foreign_key_problems(database)
    except Exception as exc:  # noqa: BLE001 - pages so damaged that the check itself stops: said, not raised
        integrity, foreign = [str(exc)], 0
    last = last_backup_time()
    # The history is checked only on a sound file: on damaged pages its reading would say nothing true.
    history = history_check.verify() if integrity == ["ok"] else None
    return {
        "path": str(state.path),
        "ok": integrity == ["ok"] and not foreign and history is not None and history["ok"],
        "integrity_check": integrity,
        "foreign_key_problems": foreign,
        "schema_version": storage.schema_version(database),
        "encrypted": state.passphrase is not None,
        "size_bytes": state.path.stat().st_size if state.path.exists() else 0,
        "members": _count_or_none(Member),
        "status_changes": _count_or_none(StatusChange),
        "change_log_entries": _count_or_none(ChangeLog),
        "last_backup": last.isoformat() if last else None,
        "backup_folder": str(backup_folder()),
        "history": history,
    }


def problems_text(report: dict) -> str:
    """What check_database found, in Vietnamese lines: the file's own check, then the history's."""
    lines = []
    if report["integrity_check"] != ["ok"]:
        lines.append(_("Tệp bị hỏng: {errors}").format(errors="; ".join(report["integrity_check"])))
    if report["foreign_key_problems"]:
        lines.append(_("{n} dòng trỏ tới một dòng không còn (khóa ngoại).").format(n=report["foreign_key_problems"]))
    if report["history"] is not None:
        lines.append(history_check.summary(report["history"]))
    return "\n".join(lines)


def _count_or_none(model) -> int | None:
    try:
        return model.select().count()
    except Exception:  # noqa: BLE001 - a table on a damaged page cannot be counted
        return None


def is_encrypted() -> bool:
    return storage.current().passphrase is not None


def needs_passphrase_for(path: Path) -> bool:
    """An encrypted copy offered while the open data is not encrypted: its passphrase must be asked."""
    return storage.is_encrypted_file(Path(path)) and storage.current().passphrase is None


def _key_for(path: Path, passphrase: str | None) -> str | None:
    """The passphrase given, else the open database's (none when no file opens): a backup is encrypted with the
    key it was made with."""
    if passphrase is not None:
        return passphrase
    try:
        return storage.current().passphrase
    except storage.DatabaseError:
        return None


def inspect_backup(path: Path, passphrase: str | None = None) -> BackupInfo:
    try:
        return backup.inspect(Path(path), _key_for(path, passphrase))
    except storage.DatabaseError as exc:
        raise ServiceError(str(exc)) from exc


@contextmanager
def _alone(action: str, path: Path | None = None):
    """The one place where encrypt, rekey, decrypt and restore make sure no other chibo has the file (the open
    one unless path is given) open.

    Every whole-file swap runs inside it: the gate is held throughout, so no process starts using the file
    between the check and the swap (app/storage/lock.py).
    """
    from app.storage import lock

    with lock.exclusive(path or storage.current().path, _ACTIONS[action]()):
        yield


# What each whole-file swap is called in the message that refuses it.
_ACTIONS = {"restore": lambda: _("khôi phục"), "encrypt": lambda: _("bật mã hóa"), "decrypt": lambda: _("tắt mã hóa"),
            "rekey": lambda: _("đổi mật khẩu")}


def _open_cell() -> Cell | None:
    try:
        return Cell.select().order_by(Cell.id).first()
    except Exception:  # noqa: BLE001 - a damaged file (or none open) may fail any read; it then names no cell
        return None


def _open_cell_name() -> str:
    cell = _open_cell()
    return cell.name if cell else ""


def other_cell(info: BackupInfo) -> tuple[str, str] | None:
    """(open cell, backup's cell) when the backup belongs to another cell, else None."""
    here = _open_cell_name()
    return (here, info.cell_name) if restore_checks.is_other_cell(here, info.cell_name) else None


def _is_damaged() -> bool:
    try:
        return storage.integrity_messages(database) != ["ok"]
    except Exception:  # noqa: BLE001 - a file that cannot even be checked is damaged
        return True


def _machine_settings() -> dict[str, str]:
    """This machine's own settings rows (stored JSON text), to put back into a restored file."""
    try:
        return {row.key: row.value for row in Setting.select() if restore_checks.is_machine_setting(row.key)}
    except Exception:  # noqa: BLE001 - unreadable in a damaged file: the defaults then apply
        return {}


def _keep_current_before_restore(state: storage.OpenState) -> Path | None:
    """A checked backup of the open data; for a damaged file (or one whose copy fails its check), a byte copy."""
    if not _is_damaged():
        try:
            return backup_before("truoc-khoi-phuc")
        except storage.DatabaseError:
            pass
    return _byte_copy(state.path)


def _byte_copy(path: Path) -> Path:
    """A plain byte copy of a file that cannot be read (and of its write-ahead log), kept beside it."""
    try:
        return backup.damaged_copy(path, dt.datetime.now())[0]
    except OSError as exc:
        raise ServiceError(_("Không giữ được bản sao của dữ liệu hiện tại, nên chưa khôi phục: {error}").format(
            error=exc.strerror or exc)) from exc


def _offered(path: Path, passphrase: str | None, confirm_other_cell: bool) -> tuple[BackupInfo, str | None]:
    """The offered file read back whole (inspect_backup), refused when it is another cell's without a
    confirmation; with the key it is encrypted with (None: plain)."""
    passphrase = _key_for(path, passphrase)
    info = inspect_backup(path, passphrase)
    cells = other_cell(info)
    if cells and not confirm_other_cell:
        raise restore_checks.OtherCellBackup(*cells)
    return info, passphrase if info.encrypted else None


def _stage(path: Path, file_key: str | None, staged: Path, confirm_history_problems: bool) -> None:
    """Copy the offered file to staged and open it there, migrated, checked for meaning and against its own
    history (HistoryDisagrees unless confirm_history_problems); it stays open for the last writes."""
    with closing(storage.connect_raw(path, file_key, read_only=True, immutable=True)) as src, \
            closing(storage.connect_raw(staged, file_key)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
    storage.close_database()
    storage.open_database(staged, file_key)  # migrates an older copy, on the staged file only
    for copy in backup.copies_beside(staged):
        copy.unlink()  # the migration's copy of the staged file: the offered file is still there
    restore_checks.require_meaningful(database.connection(), path.name)
    if not confirm_history_problems:
        restore_checks.require_history_agrees(path.name)


def _record_restore(path: Path, kept: Path | None, info: BackupInfo) -> None:
    _record_and_close("restore", {"file": [None, str(path)], "kept": [None, str(kept) if kept else None]},
                      info.describe())


@contextmanager
def _restoring(staged: Path, state: storage.OpenState | None):
    """A failure inside leaves the data as it was: the staged copy goes, the old file is opened again (when it
    was open), and the failure is a ServiceError."""
    try:
        yield
    except Exception as exc:
        storage.close_database()
        staged.unlink(missing_ok=True)
        if state is not None:
            _reopen(state)
        if isinstance(exc, ServiceError):
            raise
        raise ServiceError(_("Khôi phục không thành công, dữ liệu giữ nguyên: {error}").format(error=exc)) from exc


def restore_from(path: Path, passphrase: str | None = None, *, confirm_other_cell: bool = False,
                 confirm_history_problems: bool = False) -> BackupInfo:
    """Replace the open database by a checked backup, keeping a copy of the current state first.

    The offered file must read back whole and mean something the program can use (restore_checks); a backup
    of another cell needs confirm_other_cell, one whose rows disagree with its own history (edited by hand)
    confirm_history_problems. This machine's settings stay; an encrypted cell stays encrypted.
    The history entry is written into the new file, which then goes in with one os.replace.
    """
    path = Path(path)
    with _alone("restore"):
        info, file_key = _offered(path, passphrase, confirm_other_cell)
        state = storage.current()
        machine = _machine_settings()
        kept = _keep_current_before_restore(state)
        # A plain backup restored into an encrypted cell is encrypted with the cell's key before it goes in.
        final_key = file_key if info.encrypted else state.passphrase
        staged = _staged(state.path, "khoi-phuc")
        with _restoring(staged, state):
            _stage(path, file_key, staged, confirm_history_problems)
            _put_back_machine_settings(machine)
            _record_restore(path, kept, info)
            if final_key != file_key:
                backup.reencrypt(staged, file_key, final_key)
            _swap(staged, state.path)
        storage.open_database(state.path, final_key)
    return dataclasses.replace(info, kept=kept)


def restore_unopenable(path: Path, offered: Path, passphrase: str | None = None, *, confirm_other_cell: bool = False,
                       confirm_history_problems: bool = False) -> BackupInfo:
    """Replace a data file that cannot be opened at all (damaged header, unknown passphrase) by a checked backup.

    As restore_from, with the gate held on the file (no other chibo may have it open): the unreadable bytes
    (and their write-ahead log) are kept as they are beside it first, named in the result's kept; the offered
    file is checked just as restore_from checks it. The restored file keeps the backup's own encryption.
    """
    path, offered = Path(path), Path(offered)
    with _alone("restore", path):
        info, file_key = _offered(offered, passphrase, confirm_other_cell)
        kept = _byte_copy(path)
        staged = _staged(path, "khoi-phuc")
        with _restoring(staged, None):
            _stage(offered, file_key, staged, confirm_history_problems)
            _record_restore(offered, kept, info)
            for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)  # the unreadable file's own, kept with its copy
            _swap(staged, path)
        storage.open_database(path, file_key)
    return dataclasses.replace(info, kept=kept)


def _staged(path: Path, kind: str) -> Path:
    staged = path.with_name(f"{path.name}.{kind}.tmp")
    staged.unlink(missing_ok=True)
    return staged


def _put_back_machine_settings(rows: dict[str, str]) -> None:
    with database.atomic():
        Setting.delete().where(Setting.key.in_(
            [row.key for row in Setting.select() if restore_checks.is_machine_setting(row.key)])).execute()
        for key, value in rows.items():
            Setting.insert(key=key, value=value).execute()


def _record_and_close(action: str, changes: dict, reason: str = "") -> None:
    """The history entry, written into the staged file that is about to be swapped in, so a kill cannot lose it."""
    with database.atomic():
        audit.record("database", None, action, changes, reason)
    # Leaving WAL mode writes every page into the main file: os.replace must not leave the entry in a -wal.
    database.execute_sql("PRAGMA journal_mode = DELETE")
    storage.close_database()


def _swap(staged: Path, live: Path) -> None:
    """Put the staged file in place of the live one in one step, refusing while another program holds it."""
    for leftover in (Path(f"{live}-wal"), Path(f"{live}-shm")):
        if leftover.exists() and leftover.stat().st_size:
            raise ServiceError(_("Tệp dữ liệu đang được mở ở chương trình khác; hãy đóng nó rồi làm lại."))
        leftover.unlink(missing_ok=True)
    os.replace(staged, live)


def _reopen(state: storage.OpenState) -> None:
    try:
        storage.open_database(state.path, state.passphrase)
    except storage.DatabaseError:
        pass  # a damaged file that no longer opens: the caller's message says the restore did not happen


def check_passphrase(passphrase: str) -> str:
    passphrase = (passphrase or "").strip("\r\n")
    if len(passphrase) < MIN_PASSPHRASE:
        raise ServiceError(_("Mật khẩu cần ít nhất {n} ký tự.").format(n=MIN_PASSPHRASE))
    return passphrase


def passphrase_warnings(passphrase: str) -> list[str]:
    """Why a passphrase (already long enough to be accepted) is still easy to guess; empty when it is not."""
    text = passphrase or ""
    compact = _compact_name(text)
    guessable = {*COMMON_PASSPHRASES, *(_compact_name(n) for n in _cell_words())} - {""}
    found = []
    if len(text) < STRONG_PASSPHRASE:
        found.append(_("Mật khẩu ngắn (dưới {n} ký tự).").format(n=STRONG_PASSPHRASE))
    if text.isdigit():
        found.append(_("Mật khẩu chỉ có chữ số."))
    if compact in guessable or compact.rstrip("0123456789") in guessable or len(set(compact)) <= 2:
        found.append(_("Mật khẩu quá phổ biến hoặc dễ đoán (như «matkhau», «12345678», tên chi bộ)."))
    return found


def _compact_name(name: str) -> str:
    return "".join(ch for ch in names.fold(name) if ch.isalnum())


def _cell_words() -> list[str]:
    cell = _open_cell()
    return [cell.name, cell.place_name, cell.secretary_name] if cell else []


@dataclass(frozen=True)
class OldCopies:
    """What encrypting (or re-keying) did to the older copies of the data kept on this machine."""

    encrypted: tuple[Path, ...] = ()
    removed: tuple[Path, ...] = ()
    failed: tuple[Path, ...] = ()

    def describe(self) -> str:
        lines = []
        if self.encrypted:
            lines.append(_("Đã mã hóa {n} bản sao lưu cũ bằng mật khẩu mới.").format(n=len(self.encrypted)))
        if self.removed:
            lines.append(_("Đã xóa {n} bản sao lưu cũ chưa mã hóa.").format(n=len(self.removed)))
        if self.failed:
            lines.append(_("{n} bản sao lưu cũ không mã hóa được, hãy xem lại hoặc xóa: {files}").format(
                n=len(self.failed), files=", ".join(str(p) for p in self.failed)))
        return "\n".join(lines) or _("Không có bản sao lưu cũ nào cần mã hóa.")


def _backup_folders() -> list[Path]:
    """The backup folder and the second one (when set), each once."""
    second = settings.get("backup.second_folder")
    return list(dict.fromkeys([backup_folder(), *([Path(second)] if second else [])]))


def _older_copies() -> list[Path]:
    """This file's backups in both backup folders, and the copies beside it (before upgrades, of a damaged file)."""
    db_path = storage.current().path
    found = []
    for folder in _backup_folders():
        try:
            found += [p for _stamp, p in backup.list_backups(folder, db_path)]
        except OSError:
            pass  # a USB stick that is not plugged in holds nothing to encrypt now
    return found + backup.copies_beside(db_path)


def plain_copies_count() -> int:
    """How many unencrypted older copies turning encryption on would find (with the copy made just before)."""
    plain = [p for p in _older_copies() if not storage.is_encrypted_file(p)]
    return len(plain) + (1 if _worth_backing_up() else 0)


def _protect_old_copies(old_key: str | None, new_key: str, remove: bool) -> OldCopies:
    encrypted, removed, failed = [], [], []
    for path in _older_copies():
        plain = not storage.is_encrypted_file(path)
        if not plain and old_key is None:
            continue  # already encrypted, with a key this operation does not hold
        try:
            if remove and plain:
                path.unlink()
                removed.append(path)
            else:
                backup.reencrypt(path, None if plain else old_key, new_key)
                encrypted.append(path)
        except Exception:  # noqa: BLE001 - a damaged or foreign copy stays as it was and is named to the user
            failed.append(path)
    return OldCopies(tuple(encrypted), tuple(removed), tuple(failed))


def encrypt_database(passphrase: str, *, remove_old_copies: bool = False) -> OldCopies:
    """Turn encryption on: an encrypted copy is made, checked, and swapped in; a plain backup is kept first.

    Then the older copies of the file on this machine are encrypted with the same key (or removed).
    """
    with _alone("encrypt"):
        if storage.current().passphrase is not None:
            raise ServiceError(_("Dữ liệu đã được mã hóa; dùng «đổi mật khẩu» nếu muốn đổi."))
        key = check_passphrase(passphrase)
        _convert(key, source_key=None, action="encrypt")
        return _protect_old_copies(None, key, remove_old_copies)


def decrypt_database() -> None:
    """Turn encryption off (the settings then say plainly that the data is not encrypted)."""
    with _alone("decrypt"):
        if storage.current().passphrase is None:
            raise ServiceError(_("Dữ liệu chưa được mã hóa."))
        _convert(None, source_key=storage.current().passphrase, action="decrypt")


def rekey(new_passphrase: str) -> OldCopies:
    """Đổi mật khẩu: the file is re-encrypted into a staged copy that is swapped in whole, like encrypt;
    the older copies are then re-encrypted with the new key, so the old one opens nothing left here."""
    with _alone("rekey"):
        old_key = storage.current().passphrase
        if old_key is None:
            raise ServiceError(_("Dữ liệu chưa được mã hóa; hãy bật mã hóa trước."))
        new_key = check_passphrase(new_passphrase)
        _convert(new_key, source_key=old_key, action="rekey")
        return _protect_old_copies(old_key, new_key, remove=False)


_BEFORE = {"encrypt": "truoc-ma-hoa", "decrypt": "truoc-giai-ma", "rekey": "truoc-doi-mat-khau"}


def _counts() -> tuple[int, int]:
    return Member.select().count(), ChangeLog.select().count()


def _convert(new_key: str | None, source_key: str | None, action: str) -> None:
    state = storage.current()
    backup_before(_BEFORE[action])
    staged = _staged(state.path, "ma-hoa")
    counts = _counts()
    storage.close_database()
    try:
        backup.export(state.path, source_key, staged, new_key)
        storage.open_database(staged, new_key)
        if _counts() != counts:
            raise ServiceError(_("Bản chuyển đổi không khớp số hồ sơ."))
        _record_and_close(action, {"encrypted": [source_key is not None, new_key is not None]})
        _swap(staged, state.path)
    except Exception as exc:
        storage.close_database()
        staged.unlink(missing_ok=True)
        storage.open_database(state.path, source_key)
        if isinstance(exc, ServiceError):
            raise
        raise ServiceError(_("Không chuyển đổi được, dữ liệu giữ nguyên: {error}").format(error=exc)) from exc
    storage.open_database(state.path, new_key)


def remove_leftovers(path: Path) -> list[Path]:
    """Staged and temporary files that a killed backup, conversion or restore left behind; the removed ones.

    Looks beside the file and in the backup folders (the settings' folders too when this file is open):
    call it once the file is open and no other chibo uses it.
    """
    path = Path(path)
    folders = [path.parent, path.parent / "sao-luu"]
    try:
        if storage.current().path == path:
            folders += _backup_folders()
    except storage.DatabaseError:
        pass  # not open: the default folders only
    removed = []
    for folder in dict.fromkeys(folders):
        for leftover in backup.leftovers(folder, path):
            try:
                leftover.unlink()
                removed.append(leftover)
            except OSError:
                pass  # still held (another program): tried again at the next start
    return removed


def tidy_after_start() -> list[Path]:
    """remove_leftovers for the open file, when no other chibo uses it (a leftover may be another's work
    in progress) and it is open for editing; the removed files."""
    from app.storage import lock

    state = storage.current()
    if state.read_only or lock.others(state.path):
        return []
    return remove_leftovers(state.path)


def close_worker_connection() -> None:
    """Close the calling worker thread's own connection (peewee keeps one per thread); the file stays open."""
    storage.close_thread_connection()


def verify_passphrase(passphrase: str) -> bool:
    """Whether a passphrase typed at the lock screen is the one the open database uses."""
    current_key = storage.current().passphrase
    return current_key is not None and hmac.compare_digest(passphrase.encode(), current_key.encode())


def idle_lock_minutes() -> int:
    """Minutes of idleness before the window locks; 0 (never) when the data is not encrypted.

    Without encryption a lock would only pretend: the file could be read by anyone at the PC.
    """
    if storage.current().passphrase is None:
        return 0
    return int(settings.get("lock.idle_minutes"))
