"""Printing the Đảng ủy's consolidation of a period: Biểu 1, 3, 6F and 7 summed over the cells (the statistics
forms' own layout, «Tổng hợp từ N chi bộ»), then the tables by cell and the points to look into. The PDF
lands whole or not at all."""
from __future__ import annotations

from pathlib import Path

from app.domain import consolidate as domain
from app.domain.members import MemberStatus
from app.domain.report_period import Period
from app.i18n import _
from app.reports import base
from app.reports.consolidated_tables import ConsolidatedTablesDocument, ConsolidatedTablesPrint, TablePrint
from app.reports.statistics_form import documents as form_documents
from app.services import statistics_printing
from app.services.consolidated import consolidation
from app.services.errors import ServiceError
from app.services.files import write_export
from app.services.superior import require_superior

SIGNER = ("T/M ĐẢNG ỦY", "BÍ THƯ")
GRADE_SHORT = {"xuat-sac": "HTXS", "tot": "HTT", "hoan-thanh": "HT", "khong-hoan-thanh": "KHT"}
STATUS_COLUMNS = (MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY, MemberStatus.EXEMPT, MemberStatus.TEMPORARY,
                  MemberStatus.TRANSFERRED_OUT, MemberStatus.DECEASED)


def subtitle(result: domain.Consolidation) -> str:
    return _("Tổng hợp từ {n} chi bộ").format(n=len(result.cells))


def _n(value: int) -> str:
    return statistics_printing.figure(value)


def _month(text: str) -> str:
    year, month = text.split("-")
    return f"{int(month)}/{year}"


def tables_print(result: domain.Consolidation, unit_name: str, superior_name: str) -> ConsolidatedTablesPrint:
    tables = []
    members = [(str(i), r["name"], *(_n(r["counts"][s.value]) for s in STATUS_COLUMNS), _n(r["counted"]))
               for i, r in enumerate(result.members, start=1)]
    total = domain.members_total(result.members)
    members.append(("", _("Cộng"), *(_n(total["counts"][s.value]) for s in STATUS_COLUMNS), _n(total["counted"])))
    tables.append(TablePrint(_("Đảng viên theo chi bộ (cuối kỳ)"),
                             ("STT", _("Chi bộ"), *(s.label for s in STATUS_COLUMNS), _("Đảng số")), tuple(members),
                             note=_("Đảng số: chính thức, dự bị và miễn sinh hoạt.")))
    months = result.months
    rows = [(str(i), r["name"], *(r["months"].get(m, {}).get("rate", "") for m in months), r["rate"])
            for i, r in enumerate(result.attendance, start=1)]
    all_months = domain.attendance_total(result.attendance, months)
    rows.append(("", _("Chung"), *(all_months["months"][m]["rate"] for m in months), all_months["rate"]))
    tables.append(TablePrint(_("Tỉ lệ dự sinh hoạt theo chi bộ và tháng (%)"),
                             ("STT", _("Chi bộ"), *(_month(m) for m in months), _("Cả kỳ")), tuple(rows),
                             first_width_mm=50,
                             note=_("Tỉ lệ = số có mặt / số phải dự (không tính người được miễn vắng).")))
    fees = [(str(i), r["name"], _n(r["collected"]), _n(r["kept"]), _n(r["to_remit"]), _n(r["remitted"]))
            for i, r in enumerate(result.fees, start=1)]
    sums = result.totals(result.fees, domain.FEE_KEYS)
    fees.append(("", _("Cộng"), *(_n(sums[k]) for k in domain.FEE_KEYS)))
    tables.append(TablePrint(_("Đảng phí theo chi bộ (đồng)"),
                             ("STT", _("Chi bộ"), _("Đã thu"), _("Chi bộ giữ lại"), _("Phải nộp cấp trên"),
                              _("Đã nộp cấp trên")), tuple(fees)))
    review = []
    for i, r in enumerate(result.review, start=1):
        review.append((str(i), r["name"], _n(r["reviewed"]), *(_n(r["proposed"][g]) for g in domain.GRADES),
                       *(_n(r["final"][g]) for g in domain.GRADES)))
    if result.review:
        review.append(("", _("Cộng"), _n(sum(r["reviewed"] for r in result.review)),
                       *(_n(sum(r["proposed"][g] for r in result.review)) for g in domain.GRADES),
                       *(_n(sum(r["final"][g] for r in result.review)) for g in domain.GRADES)))
    tables.append(TablePrint(_("Kết quả kiểm điểm, xếp loại đảng viên theo chi bộ"),
                             ("STT", _("Chi bộ"), _("Đã kiểm điểm"),
                              *(_("Chi bộ đề xuất: {g}").format(g=GRADE_SHORT[g]) for g in domain.GRADES),
                              *(_("Đảng ủy quyết định: {g}").format(g=GRADE_SHORT[g]) for g in domain.GRADES)),
                             tuple(review), first_width_mm=50,
                             note=_("HTXS: hoàn thành xuất sắc; HTT: hoàn thành tốt; HT: hoàn thành; KHT: không hoàn "
                                    "thành nhiệm vụ.")))
    return ConsolidatedTablesPrint(unit_name=unit_name, superior_name=superior_name,
                                   period_label=result.period.label, subtitle=subtitle(result), tables=tables,
                                   flags=flag_lines(result))


def flag_lines(result: domain.Consolidation) -> list[str]:
    lines = []
    for flag in result.two_cells:
        where = "; ".join(_("{name} ở {cell}").format(name=m["full_name"], cell=m["cell_name"])
                          for m in flag["members"])
        how = _("cùng số thẻ {card}").format(card=flag["key"]) if flag["match"] == "card" else _(
            "cùng họ tên và ngày sinh")
        lines.append(_("Đảng viên có tên ở hai chi bộ ({how}): {where}.").format(how=how, where=where))
    for item in result.transferred_nowhere:
        lines.append(_("{name} chuyển đi khỏi {cell} ngày {date} nhưng không có trong gói của chi bộ nào khác.").format(
            name=item["full_name"], cell=item["cell_name"], date=_day(item["date"])))
    for cell in result.missing:
        lines.append(_("{name} (mã {code}) chưa gửi gói của kỳ này.").format(name=cell.name, code=cell.code))
    if not result.identity_holds:
        lines.append(_("Biểu 1 tổng hợp không cân: A + B − C khác D; xem lại gói của các chi bộ."))
    aggregate = [c.name for c in result.cells if c.privacy == "aggregate"]
    if aggregate:
        lines.append(_("Gói của {names} chỉ có số liệu (mức aggregate): không đối chiếu được đảng viên trùng hay "
                       "chuyển đi.").format(names=", ".join(aggregate)))
    return lines


def _day(text: str) -> str:
    year, month, day = text[:10].split("-")
    return f"{day}/{month}/{year}"


def _documents(period: Period, with_forms: bool) -> list[base.Document]:
    info = require_superior()
    result = consolidation(period)
    if not result.cells:
        raise ServiceError(_("Chưa có gói nào của kỳ {period} để tổng hợp.").format(period=period.label))
    docs: list[base.Document] = []
    if with_forms:
        paper = statistics_printing.statistics_print(result.forms, unit_name=info.name,
                                                     superior_name=info.superior_name, subtitle=subtitle(result),
                                                     signer=SIGNER)
        docs += form_documents(paper)
    docs.append(ConsolidatedTablesDocument(tables_print(result, info.name, info.superior_name)))
    return docs


def write_pdf(period: Period, path) -> Path:
    """The summed forms, then the tables and the flags, in one PDF."""
    write_export(path, base.render(_documents(period, True), None))
    return Path(path)


def write_tables_pdf(period: Period, path) -> Path:
    write_export(path, base.render(_documents(period, False), None))
    return Path(path)
