"""Importing a cell's package at the Đảng ủy: open and verify it, say what it would do (the dry run), then do
it in one transaction.

A package is classified as
- «new»: a cell not known yet (its signing key and installation are pinned), or a period a known cell had not
  sent yet;
- «unchanged»: the very package (same hash) is already here; nothing changes;
- «updated»: the same cell and installation sent the period again with a higher sequence: it replaces the
  period's data and the old package keeps a pointer to the new one;
- «older»: a lower sequence than the one held for the period: refused, nothing changes;
- «conflict»: a known cell's code from another installation or signed with another key: the package is kept
  aside with the reason until the Đảng ủy accepts it (the cell's key is pinned again) or rejects it.
A package that does not open, whose signature or hashes do not match, or whose data does not fit the schema,
is rejected whole with the reason; nothing is imported.
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field

from app.domain import names
from app.domain.package_format import PackageError, canonical_json
from app.i18n import _
from app.services import keys, package_crypto
from app.services.errors import ServiceError
from app.services.superior import require_superior
from app.storage import audit
from app.storage.models import database, now
from app.storage.statistics_models import KeyPair, SupCell, SupConflict, SupPackage

NEW, UNCHANGED, UPDATED, OLDER, CONFLICT = "new", "unchanged", "updated", "older", "conflict"
CELL_KINDS = ("monthly", "quarterly", "yearly", "review")


@dataclass
class ImportPlan:
    """What importing one package would do; apply() does it."""

    status: str
    cell_code: str
    cell_name: str
    period: str
    kind: str
    privacy: str
    sequence: int
    installation_id: str
    package_hash: str
    fingerprint: str
    new_cell: bool = False
    replaces_sequence: int | None = None
    held_sequence: int | None = None
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    manifest: dict = field(default_factory=dict, repr=False)
    data: dict = field(default_factory=dict, repr=False)
    public_key: bytes = field(default=b"", repr=False)
    raw: bytes = field(default=b"", repr=False)

    @property
    def message(self) -> str:
        where = _("{name} (mã {code}), kỳ {period}, gói số {sequence}").format(
            name=self.cell_name, code=self.cell_code, period=self.period, sequence=self.sequence)
        if self.status == NEW:
            if self.new_cell:
                return _("Chi bộ mới: {where}. Dấu vân tay khóa ký {fp} sẽ được ghi nhận; hãy đối chiếu với chi bộ "
                         "qua điện thoại hoặc trên giấy.").format(where=where, fp=self.fingerprint)
            return _("Kỳ mới: {where}.").format(where=where)
        if self.status == UNCHANGED:
            return _("Đã nhận gói này trước đây: {where}; không có gì thay đổi.").format(where=where)
        if self.status == UPDATED:
            return _("Gói cập nhật: {where} thay cho gói số {old} đã nhận của kỳ này.").format(
                where=where, old=self.replaces_sequence)
        if self.status == OLDER:
            return _("Gói cũ hơn: {where}, nhưng đã có gói số {held} của kỳ này; không nhận.").format(
                where=where, held=self.held_sequence)
        return _("Xung đột: {where}. {reason} Gói được giữ lại chờ Đảng ủy quyết định (chibo superior "
                 "conflicts).").format(where=where, reason=self.reason)

    def to_json(self) -> dict:
        return {"status": self.status, "message": self.message, "cell_code": self.cell_code,
                "cell_name": self.cell_name, "period": self.period, "kind": self.kind, "privacy": self.privacy,
                "sequence": self.sequence, "installation_id": self.installation_id,
                "package_hash": self.package_hash, "fingerprint": self.fingerprint, "new_cell": self.new_cell,
                "replaces_sequence": self.replaces_sequence, "held_sequence": self.held_sequence,
                "reason": self.reason, "warnings": list(self.warnings)}


@dataclass(frozen=True)
class Outcome:
    plan: ImportPlan
    applied: bool
    package_id: int | None = None
    conflict_id: int | None = None

    def to_json(self) -> dict:
        return {**self.plan.to_json(), "applied": self.applied, "package_id": self.package_id,
                "conflict_id": self.conflict_id}


# --- the light schema of data.json ------------------------------------------------------------------

def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int_or_none(value) -> bool:
    return value is None or _is_int(value)


def _str_or_none(value) -> bool:
    return value is None or isinstance(value, str)


_TYPE_TEXT = {dict: lambda: _("một đối tượng"), list: lambda: _("một danh sách"), str: lambda: _("chữ"),
              "int": lambda: _("số nguyên"), "int?": lambda: _("số nguyên hoặc để trống"),
              "str?": lambda: _("chữ hoặc để trống")}
_CHECKS = {dict: lambda v: isinstance(v, dict), list: lambda v: isinstance(v, list), str: lambda v: isinstance(v, str),
           "int": _is_int, "int?": _int_or_none, "str?": _str_or_none}


class _Bad(Exception):
    pass


def _need(obj: dict, key: str, kind, where: str, optional: bool = False):
    path = f"{where}.{key}" if where else key
    if key not in obj:
        if optional:
            return None
        raise _Bad(_("thiếu khóa «{key}»").format(key=path))
    value = obj[key]
    if not _CHECKS[kind](value):
        raise _Bad(_("khóa «{key}» phải là {kind}").format(key=path, kind=_TYPE_TEXT[kind]()))
    return value


def _items(obj: dict, key: str, where: str, fields: dict, optional: bool = False) -> None:
    values = _need(obj, key, list, where, optional)
    for i, item in enumerate(values or []):
        at = f"{where + '.' if where else ''}{key}[{i}]"
        if not isinstance(item, dict):
            raise _Bad(_("khóa «{key}» phải là {kind}").format(key=at, kind=_TYPE_TEXT[dict]()))
        for name, kind in fields.items():
            _need(item, name, kind, at)


def check_data(data: object, manifest: dict) -> dict:
    """data.json checked for the keys the consolidation reads, or ServiceError naming the key at fault."""
    try:
        if not isinstance(data, dict):
            raise _Bad(_("tệp không phải một đối tượng JSON"))
        cell = _need(data, "cell", dict, "")
        _need(cell, "name", str, "cell")
        _need(cell, "code", str, "cell")
        period = _need(data, "period", str, "")
        if period != manifest["period"]:
            raise _Bad(_("khóa «period» ({found}) khác kỳ ghi trong danh sách của gói ({period})").format(
                found=period, period=manifest["period"]))
        if cell["code"] != manifest["source"]["code"]:
            raise _Bad(_("khóa «cell.code» khác mã chi bộ ghi trong danh sách của gói"))
        stats = _need(data, "statistics", dict, "")
        for code, form in stats.items():
            where = f"statistics.{code}"
            if not isinstance(form, dict):
                raise _Bad(_("khóa «{key}» phải là {kind}").format(key=where, kind=_TYPE_TEXT[dict]()))
            _items(form, "rows", where, {"code": str, "current": "int?", "previous": "int?"})
        counts = _need(data, "status_counts", dict, "")
        for status, count in counts.items():
            if not _is_int(count):
                raise _Bad(_("khóa «{key}» phải là {kind}").format(key=f"status_counts.{status}",
                                                                   kind=_TYPE_TEXT["int"]()))
        _items(data, "attendance", "", {"month": str, "present": "int", "rate_base": "int", "total": "int"})
        _items(data, "fees", "", {"month": str, "collected": "int", "kept": "int", "remitted": "int",
                                  "to_remit": "int"})
        if "review" not in data:
            raise _Bad(_("thiếu khóa «{key}»").format(key="review"))
        review = data["review"]
        if review is not None:
            if not isinstance(review, dict):
                raise _Bad(_("khóa «{key}» phải là {kind}").format(key="review", kind=_TYPE_TEXT[dict]()))
            _need(review, "year", "int", "review")
            summary = _need(review, "summary", dict, "review")
            _items(summary, "grades", "review.summary", {"grade": str, "proposed": "int", "final": "int"})
            _need(summary, "reviewed", "int", "review.summary")
            _items(review, "members", "review", {"ref": str, "full_name": str, "final_grade": "str?",
                                                 "proposed_grade": "str?"}, optional=True)
        if manifest["privacy"] != "aggregate" or "members" in data:
            _items(data, "members", "", {"ref": str, "full_name": str, "status": str, "card_number": "str?",
                                         "birth_date": "str?", "status_history": list})
            for i, member in enumerate(data["members"]):
                _items(member, "status_history", f"members[{i}]", {"status": str, "date": str})
    except _Bad as exc:
        raise ServiceError(_("Dữ liệu của gói (data.json) không đúng mẫu: {problem}. Không nhận gói nào.").format(
            problem=exc)) from None
    return data


# --- opening and classifying ------------------------------------------------------------------------

def _exchange_key():
    return keys.exchange_key() if KeyPair.get_or_none(KeyPair.purpose == keys.EXCHANGE) is not None else None


def _open(data: bytes, passphrase: str | None) -> package_crypto.OpenedPackage:
    try:
        return package_crypto.open_package(bytes(data), passphrase=passphrase, exchange_key=_exchange_key())
    except PackageError as exc:
        raise ServiceError(_("Không nhận gói: {reason}").format(reason=exc)) from None


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _same_body(written: str, ours: str) -> bool:
    """Names are typed by hand: the same once folded, or one inside the other."""
    a, b = names.fold(written or ""), names.fold(ours or "")
    if not a or not b:
        return True
    return a == b or a in b or b in a or _core(a) == _core(b)


def _core(folded: str) -> str:
    for prefix in ("dang uy ", "dang bo ", "ban thuong vu ", "chi uy "):
        folded = folded.removeprefix(prefix)
    return folded.strip()


def _missing_warning(plan: ImportPlan, previous: str) -> None:
    held = {p.sequence: p.package_hash for p in SupPackage.select(SupPackage.sequence, SupPackage.package_hash)
            .where(SupPackage.installation_id == plan.installation_id)}
    if (plan.sequence == 1 and previous == "") or previous in held.values():
        return
    missing = [n for n in range(1, plan.sequence) if n not in held]
    if missing:
        shown = ", ".join(str(n) for n in missing[:20]) + ("…" if len(missing) > 20 else "")
        plan.warnings.append(_("Chưa nhận đủ các gói trước của chi bộ: thiếu gói số {numbers}.").format(
            numbers=shown))
    else:
        plan.warnings.append(_("Gói liền trước mà gói này ghi không khớp với gói số {n} đã nhận.").format(
            n=plan.sequence - 1))


def _plan(opened: package_crypto.OpenedPackage, raw: bytes) -> ImportPlan:
    info = require_superior()
    manifest = opened.manifest
    source = manifest["source"]
    if source["unit"] != "cell" or manifest["kind"] not in CELL_KINDS:
        raise ServiceError(_("Không nhận gói: đây không phải gói của một chi bộ gửi lên (đơn vị «{unit}», loại "
                             "«{kind}»).").format(unit=source["unit"], kind=manifest["kind"]))
    code = source["code"].strip()
    if not code:
        raise ServiceError(_("Không nhận gói của «{name}»: chi bộ chưa ghi mã tổ chức đảng; hãy nhờ chi bộ ghi mã "
                             "trong thông tin chi bộ rồi lập lại gói.").format(name=source["name"]))
    if "data.json" not in opened.files:
        raise ServiceError(_("Không nhận gói: thiếu tệp «data.json»."))
    try:
        data = json.loads(opened.files["data.json"].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ServiceError(_("Không nhận gói: tệp «data.json» không đọc được dạng JSON.")) from None
    data = check_data(data, manifest)
    plan = ImportPlan(status=NEW, cell_code=code, cell_name=source["name"], period=manifest["period"],
                      kind=manifest["kind"], privacy=manifest["privacy"], sequence=source["sequence"],
                      installation_id=source["installation_id"], package_hash=opened.package_hash,
                      fingerprint=opened.fingerprint, manifest=manifest, data=data, public_key=opened.public_key,
                      raw=bytes(raw))
    if not _same_body(source["superior_name"], info.name):
        plan.warnings.append(_("Gói ghi cấp trên là «{written}», không phải «{ours}»; hãy xem lại có đúng chi bộ "
                               "trực thuộc không.").format(written=source["superior_name"], ours=info.name))
    if SupPackage.select().where(SupPackage.package_hash == plan.package_hash).exists():
        plan.status = UNCHANGED
        return plan
    cell = SupCell.get_or_none(SupCell.code == code)
    key = _b64(opened.public_key)
    if cell is None:
        plan.new_cell = True
        other = SupCell.get_or_none(SupCell.public_key == key)
        if other is not None:
            plan.warnings.append(_("Khóa ký này đã là của chi bộ «{name}» (mã {code}); xem lại chi bộ có đổi mã "
                                   "không.").format(name=other.name, code=other.code))
        _missing_warning(plan, source["previous_package"])
        return plan
    reasons = []
    if cell.installation_id != plan.installation_id:
        reasons.append(_("gói đến từ một máy khác (mã cài đặt {found}, đã ghi nhận {pinned})").format(
            found=plan.installation_id, pinned=cell.installation_id))
    if cell.public_key != key:
        reasons.append(_("gói ký bằng một khóa khác (dấu vân tay {found}, đã ghi nhận {pinned})").format(
            found=opened.fingerprint, pinned=cell.fingerprint))
    if reasons:
        plan.status = CONFLICT
        plan.reason = _("Chi bộ mã {code} đã được ghi nhận nhưng {reasons}.").format(
            code=code, reasons="; ".join(reasons))
        return plan
    held = _held(cell.id, plan.period, plan.kind)
    if held is not None:
        if plan.sequence > held.sequence:
            plan.status, plan.replaces_sequence = UPDATED, held.sequence
        else:
            plan.status, plan.held_sequence = OLDER, held.sequence
            if plan.sequence == held.sequence:
                plan.warnings.append(_("Gói số {n} đã nhận có nội dung khác gói này.").format(n=held.sequence))
            return plan
    _missing_warning(plan, source["previous_package"])
    return plan


def _held(cell_id: int, period: str, kind: str) -> SupPackage | None:
    return (SupPackage.select().where((SupPackage.cell == cell_id) & (SupPackage.period == period)
                                      & (SupPackage.kind == kind) & SupPackage.replaced_by.is_null())
            .order_by(SupPackage.sequence.desc()).first())


def preview(data: bytes, passphrase: str | None = None) -> ImportPlan:
    """What importing the package would do; nothing is written."""
    require_superior()
    return _plan(_open(data, passphrase), data)


# --- applying ---------------------------------------------------------------------------------------

def _store(plan: ImportPlan, cell: SupCell) -> int:
    manifest_text = canonical_json(plan.manifest).decode("utf-8")
    data_text = canonical_json(plan.data).decode("utf-8")
    row = SupPackage.create(cell=cell.id, installation_id=plan.installation_id, sequence=plan.sequence,
                            period=plan.period, kind=plan.kind, privacy=plan.privacy,
                            package_hash=plan.package_hash, prev_hash=plan.manifest["source"]["previous_package"],
                            created_at=plan.manifest["created_at"], manifest=manifest_text, data=data_text)
    old = None
    if plan.status == UPDATED or plan.reason:
        old = _held_except(cell.id, plan.period, plan.kind, row.id)
    if old is not None:
        SupPackage.update(replaced_by=row.id).where(SupPackage.id == old.id).execute()
    return row.id


def _held_except(cell_id: int, period: str, kind: str, new_id: int) -> SupPackage | None:
    return (SupPackage.select().where((SupPackage.cell == cell_id) & (SupPackage.period == period)
                                      & (SupPackage.kind == kind) & SupPackage.replaced_by.is_null()
                                      & (SupPackage.id != new_id))
            .order_by(SupPackage.sequence.desc()).first())


def _pin(plan: ImportPlan) -> SupCell:
    key = _b64(plan.public_key)
    cell = SupCell.get_or_none(SupCell.code == plan.cell_code)
    if cell is None:
        return SupCell.create(code=plan.cell_code, name=plan.cell_name, installation_id=plan.installation_id,
                              public_key=key, fingerprint=plan.fingerprint)
    SupCell.update(name=plan.cell_name, installation_id=plan.installation_id, public_key=key,
                   fingerprint=plan.fingerprint).where(SupCell.id == cell.id).execute()
    return SupCell.get_by_id(cell.id)


def _audit(plan: ImportPlan, entity_id: int | None, extra: dict | None = None) -> None:
    audit.record("superior", entity_id, "import",
                 {"status": [None, plan.status], "cell_code": [None, plan.cell_code], "period": [None, plan.period],
                  "sequence": [None, plan.sequence], "package_hash": [None, plan.package_hash], **(extra or {})})


def apply(plan: ImportPlan) -> Outcome:
    """Do what the plan says, in one transaction; an «unchanged» or «older» plan writes nothing."""
    require_superior()
    with database.atomic():
        # Classified again inside the transaction: another import may have landed since the preview.
        fresh = _plan(_reopened(plan), plan.raw)
        fresh.warnings = list(dict.fromkeys([*plan.warnings, *fresh.warnings]))
        plan = fresh
        if plan.status in (UNCHANGED, OLDER):
            return Outcome(plan, applied=False)
        if plan.status == CONFLICT:
            kept = SupConflict.get_or_none((SupConflict.package_hash == plan.package_hash)
                                           & SupConflict.resolved_at.is_null())
            if kept is not None:
                return Outcome(plan, applied=False, conflict_id=kept.id)
            row = SupConflict.create(package_hash=plan.package_hash, cell_code=plan.cell_code,
                                     cell_name=plan.cell_name, installation_id=plan.installation_id,
                                     public_key=_b64(plan.public_key), fingerprint=plan.fingerprint,
                                     reason=plan.reason, package=plan.raw)
            _audit(plan, row.id, {"conflict": [None, plan.reason]})
            return Outcome(plan, applied=True, conflict_id=row.id)
        cell = _pin(plan) if plan.new_cell else SupCell.get(SupCell.code == plan.cell_code)
        if not plan.new_cell and cell.name != plan.cell_name:
            SupCell.update(name=plan.cell_name).where(SupCell.id == cell.id).execute()
        package_id = _store(plan, cell)
        _audit(plan, package_id, {"replaces_sequence": [None, plan.replaces_sequence]}
               if plan.replaces_sequence else None)
    return Outcome(plan, applied=True, package_id=package_id)


def _reopened(plan: ImportPlan) -> package_crypto.OpenedPackage:
    """The opened package the plan was made from (its checks already passed), without a passphrase again."""
    return package_crypto.OpenedPackage(manifest=plan.manifest, files={"data.json": canonical_json(plan.data)},
                                        public_key=plan.public_key, fingerprint=plan.fingerprint,
                                        package_hash=plan.package_hash, encrypted="")


def import_package(data: bytes, dry_run: bool = False, passphrase: str | None = None) -> Outcome:
    """Preview, and apply unless dry_run."""
    plan = preview(data, passphrase)
    if dry_run:
        return Outcome(plan, applied=False)
    return apply(plan)


# --- conflicts --------------------------------------------------------------------------------------

def resolve_conflict(conflict_id: int, accept: bool, passphrase: str | None = None,
                     reason: str = "") -> Outcome | None:
    """Accept (the cell's key and installation are pinned again and the package imported) or reject (marked
    resolved, nothing imported) a package kept aside as a conflict."""
    require_superior()
    row = SupConflict.get_or_none(SupConflict.id == conflict_id)
    if row is None:
        raise ServiceError(_("Không có xung đột số {id}.").format(id=conflict_id))
    if row.resolved_at is not None:
        raise ServiceError(_("Xung đột số {id} đã được giải quyết ({how}).").format(id=conflict_id,
                                                                                    how=row.resolution))
    if not accept:
        with database.atomic():
            SupConflict.update(resolved_at=now(), resolution="rejected").where(SupConflict.id == row.id).execute()
            audit.record("superior", row.id, "conflict", {"cell_code": [None, row.cell_code],
                                                          "resolution": [None, "rejected"]}, reason)
        return None
    opened = _open(bytes(row.package), passphrase)
    with database.atomic():
        plan = _plan(opened, bytes(row.package))
        if plan.status == CONFLICT:
            cell = SupCell.get(SupCell.code == plan.cell_code)
            plan.reason = _("Đảng ủy chấp nhận máy và khóa mới của chi bộ (khóa cũ {old}).").format(
                old=cell.fingerprint)
            plan.new_cell = True  # pinned again
            held = _held(cell.id, plan.period, plan.kind)
            plan.status = UPDATED if held is not None else NEW
            plan.replaces_sequence = held.sequence if held is not None else None
            _pin(plan)
            package_id = _store(plan, SupCell.get_by_id(cell.id))
        elif plan.status in (NEW, UPDATED):
            cell = _pin(plan) if plan.new_cell else SupCell.get(SupCell.code == plan.cell_code)
            package_id = _store(plan, cell)
        else:
            package_id = None
        SupConflict.update(resolved_at=now(), resolution="accepted").where(SupConflict.id == row.id).execute()
        audit.record("superior", row.id, "conflict", {"cell_code": [None, row.cell_code],
                                                      "resolution": [None, "accepted"],
                                                      "package_hash": [None, row.package_hash]}, reason)
        if package_id is not None:
            _audit(plan, package_id)
    return Outcome(plan, applied=package_id is not None, package_id=package_id)
