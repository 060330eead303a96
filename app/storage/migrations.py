"""The schema as a numbered ladder of steps, read and written through PRAGMA user_version."""
from __future__ import annotations

from collections.abc import Callable

from app.storage import (
    schema_drafts,
    schema_fees,
    schema_history,
    schema_meetings,
    schema_review,
    schema_statistics,
)

# Each step is plain SQL so that later model changes never rewrite history.
# Step N brings a database from version N-1 to version N.
_V1 = """
CREATE TABLE cell (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    cell_level TEXT NOT NULL DEFAULT 'truc_thuoc',
    superior_name TEXT NOT NULL DEFAULT '',
    superior_level TEXT NOT NULL DEFAULT '',
    place_name TEXT NOT NULL DEFAULT '',
    term_label TEXT NOT NULL DEFAULT '',
    term_start DATE,
    secretary_name TEXT NOT NULL DEFAULT '',
    deputy_name TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE TABLE member (
    id INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL,
    sex TEXT,
    birth_date DATE,
    ethnicity TEXT NOT NULL DEFAULT '',
    religion TEXT NOT NULL DEFAULT '',
    home_town TEXT NOT NULL DEFAULT '',
    residence TEXT NOT NULL DEFAULT '',
    occupation TEXT NOT NULL DEFAULT '',
    education TEXT NOT NULL DEFAULT '',
    professional_level TEXT NOT NULL DEFAULT '',
    political_theory TEXT NOT NULL DEFAULT '',
    admission_date DATE,
    ceremony_date DATE,
    official_date DATE,
    card_number TEXT UNIQUE,
    member_code TEXT NOT NULL DEFAULT '',
    citizen_id TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    party_post TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    sort_key TEXT NOT NULL,
    search_text TEXT NOT NULL,
    archived_at DATETIME,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX member_sort_key ON member (sort_key);
CREATE TABLE status_change (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES member (id) ON DELETE RESTRICT,
    status TEXT NOT NULL,
    effective_date DATE NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    recorded_at DATETIME NOT NULL
);
CREATE INDEX status_change_member ON status_change (member_id, effective_date);
CREATE TABLE change_log (
    id INTEGER PRIMARY KEY,
    at DATETIME NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    action TEXT NOT NULL,
    changes TEXT NOT NULL DEFAULT '{}',
    reason TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL DEFAULT ''
);
CREATE INDEX change_log_entity ON change_log (entity, entity_id);
-- The audit trail is append-only: the database itself refuses edits and deletions.
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END;
CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END;
CREATE TRIGGER status_change_no_update BEFORE UPDATE ON status_change
BEGIN SELECT RAISE(ABORT, 'status history is append-only'); END;
CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

STEPS: tuple[str, ...] = (_V1, schema_meetings.SQL, schema_fees.SQL, schema_drafts.SQL, schema_history.SQL,
                        schema_review.SQL, schema_statistics.SQL)
SCHEMA_VERSION = len(STEPS)
# Step number -> a function run after that step's SQL, in the same transaction, for what SQL cannot do
# (filling a column computed in Python). It gets the peewee database.
AFTER_STEP: dict[int, Callable[[object], None]] = {5: schema_history.seal_existing,
                                                  7: schema_statistics.classify_admissions}


def apply_step(db, number: int) -> None:
    """Bring db from version number-1 to number (the caller holds the transaction and sets user_version)."""
    for statement in statements(STEPS[number - 1]):
        db.execute_sql(statement)
    if number in AFTER_STEP:
        AFTER_STEP[number](db)


def statements(script: str) -> list[str]:
    """Split a step into statements, keeping trigger bodies (which hold ';') whole."""
    out, buf = [], []
    for line in script.splitlines():
        if line.strip().startswith("--") or not line.strip():
            continue
        buf.append(line)
        joined = "\n".join(buf).strip()
        in_trigger = joined.upper().startswith("CREATE TRIGGER")
        if joined.endswith(";") and (not in_trigger or joined.upper().endswith("END;")):
            out.append(joined)
            buf = []
    return out


def schema_at(version: int) -> dict[str, str]:
    """name -> CREATE statement of every table, index and trigger the ladder makes up to a version.

    A file whose sqlite_master differs (a damaged or hand-edited copy) is not taken for ours.
    """
    import sqlite3

    conn = sqlite3.connect(":memory:")
    try:
        for step in STEPS[:version]:
            for statement in statements(step):
                conn.execute(statement)
        return schema_of(conn)
    finally:
        conn.close()


def schema_of(conn) -> dict[str, str]:
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")
    return {name: " ".join(sql.split()) for name, sql in rows}
