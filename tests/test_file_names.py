"""Suggested file names: ASCII, dated by the form's day, month or year, so a later file never takes an earlier name."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.dates import Month
from app.reports.file_names import KINDS, document_file_name

DAY = dt.date(2026, 12, 5)


@pytest.mark.parametrize(("kind", "when", "expected"), [
    ("minutes", DAY, "bien-ban-2026-12-05.pdf"),
    ("resolution", DAY, "nghi-quyet-2026-12-05.pdf"),
    ("attendance", 2026, "so-diem-danh-2026.pdf"),
    ("fee_book", 2026, "so-dang-phi-2026.pdf"),
    ("fee_notice", Month(2026, 11), "thong-bao-dang-phi-2026-11.pdf"),
    ("fee_notice", dt.date(2026, 11, 30), "thong-bao-dang-phi-2026-11.pdf"),
    ("roster", dt.date(2026, 12, 1), "danh-sach-dang-vien-2026-12-01.xlsx"),
])
def test_each_form_has_its_dated_name(kind, when, expected):
    assert document_file_name(kind, when) == expected


def test_a_year_form_takes_the_year_of_a_day_or_month_too():
    assert document_file_name("attendance", DAY) == "so-diem-danh-2026.pdf"
    assert document_file_name("fee_book", Month(2025, 1)) == "so-dang-phi-2025.pdf"


def test_a_day_given_with_its_time_is_named_by_the_day():
    assert document_file_name("minutes", dt.datetime(2026, 12, 5, 23, 59)) == "bien-ban-2026-12-05.pdf"


def test_another_extension_for_the_same_form():
    assert document_file_name("fee_book", 2026, extension="xlsx") == "so-dang-phi-2026.xlsx"
    assert document_file_name("roster", DAY, extension=".PDF") == "danh-sach-dang-vien-2026-12-05.pdf"


@pytest.mark.parametrize(("kind", "when"), [
    ("minutes", 2026), ("minutes", Month(2026, 12)), ("fee_notice", 2026), ("attendance", "2026"),
    ("attendance", True), ("fee_book", 0),
])
def test_a_date_of_the_wrong_sort_is_refused(kind, when):
    with pytest.raises(TypeError):
        document_file_name(kind, when)


def test_unknown_kind_and_bad_extension_are_refused():
    with pytest.raises(ValueError, match="minutes"):
        document_file_name("bien_ban", DAY)
    with pytest.raises(ValueError):
        document_file_name("minutes", DAY, extension="pdf/../x")


def _when(kind: str, day: dt.date):
    return {"day": day, "month": Month.of(day), "year": day.year}[KINDS[kind].dated_by]


@given(kind=st.sampled_from(sorted(KINDS)), day=st.dates(dt.date(1930, 1, 1), dt.date(2200, 12, 31)))
def test_names_are_plain_ascii_without_spaces(kind, day):
    name = document_file_name(kind, _when(kind, day))
    assert re.fullmatch(r"[a-z-]+-\d{4}(-\d{2}){0,2}\.(pdf|xlsx)", name), name


@given(kind=st.sampled_from(sorted(KINDS)), first=st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
       later=st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)))
def test_a_different_period_never_gets_the_same_name(kind, first, later):
    same_period = _when(kind, first) == _when(kind, later)
    assert (document_file_name(kind, _when(kind, first)) == document_file_name(kind, _when(kind, later))) \
        == same_period
