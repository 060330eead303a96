"""Gói trả về: the Đảng ủy's signed package back to one cell, and the cell's import of it.

The Đảng ủy builds it for a cell and a year: «đã tiếp nhận» for each of the cell's packages in force (or the
periods chosen), the members' final grades it decided, and the year's criteria sheet when given as a file.
The final grades are the Đảng ủy's input to the builder (a CSV/XLSX with the columns ref, grade, reason, or
`--grade REF=GRADE` options): they are written nowhere else at the Đảng ủy, the package is their record; each
ref must be a member of the cell's review or roster in the package held, and the full name is taken from it.

The cell pins the Đảng ủy's signing key at the first return package (setting «package.superior_key»); a
return package signed with another key later is refused, with both fingerprints. Each accepted package must
be one this cell sent; the final grades are filled in for the members whose id and full name both match
(a mismatch is reported, not applied); then the accepted periods become read-only (app.services.period_lock).
All of it is one transaction.
"""
from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from app.domain import names
from app.domain.package_format import PackageError, canonical_json, parse_json, sha256_hex
from app.domain.report_period import Period, PeriodError
from app.i18n import _
from app.services import cell as cell_service
from app.services import files, keys, package_crypto, package_export, period_lock
from app.services.errors import ServiceError, ValidationFailed
from app.services.superior import require_superior
from app.storage import audit
from app.storage.models import Member, Setting, database
from app.storage.statistics_models import KeyPair, PackageSent, SupCell, SupPackage

SUPERIOR_KEY = "package.superior_key"
GRADES = ("xuat-sac", "tot", "hoan-thanh", "khong-hoan-thanh")
MAX_GRADE_FILE = 5 * 1024 * 1024


@dataclass(frozen=True)
class Built:
    path: Path | None
    data: bytes
    manifest: dict
    package_hash: str
    sequence: int
    accepted: list[dict]
    grades: list[dict]

    def to_json(self) -> dict:
        return {"path": str(self.path) if self.path else None, "package_hash": self.package_hash,
                "sequence": self.sequence, "period": self.manifest["period"], "accepted": self.accepted,
                "final_grades": len(self.grades), "size": len(self.data)}


# --- the Đảng ủy's side -------------------------------------------------------------------------------

def read_grades(path: Path | str) -> dict[str, tuple[str, str]]:
    """ref -> (grade, reason) from a CSV or XLSX whose first row names the columns ref (or «mã»), grade (or
    «xếp loại») and, optionally, reason (or «lý do»)."""
    target = Path(path)
    try:
        raw = target.read_bytes()
    except OSError as exc:
        raise ServiceError(_("Không đọc được tệp {file}: {error}").format(file=target, error=exc.strerror)) from None
    if len(raw) > MAX_GRADE_FILE:
        raise ServiceError(_("Tệp {file} quá lớn cho một bảng xếp loại.").format(file=target))
    if target.suffix.lower() == ".xlsx":
        rows = _xlsx_rows(raw, target)
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ServiceError(_("Tệp {file} không phải chữ UTF-8.").format(file=target)) from None
        rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ServiceError(_("Tệp {file} trống.").format(file=target))
    head = [names.fold(str(c or "")) for c in rows[0]]
    wanted = {"ref": ("ref", "ma", "ma dang vien", "id"), "grade": ("grade", "xep loai", "muc xep loai"),
              "reason": ("reason", "ly do", "ghi chu")}
    index = {}
    for key, options in wanted.items():
        for i, title in enumerate(head):
            if title in options:
                index[key] = i
                break
    if "ref" not in index or "grade" not in index:
        raise ServiceError(_("Tệp {file}: dòng đầu cần có cột «ref» (mã đảng viên) và «grade» (xếp loại).").format(
            file=target))
    out = {}
    lines: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = [str(c).strip() if c is not None else "" for c in row]
        ref = cells[index["ref"]] if index["ref"] < len(cells) else ""
        if not ref:
            continue
        grade = cells[index["grade"]] if index["grade"] < len(cells) else ""
        reason = cells[index["reason"]] if "reason" in index and index["reason"] < len(cells) else ""
        ref = ref.removesuffix(".0")
        if ref in out:
            raise ServiceError(_("Tệp {file}, dòng {n}: mã đảng viên «{ref}» đã có ở dòng {first}; mỗi đảng viên "
                                 "một dòng.").format(file=target, n=number, ref=ref, first=lines[ref]))
        lines[ref] = number
        out[ref] = (_grade_code(grade, _("dòng {n}").format(n=number)), reason)
    return out


def _xlsx_rows(raw: bytes, target: Path) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook is a message
        raise ServiceError(_("Tệp {file} không đọc được dạng Excel (.xlsx).").format(file=target)) from None
    sheet = book.worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _grade_code(text: str, where: str) -> str:
    folded = names.fold(text or "").replace(" ", "-")
    aliases = {"xuat-sac": "xuat-sac", "hoan-thanh-xuat-sac-nhiem-vu": "xuat-sac", "tot": "tot",
               "hoan-thanh-tot-nhiem-vu": "tot", "hoan-thanh": "hoan-thanh", "hoan-thanh-nhiem-vu": "hoan-thanh",
               "khong-hoan-thanh": "khong-hoan-thanh", "khong-hoan-thanh-nhiem-vu": "khong-hoan-thanh"}
    if folded not in aliases:
        raise ServiceError(_("{where}: mức xếp loại «{value}» không có; ghi xuat-sac, tot, hoan-thanh hoặc "
                             "khong-hoan-thanh.").format(where=where, value=text))
    return aliases[folded]


def parse_grade_option(text: str) -> tuple[str, str]:
    """«REF=GRADE» of the command line."""
    ref, sep, grade = (text or "").partition("=")
    if not sep or not ref.strip():
        raise ServiceError(_("--grade «{value}»: ghi dạng MÃ=XẾP_LOẠI, ví dụ 12=tot.").format(value=text))
    return ref.strip(), _grade_code(grade.strip(), f"--grade {text}")


def _members_held(cell: SupCell, year: int) -> dict[str, str]:
    """ref -> full name from the cell's packages in force for the year (its review list, else its roster)."""
    out: dict[str, str] = {}
    query = (SupPackage.select().where((SupPackage.cell == cell.id) & SupPackage.replaced_by.is_null())
             .order_by(SupPackage.sequence))
    for package in query:
        try:
            period = Period.parse(package.period)
        except PeriodError:
            continue
        if period.year != year:
            continue
        data = json.loads(package.data)
        for member in data.get("members") or []:
            out[member["ref"]] = member["full_name"]
        review = data.get("review") or {}
        for member in review.get("members") or []:
            out[member["ref"]] = member["full_name"]
    return out


def build_return(cell_code: str, year: int | None = None, periods: list[str] | None = None,
                 path: Path | str | None = None, passphrase: str | None = None,
                 grades: dict[str, tuple[str, str] | str] | None = None, criteria_file: Path | str | None = None,
                 today: dt.date | None = None) -> Built:
    """Build, sign and write the return package for one cell; the package is recorded as sent by this
    installation (its sequence), in one transaction with the file written whole."""
    info = require_superior()
    today = today or dt.date.today()
    cell = SupCell.get_or_none(SupCell.code == (cell_code or "").strip())
    if cell is None:
        raise ServiceError(_("Không có chi bộ mã «{code}» trong dữ liệu của Đảng ủy (xem chibo superior "
                             "cells).").format(code=cell_code))
    if passphrase is not None and len(passphrase) < 8:
        raise ServiceError(_("Mật khẩu của gói cần ít nhất 8 ký tự."))
    current = list(SupPackage.select().where((SupPackage.cell == cell.id) & SupPackage.replaced_by.is_null())
                   .order_by(SupPackage.id))
    if periods:
        chosen = []
        for text in periods:
            found = [p for p in current if p.period == text]
            if not found:
                raise ServiceError(_("Chi bộ «{name}» chưa gửi gói nào của kỳ «{period}».").format(
                    name=cell.name, period=text))
            chosen += found
    elif year is not None:
        chosen = [p for p in current if _year_of(p.period) == year]
    else:
        chosen = current
    if year is None:
        years = {_year_of(p.period) for p in chosen} - {None}
        if len(years) != 1:
            raise ServiceError(_("Hãy ghi năm của gói trả về (--year)."))
        year = years.pop()
    accepted = [{"period": p.period, "package_hash": p.package_hash, "accepted_on": today.isoformat()}
                for p in chosen]
    final = _final_grades(cell, year, grades or {})
    if not accepted and not final:
        raise ServiceError(_("Không có gì để trả về cho chi bộ «{name}» năm {year}: chưa nhận gói nào và chưa có "
                             "kết quả xếp loại.").format(name=cell.name, year=year))
    out_files: dict[str, bytes] = {}
    criteria = None
    if criteria_file is not None:
        source = Path(criteria_file)
        try:
            content = source.read_bytes()
        except OSError as exc:
            raise ServiceError(_("Không đọc được tệp {file}: {error}").format(file=source,
                                                                             error=exc.strerror)) from None
        name = "criteria/" + names.normalize_text(source.name).replace("\\", "_")
        out_files[name] = content
        criteria = {"file": name, "sha256": sha256_hex(content)}
    data = {"cell": {"code": cell.code, "name": cell.name}, "superior": {"name": info.name},
            "year": year, "accepted": accepted,
            "final_grades": {"year": year, "members": final} if final else None, "criteria": criteria}
    out_files["data.json"] = canonical_json(data)
    with database.atomic():
        installation = keys.installation_id()
        sequence, previous = package_export.next_sequence(installation)
        manifest = {
            "format": "chibo-package", "format_version": 1, "program_version": package_export.program_version(),
            "created_at": dt.datetime.now().astimezone().replace(microsecond=0).isoformat(), "kind": "return",
            "period": str(year),
            "source": {"unit": "superior", "name": info.name, "code": "", "superior_name": info.superior_name,
                       "installation_id": installation, "sequence": sequence, "previous_package": previous},
            "privacy": "roster" if final else "aggregate", "rule_sets": dict(package_export.RULE_SETS),
            "history_last_hash": audit.last_hash(),
        }
        try:
            signed = package_crypto.build(manifest, out_files, keys.signing_key())
            out = package_crypto.encrypt_with_passphrase(signed, passphrase) if passphrase else signed
        except PackageError as exc:
            raise ServiceError(str(exc)) from None
        package_hash = sha256_hex(signed)
        target = Path(path) if path is not None else None
        if target is not None:
            files.write_export(target, out)
        PackageSent.create(installation_id=installation, sequence=sequence, period=str(year), kind="return",
                           privacy=manifest["privacy"], package_hash=package_hash, prev_hash=previous,
                           file_name=target.name if target else "")
        audit.record("superior", cell.id, "return",
                     {"cell_code": [None, cell.code], "year": [None, year], "package_hash": [None, package_hash],
                      "accepted": [None, len(accepted)], "final_grades": [None, len(final)]})
    return Built(target, out, manifest, package_hash, sequence, accepted, final)


def _year_of(period: str) -> int | None:
    try:
        return Period.parse(period).year
    except PeriodError:
        return None


def _final_grades(cell: SupCell, year: int, grades: dict) -> list[dict]:
    if not grades:
        return []
    held = _members_held(cell, year)
    if not held:
        raise ServiceError(_("Chi bộ «{name}» chưa gửi gói có danh sách đảng viên của năm {year} (mức roster hoặc "
                             "full): không biết họ tên để ghi kết quả xếp loại.").format(name=cell.name, year=year))
    out = []
    for ref, value in sorted(grades.items(), key=lambda kv: (len(str(kv[0])), str(kv[0]))):
        grade, reason = (value, "") if isinstance(value, str) else value
        grade = _grade_code(grade, f"{ref}")
        ref = str(ref)
        if ref not in held:
            raise ServiceError(_("Mã đảng viên «{ref}» không có trong gói chi bộ «{name}» đã gửi năm {year}.").format(
                ref=ref, name=cell.name, year=year))
        out.append({"ref": ref, "full_name": held[ref], "grade": grade,
                    "reason": names.normalize_text(reason or "")})
    return out


# --- the cell's side ----------------------------------------------------------------------------------

@dataclass
class ReturnOutcome:
    superior_name: str
    fingerprint: str
    pinned_now: bool
    year: int
    dry_run: bool
    accepted: list[dict] = field(default_factory=list)
    grades: list[dict] = field(default_factory=list)
    criteria: str | None = None

    def to_json(self) -> dict:
        return {"superior_name": self.superior_name, "fingerprint": self.fingerprint, "pinned_now": self.pinned_now,
                "year": self.year, "dry_run": self.dry_run, "accepted": self.accepted, "grades": self.grades,
                "criteria": self.criteria}


class _DryRun(Exception):
    pass


def pinned_superior() -> dict | None:
    row = Setting.get_or_none(Setting.key == SUPERIOR_KEY)
    if row is None:
        return None
    try:
        value = json.loads(row.value)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, dict) and value.get("public_key") else None


def _names_match(a: str, b: str) -> bool:
    return names.fold(a or "").split() == names.fold(b or "").split()


def _return_data(opened: package_crypto.OpenedPackage) -> dict:
    bad = ServiceError(_("Gói trả về không đúng mẫu: tệp «data.json» thiếu hoặc hỏng."))
    raw = opened.files.get("data.json")
    if raw is None:
        raise bad
    try:
        data = parse_json(raw)
    except PackageError as exc:
        raise ServiceError(_("Gói trả về không đúng mẫu: tệp «data.json» bị hỏng: {reason}.").format(
            reason=exc)) from None
    problems = []
    if not isinstance(data, dict):
        raise bad
    if not isinstance(data.get("cell"), dict) or not isinstance(data["cell"].get("code"), str):
        problems.append("cell.code")
    year = data.get("year")
    if not _is_int(year) or str(year) != opened.manifest["period"]:
        problems.append("year")
    accepted = data.get("accepted")
    if not isinstance(accepted, list) or not all(
            isinstance(a, dict) and all(isinstance(a.get(k), str) for k in ("period", "package_hash", "accepted_on"))
            for a in accepted):
        problems.append("accepted")
    final = data.get("final_grades")
    if final is not None and (not isinstance(final, dict) or not isinstance(final.get("members"), list) or not all(
            isinstance(m, dict) and all(isinstance(m.get(k), str) for k in ("ref", "full_name", "grade"))
            and m["grade"] in GRADES and m["ref"].isascii() and m["ref"].isdigit()
            and isinstance(m.get("reason", ""), str) for m in final["members"])
            or final.get("year", year) != year
            or len({m["ref"] for m in final["members"]}) != len(final["members"])):
        problems.append("final_grades")
    if problems:
        raise ServiceError(_("Gói trả về không đúng mẫu: khóa {keys} thiếu hoặc sai kiểu. Không ghi gì.").format(
            keys=", ".join(f"«{p}»" for p in problems)))
    return data


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _replay_problem(pinned: dict | None, source: dict, package_hash: str) -> str:
    """Why a return package is older than one already taken from the same installation of the Đảng ủy."""
    if pinned is None or pinned.get("installation_id") != source["installation_id"]:
        return ""
    held = pinned.get("sequence")
    if not _is_int(held) or source["sequence"] > held or package_hash in (pinned.get("hashes") or []):
        return ""
    return _("Gói trả về số {n} cũ hơn (hoặc trùng số với) gói số {held} đã nhận của {name}; không nhận, để kết quả "
             "mới hơn không bị ghi đè. Hãy xin Đảng ủy gói mới nhất.").format(
        n=source["sequence"], held=held, name=pinned.get("name", ""))


def import_return(data: bytes, passphrase: str | None = None, dry_run: bool = False) -> ReturnOutcome:
    """Verify the Đảng ủy's return package and apply it at the cell, in one transaction (none with dry_run)."""
    info = cell_service.get_cell()
    if info is None or cell_service.is_superior():
        raise ServiceError(_("Gói trả về của Đảng ủy chỉ nhập ở tệp dữ liệu của chi bộ."))
    exchange = keys.exchange_key() if KeyPair.get_or_none(KeyPair.purpose == keys.EXCHANGE) is not None else None
    try:
        opened = package_crypto.open_package(bytes(data), passphrase=passphrase, exchange_key=exchange)
    except PackageError as exc:
        raise ServiceError(_("Không nhận gói: {reason}").format(reason=exc)) from None
    manifest = opened.manifest
    if manifest["kind"] != "return" or manifest["source"]["unit"] != "superior":
        raise ServiceError(_("Đây không phải gói trả về của Đảng ủy (loại «{kind}», đơn vị «{unit}»); ở chi bộ chỉ "
                             "nhập gói trả về.").format(kind=manifest["kind"], unit=manifest["source"]["unit"]))
    content = _return_data(opened)
    if content["cell"]["code"] != info.code:
        raise ServiceError(_("Gói trả về này dành cho chi bộ mã «{code}» ({name}), không phải chi bộ này (mã "
                             "«{ours}»).").format(code=content["cell"]["code"], name=content["cell"].get("name", ""),
                                                  ours=info.code))
    superior_name = manifest["source"]["name"]
    key = base64.b64encode(opened.public_key).decode("ascii")
    pinned = pinned_superior()
    if pinned is not None and pinned["public_key"] != key:
        raise ServiceError(_("Gói trả về ký bằng một khóa khác với khóa Đảng ủy đã ghi nhận: dấu vân tay của gói "
                             "{found}, đã ghi nhận {pinned}. Không nhận gói; hãy hỏi lại Đảng ủy.").format(
            found=opened.fingerprint, pinned=pinned.get("fingerprint", "")))
    replay = _replay_problem(pinned, manifest["source"], opened.package_hash)
    if replay:
        raise ServiceError(replay)
    year = content["year"]
    outcome = ReturnOutcome(superior_name=superior_name, fingerprint=opened.fingerprint, pinned_now=pinned is None,
                            year=year, dry_run=dry_run, criteria=(content.get("criteria") or {}).get("file"))
    try:
        with database.atomic():
            source = manifest["source"]
            value = {**(pinned or {}), "public_key": key, "fingerprint": opened.fingerprint, "name": superior_name}
            held = value.get("sequence") if value.get("installation_id") == source["installation_id"] else None
            if not _is_int(held) or source["sequence"] > held:
                value.update(installation_id=source["installation_id"], sequence=source["sequence"],
                             hashes=[opened.package_hash])
            elif opened.package_hash not in value.get("hashes", []):
                value["hashes"] = [*value.get("hashes", []), opened.package_hash]
            if pinned is None:
                Setting.insert(key=SUPERIOR_KEY, value=json.dumps(value, ensure_ascii=False)).execute()
                audit.record("setting", None, "update", {SUPERIOR_KEY: [None, opened.fingerprint]})
            elif value != pinned:
                Setting.update(value=json.dumps(value, ensure_ascii=False)).where(
                    Setting.key == SUPERIOR_KEY).execute()
            final = content.get("final_grades") or {}
            for entry in final.get("members") or []:
                outcome.grades.append(_apply_grade(year, entry, superior_name))
            sent = {p.package_hash: p for p in PackageSent.select()}
            for item in content["accepted"]:
                outcome.accepted.append(_accept(item, sent, superior_name))
            audit.record("package", None, "return",
                         {"superior": [None, superior_name], "year": [None, year],
                          "accepted": [None, sum(1 for a in outcome.accepted if a["status"] == "recorded")],
                          "final_grades": [None, sum(1 for g in outcome.grades if g["status"] == "applied")]})
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return outcome


def _apply_grade(year: int, entry: dict, superior_name: str) -> dict:
    from app.services import review

    shown = {"ref": entry["ref"], "full_name": entry["full_name"], "grade": entry["grade"]}
    ref = entry["ref"]
    member = Member.get_or_none(Member.id == int(ref)) if ref.isascii() and ref.isdigit() and len(ref) < 16 else None
    if member is None:
        return {**shown, "status": "mismatch", "message": _("không có đảng viên mã {ref} ở chi bộ").format(
            ref=entry["ref"])}
    if not _names_match(member.full_name, entry["full_name"]):
        return {**shown, "status": "mismatch", "message": _("mã {ref} ở chi bộ là «{here}», gói ghi «{there}»").format(
            ref=entry["ref"], here=member.full_name, there=entry["full_name"])}
    try:
        review.set_review(year, member.id, final_grade=entry["grade"], final_reason=entry.get("reason") or "",
                          reason=_("Theo gói trả về của {superior}").format(superior=superior_name))
    except ValidationFailed as exc:
        return {**shown, "status": "error", "message": "; ".join(str(i) for i in exc.issues)}
    except ServiceError as exc:
        return {**shown, "status": "error", "message": str(exc)}
    return {**shown, "status": "applied", "message": ""}


def _accept(item: dict, sent: dict, superior_name: str) -> dict:
    shown = {"period": item["period"], "package_hash": item["package_hash"]}
    package = sent.get(item["package_hash"])
    if package is None or package.period != item["period"]:
        return {**shown, "status": "unknown", "message": _("chi bộ không gửi gói này (mã băm {hash}…)").format(
            hash=item["package_hash"][:16])}
    try:
        day = dt.date.fromisoformat(item["accepted_on"])
    except ValueError:
        return {**shown, "status": "unknown", "message": _("ngày tiếp nhận «{value}» không đúng").format(
            value=item["accepted_on"])}
    recorded = period_lock.record_acceptance(item["period"], item["package_hash"], day, superior_name)
    return {**shown, "status": "recorded" if recorded else "already", "message": ""}
