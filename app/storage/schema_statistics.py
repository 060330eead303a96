"""Schema step 7: what the statistics sent upward count, the packages sent and received, and the keys.

- The member gains the two coded attributes the forms count that no other field carries: the forms'
  occupation group and youth-union membership (the levels are read from the existing fields by the code lists).
- A status change gains its kind as the forms count it (kết nạp, chuyển đến, phục hồi…) and its scope (from
  another province or within it). The history stays append-only: a row may be classified once, when its kind
  is still empty (a transfer's scope, once, when it is still empty), and nothing else of it may change.
- Member events that are not statuses (badges, cards, temporary transfers, rewards) are dated rows,
  cancelled and never deleted.
- The cell keeps the packages it sent (a sequence per installation, each with the hash of the previous one)
  and what the superior accepted; the superior keeps its cells, their pinned keys and the packages received.
"""

SQL = """
ALTER TABLE member ADD COLUMN occupation_group TEXT NOT NULL DEFAULT '';
ALTER TABLE member ADD COLUMN youth_union INTEGER CHECK (youth_union IS NULL OR youth_union IN (0, 1));
ALTER TABLE cell ADD COLUMN code TEXT NOT NULL DEFAULT '';
ALTER TABLE cell ADD COLUMN unit_kind TEXT NOT NULL DEFAULT 'cell' CHECK (unit_kind IN ('cell', 'superior'));
ALTER TABLE status_change ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE status_change ADD COLUMN scope TEXT NOT NULL DEFAULT '';
DROP TRIGGER status_change_no_update;
CREATE TRIGGER status_change_no_update BEFORE UPDATE ON status_change
WHEN NOT ((OLD.kind = '' OR (OLD.scope = '' AND NEW.kind IS OLD.kind)) AND NEW.member_id IS OLD.member_id AND NEW.status IS OLD.status
          AND NEW.effective_date IS OLD.effective_date AND NEW.reason IS OLD.reason
          AND NEW.recorded_at IS OLD.recorded_at)
BEGIN SELECT RAISE(ABORT, 'status history is append-only'); END;
CREATE TABLE member_event (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES member (id) ON DELETE RESTRICT,
    kind TEXT NOT NULL CHECK (length(kind) > 0),
    event_date DATE NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    decision TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    recorded_at DATETIME NOT NULL,
    cancelled_at DATETIME,
    cancel_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX member_event_member ON member_event (member_id, event_date);
CREATE TRIGGER member_event_no_update BEFORE UPDATE ON member_event
WHEN NOT (OLD.cancelled_at IS NULL AND NEW.cancelled_at IS NOT NULL AND NEW.member_id IS OLD.member_id
          AND NEW.kind IS OLD.kind AND NEW.event_date IS OLD.event_date AND NEW.detail IS OLD.detail
          AND NEW.decision IS OLD.decision AND NEW.note IS OLD.note AND NEW.recorded_at IS OLD.recorded_at)
BEGIN SELECT RAISE(ABORT, 'member events are cancelled, never edited'); END;
CREATE TRIGGER member_event_no_delete BEFORE DELETE ON member_event
BEGIN SELECT RAISE(ABORT, 'member events are cancelled, never deleted'); END;
CREATE TABLE key_pair (
    purpose TEXT PRIMARY KEY CHECK (purpose IN ('signing', 'exchange')),
    private_key TEXT NOT NULL,
    public_key TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE TABLE package_sent (
    id INTEGER PRIMARY KEY,
    installation_id TEXT NOT NULL,
    sequence INTEGER NOT NULL CHECK (sequence >= 1),
    period TEXT NOT NULL,
    kind TEXT NOT NULL,
    privacy TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    package_hash TEXT NOT NULL,
    prev_hash TEXT NOT NULL DEFAULT '',
    file_name TEXT NOT NULL DEFAULT '',
    UNIQUE (installation_id, sequence)
);
CREATE TABLE period_acceptance (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL,
    package_hash TEXT NOT NULL,
    accepted_on DATE NOT NULL,
    superior_name TEXT NOT NULL DEFAULT '',
    received_at DATETIME NOT NULL,
    reopened_at DATETIME,
    reopen_reason TEXT NOT NULL DEFAULT ''
);
CREATE TABLE sup_cell (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE CHECK (length(code) > 0),
    name TEXT NOT NULL,
    installation_id TEXT NOT NULL,
    public_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    first_seen DATETIME NOT NULL
);
CREATE TABLE sup_package (
    id INTEGER PRIMARY KEY,
    cell_id INTEGER NOT NULL REFERENCES sup_cell (id) ON DELETE RESTRICT,
    installation_id TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    period TEXT NOT NULL,
    kind TEXT NOT NULL,
    privacy TEXT NOT NULL,
    package_hash TEXT NOT NULL UNIQUE,
    prev_hash TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    imported_at DATETIME NOT NULL,
    manifest TEXT NOT NULL,
    data TEXT NOT NULL,
    replaced_by INTEGER REFERENCES sup_package (id) ON DELETE RESTRICT
);
CREATE INDEX sup_package_period ON sup_package (cell_id, period);
CREATE TABLE sup_conflict (
    id INTEGER PRIMARY KEY,
    received_at DATETIME NOT NULL,
    package_hash TEXT NOT NULL,
    cell_code TEXT NOT NULL,
    cell_name TEXT NOT NULL,
    installation_id TEXT NOT NULL,
    public_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    reason TEXT NOT NULL,
    package BLOB NOT NULL,
    resolved_at DATETIME,
    resolution TEXT NOT NULL DEFAULT ''
);
"""


def classify_admissions(db) -> None:
    """What the program's own first entries already said: a first status of dự bị from the admission or
    ceremony date was the admission here; a first entry «Chuyển đến…» was a transfer in (scope unknown)."""
    first = ("s.id = (SELECT f.id FROM status_change f WHERE f.member_id = s.member_id"
             " ORDER BY f.effective_date, f.id LIMIT 1)")
    db.execute_sql(
        "UPDATE status_change SET kind = 'ket_nap' WHERE kind = '' AND status = 'du_bi' AND id IN ("
        " SELECT s.id FROM status_change s JOIN member m ON m.id = s.member_id"
        f" WHERE s.effective_date IN (m.admission_date, m.ceremony_date) AND {first})"
    )
    db.execute_sql(
        "UPDATE status_change SET kind = 'chuyen_den' WHERE kind = '' AND status IN ('du_bi', 'chinh_thuc')"
        f" AND id IN (SELECT s.id FROM status_change s WHERE s.reason LIKE 'Chuyển đến%' AND {first})"
    )
