"""Setting up the cell and reading its details."""
from __future__ import annotations

import datetime as dt

from app.domain.cell import CellInfo, CellLevel, validate_cell
from app.services.errors import ValidationFailed
from app.storage import audit
from app.storage.models import Cell, database

_FIELDS = ("name", "superior_name", "superior_level", "cell_level", "place_name", "term_label",
           "term_start", "secretary_name", "deputy_name", "code")


def unit_kind() -> str:
    """'cell' for a cell's own copy, 'superior' for a Đảng ủy's copy that consolidates its cells."""
    row = Cell.select(Cell.unit_kind).order_by(Cell.id).first()
    return row.unit_kind if row is not None else "cell"


def is_superior() -> bool:
    return unit_kind() == "superior"


def get_cell() -> CellInfo | None:
    row = Cell.select().order_by(Cell.id).first()
    if row is None:
        return None
    values = {name: getattr(row, name) for name in _FIELDS}
    values["cell_level"] = CellLevel(values["cell_level"])
    return CellInfo(**values)


def save_cell(info: CellInfo, today: dt.date | None = None) -> CellInfo:
    """Create the cell on first run, or update its details; one transaction, one audit entry."""
    info = info.normalized()
    report = validate_cell(info, today or dt.date.today())
    if report.errors:
        raise ValidationFailed(report.errors)
    new = {name: getattr(info, name) for name in _FIELDS}
    with database.atomic():
        row = Cell.select().order_by(Cell.id).first()
        if row is None:
            row = Cell.create(**new)
            audit.record("cell", row.id, "create", audit.diff({}, new))
        else:
            old = {name: getattr(row, name) for name in _FIELDS}
            changes = audit.diff(old, new)
            if changes:
                Cell.update(**new).where(Cell.id == row.id).execute()
                audit.record("cell", row.id, "update", changes)
    return info
