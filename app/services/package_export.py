"""Gói gửi cấp trên: the cell's signed package for a period (DOMAIN §5.3–5.4; the format is in the README).

The package holds data.json (the canonical copy), the same tables as CSV, and the statistics forms as PDF,
under a manifest signed with this installation's Ed25519 key. Its privacy level decides what of the members
it carries: `aggregate` (the default) only counts, `roster` names, card, birth date, status and events,
`full` every field. Each package has the next sequence number of this installation and the hash of the one
before, so the superior sees a gap or a replay; the sequence is taken in the same transaction that records
the package, after the file is written whole.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.domain.dates import Month
from app.domain.members import MemberStatus
from app.domain.package_format import PRIVACY_LEVELS, canonical_json, sha256_hex
from app.domain.report_period import Period, PeriodKind
from app.i18n import _
from app.services import cell as cell_service
from app.services import files, keys, member_events, package_crypto, statistics
from app.services import members as member_service
from app.services.errors import ServiceError
from app.services.spreadsheets import safe_csv_row
from app.storage import audit
from app.storage.models import database
from app.storage.statistics_models import PackageSent

RULE_SETS = {"statistics": "11-HD/BTCTW (2021)", "fees": "01-QĐ/TW (2026); 342-QĐ/TW trước 02/2026",
             "review": "366-QĐ/TW (2025), 43-HD/BTCTW (2025)", "meetings": "42-HD/BTCTW"}
KIND_OF_PERIOD = {PeriodKind.MONTH: "monthly", PeriodKind.QUARTER: "quarterly", PeriodKind.YEAR: "yearly"}
# What `roster` carries of a member; `full` adds FULL_FIELDS. Never phone, address or citizen ID below full.
ROSTER_FIELDS = ("full_name", "sex", "birth_date", "card_number", "member_code", "admission_date",
                 "official_date", "party_post")
FULL_FIELDS = ("ethnicity", "religion", "home_town", "residence", "occupation", "occupation_group", "education",
               "professional_level", "political_theory", "ceremony_date", "citizen_id", "phone", "youth_union",
               "notes")


def program_version() -> str:
    try:
        from importlib.metadata import version

        return version("chibo")
    except Exception:  # noqa: BLE001 - a source checkout without installed metadata
        return "0.1.0"


@dataclass(frozen=True)
class Exported:
    path: Path | None
    data: bytes
    manifest: dict
    package_hash: str
    sequence: int
    encrypted: str  # "", "key" or "passphrase"

    def to_json(self) -> dict:
        return {"path": str(self.path) if self.path else None, "package_hash": self.package_hash,
                "sequence": self.sequence, "period": self.manifest["period"], "kind": self.manifest["kind"],
                "privacy": self.manifest["privacy"], "encrypted": self.encrypted, "size": len(self.data),
                "fingerprint": package_crypto.fingerprint(keys.public_signing_key())}


def package_kind(period: Period, kind: str | None) -> str:
    if kind in (None, ""):
        return KIND_OF_PERIOD[period.kind]
    if kind == "review":
        if period.kind is not PeriodKind.YEAR:
            raise ServiceError(_("Gói kết quả kiểm điểm là của cả năm: ghi --period {year}.").format(year=period.year))
        return kind
    if kind != KIND_OF_PERIOD[period.kind]:
        raise ServiceError(_("Loại gói «{kind}» không hợp với kỳ {period}.").format(kind=kind, period=period.label))
    return kind


def _day(value) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None


def _members(period: Period, privacy: str, history_of: dict[int, list], events_of: dict[int, list]) -> list[dict]:
    """The members on the roster at some time of the period (archived ones too), as the privacy level allows;
    history_of and events_of are member_service.histories() and member_events.events_by_member()."""
    fields = ROSTER_FIELDS + (FULL_FIELDS if privacy == "full" else ())
    out = []
    for entry in member_service.list_members(statuses=None, include_archived=True):
        member = entry.member
        history = history_of.get(member.id, [])
        started = [c for c in history if c.effective_date <= period.last_day]
        if not started:
            continue
        status_end = started[-1].status
        left_before = not status_end.in_cell and started[-1].effective_date < period.first_day
        if left_before:
            continue
        row = {"ref": str(member.id), "status": status_end.value, "status_label": status_end.label}
        for name in fields:
            value = getattr(member, name)
            row[name] = _day(value) if isinstance(value, dt.date) else (
                value.value if hasattr(value, "value") else value)
        row["status_history"] = [{"status": c.status.value, "date": c.effective_date.isoformat(), "kind": c.kind,
                                  "scope": c.scope} for c in history]
        row["events"] = [{"kind": e.kind.value, "date": e.date.isoformat(), "detail": e.detail,
                          "decision": e.decision} for e in events_of.get(member.id, [])]
        out.append(row)
    return out


def _attendance(period: Period) -> list[dict]:
    from app.services import meetings

    out = []
    for year in sorted({m.year for m in period.months}):
        for item in meetings.list_meetings(year):
            meeting, counts = item.meeting, item.counts
            if not period.contains(meeting.date):
                continue
            out.append({"date": meeting.date.isoformat(), "month": str(Month.of(meeting.date)),
                        "kind": meeting.kind.value, "total": counts.total, "present": counts.present,
                        "excused": counts.excused, "absent": counts.absent, "exempt_absent": counts.exempt_absent,
                        "rate_base": counts.rate_base})
    return out


def _fees(period: Period, today: dt.date) -> list[dict]:
    from app.services import fees

    out = []
    for year in sorted({m.year for m in period.months}):
        if not 1990 <= year <= 2100:
            continue
        book = fees.year_book(year, today)
        for row in book.month_rows():
            if row.month in period.months and not row.future:
                out.append({"month": str(row.month), "members": row.members, "exempt": row.exempt,
                            "unpaid": row.unpaid, "collected": row.collected, "kept": row.retained,
                            "to_remit": row.to_remit, "remitted": row.remitted, "provisional": row.provisional})
    return out


def _review(period: Period, privacy: str) -> dict | None:
    from app.services import review
    from app.storage.review_models import ReviewYear

    year = period.year
    if not ReviewYear.select().where(ReviewYear.year == year).exists():
        return None
    rows = review.review_rows(year)
    data = {"year": year, "summary": review.summary(year, rows).to_json()}
    if privacy != "aggregate":
        data["members"] = [{"ref": str(r.member_id), "full_name": r.full_name, "reviewed": r.reviewed,
                            "self_grade": _grade(r.data.self_grade), "proposed_grade": _grade(r.data.proposed_grade),
                            "final_grade": _grade(r.data.final_grade)} for r in rows]
    return data


def _grade(grade) -> str | None:
    return grade.value if grade is not None else None


def _csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(safe_csv_row(["" if v is None else v for v in row]))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def contents(period: Period, kind: str, privacy: str, today: dt.date, with_pdf: bool = True) -> dict[str, bytes]:
    """The files of the package, by name."""
    cell = cell_service.get_cell()
    history_of, events_of = member_service.histories(), member_events.events_by_member()
    facts = statistics.member_facts(history_of, events_of)
    forms = statistics.forms(period, statistics.FORM_CODES, facts, named=privacy != "aggregate")
    # Who is on the roll at the period's end by status, and who left during it by the status they left for.
    counted = {s.value: 0 for s in MemberStatus}
    for fact in facts:
        status = fact.status_on(period.last_day)
        left_now = any(period.contains(s.date) for s in fact.steps if s.status is status)
        if status is not None and (status.in_cell or left_now):
            counted[status.value] += 1
    data = {
        "cell": {"name": cell.name, "code": cell.code, "superior_name": cell.superior_name,
                 "secretary_name": cell.secretary_name},
        "period": str(period), "period_label": period.label, "first_day": period.first_day.isoformat(),
        "last_day": period.last_day.isoformat(), "kind": kind, "privacy": privacy,
        "statistics": {f.form: f.to_json() for f in forms},
        "status_counts": counted,
        "attendance": _attendance(period),
        "fees": _fees(period, today),
        "review": _review(period, privacy),
    }
    if privacy != "aggregate":
        data["members"] = _members(period, privacy, history_of, events_of)
    files_out = {"data.json": canonical_json(data)}
    files_out["csv/statistics.csv"] = _csv(
        [_("Biểu"), _("Mã dòng"), _("Chỉ tiêu"), _("Kỳ này"), _("Cùng kỳ năm trước")],
        [[f.form, r.code, r.label, r.current, r.previous] for f in forms for r in f.printed_rows])
    files_out["csv/attendance.csv"] = _csv(
        [_("Ngày"), _("Loại"), _("Tổng số"), _("Có mặt"), _("Vắng có lý do"), _("Vắng không lý do")],
        [[a["date"], a["kind"], a["total"], a["present"], a["excused"], a["absent"]] for a in data["attendance"]])
    files_out["csv/fees.csv"] = _csv(
        [_("Tháng"), _("Số đảng viên"), _("Đã thu"), _("Chi bộ giữ lại"), _("Phải nộp"), _("Đã nộp")],
        [[f["month"], f["members"], f["collected"], f["kept"], f["to_remit"], f["remitted"]] for f in data["fees"]])
    if privacy != "aggregate":
        columns = ["ref", "status", *ROSTER_FIELDS, *(FULL_FIELDS if privacy == "full" else ())]
        files_out["csv/members.csv"] = _csv(columns, [[m.get(c) for c in columns] for m in data["members"]])
    if with_pdf:
        files_out["pdf/bieu-thong-ke.pdf"] = _statistics_pdf(forms)
    return files_out


def _statistics_pdf(forms) -> bytes:
    from app.services import statistics_printing

    with tempfile.TemporaryDirectory(prefix="chibo-goi-") as folder:
        path = Path(folder) / "bieu-thong-ke.pdf"
        statistics_printing.write_pdf(forms, path)
        return path.read_bytes()


def next_sequence(installation_id: str) -> tuple[int, str]:
    last = (PackageSent.select().where(PackageSent.installation_id == installation_id)
            .order_by(PackageSent.sequence.desc()).first())
    return (last.sequence + 1, last.package_hash) if last else (1, "")


def build_package(period: Period, *, kind: str | None = None, privacy: str = "aggregate",
                  today: dt.date | None = None, created_at: dt.datetime | None = None,
                  with_pdf: bool = True) -> tuple[bytes, dict, int]:
    """The signed package's bytes, its manifest and its sequence (nothing recorded yet)."""
    if privacy not in PRIVACY_LEVELS:
        raise ServiceError(_("Mức riêng tư «{value}» không có; chọn một trong: {choices}.").format(
            value=privacy, choices=", ".join(PRIVACY_LEVELS)))
    if cell_service.is_superior():
        raise ServiceError(_("Đây là dữ liệu của Đảng ủy: gói gửi lên chỉ lập ở chi bộ; Đảng ủy gửi gói trả về "
                             "(chibo superior return)."))
    today = today or dt.date.today()
    if period.first_day > today:
        raise ServiceError(_("Kỳ {period} chưa bắt đầu.").format(period=period.label))
    kind = package_kind(period, kind)
    cell = cell_service.get_cell()
    installation = keys.installation_id()
    sequence, previous = next_sequence(installation)
    stamp = (created_at or dt.datetime.now().astimezone()).replace(microsecond=0)
    manifest = {
        "format": "chibo-package", "format_version": 1, "program_version": program_version(),
        "created_at": stamp.isoformat(), "kind": kind, "period": str(period),
        "source": {"unit": "cell", "name": cell.name, "code": cell.code, "superior_name": cell.superior_name,
                   "installation_id": installation, "sequence": sequence, "previous_package": previous},
        "privacy": privacy, "rule_sets": dict(RULE_SETS), "history_last_hash": audit.last_hash(),
    }
    data = package_crypto.build(manifest, contents(period, kind, privacy, today, with_pdf), keys.signing_key())
    return data, manifest, sequence


def export_package(period: Period, path: Path | str | None, *, kind: str | None = None, privacy: str = "aggregate",
                   to_key: bytes | None = None, passphrase: str | None = None, today: dt.date | None = None,
                   with_pdf: bool = True) -> Exported:
    """Build, encrypt if asked, write the file whole, then record the package: one transaction, so a file
    that could not be written takes no sequence number."""
    if to_key is not None and passphrase:
        raise ServiceError(_("Chọn một cách mã hóa: theo khóa của Đảng ủy hoặc theo mật khẩu, không cả hai."))
    if passphrase is not None and len(passphrase) < 8:
        raise ServiceError(_("Mật khẩu của gói cần ít nhất 8 ký tự."))
    with database.atomic():
        signed, manifest, sequence = build_package(period, kind=kind, privacy=privacy, today=today, with_pdf=with_pdf)
        package_hash = sha256_hex(signed)
        encrypted = ""
        out = signed
        if to_key is not None:
            out, encrypted = package_crypto.encrypt_to_key(signed, to_key), "key"
        elif passphrase:
            out, encrypted = package_crypto.encrypt_with_passphrase(signed, passphrase), "passphrase"
        target = Path(path) if path is not None else None
        if target is not None:
            files.write_export(target, out)
        PackageSent.create(installation_id=manifest["source"]["installation_id"], sequence=sequence,
                           period=manifest["period"], kind=manifest["kind"], privacy=privacy,
                           package_hash=package_hash, prev_hash=manifest["source"]["previous_package"],
                           file_name=target.name if target else "")
        audit.record("package", sequence, "export",
                     {"period": [None, manifest["period"]], "kind": [None, manifest["kind"]],
                      "privacy": [None, privacy], "package_hash": [None, package_hash],
                      "encrypted": [None, encrypted or None]})
    return Exported(target, out, manifest, package_hash, sequence, encrypted)


def sent() -> list[dict]:
    return [{"sequence": p.sequence, "period": p.period, "kind": p.kind, "privacy": p.privacy,
             "created_at": str(p.created_at), "package_hash": p.package_hash, "file_name": p.file_name}
            for p in PackageSent.select().order_by(PackageSent.id)]
