"""The installation's keys: made once, kept, and handed over as a small public-key file."""
from __future__ import annotations

import json
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app.services import keys
from app.services.errors import ServiceError
from app.services.package_crypto import fingerprint
from app.storage.models import ChangeLog, Setting
from app.storage.statistics_models import KeyPair


def _key_entries() -> list[dict]:
    return [json.loads(row.changes) for row in ChangeLog.select().where(ChangeLog.entity == "key_pair")]


def test_signing_key_is_made_once_stored_and_recorded(cell_db):
    first = keys.signing_key()
    assert isinstance(first, Ed25519PrivateKey)
    public = keys.public_signing_key()
    assert len(public) == 32
    row = KeyPair.get(KeyPair.purpose == "signing")
    assert row.public_key == public.hex()
    assert len(bytes.fromhex(row.private_key)) == 32
    # The same key comes back, and signs what the stored public key verifies.
    again = keys.signing_key()
    again.public_key().verify(first.sign(b"ky"), b"ky")
    assert keys.public_signing_key() == public
    assert KeyPair.select().where(KeyPair.purpose == "signing").count() == 1
    assert _key_entries() == [{"purpose": "signing", "fingerprint": fingerprint(public)}]


def test_exchange_key_is_its_own_pair(cell_db):
    private = keys.exchange_key()
    assert isinstance(private, X25519PrivateKey)
    public = keys.public_exchange_key()
    assert public != keys.public_signing_key()
    assert keys.public_exchange_key() == public
    assert {r.purpose for r in KeyPair.select()} == {"signing", "exchange"}
    assert [e["purpose"] for e in _key_entries()] == ["exchange", "signing"]


def test_fingerprint_is_stable_and_readable(cell_db):
    shown = fingerprint(keys.public_signing_key())
    assert re.fullmatch(r"([0-9A-F]{4} ){9}[0-9A-F]{4}", shown)
    assert fingerprint(keys.public_signing_key()) == shown
    # A known value: sha256 of 32 zero bytes begins 66687aadf862bd776c8fc18b8e9f8e2008971485.
    assert fingerprint(bytes(32)) == "6668 7AAD F862 BD77 6C8F C18B 8E9F 8E20 0897 1485"


def test_a_damaged_stored_key_is_told_not_used(cell_db):
    keys.signing_key()
    KeyPair.update(private_key="zz").where(KeyPair.purpose == "signing").execute()
    with pytest.raises(ServiceError, match="Khóa ký lưu trong dữ liệu bị hỏng"):
        keys.signing_key()


def test_installation_id_is_made_once(cell_db):
    made = keys.installation_id()
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert keys.installation_id() == made
    assert json.loads(Setting.get(Setting.key == "package.installation_id").value) == made
    entries = [json.loads(r.changes) for r in ChangeLog.select().where(ChangeLog.entity == "setting")]
    assert entries == [{"package.installation_id": ["", made]}]


def test_installation_id_differs_between_databases(tmp_path):
    from app.storage import db as storage

    found = []
    for name in ("a.sqlite", "b.sqlite"):
        storage.open_database(tmp_path / name)
        try:
            found.append(keys.installation_id())
        finally:
            storage.close_database()
    assert found[0] != found[1]


@pytest.mark.parametrize("purpose", ["exchange", "signing"])
def test_public_key_file_round_trip(cell_db, tmp_path, purpose):
    path = tmp_path / "khoa-cong-khai.json"
    keys.export_public(path, purpose)
    content = json.loads(path.read_text(encoding="utf-8"))
    expected = keys.public_exchange_key() if purpose == "exchange" else keys.public_signing_key()
    assert content["format"] == "chibo-public-key"
    assert content["purpose"] == purpose
    assert content["unit_name"] == "Chi bộ thôn Đông"
    assert content["fingerprint"] == fingerprint(expected)
    assert keys.read_public_key_file(path) == expected
    assert keys.read_public_key_file(path, purpose=purpose) == expected


def test_a_signing_key_file_is_not_taken_for_an_exchange_key(cell_db, tmp_path):
    path = tmp_path / "khoa.json"
    keys.export_public(path, "signing")
    with pytest.raises(ServiceError, match="chứa khóa ký, không phải khóa trao đổi"):
        keys.read_public_key_file(path, purpose="exchange")


def _written(tmp_path, content) -> str:
    path = tmp_path / "khoa.json"
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode("utf-8"))
    return str(path)


def test_wrong_files_are_refused(cell_db, tmp_path):
    good_path = tmp_path / "good.json"
    keys.export_public(good_path)
    good = json.loads(good_path.read_text(encoding="utf-8"))
    cases = [
        (b"\x89PNG\r\n\x1a\n not a key", "không phải tệp khóa công khai"),
        (b"[1, 2]", "không phải tệp khóa công khai"),
        ({**good, "format": "chibo-package"}, "không phải tệp khóa công khai"),
        ({**good, "purpose": "other"}, "«purpose»"),
        ({**good, "public_key": "AAAA"}, "«public_key»"),
        ({**good, "public_key": "not base64!"}, "«public_key»"),
        ({**good, "fingerprint": "0000 " * 9 + "0000"}, "dấu vân tay"),
        (b"x" * (70 * 1024), "không phải tệp khóa công khai"),
    ]
    for content, fragment in cases:
        with pytest.raises(ServiceError, match=re.escape(fragment)):
            keys.read_public_key_file(_written(tmp_path, content))
    with pytest.raises(ServiceError, match="Không đọc được tệp"):
        keys.read_public_key_file(tmp_path / "missing.json")


def test_export_to_an_unknown_purpose_is_refused(cell_db, tmp_path):
    with pytest.raises(ServiceError, match="Không có loại khóa"):
        keys.export_public(tmp_path / "k.json", "other")
