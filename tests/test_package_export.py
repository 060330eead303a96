"""The package a cell sends upward: what each privacy level carries, the sequence chain, and the periods the
superior accepted staying read-only until reopened with a reason."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from app.domain.dates import Month
from app.domain.members import ACTIVE_STATUSES, Member, MemberStatus, Sex
from app.domain.report_period import Period
from app.services import demo, fees, member_events, package_crypto, package_export, period_lock, statistics
from app.services import members as member_service
from app.services.errors import ServiceError
from app.storage import db as storage
from app.storage.statistics_models import PackageSent
from tests.conftest import FIXTURES, TODAY

Y2026 = Period.parse("2026")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    """The demo cell built once for the module; each test works on its own copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    storage.open_database(path)
    try:
        demo.build_demo(TODAY)
    finally:
        storage.close_database()
    return path


@pytest.fixture
def demo_db(demo_file, tmp_path):
    path = tmp_path / "chibo.sqlite"
    shutil.copy(demo_file, path)
    storage.open_database(path)
    yield path
    storage.close_database()


def _opened(result) -> package_crypto.OpenedPackage:
    return package_crypto.open_package(result.data)


def test_aggregate_carries_counts_and_no_name_and_roster_no_phone_or_citizen_id(demo_db, tmp_path):
    from app.services import cell

    signer = cell.get_cell().secretary_name  # the cell's signatory is on every paper
    names = [e.member.full_name for e in member_service.list_members(statuses=None, include_archived=True)
             if e.member.full_name != signer]
    phones = [e.member.phone for e in member_service.list_members(statuses=None) if e.member.phone]
    aggregate = _opened(package_export.export_package(Y2026, tmp_path / "a.chibo", with_pdf=False, today=TODAY))
    text = b"".join(aggregate.files.values()).decode("utf-8", "replace")
    assert not [n for n in names if n in text] and "members" not in json.loads(aggregate.files["data.json"])
    data = json.loads(aggregate.files["data.json"])
    assert data["statistics"]["1"]["rows"][0]["code"] == "A"
    own = statistics.forms(Y2026, ("1",))[0]
    assert [r["current"] for r in data["statistics"]["1"]["rows"]] == [r.current for r in own.rows]
    assert data["attendance"] and data["fees"] and data["review"]["year"] == 2026
    roster = _opened(package_export.export_package(Y2026, tmp_path / "r.chibo", privacy="roster", with_pdf=False,
                                                   today=TODAY))
    text = b"".join(roster.files.values()).decode("utf-8", "replace")
    on_roll = [e.member.full_name for e in member_service.list_members(statuses=set(ACTIVE_STATUSES))]
    assert all(n in text for n in on_roll) and not [p for p in phones if p in text]
    member = json.loads(roster.files["data.json"])["members"][0]
    assert "citizen_id" not in member and "residence" not in member and member["status_history"]
    full = _opened(package_export.export_package(Y2026, tmp_path / "f.chibo", privacy="full", with_pdf=False,
                                                 today=TODAY))
    assert any(p in full.files["data.json"].decode() for p in phones)


def test_each_package_takes_the_next_sequence_and_names_the_one_before(demo_db, tmp_path):
    first = package_export.export_package(Period.parse("2026-Q1"), tmp_path / "1.chibo", with_pdf=False, today=TODAY)
    second = package_export.export_package(Period.parse("2026-Q2"), tmp_path / "2.chibo", with_pdf=False, today=TODAY)
    assert (first.sequence, second.sequence) == (1, 2)
    assert _opened(second).manifest["source"]["previous_package"] == first.package_hash
    assert _opened(first).manifest["history_last_hash"]
    assert _opened(first).manifest["kind"] == "quarterly"


def test_a_file_that_cannot_be_written_takes_no_sequence(demo_db, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    with pytest.raises(ServiceError, match="Không ghi được"):
        package_export.export_package(Y2026, blocked / "p.chibo", with_pdf=False, today=TODAY)
    assert PackageSent.select().count() == 0
    assert package_export.export_package(Y2026, tmp_path / "p.chibo", with_pdf=False, today=TODAY).sequence == 1


def test_encrypted_packages_open_only_with_the_passphrase(demo_db, tmp_path):
    with pytest.raises(ServiceError, match="8 ký tự"):
        package_export.export_package(Y2026, tmp_path / "p.chibo", passphrase="ngan", with_pdf=False, today=TODAY)
    sealed = package_export.export_package(Y2026, tmp_path / "p.chibo", passphrase="mật khẩu dài", with_pdf=False,
                                           today=TODAY)
    assert package_crypto.open_package(sealed.data, passphrase="mật khẩu dài").package_hash == sealed.package_hash
    with pytest.raises(package_crypto.PackageError):
        package_crypto.open_package(sealed.data, passphrase="sai mật khẩu")


def test_a_review_package_is_a_year_and_a_future_period_is_refused(demo_db, tmp_path):
    with pytest.raises(ServiceError, match="cả năm"):
        package_export.export_package(Period.parse("2026-Q4"), tmp_path / "p.chibo", kind="review", today=TODAY)
    with pytest.raises(ServiceError, match="chưa bắt đầu"):
        package_export.export_package(Period.parse("2027"), tmp_path / "p.chibo", today=TODAY)


def test_an_accepted_period_is_read_only_until_reopened_with_a_reason(demo_db, tmp_path):
    sent = package_export.export_package(Period.parse("2026-07"), tmp_path / "p.chibo", with_pdf=False, today=TODAY)
    member = member_service.list_members(statuses=set(ACTIVE_STATUSES))[3].member
    from app.storage.models import database

    with database.atomic():
        assert period_lock.record_acceptance("2026-07", sent.package_hash, dt.date(2026, 8, 5), "Đảng ủy xã Hòa Bình")
    with pytest.raises(ServiceError, match="tháng 7 năm 2026, kỳ cấp trên đã tiếp nhận"):
        member_service.change_status(member.id, MemberStatus.DECEASED, effective_date=dt.date(2026, 7, 20),
                                     reason="Từ trần", today=TODAY)
    with pytest.raises(ServiceError, match="đã tiếp nhận"):
        member_events.add_event(member.id, "khen_thuong", dt.date(2026, 7, 2), "giay_khen", today=TODAY)
    with pytest.raises(ServiceError, match="đã tiếp nhận"):
        fees.record_payment(member.id, amount=5000, month_from=Month(2026, 7), paid_on=dt.date(2026, 7, 3),
                            today=TODAY)
    # A day outside the accepted month is still open.
    member_events.add_event(member.id, "khen_thuong", dt.date(2026, 8, 2), "giay_khen", today=TODAY)
    with pytest.raises(ServiceError, match="lý do"):
        period_lock.reopen("2026-07", " ")
    assert period_lock.reopen("2026-07", "Sửa ngày từ trần") == 1
    member_service.change_status(member.id, MemberStatus.DECEASED, effective_date=dt.date(2026, 7, 20),
                                 reason="Từ trần", today=TODAY)
    again = package_export.export_package(Period.parse("2026-07"), tmp_path / "q.chibo", with_pdf=False, today=TODAY)
    assert again.sequence == sent.sequence + 1


def test_the_version_6_file_gains_the_kinds_its_own_entries_said(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "schema_v6.sqlite", path)
    with sqlite3.connect(path) as conn:
        firsts = conn.execute("SELECT reason FROM status_change s WHERE id = (SELECT min(id) FROM status_change f "
                              "WHERE f.member_id = s.member_id)").fetchall()
    storage.open_database(path)
    try:
        history = member_service.histories()
        kinds = [h[0].kind for h in history.values()]
        assert kinds.count("ket_nap") >= len(firsts) - 3 and "" not in [h[0].kind for h in history.values()
                                                                        if h[0].reason == "Kết nạp vào Đảng"]
        form = statistics.forms(Y2026, ("1",))[0]
        assert form.value("A") + form.value("B") - form.value("C") == form.value("D")
    finally:
        storage.close_database()


def test_cli_export_keys_and_packages(demo_db, tmp_path, capsys):
    target = tmp_path / "goi.chibo"
    assert main(["--db", str(demo_db), "export", "--period", "2026-Q3", "-o", str(target), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["sequence"] == 1 and target.exists() and len(out["fingerprint"].split()) == 10
    assert main(["--db", str(demo_db), "keys", "show", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["signing_fingerprint"] == out["fingerprint"]
    assert main(["--db", str(demo_db), "packages", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sent"][0]["period"] == "2026-Q3"
    assert main(["--db", str(demo_db), "export", "--period", "2026", "-o", str(tmp_path / "x.zip")]) == 1
    assert ".chibo" in capsys.readouterr().err
    key = tmp_path / "khoa.json"
    assert main(["--db", str(demo_db), "keys", "export", str(key)]) == 0
    assert json.loads(Path(key).read_text())["purpose"] == "signing"


def test_a_member_added_to_the_roster_counts_in_the_next_export(db_path, tmp_path):
    from app.domain.cell import CellInfo
    from app.services import cell

    cell.save_cell(CellInfo(name="Chi bộ khu phố 3", superior_name="Đảng ủy phường An Bình", code="79.001.003"))
    member_service.add_member(Member(full_name="Phạm Thị Hoa", sex=Sex.FEMALE, birth_date=dt.date(1995, 2, 2),
                                     admission_date=dt.date(2026, 9, 2)), today=TODAY)
    data = json.loads(_opened(package_export.export_package(Y2026, tmp_path / "p.chibo", with_pdf=False,
                                                            today=TODAY)).files["data.json"])
    assert data["cell"]["code"] == "79.001.003"
    rows = {r["code"]: r["current"] for r in data["statistics"]["1"]["rows"]}
    assert (rows["A"], rows["B1"], rows["D"]) == (0, 1, 1)
