"""The demo year of meetings: complete rolls, numbered documents, and the warnings a real year shows."""
from __future__ import annotations

import datetime as dt

from app.services import demo, demo_meetings, documents, meeting_checks
from app.services import meetings as svc

TODAY = dt.date(2026, 11, 23)


def test_the_demo_year_is_complete_and_shows_the_absence_flag(db_path):
    demo.build_demo(TODAY)  # builds the members, then calls demo_meetings.build
    assert demo_meetings.build(TODAY) == 0  # a second run adds nothing
    listed = svc.list_meetings(2026) + svc.list_meetings(2025)
    made = len(listed)
    assert made == len(svc.list_meetings()) >= 12
    assert all(s.counts.complete for s in listed)
    assert {s.meeting.date.month for s in svc.list_meetings(2026) if s.meeting.kind.is_regular} == set(range(1, 12))
    warnings = meeting_checks.year_warnings(2026, TODAY)
    assert any("vắng sinh hoạt không lý do 3 tháng" in w for w in warnings)
    assert not any("không có buổi sinh hoạt" in w for w in warnings)
    numbers = documents.list_numbers()
    # Every meeting has its minutes and its resolution, numbered in the order of the meetings' dates.
    for doc_type in (documents.MINUTES, documents.RESOLUTION):
        assert [n.number for n in numbers if n.doc_type == doc_type] == list(range(1, made + 1))
        assert [n.issued_on for n in documents.dated_numbers(doc_type)] == sorted(s.meeting.date for s in listed)
    for s in listed:
        assert s.meeting.chair_id is not None and s.meeting.votes_for is not None
