"""Đảng ủy's copy of chibo: a database whose unit is the superior body, with the cells that send it packages.

The unit is one Cell row with unit_kind 'superior' (its name is the Đảng ủy's, superior_name what is above it);
the cells are sup_cell rows, each with the signing key and installation pinned at its first package; the
packages received are sup_package rows, the newest of a period being the one in force (replaced_by empty).
"""
from __future__ import annotations

import datetime as dt
import json

from app.domain import names
from app.domain.cell import CellInfo
from app.i18n import _
from app.services import cell as cell_service
from app.services.errors import ServiceError
from app.storage import audit
from app.storage.models import Cell, Member, database
from app.storage.statistics_models import SupCell, SupConflict, SupPackage

MAX_NAME = 200


def init_superior(name: str, superior_of: str = "", today: dt.date | None = None) -> CellInfo:
    """Make a new database's unit the superior body named name (a Đảng ủy xã/phường), above it superior_of.
    Refused on a file that already has a cell or members."""
    clean = names.normalize_text(name or "").strip()
    above = names.normalize_text(superior_of or "").strip()
    if not clean:
        raise ServiceError(_("Hãy ghi tên Đảng ủy (--name), ví dụ «Đảng ủy xã Hòa Bình»."))
    if len(clean) > MAX_NAME or len(above) > MAX_NAME:
        raise ServiceError(_("Tên Đảng ủy hoặc cấp trên dài quá {n} ký tự.").format(n=MAX_NAME))
    with database.atomic():
        existing = Cell.select().order_by(Cell.id).first()
        if existing is not None:
            kind = _("Đảng ủy") if existing.unit_kind == "superior" else _("chi bộ")
            raise ServiceError(_("Tệp dữ liệu này đã là của {kind} «{name}»; hãy dùng một tệp mới cho Đảng ủy.").format(
                kind=kind, name=existing.name))
        if Member.select().exists():
            raise ServiceError(_("Tệp dữ liệu này đã có đảng viên; hãy dùng một tệp mới cho Đảng ủy."))
        extra = {"created_at": dt.datetime.combine(today, dt.time())} if today else {}
        row = Cell.create(name=clean, superior_name=above, unit_kind="superior", **extra)
        audit.record("superior", row.id, "init", {"name": [None, clean], "superior_name": [None, above]})
    return cell_service.get_cell()


def require_superior() -> CellInfo:
    """The Đảng ủy's details, or ServiceError on a cell's file (or a file without a unit)."""
    info = cell_service.get_cell()
    if info is None:
        raise ServiceError(_("Tệp dữ liệu này chưa có đơn vị; tạo Đảng ủy bằng «chibo superior init --name …»."))
    if not cell_service.is_superior():
        raise ServiceError(_("Đây là dữ liệu của chi bộ «{name}», không phải của Đảng ủy: việc này chỉ làm trên "
                             "tệp của Đảng ủy (chibo superior init).").format(name=info.name))
    return info


def current_packages(period: str | None = None) -> list[SupPackage]:
    """The packages in force (not replaced), oldest import first; of one period when given."""
    query = SupPackage.select().where(SupPackage.replaced_by.is_null())
    if period is not None:
        query = query.where(SupPackage.period == period)
    return list(query.order_by(SupPackage.id))


def cells() -> list[dict]:
    """Every cell known here, with its pinned key's fingerprint and what it has sent."""
    require_superior()
    counts: dict[int, int] = {}
    last: dict[int, SupPackage] = {}
    for package in SupPackage.select().order_by(SupPackage.id):
        counts[package.cell_id] = counts.get(package.cell_id, 0) + 1
        last[package.cell_id] = package
    out = []
    for row in SupCell.select().order_by(SupCell.code):
        latest = last.get(row.id)
        out.append({"id": row.id, "code": row.code, "name": row.name, "installation_id": row.installation_id,
                    "fingerprint": row.fingerprint, "first_seen": str(row.first_seen),
                    "packages": counts.get(row.id, 0),
                    "last_period": latest.period if latest else None,
                    "last_sequence": latest.sequence if latest else None})
    return out


def packages(period: str | None = None) -> list[dict]:
    """The packages received (all of them, the replaced ones too), of one period when given."""
    require_superior()
    by_id = {c.id: c for c in SupCell.select()}
    query = SupPackage.select().order_by(SupPackage.id)
    if period is not None:
        query = query.where(SupPackage.period == period)
    out = []
    for p in query:
        cell = by_id.get(p.cell_id)
        out.append({"id": p.id, "cell_code": cell.code if cell else "", "cell_name": cell.name if cell else "",
                    "period": p.period, "kind": p.kind, "privacy": p.privacy, "sequence": p.sequence,
                    "installation_id": p.installation_id, "package_hash": p.package_hash,
                    "prev_hash": p.prev_hash, "created_at": p.created_at, "imported_at": str(p.imported_at),
                    "replaced_by": p.replaced_by_id, "current": p.replaced_by_id is None})
    return out


def conflicts(include_resolved: bool = False) -> list[dict]:
    require_superior()
    query = SupConflict.select().order_by(SupConflict.id)
    if not include_resolved:
        query = query.where(SupConflict.resolved_at.is_null())
    out = []
    for c in query:
        out.append({"id": c.id, "received_at": str(c.received_at), "cell_code": c.cell_code, "cell_name": c.cell_name,
                    "installation_id": c.installation_id, "fingerprint": c.fingerprint, "reason": c.reason,
                    "package_hash": c.package_hash, "resolved": c.resolved_at is not None,
                    "resolution": c.resolution})
    return out


def package_data(package: SupPackage) -> dict:
    return json.loads(package.data)
