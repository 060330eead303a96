"""The Đảng ủy's side: cells export, the Đảng ủy imports and consolidates, and the return package comes back."""
from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app.domain.cell import CellInfo
from app.domain.members import Member, MemberStatus, Sex
from app.domain.report_period import Period
from app.domain.stat_forms import FORMS
from app.domain.statistics import identity_holds, mean_age
from app.services import cell as cell_service
from app.services import (
    consolidated,
    consolidated_printing,
    members,
    package_crypto,
    package_export,
    period_lock,
    return_package,
    review,
    statistics,
    superior,
    superior_import,
)
from app.services.errors import ServiceError
from app.storage import db as storage
from app.storage.statistics_models import SupConflict, SupPackage
from tests.conftest import TODAY

YEAR = Period.parse("2026")
SUMMED = ("1", "3", "6F", "7")


def _member(name: str, card: str, birth: dt.date, admitted: dt.date, sex=Sex.MALE) -> Member:
    return Member(full_name=name, sex=sex, birth_date=birth, admission_date=admitted,
                  ceremony_date=admitted + dt.timedelta(days=10), official_date=admitted + dt.timedelta(days=375),
                  card_number=card)


def _make_cell(path: Path, name: str, code: str, people: list[Member], transfer: bool = False) -> dict:
    """A cell's own file with its members; returns its statistics by form and row, then closes it."""
    storage.open_database(path)
    cell_service.save_cell(CellInfo(name=name, superior_name="Đảng ủy xã Hòa Bình", code=code, place_name="Hòa Bình"),
                           today=TODAY)
    ids = [members.add_member(p, today=TODAY).member.id for p in people]
    if transfer:
        members.change_status(ids[0], MemberStatus.TRANSFERRED_OUT, effective_date=dt.date(2026, 6, 1),
                              reason="Chuyển đến tỉnh khác", today=TODAY)
    review.open_season(2026)
    own = {f.form: f for f in statistics.forms(YEAR)}
    storage.close_database()
    return own


def _export(path: Path, out: Path, privacy: str = "roster") -> bytes:
    storage.open_database(path)
    try:
        package_export.export_package(YEAR, out, privacy=privacy, today=TODAY, with_pdf=False)
    finally:
        storage.close_database()
    return out.read_bytes()


def _people(prefix: str, count: int, first_card: int) -> list[Member]:
    out = []
    for i in range(count):
        out.append(_member(f"Nguyễn Văn {prefix} {chr(65 + i)}", str(first_card + i), dt.date(1960 + i * 3, 3, 1 + i),
                           dt.date(1990 + i * 2, 5, 1), Sex.FEMALE if i % 2 else Sex.MALE))
    return out


@pytest.fixture
def world(tmp_path):
    """Three cells (A, B, C) with their packages, and the Đảng ủy's empty file."""
    shared = _member("Lê Thị Trùng", "99990001", dt.date(1975, 7, 7), dt.date(2001, 2, 2), Sex.FEMALE)
    cells = {
        "A": _make_cell(tmp_path / "a.sqlite", "Chi bộ thôn Đông", "001", [*_people("An", 5, 10000001), shared],
                        transfer=True),
        "B": _make_cell(tmp_path / "b.sqlite", "Chi bộ thôn Tây", "002", [*_people("Bình", 4, 20000001), shared]),
        "C": _make_cell(tmp_path / "c.sqlite", "Chi bộ thôn Nam", "003", _people("Cường", 3, 30000001)),
    }
    packages = {k: _export(tmp_path / f"{k.lower()}.sqlite", tmp_path / f"{k}-1.chibo") for k in cells}
    sup = tmp_path / "dang-uy.sqlite"
    storage.open_database(sup)
    superior.init_superior("Đảng ủy xã Hòa Bình", "Huyện ủy Hòa Vang")
    yield {"tmp": tmp_path, "own": cells, "packages": packages, "sup": sup}
    storage.close_database()


def _values(form) -> dict[str, tuple]:
    return {r.code: (r.current, r.previous) for r in form.rows}


def test_round_trip_sums_every_statistic_of_the_cells(world):
    for data in world["packages"].values():
        outcome = superior_import.import_package(data)
        assert outcome.applied and outcome.plan.status == superior_import.NEW and outcome.plan.new_cell
    forms = {f.form: f for f in consolidated.forms(YEAR)}
    assert set(forms) == set(SUMMED)
    for code in SUMMED:
        summed = _values(forms[code])
        for row in FORMS[code].rows:
            cells = [_values(own[code])[row.code] for own in world["own"].values()]
            if row.combine == "mean":
                expected = tuple(mean_age({"_age_sum": sum(_values(o[code])["_age_sum"][i] or 0
                                                           for o in world["own"].values()),
                                           "_age_count": sum(_values(o[code])["_age_count"][i] or 0
                                                             for o in world["own"].values())}) for i in (0, 1))
            elif cells[0][0] is None:
                expected = (None, None)
            else:
                expected = (sum(c[0] for c in cells), sum(c[1] for c in cells))
            assert summed[row.code] == expected, (code, row.code)
    assert identity_holds(forms["1"])
    assert forms["1"].value("D") == 6 + 5 + 3 - 1  # the transfer left cell A
    summary = consolidated.summary(YEAR)
    assert summary["cells_reporting"] == 3 and summary["identity_holds"]
    assert summary["members_total"]["counted"] == forms["3"].value("T")
    assert [r["counted"] for r in summary["members_by_cell"]] == [5, 5, 3]
    json.dumps(summary)  # JSON-ready


def test_flags_a_member_in_two_cells_and_a_transfer_to_no_cell(world):
    for data in world["packages"].values():
        superior_import.import_package(data)
    flags = consolidated.summary(YEAR)["flags"]
    assert [(f["match"], f["key"]) for f in flags["two_cells"]] == [("card", "99990001")]
    assert {m["cell_code"] for m in flags["two_cells"][0]["members"]} == {"001", "002"}
    assert [(t["cell_code"], t["full_name"], t["date"]) for t in flags["transferred_nowhere"]] == [
        ("001", "Nguyễn Văn An A", "2026-06-01")]
    assert flags["missing_cells"] == []


def test_a_cell_that_sent_nothing_is_flagged(world):
    superior_import.import_package(world["packages"]["A"])
    superior_import.import_package(world["packages"]["B"])
    storage.close_database()
    quarter = world["tmp"] / "c-q3.chibo"
    storage.open_database(world["tmp"] / "c.sqlite")
    package_export.export_package(Period.parse("2026-Q3"), quarter, today=TODAY, with_pdf=False)
    storage.close_database()
    storage.open_database(world["sup"])
    superior_import.import_package(quarter.read_bytes())
    summary = consolidated.summary(YEAR)
    assert summary["cells_reporting"] == 2
    assert summary["flags"]["missing_cells"] == [{"code": "003", "name": "Chi bộ thôn Nam"}]
    assert consolidated.summary(Period.parse("2026-Q3"))["cells_reporting"] == 1


def test_importing_twice_changes_nothing(world):
    data = world["packages"]["A"]
    superior_import.import_package(data)
    before = (SupPackage.select().count(), superior.cells())
    again = superior_import.import_package(data)
    assert again.plan.status == superior_import.UNCHANGED and not again.applied
    assert (SupPackage.select().count(), superior.cells()) == before


def test_dry_run_writes_nothing(world):
    outcome = superior_import.import_package(world["packages"]["A"], dry_run=True)
    assert outcome.plan.status == superior_import.NEW and not outcome.applied
    assert SupPackage.select().count() == 0 and superior.cells() == []


def test_higher_sequence_replaces_and_lower_is_refused(world):
    storage.close_database()
    second, third = world["tmp"] / "A-2.chibo", world["tmp"] / "A-3.chibo"
    _export(world["tmp"] / "a.sqlite", second)
    _export(world["tmp"] / "a.sqlite", third)
    storage.open_database(world["sup"])
    superior_import.import_package(world["packages"]["A"])
    newer = superior_import.import_package(third.read_bytes())
    assert newer.plan.status == superior_import.UPDATED and newer.plan.replaces_sequence == 1
    assert "thay cho gói số 1" in newer.plan.message
    assert any("thiếu gói số 2" in w for w in newer.plan.warnings)
    rows = list(SupPackage.select().order_by(SupPackage.id))
    assert rows[0].replaced_by_id == rows[1].id and rows[1].replaced_by_id is None
    older = superior_import.import_package(second.read_bytes())
    assert older.plan.status == superior_import.OLDER and not older.applied and older.plan.held_sequence == 3
    assert SupPackage.select().count() == 2
    assert consolidated.summary(YEAR)["cells"][0]["sequence"] == 3


def test_another_installation_claiming_a_known_cell_is_a_conflict_resolved_both_ways(world):
    superior_import.import_package(world["packages"]["A"])
    storage.close_database()
    impostor = world["tmp"] / "impostor.sqlite"
    _make_cell(impostor, "Chi bộ thôn Đông", "001", _people("Giả", 2, 40000001))
    claim = _export(impostor, world["tmp"] / "claim.chibo")
    storage.open_database(world["sup"])
    pinned = superior.cells()[0]["fingerprint"]
    outcome = superior_import.import_package(claim)
    assert outcome.plan.status == superior_import.CONFLICT and outcome.conflict_id
    assert "máy khác" in outcome.plan.reason and "khóa khác" in outcome.plan.reason
    assert SupPackage.select().count() == 1 and superior.cells()[0]["fingerprint"] == pinned
    superior_import.resolve_conflict(outcome.conflict_id, accept=False)
    assert superior.conflicts() == [] and SupPackage.select().count() == 1
    second = superior_import.import_package(claim)
    assert second.plan.status == superior_import.CONFLICT and second.conflict_id != outcome.conflict_id
    accepted = superior_import.resolve_conflict(second.conflict_id, accept=True)
    assert accepted.applied
    assert superior.cells()[0]["fingerprint"] != pinned
    assert consolidated.summary(YEAR)["members_total"]["counted"] == 2
    assert {c.resolution for c in SupConflict.select()} == {"rejected", "accepted"}


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _entries(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {n: archive.read(n) for n in archive.namelist()}


def test_tampered_resigned_wrong_key_and_bad_data_are_rejected_with_nothing_imported(world):
    data = world["packages"]["A"]
    entries = _entries(data)
    tampered = dict(entries)
    tampered["data.json"] = entries["data.json"].replace(b'"chinh_thuc":', b'"chinh_thuc":9', 1)
    with pytest.raises(ServiceError, match="đã bị sửa"):
        superior_import.import_package(_zip(tampered))
    opened = package_crypto.open_package(data)
    manifest = json.loads(entries["manifest.json"])
    files = {n: b for n, b in opened.files.items()}
    resigned = package_crypto.build(json.loads(json.dumps(manifest)), files, Ed25519PrivateKey.generate())
    # A package re-signed with another key is accepted as a new cell only if no cell holds the code:
    superior_import.import_package(world["packages"]["B"])
    bad = json.loads(files["data.json"])
    del bad["fees"]
    files_bad = {**files, "data.json": json.dumps(bad).encode()}
    signer = Ed25519PrivateKey.generate()
    with pytest.raises(ServiceError, match="«fees»"):
        superior_import.import_package(package_crypto.build(json.loads(json.dumps(manifest)), files_bad, signer))
    other = X25519PrivateKey.generate().public_key().public_bytes(serialization.Encoding.Raw,
                                                                   serialization.PublicFormat.Raw)
    with pytest.raises(ServiceError, match="Đảng ủy"):
        superior_import.import_package(package_crypto.encrypt_to_key(data, other))
    assert SupPackage.select().count() == 1 and [c["code"] for c in superior.cells()] == ["002"]
    superior_import.import_package(data)
    outcome = superior_import.import_package(resigned)
    assert outcome.plan.status == superior_import.CONFLICT
    assert SupPackage.select().count() == 2


def test_the_return_package_fills_final_grades_and_locks_the_period(world):
    for data in world["packages"].values():
        superior_import.import_package(data)
    held = {m["full_name"]: m["ref"] for m in json.loads(SupPackage.get(SupPackage.cell == 1).data)["members"]}
    ref = held["Nguyễn Văn An B"]
    out = world["tmp"] / "tra-ve.chibo"
    built = return_package.build_return("001", year=2026, path=out, grades={ref: ("tot", "Theo kết luận")},
                                        today=TODAY)
    assert [a["period"] for a in built.accepted] == ["2026"]
    with pytest.raises(ServiceError, match="9999"):
        return_package.build_return("001", year=2026, grades={"9999": "tot"})
    storage.close_database()
    storage.open_database(world["tmp"] / "a.sqlite")
    try:
        dry = return_package.import_return(out.read_bytes(), dry_run=True)
        assert dry.grades[0]["status"] == "applied"
        assert review.review_row(2026, int(ref)).data.final_grade is None
        period_lock.check_open(dt.date(2026, 5, 1), "Thử")
        outcome = return_package.import_return(out.read_bytes())
        assert outcome.pinned_now and [a["status"] for a in outcome.accepted] == ["recorded"]
        row = review.review_row(2026, int(ref)).data
        assert row.final_grade.value == "tot" and row.final_reason == "Theo kết luận"
        with pytest.raises(ServiceError, match="tiếp nhận"):
            period_lock.check_open(dt.date(2026, 5, 1), "Thử")
        again = return_package.import_return(out.read_bytes())
        assert not again.pinned_now and [a["status"] for a in again.accepted] == ["already"]
    finally:
        storage.close_database()
    storage.open_database(world["tmp"] / "b.sqlite")
    try:
        with pytest.raises(ServiceError, match="không phải chi bộ này"):
            return_package.import_return(out.read_bytes())
    finally:
        storage.close_database()
    storage.open_database(world["sup"])


def test_a_return_package_from_another_key_is_refused_with_both_fingerprints(world, tmp_path):
    superior_import.import_package(world["packages"]["A"])
    first = world["tmp"] / "r1.chibo"
    return_package.build_return("001", year=2026, path=first, today=TODAY)
    storage.close_database()
    other_sup = tmp_path / "other.sqlite"
    storage.open_database(other_sup)
    superior.init_superior("Đảng ủy xã Khác")
    superior_import.import_package(world["packages"]["A"])
    forged = tmp_path / "r2.chibo"
    return_package.build_return("001", year=2026, path=forged, today=TODAY)
    storage.close_database()
    storage.open_database(world["tmp"] / "a.sqlite")
    try:
        return_package.import_return(first.read_bytes())
        pinned = return_package.pinned_superior()["fingerprint"]
        with pytest.raises(ServiceError, match=pinned):
            return_package.import_return(forged.read_bytes())
    finally:
        storage.close_database()
    storage.open_database(world["sup"])


def test_a_mismatched_name_is_reported_not_applied(world):
    superior_import.import_package(world["packages"]["A"])
    held = {m["full_name"]: m["ref"] for m in json.loads(SupPackage.get().data)["members"]}
    out = world["tmp"] / "r.chibo"
    return_package.build_return("001", year=2026, path=out, grades={held["Nguyễn Văn An C"]: "xuat-sac"}, today=TODAY)
    storage.close_database()
    storage.open_database(world["tmp"] / "a.sqlite")
    try:
        member_id = int(held["Nguyễn Văn An C"])
        current = members.get_member(member_id)
        import dataclasses

        members.update_member(member_id, dataclasses.replace(current, full_name="Nguyễn Văn Khác"), today=TODAY)
        outcome = return_package.import_return(out.read_bytes())
        assert outcome.grades[0]["status"] == "mismatch" and "Nguyễn Văn Khác" in outcome.grades[0]["message"]
        assert review.review_row(2026, member_id).data.final_grade is None
    finally:
        storage.close_database()
    storage.open_database(world["sup"])


def test_init_superior_refuses_a_cell_file(cell_db):
    with pytest.raises(ServiceError, match="chi bộ"):
        superior.init_superior("Đảng ủy xã Hòa Bình")
    with pytest.raises(ServiceError, match="Đảng ủy"):
        superior.cells()


def test_the_consolidated_pdf_is_written(world, tmp_path):
    for data in world["packages"].values():
        superior_import.import_package(data)
    target = tmp_path / "tong-hop.pdf"
    consolidated_printing.write_pdf(YEAR, target)
    assert target.read_bytes()[:5] == b"%PDF-"
    lines = consolidated_printing.flag_lines(consolidated.consolidation(YEAR))
    assert any("Lê Thị Trùng" in line for line in lines)
    assert Counter(line.split(" ")[0] for line in lines)
