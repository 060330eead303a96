"""The tables, as peewee models; the only place besides storage/ that knows them is nowhere."""
from __future__ import annotations

import datetime as dt

from peewee import (
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database = DatabaseProxy()


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class Cell(BaseModel):
    """Chi bộ: one row, the cell this database belongs to."""

    name = CharField()
    cell_level = CharField(default="truc_thuoc")
    superior_name = CharField(default="")
    superior_level = CharField(default="")
    place_name = CharField(default="")
    term_label = CharField(default="")
    term_start = DateField(null=True)
    secretary_name = CharField(default="")
    deputy_name = CharField(default="")
    created_at = DateTimeField(default=now)


class Member(BaseModel):
    """Đảng viên. sort_key and search_text are kept by the member service on every write."""

    full_name = CharField()
    sex = CharField(null=True)
    birth_date = DateField(null=True)
    ethnicity = CharField(default="")
    religion = CharField(default="")
    home_town = CharField(default="")
    residence = CharField(default="")
    occupation = CharField(default="")
    education = CharField(default="")
    professional_level = CharField(default="")
    political_theory = CharField(default="")
    admission_date = DateField(null=True)
    ceremony_date = DateField(null=True)
    official_date = DateField(null=True)
    card_number = CharField(null=True, unique=True)
    member_code = CharField(default="")
    citizen_id = CharField(default="")
    phone = CharField(default="")
    party_post = CharField(default="")
    notes = TextField(default="")
    sort_key = CharField(index=True)
    search_text = TextField()
    archived_at = DateTimeField(null=True)
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)


class StatusChange(BaseModel):
    """One dated status of a member; rows are only ever added."""

    member = ForeignKeyField(Member, backref="status_changes", on_delete="RESTRICT")
    status = CharField()
    effective_date = DateField()
    reason = TextField(default="")
    recorded_at = DateTimeField(default=now)


class ChangeLog(BaseModel):
    """The audit trail: who changed what and when, written only by storage.audit."""

    at = DateTimeField(default=now)
    entity = CharField()
    entity_id = IntegerField(null=True)
    action = CharField()
    changes = TextField(default="{}")
    reason = TextField(default="")
    actor = CharField(default="")


class Setting(BaseModel):
    """Key-value settings stored with the cell (JSON values)."""

    key = CharField(primary_key=True)
    value = TextField()


ALL_MODELS = (Cell, Member, StatusChange, ChangeLog, Setting)
