"""Opening the database: pragmas, the migration ladder, and refusing files that are not ours."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.services import members
from app.domain.members import Member
from app.storage import db as storage
from app.storage import migrations
from app.storage.models import ALL_MODELS, database

from tests.conftest import FIXTURES


def test_new_database_has_wal_foreign_keys_full_sync_and_current_version(db_path: Path):
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert database.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert storage.schema_version(database) == migrations.SCHEMA_VERSION
    assert database.execute_sql("PRAGMA application_id").fetchone()[0] == storage.APPLICATION_ID


def test_models_match_the_tables_the_ladder_creates(db_path: Path):
    for model in ALL_MODELS:
        table = model._meta.table_name
        columns = {row[1] for row in database.execute_sql(f"PRAGMA table_info({table})")}
        assert {f.column_name for f in model._meta.sorted_fields} == columns, table


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path: Path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"hello, this is a letter, not a database" * 10)
    before = path.read_bytes()
    with pytest.raises(storage.DatabaseError, match="không phải cơ sở dữ liệu"):
        storage.open_database(path)
    assert path.read_bytes() == before


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path: Path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)")
    before = path.read_bytes()
    with pytest.raises(storage.DatabaseError, match="chương trình khác"):
        storage.open_database(path)
    assert path.read_bytes() == before


def test_a_database_from_a_newer_program_is_refused(db_path: Path):
    storage.close_database()
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    with pytest.raises(storage.DatabaseError, match="phiên bản chibo mới hơn"):
        storage.open_database(db_path)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION + 1


def test_a_new_step_migrates_with_a_copy_taken_first_and_rows_intact(cell_db: Path, monkeypatch):
    members.add_member(Member(full_name="Trần Thị Lan"))
    storage.close_database()
    old = migrations.SCHEMA_VERSION
    step = "ALTER TABLE member ADD COLUMN nickname TEXT NOT NULL DEFAULT '';"
    monkeypatch.setattr(migrations, "STEPS", migrations.STEPS + (step,))
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", migrations.SCHEMA_VERSION + 1)
    storage.open_database(cell_db)
    assert storage.schema_version(database) == migrations.SCHEMA_VERSION
    assert [r[0] for r in database.execute_sql("SELECT full_name FROM member")] == ["Trần Thị Lan"]
    copies = list(cell_db.parent.glob(f"chibo.truoc-nang-cap-v{old}-*.sqlite"))
    assert len(copies) == 1
    with sqlite3.connect(copies[0]) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == old
        assert conn.execute("SELECT count(*) FROM member").fetchone()[0] == 1


def test_a_failing_step_leaves_the_database_at_its_old_version(cell_db: Path, monkeypatch):
    storage.close_database()
    old = migrations.SCHEMA_VERSION
    monkeypatch.setattr(migrations, "STEPS", migrations.STEPS + ("CREATE TABLE cell (x INTEGER);",))
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", migrations.SCHEMA_VERSION + 1)
    with pytest.raises(storage.DatabaseError):
        storage.open_database(cell_db)
    with sqlite3.connect(cell_db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == old
        assert conn.execute("SELECT name FROM cell").fetchone()[0] == "Chi bộ thôn Đông"


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema_v*.sqlite")), ids=lambda p: p.name)
def test_each_released_schema_opens_at_the_newest_version_with_its_rows(fixture: Path, tmp_path: Path):
    path = tmp_path / fixture.name
    path.write_bytes(fixture.read_bytes())
    storage.open_database(path)
    try:
        assert storage.schema_version(database) == migrations.SCHEMA_VERSION
        assert len(members.list_members(statuses=None, include_archived=True)) == 35
    finally:
        storage.close_database()


def test_there_is_a_fixture_for_every_released_schema():
    versions = {int(p.stem.split("_v")[1]) for p in FIXTURES.glob("schema_v*.sqlite")}
    assert versions == set(range(1, migrations.SCHEMA_VERSION + 1))


def test_audit_trail_refuses_edits_and_deletions(cell_db: Path):
    members.add_member(Member(full_name="Trần Thị Lan"))
    with pytest.raises(Exception, match="append-only"):
        database.execute_sql("UPDATE change_log SET reason = 'x'")
    with pytest.raises(Exception, match="append-only"):
        database.execute_sql("DELETE FROM change_log")
