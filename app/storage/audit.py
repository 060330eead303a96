"""The one writer of the change history (nhật ký thay đổi): append-only, called by the services."""
from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import getpass
import json
import threading
from collections.abc import Iterator

from app.storage.models import ChangeLog, bulk_insert, now


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
def _actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name on some Windows set-ups; the record still counts
        return ""


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


def record_many(entries_: list[dict]) -> None:
    bulk_insert(ChangeLog, entries_, columns=7)
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


def entries(entity: str | None = None, entity_id: int | None = None) -> list[dict]:
    query = ChangeLog.select().order_by(ChangeLog.id)
    if entity:
        query = query.where(ChangeLog.entity == entity)
    if entity_id is not None:
        query = query.where(ChangeLog.entity_id == entity_id)
    return [
        {
            "id": row.id,
            "at": row.at.isoformat() if isinstance(row.at, dt.datetime) else str(row.at),
            "entity": row.entity,
            "entity_id": row.entity_id,
            "action": row.action,
            "changes": json.loads(row.changes),
            "reason": row.reason,
            "actor": row.actor,
        }
        for row in query
    ]


def next_unused_id(model, entity: str) -> int:
    """An id no row and no history entry of this entity has had: a deleted row's id is never given again,
    so the change history of two different things never shares one."""
    from peewee import fn

    last_logged = ChangeLog.select(fn.MAX(ChangeLog.entity_id)).where(ChangeLog.entity == entity).scalar() or 0
    last_row = model.select(fn.MAX(model.id)).scalar() or 0
    return max(last_logged, last_row) + 1
