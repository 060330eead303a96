"""The signed package (tệp .chibo) as bytes: written as a zip with its manifest and an Ed25519 signature, sealed
for one superior's exchange key (X25519) or with a passphrase, and opened back with every check a package from
a USB stick or an e-mail needs. Any bytes at all give an OpenedPackage or a PackageError, never another error.

Package: a zip with manifest.json (canonical JSON), signature.ed25519 (the raw 64-byte signature of
manifest.json's bytes by the key in manifest["source"]["public_key"]) and each file the manifest lists.
Envelope: a zip with envelope.json (the method and its parameters, canonical JSON; also the AEAD's associated
data) and payload.bin (the AES-256-GCM ciphertext of the package's bytes)."""
from __future__ import annotations

import base64
import copy
import io
import json
import os
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app.domain.package_format import (
    MANIFEST_NAME,
    RESERVED_NAMES,
    SIGNATURE_NAME,
    PackageError,
    canonical_json,
    check_format,
    decode_public_key,
    name_problem,
    parse_json,
    sha256_hex,
    validate_manifest,
)
from app.i18n import _

ENVELOPE_FORMAT = "chibo-envelope"
ENVELOPE_VERSION = 1
ENVELOPE_NAME = "envelope.json"
PAYLOAD_NAME = "payload.bin"
METHOD_KEY = "x25519-hkdf-aes256gcm"
METHOD_PASSPHRASE = "scrypt-aes256gcm"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
SALT_BYTES, NONCE_BYTES, KEY_BYTES = 16, 12, 32
SIGNATURE_BYTES = 64
_HKDF_INFO = b"chibo-envelope/1 x25519-hkdf-aes256gcm"

# Bounds on what is read from a zip, so a crafted file cannot fill the memory or the disk.
MAX_ENTRIES = 2000
MAX_ENTRY_SIZE = 200 * 1024 * 1024
MAX_TOTAL_SIZE = 1024 * 1024 * 1024
MAX_RATIO = 200
# Entries smaller than this are not held to MAX_RATIO: a few kilobytes of one repeated byte are no bomb.
RATIO_EXEMPT_SIZE = 1024 * 1024
MAX_MANIFEST_SIZE = 16 * 1024 * 1024
MAX_ENVELOPE_JSON_SIZE = 64 * 1024
# The scrypt costs an envelope may ask for: enough room for stronger settings later, not for a memory bomb.
_SCRYPT_MAX_MEMORY = 512 * 1024 * 1024

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class OpenedPackage:
    manifest: dict
    files: dict[str, bytes]
    public_key: bytes
    fingerprint: str
    package_hash: str
    encrypted: str  # "" | "key" | "passphrase"


def fingerprint(public_raw: bytes) -> str:
    """The first 20 bytes of SHA-256 of a public key as 10 groups of 4 hex digits, to read over the phone."""
    digest = sha256_hex(bytes(public_raw))[:40].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 40, 4))


def _public_raw(key: Ed25519PublicKey | X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


# --- writing --------------------------------------------------------------------------------------------


def _zip_bytes(entries: list[tuple[str, bytes, int]]) -> bytes:
    """A zip of (name, data, method) in the order given, the same bytes every time for the same entries."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, method in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = method
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compress_type=method, compresslevel=6)
    return buffer.getvalue()


def _method_for(data: bytes) -> int:
    """ZIP_DEFLATED, unless the data shrinks so much that the reader would take it for a zip bomb."""
    if len(data) >= RATIO_EXEMPT_SIZE and len(data) > MAX_RATIO * len(zlib.compress(data, 6)) // 2:
        return zipfile.ZIP_STORED
    return zipfile.ZIP_DEFLATED


def build(manifest: dict, files: dict[str, bytes], signing_key: Ed25519PrivateKey) -> bytes:
    """The package's bytes: manifest (a copy, its «files» and «source.public_key» filled in here) checked,
    written as canonical JSON and signed; the files under their NFC names. Its hash is sha256 of the bytes."""
    manifest = copy.deepcopy(manifest)
    named: dict[str, bytes] = {}
    for name, data in files.items():
        clean = unicodedata.normalize("NFC", name) if isinstance(name, str) else name
        problem = name_problem(clean) or (_("tên tệp dành riêng cho gói") if clean in RESERVED_NAMES else "")
        if problem:
            raise PackageError(_("Không đưa được tệp «{name}» vào gói: {problem}.").format(name=name, problem=problem))
        if clean in named:
            raise PackageError(_("Hai tệp cùng tên «{name}» trong gói.").format(name=clean))
        if not isinstance(data, (bytes, bytearray)):
            raise PackageError(_("Nội dung tệp «{name}» không phải dữ liệu nhị phân.").format(name=clean))
        if len(data) > MAX_ENTRY_SIZE:
            raise PackageError(_("Tệp «{name}» quá lớn để đưa vào gói.").format(name=clean))
        named[clean] = bytes(data)
    if len(named) + 2 > MAX_ENTRIES or sum(len(d) for d in named.values()) > MAX_TOTAL_SIZE:
        raise PackageError(_("Gói quá lớn: quá nhiều tệp hoặc quá nhiều dữ liệu."))
    order = sorted(named)
    manifest["files"] = [{"name": n, "sha256": sha256_hex(named[n]), "size": len(named[n])} for n in order]
    if not isinstance(manifest.get("source"), dict):
        manifest["source"] = {}
    manifest["source"]["public_key"] = _b64(_public_raw(signing_key.public_key()))
    manifest = validate_manifest(json.loads(canonical_json(manifest)))
    manifest_bytes = canonical_json(manifest)
    signature = signing_key.sign(manifest_bytes)
    entries = [(MANIFEST_NAME, manifest_bytes, zipfile.ZIP_DEFLATED), (SIGNATURE_NAME, signature, zipfile.ZIP_STORED)]
    entries += [(n, named[n], _method_for(named[n])) for n in order]
    return _zip_bytes(entries)


def _seal(header: dict, key: bytes, package: bytes) -> bytes:
    header = {"format": ENVELOPE_FORMAT, "format_version": ENVELOPE_VERSION, **header}
    header_bytes = canonical_json(header)
    nonce = base64.b64decode(header["nonce"])
    payload = AESGCM(key).encrypt(nonce, bytes(package), header_bytes)
    return _zip_bytes([(ENVELOPE_NAME, header_bytes, zipfile.ZIP_STORED), (PAYLOAD_NAME, payload, zipfile.ZIP_STORED)])


def _hkdf_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None,
                info=_HKDF_INFO + ephemeral_public + recipient_public).derive(shared)


def encrypt_to_key(package: bytes, recipient_public: bytes) -> bytes:
    """The package sealed for the holder of the X25519 key recipient_public (a superior's exchange key)."""
    recipient_public = bytes(recipient_public)
    if len(recipient_public) != 32:
        raise PackageError(_("Khóa trao đổi của Đảng ủy không hợp lệ (cần 32 byte)."))
    try:
        recipient = X25519PublicKey.from_public_bytes(recipient_public)
        ephemeral = X25519PrivateKey.generate()
        shared = ephemeral.exchange(recipient)
    except ValueError as exc:
        raise PackageError(_("Khóa trao đổi của Đảng ủy không hợp lệ.")) from exc
    ephemeral_public = _public_raw(ephemeral.public_key())
    header = {"method": METHOD_KEY, "ephemeral_public_key": _b64(ephemeral_public),
              "recipient_fingerprint": fingerprint(recipient_public), "nonce": _b64(os.urandom(NONCE_BYTES))}
    return _seal(header, _hkdf_key(shared, ephemeral_public, recipient_public), package)


def _passphrase_bytes(passphrase: str) -> bytes:
    return unicodedata.normalize("NFC", passphrase).encode("utf-8", "surrogatepass")


def _scrypt_key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(_passphrase_bytes(passphrase))


def encrypt_with_passphrase(package: bytes, passphrase: str) -> bytes:
    """The package sealed with a passphrase (scrypt, then AES-256-GCM), told to the superior another way."""
    if not isinstance(passphrase, str) or not passphrase:
        raise PackageError(_("Cần một mật khẩu để mã hóa gói."))
    salt = os.urandom(SALT_BYTES)
    header = {"method": METHOD_PASSPHRASE, "salt": _b64(salt),
              "scrypt": {"n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P}, "nonce": _b64(os.urandom(NONCE_BYTES))}
    return _seal(header, _scrypt_key(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P), package)


# --- reading --------------------------------------------------------------------------------------------


def _not_a_package() -> PackageError:
    return PackageError(_("Tệp này không phải gói chibo (không đọc được dạng zip)."))


def _damaged(detail: str) -> PackageError:
    return PackageError(_("Gói bị hỏng, không đọc được ({detail}). Hãy xin gửi lại gói.").format(detail=detail))


def _open_zip(data: bytes) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """The zip and its entries, once every bound and every name is checked."""
    if not data:
        raise PackageError(_("Tệp này trống, không phải gói chibo."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        if data[:4] == b"PK\x03\x04":
            raise PackageError(_("Gói bị cắt cụt hoặc hỏng (có thể chép chưa hết): không tìm thấy phần cuối của tệp "
                                 "zip. Hãy chép lại hoặc xin gửi lại gói.")) from exc
        raise _not_a_package() from exc
    except (NotImplementedError, ValueError, OSError, EOFError, struct.error, OverflowError) as exc:
        # A zip whose directory asks for a newer zip version, holds an undecodable name, or lies about offsets.
        raise _damaged(_("mục lục của tệp zip")) from exc
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise PackageError(_("Gói có {count} tệp, quá {limit} tệp chương trình đọc.").format(
            count=len(infos), limit=MAX_ENTRIES))
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        problem = name_problem(name[:-1] if name.endswith("/") else name)
        if problem:
            raise PackageError(_("Gói có tệp với tên không dùng được «{name}»: {problem}.").format(
                name=name[:120], problem=problem))
        if name in seen:
            raise PackageError(_("Gói có hai tệp cùng tên «{name}».").format(name=name))
        seen.add(name)
        if info.flag_bits & 0x1:
            raise PackageError(_("Tệp «{name}» trong gói được mã hóa kiểu zip; chương trình không đọc loại "
                                 "này.").format(name=name))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackageError(_("Tệp «{name}» trong gói nén theo cách chương trình không đọc.").format(name=name))
        if info.file_size > MAX_ENTRY_SIZE:
            raise PackageError(_("Tệp «{name}» trong gói quá lớn ({size} MB khi giải nén).").format(
                name=name, size=info.file_size // (1024 * 1024)))
        if info.file_size >= RATIO_EXEMPT_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PackageError(_("Tệp «{name}» trong gói nén bất thường (tỉ lệ quá {ratio} lần); có thể là tệp "
                                 "phá hoại.").format(name=name, ratio=MAX_RATIO))
        total += info.file_size
        if total > MAX_TOTAL_SIZE:
            raise PackageError(_("Gói quá lớn khi giải nén (quá 1 GB)."))
    return archive, infos


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int | None = None) -> bytes:
    """An entry's bytes, never more than it declares (nor than limit), with its CRC checked."""
    limit = min(info.file_size, limit if limit is not None else info.file_size)
    if info.file_size > limit:
        raise PackageError(_("Tệp «{name}» trong gói lớn bất thường.").format(name=info.filename))
    parts: list[bytes] = []
    got = 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                got += len(chunk)
                if got > limit:
                    raise PackageError(_("Tệp «{name}» trong gói lớn hơn kích thước ghi trong zip.").format(
                        name=info.filename))
                parts.append(chunk)
    except PackageError:
        raise
    except zipfile.BadZipFile as exc:
        if "CRC" in str(exc):
            raise PackageError(_("Tệp «{name}» trong gói bị hỏng: mã kiểm tra CRC không khớp.").format(
                name=info.filename)) from exc
        raise _damaged(info.filename) from exc
    except (zlib.error, EOFError, OSError, ValueError, struct.error, RuntimeError, NotImplementedError) as exc:
        raise _damaged(info.filename) from exc
    data = b"".join(parts)
    if len(data) != info.file_size:
        raise _damaged(info.filename)
    return data


def _json_object(raw: bytes, what: str) -> dict:
    try:
        value = parse_json(raw)
    except PackageError as exc:
        raise PackageError(_("Tệp «{what}» trong gói bị hỏng: {reason}.").format(what=what, reason=exc)) from None
    if not isinstance(value, dict):
        raise PackageError(_("Tệp «{what}» trong gói không phải một đối tượng JSON.").format(what=what))
    return value


def _b64_field(header: dict, field: str, size: int) -> bytes:
    value = header.get(field)
    try:
        raw = base64.b64decode(str(value).encode("ascii"), validate=True) if isinstance(value, str) else b""
    except (ValueError, UnicodeEncodeError):
        raw = b""
    if len(raw) != size:
        raise PackageError(_("Phong bì mã hóa của gói không hợp lệ: trường «{field}» sai.").format(field=field))
    return raw


def _scrypt_params(header: dict) -> tuple[int, int, int]:
    params = header.get("scrypt")
    wrong = PackageError(_("Phong bì mã hóa của gói không hợp lệ: trường «scrypt» sai."))
    if not isinstance(params, dict):
        raise wrong
    values = [params.get(k) for k in ("n", "r", "p")]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise wrong
    n, r, p = values
    if not (2 <= n and n & (n - 1) == 0 and 1 <= r <= 64 and 1 <= p <= 16 and 128 * n * r * p <= _SCRYPT_MAX_MEMORY):
        raise wrong
    return n, r, p


def _open_envelope(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], passphrase: str | None,
                   exchange_key: X25519PrivateKey | None) -> tuple[bytes, str]:
    names = sorted(i.filename for i in infos)
    if names != sorted([ENVELOPE_NAME, PAYLOAD_NAME]):
        raise PackageError(_("Phong bì mã hóa của gói không hợp lệ: cần đúng hai tệp «{a}» và «{b}».").format(
            a=ENVELOPE_NAME, b=PAYLOAD_NAME))
    by_name = {i.filename: i for i in infos}
    header_bytes = _read_entry(archive, by_name[ENVELOPE_NAME], MAX_ENVELOPE_JSON_SIZE)
    header = _json_object(header_bytes, ENVELOPE_NAME)
    if header.get("format") != ENVELOPE_FORMAT:
        raise PackageError(_("Phong bì mã hóa của gói không hợp lệ: trường «format» sai."))
    version = header.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise PackageError(_("Phong bì mã hóa của gói không hợp lệ: trường «format_version» sai."))
    if version > ENVELOPE_VERSION:
        raise PackageError(_("Gói được mã hóa bằng phiên bản chibo mới hơn (phong bì định dạng {version}); hãy cập "
                             "nhật chương trình.").format(version=version))
    method = header.get("method")
    nonce = _b64_field(header, "nonce", NONCE_BYTES)
    if method == METHOD_PASSPHRASE:
        salt = _b64_field(header, "salt", SALT_BYTES)
        n, r, p = _scrypt_params(header)
        if not passphrase:
            raise PackageError(_("Gói này được mã hóa bằng mật khẩu; hãy nhập mật khẩu chi bộ đã báo để mở."))
        payload = _read_entry(archive, by_name[PAYLOAD_NAME], MAX_TOTAL_SIZE)
        try:
            key = _scrypt_key(passphrase, salt, n, r, p)
        except (ValueError, MemoryError) as exc:
            raise PackageError(_("Phong bì mã hóa của gói không hợp lệ: trường «scrypt» sai.")) from exc
        wrong = _("Mật khẩu không đúng (hoặc gói đã bị sửa sau khi mã hóa); hãy kiểm tra lại mật khẩu.")
        kind = "passphrase"
    elif method == METHOD_KEY:
        ephemeral_public = _b64_field(header, "ephemeral_public_key", 32)
        wanted = header.get("recipient_fingerprint")
        if not isinstance(wanted, str) or len(wanted) > 60:
            raise PackageError(_("Phong bì mã hóa của gói không hợp lệ: trường «recipient_fingerprint» sai."))
        if exchange_key is None:
            raise PackageError(_("Gói này được mã hóa cho Đảng ủy có khóa trao đổi dấu vân tay {fp}; chỉ mở được bằng "
                                 "khóa đó (trên máy của Đảng ủy).").format(fp=wanted))
        mine = _public_raw(exchange_key.public_key())
        if fingerprint(mine) != wanted:
            raise PackageError(_("Gói này được mã hóa cho một Đảng ủy khác (dấu vân tay {fp}).").format(fp=wanted))
        payload = _read_entry(archive, by_name[PAYLOAD_NAME], MAX_TOTAL_SIZE)
        try:
            shared = exchange_key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        except ValueError as exc:
            raise PackageError(_("Phong bì mã hóa của gói không hợp lệ: trường «ephemeral_public_key» sai.")) from exc
        key = _hkdf_key(shared, ephemeral_public, mine)
        wrong = _("Gói đã mã hóa bị hỏng hoặc bị sửa: không giải mã được bằng khóa của Đảng ủy.")
        kind = "key"
    else:
        raise PackageError(_("Phong bì mã hóa của gói không hợp lệ: cách mã hóa «{method}» chương trình không "
                             "biết.").format(method=str(method)[:60]))
    try:
        return AESGCM(key).decrypt(nonce, payload, header_bytes), kind
    except InvalidTag as exc:
        raise PackageError(wrong) from exc


def _open_signed(data: bytes) -> tuple[dict, dict[str, bytes], bytes]:
    archive, infos = _open_zip(data)
    by_name = {i.filename: i for i in infos}
    if ENVELOPE_NAME in by_name:
        raise PackageError(_("Gói bên trong phong bì mã hóa lại là một phong bì; không phải gói chibo."))
    if MANIFEST_NAME not in by_name:
        raise PackageError(_("Tệp này không phải gói chibo: thiếu tệp «{name}».").format(name=MANIFEST_NAME))
    if SIGNATURE_NAME not in by_name:
        raise PackageError(_("Gói chưa được ký: thiếu tệp «{name}».").format(name=SIGNATURE_NAME))
    manifest_bytes = _read_entry(archive, by_name[MANIFEST_NAME], MAX_MANIFEST_SIZE)
    signature = _read_entry(archive, by_name[SIGNATURE_NAME], 1024)
    raw = _json_object(manifest_bytes, MANIFEST_NAME)
    check_format(raw)
    source = raw.get("source")
    public = decode_public_key(source.get("public_key")) if isinstance(source, dict) else None
    if public is None:
        raise PackageError(_("Danh sách của gói (manifest.json) không hợp lệ: trường «source.public_key» phải là "
                             "khóa công khai 32 byte viết dạng base64."))
    if len(signature) != SIGNATURE_BYTES:
        raise PackageError(_("Chữ ký của gói không hợp lệ: tệp «{name}» phải dài {n} byte.").format(
            name=SIGNATURE_NAME, n=SIGNATURE_BYTES))
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, manifest_bytes)
    except (InvalidSignature, ValueError) as exc:
        raise PackageError(_("Chữ ký của gói không hợp lệ: gói đã bị sửa sau khi ký.")) from exc
    manifest = validate_manifest(raw)
    listed = {item["name"]: item for item in manifest["files"]}
    for name in sorted(by_name):
        if name not in listed and name not in RESERVED_NAMES:
            raise PackageError(_("Gói có tệp «{name}» không nằm trong danh sách đã ký của gói.").format(name=name))
    files: dict[str, bytes] = {}
    for name, item in listed.items():
        info = by_name.get(name)
        if info is None:
            raise PackageError(_("Gói thiếu tệp «{name}» có trong danh sách đã ký của gói.").format(name=name))
        if info.file_size != item["size"]:
            raise PackageError(_("Tệp «{name}» trong gói đã bị sửa: kích thước không khớp ({found} byte, danh sách "
                                 "ghi {size} byte).").format(name=name, found=info.file_size, size=item["size"]))
        content = _read_entry(archive, info)
        if sha256_hex(content) != item["sha256"]:
            raise PackageError(_("Tệp «{name}» trong gói đã bị sửa: mã băm không khớp.").format(name=name))
        files[name] = content
    return manifest, files, public


def _open(data: bytes, passphrase: str | None, exchange_key: X25519PrivateKey | None) -> OpenedPackage:
    data = bytes(data)
    archive, infos = _open_zip(data)
    encrypted = ""
    if any(i.filename == ENVELOPE_NAME for i in infos):
        data, encrypted = _open_envelope(archive, infos, passphrase, exchange_key)
    manifest, files, public = _open_signed(data)
    return OpenedPackage(manifest=manifest, files=files, public_key=public, fingerprint=fingerprint(public),
                         package_hash=sha256_hex(data), encrypted=encrypted)


def open_package(data: bytes, *, passphrase: str | None = None,
                 exchange_key: X25519PrivateKey | None = None) -> OpenedPackage:
    """The package in data (decrypted first when sealed), its signature, manifest and every file checked; or a
    PackageError whose message names the file or field at fault. No other exception, whatever the bytes."""
    try:
        return _open(data, passphrase, exchange_key)
    except PackageError:
        raise
    except MemoryError as exc:
        raise PackageError(_("Gói quá lớn, không đủ bộ nhớ để mở.")) from exc
    except Exception as exc:  # noqa: BLE001 - the last guard: a file from outside never ends in a traceback
        raise _damaged(type(exc).__name__) from exc
