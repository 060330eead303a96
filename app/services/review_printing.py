"""Printing the annual review's papers: each member's form (Mẫu 2A/2B/2C), the summary of results, the cell's
report (Mẫu 01), the review meeting's minutes and the ballots. Each PDF lands whole or not at all."""
from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

from app.domain.cell import CellInfo
from app.domain.review import GRADES_BEST_FIRST, TaskShares, format_score
from app.domain.review_checks import quota
from app.domain.review_criteria import CriteriaSheet
from app.domain.review_scope import Exclusion
from app.i18n import _
from app.reports import base, party
from app.reports.base import PartyHeader
from app.reports.layout import load_layout
from app.reports.review_ballot import BallotPrint, BallotsDocument
from app.reports.review_cell import CellReportDocument, CellReportPrint
from app.reports.review_form import CriteriaPrint, ReviewFormDocument, ReviewFormPrint, TaskLine
from app.reports.review_minutes import MemberVote, ReviewMinutesDocument, ReviewMinutesPrint
from app.reports.review_summary import GradeTotal, ReviewSummaryDocument, SummaryLine, SummaryPrint
from app.reports.review_text import short
from app.services import meeting_printing, meetings
from app.services import review as review_service
from app.services.errors import ServiceError
from app.services.files import write_export
from app.services.review import ReviewRow, Season

Progress = Callable[[int, int], None]


def _committee(info: CellInfo) -> str:
    spelling = load_layout().spelling("committee", "Đảng ủy")
    return party.committee_of(info.superior_name, spelling) or spelling


def _write(documents: list[base.Document], path: Path | str) -> Path:
    """Lay the papers out in memory, then write the file through the one helper (whole or not at all)."""
    data = base.render(documents, None)
    write_export(path, data)
    return Path(path)


def _blank_number(form: str, symbol: str) -> str:
    """Số   -BC/CB: the number is written by hand in the register of documents (none is issued here)."""
    return party.number_text(None, load_layout().form(form).get("symbol", symbol))


def _header(info: CellInfo, season: Season, number: str | None = None) -> PartyHeader:
    return PartyHeader(info.superior_name, info.name, number, info.place_name, season.review_date)


def _score(value) -> str:
    return format_score(value) if value is not None else ""


# --- the member's form ---------------------------------------------------------------------------

def _criteria(sheet: CriteriaSheet) -> CriteriaPrint:
    groups = [(f"{party.upper(group.kind.label)} ({format_score(group.kind.points)} ĐIỂM)",
               [(item.title, format_score(item.points)) for item in group.items]) for group in sheet.groups]
    return CriteriaPrint(sheet.name, groups)


def _shares_sentence(shares: TaskShares) -> str:
    text = (f"Tỷ lệ nhiệm vụ hoàn thành đúng tiến độ: {format_score(shares.on_time)}%; vượt yêu cầu: "
            f"{format_score(shares.exceeded)}%; chậm tiến độ: {format_score(shares.late)}%; không hoàn thành: "
            f"{format_score(shares.not_done)}%.")
    if shares.overridden:
        text += f" (Tỷ lệ do chi bộ xác định: {shares.override_reason}.)"
    return text


def _task_lines(row: ReviewRow) -> list[TaskLine]:
    return [TaskLine(t.title, f"{t.due_month.month:02d}/{t.due_month.year}",
                     t.status.label if t.status else "Chưa xác nhận") for t in row.tasks]


def _refuse_not_reviewed(row: ReviewRow, year: int, paper: str) -> None:
    if not row.reviewed:
        raise ServiceError(_("Đồng chí {name} không thuộc diện kiểm điểm năm {year} ({reason}); không in {paper}.")
                           .format(name=row.full_name, year=year, reason=row.scope.exclusion.label, paper=paper))


def _form_print(row: ReviewRow, season: Season, info: CellInfo, form: str | None) -> ReviewFormPrint:
    d = row.data
    chosen = (form or d.form or "2C").strip().upper()
    if chosen not in review_service.FORMS:
        raise ServiceError(_("Mẫu bản kiểm điểm «{form}» không có; chọn 2C, 2B hoặc 2A.").format(form=form))
    return ReviewFormPrint(
        header=_header(info, season), form=chosen, year=season.year, cell_name=info.name, full_name=row.full_name,
        birth_date=row.birth_date.strftime("%d/%m/%Y") if row.birth_date else "", criteria=_criteria(season.criteria),
        committee=_committee(info), strengths=d.strengths, shortcomings=d.shortcomings, remedies=d.remedies,
        plan=d.plan, tasks=_task_lines(row), shares=_shares_sentence(row.shares),
        notes=[n.label for n in row.scope.notes], general=_score(d.general_score), task_score=_score(d.task_score),
        total=_score(row.total), self_grade=d.self_grade, committee_view=d.committee_view,
        cell_comments=d.cell_comments, votes=d.votes, voters=d.voters, proposed=d.proposed_grade,
        proposed_reason=d.proposed_reason, final=d.final_grade, final_reason=d.final_reason,
        final_decision=d.final_decision, secretary_name=info.secretary_name)


def print_review_form(year: int, member_id: int, path, *, form: str | None = None) -> Path:
    """Bản kiểm điểm, tự đánh giá, xếp loại of one member (the stored form, or the one asked for)."""
    info = meeting_printing.cell_for_papers()
    season = review_service.get_season(year)
    row = review_service.review_row(year, member_id)
    _refuse_not_reviewed(row, year, _("bản kiểm điểm"))
    return _write([ReviewFormDocument(_form_print(row, season, info, form))], path)


def print_review_forms(year: int, path, *, progress: Progress | None = None) -> Path:
    """Every reviewed member's form in one PDF, each from a new page; progress(done, total) after each."""
    info = meeting_printing.cell_for_papers()
    season = review_service.get_season(year)
    rows = [r for r in review_service.review_rows(year) if r.reviewed]
    if not rows:
        raise ServiceError(_("Năm {year} chưa có đảng viên nào thuộc diện kiểm điểm; không có bản kiểm điểm để in.")
                           .format(year=year))
    documents = [ReviewFormDocument(_form_print(row, season, info, None), on_done=_step(progress, done, len(rows)))
                 for done, row in enumerate(rows, start=1)]
    return _write(documents, path)


def _step(progress: Progress | None, done: int, total: int) -> Callable[[], None] | None:
    return None if progress is None else (lambda: progress(done, total))


# --- the summary of results ----------------------------------------------------------------------

def _note(row: ReviewRow) -> str:
    if not row.reviewed:
        return row.scope.exclusion.label
    return "" if row.result else "Chưa có kết quả xếp loại"


def _summary_line(row: ReviewRow) -> SummaryLine:
    d = row.data
    return SummaryLine(row.full_name, row.party_post, _score(row.total) if row.reviewed else "",
                       short(d.self_grade), short(d.proposed_grade), short(d.final_grade), _note(row))


def _grade_totals(found: review_service.Summary) -> list[GradeTotal]:
    totals = [GradeTotal(g.grade.label, str(g.proposed), found.percent(g.proposed) + "%", str(g.final),
                         found.percent(g.final) + "%") for g in found.grades]
    proposed, final = sum(g.proposed for g in found.grades), sum(g.final for g in found.grades)
    totals.append(GradeTotal("Cộng", str(proposed), found.percent(proposed) + "%", str(final),
                             found.percent(final) + "%"))
    return totals


def _bieu_6f(found: review_service.Summary, season: Season) -> list[str]:
    """Biểu 6F: those not reviewed counted by reason; members here only for a while, rated at their own cell,
    and those no longer in the cell stand apart from the total."""
    apart = found.not_reviewed
    not_rated = sum(n for reason, n in apart.items() if reason.in_bieu_6f)
    months = season.scope_thresholds.min_months_since_admission
    lines = [f"- Tổng số đảng viên của chi bộ: {found.reviewed + not_rated} đồng chí.",
             f"- Số đảng viên được đánh giá, xếp loại: {found.reviewed} đồng chí"
             + (f" (chưa có kết quả xếp loại: {found.not_graded} đồng chí)." if found.not_graded else "."),
             f"- Số đảng viên không đánh giá, xếp loại: {not_rated} đồng chí, trong đó:",
             f"+ Miễn công tác và sinh hoạt đảng: {apart[Exclusion.EXEMPT]} đồng chí;",
             f"+ Đình chỉ sinh hoạt đảng: {apart[Exclusion.SUSPENDED]} đồng chí;",
             f"+ Mới kết nạp chưa đủ {months} tháng: {apart[Exclusion.NEWLY_ADMITTED]} đồng chí.",
             f"- Đảng viên sinh hoạt tạm thời tại chi bộ (đánh giá, xếp loại ở chi bộ chính thức, không tính vào tổng "
             f"số): {apart[Exclusion.TEMPORARY_HERE]} đồng chí."]
    if apart[Exclusion.NOT_IN_CELL]:
        lines.append(f"- Không còn sinh hoạt tại chi bộ vào ngày kiểm điểm (không tính vào tổng số): "
                     f"{apart[Exclusion.NOT_IN_CELL]} đồng chí.")
    return lines


def _quota_lines(rows: list[ReviewRow], season: Season) -> list[str]:
    """The quota at each stage decided so far (Quy định 366, Điều 11 khoản 1.4)."""
    percent = season.quota_percent
    lines = [f"Số đảng viên Hoàn thành xuất sắc nhiệm vụ không quá {percent}% số đảng viên Hoàn thành tốt nhiệm vụ."]
    for stage, who in (("proposed_grade", "Chi bộ đề xuất"), ("final_grade", "Đảng ủy quyết định")):
        grades = [getattr(r.data, stage) for r in rows if r.reviewed and getattr(r.data, stage)]
        if stage == "final_grade" and not grades:
            continue
        found = quota(grades, Fraction(percent))
        over = f"; vượt {found.over} đồng chí" if found.over else ""
        lines.append(f"- {who}: {found.excellent} đồng chí Hoàn thành xuất sắc nhiệm vụ, {found.good} đồng chí "
                     f"Hoàn thành tốt nhiệm vụ; được phép tối đa {found.allowed} đồng chí Hoàn thành xuất sắc nhiệm "
                     f"vụ{over}.")
    return lines


def print_review_summary(year: int, path) -> Path:
    """Tổng hợp kết quả đánh giá, xếp loại chất lượng đảng viên năm: the table, totals, Biểu 6F, the quota."""
    info = meeting_printing.cell_for_papers()
    season = review_service.get_season(year)
    rows = review_service.review_rows(year)
    found = review_service.summary(year, rows)
    data = SummaryPrint(_header(info, season), year, [_summary_line(r) for r in rows], _grade_totals(found),
                        _bieu_6f(found, season), _quota_lines(rows, season), info.secretary_name)
    return _write([ReviewSummaryDocument(data)], path)


# --- the cell's report (Mẫu 01) --------------------------------------------------------------------

def _cell_results(summary: review_service.CellSummary) -> list[str]:
    lines = [f"- Tổng số đảng viên được đánh giá, xếp loại: {summary.reviewed} đồng chí."]
    for grade in GRADES_BEST_FIRST:
        count = summary.counts.get(grade, 0)
        share = format_score(Fraction(100 * count, summary.reviewed)) if summary.reviewed else "0"
        lines.append(f"- {grade.label}: {count} đồng chí ({share}%).")
    lines.append(f"- Đảng viên bị kỷ luật trong năm: {summary.disciplined} đồng chí.")
    return lines


def _cell_criteria(rating: review_service.CellRating) -> list[str]:
    exceeded = {True: "có", False: "không", None: "……"}[rating.exceeded]
    return ["- Nhóm tiêu chí chung (30 điểm).", "- Nhóm tiêu chí về kết quả thực hiện nhiệm vụ (70 điểm).",
            f"- Có từ 30% chỉ tiêu, nhiệm vụ hoàn thành vượt mức trở lên: {exceeded}."]


def _computed_text(summary: review_service.CellSummary) -> str:
    if summary.computed is None:
        return ""
    why = " ".join(summary.computed.why())
    return f"Mức tính theo điểm và điều kiện: {summary.computed.grade.label}." + (f" {why}" if why else "")


def print_cell_report(year: int, path) -> Path:
    """Báo cáo kiểm điểm, tự đánh giá, xếp loại chất lượng của tập thể chi bộ (Mẫu 01-HD KĐ.ĐG 2025)."""
    info = meeting_printing.cell_for_papers()
    season = review_service.get_season(year)
    summary = review_service.cell_summary(year)
    r = summary.rating
    data = CellReportPrint(
        header=_header(info, season, _blank_number("review_cell", "BC")), year=year, cell_name=info.name,
        general=_score(r.general), tasks=_score(r.tasks), total=_score(r.total), self_grade=r.self_grade,
        strengths=r.strengths, shortcomings=r.shortcomings, remedies=r.remedies, plan=r.plan,
        criteria=_cell_criteria(r), results=_cell_results(summary), computed=_computed_text(summary),
        recipients=[f"{_committee(info)} (để báo cáo),", "Lưu Chi bộ."], secretary_name=info.secretary_name)
    return _write([CellReportDocument(data)], path)


# --- the review meeting's minutes ------------------------------------------------------------------

def _member_vote(row: ReviewRow) -> MemberVote:
    d = row.data
    return MemberVote(row.full_name, _score(row.total), d.self_grade, d.cell_comments, d.votes, d.voters,
                      d.proposed_grade)


def print_review_minutes(year: int, path) -> Path:
    """Biên bản hội nghị kiểm điểm, đánh giá, xếp loại chất lượng năm: from the season's meeting when one is
    linked (date, place, chair, minute taker, attendance), else on the review date with blanks to fill in."""
    info = meeting_printing.cell_for_papers()
    season = review_service.get_season(year)
    rows = review_service.review_rows(year)
    meeting = None
    if season.meeting_id is not None:
        meeting = meeting_printing.meeting_print(season.meeting_id, _blank_number("review_minutes", "BB"),
                                                 meetings.Roster(), info)
    header = meeting.header if meeting else _header(info, season, _blank_number("review_minutes", "BB"))
    cell = season.cell
    data = ReviewMinutesPrint(
        header=header, year=year, cell_name=info.name, day=meeting.meeting.date if meeting else season.review_date,
        meeting=meeting, present=season.present, members=[_member_vote(r) for r in rows if r.reviewed],
        cell_total=_score(cell.total), cell_self_grade=cell.self_grade, cell_votes=cell.votes,
        not_reviewed=[f"đồng chí {r.full_name} ({r.scope.exclusion.label.lower()})" for r in rows
                      if not r.reviewed and r.scope.exclusion.in_bieu_6f])
    return _write([ReviewMinutesDocument(data)], path)


# --- the ballots -----------------------------------------------------------------------------------

def print_ballots(year: int, path, *, member_id: int | None = None) -> Path:
    """Phiếu biểu quyết mức xếp loại: one per reviewed member and one for the cell; or one member's alone."""
    info = meeting_printing.cell_for_papers()
    review_service.get_season(year)
    title = f"PHIẾU BIỂU QUYẾT MỨC XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM {year}"
    if member_id is not None:
        row = review_service.review_row(year, member_id)
        _refuse_not_reviewed(row, year, _("phiếu biểu quyết"))
        rows = [row]
    else:
        rows = [r for r in review_service.review_rows(year) if r.reviewed]
    ballots = [BallotPrint(title, f"Họ và tên đảng viên: {r.full_name}", info.name) for r in rows]
    if member_id is None:
        ballots.append(BallotPrint(f"PHIẾU BIỂU QUYẾT MỨC XẾP LOẠI CHẤT LƯỢNG TẬP THỂ CHI BỘ NĂM {year}",
                                   f"Tập thể: {info.name}", info.name))
    return _write([BallotsDocument(ballots, year)], path)
