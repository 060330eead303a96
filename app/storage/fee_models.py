"""peewee models for the party-fee tables (schema step 3), and the reads the fee service needs fast, as domain objects."""
from __future__ import annotations

import datetime as dt
import json

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from app.domain import fees
from app.domain import months as mo
from app.domain.dates import Month
from app.domain.fee_rules import RuleKey, RuleValue
from app.storage.models import BaseModel, Member, database, now  # noqa: F401 - re-exported for the service


class FeeProfile(BaseModel):
    """Đối tượng và mức thu nhập tính đảng phí of a member, from a month on; rows are only added."""

    member = ForeignKeyField(Member, backref="fee_profiles", on_delete="RESTRICT")
    effective_from = CharField()
    category = CharField()
    basis = IntegerField(null=True)
    region = IntegerField(null=True)
    note = TextField(default="")
    recorded_at = DateTimeField(default=now)


class FeeRelief(BaseModel):
    """Miễn / giảm đảng phí by decision for a period of months."""

    member = ForeignKeyField(Member, backref="fee_reliefs", on_delete="RESTRICT")
    kind = CharField()
    percent = IntegerField(default=100)
    from_month = CharField()
    to_month = CharField(null=True)
    reason = TextField(default="")
    decision = TextField(default="")
    recorded_at = DateTimeField(default=now)
    cancelled_at = DateTimeField(null=True)
    cancel_reason = TextField(default="")


class FeePayment(BaseModel):
    """One payment of đảng phí for one or more months."""

    member = ForeignKeyField(Member, backref="fee_payments", on_delete="RESTRICT")
    amount = IntegerField()
    paid_on = DateField()
    month_from = CharField()
    month_to = CharField()
    channel = CharField(default="cash")
    reference = TextField(default="")
    received_by = TextField(default="")
    receipt_no = IntegerField(null=True)
    note = TextField(default="")
    recorded_at = DateTimeField(default=now)
    cancelled_at = DateTimeField(null=True)
    cancel_reason = TextField(default="")


class FeeExcuse(BaseModel):
    """A month unpaid with good reason (lý do chính đáng)."""

    member = ForeignKeyField(Member, backref="fee_excuses", on_delete="RESTRICT")
    month = CharField()
    reason = TextField()
    recorded_at = DateTimeField(default=now)
    cancelled_at = DateTimeField(null=True)


class FeeRemittance(BaseModel):
    """Đảng phí nộp cấp trên for a month."""

    month = CharField()
    amount = IntegerField()
    paid_on = DateField()
    channel = CharField(default="cash")
    reference = TextField(default="")
    note = TextField(default="")
    recorded_at = DateTimeField(default=now)
    cancelled_at = DateTimeField(null=True)
    cancel_reason = TextField(default="")


class FeeRuleValue(BaseModel):
    """A dated figure (minimum wage, retained share, rounding, old fixed amounts) the secretary entered."""

    key = CharField()
    effective_from = CharField()
    value = TextField()
    note = TextField(default="")
    recorded_at = DateTimeField(default=now)
    removed_at = DateTimeField(null=True)


FEE_MODELS = (FeeProfile, FeeRelief, FeePayment, FeeExcuse, FeeRemittance, FeeRuleValue)

# The reads below build the domain's objects straight from the cursor: a book reads tens of thousands of
# rows, and each column is named once, in the SELECT beside the constructor that takes it.
_MONTHS: dict[str, Month] = {}
_CHANNELS = {c.value: c for c in fees.Channel}


def _month(text: str) -> Month:
    """A stored 'YYYY-MM'; a few hundred distinct ones among all the rows: remembered."""
    month = _MONTHS.get(text)
    if month is None:
        month = _MONTHS[text] = mo.parse_month(text)
    return month


def _date(value: object) -> dt.date:
    return dt.date.fromisoformat(str(value)[:10])


def _rows(sql: str, params: tuple = ()) -> list[tuple]:
    return list(database.execute_sql(sql, params))


def all_profiles() -> list[fees.FeeProfile]:
    """Every member's fee profiles, oldest first."""
    return [fees.FeeProfile(member_id, _month(start), fees.FeeCategory(category), basis, region, note, pid)
            for pid, member_id, start, category, basis, region, note in _rows(
                "SELECT id, member_id, effective_from, category, basis, region, note FROM fee_profile "
                "ORDER BY member_id, effective_from, id")]


def reliefs(member_id: int | None = None, include_cancelled: bool = False) -> list[fees.Relief]:
    """Decisions to exempt or reduce, by member and first month; cancelled ones only when asked."""
    where = [] if include_cancelled else ["cancelled_at IS NULL"]
    if member_id is not None:
        where.append("member_id = ?")
    sql = ("SELECT id, member_id, kind, percent, from_month, to_month, reason, decision, cancelled_at FROM fee_relief"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY member_id, from_month, id")
    return [fees.Relief(mid, fees.ReliefKind(kind), _month(start), _month(end) if end else None, percent, reason,
                        decision, rid, cancelled is not None)
            for rid, mid, kind, percent, start, end, reason, decision, cancelled in _rows(
                sql, (member_id,) if member_id is not None else ())]


def _payments(where: str, params: tuple) -> list[fees.Payment]:
    return [fees.Payment(mid, amount, _date(paid_on), _month(start), _month(end), _CHANNELS[channel], reference,
                         received_by, receipt_no, note, pid)
            for pid, mid, amount, paid_on, start, end, channel, reference, received_by, receipt_no, note in _rows(
                "SELECT id, member_id, amount, paid_on, month_from, month_to, channel, reference, received_by, "
                f"receipt_no, note FROM fee_payment WHERE {where} ORDER BY paid_on, id", params)]


def active_payments(member_id: int | None = None) -> list[fees.Payment]:
    """Payments not cancelled (of everyone, or of one member), by day paid."""
    if member_id is None:
        return _payments("cancelled_at IS NULL", ())
    return _payments("cancelled_at IS NULL AND member_id = ?", (member_id,))


def payment(payment_id: int) -> fees.Payment | None:
    """One payment, cancelled or not."""
    found = _payments("id = ?", (payment_id,))
    return found[0] if found else None


def active_excuses() -> list[fees.Excuse]:
    return [fees.Excuse(member_id, _month(month), reason, eid) for eid, member_id, month, reason in _rows(
        "SELECT id, member_id, month, reason FROM fee_excuse WHERE cancelled_at IS NULL ORDER BY id")]


def active_remittances() -> list[fees.Remittance]:
    return [fees.Remittance(_month(month), amount, _date(paid_on), _CHANNELS[channel], reference, note, rid)
            for rid, month, amount, paid_on, channel, reference, note in _rows(
                "SELECT id, month, amount, paid_on, channel, reference, note FROM fee_remittance "
                "WHERE cancelled_at IS NULL ORDER BY month, paid_on, id")]


def active_rule_values() -> list[RuleValue]:
    """The figures the secretary entered; a row this version cannot read (from a newer one) is left out."""
    values = []
    for rid, key, start, value, note in _rows(
            "SELECT id, key, effective_from, value, note FROM fee_rule_value WHERE removed_at IS NULL "
            "ORDER BY key, effective_from, id"):
        try:
            values.append(RuleValue(RuleKey(key), _month(start), json.loads(value), note, rid))
        except (ValueError, KeyError):
            continue
    return values


def next_receipt_no(year: int) -> int:
    """The next cash receipt number of a year (biên lai numbered per year, DOMAIN §1.3)."""
    row = database.execute_sql(
        "SELECT MAX(receipt_no) FROM fee_payment WHERE paid_on >= ? AND paid_on <= ?",
        (dt.date(year, 1, 1).isoformat(), dt.date(year, 12, 31).isoformat())).fetchone()
    return (row[0] or 0) + 1
