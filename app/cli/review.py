"""Command line for the annual review (kiểm điểm, đánh giá, xếp loại chất lượng cuối năm): the season, each
member's review at every stage, the checks and the summary, the criteria sheet, the cell's own rating, the
tasks and the dated thresholds."""
from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

from app.cli.common import UsageError, date_option, print_json
from app.cli.meetings import _text as text_option
from app.domain.dates import iso
from app.domain.issues import Issue
from app.domain.labels import field_label
from app.domain.review import GRADES_BEST_FIRST, Grade, TaskStatus, format_score, parse_grade
from app.i18n import _
from app.services.errors import ValidationFailed

GRADE_CODES = ", ".join(g.value for g in GRADES_BEST_FIRST)
STATUS_CODES = ", ".join(s.value for s in TaskStatus)
# The status word that takes a task back to «chưa xác nhận».
UNCONFIRMED = "chua-xac-nhan"

# Member review field (EntryData) -> the option of `review set` that gives it; the service reads and checks it.
VALUE_OPTIONS = {
    "general_score": "--general", "task_score": "--tasks", "self_grade": "--self-grade",
    "committee_grade": "--committee-grade", "committee_view": "--committee-view", "proposed_grade": "--proposed",
    "final_grade": "--final", "voters": "--voters", "form": "--form", "sick_months": "--sick-months",
    "temporary_comment": "--temporary-comment", "residence_comment": "--residence-comment",
    "strengths": "--strengths", "shortcomings": "--shortcomings", "remedies": "--remedies", "plan": "--plan",
    "cell_comments": "--cell-comments", "final_decision": "--decision", "share_on_time": "--on-time",
    "share_late": "--late", "share_exceeded": "--exceeded-percent", "share_reason": "--shares-reason",
}
# Fields written as text; @FILE reads it from a file, as the meeting commands do.
TEXT_FIELDS = ("committee_view", "temporary_comment", "residence_comment", "strengths", "shortcomings", "remedies",
               "plan", "cell_comments", "final_decision", "share_reason")
# Yes/no facts: field -> (the option that sets it, the option that clears it).
FLAG_OPTIONS = {
    "exceeded": ("--exceeded", "--not-exceeded"), "suspended": ("--suspended", "--not-suspended"),
    "maternity": ("--maternity", "--not-maternity"),
    "temporary_elsewhere": ("--temporary-elsewhere", "--not-temporary-elsewhere"),
    "works_elsewhere": ("--works-elsewhere", "--not-works-elsewhere"), "decline": ("--decline", "--not-decline"),
    "disciplined": ("--disciplined", "--not-disciplined"), "prohibitions": ("--prohibitions", "--not-prohibitions"),
    "shortcomings_remedied": ("--shortcomings-remedied", "--shortcomings-left"),
}
# The reason --reason fills for each stage given in the same command (366 Điều 12: a grade other than the
# score's needs one).
# The chi ủy's written view is its reason: --reason fills it when --committee-view is not given.
STAGE_REASONS = {"self_grade": "self_reason", "committee_grade": "committee_view", "proposed_grade": "proposed_reason",
                 "final_grade": "final_reason"}
# The cell's own rating (Mẫu 01) -> option of `review cell`.
CELL_OPTIONS = {"general": "--general", "tasks": "--tasks", "self_grade": "--self-grade", "final_grade": "--final",
                "strengths": "--strengths", "shortcomings": "--shortcomings", "remedies": "--remedies",
                "plan": "--plan"}
# A field the service names with no label of its own is named by the option the secretary typed.
FIELD_OPTIONS = {
    **VALUE_OPTIONS, **{name: pair[0] for name, pair in FLAG_OPTIONS.items()}, "votes": "--votes",
    "year": "--year", "review_date": "--date", "meeting_id": "--meeting", "present": "--present",
    "task_title": "--title", "due_month": "--due", "task_status": "STATUS", "cancel_reason": "--reason",
    "self_reason": "--reason", "proposed_reason": "--reason", "final_reason": "--reason", "reason": "--reason",
    "member_id": "MEMBER_ID", "valid_from": "--from", "rule_note": "--note",
}


def _short_grades() -> dict[Grade, str]:
    """The abbreviations the cell's papers use in tables."""
    return {Grade.EXCELLENT: _("HTXSNV"), Grade.GOOD: _("HTTNV"), Grade.PASSED: _("HTNV"), Grade.FAILED: _("KHTNV")}


# --- reading options ---------------------------------------------------------------------------

def _field_words() -> dict[str, str]:
    """Fields named by a word rather than an option (KEY VALUE of `review rule set` share one field)."""
    return {"rule": _("Ngưỡng")}


def _named(issue: Issue) -> Issue:
    name = issue.field.removeprefix("review.")
    if field_label(issue.field) != issue.field:
        return issue
    if name.startswith("cell_"):  # the cell's rating: review.cell_final_grade is `review cell --final`
        name = name.removeprefix("cell_")
        named = CELL_OPTIONS.get(name) or FIELD_OPTIONS.get(name)
    else:
        named = FIELD_OPTIONS.get(name) or _field_words().get(name)
    return issue if named is None else Issue(named, issue.message, issue.severity)


def fields_as_options(handler):
    """Run a command; the service's refusals name the option when the field has no label of its own."""
    @functools.wraps(handler)
    def run(args: argparse.Namespace):
        try:
            return handler(args)
        except ValidationFailed as exc:
            raise ValidationFailed([_named(i) for i in exc.issues]) from None
    return run


def grade_option(value: str | None, option: str) -> Grade | None:
    if value is None:
        return None
    grade = parse_grade(value)
    if grade is None:
        raise UsageError(_("{option}: mức xếp loại «{value}» không có; chọn một trong: {codes}.").format(
            option=option, value=value, codes=GRADE_CODES))
    return grade


def votes_option(value: str | None, option: str = "--votes") -> dict[Grade, int] | None:
    """«xuat-sac=3,tot=20,hoan-thanh=2»: the votes for each grade; an empty text clears them."""
    if value is None:
        return None
    votes: dict[Grade, int] = {}
    for part in filter(None, (p.strip() for p in value.split(","))):
        code, sep, count = part.partition("=")
        grade = parse_grade(code)
        if not sep or grade is None or grade in votes:
            raise UsageError(_("{option}: «{part}» không đọc được; ghi mỗi mức một lần, như xuat-sac=3,tot=20 "
                               "(các mức: {codes}).").format(option=option, part=part, codes=GRADE_CODES))
        votes[grade] = _count(count, f"{option} {code.strip()}")
    return votes


def _count(value: str, option: str) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        number = -1
    if number < 0:
        raise UsageError(_("{option}: «{value}» phải là một số nguyên không âm.").format(
            option=option, value=value.strip()))
    return number


def _required_date(value: str, option: str):
    day = date_option(value, option)
    if day is None:
        raise UsageError(_("{option}: cần ghi ngày.").format(option=option))
    return day


def _keep_or_count(value: str | None, option: str) -> int | None | str:
    """--meeting ID or --present N of `review season`: «none» (or nothing) clears it; «keep» when not given."""
    if value is None:
        return "keep"
    if value.strip().lower() in ("none", "khong", "không", ""):
        return None
    return _count(value, option)


def _flag_changes(args: argparse.Namespace, names) -> dict:
    return {name: getattr(args, name) for name in names if getattr(args, name) is not None}


def _value_changes(args: argparse.Namespace, options: dict[str, str]) -> dict:
    changes = {}
    for name, option in options.items():
        value = getattr(args, name)
        if value is not None:
            changes[name] = text_option(value, option) if name in TEXT_FIELDS else value
    return changes


def review_changes(args: argparse.Namespace) -> dict:
    """The fields `review set` was given, the stage reasons from --reason."""
    changes = {**_value_changes(args, VALUE_OPTIONS), **_flag_changes(args, FLAG_OPTIONS)}
    for name, option in (("self_grade", "--self-grade"), ("committee_grade", "--committee-grade"),
                         ("proposed_grade", "--proposed"), ("final_grade", "--final")):
        if name in changes:
            changes[name] = grade_option(changes[name], option)
    votes = votes_option(args.votes)
    if votes is not None:
        changes["votes"] = votes
    if args.reason:
        changes.update({STAGE_REASONS[s]: args.reason for s in STAGE_REASONS
                        if s in changes and STAGE_REASONS[s] not in changes})
    return changes


# --- the parsers -------------------------------------------------------------------------------

def _year(p: argparse.ArgumentParser, required: bool = True) -> None:
    p.add_argument("--year", type=int, required=required, help=_("năm kiểm điểm"))


def _json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help=_("in ra dạng JSON"))


def _command(cmds, name: str, help_text: str, handler, *, year: bool = False, json: bool = False):
    p = cmds.add_parser(name, help=help_text)
    if year:
        _year(p)
    if json:
        _json(p)
    p.set_defaults(handler=fields_as_options(handler))
    return p


def _flags(p: argparse.ArgumentParser, options: dict[str, tuple[str, str]]) -> None:
    for name, (yes, no) in options.items():
        group = p.add_mutually_exclusive_group()
        group.add_argument(yes, dest=name, action="store_const", const=True, default=None)
        group.add_argument(no, dest=name, action="store_const", const=False)


def _help(name: str) -> str | None:
    texts = {
        "general_score": _("điểm nhóm tiêu chí chung (0–30, ví dụ 27,5)"),
        "task_score": _("điểm nhóm kết quả thực hiện nhiệm vụ (0–70)"),
        "form": _("mẫu bản kiểm điểm: 2C, 2B hoặc 2A"), "voters": _("số đảng viên biểu quyết"),
        "sick_months": _("số tháng nghỉ ốm trong năm"), "share_on_time": _("tỷ lệ nhiệm vụ đúng hạn (%%)"),
        "share_late": _("tỷ lệ nhiệm vụ chậm (%%)"), "share_exceeded": _("tỷ lệ nhiệm vụ vượt yêu cầu (%%)"),
        "share_reason": _("lý do sửa tỷ lệ nhiệm vụ"),
    }
    if name.endswith("_grade"):
        return _("mức xếp loại: {codes}").format(codes=GRADE_CODES)
    return texts.get(name, _("văn bản; @TỆP để đọc từ tệp") if name in TEXT_FIELDS else None)


def register(sub) -> None:
    p = sub.add_parser("review", help=_("kiểm điểm, đánh giá, xếp loại chất lượng đảng viên cuối năm"))
    cmds = p.add_subparsers(dest="action", required=True)
    _season_commands(cmds)
    _member_commands(cmds)
    _criteria_commands(cmds.add_parser("criteria", help=_("khung tiêu chí đánh giá của năm")))
    _cell_command(cmds)
    _task_commands(cmds.add_parser("task", help=_("nhiệm vụ được giao và kết quả thực hiện")))
    _rule_commands(cmds.add_parser("rule", help=_("các ngưỡng áp dụng theo thời gian")))


def _season_commands(cmds) -> None:
    p = _command(cmds, "open", _("mở đợt kiểm điểm của một năm"), _cmd_open, year=True, json=True)
    p.add_argument("--date", help=_("ngày kiểm điểm (mặc định 15/12)"))
    p.add_argument("--meeting", type=int, help=_("mã số buổi sinh hoạt kiểm điểm"))
    p = _command(cmds, "season", _("sửa ngày kiểm điểm, buổi họp kiểm điểm, số có mặt"), _cmd_season, year=True,
                 json=True)
    p.add_argument("--date", help=_("ngày kiểm điểm"))
    p.add_argument("--meeting", help=_("mã số buổi sinh hoạt kiểm điểm; none để bỏ"))
    p.add_argument("--present", help=_("số đảng viên có mặt khi biểu quyết; none để bỏ"))


def _member_commands(cmds) -> None:
    p = _command(cmds, "set", _("ghi kết quả kiểm điểm của một đảng viên"), _cmd_set, year=True, json=True)
    p.add_argument("member_id", type=int, metavar="MEMBER_ID")
    for name, option in VALUE_OPTIONS.items():
        p.add_argument(option, dest=name, help=_help(name))
    _flags(p, FLAG_OPTIONS)
    p.add_argument("--votes", help=_("số phiếu từng mức, ví dụ xuat-sac=3,tot=20"))
    p.add_argument("--reason", default="", help=_("lý do (của mức xếp loại ghi cùng lệnh, và của lần sửa)"))
    _command(cmds, "list", _("danh sách kiểm điểm của năm: điểm, mức xếp loại từng bước"), _cmd_list, year=True,
             json=True)
    _command(cmds, "check", _("cảnh báo: tỷ lệ xuất sắc, hai năm liền, mâu thuẫn, phiếu"), _cmd_check, year=True,
             json=True)
    _command(cmds, "summary", _("tổng hợp kết quả xếp loại của năm"), _cmd_summary, year=True, json=True)


def _criteria_commands(p: argparse.ArgumentParser) -> None:
    cmds = p.add_subparsers(dest="criteria_action", required=True)
    imp = _command(cmds, "import", _("nhập khung tiêu chí của Đảng ủy từ tệp .xlsx hoặc .csv"), _cmd_criteria_import,
                   year=True)
    imp.add_argument("file", type=Path, metavar=_("TỆP"))
    _command(cmds, "show", _("xem khung tiêu chí của năm"), _cmd_criteria_show, year=True, json=True)


def _cell_command(cmds) -> None:
    p = _command(cmds, "cell", _("tập thể chi bộ tự đánh giá, xếp loại (không có tùy chọn: xem)"), _cmd_cell,
                 year=True, json=True)
    for name, option in CELL_OPTIONS.items():
        p.add_argument(option, dest=name, help=_help({"general": "general_score", "tasks": "task_score"}.get(
            name, name)))
    _flags(p, {"exceeded": FLAG_OPTIONS["exceeded"]})
    p.add_argument("--votes", help=_("số phiếu từng mức, ví dụ xuat-sac=3,tot=20"))
    p.add_argument("--reason", default="", help=_("lý do của mức Đảng ủy quyết định (và của lần sửa)"))


def _task_commands(p: argparse.ArgumentParser) -> None:
    cmds = p.add_subparsers(dest="task_action", required=True)
    add = _command(cmds, "add", _("giao một nhiệm vụ cho một đảng viên"), _cmd_task_add, json=True)
    add.add_argument("member_id", type=int, metavar="MEMBER_ID")
    add.add_argument("--title", required=True, help=_("nội dung nhiệm vụ"))
    add.add_argument("--due", required=True, help=_("tháng phải xong (YYYY-MM)"))
    add.add_argument("--meeting", type=int, help=_("buổi sinh hoạt giao nhiệm vụ"))
    lst = _command(cmds, "list", _("danh sách nhiệm vụ"), _cmd_task_list, json=True)
    _year(lst, required=False)
    lst.add_argument("--member", type=int)
    lst.add_argument("--meeting", type=int)
    status = _command(cmds, "status", _("xác nhận kết quả một nhiệm vụ"), _cmd_task_status, json=True)
    status.add_argument("task_id", type=int, metavar="TASK_ID")
    status.add_argument("status", metavar="STATUS", help=_("{codes}, hoặc {none}").format(codes=STATUS_CODES,
                                                                                          none=UNCONFIRMED))
    status.add_argument("--meeting", type=int, help=_("buổi sinh hoạt xác nhận"))
    cancel = _command(cmds, "cancel", _("bỏ một nhiệm vụ ghi nhầm"), _cmd_task_cancel)
    cancel.add_argument("task_id", type=int, metavar="TASK_ID")
    cancel.add_argument("--reason", required=True)
    meeting = _command(cmds, "from-meeting", _("ghi các dòng phân công của một buổi thành nhiệm vụ"),
                       _cmd_task_from_meeting, json=True)
    meeting.add_argument("meeting_id", type=int, metavar="MEETING_ID")
    confirm = _command(cmds, "confirm", _("nhiệm vụ kỳ trước cần xác nhận ở một buổi (--set: xác nhận)"),
                       _cmd_task_confirm, json=True)
    confirm.add_argument("meeting_id", type=int, metavar="MEETING_ID")
    confirm.add_argument("--set", dest="statuses", nargs="+", action="extend", metavar="TASK_ID=STATUS",
                         help=_("kết quả từng nhiệm vụ: {codes}").format(codes=STATUS_CODES))


def _rule_commands(p: argparse.ArgumentParser) -> None:
    from app.services.review import RULES

    cmds = p.add_subparsers(dest="rule_action", required=True)
    _command(cmds, "list", _("các ngưỡng và ngày áp dụng"), _cmd_rule_list, json=True)
    set_ = _command(cmds, "set", _("thêm một ngưỡng áp dụng từ một ngày"), _cmd_rule_set)
    set_.add_argument("key", metavar="KEY", help=", ".join(RULES))
    set_.add_argument("value", metavar="VALUE")
    set_.add_argument("--from", dest="valid_from", required=True, help=_("ngày bắt đầu áp dụng"))
    set_.add_argument("--note", default="")
    remove = _command(cmds, "remove", _("bỏ một ngưỡng đã ghi"), _cmd_rule_remove)
    remove.add_argument("rule_id", type=int, metavar="ID")
    remove.add_argument("--reason", default="")


# --- output ------------------------------------------------------------------------------------

def _grade_label(grade: Grade | None) -> str:
    return grade.label if grade else "—"


def _short(grade: Grade | None) -> str:
    return _short_grades()[grade] if grade else "—"


def season_json(season) -> dict:
    return {"year": season.year, "review_date": iso(season.review_date), "meeting_id": season.meeting_id,
            "present": season.present, "criteria": season.criteria.name,
            "criteria_is_default": season.criteria.is_default, "quota_percent": season.quota_percent,
            "min_months_since_admission": season.scope_thresholds.min_months_since_admission,
            "sick_months": int(season.scope_thresholds.sick_months)}


def _print_season(season) -> None:
    print(_("Đợt kiểm điểm năm {year}: ngày kiểm điểm {date}; tỷ lệ xuất sắc tối đa {percent} % số Hoàn thành tốt."
            ).format(year=season.year, date=season.review_date.strftime("%d/%m/%Y"), percent=season.quota_percent))
    if season.meeting_id is not None:
        print("  " + _("Buổi họp kiểm điểm: mã số {id}.").format(id=season.meeting_id))
    if season.present is not None:
        print("  " + _("Số có mặt khi biểu quyết: {n}.").format(n=season.present))
    print("  " + _("Khung tiêu chí: {name}.").format(name=season.criteria.name))


def _print_row(row) -> None:
    from app.services.review import Stage

    print(f"{row.full_name} ({_('mã số {id}').format(id=row.member_id)}) — {row.state}")
    if not row.reviewed:
        print("  " + _("Không thuộc diện kiểm điểm: {reason}.").format(reason=row.scope.exclusion.label))
        return
    d = row.data
    if row.total is not None:
        print("  " + _("Điểm: {general} + {tasks} = {total}; theo điểm và điều kiện: {grade}.").format(
            general=format_score(d.general_score), tasks=format_score(d.task_score), total=format_score(row.total),
            grade=row.computed.grade.label))
        for sentence in row.computed.why():
            print("    " + sentence)
    for name in (Stage.SELF, Stage.COMMITTEE, Stage.CELL, Stage.FINAL):
        print(f"  {Stage.label(name)}: {_grade_label(row.stage_grade(name))}")
    s = row.shares
    print("  " + _("Nhiệm vụ: {n}; đúng hạn {on_time} %, vượt {exceeded} %, chậm {late} %, không hoàn thành "
                   "{not_done} %.").format(n=len(row.tasks), on_time=format_score(s.on_time),
                                          exceeded=format_score(s.exceeded), late=format_score(s.late),
                                          not_done=format_score(s.not_done)))
    for note in row.scope.notes:
        print("  " + note.label)


def _print_warnings(issues) -> None:
    for issue in issues:
        print(_("Lưu ý: {warning}").format(warning=_named(issue)), file=sys.stderr)


def _row_line(row) -> str:
    d = row.data
    total = format_score(row.total) if row.total is not None else "—"
    computed = _short(row.computed.grade) if row.computed else "—"
    state = row.state if row.reviewed else f"{row.state}: {row.scope.exclusion.label}"
    grades = "".join(f"{_short(g):<8}" for g in (d.self_grade, d.committee_grade, d.proposed_grade, d.final_grade))
    return f"{row.member_id:>5}  {row.full_name:<28} {total:>6}  {computed:<8}{grades}{state}"


def _list_header() -> str:
    return (f"{_('Mã'):>5}  {_('Họ và tên'):<28} {_('Điểm'):>6}  {_('Tính'):<8}{_('Tự XL'):<8}{_('Chi ủy'):<8}"
            f"{_('Chi bộ'):<8}{_('Đảng ủy'):<8}{_('Tình trạng')}")


# --- commands: the season and the members ------------------------------------------------------

def _cmd_open(args: argparse.Namespace) -> int:
    from app.services import review

    season = review.open_season(args.year, review_date=date_option(args.date, "--date"), meeting_id=args.meeting)
    print_json(season_json(season)) if args.json else _print_season(season)


def _cmd_season(args: argparse.Namespace) -> int:
    from app.services import review

    season = review.update_season(args.year, review_date=date_option(args.date, "--date"),
                                  meeting_id=_keep_or_count(args.meeting, "--meeting"),
                                  present=_keep_or_count(args.present, "--present"))
    print_json(season_json(season)) if args.json else _print_season(season)


def _cmd_set(args: argparse.Namespace) -> int:
    from app.services import review

    changes = review_changes(args)
    if not changes:
        raise UsageError(_("chưa ghi gì: hãy cho ít nhất một tùy chọn (chibo review set --help)."))
    row, warnings = review.set_review(args.year, args.member_id, reason=args.reason, **changes)
    _print_warnings(warnings)
    print_json(review.row_json(row)) if args.json else _print_row(row)


def _cmd_list(args: argparse.Namespace) -> int:
    from app.services import review

    rows = review.review_rows(args.year)
    if args.json:
        print_json([review.row_json(r) for r in rows])
        return 0
    print(_list_header())
    for row in rows:
        print(_row_line(row))
    found = review.summary(args.year, rows)
    print(_("Cộng: {count} dòng; {on_roll} đảng viên của chi bộ (tổng số của Biểu 6F), {reviewed} thuộc diện kiểm "
            "điểm; các dòng còn lại sinh hoạt tạm thời tại chi bộ hoặc đã rời chi bộ.").format(
        count=len(rows), on_roll=found.on_roll, reviewed=found.reviewed))


def _cmd_check(args: argparse.Namespace) -> int:
    from app.services import review

    found = review.check(args.year)
    if args.json:
        print_json([f.to_json() for f in found])
        return 0
    for finding in found:
        print(_named_finding(finding))
    if not found:
        print(_("Không có cảnh báo."))


def _named_finding(finding) -> str:
    issue = _named(finding.issue)
    return f"{finding.name}: {issue}" if finding.name else str(issue)


def _cmd_summary(args: argparse.Namespace) -> int:
    from app.domain.review_scope import Exclusion
    from app.services import review

    found = review.summary(args.year)
    if args.json:
        print_json(found.to_json())
        return 0
    print(_("Năm {year}: {on_roll} đảng viên trong danh sách, {reviewed} thuộc diện kiểm điểm.").format(
        year=found.year, on_roll=found.on_roll, reviewed=found.reviewed))
    print(f"{_('Mức xếp loại'):<32} {_('Chi bộ đề xuất'):>18} {_('Đảng ủy quyết định'):>20}")
    for g in found.grades:
        proposed = f"{g.proposed} ({found.percent(g.proposed)} %)"
        final = f"{g.final} ({found.percent(g.final)} %)"
        print(f"{g.grade.label:<32} {proposed:>18} {final:>20}")
    print(_("Chưa xếp loại: {n}.").format(n=found.not_graded))
    print(_("Hoàn thành xuất sắc nhiệm vụ tối đa ({percent} % số Hoàn thành tốt nhiệm vụ): chi bộ đề xuất {proposed}, "
            "Đảng ủy quyết định {final}.").format(percent=found.quota_percent, proposed=found.quota_allowed("proposed"),
                                                  final=found.quota_allowed("final")))
    print(_("Không thuộc diện kiểm điểm:"))
    for reason in Exclusion:
        print(f"  {reason.label}: {found.not_reviewed.get(reason, 0)}")


# --- commands: the criteria sheet and the cell --------------------------------------------------

def criteria_json(sheet) -> dict:
    return {"name": sheet.name, "is_default": sheet.is_default, "groups": [
        {"kind": g.kind.value, "label": g.kind.label, "total": format_score(g.total),
         "items": [{"title": i.title, "points": format_score(i.points)} for i in g.items]} for g in sheet.groups]}


def _print_criteria(sheet) -> None:
    print(sheet.name)
    for group in sheet.groups:
        print(f"{group.kind.label} ({format_score(group.total)} " + _("điểm") + ")")
        for number, item in enumerate(group.items, start=1):
            print(f"  {number}. {item.title}: {format_score(item.points)}")


def _cmd_criteria_import(args: argparse.Namespace) -> int:
    from app.services import review_criteria_io

    if not args.file.is_file():
        raise UsageError(_("không có tệp {file}.").format(file=args.file))
    season = review_criteria_io.import_sheet(args.year, args.file)
    print(_("Đã nhập khung tiêu chí cho năm {year}:").format(year=args.year))
    _print_criteria(season.criteria)


def _cmd_criteria_show(args: argparse.Namespace) -> int:
    from app.services import review

    sheet = review.get_season(args.year).criteria
    print_json(criteria_json(sheet)) if args.json else _print_criteria(sheet)


def cell_json(found) -> dict:
    r = found.rating
    return {"general": format_score(r.general) if r.general is not None else None,
            "tasks": format_score(r.tasks) if r.tasks is not None else None,
            "total": format_score(r.total) if r.total is not None else None, "exceeded": r.exceeded,
            "computed_grade": found.computed.grade.value if found.computed else None,
            "why_not_higher": found.computed.why() if found.computed else [],
            "self_grade": r.self_grade.value if r.self_grade else None,
            "final_grade": r.final_grade.value if r.final_grade else None, "final_reason": r.final_reason,
            "votes": {g.value: n for g, n in r.votes.items()}, "strengths": r.strengths,
            "shortcomings": r.shortcomings, "remedies": r.remedies, "plan": r.plan,
            "members_reviewed": found.reviewed, "members_disciplined": found.disciplined,
            "members_by_grade": {g.value: n for g, n in found.counts.items()}}


def _print_cell(found) -> None:
    r = found.rating
    if r.total is not None:
        print(_("Điểm: {general} + {tasks} = {total}; theo điểm và điều kiện: {grade}.").format(
            general=format_score(r.general), tasks=format_score(r.tasks), total=format_score(r.total),
            grade=found.computed.grade.label))
        for sentence in found.computed.why():
            print("  " + sentence)
    print(_("Chi bộ tự xếp loại: {grade}.").format(grade=_grade_label(r.self_grade)))
    print(_("Đảng ủy quyết định: {grade}.").format(grade=_grade_label(r.final_grade)))
    counts = ", ".join(f"{_short(g)} {n}" for g, n in found.counts.items())
    print(_("Đảng viên được kiểm điểm: {n} ({counts}); bị kỷ luật trong năm: {disciplined}.").format(
        n=found.reviewed, counts=counts, disciplined=found.disciplined))


def _cmd_cell(args: argparse.Namespace) -> int:
    from app.services import review

    changes = _value_changes(args, CELL_OPTIONS)
    for name, option in (("self_grade", "--self-grade"), ("final_grade", "--final")):
        if name in changes:
            changes[name] = grade_option(changes[name], option)
    if args.exceeded is not None:
        changes["exceeded"] = args.exceeded
    votes = votes_option(args.votes)
    if votes is not None:
        changes["votes"] = votes
    if args.reason and "final_grade" in changes:
        changes["final_reason"] = args.reason
    found = review.set_cell_rating(args.year, reason=args.reason, **changes) if changes else review.cell_summary(
        args.year)
    print_json(cell_json(found)) if args.json else _print_cell(found)


# --- commands: tasks ---------------------------------------------------------------------------

def _print_task(task, name: str = "") -> None:
    status = task.status.label if task.status else _("Chưa xác nhận")
    who = name or _("đảng viên {id}").format(id=task.member_id)
    print(f"{task.id:>5}  {task.due_month}  {who:<28} {status:<24} {task.title}")


def _people() -> dict[int, str]:
    from app.services import members

    return {e.member.id: e.member.full_name for e in members.list_members(statuses=None, include_archived=True)}


def _print_tasks(tasks: list, as_json: bool) -> None:
    if as_json:
        print_json([t.to_json() for t in tasks])
        return
    people = _people()
    for task in tasks:
        _print_task(task, people.get(task.member_id, ""))
    print(_("Cộng: {count} nhiệm vụ.").format(count=len(tasks)))


def _cmd_task_add(args: argparse.Namespace) -> int:
    from app.services import review_tasks

    task = review_tasks.add_task(args.member_id, args.title, due_month=args.due, meeting_id=args.meeting)
    print_json(task.to_json()) if args.json else print(_("Đã giao nhiệm vụ mã số {id}, hạn tháng {month}.").format(
        id=task.id, month=task.due_month))


def _cmd_task_list(args: argparse.Namespace) -> int:
    from app.services import review_tasks

    _print_tasks(review_tasks.tasks(year=args.year, member_id=args.member, meeting_id=args.meeting), args.json)


def _status(value: str) -> TaskStatus | str | None:
    return None if value.strip().lower() == UNCONFIRMED else value


def _cmd_task_status(args: argparse.Namespace) -> int:
    from app.services import review_tasks

    task = review_tasks.set_status(args.task_id, _status(args.status), meeting_id=args.meeting)
    print_json(task.to_json()) if args.json else print(_("Nhiệm vụ mã số {id}: {status}.").format(
        id=task.id, status=task.status.label if task.status else _("Chưa xác nhận")))


def _cmd_task_cancel(args: argparse.Namespace) -> int:
    from app.services import review_tasks

    review_tasks.cancel_task(args.task_id, args.reason)
    print(_("Đã bỏ nhiệm vụ mã số {id}.").format(id=args.task_id))


def _cmd_task_from_meeting(args: argparse.Namespace) -> int:
    from app.services import review_tasks

    created = review_tasks.from_assignments(args.meeting_id)
    if not args.json and not created:
        print(_("Không có dòng phân công nào đọc được thành nhiệm vụ mới."))
        return 0
    _print_tasks(created, args.json)


def confirm_json(item) -> dict:
    return {**item.task.to_json(), "full_name": item.full_name, "proposed_status": item.proposed.value,
            "proposed_label": item.proposed.label, "confirmed": item.confirmed}


def _statuses(pairs: list[str]) -> dict[int, TaskStatus | str | None]:
    found: dict[int, TaskStatus | str | None] = {}
    for pair in pairs:
        task_id, sep, status = pair.partition("=")
        if not sep or not task_id.strip().isdigit() or not status.strip():
            raise UsageError(_("--set: «{pair}» không đọc được; ghi như 12=dung-han (kết quả: {codes}).").format(
                pair=pair, codes=STATUS_CODES))
        found[int(task_id)] = _status(status)
    return found


def _cmd_task_confirm(args: argparse.Namespace) -> int:
    from app.services import review_tasks

    if args.statuses:
        confirmed = review_tasks.confirm(args.meeting_id, _statuses(args.statuses))
        if args.json:
            print_json([t.to_json() for t in confirmed])
        else:
            print(_("Đã xác nhận {count} nhiệm vụ.").format(count=len(confirmed)))
        return 0
    found = review_tasks.to_confirm(args.meeting_id)
    if args.json:
        print_json([confirm_json(item) for item in found])
        return 0
    for item in found:
        status = item.proposed.label if item.confirmed else _("{status} (đề xuất)").format(
            status=item.proposed.label)
        print(f"{item.task.id:>5}  {item.task.due_month}  {item.full_name:<28} {status:<36} {item.task.title}")
    if not found:
        print(_("Không có nhiệm vụ kỳ trước cần xác nhận."))


# --- commands: the dated thresholds -------------------------------------------------------------

def _cmd_rule_list(args: argparse.Namespace) -> int:
    from app.services import review

    stored = review.rules()
    data = {key: {"label": label(), "default": default,
                  "values": [{"id": r.id, "from": iso(r.valid_from), "value": r.value, "note": r.note}
                             for r in stored if r.key == key]}
            for key, (default, label) in review.RULES.items()}
    if args.json:
        print_json(data)
        return 0
    for key, item in data.items():
        print(f"{key}: {item['label']}")
        print("  " + _("mặc định: {value}").format(value=item["default"]))
        for value in item["values"]:
            day = date_option(value["from"], "from").strftime("%d/%m/%Y")
            print(f"  {value['id']:>4}  " + _("từ {date}: {value}").format(date=day, value=value["value"])
                  + (f"  ({value['note']})" if value["note"] else ""))


def _cmd_rule_set(args: argparse.Namespace) -> int:
    from app.services import review

    try:
        value = int(args.value.strip())
    except ValueError:
        raise UsageError(_("VALUE: «{value}» phải là một số nguyên.").format(value=args.value)) from None
    rule = review.set_rule(args.key, value, valid_from=_required_date(args.valid_from, "--from"), note=args.note)
    print(_("Đã lưu ngưỡng mã số {id}: {label} = {value}, từ {date}.").format(
        id=rule.id, label=rule.label, value=rule.value, date=rule.valid_from.strftime("%d/%m/%Y")))


def _cmd_rule_remove(args: argparse.Namespace) -> int:
    from app.services import review

    review.remove_rule(args.rule_id, args.reason)
    print(_("Đã bỏ ngưỡng mã số {id}.").format(id=args.rule_id))
