"""Kiểm tra nhật ký: is the change history whole (its hash chain), do the tables agree with it, are its guards in place."""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass

from app.domain.labels import field_label
from app.domain.meetings import TEXT_FIELDS
from app.domain.members import EDITABLE_FIELDS
from app.i18n import _
from app.storage import audit, migrations
from app.storage.models import database

# The meeting columns its history entries name (meetings._audit_values), and the cell's (cell._FIELDS).
_MEETING_FIELDS = TEXT_FIELDS + ("kind", "date", "start_time", "end_time", "chair_id", "minute_taker_id",
                                 "task_month", "votes_for", "votes_against", "votes_other", "posted_to_handbook")
_CELL_FIELDS = ("name", "superior_name", "superior_level", "cell_level", "place_name", "term_label", "term_start",
                "secretary_name", "deputy_name")
# Label keys where a column's name is not its label's.
_LABEL_KEYS = {"meeting.start_time": "meeting.start", "meeting.end_time": "meeting.end",
               "fee.effective_from": "fee.from", "fee.from_month": "fee.from", "fee.to_month": "fee.to",
               "fee.key": "fee.rule", "fee.value": "fee.rule", "status.status": "member.status",
               "status.effective_date": "member.effective_date", "status.reason": "member.reason",
               "attendance.row": "attendance.mark", "review.status": "review.task_status",
               "review.title": "review.task_title", "review.checked_meeting_id": "review.meeting_id"}


@dataclass
class Finding:
    """One place where the file and its history disagree."""

    kind: str  # chain | row | trigger
    table: str
    row: int | None
    field: str
    in_table: object
    in_history: object
    message: str


def _subject(table: str, row: int | None, member: int | None = None) -> str:
    subjects = {
        "member": _("Hồ sơ số {row}"), "status_change": _("Thay đổi tình trạng số {row} của đảng viên mã số {member}"),
        "meeting": _("Buổi sinh hoạt số {row}"), "attendance": _("Điểm danh buổi sinh hoạt số {row}"),
        "cell": _("Thông tin chi bộ"), "fee_profile": _("Đối tượng đóng đảng phí số {row} của đảng viên mã số {member}"),
        "fee_relief": _("Quyết định miễn/giảm số {row} của đảng viên mã số {member}"),
        "fee_payment": _("Khoản thu đảng phí số {row} của đảng viên mã số {member}"),
        "fee_excuse": _("Lý do chính đáng số {row} của đảng viên mã số {member}"),
        "fee_remittance": _("Khoản nộp cấp trên số {row}"), "fee_rule_value": _("Định mức số {row}"),
        "review_entry": _("Kết quả kiểm điểm năm {row} của đảng viên mã số {member}"),
        "review_task": _("Nhiệm vụ được giao số {row}"),
    }
    text = subjects[table].format(row="?" if row is None else row, member=member)
    if row is None and member is not None:
        text = text.replace(" số ?", "")
    return text


def _label(table: str, field: str) -> str:
    area = {"member": "member", "meeting": "meeting", "cell": "cell", "attendance": "attendance",
            "status_change": "status", "review_entry": "review", "review_task": "review"}.get(table, "fee")
    key = f"{area}.{field}"
    extra = {"archived": _("đã lưu trữ"), "cancelled": _("đã hủy"), "months": _("các tháng"), "kind": _("loại"),
             "note": _("ghi chú"), "reason": _("lý do")}
    text = field_label(_LABEL_KEYS.get(key, key), default=extra.get(field, field))
    return text[:1].lower() + text[1:]


_YES_NO = {"archived", "cancelled", "posted_to_handbook"}


def _shown(value: object, field: str = "") -> str:
    if value is None or value == "":
        return _("(trống)")
    if field in _YES_NO and value in (0, 1):
        return _("có") if value else _("không")
    return str(value)


def _same(in_table: object, in_history: object) -> bool:
    if isinstance(in_history, bool):
        in_history = int(in_history)
    return in_table == in_history or (in_table in (None, "") and in_history in (None, ""))


class _Findings(list):
    """The findings of one check, with the three messages every table shares."""

    def differs(self, table: str, row: int, field: str, in_table, in_history, member: int | None = None) -> None:
        if _same(in_table, in_history):
            return
        self.append(Finding("row", table, row, field, in_table, in_history, _(
            "{subject}: {field} trong bảng là «{value}» nhưng nhật ký ghi lần cuối «{logged}».").format(
            subject=_subject(table, row, member), field=_label(table, field), value=_shown(in_table, field),
            logged=_shown(in_history, field))))

    def unlogged(self, table: str, row: int, member: int | None = None) -> None:
        self.append(Finding("row", table, row, "", "", None, _(
            "{subject}: có trong bảng nhưng nhật ký không ghi lần tạo ra.").format(
            subject=_subject(table, row, member))))

    def gone(self, table: str, row: int | None, member: int | None = None, deleted: bool = False) -> None:
        text = (_("{subject}: nhật ký ghi đã xóa nhưng vẫn còn trong bảng.") if deleted
                else _("{subject}: nhật ký ghi đã tạo nhưng không còn trong bảng."))
        self.append(Finding("row", table, row, "", None, "", text.format(subject=_subject(table, row, member))))


# --- the chain -------------------------------------------------------------------------------------------

def _check_chain(rows: list[tuple]) -> Finding | None:
    """The first entry whose hash, link to the one before, or id does not follow on; None when all do."""
    prev, expected_id = "", 1
    for row_id, prev_hash, stored, *values in rows:
        problem = None
        if row_id != expected_id:
            problem = _("thiếu dòng số {first}–{last} trước nó (đã bị xóa)").format(first=expected_id, last=row_id - 1) \
                if row_id > expected_id else _("số dòng không tăng dần")
        elif prev_hash != prev:
            problem = _("không nối tiếp dòng trước (có dòng bị xóa, chèn vào hoặc sửa trước nó)")
        else:
            try:
                sealed = audit.seal(prev, values)
            except (TypeError, ValueError):
                sealed = None
            if stored != sealed:
                problem = _("nội dung đã bị sửa hoặc dòng được chèn vào (mã kiểm tra không khớp)")
        if problem:
            at, entity, entity_id = values[0], values[1], values[2]
            return Finding("chain", "change_log", row_id, "hash", stored, prev, _(
                "Nhật ký dòng số {id} (lúc {at}, {entity} {entity_id}): {problem}.").format(
                id=row_id, at=at, entity=entity, entity_id="" if entity_id is None else entity_id, problem=problem))
        prev, expected_id = stored, row_id + 1
    return None


# --- the guards ------------------------------------------------------------------------------------------

def _check_triggers() -> list[Finding]:
    wanted = {name: sql for name, sql in migrations.schema_at(migrations.SCHEMA_VERSION).items()
              if sql.upper().startswith("CREATE TRIGGER")}
    found = {name: " ".join(sql.split()) for name, sql in
             database.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
    findings = []
    for name, sql in sorted(wanted.items()):
        table = sql.split(" ON ", 1)[1].split()[0]
        if name not in found:
            findings.append(Finding("trigger", table, None, name, None, sql, _(
                "Thiếu trigger {name}: bảng {table} không còn được giữ khỏi bị sửa, xóa.").format(name=name, table=table)))
        elif found[name] != sql:
            findings.append(Finding("trigger", table, None, name, found[name], sql, _(
                "Trigger {name} của bảng {table} đã bị thay đổi.").format(name=name, table=table)))
    return findings


# --- the rows against their history ----------------------------------------------------------------------

def _query(sql: str, params: tuple = ()) -> list[tuple]:
    return database.execute_sql(sql, params).fetchall()


def _after_legacy(legacy_until: str | None) -> tuple[str, tuple]:
    """The WHERE clause that sets aside rows the old demo wrote without entries, and its parameter: the time
    comes from the file itself, so it is bound, never pasted into the SQL."""
    return (" WHERE recorded_at > ?", (legacy_until,)) if legacy_until else ("", ())


class _Log:
    """The history entries by entity, their changes read from JSON only when a check asks for them."""

    def __init__(self, rows: list[tuple]) -> None:
        self.by_entity: dict[str, list[tuple]] = defaultdict(list)
        for row_id, _prev, _hash, at, entity, entity_id, action, changes, reason, _actor in rows:
            self.by_entity[entity].append((row_id, entity_id, action, changes, reason, at))

    def of(self, entity: str, actions: set[str] | None = None, skip: set[str] = frozenset()):
        """(entity_id, action, changes, reason) of each entry, oldest first; a malformed changes reads as {}."""
        for _id, entity_id, action, changes, reason, _at in self.by_entity.get(entity, ()):
            if (actions is None or action in actions) and action not in skip:
                yield entity_id, action, audit.parsed_changes(changes) or {}, reason

    def legacy_demo_time(self) -> str | None:
        """When the demo of programs before schema 5 wrote its fee rows with one summary entry and no entry each."""
        entries = self.by_entity.get("fee_demo")
        return str(entries[-1][5]) if entries else None


def _new(changes: dict, field: str) -> object:
    change = changes.get(field)
    return change[1] if isinstance(change, list) and len(change) == 2 else None


def _last_written(log: _Log, entity: str, skip: set[str]) -> dict[int, dict | None]:
    """entity_id -> the value each field was last given by its entries (None once a delete entry came)."""
    state: dict[int, dict | None] = {}
    for entity_id, action, changes, _reason in log.of(entity, skip=skip):
        if action == "delete":
            state[entity_id] = None
            continue
        values = state.get(entity_id) or {}
        for field, change in changes.items():
            if isinstance(change, list) and len(change) == 2:
                values[field] = change[1]
        state[entity_id] = values
    return state


def _check_rows(found: _Findings, log: _Log, table: str, fields: tuple[str, ...], skip: set[str],
                select: str | None = None, defaults: dict | None = None) -> dict[int, dict | None]:
    """A table whose history entries carry the row's id (members, meetings, the cell); returns what its
    history last wrote of each row (_last_written)."""
    state = _last_written(log, table, skip)
    columns = select or ", ".join(fields)
    rows = {row[0]: row[1:] for row in _query(f"SELECT id, {columns} FROM {table}")}
    for row_id, values in rows.items():
        if row_id not in state:
            found.unlogged(table, row_id)
        elif state[row_id] is None:
            found.gone(table, row_id, deleted=True)
        else:
            for field, value in zip(fields, values):
                found.differs(table, row_id, field, value, state[row_id].get(field, (defaults or {}).get(field)))
    for row_id, values in state.items():
        if values is not None and row_id not in rows:
            found.gone(table, row_id)
    return state


def _check_attendance(found: _Findings, log: _Log, deleted_meetings: set[int]) -> None:
    marks: dict[tuple[int, int], tuple] = {}
    for meeting_id, _action, changes, _reason in log.of("meeting", {"attendance"}):
        marks[(meeting_id, _new(changes, "member_id"))] = (_new(changes, "mark"), _new(changes, "reason") or "")
    rows = {(m, p): (mark, reason) for m, p, mark, reason in
            _query("SELECT meeting_id, member_id, mark, reason FROM attendance")}
    for key in rows.keys() | marks.keys():
        if key[0] in deleted_meetings:
            continue
        logged = marks.get(key, ("unmarked", ""))
        stored = rows.get(key, ("unmarked", ""))
        if stored != logged:
            found.append(Finding("row", "attendance", key[0], f"member {key[1]}", stored[0], logged[0], _(
                "{subject}: đảng viên mã số {member} trong bảng là «{value}» nhưng nhật ký ghi lần cuối «{logged}».")
                .format(subject=_subject("attendance", key[0]), member=key[1], value=" — ".join(filter(None, stored)),
                        logged=" — ".join(filter(None, logged)))))


@dataclass
class _Sequence:
    """A history table whose entries carry the member's id, not the row's: the member's entries, in order,
    stand for the member's rows, in id order."""

    table: str
    entity: str
    action: str
    fields: tuple[str, ...]  # compared with the entry's new values (reason: the entry's reason)
    select: str  # the SQL expressions of those fields, then whether the row is cancelled
    cancel: str = ""  # the cancel entry's action; it names the row by "id", or by "month" (excuses)


_SEQUENCES = (
    _Sequence("status_change", "member", "status", ("status", "effective_date", "reason"),
              "status, effective_date, reason, 0"),
    _Sequence("fee_profile", "fee_profile", "create", ("effective_from", "category", "basis", "region", "reason"),
              "effective_from, category, basis, region, note, 0"),
    _Sequence("fee_relief", "fee_relief", "create", ("kind", "percent", "from_month", "to_month", "reason"),
              "kind, percent, from_month, to_month, reason, cancelled_at IS NOT NULL", "cancel"),
    _Sequence("fee_payment", "fee_payment", "create", ("amount", "paid_on", "months", "channel", "reference"),
              "amount, paid_on, month_from || '..' || month_to, channel, reference, cancelled_at IS NOT NULL",
              "cancel"),
    _Sequence("fee_excuse", "fee_excuse", "create", ("month", "reason"),
              "month, reason, cancelled_at IS NOT NULL", "cancel"),
)


def _sequence_entries(seq: _Sequence) -> list[tuple]:
    """(member id, action, new values of seq.fields..., the id and the month a cancel names) of each entry,
    oldest first, read by SQLite's JSON functions: in Python a 10-year roster's payments take seconds more."""
    fields = ", ".join("reason" if f == "reason" else f"json_extract(changes, '$.{f}[1]')" for f in seq.fields)
    return database.execute_sql(
        f"SELECT entity_id, action, {fields}, json_extract(changes, '$.id[0]'), json_extract(changes, '$.month[0]') "
        "FROM change_log WHERE entity = ? AND action IN (?, ?) AND json_valid(changes) ORDER BY id",
        (seq.entity, seq.action, seq.cancel)).fetchall()


def _check_sequence(found: _Findings, seq: _Sequence, legacy_until: str | None) -> int:
    """Compare; returns how many rows the old demo wrote with no entry of their own (set aside, not checked)."""
    legacy, params = _after_legacy(legacy_until if seq.table != "status_change" else None)
    rows: dict[int, list[tuple]] = defaultdict(list)
    selected = f"SELECT id, member_id, {seq.select} FROM {seq.table}{legacy} ORDER BY id"
    for row_id, member_id, *values in _query(selected, params):
        rows[member_id].append((row_id, tuple(values)))
    set_aside = _query(f"SELECT count(*) FROM {seq.table}")[0][0] - sum(map(len, rows.values())) if legacy else 0
    expected: dict[int, list[list]] = defaultdict(list)
    cancelled_ids: set = set()
    for member_id, action, *values, cancelled_id, cancelled_month in _sequence_entries(seq):
        mine = expected[member_id]
        if action == seq.action:
            mine.append(values + [0])
        elif cancelled_id is None:  # an excuse is cancelled by its month: the first still standing
            target = next((e for e in mine if e[0] == cancelled_month and not e[-1]), None)
            if target is not None:
                target[-1] = 1
        else:
            cancelled_ids.add(cancelled_id)
    for member_id in rows.keys() | expected.keys():
        stored, logged = rows.get(member_id, []), expected.get(member_id, [])
        for (row_id, values), wanted in zip(stored, logged):
            if row_id in cancelled_ids:
                wanted[-1] = 1
            if values != tuple(wanted):
                for field, value, expected_value in zip(seq.fields + ("cancelled",), values, wanted):
                    found.differs(seq.table, row_id, field, value, expected_value, member_id)
        for row_id, _values in stored[len(logged):]:
            found.unlogged(seq.table, row_id, member_id)
        for _missing in logged[len(stored):]:
            found.gone(seq.table, None, member_id)
    return set_aside


def _check_by_id(found: _Findings, log: _Log, table: str, cancel: str, fields: tuple[str, ...], select: str,
                 legacy_until: str | None) -> int:
    """Remittances and rule figures: entries carry the row's id; a cancel (or remove) entry cancels it."""
    logged: dict[int, dict] = {}
    for row_id, action, changes, _reason in log.of(table):
        if action == "create":
            if table == "fee_rule_value":
                key = next((k for k in changes if k != "effective_from"), None)
                value = json.dumps(_new(changes, key), ensure_ascii=False)
                changes = {**changes, "key": [None, key], "value": [None, value]}
            logged[row_id] = {f: _new(changes, f) for f in fields} | {"cancelled": 0}
        elif action == cancel and row_id in logged:
            logged[row_id]["cancelled"] = 1
    legacy, params = _after_legacy(legacy_until)
    rows = {row[0]: row[1:] for row in _query(f"SELECT id, {select} FROM {table}{legacy}", params)}
    for row_id, values in rows.items():
        if row_id not in logged:
            found.unlogged(table, row_id)
            continue
        for field, value in zip(fields + ("cancelled",), values):
            found.differs(table, row_id, field, value, logged[row_id][field])
    for row_id in logged.keys() - rows.keys():
        found.gone(table, row_id)
    return _query(f"SELECT count(*) FROM {table}")[0][0] - len(rows) if legacy else 0


def _check_reviews(found: _Findings, log: _Log) -> None:
    """Each member's review of a year against what its "review"/"member" entries last wrote of each field (a
    field never written keeps the value a new review starts with)."""
    from app.services.review import ENTRY_FIELDS, EntryData, stored_values

    defaults = stored_values(EntryData())
    logged: dict[tuple[int, int], dict] = {}
    for year, _action, changes, _reason in log.of("review", {"member"}):
        values = logged.setdefault((year, _new(changes, "member_id")), {})
        values.update({f: c[1] for f, c in changes.items() if f != "member_id" and isinstance(c, list) and len(c) == 2})
    rows = _query(f"SELECT year, member_id, {', '.join(ENTRY_FIELDS)} FROM review_entry")
    for year, member_id, *values in rows:
        if (year, member_id) not in logged:
            found.unlogged("review_entry", year, member_id)
            continue
        for field, value in zip(ENTRY_FIELDS, values):
            found.differs("review_entry", year, field, value, logged[(year, member_id)].get(field, defaults[field]),
                          member_id)
    for year, member_id in logged.keys() - {(row[0], row[1]) for row in rows}:
        found.gone("review_entry", year, member_id)


_TASK_FIELDS = ("member_id", "title", "due_month", "meeting_id", "status", "checked_meeting_id")


def _check_review_tasks(found: _Findings, log: _Log) -> None:
    """Tasks: created with who, what, when and where; their result set by "status"; "cancel" cancels them."""
    logged: dict[int, dict] = {}
    for task_id, action, changes, _reason in log.of("review_task"):
        if action == "create":
            logged[task_id] = {f: _new(changes, f) for f in _TASK_FIELDS} | {"cancelled": 0}
        elif task_id in logged and action == "status":
            logged[task_id].update({f: _new(changes, f) for f in ("status", "checked_meeting_id")})
        elif task_id in logged and action == "cancel":
            logged[task_id]["cancelled"] = 1
    rows = {row[0]: row[1:] for row in _query(f"SELECT id, {', '.join(_TASK_FIELDS)}, cancelled_at IS NOT NULL "
                                              "FROM review_task")}
    for task_id, values in rows.items():
        if task_id not in logged:
            found.unlogged("review_task", task_id)
            continue
        for field, value in zip(_TASK_FIELDS + ("cancelled",), values):
            found.differs("review_task", task_id, field, value, logged[task_id][field])
    for task_id in logged.keys() - rows.keys():
        found.gone("review_task", task_id)


def _check_state(log: _Log) -> tuple[list[Finding], int]:
    found = _Findings()
    _check_rows(found, log, "cell", _CELL_FIELDS, skip=set())
    _check_rows(found, log, "member", EDITABLE_FIELDS + ("archived",), skip={"status"},
                select=", ".join(EDITABLE_FIELDS) + ", archived_at IS NOT NULL", defaults={"archived": False})
    meetings = _check_rows(found, log, "meeting", _MEETING_FIELDS, skip={"attendance"})
    deleted = {m for m, values in meetings.items() if values is None}
    _check_attendance(found, log, deleted)
    legacy_until = log.legacy_demo_time()
    set_aside = sum(_check_sequence(found, seq, legacy_until) for seq in _SEQUENCES)
    set_aside += _check_by_id(found, log, "fee_remittance", "cancel", ("month", "amount"),
                              "month, amount, cancelled_at IS NOT NULL", legacy_until)
    # Rule figures are never written by the old demo: no rows are set aside for it.
    _check_by_id(found, log, "fee_rule_value", "remove", ("key", "value", "effective_from"),
                 "key, value, effective_from, removed_at IS NOT NULL", None)
    _check_reviews(found, log)
    _check_review_tasks(found, log)
    return list(found), set_aside


# --- the whole check -------------------------------------------------------------------------------------

def verify() -> dict:
    """Check the open database's history; JSON-able: ok, entries, chain_ok, findings (each with kind, table,
    row, field, in_table, in_history and a Vietnamese message), notes.

    Never raises on a damaged or hand-made history: what cannot be read is itself a finding."""
    rows, findings, chain_ok, set_aside = [], [], False, 0
    try:
        # One snapshot: a write by another process lands wholly before or after.
        with audit.readable_text(), database.atomic("DEFERRED"):
            rows = _query(audit.CHAIN_SQL)
            broken = _check_chain(rows)
            chain_ok = broken is None
            findings = ([broken] if broken else []) + _check_triggers()
            state, set_aside = _check_state(_Log(rows))
            findings += state
    except Exception as exc:  # noqa: BLE001 - pages or rows the check cannot read: said, not raised
        findings.append(Finding("unreadable", "change_log", None, "", None, None, _(
            "Không đọc hết được nhật ký và dữ liệu để đối chiếu ({error}); tệp có thể đã bị hỏng hoặc bị sửa "
            "bằng tay.").format(error=_error_text(exc))))
    notes = []
    if set_aside:
        notes.append(_("{count} dòng đảng phí do chi bộ mẫu của phiên bản cũ tạo ra không có nhật ký riêng; "
                       "các dòng này không được đối chiếu.").format(count=set_aside))
    return {"ok": not findings, "entries": len(rows), "chain_ok": chain_ok,
            "findings": [_jsonable(asdict(f)) for f in findings], "notes": notes}


def _error_text(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return _("dữ liệu lồng nhau quá sâu")
    return str(exc) or type(exc).__name__


def _jsonable(finding: dict) -> dict:
    """A value of the file as check-db --json can print it: a blob or any other odd type as its text."""
    return {key: value if value is None or isinstance(value, (str, int, float)) else str(value)
            for key, value in finding.items()}


def summary(result: dict, limit: int = 10) -> str:
    """A few Vietnamese lines for the command line."""
    if result["ok"]:
        lines = [_("Nhật ký thay đổi: {count} dòng, nguyên vẹn; dữ liệu khớp với nhật ký.").format(
            count=result["entries"])]
    else:
        findings = result["findings"]
        lines = [_("Nhật ký thay đổi: {count} dòng, có {problems} điểm không khớp:").format(
            count=result["entries"], problems=len(findings))]
        lines += [f"  - {f['message']}" for f in findings[:limit]]
        if len(findings) > limit:
            lines.append(_("  … và {more} điểm khác.").format(more=len(findings) - limit))
    return "\n".join(lines + result["notes"])
