"""The signed package a cell sends upward: written, sealed and opened back; every change after signing, every
missing or mistyped field and every kind of hostile zip told by a message naming the file or field."""
from __future__ import annotations

import base64
import copy
import hashlib
import io
import json
import re
import zipfile

import pytest

from app.domain import package_format as pf
from app.domain.package_format import PackageError, canonical_json, validate_manifest
from app.services import package_crypto as pc
from fixtures.make_bad_packages import (
    CORPUS,
    EXCHANGE,
    INDEX,
    KEY,
    OTHER_EXCHANGE,
    OTHER_KEY,
    entries_of,
    manifest_of,
    public_raw,
    replaced,
    resigned,
    rezip,
    sample_files,
    sample_manifest,
    valid_package,
)


def _refused(data: bytes, fragment: str, **kwargs) -> str:
    with pytest.raises(PackageError) as caught:
        pc.open_package(data, **kwargs)
    assert fragment in str(caught.value)
    return str(caught.value)


def _full_manifest() -> dict:
    return manifest_of(valid_package())


# --- canonical JSON and the manifest's schema -----------------------------------------------------------


def test_canonical_json_is_sorted_compact_nfc_utf8():
    decomposed = "Ho\u0300a Bi\u0300nh"  # «Hòa Bình» typed as base letters and combining marks
    out = canonical_json({"b": [1, True, None], "a": {decomposed: decomposed}, "c": 1.5})
    assert out == '{"a":{"Hòa Bình":"Hòa Bình"},"b":[1,true,null],"c":1.5}'.encode()
    assert canonical_json(("x",)) == b'["x"]'


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), {"a": [float("-inf")]}, {1: "x"}, {"a": {1, 2}}])
def test_canonical_json_refuses_what_has_no_single_form(bad):
    with pytest.raises(PackageError):
        canonical_json(bad)


def test_canonical_json_refuses_keys_that_become_one():
    with pytest.raises(PackageError, match="trùng nhau"):
        canonical_json({"Ho\u0300a": 1, "Hòa": 2})


def test_sha256_hex():
    assert pf.sha256_hex(b"") == hashlib.sha256(b"").hexdigest()


def test_the_sample_manifest_is_valid():
    manifest = _full_manifest()
    assert validate_manifest(manifest) == manifest


_FIELDS = ["format", "format_version", "program_version", "created_at", "kind", "period", "source", "privacy",
           "rule_sets", "history_last_hash", "files"]
_SOURCE_FIELDS = ["unit", "name", "code", "superior_name", "installation_id", "sequence", "previous_package",
                  "public_key"]


@pytest.mark.parametrize("field", _FIELDS[2:])
def test_each_missing_field_is_named(field):
    manifest = _full_manifest()
    del manifest[field]
    with pytest.raises(PackageError, match=re.escape(f"thiếu trường «{field}»")):
        validate_manifest(manifest)


@pytest.mark.parametrize("field", _SOURCE_FIELDS)
def test_each_missing_source_field_is_named(field):
    manifest = _full_manifest()
    del manifest["source"][field]
    with pytest.raises(PackageError, match=re.escape(f"thiếu trường «source.{field}»")):
        validate_manifest(manifest)


@pytest.mark.parametrize("field", ["name", "sha256", "size"])
def test_each_missing_file_field_is_named(field):
    manifest = _full_manifest()
    del manifest["files"][1][field]
    with pytest.raises(PackageError, match=re.escape(f"thiếu trường «files[1].{field}»")):
        validate_manifest(manifest)


@pytest.mark.parametrize(("path", "value"), [
    ("program_version", 1), ("created_at", "hôm qua"), ("created_at", "2026-13-01T00:00"), ("kind", "weekly"),
    ("period", "2026-Q5"), ("period", "tháng 7"), ("period", 2026), ("source", "chi bộ"), ("privacy", "secret"),
    ("rule_sets", {"fees": 1}), ("rule_sets", []), ("history_last_hash", None), ("files", {}),
    ("source.unit", "district"), ("source.name", "  "), ("source.code", 5), ("source.superior_name", None),
    ("source.installation_id", "xyz"), ("source.installation_id", "0123456789ABCDEF0123456789ABCDEF"),
    ("source.sequence", 0), ("source.sequence", True), ("source.sequence", "3"), ("source.previous_package", "ab"),
    ("source.public_key", base64.b64encode(bytes(31)).decode()), ("source.public_key", "%%%"),
    ("files.0.sha256", "0" * 63), ("files.0.size", -1), ("files.0.size", 1.0), ("files.0.name", 7),
])
def test_each_mistyped_field_is_named(path, value):
    manifest = _full_manifest()
    *parents, last = path.split(".")
    target = manifest
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[int(last) if last.isdigit() else last] = value
    shown = re.sub(r"\.(\d+)\.", r"[\1].", path)
    with pytest.raises(PackageError, match=re.escape(f"trường «{shown}»")):
        validate_manifest(manifest)


def test_every_problem_is_told_at_once():
    manifest = _full_manifest()
    del manifest["kind"]
    manifest["source"]["sequence"] = 0
    message = str(pytest.raises(PackageError, validate_manifest, manifest).value)
    assert "«kind»" in message and "«source.sequence»" in message


@pytest.mark.parametrize(("name", "fragment"), [
    ("../x", "«..»"), ("a/../../x", "«..»"), ("/etc/passwd", "tuyệt đối"), ("C:/x", "tuyệt đối"),
    ("a\\b", "«\\»"), ("", "trống"), ("a//b", "phần trống"), ("./a", "phần trống"), ("a\x00b", "điều khiển"),
    ("manifest.json", "dành riêng"), ("signature.ed25519", "dành riêng"), ("Ho\u0300a.txt", "NFC"),
])
def test_file_names_that_cannot_be_in_a_package(name, fragment):
    manifest = _full_manifest()
    manifest["files"][0]["name"] = name
    with pytest.raises(PackageError, match=re.escape(fragment)):
        validate_manifest(manifest)


def test_a_file_listed_twice_is_refused():
    manifest = _full_manifest()
    manifest["files"][1]["name"] = manifest["files"][0]["name"]
    with pytest.raises(PackageError, match="có hai lần"):
        validate_manifest(manifest)


def test_a_newer_format_is_refused_with_a_clear_message():
    manifest = {**_full_manifest(), "format_version": 2}
    with pytest.raises(PackageError) as caught:
        validate_manifest(manifest)
    assert str(caught.value) == ("Gói được tạo bằng phiên bản chibo mới hơn (định dạng 2); hãy cập nhật chương "
                                 "trình.")


@pytest.mark.parametrize("manifest", [{"format": "chibo-backup", "format_version": 1}, [], "x", None])
def test_another_format_is_refused(manifest):
    with pytest.raises(PackageError, match="không phải"):
        validate_manifest(manifest)


@pytest.mark.parametrize("version", [0, -1, "1", True, None])
def test_a_format_version_that_is_no_version_is_refused(version):
    with pytest.raises(PackageError, match="«format_version»"):
        validate_manifest({**_full_manifest(), "format_version": version})


def test_an_older_format_goes_through_its_upgrade(monkeypatch):
    old = _full_manifest()
    monkeypatch.setattr(pf, "FORMAT_VERSION", 2)
    monkeypatch.setitem(pf.UPGRADES, 1, lambda m: {**m, "privacy": "roster"})
    upgraded = validate_manifest(old)
    assert upgraded["format_version"] == 2 and upgraded["privacy"] == "roster"
    assert old["format_version"] == 1


# --- building and opening -------------------------------------------------------------------------------


def test_round_trip():
    files = sample_files()
    package = pc.build(sample_manifest(), files, KEY)
    opened = pc.open_package(package)
    assert opened.files == files
    assert opened.encrypted == ""
    assert opened.package_hash == hashlib.sha256(package).hexdigest()
    assert opened.public_key == public_raw(KEY)
    assert opened.fingerprint == pc.fingerprint(public_raw(KEY))
    assert opened.manifest["period"] == "2026-11"
    assert opened.manifest["source"]["name"] == "Chi bộ thôn Đông"
    assert opened.manifest["source"]["public_key"] == base64.b64encode(public_raw(KEY)).decode()
    assert [f["name"] for f in opened.manifest["files"]] == sorted(files)
    data = files["data.json"]
    assert opened.manifest["files"][0] == {"name": "data.json", "sha256": hashlib.sha256(data).hexdigest(),
                                           "size": len(data)}


def test_the_zip_is_deterministic_and_signed_over_the_manifest_bytes():
    first = pc.build(sample_manifest(), sample_files(), KEY)
    assert pc.build(sample_manifest(), dict(reversed(sample_files().items())), KEY) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["manifest.json", "signature.ed25519", "data.json",
                                               "forms/bc-thang.json", "notes.txt"]
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        manifest_bytes = archive.read("manifest.json")
        signature = archive.read("signature.ed25519")
    assert manifest_bytes == canonical_json(json.loads(manifest_bytes))
    KEY.public_key().verify(signature, manifest_bytes)


def test_build_leaves_the_callers_manifest_as_it_was():
    manifest = sample_manifest()
    before = copy.deepcopy(manifest)
    pc.build(manifest, sample_files(), KEY)
    assert manifest == before


def test_build_refuses_an_invalid_manifest_naming_the_field():
    manifest = sample_manifest()
    manifest["kind"] = "weekly"
    with pytest.raises(PackageError, match="«kind»"):
        pc.build(manifest, sample_files(), KEY)


@pytest.mark.parametrize("name", ["../x", "manifest.json", "a\\b", "/abs"])
def test_build_refuses_a_bad_file_name(name):
    with pytest.raises(PackageError, match=re.escape(name)):
        pc.build(sample_manifest(), {name: b"x"}, KEY)


def test_build_takes_names_as_nfc():
    package = pc.build(sample_manifest(), {"Ho\u0300a.txt": b"x"}, KEY)
    assert list(pc.open_package(package).files) == ["Hòa.txt"]
    with pytest.raises(PackageError, match="cùng tên"):
        pc.build(sample_manifest(), {"Ho\u0300a.txt": b"x", "Hòa.txt": b"y"}, KEY)


def test_a_highly_compressible_file_still_opens():
    files = {"zeros.bin": bytes(3 * 1024 * 1024)}
    assert pc.open_package(pc.build(sample_manifest(), files, KEY)).files == files


def test_an_empty_package_opens():
    assert pc.open_package(pc.build(sample_manifest(), {}, KEY)).files == {}


@pytest.mark.parametrize("name", sorted(sample_files()))
def test_each_file_tampered_is_named(name):
    good = valid_package()
    original = dict(entries_of(good))[name]
    same_size = bytes([original[0] ^ 1]) + original[1:]
    _refused(replaced(good, name, same_size), f"Tệp «{name}» trong gói đã bị sửa: mã băm không khớp.")
    _refused(replaced(good, name, original + b" "), f"Tệp «{name}» trong gói đã bị sửa: kích thước không khớp")


def test_a_manifest_changed_after_signing_is_refused():
    good = valid_package()
    changed = {**manifest_of(good), "period": "2026-10"}
    _refused(replaced(good, "manifest.json", canonical_json(changed)),
             "Chữ ký của gói không hợp lệ: gói đã bị sửa sau khi ký.")


def test_a_manifest_resigned_with_another_key_opens_with_another_fingerprint():
    good = valid_package()
    changed = {**manifest_of(good), "period": "2026-10"}
    opened = pc.open_package(resigned(good, changed, OTHER_KEY))
    assert opened.manifest["period"] == "2026-10"
    assert opened.fingerprint == pc.fingerprint(public_raw(OTHER_KEY))
    assert opened.fingerprint != pc.open_package(good).fingerprint


def test_a_manifest_resigned_with_another_key_but_the_old_public_key_is_refused():
    good = valid_package()
    changed = {**manifest_of(good), "period": "2026-10"}
    _refused(resigned(good, changed, OTHER_KEY, set_key=False), "Chữ ký của gói không hợp lệ")


@pytest.mark.parametrize("position", [0, 31, 32, 63])
def test_signature_bytes_altered(position):
    good = valid_package()
    signature = bytearray(dict(entries_of(good))["signature.ed25519"])
    signature[position] ^= 0x40
    _refused(replaced(good, "signature.ed25519", bytes(signature)), "Chữ ký của gói không hợp lệ")
    _refused(replaced(good, "signature.ed25519", bytes(signature) + b"\0"), "phải dài 64 byte")


def test_a_file_added_or_removed():
    good = valid_package()
    _refused(rezip(entries_of(good) + [("forms/them.json", b"{}")]), "Gói có tệp «forms/them.json» không nằm")
    _refused(replaced(good, "forms/bc-thang.json", None), "Gói thiếu tệp «forms/bc-thang.json»")


def test_a_newer_package_is_refused_before_its_signature():
    good = valid_package()
    newer = {**manifest_of(good), "format_version": 2, "source": "another shape"}
    _refused(replaced(good, "manifest.json", canonical_json(newer)), "phiên bản chibo mới hơn (định dạng 2)")


@pytest.mark.parametrize("field", _FIELDS[2:])
def test_a_signed_package_missing_a_field_names_it(field):
    good = valid_package()
    manifest = manifest_of(good)
    del manifest[field]
    # Without «source» there is no public key to check the signature with: that field is the one named.
    _refused(resigned(good, manifest, KEY), f"«{field}")


@pytest.mark.parametrize("data", [b"", b"PK", b"PK\x03\x04" + bytes(40), b"\x00" * 100, "Báo cáo".encode()])
def test_data_that_is_no_zip(data):
    with pytest.raises(PackageError):
        pc.open_package(data)


def test_too_many_entries_are_refused():
    entries = entries_of(valid_package()) + [(f"e/{i}", b"") for i in range(pc.MAX_ENTRIES)]
    _refused(rezip(entries), f"quá {pc.MAX_ENTRIES} tệp")


def test_too_much_data_in_all_is_refused(monkeypatch):
    good = valid_package()
    monkeypatch.setattr(pc, "MAX_TOTAL_SIZE", 200)
    _refused(good, "quá lớn khi giải nén")


def test_an_entry_over_the_limit_is_refused(monkeypatch):
    good = valid_package()
    monkeypatch.setattr(pc, "MAX_ENTRY_SIZE", 40)
    _refused(good, "trong gói quá lớn")


# --- envelopes ------------------------------------------------------------------------------------------


def _envelope_header(sealed: bytes) -> dict:
    return json.loads(dict(entries_of(sealed))["envelope.json"])


def test_sealed_to_a_key_opens_with_that_key():
    good = valid_package()
    sealed = pc.encrypt_to_key(good, public_raw(EXCHANGE))
    header = _envelope_header(sealed)
    assert header["format"] == "chibo-envelope" and header["method"] == "x25519-hkdf-aes256gcm"
    assert header["recipient_fingerprint"] == pc.fingerprint(public_raw(EXCHANGE))
    assert b"Chi b" not in sealed and "Chi bộ".encode() not in sealed
    opened = pc.open_package(sealed, exchange_key=EXCHANGE)
    assert opened.encrypted == "key"
    assert opened.files == sample_files()
    assert opened.package_hash == hashlib.sha256(good).hexdigest()


def test_sealed_to_a_key_refuses_another_key_and_no_key():
    sealed = pc.encrypt_to_key(valid_package(), public_raw(EXCHANGE))
    shown = pc.fingerprint(public_raw(EXCHANGE))
    assert _refused(sealed, "Gói này được mã hóa cho một Đảng ủy khác", exchange_key=OTHER_EXCHANGE) == (
        f"Gói này được mã hóa cho một Đảng ủy khác (dấu vân tay {shown}).")
    _refused(sealed, shown)
    _refused(sealed, shown, passphrase="bất kỳ")


def test_sealed_with_a_passphrase():
    good = valid_package()
    sealed = pc.encrypt_with_passphrase(good, "Mật khẩu chi bộ")
    header = _envelope_header(sealed)
    assert header["method"] == "scrypt-aes256gcm"
    assert header["scrypt"] == {"n": 2**15, "r": 8, "p": 1}
    assert len(base64.b64decode(header["salt"])) == 16
    opened = pc.open_package(sealed, passphrase="Mật khẩu chi bộ")
    assert opened.encrypted == "passphrase"
    assert opened.package_hash == hashlib.sha256(good).hexdigest()
    # The passphrase typed with combining marks is the same passphrase.
    assert pc.open_package(sealed, passphrase="Mâ\u0323t khẩu chi bộ").files == sample_files()


def test_a_wrong_or_missing_passphrase():
    sealed = pc.encrypt_with_passphrase(valid_package(), "đúng")
    _refused(sealed, "Mật khẩu không đúng", passphrase="sai")
    _refused(sealed, "hãy nhập mật khẩu")
    _refused(sealed, "hãy nhập mật khẩu", exchange_key=EXCHANGE)


def test_two_sealings_differ_but_open_to_the_same_package():
    good = valid_package()
    a, b = pc.encrypt_with_passphrase(good, "x"), pc.encrypt_with_passphrase(good, "x")
    assert a != b
    assert pc.open_package(a, passphrase="x").package_hash == pc.open_package(b, passphrase="x").package_hash


@pytest.mark.parametrize("cut", [1, 10, 100, 1000])
def test_a_truncated_envelope(cut):
    sealed = pc.encrypt_to_key(valid_package(), public_raw(EXCHANGE))
    with pytest.raises(PackageError):
        pc.open_package(sealed[:-cut], exchange_key=EXCHANGE)
    _refused(sealed[: len(sealed) - cut], "cắt cụt", exchange_key=EXCHANGE)


def test_an_envelope_header_changed_fails_the_decryption():
    sealed = pc.encrypt_to_key(valid_package(), public_raw(EXCHANGE))
    entries = dict(entries_of(sealed))
    header = {**json.loads(entries["envelope.json"]), "extra": 1}
    changed = rezip([("envelope.json", canonical_json(header)), ("payload.bin", entries["payload.bin"])])
    _refused(changed, "bị hỏng hoặc bị sửa", exchange_key=EXCHANGE)


def test_encryption_refuses_bad_inputs():
    with pytest.raises(PackageError):
        pc.encrypt_to_key(valid_package(), b"short")
    with pytest.raises(PackageError):
        pc.encrypt_with_passphrase(valid_package(), "")


def test_fingerprint_is_ten_groups_of_four():
    shown = pc.fingerprint(public_raw(KEY))
    assert re.fullmatch(r"([0-9A-F]{4} ){9}[0-9A-F]{4}", shown)
    assert shown.replace(" ", "").lower() == hashlib.sha256(public_raw(KEY)).hexdigest()[:40]


# --- the corpus of bad packages -------------------------------------------------------------------------


def _corpus() -> dict:
    return json.loads(INDEX.read_text(encoding="utf-8"))


def test_the_corpus_index_names_every_file():
    on_disk = {p.name for p in CORPUS.iterdir() if p.suffix == ".chibo"}
    assert on_disk == set(_corpus())
    assert len(on_disk) >= 40


@pytest.mark.parametrize("name", sorted(_corpus()))
def test_each_bad_package_is_refused_with_its_message(name):
    expected = _corpus()[name]
    data = (CORPUS / name).read_bytes()
    _refused(data, expected["message"], passphrase=expected["passphrase"] or None)
    # The superior's own key changes nothing for a file that is not sealed to it.
    with pytest.raises(PackageError):
        pc.open_package(data, passphrase=expected["passphrase"] or None, exchange_key=OTHER_EXCHANGE)
