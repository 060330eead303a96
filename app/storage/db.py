"""Opening the cell's SQLite file: pragmas, checks, and the migration ladder."""
from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
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


class DatabaseError(Exception):
    """The file cannot be opened as this cell's database; the message is for the user."""


def open_database(path: Path | str) -> SqliteDatabase:
    """Open (creating if absent) and migrate the database at path, and bind the models to it."""
    path = Path(path)
    _check_file(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = SqliteDatabase(str(path), pragmas=PRAGMAS, check_same_thread=False)
    try:
        db.connect(reuse_if_open=True)
        _migrate(db, path)
    except (sqlite3.DatabaseError, peewee.DatabaseError) as exc:
        db.close()
        raise DatabaseError(_("Không đọc được tệp {path}: {error}").format(path=path, error=exc)) from exc
    except DatabaseError:
        db.close()
        raise
    database.initialize(db)
    return db


def close_database() -> None:
    if database.obj is not None and not database.is_closed():
        database.close()


def _check_file(path: Path) -> None:
    """Refuse a file that is not ours before anything (even a pragma) writes to it."""
    if path.is_dir():
        raise DatabaseError(_("{path} là một thư mục, không phải tệp dữ liệu.").format(path=path))
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise DatabaseError(
                _("Tệp {path} không phải cơ sở dữ liệu của chibo (không phải tệp SQLite).").format(path=path)
            )
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            _check_identity(conn, path)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(_("Không đọc được tệp {path}: {error}").format(path=path, error=exc)) from exc


def schema_version(db: SqliteDatabase) -> int:
    return db.execute_sql("PRAGMA user_version").fetchone()[0]


def _check_identity(conn: sqlite3.Connection, path: Path) -> None:
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


def _migrate(db: SqliteDatabase, path: Path) -> None:
    version = schema_version(db)
    if version == migrations.SCHEMA_VERSION:
        return
    if version > 0:
        copy_database(db, pre_migration_copy_path(path, version))
    for number in range(version + 1, migrations.SCHEMA_VERSION + 1):
        with db.atomic():
            for statement in migrations.statements(migrations.STEPS[number - 1]):
                db.execute_sql(statement)
            db.execute_sql(f"PRAGMA user_version = {number}")
            db.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")


def pre_migration_copy_path(path: Path, version: int) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.truoc-nang-cap-v{version}-{stamp}{path.suffix}")


def copy_database(db: SqliteDatabase, target: Path) -> Path:
    """A consistent copy through SQLite's online backup API (safe while the file is open)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(str(target))) as dest:
        db.connection().backup(dest)
    return target
