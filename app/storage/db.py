"""Opening the cell's SQLite file: pragmas, encryption, checks, and the migration ladder."""
from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import peewee
from peewee import SqliteDatabase

from app.i18n import _
from app.storage import migrations
from app.storage.models import database

# "CHIB": marks a file as ours, so that a stranger's SQLite file is refused, not written into.
APPLICATION_ID = 0x43484942
SQLITE_MAGIC = b"SQLite format 3\x00"
PRAGMAS = {"journal_mode": "wal", "foreign_keys": 1, "synchronous": "full", "busy_timeout": 5000}
# Every transaction takes the write lock when it begins, so a write that meets another process's lock waits
# (busy_timeout) instead of failing at once: a deferred transaction that reads first cannot wait for it.
LOCK_TYPE = "IMMEDIATE"


class DatabaseError(Exception):
    """The file cannot be opened as this cell's database; the message is for the user."""


class PassphraseNeeded(DatabaseError):
    """The file is encrypted (or is not a database at all) and no passphrase was given."""


class WrongPassphrase(DatabaseError):
    """The passphrase does not open the file; nothing was written to it."""


class FileInUse(DatabaseError):
    """Another process has the file open, or is replacing it (lock.py); the message names it."""


class ReadOnlyFile(DatabaseError):
    """A write was tried on a file opened only to look at (open_database(read_only=True)); nothing was written."""


@dataclass
class OpenState:
    """The database the models are bound to, and what it takes to open a copy of it."""

    path: Path
    passphrase: str | None
    read_only: bool = False


_state: OpenState | None = None
# How this process opened each file, (role, read_only): a reopen (restore, encryption) keeps it unless told otherwise.
_modes: dict[Path, tuple[str, bool]] = {}


def current() -> OpenState:
    if _state is None:
        raise DatabaseError(_("Chưa mở tệp dữ liệu nào."))
    return _state


def is_encrypted_file(path: Path) -> bool:
    """A non-empty file without SQLite's plain header: SQLCipher's pages look like noise."""
    if not path.is_file() or path.stat().st_size == 0:
        return False
    with path.open("rb") as fh:
        return fh.read(16) != SQLITE_MAGIC


def connect_raw(path: Path, passphrase: str | None, read_only: bool = False, immutable: bool = False):
    """A plain DB-API connection (sqlite3, or sqlcipher3 with the key set) for copies and checks."""
    # immutable: a file from elsewhere (a backup offered for restore) gets no -wal/-shm created beside it.
    # Never for the live file, whose last commits may still sit in its write-ahead log.
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
    if passphrase:
        from sqlcipher3 import dbapi2 as sqlcipher

        conn = sqlcipher.connect(uri, uri=True) if read_only else sqlcipher.connect(str(path))
        # A wrong key is reported to the user once, in Vietnamese; SQLCipher's own log would repeat it on stderr.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("PRAGMA key = " + quote(passphrase))
        return conn
    if read_only:
        return sqlite3.connect(uri, uri=True)
    return sqlite3.connect(str(path))


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def open_database(path: Path | str, passphrase: str | None = None, *, role: str | None = None,
                  read_only: bool | None = None) -> SqliteDatabase:
    """Open (creating if absent) and migrate the database at path, and bind the models to it.

    The process is recorded beside the file as having it open (lock.py) under role ("window", "command <name>").
    A file this process opened before is reopened with the same role and read_only unless told otherwise, so a
    restore or an encryption that reopens it leaves the window as it was; a new one defaults to "command", editing.
    read_only: nothing can be written (a write raises ReadOnlyFile), and a file that needs migrating is refused.
    """
    global _state
    from app.storage import lock  # lock.py builds on this module's errors

    path = Path(path)
    passphrase = passphrase or None
    before = _modes.get(path.resolve(), ("command", False))
    role = role or before[0]
    read_only = before[1] if read_only is None else read_only
    if path.is_dir():
        raise DatabaseError(_("{path} là một thư mục, không phải tệp dữ liệu.").format(path=path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = lock.registered(path) is None
    # Registering waits while another process replaces the file (encrypt, decrypt, restore): the file is
    # looked at only after that, or it would be opened as plain when it has just become encrypted, or back.
    lock.register(path, role, read_only)
    try:
        version = inspect_file(path, passphrase)[1]
        if read_only:
            _check_viewable(path, version)
        encrypted = passphrase is not None and (is_encrypted_file(path) or not path.exists()
                                                or path.stat().st_size == 0)
        db = _connect(path, passphrase if encrypted else None, read_only)
    except BaseException:
        if fresh:
            lock.release(path)
        raise
    close_thread_connection()
    if _state is not None and _state.path.resolve() != path.resolve():
        lock.release(_state.path)
    database.initialize(db)
    _state = OpenState(path, passphrase if encrypted else None, read_only)
    _modes[path.resolve()] = (role, read_only)
    return db


def _connect(path: Path, passphrase: str | None, read_only: bool) -> SqliteDatabase:
    """The peewee database on path, connected and migrated (or, read-only, checked to need no migration)."""
    if read_only:
        # No journal_mode: a viewer leaves the file's mode as it is. DEFERRED: BEGIN IMMEDIATE is a write.
        pragmas, lock_type = {**{k: v for k, v in PRAGMAS.items() if k != "journal_mode"}, "query_only": 1}, "DEFERRED"
    else:
        pragmas, lock_type = PRAGMAS, LOCK_TYPE
    if passphrase is not None:
        from playhouse.sqlcipher_ext import SqlCipherDatabase

        kind = _view_only_cipher() if read_only else SqlCipherDatabase
        db = kind(str(path), passphrase=passphrase, pragmas=pragmas, check_same_thread=False, lock_type=lock_type)
    else:
        kind = _ViewOnlySqlite if read_only else SqliteDatabase
        db = kind(str(path), pragmas=pragmas, check_same_thread=False, lock_type=lock_type)
    try:
        db.connect(reuse_if_open=True)
        if not read_only:
            _migrate(db, path, passphrase)
    except (sqlite3.DatabaseError, peewee.DatabaseError) as exc:
        db.close()
        raise DatabaseError(_("Không đọc được tệp {path}: {error}").format(path=path, error=exc)) from exc
    return db


def _check_viewable(path: Path, version: int) -> None:
    if not path.exists() or path.stat().st_size == 0:
        raise DatabaseError(_("Không có dữ liệu ở {path} để xem.").format(path=path))
    if version != migrations.SCHEMA_VERSION:
        raise DatabaseError(_(
            "Tệp {path} cần được nâng cấp (lược đồ {found} lên {known}), mà khi mở chỉ để xem thì không nâng cấp "
            "được. Hãy đóng chương trình đang mở tệp rồi mở lại để sửa.").format(
                path=path, found=version, known=migrations.SCHEMA_VERSION))


def read_only_message(path: Path | str) -> str:
    """Why a write did not happen, naming who has the file open for editing if anyone does."""
    from app.storage import lock

    editors = [holder for holder in lock.others(path) if not holder.read_only]
    if editors:
        return _("Tệp đang mở chỉ để xem ({holders} đang mở để sửa); thay đổi không được lưu.").format(
            holders="; ".join(holder.describe() for holder in editors))
    return _("Tệp đang mở chỉ để xem; thay đổi không được lưu. Muốn sửa, hãy đóng chương trình rồi mở lại.")


class _ViewOnly:
    """Mixed into the database of a file open only to look: a write is refused in words, not in sqlite's."""

    def execute_sql(self, sql, params=None):
        try:
            return super().execute_sql(sql, params)
        except peewee.OperationalError as exc:
            if "readonly" not in str(exc):
                raise
            # from None: the message is whole, and failures.message_for, which reads the chain, must not replace it.
            raise ReadOnlyFile(read_only_message(self.database)) from None


class _ViewOnlySqlite(_ViewOnly, SqliteDatabase):
    pass


@functools.cache
def _view_only_cipher() -> type:
    # Built when first needed: sqlcipher3 is optional, and only an encrypted file needs it.
    from playhouse.sqlcipher_ext import SqlCipherDatabase

    return type("_ViewOnlyCipher", (_ViewOnly, SqlCipherDatabase), {})


def close_database() -> None:
    """Unbind the models and let go of this process's record beside the file."""
    global _state
    from app.storage import lock

    close_thread_connection()
    lock.release()
    _state = None


def close_thread_connection() -> None:
    """Close this thread's connection only; the models stay bound to the open file."""
    if database.obj is not None and not database.is_closed():
        database.close()


def inspect_file(path: Path, passphrase: str | None = None, immutable: bool = False) -> tuple[int, int]:
    """(application_id, schema version) of an existing file, refusing what is not ours; (0, 0) if new.

    Reads only, before anything (even a pragma) writes to the file.
    """
    if path.is_dir():
        raise DatabaseError(_("{path} là một thư mục, không phải tệp dữ liệu.").format(path=path))
    if not path.exists() or path.stat().st_size == 0:
        return 0, 0
    encrypted = is_encrypted_file(path)
    if encrypted and not passphrase:
        raise PassphraseNeeded(
            _("Tệp {path} đã được mã hóa hoặc không phải cơ sở dữ liệu của chibo. "
              "Nếu đã bật mã hóa, hãy nhập mật khẩu.").format(path=path))
    try:
        with closing(connect_raw(path, passphrase if encrypted else None, read_only=True, immutable=immutable)) as conn:
            return _check_identity(conn, path)
    except DatabaseError:
        raise
    except Exception as exc:  # noqa: BLE001 - sqlite3 and sqlcipher3 raise their own DatabaseError types
        if encrypted:
            raise WrongPassphrase(
                _("Mật khẩu không đúng, hoặc tệp {path} không phải của chibo. Tệp không bị thay đổi.").format(path=path)
            ) from exc
        raise DatabaseError(_("Không đọc được tệp {path}: {error}").format(path=path, error=exc)) from exc


def schema_version(db: SqliteDatabase) -> int:
    return db.execute_sql("PRAGMA user_version").fetchone()[0]


def integrity_messages(db: SqliteDatabase) -> list[str]:
    """What PRAGMA integrity_check says: ["ok"] for a sound file, else one line per problem."""
    return [message for (message,) in db.execute_sql("PRAGMA integrity_check")]


def foreign_key_problems(db: SqliteDatabase) -> int:
    """How many rows point at a row that is not there (PRAGMA foreign_key_check)."""
    return len(db.execute_sql("PRAGMA foreign_key_check").fetchall())


def _check_identity(conn, path: Path) -> tuple[int, int]:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables):
        raise DatabaseError(
            _("Tệp {path} là cơ sở dữ liệu của chương trình khác, chibo không mở để tránh làm hỏng.").format(
                path=path
            )
        )
    if version > migrations.SCHEMA_VERSION:
        raise DatabaseError(
            _(
                "Tệp {path} được tạo bởi phiên bản chibo mới hơn (lược đồ {found}, phiên bản này đọc được đến {known}). "
                "Hãy cài phiên bản mới hơn; tệp không bị thay đổi."
            ).format(path=path, found=version, known=migrations.SCHEMA_VERSION)
        )
    return app_id, version


def _migrate(db: SqliteDatabase, path: Path, passphrase: str | None) -> None:
    version = schema_version(db)
    if version == migrations.SCHEMA_VERSION:
        return
    if version > 0:
        copy_database(db, pre_migration_copy_path(path, version), passphrase)
    for number in range(version + 1, migrations.SCHEMA_VERSION + 1):
        with db.atomic():
            migrations.apply_step(db, number)
            db.execute_sql(f"PRAGMA user_version = {number}")
            db.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")


def pre_migration_copy_path(path: Path, version: int) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.truoc-nang-cap-v{version}-{stamp}{path.suffix}")


def copy_database(db: SqliteDatabase, target: Path, passphrase: str | None = None) -> Path:
    """A consistent copy through SQLite's online backup API, encrypted with the same key if any."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(connect_raw(target, passphrase)) as dest:
        db.connection().backup(dest)
        # A copy at rest needs no write-ahead log; a plain journal leaves no -wal/-shm beside it.
        dest.execute("PRAGMA journal_mode = DELETE")
    return target
