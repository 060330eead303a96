"""Keeping the cell's records safe: backups, restore, database checks and encryption at rest."""
from __future__ import annotations

import datetime as dt
import hmac
import os
from contextlib import closing
from pathlib import Path

from app.i18n import _
from app.services import settings
from app.services.errors import ServiceError
from app.storage import audit, backup
from app.storage import db as storage
from app.storage.backup import BackupInfo
from app.storage.models import Cell, ChangeLog, Member, StatusChange, database

MIN_PASSPHRASE = 8


def backup_folder() -> Path:
    """Settings' folder, else a "sao-luu" folder beside the database file."""
    folder = settings.get("backup.folder")
    return Path(folder) if folder else storage.current().path.parent / "sao-luu"


def backup_now(kind: str = "thu-cong", *, target: Path | None = None, now: dt.datetime | None = None,
               overwrite: bool = False) -> Path:
    """One backup: to a chosen file, or into the backup folder(s) with thinning."""
    now = now or dt.datetime.now()
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
    except OSError as exc:
        raise ServiceError(_("Không sao lưu được vào {path}: {error}").format(
            path=target or backup_folder(), error=exc.strerror or exc)) from exc
    with database.atomic():
        audit.record("database", None, "backup", {"file": [None, str(made)]}, kind)
    return made


def _rotating_backup(kind: str, now: dt.datetime) -> Path:
    db_path = storage.current().path
    folder = backup_folder()
    folder.mkdir(parents=True, exist_ok=True)
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


def daily_backup_if_due(now: dt.datetime | None = None) -> Path | None:
    now = now or dt.datetime.now()
    last = last_backup_time()
    if last is None or now - last >= dt.timedelta(days=1):
        return backup_now("hang-ngay", now=now)
    return None


def backup_before(operation: str) -> Path | None:
    """A backup before a risky operation (import, restore, re-keying); skipped for an empty database."""
    if not Member.select().exists() and not Cell.select().exists():
        return None
    return backup_now(operation)


def check_database() -> dict:
    """What `check-db` reports: integrity, foreign keys, version, encryption, counts, last backup."""
    state = storage.current()
    integrity = storage.integrity_messages(database)
    foreign = storage.foreign_key_problems(database)
    last = last_backup_time()
    return {
        "path": str(state.path),
        "ok": integrity == ["ok"] and not foreign,
        "integrity_check": integrity,
        "foreign_key_problems": foreign,
        "schema_version": storage.schema_version(database),
        "encrypted": state.passphrase is not None,
        "size_bytes": state.path.stat().st_size if state.path.exists() else 0,
        "members": Member.select().count(),
        "status_changes": StatusChange.select().count(),
        "change_log_entries": ChangeLog.select().count(),
        "last_backup": last.isoformat() if last else None,
        "backup_folder": str(backup_folder()),
    }


def is_encrypted() -> bool:
    return storage.current().passphrase is not None


def needs_passphrase_for(path: Path) -> bool:
    """An encrypted copy offered while the open data is not encrypted: its passphrase must be asked."""
    return storage.is_encrypted_file(Path(path)) and storage.current().passphrase is None


def _key_for(path: Path, passphrase: str | None) -> str | None:
    """The passphrase given, else the open database's: a backup is encrypted with the key it was made with."""
    return passphrase if passphrase is not None else storage.current().passphrase


def inspect_backup(path: Path, passphrase: str | None = None) -> BackupInfo:
    try:
        return backup.inspect(Path(path), _key_for(path, passphrase))
    except storage.DatabaseError as exc:
        raise ServiceError(str(exc)) from exc


def restore_from(path: Path, passphrase: str | None = None) -> BackupInfo:
    """Replace the open database by a checked backup, keeping a backup of the current state first.

    The swap is one os.replace, so a power cut leaves either the old file or the new one.
    """
    passphrase = _key_for(path, passphrase)
    info = inspect_backup(path, passphrase)
    state = storage.current()
    backup_before("truoc-khoi-phuc")
    staged = state.path.with_name(state.path.name + ".khoi-phuc.tmp")
    staged.unlink(missing_ok=True)
    file_key = passphrase if info.encrypted else None
    try:
        with closing(storage.connect_raw(Path(path), file_key, read_only=True, immutable=True)) as src, closing(storage.connect_raw(staged, file_key)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        storage.close_database()
        storage.open_database(staged, file_key)  # migrates an older copy, on the staged file only
        storage.close_database()
        for leftover in (Path(f"{state.path}-wal"), Path(f"{state.path}-shm")):
            if leftover.exists() and leftover.stat().st_size:
                raise ServiceError(_("Tệp dữ liệu đang được mở ở chương trình khác; hãy đóng nó rồi khôi phục lại."))
            leftover.unlink(missing_ok=True)
        os.replace(staged, state.path)
    except Exception as exc:
        staged.unlink(missing_ok=True)
        storage.open_database(state.path, state.passphrase)
        if isinstance(exc, ServiceError):
            raise
        raise ServiceError(_("Khôi phục không thành công, dữ liệu giữ nguyên: {error}").format(error=exc)) from exc
    storage.open_database(state.path, file_key)
    with database.atomic():
        audit.record("database", None, "restore", {"file": [None, str(path)]}, info.describe())
    return info


def check_passphrase(passphrase: str) -> str:
    passphrase = (passphrase or "").strip("\r\n")
    if len(passphrase) < MIN_PASSPHRASE:
        raise ServiceError(_("Mật khẩu cần ít nhất {n} ký tự.").format(n=MIN_PASSPHRASE))
    return passphrase


def encrypt_database(passphrase: str) -> None:
    """Turn encryption on: an encrypted copy is made, checked, and swapped in; a plain backup is kept first."""
    state = storage.current()
    if state.passphrase is not None:
        raise ServiceError(_("Dữ liệu đã được mã hóa; dùng «đổi mật khẩu» nếu muốn đổi."))
    _convert(check_passphrase(passphrase), source_key=None, action="encrypt")


def decrypt_database() -> None:
    """Turn encryption off (the settings then say plainly that the data is not encrypted)."""
    if storage.current().passphrase is None:
        raise ServiceError(_("Dữ liệu chưa được mã hóa."))
    _convert(None, source_key=storage.current().passphrase, action="decrypt")


def _convert(new_key: str | None, source_key: str | None, action: str) -> None:
    state = storage.current()
    backup_before("truoc-ma-hoa" if action == "encrypt" else "truoc-giai-ma")
    staged = state.path.with_name(state.path.name + ".ma-hoa.tmp")
    staged.unlink(missing_ok=True)
    version = storage.schema_version(database)
    counts = (Member.select().count(), ChangeLog.select().count())
    storage.close_database()
    try:
        from sqlcipher3 import dbapi2 as sqlcipher

        with closing(sqlcipher.connect(str(state.path))) as conn:
            if source_key:
                conn.execute("PRAGMA key = " + storage.quote(source_key))
            conn.execute(f"ATTACH DATABASE {storage.quote(str(staged))} AS target KEY {storage.quote(new_key or '')}")
            conn.execute("SELECT sqlcipher_export('target')")
            # sqlcipher_export copies tables and rows, not the header fields that identify the file.
            conn.execute(f"PRAGMA target.user_version = {version}")
            conn.execute(f"PRAGMA target.application_id = {storage.APPLICATION_ID}")
            conn.execute("DETACH DATABASE target")
        storage.open_database(staged, new_key)
        if (Member.select().count(), ChangeLog.select().count()) != counts:
            raise ServiceError(_("Bản chuyển đổi không khớp số hồ sơ."))
        storage.close_database()
        os.replace(staged, state.path)
    except Exception as exc:
        storage.close_database()
        staged.unlink(missing_ok=True)
        storage.open_database(state.path, source_key)
        if isinstance(exc, ServiceError):
            raise
        raise ServiceError(_("Không chuyển đổi được, dữ liệu giữ nguyên: {error}").format(error=exc)) from exc
    storage.open_database(state.path, new_key)
    with database.atomic():
        audit.record("database", None, action, {"encrypted": [source_key is not None, new_key is not None]})


def rekey(new_passphrase: str) -> None:
    """Đổi mật khẩu of an encrypted database (the file is re-encrypted in place by SQLCipher)."""
    state = storage.current()
    if state.passphrase is None:
        raise ServiceError(_("Dữ liệu chưa được mã hóa; hãy bật mã hóa trước."))
    new_passphrase = check_passphrase(new_passphrase)
    backup_before("truoc-doi-mat-khau")
    database.obj.rekey(new_passphrase)
    storage.close_database()
    storage.open_database(state.path, new_passphrase)
    with database.atomic():
        audit.record("database", None, "rekey", {})


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
