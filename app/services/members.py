"""The roster: adding, editing, archiving members and recording their dated status changes."""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from app.domain import member_events, names
from app.domain.issues import Severity
from app.domain.members import (
    EDITABLE_FIELDS,
    Issue,
    Joining,
    Member,
    MemberStatus,
    Sex,
    StatusChange,
    current_status,
    initial_history,
    is_recognition,
    joining_report,
    status_change_missing,
    status_change_report,
    status_on,
    status_reason,
    validate_member,
)
from app.i18n import _
from app.services import period_lock
from app.services.errors import NotFound, ServiceError, ValidationFailed
from app.storage import audit
from app.storage import models as m
from app.storage.models import database


@dataclass
class RosterEntry:
    """One row of the roster with the keys the views sort and search by."""

    member: Member
    sort_key: str
    search_text: str


@dataclass
class SaveResult:
    member: Member
    warnings: list[Issue] = field(default_factory=list)


def search_text_of(member: Member) -> str:
    """What search-as-you-type looks in: the name, card number, codes and phone, folded."""
    parts = (member.full_name, member.card_number, member.member_code, member.citizen_id, member.phone)
    return names.fold(" ".join(p for p in parts if p))


def _to_domain(row: m.Member | dict, status: MemberStatus | None) -> Member:
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    values = {name: get(name) for name in EDITABLE_FIELDS}
    values["sex"] = Sex(values["sex"]) if values["sex"] else None
    values["card_number"] = values["card_number"] or ""
    return Member(**values, id=get("id"), status=status, archived=get("archived_at") is not None)


def _row_values(member: Member) -> dict:
    values = {name: getattr(member, name) for name in EDITABLE_FIELDS}
    values["sex"] = member.sex.value if member.sex else None
    values["card_number"] = member.card_number or None
    values["sort_key"] = names.sort_key(member.full_name)
    values["search_text"] = search_text_of(member)
    return values


def _statuses() -> dict[int, MemberStatus]:
    """Every member's status in force, from the history in one pass."""
    return {member_id: MemberStatus(status) for member_id, status in m.latest_statuses().items()}


def list_members(
    search: str = "",
    statuses: set[MemberStatus] | None = None,
    include_archived: bool = False,
) -> list[RosterEntry]:
    """The roster in Vietnamese name order, filtered by search text and status."""
    status_of = _statuses()
    entries = []
    for row in m.roster_rows(include_archived):
        if search and not names.matches(search, row["search_text"]):
            continue
        status = status_of.get(row["id"])
        if statuses is not None and status not in statuses:
            continue
        entries.append(RosterEntry(_to_domain(row, status), row["sort_key"], row["search_text"]))
    return entries


def histories() -> dict[int, list[StatusChange]]:
    """Every member's status history, oldest first, in one query (for month-by-month work)."""
    result: dict[int, list[StatusChange]] = {}
    query = m.StatusChange.select().order_by(m.StatusChange.effective_date, m.StatusChange.id)
    for r in query:
        result.setdefault(r.member_id, []).append(
            StatusChange(MemberStatus(r.status), r.effective_date, r.reason, r.id, r.recorded_at, r.kind, r.scope))
    return result


def roster_on(day: dt.date, include_archived: bool = False) -> list[tuple[Member, MemberStatus]]:
    """Who was in the cell on a day (status in force then is an in-cell one), in roster order."""
    history_of = histories()
    result = []
    for entry in list_members(statuses=None, include_archived=include_archived):
        status = status_on(history_of.get(entry.member.id, []), day)
        if status is not None and status.in_cell:
            result.append((entry.member, status))
    return result


def get_member(member_id: int) -> Member:
    row = m.Member.get_or_none(m.Member.id == member_id)
    if row is None:
        raise NotFound(_("Không có đảng viên mã số {id}.").format(id=member_id))
    return _to_domain(row, current_status(status_history(member_id)))


def status_history(member_id: int) -> list[StatusChange]:
    query = (
        m.StatusChange.select()
        .where(m.StatusChange.member == member_id)
        .order_by(m.StatusChange.effective_date, m.StatusChange.id)
    )
    return [
        StatusChange(MemberStatus(r.status), r.effective_date, r.reason, r.id, r.recorded_at, r.kind, r.scope)
        for r in query
    ]


def check_member(member: Member, today: dt.date | None = None, member_id: int | None = None, *,
                 joining: Joining | None = None) -> list[Issue]:
    """All problems with a record, including a card number already held by another member, and for a new
    one what its start in the cell needs (joining)."""
    member = member.normalized()
    today = today or dt.date.today()
    issues = list(validate_member(member, today).issues)
    if joining is not None:
        issues += joining_report(member, joining, today).issues
    if member.card_number:
        other = m.Member.get_or_none(m.Member.card_number == member.card_number)
        if other is not None and other.id != member_id:
            issues.append(
                Issue(
                    "member.card_number",
                    _("số thẻ {card} đã thuộc về đồng chí {name}.").format(
                        card=member.card_number, name=other.full_name
                    ),
                )
            )
    if member.full_name and member.birth_date:
        twin = m.Member.get_or_none((m.Member.sort_key == names.sort_key(member.full_name))
                                    & (m.Member.birth_date == member.birth_date) & (m.Member.id != (member_id or 0)))
        if twin is not None:
            issues.append(Issue("member.full_name", _(
                "đã có đồng chí {name} cùng ngày sinh (mã số {id}); kiểm tra xem có nhập trùng không.").format(
                name=twin.full_name, id=twin.id), Severity.WARNING))
    return issues


def _validated(member: Member, today: dt.date, member_id: int | None = None,
               joining: Joining | None = None) -> tuple[Member, list[Issue]]:
    member = member.normalized()
    issues = check_member(member, today, member_id, joining=joining)
    errors = [i for i in issues if i.is_error]
    if errors:
        raise ValidationFailed(errors)
    return member, [i for i in issues if not i.is_error]


def insert_member(member: Member, today: dt.date, history: list[StatusChange] | None = None) -> int:
    """Write a checked, normalised member with its starting history; call inside a transaction."""
    return insert_members([(member, history or initial_history(member, today))])[0]


def insert_members(items: list[tuple[Member, list[StatusChange]]]) -> list[int]:
    """Write checked, normalised members with their histories and audit rows in bulk; inside a transaction."""
    first = m.next_id(m.Member)
    stamp = m.now()
    rows, changes, entries = [], [], []
    for offset, (member, history) in enumerate(items):
        member_id = first + offset
        values = _row_values(member)
        rows.append({**values, "id": member_id, "created_at": stamp, "updated_at": stamp})
        entries.append(audit.entry("member", member_id, "create",
                                   audit.diff({}, {k: values[k] for k in EDITABLE_FIELDS})))
        for change in history:
            changes.append({"member": member_id, "status": change.status.value,
                            "effective_date": change.effective_date, "reason": change.reason, "recorded_at": stamp,
                            "kind": change.kind, "scope": change.scope})
            logged = {"status": [None, change.status.value],
                      "effective_date": [None, change.effective_date.isoformat()]}
            logged |= {name: [None, value] for name, value in (("kind", change.kind), ("scope", change.scope)) if value}
            entries.append(audit.entry("member", member_id, "status", logged, change.reason))
    m.bulk_insert(m.Member, rows, columns=29)
    m.bulk_insert(m.StatusChange, changes, columns=7)
    audit.record_many(entries)
    return [first + i for i in range(len(items))]


def add_member(member: Member, *, joining: Joining | None = None, today: dt.date | None = None) -> SaveResult:
    """Thêm đảng viên. joining says how the member began activity here: admitted (the admission date is
    then needed; the history starts at the ceremony) or transferred in (from the arrival date, with the
    status held then). Without it the history starts from the dates the record carries, as an import does."""
    today = today or dt.date.today()
    if joining is not None:
        joining = dataclasses.replace(joining, transfer_number=names.normalize_text(joining.transfer_number))
    member, warnings = _validated(member, today, joining=joining)
    history = initial_history(member, today, joining)
    period_lock.check_count_open(min(c.effective_date for c in history), _("Thêm đảng viên"))
    with database.atomic():
        member_id = insert_member(member, today, history)
    return SaveResult(get_member(member_id), warnings)


def apply_update(member_id: int, member: Member, reason: str = "") -> bool:
    """Write a checked, normalised member over the stored one; call inside a transaction."""
    row = m.Member.get_by_id(member_id)
    old = {name: getattr(row, name) for name in EDITABLE_FIELDS}
    values = _row_values(member)
    changes = audit.diff(old, {k: values[k] for k in EDITABLE_FIELDS})
    if not changes:
        return False
    m.Member.update(**values, updated_at=m.now()).where(m.Member.id == member_id).execute()
    audit.record("member", member_id, "update", changes, reason)
    return True


def update_member(member_id: int, member: Member, reason: str = "", today: dt.date | None = None) -> SaveResult:
    """Sửa hồ sơ: every changed field goes to the change history with its old value."""
    get_member(member_id)
    member, warnings = _validated(member, today or dt.date.today(), member_id)
    with database.atomic():
        apply_update(member_id, member, reason)
    return SaveResult(get_member(member_id), warnings)


def check_status_change(member_id: int, status: MemberStatus, *, effective_date: dt.date,
                        vote_date: dt.date | None = None, today: dt.date | None = None) -> list[Issue]:
    """What the rules say of a status change before it is recorded (shown as the dialog is filled)."""
    member, history = get_member(member_id), status_history(member_id)
    return status_change_report(member, history, status, effective_date=effective_date,
                                today=today or dt.date.today(), vote_date=vote_date).issues


def change_status(member_id: int, status: MemberStatus, *, effective_date: dt.date, reason: str = "",
                  vote_date: dt.date | None = None, today: dt.date | None = None, kind: str = "",
                  scope: str = "") -> StatusChange:
    """Ghi một thay đổi tình trạng (chuyển đi, từ trần, công nhận chính thức…) with its date and reason;
    never overwrites. An official membership needs 12 months of probation and the date of the cell's vote,
    which is kept at the head of the reason."""
    today = today or dt.date.today()
    member, history = get_member(member_id), status_history(member_id)
    reason = names.normalize_text(reason)
    recognition = is_recognition(history, status, effective_date)
    report = status_change_report(member, history, status, effective_date=effective_date, today=today,
                                  vote_date=vote_date)
    if status == member.status and not report.errors:
        raise ServiceError(_("Đồng chí {name} đã ở tình trạng «{status}».").format(
            name=member.full_name, status=status.label))
    period_lock.check_count_open(effective_date, _("Thay đổi tình trạng"))
    errors = report.errors + status_change_missing(recognition, reason, vote_date).errors
    errors += member_events.kind_report(status_on(history, effective_date), status, kind, scope).errors
    if errors:
        raise ValidationFailed(errors)
    reason = status_reason(recognition, reason, vote_date)
    with database.atomic():
        row = m.StatusChange.create(
            member=member_id, status=status.value, effective_date=effective_date, reason=reason, kind=kind,
            scope=scope,
        )
        changes = {"status": [member.status.value if member.status else None, status.value],
                   "effective_date": [None, effective_date.isoformat()]}
        changes |= {name: [None, value] for name, value in (("kind", kind), ("scope", scope)) if value}
        audit.record("member", member_id, "status", changes, reason)
    return StatusChange(status, effective_date, reason, row.id, row.recorded_at, kind, scope)


def classify_status_change(member_id: int, change_id: int, kind: str, scope: str = "") -> StatusChange:
    """Give the kind (and scope) of a change recorded without one — once; the history is otherwise fixed."""
    row = m.StatusChange.get_or_none((m.StatusChange.id == change_id) & (m.StatusChange.member == member_id))
    if row is None:
        raise NotFound(_("Đồng chí mã số {member} không có thay đổi tình trạng số {id}.").format(
            member=member_id, id=change_id))
    scope_only = row.kind == kind == "chuyen_den" and not row.scope and bool(scope)
    if row.kind and not scope_only:
        raise ServiceError(_("Thay đổi này đã được ghi hình thức «{kind}»; lịch sử không sửa được.").format(
            kind=member_events.kind_label(row.kind)))
    period_lock.check_open(row.effective_date, _("Thay đổi tình trạng"))
    history = status_history(member_id)
    before = None
    for change in history:
        if change.id == change_id:
            break
        before = change.status
    report = member_events.kind_report(before, MemberStatus(row.status), kind, scope, required=True)
    if report.errors:
        raise ValidationFailed(report.errors)
    with database.atomic():
        m.StatusChange.update(kind=kind, scope=scope).where(m.StatusChange.id == change_id).execute()
        audit.record("member", member_id, "classify", {"change": [None, change_id], "kind": [None, kind],
                                                       "scope": [None, scope or None]})
    return next(c for c in status_history(member_id) if c.id == change_id)


def archive_member(member_id: int, reason: str = "") -> Member:
    """Remove from the roster by archiving: the record and its history stay, and can come back."""
    member = get_member(member_id)
    if member.archived:
        raise ServiceError(_("Hồ sơ của đồng chí {name} đã được lưu trữ.").format(name=member.full_name))
    with database.atomic():
        m.Member.update(archived_at=m.now()).where(m.Member.id == member_id).execute()
        audit.record("member", member_id, "archive", {"archived": [False, True]}, reason)
    return get_member(member_id)


def restore_member(member_id: int, reason: str = "") -> Member:
    member = get_member(member_id)
    if not member.archived:
        raise ServiceError(_("Hồ sơ của đồng chí {name} không ở trong lưu trữ.").format(name=member.full_name))
    with database.atomic():
        m.Member.update(archived_at=None).where(m.Member.id == member_id).execute()
        audit.record("member", member_id, "restore", {"archived": [True, False]}, reason)
    return get_member(member_id)


def member_history(member_id: int) -> list[dict]:
    """The change history of one member, oldest first."""
    get_member(member_id)
    # The record and its statuses, and its badges, cards, rewards and temporary transfers (member_event).
    return sorted(audit.entries("member", member_id) + audit.entries("member_event", member_id), key=lambda e: e["id"])
