"""Opening the cell's SQLite file: pragmas, encryption, checks, and the migration ladder."""
from __future__ import annotations

import datetime as dt
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


@dataclass
class OpenState:
    """The database the models are bound to, and what it takes to open a copy of it."""

    path: Path
    passphrase: str | None


_state: OpenState | None = None


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


def open_database(path: Path | str, passphrase: str | None = None) -> SqliteDatabase:
    """Open (creating if absent) and migrate the database at path, and bind the models to it."""
    global _state
    path = Path(path)
    passphrase = passphrase or None
    inspect_file(path, passphrase)
    path.parent.mkdir(parents=True, exist_ok=True)
    encrypted = passphrase is not None and (is_encrypted_file(path) or not path.exists() or path.stat().st_size == 0)
    if encrypted:
        from playhouse.sqlcipher_ext import SqlCipherDatabase

        db = SqlCipherDatabase(str(path), passphrase=passphrase, pragmas=PRAGMAS, check_same_thread=False,
                               lock_type=LOCK_TYPE)
    else:
        db = SqliteDatabase(str(path), pragmas=PRAGMAS, check_same_thread=False, lock_type=LOCK_TYPE)
    try:
        db.connect(reuse_if_open=True)
        _migrate(db, path, passphrase if encrypted else None)
    except (sqlite3.DatabaseError, peewee.DatabaseError) as exc:
        db.close()
        raise DatabaseError(_("Không đọc được tệp {path}: {error}").format(path=path, error=exc)) from exc
    close_database()
    database.initialize(db)
    _state = OpenState(path, passphrase if encrypted else None)
    return db


def close_database() -> None:
    global _state
    close_thread_connection()
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
