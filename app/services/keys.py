"""This installation's keys and its installation id: the signing key (Ed25519) every package sent upward is
signed with, the exchange key (X25519) a superior's packages are sealed for, each made on first use and kept
in the key_pair table; and the small public-key file a secretary hands to the other side."""
from __future__ import annotations

import base64
import json
import re
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app.domain.package_format import canonical_json, decode_public_key
from app.i18n import _
from app.services import settings
from app.services.errors import ServiceError
from app.services.files import write_export
from app.services.package_crypto import fingerprint
from app.storage import audit
from app.storage.models import Cell, Setting, database
from app.storage.statistics_models import KeyPair

SIGNING, EXCHANGE = "signing", "exchange"
PURPOSES = (SIGNING, EXCHANGE)
_KINDS = {SIGNING: Ed25519PrivateKey, EXCHANGE: X25519PrivateKey}
INSTALLATION_ID_KEY = "package.installation_id"
PUBLIC_KEY_FORMAT = "chibo-public-key"
# A public-key file is a few hundred bytes; anything much larger is not one.
_MAX_PUBLIC_FILE = 64 * 1024
_HEX32 = re.compile(r"[0-9a-f]{32}")


def _installation_id_problem(value: str) -> str:
    return "" if value == "" or _HEX32.fullmatch(value) else _("phải gồm 32 chữ số hệ mười sáu (0-9, a-f)")


# Kept with the cell's data (a restored file brings its own, so its packages keep their sequence).
settings.register({INSTALLATION_ID_KEY: ""},
                  {INSTALLATION_ID_KEY: lambda: _("Mã cài đặt (định danh các gói gửi cấp trên)")})
SETTING_VALIDATORS = {INSTALLATION_ID_KEY: _installation_id_problem}
settings.VALIDATORS.update(SETTING_VALIDATORS)


def _purpose_label(purpose: str) -> str:
    return _("khóa ký") if purpose == SIGNING else _("khóa trao đổi")


def _raw_public(private: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _raw_private(private: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                 serialization.NoEncryption())


def _loaded(row: KeyPair) -> Ed25519PrivateKey | X25519PrivateKey:
    try:
        private = _KINDS[row.purpose].from_private_bytes(bytes.fromhex(row.private_key))
    except (ValueError, TypeError) as exc:
        raise ServiceError(_("{key} lưu trong dữ liệu bị hỏng; không ký hay mở được gói.").format(
            key=_purpose_label(row.purpose).capitalize())) from exc
    if _raw_public(private).hex() != row.public_key:
        raise ServiceError(_("{key} lưu trong dữ liệu bị hỏng: khóa công khai không khớp khóa bí mật.").format(
            key=_purpose_label(row.purpose).capitalize()))
    return private


def _key(purpose: str) -> Ed25519PrivateKey | X25519PrivateKey:
    """The stored key of purpose, made and recorded in the history on first use (both in one transaction)."""
    row = KeyPair.get_or_none(KeyPair.purpose == purpose)
    if row is not None:
        return _loaded(row)
    with database.atomic():
        row = KeyPair.get_or_none(KeyPair.purpose == purpose)
        if row is not None:
            return _loaded(row)
        private = _KINDS[purpose].generate()
        public = _raw_public(private)
        KeyPair.create(purpose=purpose, private_key=_raw_private(private).hex(), public_key=public.hex())
        audit.record("key_pair", None, "create", {"purpose": purpose, "fingerprint": fingerprint(public)})
    return private


def signing_key() -> Ed25519PrivateKey:
    return _key(SIGNING)


def exchange_key() -> X25519PrivateKey:
    return _key(EXCHANGE)


def public_signing_key() -> bytes:
    return _raw_public(signing_key())


def public_exchange_key() -> bytes:
    return _raw_public(exchange_key())


def installation_id() -> str:
    """32 hex digits naming this installation in every package it sends, made once and kept as a setting."""
    current = _stored_installation_id()
    if current:
        return current
    with database.atomic():
        current = _stored_installation_id()
        if current:
            return current
        made = secrets.token_hex(16)
        Setting.insert(key=INSTALLATION_ID_KEY, value=json.dumps(made)).on_conflict_replace().execute()
        audit.record("setting", None, "update", {INSTALLATION_ID_KEY: ["", made]})
    return made


def _stored_installation_id() -> str:
    current = settings.get(INSTALLATION_ID_KEY)
    if current and not _HEX32.fullmatch(current):
        raise ServiceError(_("Mã cài đặt lưu trong dữ liệu bị hỏng («{value}»); không tạo được gói.").format(
            value=current[:40]))
    return current


def _unit_name() -> str:
    row = Cell.select(Cell.name).order_by(Cell.id).first()
    return row.name if row is not None else ""


def export_public(path: Path | str, purpose: str = EXCHANGE) -> None:
    """Write this installation's public key of purpose to path (a small JSON text file) for the other side."""
    if purpose not in PURPOSES:
        raise ServiceError(_("Không có loại khóa «{purpose}».").format(purpose=purpose))
    public = public_signing_key() if purpose == SIGNING else public_exchange_key()
    content = {"format": PUBLIC_KEY_FORMAT, "purpose": purpose, "public_key": base64.b64encode(public).decode("ascii"),
               "fingerprint": fingerprint(public), "unit_name": _unit_name()}
    text = json.dumps(json.loads(canonical_json(content)), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_export(path, text.encode("utf-8"))


def read_public_key_file(path: Path | str, *, purpose: str | None = None) -> bytes:
    """The raw public key in a file export_public wrote (of purpose, when given), or ServiceError saying why the
    file is not one."""
    not_one = ServiceError(_("Tệp {file} không phải tệp khóa công khai của chibo.").format(file=path))
    try:
        with open(path, "rb") as fh:
            raw = fh.read(_MAX_PUBLIC_FILE + 1)
    except OSError as exc:
        raise ServiceError(_("Không đọc được tệp {file}: {error}").format(file=path, error=exc.strerror)) from exc
    if len(raw) > _MAX_PUBLIC_FILE:
        raise not_one
    try:
        content = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise not_one from exc
    if not isinstance(content, dict) or content.get("format") != PUBLIC_KEY_FORMAT:
        raise not_one
    if content.get("purpose") not in PURPOSES:
        raise ServiceError(_("Tệp {file}: trường «purpose» phải là «signing» hoặc «exchange».").format(file=path))
    if purpose is not None and content["purpose"] != purpose:
        raise ServiceError(_("Tệp {file} chứa {found}, không phải {wanted}.").format(
            file=path, found=_purpose_label(content["purpose"]), wanted=_purpose_label(purpose)))
    public = decode_public_key(content.get("public_key"))
    if public is None:
        raise ServiceError(_("Tệp {file}: trường «public_key» không phải khóa công khai 32 byte.").format(file=path))
    written = content.get("fingerprint")
    if written is not None and written != fingerprint(public):
        raise ServiceError(_("Tệp {file}: dấu vân tay ghi trong tệp không khớp với khóa; tệp đã bị sửa.").format(
            file=path))
    return public
