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
import datetime as dt
from dataclasses import dataclass, field

from app.domain import names
from app.domain.consolidate import GRADES as GRADE_CODES
from app.domain.members import MemberStatus
from app.domain.package_format import PackageError, canonical_json, parse_json
from app.domain.report_period import Period, PeriodError, PeriodKind
from app.domain.stat_forms import FORMS
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


# --- the schema of data.json ------------------------------------------------------------------------

# Bounds on what a cell's numbers may be: a count of people (or a sum of their ages), and an amount in đồng.
MAX_COUNT = 10_000_000
MAX_MONEY = 10**13
MAX_TEXT = 300
STATUSES = frozenset(s.value for s in MemberStatus)
GRADES = frozenset(GRADE_CODES)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(value) -> bool:
    return _is_int(value) and 0 <= value <= MAX_COUNT


def _is_date(value) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _text(value) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT


_TYPE_TEXT = {dict: lambda: _("một đối tượng"), list: lambda: _("một danh sách"), str: lambda: _("chữ"),
              "count": lambda: _("số nguyên từ 0 đến {n}").format(n=MAX_COUNT),
              "count?": lambda: _("số nguyên từ 0 đến {n} hoặc để trống").format(n=MAX_COUNT),
              "money": lambda: _("số đồng nguyên từ 0 đến {n}").format(n=MAX_MONEY),
              "text": lambda: _("chữ, không quá {n} ký tự").format(n=MAX_TEXT),
              "name": lambda: _("chữ, không để trống, không quá {n} ký tự").format(n=MAX_TEXT),
              "text?": lambda: _("chữ không quá {n} ký tự, hoặc để trống").format(n=MAX_TEXT),
              "date": lambda: _("ngày dạng 2026-11-23"), "date?": lambda: _("ngày dạng 2026-11-23 hoặc để trống"),
              "status": lambda: _("một trong các trạng thái đảng viên ({values})").format(
                  values=", ".join(sorted(STATUSES))),
              "grade": lambda: _("một trong các mức xếp loại ({values})").format(values=", ".join(GRADE_CODES)),
              "grade?": lambda: _("một trong các mức xếp loại ({values}) hoặc để trống").format(
                  values=", ".join(GRADE_CODES)),
              "bool": lambda: _("true hoặc false")}
_CHECKS = {dict: lambda v: isinstance(v, dict), list: lambda v: isinstance(v, list), str: lambda v: isinstance(v, str),
           "count": _count, "count?": lambda v: v is None or _count(v),
           "money": lambda v: _is_int(v) and 0 <= v <= MAX_MONEY,
           "text": _text, "name": lambda v: _text(v) and bool(v.strip()), "text?": lambda v: v is None or _text(v),
           "date": _is_date, "date?": lambda v: v is None or _is_date(v),
           "status": lambda v: isinstance(v, str) and v in STATUSES,
           "grade": lambda v: isinstance(v, str) and v in GRADES,
           "grade?": lambda v: v is None or (isinstance(v, str) and v in GRADES),
           "bool": lambda v: isinstance(v, bool)}


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


def _items(obj: dict, key: str, where: str, fields: dict, optional: bool = False) -> list[dict]:
    values = _need(obj, key, list, where, optional)
    for i, item in enumerate(values or []):
        at = f"{where + '.' if where else ''}{key}[{i}]"
        if not isinstance(item, dict):
            raise _Bad(_("khóa «{key}» phải là {kind}").format(key=at, kind=_TYPE_TEXT[dict]()))
        for name, kind in fields.items():
            optional_field = isinstance(kind, tuple)
            _need(item, name, kind[0] if optional_field else kind, at, optional=optional_field)
    return values or []


def _unique(items: list[dict], key: str, where: str) -> None:
    seen = set()
    for i, item in enumerate(items):
        if item[key] in seen:
            raise _Bad(_("khóa «{path}»: «{value}» đã có ở một dòng trước").format(
                path=f"{where}[{i}].{key}", value=str(item[key])[:60]))
        seen.add(item[key])


def _in_period(month: str, period: Period) -> bool:
    try:
        parsed = Period.parse(month)
    except PeriodError:
        return False
    return parsed.kind is PeriodKind.MONTH and period.contains(parsed.first_day)


def _check_form(code: str, form: object) -> None:
    where = f"statistics.{code}"
    definition = FORMS.get(code)
    if definition is None:
        raise _Bad(_("khóa «{key}»: không có biểu này (chỉ có các biểu {forms})").format(
            key=where, forms=", ".join(FORMS)))
    if not isinstance(form, dict):
        raise _Bad(_("khóa «{key}» phải là {kind}").format(key=where, kind=_TYPE_TEXT[dict]()))
    rows = _items(form, "rows", where, {"code": str, "current": "count?", "previous": "count?"})
    _unique(rows, "code", f"{where}.rows")
    expected = [r.code for r in definition.rows]
    for i, row in enumerate(rows):
        if row["code"] not in expected:
            raise _Bad(_("khóa «{key}»: dòng «{row}» không có trong {form}").format(
                key=f"{where}.rows[{i}].code", row=row["code"][:60], form=definition.name))
    missing = [c for c in expected if c not in {r["code"] for r in rows}]
    if missing:
        raise _Bad(_("khóa «{key}»: thiếu dòng {rows} của {form}").format(
            key=f"{where}.rows", rows=", ".join(missing[:10]), form=definition.name))
    if code == "1":
        _check_form_1(definition, rows)


def _check_form_1(definition, rows: list[dict]) -> None:
    """Cuối kỳ trước + tăng − giảm = cuối kỳ, and each of tăng and giảm the sum of its rows, in both columns."""
    level = {r.code: r.level for r in definition.rows}
    for column, label in (("current", _("kỳ này")), ("previous", _("cùng kỳ năm trước"))):
        value = {r["code"]: r[column] or 0 for r in rows}
        for heading in ("B", "C"):
            parts = [c for c in value if c.startswith(heading) and level[c] == 1]
            if sum(value[c] for c in parts) != value[heading]:
                raise _Bad(_("{form}, cột «{column}»: dòng {heading} ({total}) khác tổng các dòng {first}…{last} "
                             "({sum})").format(form=definition.name, column=label, heading=heading,
                                               total=value[heading], first=parts[0], last=parts[-1],
                                               sum=sum(value[c] for c in parts)))
        if value["A"] + value["B"] - value["C"] != value["D"]:
            raise _Bad(_("{form}, cột «{column}»: A + B − C = {a} + {b} − {c} khác D = {d}").format(
                form=definition.name, column=label, a=value["A"], b=value["B"], c=value["C"], d=value["D"]))


def check_data(data: object, manifest: dict) -> dict:
    """data.json checked against its schema and against the manifest: every key the consolidation reads, each
    count a whole number in bounds, the forms with exactly their rows and Biểu 1 balanced, the months in the
    period, the members only when the privacy level carries them; or ServiceError naming the key at fault."""
    try:
        if not isinstance(data, dict):
            raise _Bad(_("tệp không phải một đối tượng JSON"))
        period = Period.parse(manifest["period"])
        cell = _need(data, "cell", dict, "")
        _need(cell, "name", "name", "cell")
        _need(cell, "code", "text", "cell")
        found = _need(data, "period", str, "")
        if found != manifest["period"]:
            raise _Bad(_("khóa «period» ({found}) khác kỳ ghi trong danh sách của gói ({period})").format(
                found=found[:40], period=manifest["period"]))
        if cell["code"] != manifest["source"]["code"]:
            raise _Bad(_("khóa «cell.code» khác mã chi bộ ghi trong danh sách của gói"))
        for key in ("kind", "privacy"):
            if key in data and data[key] != manifest[key]:
                raise _Bad(_("khóa «{key}» ({found}) khác danh sách của gói ({expected})").format(
                    key=key, found=str(data[key])[:40], expected=manifest[key]))
        stats = _need(data, "statistics", dict, "")
        for code, form in stats.items():
            _check_form(code, form)
        counts = _need(data, "status_counts", dict, "")
        for status in counts:
            if status not in STATUSES:
                raise _Bad(_("khóa «{key}»: không có trạng thái này").format(key=f"status_counts.{status[:60]}"))
            _need(counts, status, "count", "status_counts")
        attendance = _items(data, "attendance", "", {"month": str, "present": "count", "rate_base": "count",
                                                     "total": "count"})
        for i, meeting in enumerate(attendance):
            if not _in_period(meeting["month"], period):
                raise _Bad(_("khóa «{key}» ({month}) không phải một tháng của kỳ {period}").format(
                    key=f"attendance[{i}].month", month=meeting["month"][:40], period=period.label))
            if not meeting["present"] <= meeting["rate_base"] <= meeting["total"]:
                raise _Bad(_("khóa «{key}»: cần có mặt ({present}) ≤ số tính tỉ lệ ({base}) ≤ tổng số ({total})"
                             ).format(key=f"attendance[{i}]", present=meeting["present"],
                                      base=meeting["rate_base"], total=meeting["total"]))
        fees = _items(data, "fees", "", {"month": str, "collected": "money", "kept": "money", "remitted": "money",
                                         "to_remit": "money"})
        for i, row in enumerate(fees):
            if not _in_period(row["month"], period):
                raise _Bad(_("khóa «{key}» ({month}) không phải một tháng của kỳ {period}").format(
                    key=f"fees[{i}].month", month=row["month"][:40], period=period.label))
            if row["kept"] + row["to_remit"] != row["collected"]:
                raise _Bad(_("khóa «{key}»: giữ lại ({kept}) + phải nộp ({to_remit}) khác đã thu ({collected})"
                             ).format(key=f"fees[{i}]", kept=row["kept"], to_remit=row["to_remit"],
                                      collected=row["collected"]))
        _unique(fees, "month", "fees")
        aggregate = manifest["privacy"] == "aggregate"
        if "review" not in data:
            raise _Bad(_("thiếu khóa «{key}»").format(key="review"))
        review = data["review"]
        if review is not None:
            if not isinstance(review, dict):
                raise _Bad(_("khóa «{key}» phải là {kind}").format(key="review", kind=_TYPE_TEXT[dict]()))
            if _need(review, "year", "count", "review") != period.year:
                raise _Bad(_("khóa «review.year» ({found}) khác năm của kỳ ({year})").format(
                    found=review["year"], year=period.year))
            summary = _need(review, "summary", dict, "review")
            grades = _items(summary, "grades", "review.summary", {"grade": "grade", "proposed": "count",
                                                                  "final": "count"})
            _unique(grades, "grade", "review.summary.grades")
            _need(summary, "reviewed", "count", "review.summary")
            _need(summary, "not_graded", "count", "review.summary", optional=True)
            if aggregate and "members" in review:
                raise _Bad(_("gói mức «aggregate» không được có danh sách đảng viên (khóa «review.members»)"))
            listed = _items(review, "members", "review", {"ref": "name", "full_name": "name",
                                                          "final_grade": "grade?", "proposed_grade": "grade?"},
                            optional=True)
            _unique(listed, "ref", "review.members")
        if aggregate and "members" in data:
            raise _Bad(_("gói mức «aggregate» không được có danh sách đảng viên (khóa «members»)"))
        if not aggregate:
            roster = _items(data, "members", "", {"ref": "name", "full_name": "name", "status": "status",
                                                  "card_number": "text?", "birth_date": "date?",
                                                  "status_history": list})
            _unique(roster, "ref", "members")
            for i, member in enumerate(roster):
                _items(member, "status_history", f"members[{i}]", {"status": "status", "date": "date"})
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
    # The sequence may be far above what is held: count the gaps, list only the first ones (never a range).
    below = sorted(n for n in held if n < plan.sequence)
    count = plan.sequence - 1 - len(below)
    if count:
        missing: list[int] = []
        n = 1
        while len(missing) < 20 and n < plan.sequence:
            if n not in held:
                missing.append(n)
            n += 1
        shown = ", ".join(str(n) for n in missing)
        if count > len(missing):
            shown += _("… ({count} gói, đến gói số {last})").format(count=count, last=plan.sequence - 1)
        plan.warnings.append(_("Chưa nhận đủ các gói trước của chi bộ: thiếu gói số {numbers}.").format(
            numbers=shown))
    else:
        plan.warnings.append(_("Gói liền trước mà gói này ghi không khớp với gói số {n} đã nhận.").format(
            n=plan.sequence - 1))


def _future_warning(plan: ImportPlan, today: dt.date | None = None) -> None:
    """A package stamped more than a day after today: the cell's clock is wrong, or the stamp is not true."""
    stamp = dt.datetime.fromisoformat(plan.manifest["created_at"])
    today = today or dt.date.today()
    if stamp.date() > today + dt.timedelta(days=1):
        plan.warnings.append(_("Gói ghi ngày lập {date}, sau hôm nay; hãy hỏi chi bộ xem đồng hồ máy có đúng "
                               "không.").format(date=plan.manifest["created_at"]))


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
        data = parse_json(opened.files["data.json"])
    except PackageError as exc:
        raise ServiceError(_("Không nhận gói: tệp «data.json» bị hỏng: {reason}.").format(reason=exc)) from None
    data = check_data(data, manifest)
    plan = ImportPlan(status=NEW, cell_code=code, cell_name=source["name"], period=manifest["period"],
                      kind=manifest["kind"], privacy=manifest["privacy"], sequence=source["sequence"],
                      installation_id=source["installation_id"], package_hash=opened.package_hash,
                      fingerprint=opened.fingerprint, manifest=manifest, data=data, public_key=opened.public_key,
                      raw=bytes(raw))
    _future_warning(plan)
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
