"""The one writer of the change history (nhật ký thay đổi): append-only, called by the services."""
from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import hashlib
import json
import os
import threading
from collections.abc import Iterator, Sequence

from app.storage.models import ChangeLog, bulk_insert, database, now

# How much of an unreadable changes text an entry shows.
_SHOWN_UNREADABLE = 80


def _plain(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def diff(old: dict, new: dict) -> dict[str, list]:
    """Field -> [old, new] for the fields whose value differs."""
    return {
        key: [_plain(old.get(key)), _plain(new.get(key))]
        for key in new
        if _plain(old.get(key)) != _plain(new.get(key))
    }


@functools.cache
def os_account() -> str:
    """The account the program runs under, asked of the OS: getpass would take $USER or $LOGNAME, which anyone
    can set to another name before starting the program."""
    try:
        if os.name == "nt":
            return os.getlogin()  # GetUserNameW: the account of this process, not an environment variable
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except Exception:  # noqa: BLE001 - no account name (a container's bare uid); the record still counts
        return ""


_actor = os_account  # the history's name for it


def entry(entity: str, entity_id: int | None, action: str, changes: dict | None = None, reason: str = "") -> dict:
    """One history row, ready to write with record_many."""
    return {
        "at": now(), "entity": entity, "entity_id": entity_id, "action": action,
        "changes": json.dumps(changes or {}, ensure_ascii=False, default=str), "reason": reason, "actor": _actor(),
    }


def record(entity: str, entity_id: int | None, action: str, changes: dict | None = None, reason: str = "") -> None:
    """Append one entry; call it inside the service's transaction so both land or neither."""
    record_many([entry(entity, entity_id, action, changes, reason)])


# Lists that the operations running on this thread collect their history rows into (see watching()).
_watchers = threading.local()


# The columns an entry's hash covers, in this order; verify reads them with this SQL, so both sides agree.
HASHED_COLUMNS = ("at", "entity", "entity_id", "action", "changes", "reason", "actor")
CHAIN_SQL = f"SELECT id, prev_hash, hash, {', '.join(HASHED_COLUMNS)} FROM change_log ORDER BY id"
_SEPARATOR = "\x1f"


def seal(prev_hash: str, values: Sequence) -> str:
    """The hash of one history entry: SHA-256 (hex) of the previous entry's hash and the entry's values as stored
    (HASHED_COLUMNS; `at` as SQLite holds it, e.g. '2026-11-23 21:41:23'; a NULL entity_id as '').

    The canonical text is the eight fields joined by U+001F. Should a field itself hold U+001F, the text is
    U+001E followed by the JSON array of them instead, so no two different entries share a text. Used both
    when writing (record_many, the migration that sealed older files) and when checking (history_check).
    """
    at, entity, entity_id, action, changes, reason, actor = values
    entity_id = "" if entity_id is None else entity_id
    # One f-string rather than a join: verify hashes every entry of a file, a million for a large cell.
    text = f"{prev_hash}\x1f{at}\x1f{entity}\x1f{entity_id}\x1f{action}\x1f{changes}\x1f{reason}\x1f{actor}"
    if text.count(_SEPARATOR) != 7:
        parts = [prev_hash, str(at), entity, str(entity_id), action, changes, reason, actor]
        text = "\x1e" + json.dumps(parts, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def stored_time(value: object) -> str:
    """A time as SQLite stores it (the sqlite3 module writes a datetime as isoformat with a space)."""
    return value.isoformat(" ") if isinstance(value, dt.datetime) else str(value)


def last_hash() -> str:
    row = ChangeLog.select(ChangeLog.hash).order_by(ChangeLog.id.desc()).limit(1).tuples().first()
    return row[0] if row else ""


def record_many(entries_: list[dict]) -> None:
    """Append entries, each chained to the one before by its hash; inside the caller's transaction, which
    begins IMMEDIATE, so no other process writes between reading the last hash and these inserts."""
    if not entries_:
        return
    prev = last_hash()
    rows = []
    for item in entries_:
        row = {**item, "at": stored_time(item["at"]), "prev_hash": prev}
        row["hash"] = prev = seal(prev, [row[c] for c in HASHED_COLUMNS])
        rows.append(row)
    bulk_insert(ChangeLog, rows, columns=9)
    for seen in getattr(_watchers, "stack", ()):
        seen.extend(entries_)


@contextlib.contextmanager
def watching() -> Iterator[list[dict]]:
    """Every history row written on this thread inside the block: what one operation changed.

    Every write goes through record_many, so no service can change data without it being seen here.
    """
    stack = getattr(_watchers, "stack", None)
    if stack is None:
        stack = _watchers.stack = []
    seen: list[dict] = []
    stack.append(seen)
    try:
        yield seen
    finally:
        stack.remove(seen)


@contextlib.contextmanager
def readable_text() -> Iterator[None]:
    """Text columns read with undecodable bytes replaced (U+FFFD) instead of sqlite3's OperationalError: a
    damaged or hand-edited file is still read, and what it holds is then found not to match, never a crash."""
    conn = database.connection()
    before = conn.text_factory
    conn.text_factory = lambda data: data.decode("utf-8", "replace")
    try:
        yield
    finally:
        conn.text_factory = before


def parsed_changes(text: object) -> dict | None:
    """An entry's changes as a dict; None when the text is not a JSON object (damaged, hand-written, or nested
    too deeply for the parser)."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def entries(entity: str | None = None, entity_id: int | None = None) -> list[dict]:
    query = ChangeLog.select().order_by(ChangeLog.id)
    if entity:
        query = query.where(ChangeLog.entity == entity)
    if entity_id is not None:
        query = query.where(ChangeLog.entity_id == entity_id)
    with readable_text():
        return [
            {
                "id": row.id,
                "at": row.at.isoformat() if isinstance(row.at, dt.datetime) else str(row.at),
                "entity": row.entity,
                "entity_id": row.entity_id,
                "action": row.action,
                "changes": _changes_shown(row.changes),
                "reason": row.reason,
                "actor": row.actor,
            }
            for row in query
        ]


def _changes_shown(text: object) -> dict:
    """The changes, or (when they cannot be read) the start of their text under the key "?", shown as it is."""
    parsed = parsed_changes(text)
    if parsed is not None:
        return parsed
    shown = str(text)
    return {"?": [None, shown if len(shown) <= _SHOWN_UNREADABLE else shown[:_SHOWN_UNREADABLE] + "…"]}


def next_unused_id(model, entity: str) -> int:
    """An id no row and no history entry of this entity has had: a deleted row's id is never given again,
    so the change history of two different things never shares one."""
    from peewee import fn

    last_logged = ChangeLog.select(fn.MAX(ChangeLog.entity_id)).where(ChangeLog.entity == entity).scalar() or 0
    last_row = model.select(fn.MAX(model.id)).scalar() or 0
    return max(last_logged, last_row) + 1
