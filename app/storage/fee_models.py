"""peewee models for the party-fee tables (schema step 3), and the few queries the fee service needs fast."""
from __future__ import annotations

import datetime as dt

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

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


def _rows(sql: str, params: tuple = ()) -> list[tuple]:
    return list(database.execute_sql(sql, params))


def all_profiles() -> list[tuple]:
    """(id, member_id, effective_from, category, basis, region, note) for every profile, oldest first."""
    return _rows("SELECT id, member_id, effective_from, category, basis, region, note FROM fee_profile "
                 "ORDER BY member_id, effective_from, id")


def active_reliefs() -> list[tuple]:
    return _rows("SELECT id, member_id, kind, percent, from_month, to_month, reason, decision FROM fee_relief "
                 "WHERE cancelled_at IS NULL ORDER BY member_id, from_month, id")


def active_payments(member_id: int | None = None) -> list[tuple]:
    """(id, member_id, amount, paid_on, month_from, month_to, channel, reference, received_by, receipt_no, note)."""
    where = "WHERE cancelled_at IS NULL" + (" AND member_id = ?" if member_id is not None else "")
    return _rows("SELECT id, member_id, amount, paid_on, month_from, month_to, channel, reference, received_by, "
                 f"receipt_no, note FROM fee_payment {where} ORDER BY paid_on, id",
                 (member_id,) if member_id is not None else ())


def active_excuses() -> list[tuple]:
    return _rows("SELECT id, member_id, month, reason FROM fee_excuse WHERE cancelled_at IS NULL ORDER BY id")


def active_remittances() -> list[tuple]:
    return _rows("SELECT id, month, amount, paid_on, channel, reference, note FROM fee_remittance "
                 "WHERE cancelled_at IS NULL ORDER BY month, paid_on, id")


def active_rule_values() -> list[tuple]:
    return _rows("SELECT id, key, effective_from, value, note FROM fee_rule_value WHERE removed_at IS NULL "
                 "ORDER BY key, effective_from, id")


def next_receipt_no(year: int) -> int:
    """The next cash receipt number of a year (biên lai numbered per year, DOMAIN §1.3)."""
    row = database.execute_sql(
        "SELECT MAX(receipt_no) FROM fee_payment WHERE paid_on >= ? AND paid_on <= ?",
        (dt.date(year, 1, 1).isoformat(), dt.date(year, 12, 31).isoformat())).fetchone()
    return (row[0] or 0) + 1
