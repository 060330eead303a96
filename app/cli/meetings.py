"""Command line for cell meetings: meetings, attendance, the year's checks and document numbers."""
from __future__ import annotations

import argparse
from datetime import date as Date
from pathlib import Path

from app.cli.common import UsageError, date_option, print_json
from app.domain import names
from app.domain.dates import DateParseError, Month, iso
from app.domain.meetings import (
    TEXT_FIELDS,
    VOTE_FIELDS,
    AbsenceRecord,
    Attendee,
    Meeting,
    MeetingKind,
    TimeParseError,
    parse_time,
    time_text,
)
from app.i18n import _

# Meeting field → option; the same options add and edit a meeting.
_OPTIONS = {
    "kind": "--kind", "date": "--date", "start": "--start", "end": "--end", "place": "--place",
    "chair_id": "--chair", "minute_taker_id": "--minute-taker", "guests": "--guests", "topic": "--topic",
    "task_month": "--task-month", "agenda": "--agenda", "assessment": "--assessment", "next_tasks": "--next-tasks",
    "assignments": "--assignments", "thematic_content": "--thematic-content", "discussion": "--discussion",
    "self_assessment": "--self-assessment", "conclusions": "--conclusions", "votes_for": "--votes-for",
    "votes_against": "--votes-against", "votes_other": "--votes-other", "posted_to_handbook": "--posted",
}


def _help(field: str) -> str | None:
    texts = {
        "kind": _("regular (thường kỳ), thematic (chuyên đề), combined (kết hợp), extraordinary (bất thường)"),
        "date": _("ngày sinh hoạt (YYYY-MM-DD hoặc dd/mm/yyyy)"), "start": _("giờ bắt đầu HH:MM"),
        "end": _("giờ kết thúc HH:MM"), "chair_id": _("mã đảng viên chủ trì"),
        "minute_taker_id": _("mã đảng viên ghi biên bản"), "task_month": _("tháng đặt nhiệm vụ (YYYY-MM)"),
        "posted_to_handbook": _("đã đăng tài liệu lên Sổ tay đảng viên: yes hoặc no"),
    }
    return texts.get(field, _("văn bản; @TỆP để đọc từ tệp") if field in TEXT_FIELDS else None)


def register(sub) -> None:
    _meeting_commands(sub.add_parser("meetings", help=_("các buổi sinh hoạt chi bộ")))
    _attendance_commands(sub.add_parser("attendance", help=_("điểm danh một buổi sinh hoạt")))
    _check_commands(_subcommands(sub, "check", _("kiểm tra, cảnh báo (không chặn)")))
    _document_commands(sub.add_parser("documents", help=_("số văn bản trong nhiệm kỳ")))


def _subcommands(sub, name: str, help_text: str):
    """The sub-commands of a shared command (check): another area may have created it already."""
    parser = sub.choices.get(name) or sub.add_parser(name, help=help_text)
    if parser._subparsers is not None:
        return parser._subparsers._group_actions[0]
    return parser.add_subparsers(dest=f"{name}_action", required=True)


def _add_meeting_options(p: argparse.ArgumentParser, adding: bool) -> None:
    for field, option in _OPTIONS.items():
        required = adding and field in ("date", "kind")
        p.add_argument(option, dest=field, required=required, help=_help(field))
    p.add_argument("--json", action="store_true")


def _meeting_commands(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help=_("thêm buổi sinh hoạt (in ra mã số của buổi mới)"))
    _add_meeting_options(add, adding=True)
    add.set_defaults(handler=_cmd_add)
    edit = sub.add_parser("edit", help=_("sửa buổi sinh hoạt: chủ trì, thư ký, nội dung, biểu quyết…"))
    edit.add_argument("meeting_id", type=int)
    _add_meeting_options(edit, adding=False)
    edit.add_argument("--reason", default="")
    edit.set_defaults(handler=_cmd_edit)
    lst = sub.add_parser("list", help=_("danh sách buổi sinh hoạt, có số có mặt"))
    lst.add_argument("--year", type=int)
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=_cmd_list)
    show = sub.add_parser("show", help=_("xem một buổi: số liệu điểm danh, cảnh báo"))
    show.add_argument("meeting_id", type=int)
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_cmd_show)
    delete = sub.add_parser("delete", help=_("xóa buổi sinh hoạt nhập nhầm (khi chưa cấp số văn bản)"))
    delete.add_argument("meeting_id", type=int)
    delete.add_argument("--reason", default="")
    delete.set_defaults(handler=_cmd_delete)


def _attendance_commands(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True)
    set_ = sub.add_parser("set", help=_("điểm danh một đồng chí"))
    set_.add_argument("meeting_id", type=int)
    set_.add_argument("member_id", type=int)
    set_.add_argument("mark", help=_("present (có mặt), excused (vắng có lý do), absent (vắng không lý do), "
                                     "unmarked (chưa điểm danh)"))
    set_.add_argument("--reason", default="", help=_("lý do vắng"))
    set_.set_defaults(handler=_cmd_attendance_set)
    lst = sub.add_parser("list", help=_("danh sách điểm danh của một buổi"))
    lst.add_argument("meeting_id", type=int)
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=_cmd_attendance_list)
    rest = sub.add_parser("all-present", help=_("đánh dấu có mặt mọi đồng chí còn chưa điểm danh"))
    rest.add_argument("meeting_id", type=int)
    rest.set_defaults(handler=_cmd_attendance_rest)


def _check_commands(sub) -> None:
    absences = sub.add_parser("absences", help=_("số tháng vắng sinh hoạt không lý do trong năm (cảnh báo ở 3)"))
    absences.add_argument("--year", type=int, required=True)
    absences.add_argument("--json", action="store_true")
    absences.set_defaults(handler=_cmd_check_absences)
    calendar = sub.add_parser("meetings", help=_("tháng thiếu sinh hoạt thường kỳ, quý thiếu chuyên đề, buổi quá ngắn"))
    calendar.add_argument("--year", type=int, required=True)
    calendar.add_argument("--json", action="store_true")
    calendar.set_defaults(handler=_cmd_check_meetings)


def _document_commands(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True)
    lst = sub.add_parser("list", help=_("các số đã cấp trong nhiệm kỳ"))
    lst.add_argument("--term", help=_("nhiệm kỳ (mặc định: nhiệm kỳ hiện tại)"))
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=_cmd_documents_list)
    set_ = sub.add_parser("set", help=_("đặt số cho biên bản hoặc nghị quyết của một buổi (ví dụ nối tiếp sổ giấy)"))
    set_.add_argument("meeting_id", type=int)
    set_.add_argument("form", choices=("minutes", "resolution"))
    set_.add_argument("number", type=int)
    set_.add_argument("--reason", default="")
    set_.set_defaults(handler=_cmd_documents_set)


# --- reading options --------------------------------------------------------------------------

def kind_option(value: str) -> MeetingKind:
    kind = names.choice(value, MeetingKind)
    if kind is not None:
        return kind
    raise UsageError(_("--kind: «{value}» không có; chọn regular, thematic, combined hoặc extraordinary.").format(
        value=value))


# A text read from @FILE: a meeting's section or a self-assessment is a few pages; /dev/zero or a film is not.
MAX_TEXT_FILE_CHARS = 200_000


def _text(value: str, option: str) -> str:
    if value.startswith("@@"):
        return value[1:]
    if value.startswith("@"):
        try:
            with Path(value[1:]).open(encoding="utf-8") as source:
                text = source.read(MAX_TEXT_FILE_CHARS + 1)
        except (OSError, UnicodeDecodeError):
            raise UsageError(_("{option}: không đọc được tệp {file}.").format(option=option, file=value[1:])) from None
        if len(text) > MAX_TEXT_FILE_CHARS:
            raise UsageError(_("{option}: tệp {file} dài hơn {n} ký tự, không phải một đoạn văn bản.").format(
                option=option, file=value[1:], n=f"{MAX_TEXT_FILE_CHARS:,}".replace(",", ".")))
        return text
    return value


def _int(value: str, option: str) -> int | None:
    if value.strip() == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise UsageError(_("{option}: «{value}» phải là một số nguyên.").format(option=option, value=value)) from None


def _value(field: str, value: str):
    option = _OPTIONS[field]
    if field == "kind":
        return kind_option(value)
    if field == "date":
        day = date_option(value, option)
        if day is None:
            raise UsageError(_("{option}: cần ghi ngày.").format(option=option))
        return day
    if field in ("start", "end"):
        try:
            return parse_time(value)
        except TimeParseError:
            raise UsageError(_("{option}: «{value}» không phải giờ hợp lệ (HH:MM).").format(
                option=option, value=value)) from None
    if field in ("chair_id", "minute_taker_id", *VOTE_FIELDS):
        return _int(value, option)
    if field == "task_month":
        try:
            return Month.parse(value) if value.strip() else None
        except (DateParseError, ValueError):
            raise UsageError(_("{option}: «{value}» không phải tháng hợp lệ (YYYY-MM).").format(
                option=option, value=value)) from None
    if field == "posted_to_handbook":
        return _yes_no(value, option)
    return _text(value, option)


def _yes_no(value: str, option: str) -> bool:
    folded = names.fold(value)
    if folded in ("yes", "y", "1", "co", "true"):
        return True
    if folded in ("no", "n", "0", "khong", "false"):
        return False
    raise UsageError(_("{option}: ghi yes hoặc no.").format(option=option))


def _changes(args: argparse.Namespace) -> dict:
    return {field: _value(field, getattr(args, field)) for field in _OPTIONS if getattr(args, field) is not None}


# --- output -------------------------------------------------------------------------------------

def meeting_json(meeting: Meeting) -> dict:
    data = {"id": meeting.id, "date": iso(meeting.date), "kind": meeting.kind.value, "kind_label": meeting.kind.label,
            "start": time_text(meeting.start) or None, "end": time_text(meeting.end) or None,
            "duration_minutes": meeting.duration_minutes, "chair_id": meeting.chair_id,
            "minute_taker_id": meeting.minute_taker_id, "task_month": str(meeting.tasks_for),
            "posted_to_handbook": meeting.posted_to_handbook}
    data.update({name: getattr(meeting, name) for name in TEXT_FIELDS})
    data.update({name: getattr(meeting, name) for name in VOTE_FIELDS})
    return data


def attendee_json(a: Attendee) -> dict:
    return {"member_id": a.member_id, "full_name": a.full_name, "standing": a.standing.value,
            "standing_label": a.standing.label, "official": a.official, "in_total": a.in_total,
            "mark": a.mark.value, "mark_label": a.mark.label, "reason": a.reason}


def absence_json(r: AbsenceRecord, flag_months: int) -> dict:
    return {"member_id": r.member_id, "full_name": r.full_name,
            "absent_months": [str(m) for m in r.absent_months], "absent_count": r.absent_count,
            "excused_months": [str(m) for m in r.excused_months], "excused_count": r.excused_count,
            "longest_absent_run": r.longest_absent_run(), "longest_excused_run": r.longest_excused_run(),
            "flagged": bool(flag_months) and r.absent_count >= flag_months}


# --- commands -----------------------------------------------------------------------------------

def _cmd_add(args: argparse.Namespace) -> int:
    from app.services import meetings

    values = _changes(args)
    meeting = meetings.add_meeting(Meeting(**values))
    if args.json:
        print_json(meeting_json(meeting))
    else:
        print(meeting.id)


def _cmd_edit(args: argparse.Namespace) -> int:
    from app.services import meetings

    meeting = meetings.update_meeting(args.meeting_id, _changes(args), reason=args.reason)
    if args.json:
        print_json(meeting_json(meeting))
    else:
        print(_("Đã lưu buổi sinh hoạt ngày {date} (mã số {id}).").format(
            date=meeting.date.strftime("%d/%m/%Y"), id=meeting.id))


def _cmd_list(args: argparse.Namespace) -> int:
    from app.services import meetings

    summaries = meetings.list_meetings(args.year)
    if args.json:
        print_json([{**meeting_json(s.meeting), "counts": s.counts.as_dict()} for s in summaries])
        return 0
    for s in summaries:
        m, c = s.meeting, s.counts
        print(f"{m.id:>5}  {m.date:%d/%m/%Y}  {m.kind.label:<28} "
              + _("có mặt {present}/{total}").format(present=c.present, total=c.total))
    print(_("Cộng: {count} buổi").format(count=len(summaries)))


def _detail(meeting_id: int) -> dict:
    from app.domain.meetings import count_attendance, vote_result
    from app.services import documents, meetings
    from app.services.meeting_checks import warnings_for

    meeting = meetings.get_meeting(meeting_id)
    roll = meetings.attendees(meeting_id)
    vote = vote_result(meeting, roll)
    numbers = {form: documents.number_of(doc, meeting_id)
               for form, doc in (("minutes", documents.MINUTES), ("resolution", documents.RESOLUTION))}
    return {**meeting_json(meeting), "counts": count_attendance(roll).as_dict(),
            "vote": {"for": vote.votes_for, "against": vote.votes_against, "other": vote.votes_other,
                     "voters": vote.voters, "eligible": vote.eligible, "passed": vote.passed},
            "numbers": numbers, "attendance": [attendee_json(a) for a in roll], "warnings": warnings_for(meeting_id)}


# The plain-text labels of the counts block (the JSON keeps its keys: other tools read them).
_COUNT_LABELS = {
    "tong_so": lambda: _("Tổng số"), "chinh_thuc": lambda: _("Chính thức"), "du_bi": lambda: _("Dự bị"),
    "co_mat": lambda: _("Có mặt"), "co_mat_chinh_thuc": lambda: _("Có mặt (chính thức)"),
    "co_mat_du_bi": lambda: _("Có mặt (dự bị)"), "vang_co_ly_do": lambda: _("Vắng có lý do"),
    "vang_khong_ly_do": lambda: _("Vắng không lý do"), "mien_sinh_hoat": lambda: _("Miễn sinh hoạt"),
    "mien_sinh_hoat_vang": lambda: _("Miễn sinh hoạt, vắng"), "chua_diem_danh": lambda: _("Chưa điểm danh"),
    "sinh_hoat_tam_thoi": lambda: _("Sinh hoạt tạm thời"),
    "sinh_hoat_tam_thoi_co_mat": lambda: _("Sinh hoạt tạm thời, có mặt"),
    "ty_le_du_hop": lambda: _("Tỷ lệ dự họp"),
}


def _count_text(key: str, value) -> str:
    if key == "ty_le_du_hop":
        return "—" if value is None else f"{value:.1f}".replace(".", ",") + " %"
    return str(value)


def _cmd_show(args: argparse.Namespace) -> int:
    data = _detail(args.meeting_id)
    if args.json:
        print_json(data)
        return 0
    day = Date.fromisoformat(data["date"]).strftime("%d/%m/%Y")
    print(f"{day}  {data['kind_label']}  {data['start'] or ''}–{data['end'] or ''}  {data['place']}")
    for key, value in data["counts"].items():
        label = _COUNT_LABELS[key]() if key in _COUNT_LABELS else key
        print(f"  {label}: {_count_text(key, value)}")
    for warning in data["warnings"]:
        print(_("Lưu ý: {warning}").format(warning=warning))


def _cmd_delete(args: argparse.Namespace) -> int:
    from app.services import meetings

    meetings.delete_meeting(args.meeting_id, args.reason)
    print(_("Đã xóa buổi sinh hoạt mã số {id}.").format(id=args.meeting_id))


def _cmd_attendance_set(args: argparse.Namespace) -> int:
    from app.services import meetings

    attendee = meetings.set_attendance(args.meeting_id, args.member_id, args.mark, reason=args.reason)
    print(_("Đồng chí {name}: {mark}.").format(name=attendee.full_name, mark=attendee.mark.label))


def _cmd_attendance_list(args: argparse.Namespace) -> int:
    from app.services import meetings

    roll = meetings.attendees(args.meeting_id)
    if args.json:
        print_json([attendee_json(a) for a in roll])
        return 0
    for a in roll:
        print(f"{a.member_id:>5}  {a.full_name:<30} {a.standing.label:<20} {a.mark.label:<18} {a.reason}")


def _cmd_attendance_rest(args: argparse.Namespace) -> int:
    from app.services import meetings

    count = meetings.mark_rest_present(args.meeting_id)
    print(_("Đã đánh dấu có mặt {count} đồng chí.").format(count=count))


def _cmd_check_absences(args: argparse.Namespace) -> int:
    from app.services import meeting_checks, meetings

    months = meetings.thresholds().absence_months
    records = [r for r in meeting_checks.absence_report(args.year) if r.absent_count or r.excused_count]
    if args.json:
        print_json({"year": args.year, "threshold": months, "members": [absence_json(r, months) for r in records]})
        return 0
    for r in records:
        flag = "  ← " + _("đề nghị xem xét xóa tên") if months and r.absent_count >= months else ""
        print(f"{r.full_name:<30} " + _("không lý do: {absent} tháng; có lý do: {excused} tháng").format(
            absent=r.absent_count, excused=r.excused_count) + flag)


def _cmd_check_meetings(args: argparse.Namespace) -> int:
    import datetime as dt

    from app.services import meeting_checks

    warnings = meeting_checks.year_warnings(args.year, dt.date.today())
    if args.json:
        print_json({"year": args.year, "warnings": warnings})
        return 0
    for warning in warnings or [_("Không có cảnh báo.")]:
        print(warning)


def _cmd_documents_list(args: argparse.Namespace) -> int:
    from app.services import documents

    issued = documents.list_numbers(args.term)
    if args.json:
        print_json([{"doc_type": n.doc_type, "term": n.term_label, "number": n.number, "text": n.text,
                     "meeting_id": n.meeting_id, "issued_on": iso(n.issued_on)} for n in issued])
        return 0
    for n in issued:
        print(f"{n.text:<16} {n.issued_on:%d/%m/%Y}  " + (_("buổi {id}").format(id=n.meeting_id) if n.meeting_id else ""))


def _cmd_documents_set(args: argparse.Namespace) -> int:
    from app.services import documents, meetings

    meeting = meetings.get_meeting(args.meeting_id)
    doc_type = documents.MINUTES if args.form == "minutes" else documents.RESOLUTION
    number = documents.set_number(doc_type, args.meeting_id, args.number, issued_on=meeting.date, reason=args.reason)
    print(_("Đã đặt {number}.").format(number=documents.IssuedNumber(doc_type, "", number, None, meeting.date).text))
    if documents.out_of_order(doc_type, args.meeting_id):
        print(_("Lưu ý: số này không theo thứ tự ngày trong nhiệm kỳ (sổ đăng ký văn bản đi ghi chú điều đó)."))

