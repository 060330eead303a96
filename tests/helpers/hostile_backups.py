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
}


def machine_settings_elsewhere(good: Path, target: Path, folder: Path) -> Path:
    """Sends later backups to a folder the file's author chose, and turns the idle lock off."""
    return edited(good, target, _setting("backup.folder", str(folder)), _setting("backup.second_folder", str(folder)),
                  _setting("lock.idle_minutes", 0))


def other_cell(good: Path, target: Path, name: str = "Chi bộ thôn Tây") -> Path:
    return edited(good, target, f"UPDATE cell SET name = '{name}'")
