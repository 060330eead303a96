"""Backups that pass SQLite's integrity check but would break the program: one small generator each.

Each takes a good backup and writes an edited copy, as a hand with the sqlite3 shell could: CHECK
constraints ignored, foreign keys off. The schema itself is left as it is, so only the rows tell.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path


def edited(good: Path, target: Path, *statements: str) -> Path:
    shutil.copyfile(good, target)
    with closing(sqlite3.connect(target)) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA ignore_check_constraints = ON")
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    return target


def _status_row(member_id: int, status: str, date: str = "2020-01-01") -> str:
    return ("INSERT INTO status_change (member_id, status, effective_date, reason, recorded_at) "
            f"VALUES ({member_id}, '{status}', '{date}', '', '2020-01-01 00:00:00')")


def _payment(month: str, channel: str) -> str:
    # Payments are only ever cancelled, never edited (a trigger): a new row is added instead.
    return ("INSERT INTO fee_payment (member_id, amount, paid_on, month_from, month_to, channel, recorded_at) "
            f"VALUES (1, 5000, '2026-02-10', '{month}', '2026-12', '{channel}', '2026-02-10 08:00:00')")


def _setting(key: str, value: object) -> str:
    text = json.dumps(value).replace("'", "''")
    return f"INSERT OR REPLACE INTO setting (key, value) VALUES ('{key}', '{text}')"


# name -> (generator(good, target), words the refusal must contain: the table, the field, the value)
HOSTILE: dict[str, tuple[Callable[[Path, Path], Path], tuple[str, ...]]] = {
    "unknown-status": (lambda good, target: edited(good, target, _status_row(1, "bi_mat")),
                       ("status_change", "status", "bi_mat")),
    "bad-date": (lambda good, target: edited(good, target, "UPDATE member SET birth_date = '1990-13-45' WHERE id = 2"),
                 ("member", "dòng 2", "birth_date", "1990-13-45")),
    "bad-meeting-kind": (lambda good, target: edited(good, target, "UPDATE meeting SET kind = 'tiec' WHERE id = 1"),
                         ("meeting", "kind", "tiec")),
    "bad-mark": (lambda good, target: edited(good, target, "UPDATE attendance SET mark = 'unmarked' WHERE id = 1"),
                 ("attendance", "mark", "unmarked")),
    "bad-month": (lambda good, target: edited(good, target, _payment("2026-2", "cash")),
                  ("fee_payment", "month_from", "2026-2")),
    "bad-channel": (lambda good, target: edited(good, target, _payment("2026-02", "vang")),
                    ("fee_payment", "channel", "vang")),
    "bad-category": (lambda good, target: edited(good, target,
                                                 "INSERT INTO fee_profile (member_id, effective_from, category, note, "
                                                 "recorded_at) VALUES (1, '2026-01', 'vip', '', '2026-01-01 00:00:00')"),
                     ("fee_profile", "category", "vip")),
    "text-as-blob": (lambda good, target: edited(good, target, "UPDATE member SET full_name = X'00FF' WHERE id = 3"),
                     ("member", "dòng 3", "full_name")),
    "broken-foreign-key": (lambda good, target: edited(good, target, _status_row(99999, "chinh_thuc")),
                           ("status_change", "member")),
    "unknown-setting": (lambda good, target: edited(good, target, _setting("may.chu", "http://x")),
                        ("setting", "may.chu")),
    "bad-setting-value": (lambda good, target: edited(good, target, _setting("fees.flag_window", "bat_ky")),
                          ("setting", "fees.flag_window")),
    "setting-of-wrong-type": (lambda good, target: edited(good, target, _setting("meetings.min_minutes", "90")),
                              ("setting", "meetings.min_minutes")),
    # What `chibo settings set meetings.min_minutes -500` refuses, in the same words.
    "setting-out-of-range": (lambda good, target: edited(good, target, _setting("meetings.min_minutes", -500)),
                             ("setting", "meetings.min_minutes", "-500 nằm ngoài khoảng 0–1000")),
}


def machine_settings_elsewhere(good: Path, target: Path, folder: Path) -> Path:
    """Sends later backups to a folder the file's author chose, and turns the idle lock off."""
    return edited(good, target, _setting("backup.folder", str(folder)), _setting("backup.second_folder", str(folder)),
                  _setting("lock.idle_minutes", 0))


def other_cell(good: Path, target: Path, name: str = "Chi bộ thôn Tây") -> Path:
    """Another cell's backup: the cell renamed, with its history saying so (as the program itself writes it)."""
    edited(good, target, f"UPDATE cell SET name = '{name}'")
    with closing(sqlite3.connect(target)) as conn:
        cell_id, old = conn.execute("SELECT id, name FROM cell").fetchone()
        append_history(conn, "cell", cell_id, "update", {"name": [old, name]})
        conn.commit()
    return target


def append_history(conn, entity: str, entity_id: int | None, action: str, changes: dict) -> None:
    """One history entry chained on as record_many writes it: what a careful hand editing the file would add."""
    from app.storage import audit

    last = conn.execute("SELECT hash FROM change_log ORDER BY id DESC LIMIT 1").fetchone()
    prev = last[0] if last else ""
    values = ["2026-01-01 00:00:00", entity, entity_id, action, json.dumps(changes, ensure_ascii=False), "", "tay"]
    conn.execute("INSERT INTO change_log (at, entity, entity_id, action, changes, reason, actor, prev_hash, hash) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (*values, prev, audit.seal(prev, values)))


def tampered(good: Path, target: Path, *statements: str) -> Path:
    """Rows changed behind the history's back: the guarding triggers dropped, the rows edited, the triggers
    made again as they were, so the schema looks untouched."""
    shutil.copyfile(good, target)
    with closing(sqlite3.connect(target)) as conn:
        triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _sql in triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
        for statement in statements:
            conn.execute(statement)
        for _name, sql in triggers:
            conn.execute(sql)
        conn.commit()
    return target
