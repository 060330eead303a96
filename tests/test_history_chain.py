"""The tamper-evident history: the hash chain, the guards on history tables, and verify() finding each tampering."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from app.domain.dates import Month
from app.domain.meetings import Mark, Meeting, MeetingKind
from app.domain.members import Member, MemberStatus, Sex
from app.services import demo, fees, history_check, roster_io
from app.services import meetings as meeting_service
from app.services import members as member_service
from app.storage import audit
from app.storage import db as storage
from app.storage.models import database
from tests.conftest import FIXTURES, SAMPLE_XLSX, TODAY


def _add(name: str, admitted: dt.date, official: dt.date | None = None) -> int:
    member = Member(full_name=name, sex=Sex.MALE, birth_date=dt.date(1980, 5, 10), admission_date=admitted,
                    official_date=official)
    return member_service.add_member(member, today=TODAY).member.id


@pytest.fixture
def busy(cell_db: Path) -> Path:
    """A cell after a mix of everyday work through the services."""
    hung = _add("Nguyễn Văn Hùng", dt.date(2010, 3, 1), dt.date(2011, 3, 20))
    lan = _add("Trần Thị Lan", dt.date(2012, 5, 1), dt.date(2013, 5, 20))
    member = member_service.get_member(hung)
    member.phone = "0912345678"
    member_service.update_member(hung, member, reason="Đổi số điện thoại", today=TODAY)
    member_service.change_status(lan, MemberStatus.EXEMPT, effective_date=dt.date(2026, 6, 1), reason="Tuổi cao")
    member_service.archive_member(lan, "Thử lưu trữ")
    member_service.restore_member(lan, "Lưu nhầm")
    fees.set_profile(hung, "other", from_month=Month(2026, 1), region=1, today=TODAY)
    kept = fees.record_payment(hung, amount=25_930, month_from=Month(2026, 1), month_to=Month(2026, 2),
                               paid_on=dt.date(2026, 2, 3), today=TODAY)
    wrong = fees.record_payment(hung, amount=12_965, month_from=Month(2026, 3), paid_on=dt.date(2026, 3, 5),
                                today=TODAY)
    fees.cancel_payment(wrong.id, "Ghi nhầm")
    fees.add_excuse(hung, Month(2026, 4), reason="Nằm viện", today=TODAY)
    excuse = fees.add_excuse(hung, Month(2026, 5), reason="Đi công tác", today=TODAY)
    fees.cancel_excuse(excuse.id)
    relief = fees.add_relief(hung, "reduction", from_month=Month(2026, 6), to_month=Month(2026, 8), percent=50,
                             reason="Ốm dài ngày")
    fees.cancel_relief(relief.id, "Đã khỏi")
    fees.add_relief(hung, "reduction", from_month=Month(2026, 9), to_month=Month(2026, 10), percent=30)
    rounding = fees.set_rule_value("rounding", from_month=Month(2027, 1), value={"step": 1000, "mode": "up"})
    fees.remove_rule_value(rounding.id)
    fees.set_rule_value("rounding", from_month=Month(2027, 2), value={"step": 500, "mode": "up"})
    fees.add_remittance(Month(2026, 2), amount=18_151, paid_on=dt.date(2026, 2, 20), today=TODAY)
    meeting = meeting_service.add_meeting(Meeting(date=dt.date(2026, 3, 5), kind=MeetingKind.REGULAR,
                                                  place="Nhà văn hóa", chair_id=hung))
    meeting_service.set_attendance(meeting.id, hung, Mark.PRESENT, today=TODAY)
    meeting_service.set_attendance(meeting.id, lan, Mark.EXCUSED, reason="Ốm", today=TODAY)
    meeting_service.update_meeting(meeting.id, {"conclusions": "Thống nhất."}, today=TODAY)
    gone = meeting_service.add_meeting(Meeting(date=dt.date(2026, 4, 5), kind=MeetingKind.REGULAR))
    meeting_service.delete_meeting(gone.id, "Nhập nhầm")
    roster_io.apply_import(roster_io.preview_import(SAMPLE_XLSX, today=TODAY), today=TODAY)
    _review_work(hung, meeting.id)
    assert kept.id
    return cell_db


def _review_work(member_id: int, meeting_id: int) -> None:
    from app.services import review, review_tasks

    review.open_season(2026, review_date=dt.date(2026, 12, 15))
    task = review_tasks.add_task(member_id, "Vận động 5 hộ nộp quỹ", due_month="2026-04", meeting_id=meeting_id)
    review_tasks.set_status(task.id, "vuot")
    review.set_review(2026, member_id, general_score="27,5", task_score="60", self_grade="tot")
    review.set_review(2026, member_id, proposed_grade="tot", votes={"tot": 2}, voters=2, strengths="Gương mẫu.")


def _tamper(path: Path, *statements: str) -> None:
    """What someone with the file and plain sqlite3 can do while the program is closed."""
    storage.close_database()
    with sqlite3.connect(path) as conn:
        for statement in statements:
            conn.execute(statement)
    storage.open_database(path)


def _messages(result: dict) -> str:
    return "\n".join(f["message"] for f in result["findings"])


def test_every_service_path_leaves_the_history_whole(busy: Path):
    result = history_check.verify()
    assert result["findings"] == [] and result["ok"] and result["chain_ok"]
    assert result["entries"] == database.execute_sql("SELECT count(*) FROM change_log").fetchone()[0]
    assert "nguyên vẹn" in history_check.summary(result)


def test_each_entry_is_chained_to_the_one_before(busy: Path):
    rows = database.execute_sql(audit.CHAIN_SQL).fetchall()
    assert rows[0][1] == ""
    for before, after in zip(rows, rows[1:]):
        assert after[1] == before[2]
        assert after[2] == audit.seal(after[1], after[3:])


def test_a_separator_in_a_field_cannot_pass_for_another_entry():
    values = ["2026-11-23 21:41:23", "member", 1, "update", "{}", "a\x1fb", "c"]
    shifted = ["2026-11-23 21:41:23", "member", 1, "update", "{}", "a", "b\x1fc"]
    assert audit.seal("", values) != audit.seal("", shifted)


def test_a_changed_name_is_found_and_named(busy: Path):
    _tamper(busy, "UPDATE member SET full_name = 'Nguyễn Văn Hưng' WHERE id = 1")
    result = history_check.verify()
    assert not result["ok"] and result["chain_ok"]
    [finding] = result["findings"]
    assert (finding["table"], finding["row"], finding["field"]) == ("member", 1, "full_name")
    assert finding["message"] == ("Hồ sơ số 1: họ và tên trong bảng là «Nguyễn Văn Hưng» nhưng nhật ký ghi lần cuối "
                                  "«Nguyễn Văn Hùng».")


def test_a_review_changed_outside_the_program_is_found_and_named(busy: Path):
    _tamper(busy, "UPDATE review_entry SET proposed_grade = 'xuat-sac', general_score = '30' WHERE year = 2026")
    result = history_check.verify()
    assert not result["ok"] and result["chain_ok"]
    assert sorted((f["table"], f["row"], f["field"]) for f in result["findings"]) == [
        ("review_entry", 2026, "general_score"), ("review_entry", 2026, "proposed_grade")]
    assert ("Kết quả kiểm điểm năm 2026 của đảng viên mã số 1: chi bộ đề xuất xếp loại trong bảng là «xuat-sac» "
            "nhưng nhật ký ghi lần cuối «tot».") in _messages(result)


def test_a_task_result_changed_outside_the_program_is_found(busy: Path):
    _tamper(busy, "UPDATE review_task SET status = 'chua-xong'")
    result = history_check.verify()
    [finding] = result["findings"]
    assert (finding["table"], finding["field"], finding["in_table"], finding["in_history"]) == (
        "review_task", "status", "chua-xong", "vuot")
    assert finding["message"].startswith("Nhiệm vụ được giao số 1: kết quả thực hiện nhiệm vụ trong bảng")


def test_a_changed_amount_is_found_once_the_guard_is_dropped(busy: Path):
    with pytest.raises(Exception, match="only ever cancelled"):
        database.execute_sql("UPDATE fee_payment SET amount = 1000")
    _tamper(busy, "DROP TRIGGER fee_payment_only_cancel", "UPDATE fee_payment SET amount = 1000 WHERE id = 1")
    result = history_check.verify()
    text = _messages(result)
    assert "Thiếu trigger fee_payment_only_cancel" in text
    assert "Khoản thu đảng phí số 1 của đảng viên mã số 1: số tiền trong bảng là «1000» nhưng nhật ký ghi lần " \
           "cuối «25930»." in text


def test_a_deleted_status_row_is_found(busy: Path):
    with pytest.raises(Exception, match="append-only"):
        database.execute_sql("DELETE FROM status_change")
    _tamper(busy, "DROP TRIGGER status_change_no_delete",
            "DELETE FROM status_change WHERE id = (SELECT max(id) FROM status_change WHERE member_id = 2)")
    result = history_check.verify()
    assert [f["table"] for f in result["findings"]] == ["status_change", "status_change"]
    assert "Thiếu trigger status_change_no_delete" in _messages(result)
    assert "đảng viên mã số 2: nhật ký ghi đã tạo nhưng không còn trong bảng" in _messages(result)


def test_a_deleted_history_row_breaks_the_chain_there(busy: Path):
    _tamper(busy, "DROP TRIGGER change_log_no_delete", "DELETE FROM change_log WHERE id = 5")
    result = history_check.verify()
    first = result["findings"][0]
    assert not result["chain_ok"] and (first["kind"], first["row"]) == ("chain", 6)
    assert "thiếu dòng số 5–5" in first["message"]


def test_an_edited_history_row_is_found(busy: Path):
    _tamper(busy, "DROP TRIGGER change_log_no_update",
            "UPDATE change_log SET reason = 'Sửa cho đẹp' WHERE id = 3")
    first = history_check.verify()["findings"][0]
    assert (first["kind"], first["row"]) == ("chain", 3) and "mã kiểm tra không khớp" in first["message"]


def test_an_inserted_history_row_is_found(busy: Path):
    _tamper(busy, "INSERT INTO change_log (at, entity, entity_id, action, changes, reason, actor) "
                  "VALUES ('2026-11-23 10:00:00', 'fee_payment', 1, 'cancel', '{\"id\": [1, null]}', 'x', 'ai đó')")
    result = history_check.verify()
    last = database.execute_sql("SELECT max(id) FROM change_log").fetchone()[0]
    assert (result["findings"][0]["kind"], result["findings"][0]["row"]) == ("chain", last)
    # The forged cancel also disagrees with the payment, which was never cancelled.
    assert "Khoản thu đảng phí số 1 của đảng viên mã số 1: đã hủy trong bảng là «không»" in _messages(result)


def test_a_row_written_without_history_is_found(busy: Path):
    _tamper(busy, "INSERT INTO fee_payment (member_id, amount, paid_on, month_from, month_to, recorded_at) "
                  "VALUES (1, 50000, '2026-05-05', '2026-05', '2026-05', '2026-05-05 10:00:00')")
    assert "có trong bảng nhưng nhật ký không ghi lần tạo ra" in _messages(history_check.verify())


def test_history_tables_refuse_deletes_and_take_only_cancels(busy: Path):
    for table in ("fee_profile", "fee_payment", "fee_relief", "fee_excuse", "fee_remittance", "fee_rule_value"):
        with pytest.raises(Exception):
            database.execute_sql(f"DELETE FROM {table}")
    with pytest.raises(Exception, match="only ever cancelled"):  # a cancelled payment stays cancelled
        database.execute_sql("UPDATE fee_payment SET cancelled_at = NULL WHERE cancelled_at IS NOT NULL")
    with pytest.raises(Exception, match="only ever cancelled"):
        database.execute_sql("UPDATE fee_payment SET note = 'x', cancelled_at = '2026-11-23' WHERE cancelled_at IS NULL")
    # Current state stays editable: a meeting, the roll, settings, drafts.
    database.execute_sql("UPDATE meeting SET place = place")


def test_the_actor_is_the_os_account_not_the_environment(monkeypatch):
    monkeypatch.setenv("USER", "bi-thu-gia")
    monkeypatch.setenv("LOGNAME", "bi-thu-gia")
    monkeypatch.setenv("USERNAME", "bi-thu-gia")
    audit._actor.cache_clear()
    try:
        actor = audit._actor()
        assert actor != "bi-thu-gia"
        if os.name != "nt":
            import pwd

            assert actor == pwd.getpwuid(os.getuid()).pw_name
    finally:
        audit._actor.cache_clear()


def test_a_fresh_demo_verifies_clean(db_path: Path):
    demo.build_demo(TODAY)
    result = history_check.verify()
    assert result["findings"] == [] and result["notes"] == []


def test_a_v4_file_is_sealed_when_it_migrates_and_verifies_clean(tmp_path: Path):
    path = tmp_path / "v4.sqlite"
    shutil.copy(FIXTURES / "schema_v4.sqlite", path)
    storage.open_database(path)
    try:
        assert database.execute_sql("SELECT count(*) FROM change_log WHERE hash = ''").fetchone()[0] == 0
        result = history_check.verify()
        assert result["ok"] and result["chain_ok"]
        # The old demo wrote its fees with one summary entry: those rows are set aside, and said so.
        assert len(result["notes"]) == 1
        member_service.change_status(3, MemberStatus.EXEMPT, effective_date=TODAY, reason="Tuổi cao", today=TODAY)
        assert history_check.verify()["ok"]
    finally:
        storage.close_database()


def test_check_db_says_which_row_was_edited_behind_the_programs_back(busy: Path, capsys):
    from app import cli

    storage.close_database()
    assert cli.main(["--db", str(busy), "check-db"]) == 0
    _tamper(busy, "UPDATE member SET full_name = 'Nguyễn Văn Hưng' WHERE id = 1")
    storage.close_database()
    capsys.readouterr()
    assert cli.main(["--db", str(busy), "check-db"]) == 1
    out = capsys.readouterr().out
    assert "CÓ LỖI" in out
    assert "Hồ sơ số 1: họ và tên trong bảng là «Nguyễn Văn Hưng»" in out


# --- a damaged or hostile history is a finding, never a crash (issue: fuzzed restore) ----------------------

def _damage_history(path: Path) -> None:
    """Undecodable bytes in one entry's link, a JSON nested 200 000 deep in another's changes, a blob name."""
    with sqlite3.connect(path) as conn:
        triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _sql in triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute("UPDATE change_log SET prev_hash = CAST(X'64FF00D9' AS TEXT) WHERE id = 2")
        conn.execute("UPDATE change_log SET changes = ? WHERE id = 3", ("[" * 200_000,))
        conn.execute("UPDATE member SET full_name = CAST(X'4EFF' AS TEXT) WHERE id = 1")
        for _name, sql in triggers:
            conn.execute(sql)


def test_verify_reports_undecodable_and_deeply_nested_history_instead_of_raising(busy):
    storage.close_database()
    _damage_history(busy)
    storage.open_database(busy)
    result = history_check.verify()
    assert not result["ok"] and not result["chain_ok"]
    assert result["findings"][0]["kind"] == "chain" and "dòng số 2" in result["findings"][0]["message"]
    assert audit.entries()[2]["changes"]["?"][1].startswith("[[[[")


@pytest.mark.parametrize("command", [["check-db"], ["check-db", "--json"], ["history"], ["history", "--json"],
                                     ["history", "-o", "nhat-ky.csv"], ["history", "-o", "nhat-ky.json"]])
def test_the_command_line_reads_a_damaged_history_with_a_message(busy, capsys, command):
    from app.cli import main

    storage.close_database()
    _damage_history(busy)
    if "-o" in command:
        command = [*command[:-1], str(busy.parent / command[-1])]
    code = main(["--db", str(busy), *command])
    out, err = capsys.readouterr()
    assert "không lường trước" not in out + err
    assert code == (1 if command[0] == "check-db" else 0)
    if command == ["check-db"]:
        assert "Nhật ký dòng số 2" in out


def test_the_windows_member_history_reads_a_name_damaged_by_hand(busy):
    """The window's Lịch sử calls history.entries directly, outside the command line's guard."""
    from app.services import history

    storage.close_database()
    _damage_history(busy)
    storage.open_database(busy)
    rows = history.entries(1)
    assert rows and rows[0]["subject"] == "N\ufffd"
