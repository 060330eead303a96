"""The package a cell sends upward (tệp .chibo): its manifest's schema, the canonical JSON it is written in, and
the upgrade of a manifest written by an older format version. Pure: no database, no cryptography."""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Callable

from app.domain.report_period import Period, PeriodError, PeriodKind
from app.i18n import _

FORMAT_NAME = "chibo-package"
FORMAT_VERSION = 1
KINDS = ("monthly", "quarterly", "yearly", "review", "return")
PRIVACY_LEVELS = ("aggregate", "roster", "full")
UNITS = ("cell", "superior")

# The two members of every package besides its files; no listed file may take either name.
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "signature.ed25519"
RESERVED_NAMES = frozenset({MANIFEST_NAME, SIGNATURE_NAME})

_HEX32 = re.compile(r"[0-9a-f]{32}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
PUBLIC_KEY_BYTES = 32
# How long a file name inside a package may be (characters).
MAX_NAME_LENGTH = 255
# How deep a package's JSON may nest, and how long any one text in it may be (characters).
MAX_JSON_DEPTH = 64
MAX_JSON_TEXT = 100_000
# The highest sequence number a package may carry: a cell sends a few dozen a year.
MAX_SEQUENCE = 2**31 - 1
# How long the unit's name, code and superior's name, and the program's version, may be (characters).
MAX_UNIT_TEXT = 300
# The kind of package each kind of period takes (a review and a return are of a year).
KIND_PERIODS = {"monthly": PeriodKind.MONTH, "quarterly": PeriodKind.QUARTER, "yearly": PeriodKind.YEAR,
                "review": PeriodKind.YEAR, "return": PeriodKind.YEAR}


class PackageError(Exception):
    """A package (or the data said to be one) that cannot be used; the message is for the secretary."""


def _nfc(value: object, where: str = "") -> object:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise PackageError(_("Giá trị «{value}» ở «{where}» không ghi được vào gói (không phải một số).").format(
                value=value, where=where or "/"))
        return value
    if isinstance(value, dict):
        out: dict[str, object] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise PackageError(_("Khóa «{key}» ở «{where}» không phải chữ; gói chỉ ghi khóa là chữ.").format(
                    key=key, where=where or "/"))
            name = unicodedata.normalize("NFC", key)
            if name in out:
                raise PackageError(_("Hai khóa «{key}» ở «{where}» trùng nhau sau khi chuẩn hóa chữ.").format(
                    key=name, where=where or "/"))
            out[name] = _nfc(item, f"{where}/{name}")
        return out
    if isinstance(value, (list, tuple)):
        return [_nfc(item, f"{where}/{i}") for i, item in enumerate(value)]
    raise PackageError(_("Giá trị kiểu {type} ở «{where}» không ghi được vào gói.").format(
        type=type(value).__name__, where=where or "/"))


def canonical_json(obj: object) -> bytes:
    """The one byte form of a JSON value: UTF-8, keys sorted, no spaces, every text NFC; nan and inf refused."""
    return json.dumps(_nfc(obj), sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def _refuse_constant(name: str) -> float:
    raise PackageError(_("có giá trị «{value}», không phải một số").format(value=name))


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise PackageError(_("khóa «{key}» có hai lần trong cùng một đối tượng").format(key=key[:80]))
        out[key] = value
    return out


def _text_problem(text: str) -> str:
    if len(text) > MAX_JSON_TEXT:
        return _("có một đoạn chữ dài quá {n} ký tự").format(n=MAX_JSON_TEXT)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _("có ký tự không hợp lệ (nửa cặp UTF-16)")
    return ""


def parse_json(raw: bytes) -> object:
    """The JSON value in raw, read strictly: UTF-8, no key twice in an object, no NaN or Infinity (nor a number
    too large for a float), nesting at most MAX_JSON_DEPTH deep, every text valid and at most MAX_JSON_TEXT long.
    PackageError (a reason to put after the file's name) otherwise; never another exception."""
    try:
        text = bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise PackageError(_("không phải chữ UTF-8")) from None
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
    except PackageError:
        raise
    except RecursionError:
        raise PackageError(_("lồng nhau sâu quá {n} tầng").format(n=MAX_JSON_DEPTH)) from None
    except ValueError as exc:  # json.JSONDecodeError, and an integer of too many digits
        raise PackageError(_("không đọc được dạng JSON ({error})").format(error=str(exc)[:120])) from None
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > MAX_JSON_DEPTH:
                raise PackageError(_("lồng nhau sâu quá {n} tầng").format(n=MAX_JSON_DEPTH))
            children = list(item.items()) if isinstance(item, dict) else [(None, v) for v in item]
            for key, child in children:
                problem = _text_problem(key) if isinstance(key, str) else ""
                if problem:
                    raise PackageError(problem)
                stack.append((child, depth + 1))
        elif isinstance(item, str):
            problem = _text_problem(item)
            if problem:
                raise PackageError(problem)
        elif isinstance(item, float) and (math.isnan(item) or math.isinf(item)):
            raise PackageError(_("có số quá lớn, không ghi được"))
    return value


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode_public_key(text: object) -> bytes | None:
    """The raw 32 bytes of a public key written in base64, or None when text is not one."""
    if not isinstance(text, str):
        return None
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None
    return raw if len(raw) == PUBLIC_KEY_BYTES else None


def name_problem(name: object) -> str:
    """Why name cannot be a file's name inside a package (a Vietnamese reason), or "" when it can: a relative
    POSIX path, NFC, without «..», an absolute part, a backslash, an empty part or a control character."""
    if not isinstance(name, str):
        return _("tên tệp phải là chữ")
    if not name:
        return _("tên tệp trống")
    if len(name) > MAX_NAME_LENGTH:
        return _("tên tệp dài quá {n} ký tự").format(n=MAX_NAME_LENGTH)
    if "\\" in name:
        return _("tên tệp có dấu «\\»")
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in name):
        return _("tên tệp có ký tự điều khiển")
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return _("tên tệp là đường dẫn tuyệt đối")
    parts = name.split("/")
    if ".." in parts:
        return _("tên tệp có «..»")
    if any(part in ("", ".") for part in parts):
        return _("tên tệp có phần trống hoặc «.»")
    if unicodedata.normalize("NFC", name) != name:
        return _("tên tệp chưa chuẩn hóa NFC")
    return ""


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_datetime(value: object) -> bool:
    if not isinstance(value, str) or len(value) < 16:
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_period(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        Period.parse(value)
    except PeriodError:
        return False
    return True


def _unit_text(value: object, required: bool = False) -> bool:
    return (isinstance(value, str) and len(value) <= MAX_UNIT_TEXT and (bool(value.strip()) or not required)
            and not any(unicodedata.category(c) in ("Cc", "Cs") for c in value))


def _one_of(values: tuple[str, ...]) -> str:
    return ", ".join(f"«{v}»" for v in values)


# Field -> (check, what the field must be). Messages name the field by its dotted path.
_TOP: dict[str, tuple[Callable[[object], bool], Callable[[], str]]] = {
    "program_version": (_unit_text, lambda: _("phải là chữ, không quá {n} ký tự").format(n=MAX_UNIT_TEXT)),
    "created_at": (_is_datetime, lambda: _("phải là ngày giờ dạng ISO (ví dụ 2026-11-23T08:30:00)")),
    "kind": (lambda v: v in KINDS, lambda: _("phải là một trong {values}").format(values=_one_of(KINDS))),
    "period": (_is_period, lambda: _("phải là một kỳ dạng 2026, 2026-Q3 hoặc 2026-07")),
    "source": (lambda v: isinstance(v, dict), lambda: _("phải là một đối tượng")),
    "privacy": (lambda v: v in PRIVACY_LEVELS,
                lambda: _("phải là một trong {values}").format(values=_one_of(PRIVACY_LEVELS))),
    "rule_sets": (lambda v: isinstance(v, dict) and all(isinstance(k, str) and isinstance(x, str)
                                                        for k, x in v.items()),
                  lambda: _("phải là một đối tượng, mỗi khóa và giá trị là chữ")),
    "history_last_hash": (lambda v: isinstance(v, str), lambda: _("phải là chữ")),
    "files": (lambda v: isinstance(v, list), lambda: _("phải là một danh sách")),
}
_SOURCE: dict[str, tuple[Callable[[object], bool], Callable[[], str]]] = {
    "unit": (lambda v: v in UNITS, lambda: _("phải là một trong {values}").format(values=_one_of(UNITS))),
    "name": (lambda v: _unit_text(v, required=True),
             lambda: _("phải là chữ, không để trống, không có ký tự điều khiển, không quá {n} ký tự").format(
                 n=MAX_UNIT_TEXT)),
    "code": (_unit_text, lambda: _("phải là chữ, không có ký tự điều khiển, không quá {n} ký tự").format(
        n=MAX_UNIT_TEXT)),
    "superior_name": (_unit_text, lambda: _("phải là chữ, không có ký tự điều khiển, không quá {n} ký tự").format(
        n=MAX_UNIT_TEXT)),
    "installation_id": (lambda v: isinstance(v, str) and bool(_HEX32.fullmatch(v)),
                        lambda: _("phải gồm 32 chữ số hệ mười sáu (0-9, a-f)")),
    "sequence": (lambda v: _is_int(v) and 1 <= v <= MAX_SEQUENCE,
                 lambda: _("phải là số nguyên từ 1 đến {n}").format(n=MAX_SEQUENCE)),
    "previous_package": (lambda v: isinstance(v, str) and (v == "" or bool(_HEX64.fullmatch(v))),
                         lambda: _("phải để trống hoặc gồm 64 chữ số hệ mười sáu (0-9, a-f)")),
    "public_key": (lambda v: decode_public_key(v) is not None,
                   lambda: _("phải là khóa công khai 32 byte viết dạng base64")),
}
_FILE: dict[str, tuple[Callable[[object], bool], Callable[[], str]]] = {
    "name": (lambda v: isinstance(v, str), lambda: _("phải là chữ")),
    "sha256": (lambda v: isinstance(v, str) and bool(_HEX64.fullmatch(v)),
               lambda: _("phải gồm 64 chữ số hệ mười sáu (0-9, a-f)")),
    "size": (lambda v: _is_int(v) and v >= 0, lambda: _("phải là số nguyên không âm")),
}

# Format version v -> the function that turns a manifest of version v into one of version v + 1.
# There is no older version yet; when version 2 comes, version 1's manifests are upgraded by UPGRADES[1].
UPGRADES: dict[int, Callable[[dict], dict]] = {}


def _check_fields(obj: dict, fields: dict, prefix: str, problems: list[str]) -> None:
    for field, (check, expected) in fields.items():
        where = prefix + field
        if field not in obj:
            problems.append(_("thiếu trường «{field}»").format(field=where))
        elif not check(obj[field]):
            problems.append(_("trường «{field}» {expected}").format(field=where, expected=expected()))


def check_format(obj: object) -> int:
    """The format version of a manifest that is a chibo package's, or PackageError (another format, a newer
    version, a version that is not a number)."""
    if not isinstance(obj, dict):
        raise PackageError(_("Danh sách của gói (manifest.json) không phải một đối tượng JSON."))
    if obj.get("format") != FORMAT_NAME:
        raise PackageError(_("Tệp này không phải gói chibo: trường «format» là «{found}», cần «{expected}».").format(
            found=str(obj.get("format", ""))[:60], expected=FORMAT_NAME))
    version = obj.get("format_version")
    if not _is_int(version) or version < 1:
        raise PackageError(_("Danh sách của gói (manifest.json) không hợp lệ: trường «format_version» phải là số "
                             "nguyên từ 1 trở lên."))
    if version > FORMAT_VERSION:
        raise PackageError(_("Gói được tạo bằng phiên bản chibo mới hơn (định dạng {version}); hãy cập nhật chương "
                             "trình.").format(version=version))
    return version


def validate_manifest(obj: object) -> dict:
    """The manifest, checked against the schema (and upgraded to FORMAT_VERSION when older), or PackageError
    naming every missing or mistyped field."""
    version = check_format(obj)
    while version < FORMAT_VERSION:
        upgrade = UPGRADES.get(version)
        if upgrade is None:
            raise PackageError(_("Gói có định dạng {version} cũ, chương trình không còn đọc được.").format(
                version=version))
        obj = upgrade(obj)
        version += 1
        obj["format_version"] = version
    problems: list[str] = []
    _check_fields(obj, _TOP, "", problems)
    if obj.get("kind") in KINDS and _is_period(obj.get("period")):
        if Period.parse(obj["period"]).kind is not KIND_PERIODS[obj["kind"]]:
            problems.append(_("loại gói «{kind}» không hợp với kỳ «{period}» (trường «kind» và «period»)").format(
                kind=obj["kind"], period=obj["period"]))
    if isinstance(obj.get("source"), dict):
        _check_fields(obj["source"], _SOURCE, "source.", problems)
    if isinstance(obj.get("files"), list):
        seen: set[str] = set()
        for i, item in enumerate(obj["files"]):
            prefix = f"files[{i}]."
            if not isinstance(item, dict):
                problems.append(_("trường «files[{i}]» phải là một đối tượng").format(i=i))
                continue
            _check_fields(item, _FILE, prefix, problems)
            name = item.get("name")
            if not isinstance(name, str):
                continue
            problem = name_problem(name) or (_("tên tệp dành riêng cho gói") if name in RESERVED_NAMES else "")
            if problem:
                problems.append(_("tệp «{name}» ({field}): {problem}").format(
                    name=name, field=prefix + "name", problem=problem))
            elif name in seen:
                problems.append(_("tệp «{name}» có hai lần trong danh sách").format(name=name))
            seen.add(name)
    if problems:
        raise PackageError(_("Danh sách của gói (manifest.json) không hợp lệ: {problems}.").format(
            problems="; ".join(problems)))
    return obj
