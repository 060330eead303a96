"""Chi bộ: the cell itself, its superior body and its committee term."""
from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from app.domain import names
from app.domain.issues import ValidationReport
from app.i18n import _


class CellLevel(enum.StrEnum):
    """Since 01/07/2025 a village cell is usually trực thuộc a Đảng ủy xã/phường (DOMAIN §0)."""

    SUBORDINATE = "truc_thuoc"
    GRASSROOTS = "co_so"

    @property
    def label(self) -> str:
        return _("Chi bộ trực thuộc") if self is CellLevel.SUBORDINATE else _("Chi bộ cơ sở")


# Offered in the first-run dialog; the secretary may type any other name.
SUPERIOR_LEVEL_SUGGESTIONS = (
    lambda: _("Đảng ủy xã"),
    lambda: _("Đảng ủy phường"),
    lambda: _("Đảng ủy đặc khu"),
    lambda: _("Đảng ủy cơ sở"),
)


@dataclass
class CellInfo:
    """Chi bộ as printed in every header: its name, its superior, its term and who leads it."""

    name: str = ""
    superior_name: str = ""
    superior_level: str = ""
    cell_level: CellLevel = CellLevel.SUBORDINATE
    place_name: str = ""
    term_label: str = ""
    term_start: dt.date | None = None
    secretary_name: str = ""
    deputy_name: str = ""
    code: str = ""  # mã tổ chức đảng, as the superior numbers its cells (carried by every package)

    def normalized(self) -> CellInfo:
        return CellInfo(
            name=names.normalize_text(self.name),
            superior_name=names.normalize_text(self.superior_name),
            superior_level=names.normalize_text(self.superior_level),
            cell_level=CellLevel(self.cell_level),
            place_name=names.normalize_text(self.place_name),
            term_label=names.normalize_text(self.term_label),
            term_start=self.term_start,
            secretary_name=names.normalize_name(self.secretary_name),
            deputy_name=names.normalize_name(self.deputy_name),
            code="".join(names.normalize_text(self.code).split()),
        )


def validate_cell(cell: CellInfo, today: dt.date) -> ValidationReport:
    report = ValidationReport()
    if not cell.name:
        report.error("cell.name", _("chưa nhập tên chi bộ."))
    if not cell.superior_name:
        report.error("cell.superior_name", _("chưa nhập tên cấp ủy cấp trên trực tiếp."))
    if cell.term_start and cell.term_start > today:
        report.error("cell.term_start", _("ngày bắt đầu nhiệm kỳ ở tương lai."))
    return report
