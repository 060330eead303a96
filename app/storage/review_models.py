"""The annual review's tables as peewee models (schema step 6)."""
from __future__ import annotations

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from app.storage.meeting_models import Meeting
from app.storage.models import BaseModel, Member, now


class ReviewYear(BaseModel):
    """Một đợt kiểm điểm, đánh giá, xếp loại cuối năm, with the cell's own rating (Mẫu 01)."""

    year = IntegerField(unique=True)
    review_date = DateField()
    meeting = ForeignKeyField(Meeting, null=True, column_name="meeting_id", on_delete="RESTRICT", backref="+")
    criteria = TextField(default="")
    present = IntegerField(null=True)
    cell_general = CharField(null=True)
    cell_tasks = CharField(null=True)
    cell_exceeded = BooleanField(null=True)
    cell_self_grade = CharField(null=True)
    cell_final_grade = CharField(null=True)
    cell_final_reason = TextField(default="")
    cell_votes = TextField(default="")
    cell_strengths = TextField(default="")
    cell_shortcomings = TextField(default="")
    cell_remedies = TextField(default="")
    cell_plan = TextField(default="")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)


class ReviewEntry(BaseModel):
    """One member's review in one year: the facts, the self-assessment and the grade at each stage."""

    year = IntegerField()
    member = ForeignKeyField(Member, column_name="member_id", on_delete="RESTRICT", backref="+")
    form = CharField(default="2C")
    general_score = CharField(null=True)
    task_score = CharField(null=True)
    exceeded = BooleanField(null=True)
    shortcomings_remedied = BooleanField(default=True)
    decline = BooleanField(default=False)
    disciplined = BooleanField(default=False)
    prohibitions = BooleanField(default=False)
    suspended = BooleanField(default=False)
    sick_months = IntegerField(default=0)
    maternity = BooleanField(default=False)
    temporary_elsewhere = BooleanField(default=False)
    temporary_comment = TextField(default="")
    works_elsewhere = BooleanField(default=False)
    residence_comment = TextField(default="")
    strengths = TextField(default="")
    shortcomings = TextField(default="")
    remedies = TextField(default="")
    plan = TextField(default="")
    self_grade = CharField(null=True)
    self_reason = TextField(default="")
    committee_view = TextField(default="")
    committee_grade = CharField(null=True)
    cell_comments = TextField(default="")
    votes = TextField(default="")
    voters = IntegerField(null=True)
    proposed_grade = CharField(null=True)
    proposed_reason = TextField(default="")
    final_grade = CharField(null=True)
    final_reason = TextField(default="")
    final_decision = TextField(default="")
    share_on_time = CharField(null=True)
    share_late = CharField(null=True)
    share_exceeded = CharField(null=True)
    share_reason = TextField(default="")
    updated_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("year", "member"), True),)


class ReviewTask(BaseModel):
    """Một nhiệm vụ được giao: who, what, the month it is due, and its result once confirmed."""

    member = ForeignKeyField(Member, column_name="member_id", on_delete="RESTRICT", backref="+")
    title = TextField()
    due_month = CharField()
    meeting = ForeignKeyField(Meeting, null=True, column_name="meeting_id", on_delete="RESTRICT", backref="+")
    status = CharField(null=True)
    checked_meeting = ForeignKeyField(Meeting, null=True, column_name="checked_meeting_id", on_delete="RESTRICT",
                                      backref="+")
    note = TextField(default="")
    recorded_at = DateTimeField(default=now)
    cancelled_at = DateTimeField(null=True)
    cancel_reason = TextField(default="")


class ReviewRule(BaseModel):
    """A dated threshold of the review (who is reviewed, the quota), in force from valid_from."""

    key = CharField()
    valid_from = DateField()
    value = IntegerField()
    note = TextField(default="")
    recorded_at = DateTimeField(default=now)
    removed_at = DateTimeField(null=True)


REVIEW_MODELS = (ReviewYear, ReviewEntry, ReviewTask, ReviewRule)
