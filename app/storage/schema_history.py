"""Schema step 5: a tamper-evident history — the change log chained by hashes, history rows the database keeps.

change_log gains prev_hash and hash (see audit.seal); the rows already there are sealed in id order by
seal_existing, run after this SQL in the same transaction. Rows that are history (a status change, a fee
profile, a payment, a relief, an excuse, a remittance, a rule figure) can no longer be deleted, and the
cancellable ones can only be cancelled: their cancel columns go from empty to a value, once, and nothing else
changes. Drafts, settings, attendance, meetings, members and the cell are current state and stay editable.
"""
from __future__ import annotations

from app.storage import audit


def _refuse_delete(table: str, message: str) -> str:
    return (f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}\n"
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END;\n")


def _only_cancel(table: str, mark: str, kept: tuple[str, ...]) -> str:
    """Refuse any update but the one that sets the mark (cancelled_at / removed_at) on a row that had none."""
    same = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in kept)
    return (f"CREATE TRIGGER {table}_only_cancel BEFORE UPDATE ON {table}\n"
            f"WHEN NOT (OLD.{mark} IS NULL AND NEW.{mark} IS NOT NULL AND {same})\n"
            f"BEGIN SELECT RAISE(ABORT, '{table} rows are only ever cancelled'); END;\n")


# Each cancellable table: the column that marks it cancelled, and the columns that never change.
# The cancel reason (where there is one) may be written with the mark.
_CANCELLABLE = {
    "fee_relief": ("cancelled_at", ("id", "member_id", "kind", "percent", "from_month", "to_month", "reason",
                                    "decision", "recorded_at")),
    "fee_payment": ("cancelled_at", ("id", "member_id", "amount", "paid_on", "month_from", "month_to", "channel",
                                     "reference", "received_by", "receipt_no", "note", "recorded_at")),
    "fee_excuse": ("cancelled_at", ("id", "member_id", "month", "reason", "recorded_at")),
    "fee_remittance": ("cancelled_at", ("id", "month", "amount", "paid_on", "channel", "reference", "note",
                                        "recorded_at")),
    "fee_rule_value": ("removed_at", ("id", "key", "effective_from", "value", "note", "recorded_at")),
}

SQL = (
    "ALTER TABLE change_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';\n"
    "ALTER TABLE change_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';\n"
    + _refuse_delete("status_change", "status history is append-only")
    + _refuse_delete("fee_profile", "fee profiles are append-only")
    + "".join(_refuse_delete(table, f"{table} rows are cancelled, never deleted")
              + _only_cancel(table, mark, kept) for table, (mark, kept) in _CANCELLABLE.items())
)

# The trigger that keeps change_log append-only, lifted while seal_existing writes the hashes.
_NO_UPDATE = "change_log_no_update"


def seal_existing(db) -> None:
    """Chain the entries written before step 5, in id order (migrations.AFTER_STEP[5])."""
    found = db.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_NO_UPDATE,))
    trigger = found.fetchone()
    if trigger:
        db.execute_sql(f"DROP TRIGGER {_NO_UPDATE}")
    prev, sealed = "", []
    for row_id, _prev, _hash, *values in db.execute_sql(audit.CHAIN_SQL).fetchall():
        prev = audit.seal(prev, values)
        sealed.append((sealed[-1][1] if sealed else "", prev, row_id))
    db.connection().executemany("UPDATE change_log SET prev_hash = ?, hash = ? WHERE id = ?", sealed)
    if trigger:
        db.execute_sql(trigger[0])  # the very text it had, so the schema still matches migrations.schema_at
