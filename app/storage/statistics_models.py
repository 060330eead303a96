"""Schema step 7's tables as peewee models: member events, keys, and the packages sent and received."""
from __future__ import annotations

from peewee import BlobField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from app.storage.models import BaseModel, Member, now


class MemberEvent(BaseModel):
    """A dated event of a member that is not a status: a badge, a card, a temporary transfer, a reward."""

    member = ForeignKeyField(Member, column_name="member_id", on_delete="RESTRICT", backref="+")
    kind = CharField()
    event_date = DateField()
    detail = CharField(default="")
    decision = CharField(default="")
    note = TextField(default="")
    recorded_at = DateTimeField(default=now)
    cancelled_at = DateTimeField(null=True)
    cancel_reason = TextField(default="")

    class Meta:
        table_name = "member_event"


class KeyPair(BaseModel):
    """This installation's keys: 'signing' (Ed25519, every package) and 'exchange' (X25519, a superior's)."""

    purpose = CharField(primary_key=True)
    private_key = TextField()
    public_key = TextField()
    created_at = DateTimeField(default=now)

    class Meta:
        table_name = "key_pair"


class PackageSent(BaseModel):
    installation_id = CharField()
    sequence = IntegerField()
    period = CharField()
    kind = CharField()
    privacy = CharField()
    created_at = DateTimeField(default=now)
    package_hash = CharField()
    prev_hash = CharField(default="")
    file_name = CharField(default="")

    class Meta:
        table_name = "package_sent"


class PeriodAcceptance(BaseModel):
    """«Đã tiếp nhận»: the superior accepted a period's package; the period is then read-only here."""

    period = CharField()
    package_hash = CharField()
    accepted_on = DateField()
    superior_name = CharField(default="")
    received_at = DateTimeField(default=now)
    reopened_at = DateTimeField(null=True)
    reopen_reason = TextField(default="")

    class Meta:
        table_name = "period_acceptance"


class SupCell(BaseModel):
    """A cell under this superior body, with the signing key pinned at its first package."""

    code = CharField(unique=True)
    name = CharField()
    installation_id = CharField()
    public_key = CharField()
    fingerprint = CharField()
    first_seen = DateTimeField(default=now)

    class Meta:
        table_name = "sup_cell"


class SupPackage(BaseModel):
    cell = ForeignKeyField(SupCell, column_name="cell_id", on_delete="RESTRICT", backref="+")
    installation_id = CharField()
    sequence = IntegerField()
    period = CharField()
    kind = CharField()
    privacy = CharField()
    package_hash = CharField(unique=True)
    prev_hash = CharField(default="")
    created_at = CharField()
    imported_at = DateTimeField(default=now)
    manifest = TextField()
    data = TextField()
    replaced_by = ForeignKeyField("self", column_name="replaced_by", null=True, on_delete="RESTRICT", backref="+")

    class Meta:
        table_name = "sup_package"


class SupConflict(BaseModel):
    """A package claiming a known cell from another installation or key, kept until the Đảng ủy decides."""

    received_at = DateTimeField(default=now)
    package_hash = CharField()
    cell_code = CharField()
    cell_name = CharField()
    installation_id = CharField()
    public_key = CharField()
    fingerprint = CharField()
    reason = TextField()
    package = BlobField()
    resolved_at = DateTimeField(null=True)
    resolution = TextField(default="")

    class Meta:
        table_name = "sup_conflict"
