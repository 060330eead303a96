"""The roster services on a real SQLite file: validation, history, archive, audit."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from app.domain.members import ACTIVE_STATUSES, Member, MemberStatus, Sex
from app.services import members
from app.services.errors import NotFound, ServiceError, ValidationFailed
from app.storage.models import Member as MemberRow, StatusChange as StatusRow

from tests.conftest import TODAY


def _lan(**overrides) -> Member:
    values = dict(full_name="Trần Thị Lan", sex=Sex.FEMALE, birth_date=dt.date(1968, 10, 2),
                  admission_date=dt.date(1992, 1, 3), ceremony_date=dt.date(1992, 1, 20),
                  official_date=dt.date(1993, 1, 20), card_number="65538485")
    values.update(overrides)
    return Member(**values)


def test_added_member_is_stored_nfc_with_history_from_its_dates(cell_db):
    nfd_name = unicodedata.normalize("NFD", "  trần   thị  LAN ")
    saved = members.add_member(_lan(full_name=nfd_name), today=TODAY).member
    assert saved.full_name == "Trần Thị Lan"
    assert unicodedata.is_normalized("NFC", MemberRow.get_by_id(saved.id).full_name)
    history = members.status_history(saved.id)
    assert [(c.status, c.effective_date) for c in history] == [
        (MemberStatus.PROBATIONARY, dt.date(1992, 1, 20)),
        (MemberStatus.OFFICIAL, dt.date(1993, 1, 20)),
    ]
    assert saved.status is MemberStatus.OFFICIAL


def test_member_without_official_date_is_probationary(cell_db):
    saved = members.add_member(_lan(official_date=None), today=TODAY).member
    assert saved.status is MemberStatus.PROBATIONARY


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"official_date": dt.date(1991, 1, 1)}, "member.official_date", "sau ngày vào Đảng"),
        ({"birth_date": dt.date(2027, 1, 1)}, "member.birth_date", "tương lai"),
        ({"admission_date": dt.date(1920, 1, 1), "official_date": None, "ceremony_date": None},
         "member.admission_date", "thành lập Đảng"),
        ({"full_name": "   "}, "member.full_name", "họ và tên"),
    ],
)
def test_invalid_records_are_refused_with_the_field_named_and_nothing_stored(cell_db, overrides, field, text):
    with pytest.raises(ValidationFailed) as info:
        members.add_member(_lan(**overrides), today=TODAY)
    assert any(i.field == field and text in i.message for i in info.value.issues)
    assert MemberRow.select().count() == 0
    assert StatusRow.select().count() == 0


def test_duplicate_card_number_is_refused(cell_db):
    members.add_member(_lan(), today=TODAY)
    with pytest.raises(ValidationFailed, match="đã thuộc về đồng chí Trần Thị Lan"):
        members.add_member(_lan(full_name="Lê Văn Sơn", card_number="65 538 485"), today=TODAY)
    assert MemberRow.select().count() == 1


def test_admission_age_outside_18_60_is_a_warning_not_a_block(cell_db):
    result = members.add_member(_lan(birth_date=dt.date(1976, 1, 1)), today=TODAY)
    assert result.member.id is not None
    assert any(w.field == "member.admission_date" and "18–60" in w.message for w in result.warnings)


def test_roster_is_in_vietnamese_order_by_given_name(cell_db):
    for index, name in enumerate(["Nguyễn Văn Hùng", "Âu Thị Ư", "Đoàn Văn Ất", "Nguyễn Thị Ngọc Ánh", "Lò Thị Ếch"]):
        members.add_member(Member(full_name=name, card_number=str(index)), today=TODAY)
    names = [e.member.full_name for e in members.list_members()]
    assert names == ["Nguyễn Thị Ngọc Ánh", "Đoàn Văn Ất", "Lò Thị Ếch", "Nguyễn Văn Hùng", "Âu Thị Ư"]


def test_search_ignores_case_and_diacritics_including_d_bar(cell_db):
    members.add_member(Member(full_name="Đặng Văn Đông", card_number="111"), today=TODAY)
    members.add_member(Member(full_name="Đặng Thị Lan", card_number="222"), today=TODAY)
    assert [e.member.full_name for e in members.list_members("dang van dong")] == ["Đặng Văn Đông"]
    assert [e.member.full_name for e in members.list_members("ĐÔNG")] == ["Đặng Văn Đông"]
    assert [e.member.full_name for e in members.list_members("222")] == ["Đặng Thị Lan"]


def test_status_change_is_added_to_history_never_overwriting(cell_db):
    member = members.add_member(_lan(), today=TODAY).member
    members.change_status(member.id, MemberStatus.TRANSFERRED_OUT, effective_date=dt.date(2026, 10, 1),
                          reason="Chuyển về phường Tân An", today=TODAY)
    history = members.status_history(member.id)
    assert [c.status for c in history] == [MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL,
                                           MemberStatus.TRANSFERRED_OUT]
    assert members.get_member(member.id).status is MemberStatus.TRANSFERRED_OUT
    assert [e.member.id for e in members.list_members(statuses=set(ACTIVE_STATUSES))] == []
    assert [e.member.id for e in members.list_members(statuses=None)] == [member.id]


def test_backdated_status_change_does_not_replace_a_later_one(cell_db):
    member = members.add_member(_lan(), today=TODAY).member
    members.change_status(member.id, MemberStatus.EXEMPT, effective_date=dt.date(2026, 10, 1),
                          reason="Tuổi cao", today=TODAY)
    members.change_status(member.id, MemberStatus.TEMPORARY, effective_date=dt.date(2025, 1, 1),
                          reason="Đi làm xa", today=TODAY)
    assert members.get_member(member.id).status is MemberStatus.EXEMPT


@pytest.mark.parametrize(
    ("date", "reason", "text"),
    [
        (dt.date(2026, 12, 1), "Lý do", "tương lai"),
        (dt.date(2026, 10, 1), "  ", "lý do"),
        (dt.date(1990, 1, 1), "Lý do", "trước ngày vào Đảng"),
    ],
)
def test_bad_status_changes_are_refused_and_nothing_stored(cell_db, date, reason, text):
    member = members.add_member(_lan(), today=TODAY).member
    with pytest.raises(ValidationFailed, match=text):
        members.change_status(member.id, MemberStatus.DECEASED, effective_date=date, reason=reason, today=TODAY)
    assert len(members.status_history(member.id)) == 2


def test_update_records_old_and_new_values_in_the_change_history(cell_db):
    member = members.add_member(_lan(), today=TODAY).member
    member.phone = "0912345678"
    member.occupation = "giáo viên"
    members.update_member(member.id, member, reason="Cập nhật liên hệ", today=TODAY)
    entry = [e for e in members.member_history(member.id) if e["action"] == "update"][-1]
    assert entry["changes"] == {"occupation": ["", "giáo viên"], "phone": ["", "0912345678"]}
    assert entry["reason"] == "Cập nhật liên hệ"


def test_update_refuses_a_card_number_held_by_someone_else(cell_db):
    first = members.add_member(_lan(), today=TODAY).member
    second = members.add_member(Member(full_name="Lê Văn Sơn", card_number="82229815"), today=TODAY).member
    second.card_number = first.card_number
    with pytest.raises(ValidationFailed):
        members.update_member(second.id, second, today=TODAY)
    assert members.get_member(second.id).card_number == "82229815"


def test_archive_keeps_the_record_and_restore_brings_it_back(cell_db):
    member = members.add_member(_lan(), today=TODAY).member
    members.archive_member(member.id, "Nhập trùng")
    assert members.list_members() == []
    archived = members.list_members(include_archived=True)
    assert [e.member.archived for e in archived] == [True]
    assert len(members.status_history(member.id)) == 2
    with pytest.raises(ServiceError):
        members.archive_member(member.id)
    members.restore_member(member.id)
    assert [e.member.id for e in members.list_members()] == [member.id]
    actions = [e["action"] for e in members.member_history(member.id)]
    assert actions[-2:] == ["archive", "restore"]


def test_unknown_member_id_is_a_clear_error(cell_db):
    with pytest.raises(NotFound, match="mã số 999"):
        members.get_member(999)


def test_nobody_comes_back_from_death_or_from_official_to_probationary(cell_db):
    member = members.add_member(_lan(), today=TODAY).member
    with pytest.raises(ValidationFailed, match="không trở lại dự bị"):
        members.change_status(member.id, MemberStatus.PROBATIONARY, effective_date=dt.date(2026, 10, 1),
                              reason="nhầm", today=TODAY)
    members.change_status(member.id, MemberStatus.DECEASED, effective_date=dt.date(2026, 10, 1),
                          reason="Từ trần", today=TODAY)
    for status in (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL, MemberStatus.EXEMPT):
        with pytest.raises(ValidationFailed, match="đã từ trần"):
            members.change_status(member.id, status, effective_date=dt.date(2026, 11, 1), reason="x", today=TODAY)
    assert members.get_member(member.id).status is MemberStatus.DECEASED


def test_readmission_after_removal_is_allowed(cell_db):
    member = members.add_member(_lan(), today=TODAY).member
    members.change_status(member.id, MemberStatus.REMOVED, effective_date=dt.date(2020, 1, 1),
                          reason="Xóa tên", today=TODAY)
    members.change_status(member.id, MemberStatus.PROBATIONARY, effective_date=dt.date(2024, 1, 1),
                          reason="Kết nạp lại", today=TODAY)
    assert members.get_member(member.id).status is MemberStatus.PROBATIONARY


def test_same_name_and_birth_date_is_a_warning_and_an_impossible_age_an_error(cell_db):
    members.add_member(_lan(), today=TODAY)
    result = members.add_member(_lan(card_number=""), today=TODAY)
    assert any("cùng ngày sinh" in w.message for w in result.warnings)
    with pytest.raises(ValidationFailed, match="không thể đúng"):
        members.add_member(Member(full_name="Bé Năm Tuổi", birth_date=dt.date(2015, 1, 1),
                                  admission_date=dt.date(2020, 3, 1)), today=TODAY)


def test_status_errors_name_the_field_in_vietnamese(cell_db):
    member = members.add_member(_lan(), today=TODAY).member
    with pytest.raises(ValidationFailed) as info:
        members.change_status(member.id, MemberStatus.EXEMPT, effective_date=dt.date(2027, 1, 1),
                              reason="x", today=TODAY)
    assert str(info.value).startswith("Từ ngày:")
