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
    code = CharField(default="")  # mã tổ chức đảng, as the superior numbers its cells
    unit_kind = CharField(default="cell")  # 'superior' for a Đảng ủy's copy that consolidates its cells


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
    occupation_group = CharField(default="")  # the statistics forms' occupation code (app.domain.stat_codes)
    youth_union = BooleanField(null=True)  # đoàn viên; None when not recorded
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
    kind = CharField(default="")  # how the forms count the change (app.domain.member_events.EntryKind)
    scope = CharField(default="")  # 'tinh_khac' | 'trong_tinh' for a transfer


class ChangeLog(BaseModel):
    """The audit trail: who changed what and when, written only by storage.audit."""

    at = DateTimeField(default=now)
    entity = CharField()
    entity_id = IntegerField(null=True)
    action = CharField()
    changes = TextField(default="{}")
    reason = TextField(default="")
    actor = CharField(default="")
    # The hash chain (schema step 5): each entry's hash covers the previous one's; see audit.seal.
    prev_hash = CharField(default="")
    hash = CharField(default="")


class Setting(BaseModel):
    """Key-value settings stored with the cell (JSON values)."""

    key = CharField(primary_key=True)
    value = TextField()


class Draft(BaseModel):
    """Text typed but not yet saved (a meeting's minutes), so a crash or a kill loses nothing."""

    key = CharField(primary_key=True)
    content = TextField()
    saved_at = DateTimeField()


ALL_MODELS = (Cell, Member, StatusChange, ChangeLog, Setting, Draft)


def next_id(model: type[BaseModel]) -> int:
    """The id the next row will get; safe inside a write transaction, where no one else inserts."""
    return (model.select(model.id).order_by(model.id.desc()).limit(1).scalar() or 0) + 1


def bulk_insert(model: type[BaseModel], rows: list[dict], columns: int = 30) -> None:
    """Many rows in few statements (one SQL build per batch); call inside a transaction."""
    batch = max(1, 30_000 // max(columns, 1))
    for start in range(0, len(rows), batch):
        model.insert_many(rows[start:start + batch]).execute()


# Dates are ISO text in the file; reading them with date.fromisoformat is several times faster than
# going through peewee's field conversion, which matters for a 10,000-member roster.
ROSTER_COLUMNS = (
    "id", "full_name", "sex", "birth_date", "ethnicity", "religion", "home_town", "residence", "occupation",
    "education", "professional_level", "political_theory", "admission_date", "ceremony_date", "official_date",
    "card_number", "member_code", "citizen_id", "phone", "party_post", "notes", "sort_key", "search_text",
    "archived_at", "occupation_group", "youth_union",
)
_DATE_COLUMNS = {"birth_date", "admission_date", "ceremony_date", "official_date"}


def roster_rows(include_archived: bool) -> list[dict]:
    where = "" if include_archived else " WHERE archived_at IS NULL"
    cursor = database.execute_sql(f"SELECT {', '.join(ROSTER_COLUMNS)} FROM member{where} ORDER BY sort_key, id")
    date_index = [i for i, c in enumerate(ROSTER_COLUMNS) if c in _DATE_COLUMNS]
    rows = []
    for values in cursor:
        values = list(values)
        for i in date_index:
            if values[i]:
                values[i] = dt.date.fromisoformat(values[i][:10])
        row = dict(zip(ROSTER_COLUMNS, values))
        if row["youth_union"] is not None:
            row["youth_union"] = bool(row["youth_union"])
        rows.append(row)
    return rows


def latest_statuses() -> dict[int, str]:
    """Each member's status in force: the latest by date, ties to the last recorded."""
    cursor = database.execute_sql(
        "SELECT member_id, status FROM status_change ORDER BY member_id, effective_date, id"
    )
    return dict(cursor.fetchall())
