"""Packages made to deceive the Đảng ủy: re-signed with valid hashes around lying statistics, malformed JSON,
forged manifests, replays of return packages; each is refused whole with a Vietnamese message naming what is
wrong, and nothing stored changes."""
from __future__ import annotations

import base64
import copy
import datetime as dt
import json
import random
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.domain.members import Member, Sex
from app.domain.package_format import PackageError, canonical_json, parse_json, sha256_hex
from app.domain.report_period import Period
from app.services import cell as cell_service
from app.services import (
    consolidated,
    members,
    package_crypto,
    package_export,
    return_package,
    review,
    superior,
    superior_import,
)
from app.services.errors import ServiceError
from app.storage import db as storage
from app.storage.statistics_models import SupCell, SupConflict, SupPackage
from tests.conftest import TODAY

YEAR = Period.parse("2026")
CODE = "38.001"


def _cell(path: Path, code: str = CODE, name: str = "Chi bộ thôn Đông") -> None:
    from app.domain.cell import CellInfo

    storage.open_database(path)
    cell_service.save_cell(CellInfo(name=name, superior_name="Đảng ủy xã Hòa Bình", code=code), today=TODAY)
    for i in range(3):
        members.add_member(Member(full_name=f"Nguyễn Văn {chr(65 + i)}", sex=Sex.MALE,
                                  birth_date=dt.date(1970 + i, 1, 1), admission_date=dt.date(2000, 1, 1),
                                  official_date=dt.date(2001, 1, 1), card_number=f"5000{i}"), today=TODAY)
    review.open_season(2026)


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> dict:
    """One cell's yearly roster package, its cell file, and the parts to forge others from."""
    folder = tmp_path_factory.mktemp("attack")
    cell_file = folder / "cell.sqlite"
    _cell(cell_file)
    try:
        out = package_export.export_package(YEAR, None, privacy="roster", today=TODAY, with_pdf=False)
    finally:
        storage.close_database()
    opened = package_crypto.open_package(out.data)
    return {"data": out.data, "manifest": json.loads(canonical_json(opened.manifest)),
            "files": dict(opened.files), "cell_file": cell_file, "folder": folder}


@pytest.fixture
def sup(tmp_path):
    storage.open_database(tmp_path / "dang-uy.sqlite")
    superior.init_superior("Đảng ủy xã Hòa Bình")
    yield tmp_path
    storage.close_database()


def _sign(manifest_bytes: bytes, files: dict[str, bytes], key: Ed25519PrivateKey) -> bytes:
    entries = [("manifest.json", manifest_bytes, zipfile.ZIP_DEFLATED),
               ("signature.ed25519", key.sign(manifest_bytes), zipfile.ZIP_STORED)]
    entries += [(n, d, zipfile.ZIP_DEFLATED) for n, d in sorted(files.items())]
    return package_crypto._zip_bytes(entries)


def forge(base: dict, *, data: dict | None = None, data_text: str | None = None, source: dict | None = None,
          top: dict | None = None, key: Ed25519PrivateKey | None = None, manifest_text=None) -> bytes:
    """The base package re-signed by key (a new one unless given) with valid hashes around what is given."""
    manifest = copy.deepcopy(base["manifest"])
    files = dict(base["files"])
    if data is not None:
        files["data.json"] = json.dumps(data, ensure_ascii=False).encode("utf-8")
    if data_text is not None:
        files["data.json"] = data_text.encode("utf-8")
    manifest["source"].update(source or {})
    manifest.update(top or {})
    key = key or Ed25519PrivateKey.generate()
    manifest["source"]["public_key"] = base64.b64encode(key.public_key().public_bytes_raw()).decode("ascii")
    manifest["files"] = [{"name": n, "sha256": sha256_hex(d), "size": len(d)} for n, d in sorted(files.items())]
    text = json.dumps(manifest, ensure_ascii=False, sort_keys=True)
    return _sign((manifest_text(text) if manifest_text else text).encode("utf-8"), files, key)


def _data(base: dict) -> dict:
    return json.loads(base["files"]["data.json"])


def _stored() -> tuple:
    return (SupCell.select().count(), SupPackage.select().count(), SupConflict.select().count())


def _refused(package: bytes, *words: str) -> str:
    """The package is refused with a ServiceError whose message holds every word; nothing stored changed."""
    before = _stored()
    with pytest.raises(ServiceError) as caught:
        superior_import.import_package(package)
    assert _stored() == before
    message = str(caught.value)
    for word in words:
        assert word in message, message
    return message


def _row(data: dict, form: str, code: str) -> dict:
    return next(r for r in data["statistics"][form]["rows"] if r["code"] == code)


# --- the statistics lie -------------------------------------------------------------------------------

LIES = {
    "negative status count": (lambda d: d["status_counts"].__setitem__("chinh_thuc", -5), "status_counts"),
    "negative statistic": (lambda d: _row(d, "3", "T1").__setitem__("current", -3), "statistics.3"),
    "huge statistic": (lambda d: _row(d, "3", "T1").__setitem__("current", 10**30), "statistics.3"),
    "huge fee": (lambda d: d["fees"][0].__setitem__("collected", 10**30), "fees[0].collected"),
    "negative attendance": (lambda d: d["attendance"].append(
        {"month": "2026-03", "present": -1, "rate_base": 3, "total": 3}), "attendance[0].present"),
    "present above the base": (lambda d: d["attendance"].append(
        {"month": "2026-03", "present": 9, "rate_base": 3, "total": 3}), "attendance[0]"),
    "attendance month outside the period": (lambda d: d["attendance"].append(
        {"month": "2019-03", "present": 1, "rate_base": 3, "total": 3}), "attendance[0].month"),
    "missing rows": (lambda d: d["statistics"]["1"].__setitem__("rows", d["statistics"]["1"]["rows"][:3]),
                     "statistics.1"),
    "unknown form": (lambda d: d["statistics"].__setitem__("99", {"rows": []}), "statistics.99"),
    "unknown row code": (lambda d: d["statistics"]["7"]["rows"].append(
        {"code": "__proto__", "current": 5, "previous": 1}), "__proto__"),
    "row twice": (lambda d: d["statistics"]["7"]["rows"].append(dict(d["statistics"]["7"]["rows"][0])),
                  "statistics.7"),
    "A+B-C is not D": (lambda d: _row(d, "1", "D").__setitem__("current", _row(d, "1", "D")["current"] + 7),
                       "Biểu số 1"),
    "B is not the sum of its rows": (lambda d: (_row(d, "1", "B").__setitem__("current", 5),
                                                _row(d, "1", "D").__setitem__("current",
                                                                              _row(d, "1", "D")["current"] + 5)),
                                     "Biểu số 1"),
    "unknown status": (lambda d: d["status_counts"].__setitem__("__proto__", 3), "__proto__"),
    "not_graded a word": (lambda d: d["review"]["summary"].__setitem__("not_graded", "abc"),
                          "review.summary.not_graded"),
    "unknown grade": (lambda d: d["review"]["summary"]["grades"].append(
        {"grade": "lol", "proposed": 1, "final": 1}), "review.summary.grades[4].grade"),
    "review of another year": (lambda d: d["review"].__setitem__("year", 1999), "review.year"),
    "member status unknown": (lambda d: d["members"][0].__setitem__("status", "__proto__"), "members[0].status"),
    "member twice": (lambda d: d["members"].append(dict(d["members"][0])), "members[3].ref"),
    "data says another kind": (lambda d: d.__setitem__("kind", "monthly"), "kind"),
    "data says another privacy": (lambda d: d.__setitem__("privacy", "aggregate"), "privacy"),
    "a name far too long": (lambda d: d["members"][0].__setitem__("full_name", "Nguyễn " * 5000),
                            "members[0].full_name"),
}


@pytest.mark.parametrize("lie", sorted(LIES))
def test_a_lying_data_file_is_refused_whole(base, sup, lie):
    mutate, where = LIES[lie]
    data = _data(base)
    data["attendance"] = [a for a in data["attendance"] if lie not in (
        "negative attendance", "present above the base", "attendance month outside the period")]
    mutate(data)
    _refused(forge(base, data=data), "data.json", where)
    consolidated.summary(YEAR)  # still computes


def test_an_honest_forgery_of_a_new_cell_still_imports(base, sup):
    """The checks above refuse the lies, not a well-formed package from a new installation."""
    outcome = superior_import.import_package(forge(base, data=_data(base)))
    assert outcome.applied and outcome.plan.status == superior_import.NEW


def test_an_aggregate_package_carrying_names_is_refused(base, sup):
    data = _data(base)
    data["privacy"] = "aggregate"
    _refused(forge(base, data=data, top={"privacy": "aggregate"}), "aggregate", "members")


# --- the JSON itself ----------------------------------------------------------------------------------

def _text(base: dict) -> str:
    return base["files"]["data.json"].decode("utf-8")


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_anywhere_in_data_are_refused(base, sup, literal):
    text = _text(base).replace('{"attendance"', '{"zz":' + literal + ',"attendance"', 1)
    _refused(forge(base, data_text=text), "data.json", literal)


def test_duplicate_keys_in_data_are_refused(base, sup):
    text = _text(base).replace('"chinh_thuc":', '"chinh_thuc":999,"chinh_thuc":', 1)
    _refused(forge(base, data_text=text), "data.json", "chinh_thuc")


def test_deep_nesting_in_data_is_refused(base, sup):
    for depth in (900, 5000):
        text = _text(base).replace('{"attendance"', '{"zz":' + "[" * depth + "]" * depth + ',"attendance"', 1)
        _refused(forge(base, data_text=text), "data.json")


def test_a_lone_surrogate_in_data_is_refused(base, sup):
    text = _text(base).replace('{"attendance"', '{"zz":"\\ud800","attendance"', 1)
    _refused(forge(base, data_text=text), "data.json")


def test_a_50_mb_string_is_refused(base, sup):
    noise = base64.b64encode(random.Random(12).randbytes(38 * 1024 * 1024)).decode("ascii")[:50 * 1024 * 1024]
    text = _text(base).replace('{"attendance"', '{"zz":"' + noise + '","attendance"', 1)
    _refused(forge(base, data_text=text), "data.json")


def test_nan_and_duplicate_keys_in_the_manifest_are_refused(base, sup):
    _refused(forge(base, top={"zz": 1}, manifest_text=lambda t: t.replace('"zz": 1', '"zz": NaN')), "manifest.json")
    _refused(forge(base, manifest_text=lambda t: t.replace('"kind": "yearly"', '"kind": "monthly", "kind": "yearly"')),
             "manifest.json", "kind")


def test_parse_json_is_strict():
    assert parse_json(b'{"a": [1, "x"]}') == {"a": [1, "x"]}
    for bad in (b'{"a": 1, "a": 2}', b"[NaN]", b"[1e999]", b'["\\udc00"]', b"[" * 200 + b"]" * 200, b"\xff"):
        with pytest.raises(PackageError):
            parse_json(bad)


# --- the manifest lies --------------------------------------------------------------------------------

def test_data_claiming_another_cell_or_period_is_refused(base, sup):
    data = _data(base)
    data["cell"]["code"] = "38.999"
    _refused(forge(base, data=data), "cell.code")
    data = _data(base)
    data["period"] = "2025"
    _refused(forge(base, data=data), "period")


@pytest.mark.parametrize("kind,period", [("monthly", "2026"), ("quarterly", "2026-07"), ("yearly", "2026-Q3"),
                                         ("review", "2026-03")])
def test_a_kind_that_does_not_fit_the_period_is_refused(base, sup, kind, period):
    data = _data(base)
    data["period"] = period
    data.pop("kind")
    _refused(forge(base, data=data, top={"kind": kind, "period": period}), "kind", period)


@pytest.mark.parametrize("sequence", [0, 2**31, 2**63, 10**30])
def test_an_absurd_sequence_is_refused_without_running_out_of_memory(base, sup, sequence):
    _refused(forge(base, data=_data(base), source={"sequence": sequence}), "source.sequence")


def test_a_high_sequence_with_gaps_only_warns(base, sup):
    outcome = superior_import.import_package(forge(base, data=_data(base), source={"sequence": 10**8}))
    assert outcome.applied
    assert any("thiếu gói số 1, 2, 3" in w and "99999999" in w for w in outcome.plan.warnings), outcome.plan.warnings


def test_control_characters_in_the_cell_code_or_name_are_refused(base, sup):
    data = _data(base)
    data["cell"]["code"] = "38.001\x00"
    _refused(forge(base, data=data, source={"code": "38.001\x00"}), "source.code")
    _refused(forge(base, data=_data(base), source={"name": "Chi bộ\x1b[31m"}), "source.name")


def test_a_package_made_in_the_future_is_flagged(base, sup):
    outcome = superior_import.import_package(forge(base, data=_data(base),
                                                   top={"created_at": "2999-01-01T00:00:00+07:00"}))
    assert any("2999" in w for w in outcome.plan.warnings), outcome.plan.warnings


# --- the return package -------------------------------------------------------------------------------

def test_the_same_ref_twice_in_a_grades_file_is_refused(tmp_path):
    sheet = tmp_path / "grades.csv"
    sheet.write_text("ref,grade\n2,tot\n3,tot\n2,xuat-sac\n", encoding="utf-8")
    with pytest.raises(ServiceError, match="dòng 4"):
        return_package.read_grades(sheet)


def _cell_again(base: dict, tmp_path: Path) -> Path:
    copy_path = tmp_path / "cell-copy.sqlite"
    copy_path.write_bytes(base["cell_file"].read_bytes())
    return copy_path


def test_an_old_return_package_replayed_after_a_newer_one_is_refused(base, sup, tmp_path):
    superior_import.import_package(base["data"])
    first = return_package.build_return(CODE, year=2026, grades={"1": ("xuat-sac", "Gương mẫu")}, today=TODAY)
    second = return_package.build_return(CODE, year=2026, grades={"1": ("hoan-thanh", "Còn hạn chế")},
                                         today=TODAY)
    storage.close_database()
    storage.open_database(_cell_again(base, tmp_path))
    outcome = return_package.import_return(second.data)
    assert [g["status"] for g in outcome.grades] == ["applied"]
    with pytest.raises(ServiceError, match="số 1"):
        return_package.import_return(first.data)
    final = {r.member_id: r.data.final_grade for r in review.review_rows(2026)}
    assert final[1].value == "hoan-thanh"
    again = return_package.import_return(second.data)  # the same one again is harmless
    assert [a["status"] for a in again.accepted] == ["already"]


def _forged_return(base: dict, built: return_package.Built, mutate) -> bytes:
    """The return package re-signed with the Đảng ủy's own key (as a thief of it could) around mutated data."""
    from app.services import keys

    opened = package_crypto.open_package(built.data)
    data = json.loads(opened.files["data.json"])
    mutate(data)
    files = {**opened.files, "data.json": json.dumps(data, ensure_ascii=False).encode("utf-8")}
    manifest = json.loads(canonical_json(opened.manifest))
    manifest["files"] = [{"name": n, "sha256": sha256_hex(d), "size": len(d)} for n, d in sorted(files.items())]
    return _sign(json.dumps(manifest, sort_keys=True, ensure_ascii=False).encode("utf-8"), files, keys.signing_key())


@pytest.mark.parametrize("lie", ["grade", "ref", "twice", "year"])
def test_a_malformed_return_package_is_refused_at_the_cell(base, sup, tmp_path, lie):
    superior_import.import_package(base["data"])
    built = return_package.build_return(CODE, year=2026, grades={"1": ("tot", "")}, today=TODAY)
    mutations = {
        "grade": lambda d: d["final_grades"]["members"][0].__setitem__("grade", "lol"),
        "ref": lambda d: d["final_grades"]["members"][0].__setitem__("ref", "²"),
        "twice": lambda d: d["final_grades"]["members"].append(dict(d["final_grades"]["members"][0])),
        "year": lambda d: d["final_grades"].__setitem__("year", "abc"),
    }
    forged = _forged_return(base, built, mutations[lie])
    storage.close_database()
    storage.open_database(_cell_again(base, tmp_path))
    with pytest.raises(ServiceError, match="final_grades"):
        return_package.import_return(forged)
    assert return_package.pinned_superior() is None


# --- the command line ---------------------------------------------------------------------------------

def _chibo(*args: str) -> tuple[int, str]:
    from app.cli import main

    return main(list(args)), ""


@pytest.mark.parametrize("target", ["/dev/zero", "directory"])
def test_import_of_a_device_or_a_directory_is_a_message(base, sup, tmp_path, capsys, target):
    storage.close_database()
    path = str(tmp_path) if target == "directory" else target
    code = _chibo("--db", str(tmp_path / "dang-uy.sqlite"), "import-package", path)[0]
    err = capsys.readouterr().err
    assert code == 1 and "không lường trước" not in err and "tệp" in err, err
    storage.open_database(tmp_path / "dang-uy.sqlite")


def test_the_same_member_twice_in_grade_options_is_refused(base, sup, tmp_path, capsys):
    superior_import.import_package(base["data"])
    storage.close_database()
    code = _chibo("--db", str(tmp_path / "dang-uy.sqlite"), "superior", "return", "--cell", CODE, "--year", "2026",
                  "-o", str(tmp_path / "r.chibo"), "--grade", "1=tot", "--grade", "1=xuat-sac")[0]
    err = capsys.readouterr().err
    assert code == 1 and "--grade" in err and "«1»" in err, err
    assert not (tmp_path / "r.chibo").exists()
    storage.open_database(tmp_path / "dang-uy.sqlite")
