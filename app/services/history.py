"""The change history (nhật ký thay đổi) as the secretary reads it: whole, or for one member; exportable."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

from app.domain.cell import CellLevel
from app.domain.dates import format_date
from app.domain.labels import field_label
from app.domain.members import MemberStatus, Sex
from app.i18n import _
from app.services.errors import ServiceError
from app.services.files import write_export
from app.services.spreadsheets import safe_csv_row
from app.storage import audit
from app.storage.models import Member

ACTION_LABELS = {
    "create": lambda: _("Thêm mới"),
    "update": lambda: _("Sửa"),
    "status": lambda: _("Đổi tình trạng"),
    "archive": lambda: _("Lưu trữ"),
    "restore": lambda: _("Khôi phục"),
    "backup": lambda: _("Sao lưu"),
    "encrypt": lambda: _("Bật mã hóa"),
    "decrypt": lambda: _("Tắt mã hóa"),
    "rekey": lambda: _("Đổi mật khẩu"),
    "attendance": lambda: _("Điểm danh"),
    "delete": lambda: _("Xóa"),
    "cancel": lambda: _("Hủy"),
    "remove": lambda: _("Bỏ"),
    "issue": lambda: _("Cấp số"),
    "set": lambda: _("Đặt số"),
    "open": lambda: _("Mở đợt kiểm điểm"),
    "member": lambda: _("Kết quả kiểm điểm của đảng viên"),
    "cell": lambda: _("Kết quả của tập thể chi bộ"),
    "criteria": lambda: _("Khung tiêu chí"),
    "classify": lambda: _("Ghi hình thức vào, ra chi bộ"),
    "export": lambda: _("Lập gói gửi cấp trên"),
    "import": lambda: _("Nhận gói"),
    "accept": lambda: _("Cấp trên đã tiếp nhận"),
    "reopen": lambda: _("Mở lại kỳ đã tiếp nhận"),
    "resolve": lambda: _("Giải quyết gói trùng chi bộ"),
    "init": lambda: _("Lập dữ liệu của Đảng ủy"),
}
ENTITY_LABELS = {
    "member": lambda: _("Đảng viên"),
    "cell": lambda: _("Chi bộ"),
    "setting": lambda: _("Thiết lập"),
    "database": lambda: _("Dữ liệu"),
    "meeting": lambda: _("Buổi sinh hoạt"),
    "document_number": lambda: _("Số văn bản"),
    "fee_profile": lambda: _("Đối tượng đóng đảng phí"),
    "fee_relief": lambda: _("Miễn, giảm đảng phí"),
    "fee_payment": lambda: _("Thu đảng phí"),
    "fee_excuse": lambda: _("Lý do chưa đóng đảng phí"),
    "fee_remittance": lambda: _("Nộp đảng phí lên cấp trên"),
    "fee_rule_value": lambda: _("Định mức đảng phí"),
    "review": lambda: _("Kiểm điểm, xếp loại"),
    "review_task": lambda: _("Nhiệm vụ được giao"),
    "review_rule": lambda: _("Ngưỡng kiểm điểm"),
    "member_event": lambda: _("Huy hiệu, thẻ, khen thưởng, chuyển tạm thời"),
    "key_pair": lambda: _("Khóa ký gói gửi cấp trên"),
    "package": lambda: _("Gói gửi, nhận với cấp trên"),
    "superior": lambda: _("Tiếp nhận gói của chi bộ"),
}


def entries(member_id: int | None = None) -> list[dict]:
    """Audit entries oldest first, each with the member's name and Vietnamese labels added; a name or entry
    damaged or written by hand with bytes that are not text is read with them replaced, never a crash."""
    with audit.readable_text():
        rows = sorted(audit.entries("member", member_id) + audit.entries("member_event", member_id),
                      key=lambda e: e["id"]) if member_id is not None else audit.entries()
        names = dict(Member.select(Member.id, Member.full_name).tuples())
    for row in rows:
        row["action_label"] = ACTION_LABELS.get(row["action"], lambda: row["action"])()
        row["entity_label"] = ENTITY_LABELS.get(row["entity"], lambda: row["entity"])()
        row["subject"] = names.get(row["entity_id"], "") if row["entity"] in ("member", "member_event") else ""
        if row["entity"] == "review":
            member = (row["changes"].get("member_id") or [None, None])[1] if isinstance(row["changes"], dict) else None
            row["subject"] = _("năm {year}").format(year=row["entity_id"]) + (
                f", {names.get(member, member)}" if member is not None else "")
    return rows


# The area of app/domain/labels.py an entry's fields belong to, when it is not the entity itself.
_AREAS = {"database": "audit", "document_number": "document", "review_task": "review", "review_rule": "review"}


def _area(entry: dict) -> str:
    """member, cell, meeting…; a meeting's roll is attendance, every fee entity (fee_payment…) is fee."""
    entity = entry["entity"]
    if entity == "meeting" and entry.get("action") == "attendance":
        return "attendance"
    if entity.startswith("fee_"):
        return "fee"
    return _AREAS.get(entity, entity)


def _label(area: str, field: str) -> str:
    return field_label(f"{area}.{field}", default=field)


_CODES = {"status": MemberStatus, "sex": Sex, "cell_level": CellLevel}


def _review_codes() -> dict:
    from app.domain.review import Grade, TaskStatus

    return {"self_grade": Grade, "committee_grade": Grade, "proposed_grade": Grade, "final_grade": Grade,
            "cell_self_grade": Grade, "cell_final_grade": Grade, "status": TaskStatus}


def _value(field: str, value: object, area: str = "") -> str:
    """A stored value as the secretary reads it: labels for codes, có/không, dd/mm/yyyy for dates."""
    if value is None or value == "":
        return "∅"
    if isinstance(value, bool):
        return _("có") if value else _("không")
    codes = _review_codes() if area == "review" else _CODES
    if field in codes:
        try:
            return codes[field](value).label
        except ValueError:
            return str(value)
    if field in _CODES:
        try:
            return _CODES[field](value).label
        except ValueError:
            return str(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return format_date(dt.date.fromisoformat(value))
    return str(value)


def describe_changes(entry: dict) -> str:
    area = _area(entry)
    return "; ".join(
        f"{_label(area, f)}: {_value(f, old, area)} → {_value(f, new, area)}"
        for f, (old, new) in entry["changes"].items() if not (area == "review" and f == "member_id")
    )


def describe(entry: dict) -> str:
    subject = f" {entry['subject']}" if entry["subject"] else ""
    reason = f" ({entry['reason']})" if entry["reason"] else ""
    return f"{entry['at']}  {entry['entity_label']}{subject}: {entry['action_label']} — {describe_changes(entry)}{reason}"


def export(rows: list[dict], path: Path) -> None:
    """Write the history as .csv (for Excel, UTF-8 with BOM) or .json, whole or not at all."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        data = json.dumps(rows, ensure_ascii=False, indent=2).encode("utf-8")
    elif path.suffix.lower() == ".csv":
        text = io.StringIO(newline="")
        writer = csv.writer(text)
        writer.writerow([_("Thời điểm"), _("Đối tượng"), _("Họ và tên"), _("Việc"), _("Thay đổi"),
                         _("Lý do"), _("Người dùng máy")])
        for row in rows:
            # A reason or a name typed as «=…» must not run when the secretary opens the file in Excel.
            writer.writerow(safe_csv_row([row["at"], row["entity_label"], row["subject"], row["action_label"],
                                          describe_changes(row), row["reason"], row["actor"]]))
        data = text.getvalue().encode("utf-8-sig")
    else:
        raise ServiceError(_("Tên tệp nhật ký phải kết thúc bằng .csv hoặc .json."))
    write_export(path, data)
