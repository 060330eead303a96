"""Printing the basic statistics forms (Biểu số 1, 2, 3, 6F, 7-BTCTW): the cell's own slice, or a superior's
consolidated forms with the same layout. The PDF lands whole or not at all."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.domain.statistics import StatForm
from app.i18n import _
from app.reports import base
from app.reports.statistics_form import CELL_SIGNER, StatFormPrint, StatisticsPrint, StatLine, documents
from app.services import cell as cell_service
from app.services.errors import ServiceError
from app.services.files import write_export


def figure(value: int | None) -> str:
    """A count as printed: thousands with a dot (1.234), empty for a heading with no figure."""
    return "" if value is None else f"{value:,}".replace(",", ".")


def form_print(form: StatForm) -> StatFormPrint:
    lines = tuple(StatLine(row.label, row.level, figure(row.current), figure(row.previous), row.percent)
                  for row in form.printed_rows)
    return StatFormPrint(form.name, form.title, form.period.label, lines, tuple(form.warnings))


def _pick(given, own):
    return own if given is None else given


def statistics_print(forms: list[StatForm], *, unit_name: str | None = None, superior_name: str | None = None,
                     subtitle: str = "", signer_name: str | None = None, signer: tuple[str, ...] | None = None,
                     place: str | None = None, date: dt.date | None = None) -> StatisticsPrint:
    """The paper's data: what is not given is the cell's (its name, its superior, its place, its secretary)."""
    if not forms:
        raise ServiceError(_("Chưa chọn biểu thống kê nào để in."))
    info = cell_service.get_cell()
    if unit_name is None:
        if info is None or not info.name.strip():
            raise ServiceError(_("Chưa có tên chi bộ; hãy nhập thông tin chi bộ trước khi in biểu thống kê."))
        unit_name = info.name
    return StatisticsPrint(
        unit_name=unit_name, superior_name=_pick(superior_name, info.superior_name if info else ""),
        subtitle=subtitle, place=_pick(place, info.place_name if info else ""), date=date,
        signer_name=_pick(signer_name, info.secretary_name if info else ""),
        signer=tuple(signer or CELL_SIGNER), forms=[form_print(f) for f in forms])


def write_pdf(forms: list[StatForm], path, *, unit_name: str | None = None, superior_name: str | None = None,
              subtitle: str = "", signer_name: str | None = None, signer: tuple[str, ...] | None = None,
              place: str | None = None, date: dt.date | None = None) -> Path:
    """The forms in one PDF, each from a new page; the date line is left to fill in by hand unless `date`
    is given. A superior passes its own name as unit_name, «Tổng hợp từ N chi bộ» as subtitle and its
    signer («T/M ĐẢNG ỦY», «BÍ THƯ»)."""
    paper = statistics_print(forms, unit_name=unit_name, superior_name=superior_name, subtitle=subtitle,
                             signer_name=signer_name, signer=signer, place=place, date=date)
    data = base.render(documents(paper), None)
    write_export(path, data)
    return Path(path)
