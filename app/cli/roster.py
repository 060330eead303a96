"""Command line for the cell and its roster: init, cell, demo, members."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from app.cli.common import UsageError, date_option, print_json
from app.domain import names, stat_codes
from app.domain.cell import CellInfo, CellLevel
from app.domain.dates import format_date, iso
from app.domain.labels import field_label
from app.domain.member_events import EntryKind, EventKind, Scope, kind_label
from app.domain.members import (
    DATE_FIELDS,
    EDITABLE_FIELDS,
    JoinedCell,
    Joining,
    Member,
    MemberStatus,
    Sex,
)
from app.i18n import _


def register(sub) -> None:
    init = sub.add_parser("init", help=_("tạo chi bộ trong tệp dữ liệu mới"))
    _add_cell_options(init, required=True)
    init.set_defaults(handler=_cmd_init)
    cell = sub.add_parser("cell", help=_("xem hoặc sửa thông tin chi bộ"))
    cell_sub = cell.add_subparsers(dest="action", required=True)
    show = cell_sub.add_parser("show", help=_("xem thông tin chi bộ"))
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_cmd_cell_show)
    cell_set = cell_sub.add_parser("set", help=_("sửa thông tin chi bộ"))
    _add_cell_options(cell_set, required=False)
    cell_set.set_defaults(handler=_cmd_cell_set)
    sub.add_parser("demo", help=_("tạo một chi bộ mẫu để dùng thử")).set_defaults(handler=_cmd_demo)
    _add_member_commands(sub.add_parser("members", help=_("hồ sơ đảng viên")))


def _add_cell_options(p: argparse.ArgumentParser, required: bool) -> None:
    p.add_argument("--cell", required=required, help=_("tên chi bộ, ví dụ: Chi bộ thôn Đông"))
    p.add_argument("--superior", required=required, help=_("cấp ủy cấp trên, ví dụ: Đảng bộ xã Hòa Bình"))
    p.add_argument("--superior-level", help=_("loại cấp ủy cấp trên, ví dụ: Đảng ủy xã"))
    p.add_argument("--level", choices=[c.value for c in CellLevel], help=_("chi bộ trực thuộc hay chi bộ cơ sở"))
    p.add_argument("--place", help=_("địa danh ghi ở dòng ngày tháng"))
    p.add_argument("--term", help=_("nhiệm kỳ, ví dụ: 2025–2030"))
    p.add_argument("--term-start", help=_("ngày bắt đầu nhiệm kỳ (dd/mm/yyyy)"))
    p.add_argument("--secretary", help=_("họ tên bí thư"))
    p.add_argument("--deputy", help=_("họ tên phó bí thư"))
    p.add_argument("--code", help=_("mã chi bộ do cấp trên đặt (ghi trong gói gửi cấp trên)"))


_MEMBER_OPTIONS = {
    "full_name": "--name", "sex": "--sex", "birth_date": "--birth", "ethnicity": "--ethnicity",
    "religion": "--religion", "home_town": "--home-town", "residence": "--residence",
    "occupation": "--occupation", "education": "--education", "professional_level": "--professional",
    "political_theory": "--theory", "admission_date": "--admitted", "ceremony_date": "--ceremony",
    "official_date": "--official", "card_number": "--card", "member_code": "--code",
    "citizen_id": "--citizen-id", "phone": "--phone", "party_post": "--post", "notes": "--notes",
    "occupation_group": "--occupation-group", "youth_union": "--youth-union",
}
_YES, _NO = ("co", "yes", "1", "x"), ("khong", "no", "0")


def _add_member_commands(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True)
    lst = sub.add_parser("list", help=_("danh sách đảng viên theo thứ tự tên"))
    lst.add_argument("--search", default="", help=_("tìm theo tên, số thẻ…, không phân biệt dấu"))
    lst.add_argument("--status", help=_("tình trạng (du_bi, chinh_thuc, …) hoặc «all»"))
    lst.add_argument("--archived", action="store_true", help=_("gồm cả hồ sơ đã lưu trữ"))
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=_cmd_members_list)
    show = sub.add_parser("show", help=_("xem một hồ sơ"))
    show.add_argument("member_id", type=int)
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_cmd_members_show)
    for name in ("add", "edit"):
        cmd = sub.add_parser(name, help=_("thêm đảng viên") if name == "add" else _("sửa hồ sơ"))
        if name == "edit":
            cmd.add_argument("member_id", type=int)
            cmd.add_argument("--reason", default="")
        else:
            cmd.add_argument("--joined-cell", choices=[j.value for j in JoinedCell], default=JoinedCell.ADMITTED.value,
                             help=_("bắt đầu sinh hoạt tại chi bộ: admitted (kết nạp tại chi bộ, cần --admitted) "
                                    "hoặc transferred (chuyển đến, cần --transfer-date)"))
            cmd.add_argument("--transfer-number", default="", help=_("số giấy giới thiệu chuyển sinh hoạt đảng"))
            cmd.add_argument("--transfer-date", help=_("ngày chuyển đến, ngày của giấy giới thiệu (dd/mm/yyyy)"))
            cmd.add_argument("--transfer-scope", default="", help=_("chuyển đến từ: tinh_khac (tỉnh, thành phố "
                                                                    "khác) hoặc trong_tinh (đơn vị khác trong tỉnh)"))
        for field, option in _MEMBER_OPTIONS.items():
            cmd.add_argument(option, dest=field, required=(name == "add" and field == "full_name"),
                             help=field_label(f"member.{field}"))
        cmd.add_argument("--json", action="store_true")
        cmd.set_defaults(handler=_cmd_members_add if name == "add" else _cmd_members_edit)
    status = sub.add_parser("status", help=_("ghi thay đổi tình trạng (có ngày và lý do)"))
    status.add_argument("member_id", type=int)
    status.add_argument("status", help=", ".join(s.value for s in MemberStatus))
    status.add_argument("--date", required=True, help=_("từ ngày (dd/mm/yyyy)"))
    status.add_argument("--reason", default="", help=_("lý do (khi công nhận chính thức thì có thể bỏ trống)"))
    status.add_argument("--vote-date", help=_("ngày chi bộ biểu quyết (bắt buộc khi công nhận chính thức)"))
    status.add_argument("--kind", default="", help=_("hình thức khi vào chi bộ (cho biểu thống kê): {choices}").format(
        choices=", ".join(EntryKind)))
    status.add_argument("--scope", default="", help=_("nơi chuyển đến, chuyển đi: {choices}").format(
        choices=", ".join(Scope)))
    status.set_defaults(handler=_cmd_members_status)
    classify = sub.add_parser("classify", help=_("ghi hình thức cho một thay đổi tình trạng đã ghi thiếu"))
    classify.add_argument("member_id", type=int)
    classify.add_argument("change_id", type=int, help=_("số của thay đổi (members history --json)"))
    classify.add_argument("--kind", required=True, help=", ".join(EntryKind))
    classify.add_argument("--scope", default="", help=", ".join(Scope))
    classify.set_defaults(handler=_cmd_members_classify)
    event = sub.add_parser("event", help=_("huy hiệu, thẻ đảng viên, khen thưởng, chuyển sinh hoạt tạm thời đi"))
    event_sub = event.add_subparsers(dest="event_action", required=True)
    add = event_sub.add_parser("add", help=_("ghi một sự kiện"))
    add.add_argument("member_id", type=int)
    add.add_argument("--kind", required=True, help=", ".join(EventKind))
    add.add_argument("--date", required=True, help=_("ngày (dd/mm/yyyy)"))
    add.add_argument("--detail", default="", help=_("huy hiệu: số năm (30, 40…); thẻ: cap_moi, cap_lai, doi; "
                                                    "khen thưởng: co, bang_khen, giay_khen"))
    add.add_argument("--decision", default="", help=_("số quyết định"))
    add.add_argument("--note", default="")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=_cmd_event_add)
    lst_events = event_sub.add_parser("list", help=_("các sự kiện (của một đảng viên, hoặc cả chi bộ)"))
    lst_events.add_argument("member_id", type=int, nargs="?")
    lst_events.add_argument("--cancelled", action="store_true", help=_("gồm cả sự kiện đã hủy"))
    lst_events.add_argument("--json", action="store_true")
    lst_events.set_defaults(handler=_cmd_event_list)
    cancel = event_sub.add_parser("cancel", help=_("hủy một sự kiện ghi nhầm (có lý do)"))
    cancel.add_argument("event_id", type=int)
    cancel.add_argument("--reason", required=True)
    cancel.set_defaults(handler=_cmd_event_cancel)
    history = sub.add_parser("history", help=_("lịch sử tình trạng và thay đổi của một hồ sơ"))
    history.add_argument("member_id", type=int)
    history.add_argument("--json", action="store_true")
    history.set_defaults(handler=_cmd_members_history)
    for name, text in (("archive", _("đưa hồ sơ vào lưu trữ")), ("restore", _("đưa hồ sơ ra khỏi lưu trữ"))):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("member_id", type=int)
        cmd.add_argument("--reason", default="")
        cmd.set_defaults(handler=_cmd_members_archive if name == "archive" else _cmd_members_restore)
    imp = sub.add_parser("import", help=_("nhập danh sách từ tệp Excel (.xlsx) hoặc CSV"))
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help=_("chỉ xem trước, không ghi gì"))
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=_cmd_members_import)
    exp = sub.add_parser("export", help=_("xuất danh sách ra tệp Excel (.xlsx)"))
    exp.add_argument("file", type=Path)
    exp.set_defaults(handler=_cmd_members_export)


def status_option(value: str) -> MemberStatus:
    status = names.choice(value, MemberStatus)
    if status is not None:
        return status
    raise UsageError(_("tình trạng «{value}» không có; chọn một trong: {choices}.").format(
        value=value, choices=", ".join(s.value for s in MemberStatus)))


def member_json(member: Member) -> dict:
    data = {"id": member.id}
    for name in EDITABLE_FIELDS:
        value = getattr(member, name)
        data[name] = iso(value) if name in DATE_FIELDS else (value.value if isinstance(value, Sex) else value)
    data["status"] = member.status.value if member.status else None
    data["status_label"] = member.status.label if member.status else ""
    data["archived"] = member.archived
    return data


def _cell_from_args(args: argparse.Namespace, base: CellInfo) -> CellInfo:
    updates = {
        "name": args.cell, "superior_name": args.superior, "superior_level": args.superior_level,
        "cell_level": args.level, "place_name": args.place, "term_label": args.term,
        "secretary_name": args.secretary, "deputy_name": args.deputy, "code": args.code,
        "term_start": date_option(args.term_start, "--term-start"),
    }
    for key, value in updates.items():
        if value is not None:
            setattr(base, key, value)
    return base


def _cmd_init(args: argparse.Namespace) -> int:
    from app.services import cell

    if cell.get_cell() is not None:
        raise UsageError(_("tệp dữ liệu này đã có chi bộ; dùng «chibo cell set» để sửa."))
    saved = cell.save_cell(_cell_from_args(args, CellInfo()))
    print(_("Đã tạo {name}.").format(name=saved.name))


def _cmd_cell_show(args: argparse.Namespace) -> int:
    from app.services import cell

    info = cell.get_cell()
    if info is None:
        raise UsageError(_("chưa có chi bộ; chạy «chibo init» trước."))
    data = {k: (iso(v) if isinstance(v, dt.date) else str(v)) for k, v in vars(info).items()}
    if args.json:
        print_json(data)
    else:
        for key, value in vars(info).items():
            shown = value.label if isinstance(value, CellLevel) else (
                value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else (value or "—"))
            print(f"{field_label(f'cell.{key}')}: {shown}")


def _cmd_cell_set(args: argparse.Namespace) -> int:
    from app.services import cell

    saved = cell.save_cell(_cell_from_args(args, cell.get_cell() or CellInfo()))
    print(_("Đã lưu thông tin {name}.").format(name=saved.name))


def _cmd_demo(args: argparse.Namespace) -> int:
    from app.services import demo

    demo.refuse_unless_new()
    count = demo.build_demo()
    print(_("Đã tạo chi bộ mẫu với {count} đảng viên.").format(count=count))


def _cmd_members_list(args: argparse.Namespace) -> int:
    from app.domain.members import ACTIVE_STATUSES
    from app.services import members

    if args.status in (None, ""):
        statuses = set(ACTIVE_STATUSES)
    elif args.status == "all":
        statuses = None
    else:
        statuses = {status_option(args.status)}
    entries = members.list_members(args.search, statuses, include_archived=args.archived)
    if args.json:
        print_json([member_json(e.member) for e in entries])
        return 0
    for e in entries:
        mem = e.member
        print(f"{mem.id:>5}  {mem.full_name:<30} {format_date(mem.birth_date):<10}  "
              f"{mem.card_number:<12} {mem.status.label if mem.status else ''}")
    print(_("Cộng: {count} đồng chí").format(count=len(entries)))


def _cmd_members_show(args: argparse.Namespace) -> int:
    from app.services import members

    member = members.get_member(args.member_id)
    data = member_json(member)
    if args.json:
        print_json(data)
        return 0
    for key, value in data.items():
        print(f"{field_label(f'member.{key}', default=key)}: {value if value is not None else ''}")


def _member_from_args(args: argparse.Namespace, base: Member) -> Member:
    for field, option in _MEMBER_OPTIONS.items():
        value = getattr(args, field)
        if value is None:
            continue
        if field in DATE_FIELDS:
            value = date_option(value, option)
        elif field == "sex":
            folded = names.fold(value)
            if folded not in ("nam", "nu"):
                raise UsageError(_("--sex: «{value}» phải là Nam hoặc Nữ.").format(value=value))
            value = Sex(folded)
        elif field == "occupation_group":
            code = stat_codes.classify(stat_codes.OCCUPATION_GROUPS, value) if value else ""
            if value and not code:
                raise UsageError(_("--occupation-group: «{value}» không có; chọn một trong: {choices}.").format(
                    value=value, choices=", ".join(c.code for c in stat_codes.OCCUPATION_GROUPS)))
            value = code
        elif field == "youth_union":
            folded = names.fold(value)
            if folded not in _YES + _NO + ("",):
                raise UsageError(_("--youth-union: «{value}» phải là có hoặc không.").format(value=value))
            value = None if not folded else folded in _YES
        setattr(base, field, value)
    return base


def _report_save(result, as_json: bool, verb: str) -> None:
    for warning in result.warnings:
        print(_("Lưu ý: {issue}").format(issue=warning), file=sys.stderr)
    if as_json:
        print_json(member_json(result.member))
    else:
        print(verb.format(name=result.member.full_name, id=result.member.id))


def _cmd_members_add(args: argparse.Namespace) -> int:
    from app.services import members

    result = members.add_member(_member_from_args(args, Member()), joining=_joining_from_args(args))
    _report_save(result, args.json, _("Đã thêm đồng chí {name} (mã số {id})."))


def _joining_from_args(args: argparse.Namespace) -> Joining:
    how = JoinedCell(args.joined_cell)
    if how is JoinedCell.ADMITTED and (args.transfer_number or args.transfer_date or args.transfer_scope):
        raise UsageError(_("--transfer-number, --transfer-date và --transfer-scope chỉ dùng với --joined-cell "
                           "transferred."))
    return Joining(how, args.transfer_number, date_option(args.transfer_date, "--transfer-date"),
                   _code(args.transfer_scope))


def _cmd_members_edit(args: argparse.Namespace) -> int:
    from app.services import members

    member = _member_from_args(args, members.get_member(args.member_id))
    result = members.update_member(args.member_id, member, args.reason)
    _report_save(result, args.json, _("Đã lưu hồ sơ đồng chí {name} (mã số {id})."))


def _cmd_members_status(args: argparse.Namespace) -> int:
    from app.services import members

    status = status_option(args.status)
    day, vote = date_option(args.date, "--date"), date_option(args.vote_date, "--vote-date")
    warnings = [i for i in members.check_status_change(args.member_id, status, effective_date=day, vote_date=vote)
                if not i.is_error]
    change = members.change_status(args.member_id, status, effective_date=day, reason=args.reason, vote_date=vote,
                                   kind=_code(args.kind), scope=_code(args.scope))
    for warning in warnings:
        print(_("Lưu ý: {issue}").format(issue=warning), file=sys.stderr)
    print(_("Đã ghi: {status} từ {date} ({reason}).").format(
        status=status.label, date=format_date(day), reason=change.reason))


def _code(value: str) -> str:
    """A code as typed, with «-» for «_» as the other commands write them (chuyen-den)."""
    return (value or "").strip().lower().replace("-", "_")


def _cmd_members_classify(args: argparse.Namespace) -> int:
    from app.services import members

    change = members.classify_status_change(args.member_id, args.change_id, _code(args.kind), _code(args.scope))
    print(_("Đã ghi hình thức «{kind}» cho thay đổi ngày {date}.").format(
        kind=kind_label(change.kind), date=format_date(change.effective_date)))


def _cmd_event_add(args: argparse.Namespace) -> int:
    from app.services import member_events

    day = date_option(args.date, "--date")
    kind, detail = _code(args.kind), args.detail.strip()
    warnings = [i for i in member_events.check_event(args.member_id, kind, day, detail).issues if not i.is_error]
    row = member_events.add_event(args.member_id, kind, day, detail, args.decision, args.note)
    for warning in warnings:
        print(_("Lưu ý: {issue}").format(issue=warning), file=sys.stderr)
    if args.json:
        print_json(row.to_json())
    else:
        print(_("Đã ghi: {detail} ngày {date} (sự kiện số {id}).").format(
            detail=row.detail_label if row.kind.value != "tam_thoi_di" else
            f"{row.kind.label}{': ' + row.detail if row.detail else ''}", date=format_date(row.date), id=row.id))


def _cmd_event_list(args: argparse.Namespace) -> int:
    from app.services import member_events

    rows = member_events.events(args.member_id, include_cancelled=args.cancelled)
    if args.json:
        print_json([r.to_json() for r in rows])
        return 0
    for r in rows:
        cancelled = _(" (đã hủy: {reason})").format(reason=r.cancel_reason) if r.cancelled else ""
        print(f"{r.id:>5}  {r.date:%d/%m/%Y}  {r.member_id:>5}  {r.kind.label}: {r.detail_label}{cancelled}")
    if not rows:
        print(_("Chưa có sự kiện nào."))


def _cmd_event_cancel(args: argparse.Namespace) -> int:
    from app.services import member_events

    row = member_events.cancel_event(args.event_id, args.reason)
    print(_("Đã hủy sự kiện số {id} ({kind}).").format(id=row.id, kind=row.kind.label))


def _cmd_members_history(args: argparse.Namespace) -> int:
    from app.services import members

    history = members.status_history(args.member_id)
    changes = members.member_history(args.member_id)
    if args.json:
        print_json({
            "status_history": [
                {"id": c.id, "status": c.status.value, "status_label": c.status.label,
                 "effective_date": iso(c.effective_date), "reason": c.reason, "kind": c.kind, "scope": c.scope}
                for c in history
            ],
            "changes": changes,
        })
        return 0
    for c in history:
        print(f"{c.effective_date:%d/%m/%Y}  {c.status.label:<28} {c.reason}")


def _cmd_members_archive(args: argparse.Namespace) -> int:
    from app.services import members

    member = members.archive_member(args.member_id, args.reason)
    print(_("Đã lưu trữ hồ sơ đồng chí {name}.").format(name=member.full_name))


def _cmd_members_restore(args: argparse.Namespace) -> int:
    from app.services import members

    member = members.restore_member(args.member_id, args.reason)
    print(_("Đã đưa hồ sơ đồng chí {name} trở lại danh sách.").format(name=member.full_name))


def _cmd_members_import(args: argparse.Namespace) -> int:
    from app.services import roster_io

    preview = roster_io.preview_import(args.file)
    if args.json:
        print_json(preview.as_dict())
    else:
        print(preview.summary())
        _print_preview_rows(preview)
    for rejected in preview.rejected:
        print(_("Dòng {row}: {reason}").format(row=rejected.row, reason=rejected.reason), file=sys.stderr)
    if preview.rejected:
        print(_("Tệp có dòng bị từ chối nên chưa nhập gì. Sửa tệp rồi nhập lại."), file=sys.stderr)
        return 1
    if args.dry_run:
        return 0
    roster_io.apply_import(preview)
    print(_("Đã nhập xong: thêm {added}, cập nhật {updated}.").format(
        added=len(preview.added), updated=len(preview.updated)))


def _print_preview_rows(preview) -> None:
    """What each added or updated row will do, so the secretary sees it before anything is written."""
    from app.services.history import describe_changes

    for row in preview.added:
        print(_("Dòng {row}: thêm {name}").format(row=row.row, name=row.member.full_name))
    for row in preview.updated:
        changes = describe_changes({"entity": "member", "action": "update", "changes": row.changes})
        print(_("Dòng {row}: cập nhật {name} — {changes}").format(
            row=row.row, name=row.member.full_name, changes=changes))
    for row in (*preview.added, *preview.updated, *preview.unchanged):
        for warning in row.warnings:
            print(_("Dòng {row}: lưu ý: {warning}").format(row=row.row, warning=warning))


def _cmd_members_export(args: argparse.Namespace) -> int:
    from app.services import roster_io

    count = roster_io.export_roster(args.file)
    print(_("Đã xuất {count} đồng chí ra {file}.").format(count=count, file=args.file))
