"""The Đảng ủy's consolidated views for a period: the package in force of each cell for exactly that period
(monthly for a month, quarterly for a quarter, yearly for a year), added up by app.domain.consolidate."""
from __future__ import annotations

import json

from app.domain import consolidate as domain
from app.domain.report_period import Period, PeriodKind
from app.domain.statistics import StatForm
from app.services.superior import require_superior
from app.storage.statistics_models import SupCell, SupPackage

KIND_OF_PERIOD = {PeriodKind.MONTH: "monthly", PeriodKind.QUARTER: "quarterly", PeriodKind.YEAR: "yearly"}


def cell_packages(period: Period) -> list[domain.CellPackage]:
    """Each cell's package in force for the period (the highest sequence when, against the rules, two are)."""
    kind = KIND_OF_PERIOD[period.kind]
    by_cell: dict[int, SupPackage] = {}
    query = (SupPackage.select().where((SupPackage.period == str(period)) & (SupPackage.kind == kind)
                                       & SupPackage.replaced_by.is_null()).order_by(SupPackage.sequence))
    for package in query:
        by_cell[package.cell_id] = package
    cells = {c.id: c for c in SupCell.select()}
    return [domain.CellPackage(code=cells[p.cell_id].code, name=cells[p.cell_id].name, sequence=p.sequence,
                               package_hash=p.package_hash, privacy=p.privacy, data=json.loads(p.data))
            for cell_id, p in by_cell.items()]


def known_cells() -> list[domain.KnownCell]:
    return [domain.KnownCell(c.code, c.name) for c in SupCell.select().order_by(SupCell.code)]


def consolidation(period: Period) -> domain.Consolidation:
    require_superior()
    return domain.consolidate(cell_packages(period), period, known_cells())


def summary(period: Period) -> dict:
    """Everything consolidated for the period, JSON-ready."""
    info = require_superior()
    result = consolidation(period)
    return {"unit": info.name, "superior_name": info.superior_name, **result.to_json()}


def forms(period: Period) -> list[StatForm]:
    """Biểu 1, 3, 6F and 7 summed over the cells that sent the period."""
    return consolidation(period).forms
