"""Meetings, attendance and document numbers as peewee models, and the few queries the services need."""
from __future__ import annotations

import datetime as dt

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField, fn

from app.domain.meetings import Mark, RecordedMark
from app.storage.models import BaseModel, Member, database, now


class Meeting(BaseModel):
    """Buổi sinh hoạt chi bộ."""

    kind = CharField()
    date = DateField(index=True)
    start_time = CharField(null=True)
    end_time = CharField(null=True)
    place = TextField(default="")
    chair = ForeignKeyField(Member, null=True, column_name="chair_id", on_delete="RESTRICT", backref="+")
    minute_taker = ForeignKeyField(Member, null=True, column_name="minute_taker_id", on_delete="RESTRICT",
                                   backref="+")
    guests = TextField(default="")
    topic = TextField(default="")
    task_month = CharField(null=True)
    agenda = TextField(default="")
    assessment = TextField(default="")
    next_tasks = TextField(default="")
    assignments = TextField(default="")
    thematic_content = TextField(default="")
    discussion = TextField(default="")
    self_assessment = TextField(default="")
    conclusions = TextField(default="")
    votes_for = IntegerField(null=True)
    votes_against = IntegerField(null=True)
    votes_other = IntegerField(null=True)
    posted_to_handbook = BooleanField(default=False)
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)


class Attendance(BaseModel):
    """Điểm danh: one member's mark at one meeting, with the reason given for an absence."""

    meeting = ForeignKeyField(Meeting, backref="attendance", on_delete="CASCADE")
    member = ForeignKeyField(Member, backref="+", on_delete="RESTRICT")
    mark = CharField()
    reason = TextField(default="")
    recorded_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("meeting", "member"), True),)


class DocumentNumber(BaseModel):
    """Số văn bản: a number given to one document type within one committee term (R14)."""

    doc_type = CharField()
    term_label = CharField(default="")
    number = IntegerField()
    meeting = ForeignKeyField(Meeting, null=True, backref="+", on_delete="RESTRICT")
    issued_on = DateField()
    created_at = DateTimeField(default=now)


MEETING_MODELS = (Meeting, Attendance, DocumentNumber)


def meetings_between(first: dt.date | None, last: dt.date | None) -> list[Meeting]:
    query = Meeting.select().order_by(Meeting.date, Meeting.id)
    if first is not None:
        query = query.where(Meeting.date >= first)
    if last is not None:
        query = query.where(Meeting.date <= last)
    return list(query)


def attendance_rows(meeting_ids: list[int]) -> list[RecordedMark]:
    """The marks stored for the given meetings, in one query."""
    if not meeting_ids:
        return []
    query = (Attendance.select(Attendance.meeting, Attendance.member, Attendance.mark, Attendance.reason)
             .where(Attendance.meeting.in_(meeting_ids)).tuples())
    return [RecordedMark(meeting_id, member_id, Mark(mark), reason) for meeting_id, member_id, mark, reason in query]


def upsert_attendance(meeting_id: int, member_id: int, mark: str, reason: str) -> None:
    (Attendance.insert(meeting=meeting_id, member=member_id, mark=mark, reason=reason, recorded_at=now())
     .on_conflict(conflict_target=[Attendance.meeting, Attendance.member],
                  update={Attendance.mark: mark, Attendance.reason: reason, Attendance.recorded_at: now()})
     .execute())


def delete_attendance(meeting_id: int, member_id: int) -> int:
    return Attendance.delete().where((Attendance.meeting == meeting_id) & (Attendance.member == member_id)).execute()


def highest_number(doc_type: str, term_label: str) -> int:
    return (DocumentNumber.select(fn.MAX(DocumentNumber.number))
            .where((DocumentNumber.doc_type == doc_type) & (DocumentNumber.term_label == term_label))
            .scalar() or 0)


__all__ = ["Meeting", "Attendance", "DocumentNumber", "MEETING_MODELS", "database", "meetings_between",
           "attendance_rows", "upsert_attendance", "delete_attendance", "highest_number"]
