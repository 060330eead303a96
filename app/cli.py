"""The `chibo` command line: the same services as the window, without Qt; every listing can print JSON."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from app import paths
from app.domain import names
from app.domain.cell import CellInfo, CellLevel
from app.domain.dates import DateParseError, iso, parse_date
from app.domain.members import EDITABLE_FIELDS, DATE_FIELDS, Member, MemberStatus, Sex
from app.i18n import _
from app.services.errors import ServiceError, ValidationFailed
from app.storage.db import DatabaseError, open_database


class UsageError(Exception):
    """A command-line value that cannot be read; the message names the option."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chibo", description=_("Sổ tay của bí thư chi bộ."))
    parser.add_argument("--db", type=Path, help=_("tệp dữ liệu (mặc định: trong thư mục dữ liệu của người dùng)"))
    parser.add_argument("--lang", default="vi", help=_("ngôn ngữ giao diện (vi, en)"))
    parser.add_argument("--passphrase-file", dest="open_passphrase_file", type=Path,
                        help=_("tệp chứa mật khẩu, khi dữ liệu đã được mã hóa"))
    sub = parser.add_subparsers(dest="command", metavar=_("LỆNH"))

    init = sub.add_parser("init", help=_("tạo chi bộ trong tệp dữ liệu mới"))
    _add_cell_options(init, required=True)
    cell = sub.add_parser("cell", help=_("xem hoặc sửa thông tin chi bộ"))
    cell_sub = cell.add_subparsers(dest="action", required=True)
    show = cell_sub.add_parser("show", help=_("xem thông tin chi bộ"))
    show.add_argument("--json", action="store_true")
    _add_cell_options(cell_sub.add_parser("set", help=_("sửa thông tin chi bộ")), required=False)

    sub.add_parser("demo", help=_("tạo một chi bộ mẫu để dùng thử"))
    _add_member_commands(sub.add_parser("members", help=_("hồ sơ đảng viên")))
    _add_safety_commands(sub)
    return parser


def _add_safety_commands(sub) -> None:
    backup = sub.add_parser("backup", help=_("sao lưu ngay (vào thư mục sao lưu, hoặc ra tệp -o)"))
    backup.add_argument("-o", "--output", type=Path)
    restore = sub.add_parser("restore", help=_("khôi phục từ một bản sao lưu"))
    restore.add_argument("file", type=Path)
    restore.add_argument("--yes", action="store_true", help=_("không hỏi lại"))
    restore.add_argument("--backup-passphrase-file", type=Path, help=_("mật khẩu của bản sao lưu, nếu khác"))
    check = sub.add_parser("check-db", help=_("kiểm tra tệp dữ liệu"))
    check.add_argument("--json", action="store_true")
    history = sub.add_parser("history", help=_("nhật ký thay đổi (toàn bộ hoặc của một hồ sơ)"))
    history.add_argument("--member", type=int)
    history.add_argument("--json", action="store_true")
    history.add_argument("-o", "--output", type=Path, help=_("ghi ra tệp .csv hoặc .json"))
    encrypt = sub.add_parser("encrypt", help=_("bật mã hóa dữ liệu bằng mật khẩu"))
    encrypt.add_argument("--passphrase-file", dest="new_passphrase_file", type=Path, required=True)
    rekey = sub.add_parser("rekey", help=_("đổi mật khẩu mã hóa"))
    rekey.add_argument("--new-passphrase-file", dest="new_passphrase_file", type=Path, required=True)
    sub.add_parser("decrypt", help=_("tắt mã hóa dữ liệu"))
    settings = sub.add_parser("settings", help=_("xem hoặc sửa thiết lập"))
    settings_sub = settings.add_subparsers(dest="action", required=True)
    show = settings_sub.add_parser("show")
    show.add_argument("--json", action="store_true")
    set_ = settings_sub.add_parser("set")
    set_.add_argument("key")
    set_.add_argument("value")


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


_MEMBER_OPTIONS = {
    "full_name": "--name", "sex": "--sex", "birth_date": "--birth", "ethnicity": "--ethnicity",
    "religion": "--religion", "home_town": "--home-town", "residence": "--residence",
    "occupation": "--occupation", "education": "--education", "professional_level": "--professional",
    "political_theory": "--theory", "admission_date": "--admitted", "ceremony_date": "--ceremony",
    "official_date": "--official", "card_number": "--card", "member_code": "--code",
    "citizen_id": "--citizen-id", "phone": "--phone", "party_post": "--post", "notes": "--notes",
}


def _add_member_commands(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True)
    lst = sub.add_parser("list", help=_("danh sách đảng viên theo thứ tự tên"))
    lst.add_argument("--search", default="", help=_("tìm theo tên, số thẻ…, không phân biệt dấu"))
    lst.add_argument("--status", help=_("tình trạng (du_bi, chinh_thuc, …) hoặc «all»"))
    lst.add_argument("--archived", action="store_true", help=_("gồm cả hồ sơ đã lưu trữ"))
    lst.add_argument("--json", action="store_true")
    show = sub.add_parser("show", help=_("xem một hồ sơ"))
    show.add_argument("member_id", type=int)
    show.add_argument("--json", action="store_true")
    for name in ("add", "edit"):
        cmd = sub.add_parser(name, help=_("thêm đảng viên") if name == "add" else _("sửa hồ sơ"))
        if name == "edit":
            cmd.add_argument("member_id", type=int)
            cmd.add_argument("--reason", default="")
        for field, option in _MEMBER_OPTIONS.items():
            cmd.add_argument(option, dest=field, required=(name == "add" and field == "full_name"))
        cmd.add_argument("--json", action="store_true")
    status = sub.add_parser("status", help=_("ghi thay đổi tình trạng (có ngày và lý do)"))
    status.add_argument("member_id", type=int)
    status.add_argument("status", help=", ".join(s.value for s in MemberStatus))
    status.add_argument("--date", required=True)
    status.add_argument("--reason", required=True)
    history = sub.add_parser("history", help=_("lịch sử tình trạng và thay đổi của một hồ sơ"))
    history.add_argument("member_id", type=int)
    history.add_argument("--json", action="store_true")
    for name, text in (("archive", _("đưa hồ sơ vào lưu trữ")), ("restore", _("đưa hồ sơ ra khỏi lưu trữ"))):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("member_id", type=int)
        cmd.add_argument("--reason", default="")
    imp = sub.add_parser("import", help=_("nhập danh sách từ tệp Excel (.xlsx) hoặc CSV"))
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help=_("chỉ xem trước, không ghi gì"))
    imp.add_argument("--json", action="store_true")
    exp = sub.add_parser("export", help=_("xuất danh sách ra tệp Excel (.xlsx)"))
    exp.add_argument("file", type=Path)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        print(_("Hãy chọn một lệnh (chibo --help), hoặc chạy «chibo» để mở cửa sổ."), file=sys.stderr)
        return 2
    return run(args)


def run(args: argparse.Namespace) -> int:
    """Run one parsed command; errors become a Vietnamese message on stderr and a non-zero exit."""
    from app.i18n import set_language

    set_language(args.lang)
    try:
        passphrase = _read_passphrase(args.open_passphrase_file) if args.open_passphrase_file else None
        open_database(args.db or paths.default_db_path(), passphrase)
        handler = _HANDLERS[(args.command, getattr(args, "action", None))]
        return handler(args) or 0
    except ValidationFailed as exc:
        for issue in exc.issues:
            print(_("Lỗi: {issue}").format(issue=issue), file=sys.stderr)
        return 1
    except (ServiceError, DatabaseError, UsageError) as exc:
        print(_("Lỗi: {error}").format(error=exc), file=sys.stderr)
        return 1


def _read_passphrase(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(_("không đọc được tệp mật khẩu {file}.").format(file=path)) from exc
    return names.normalize_text(text.splitlines()[0] if text.splitlines() else "")


def _date_option(value: str | None, option: str) -> dt.date | None:
    try:
        return parse_date(value)
    except DateParseError:
        raise UsageError(_("{option}: «{value}» không phải ngày hợp lệ (dd/mm/yyyy).").format(
            option=option, value=value)) from None


def _status_option(value: str) -> MemberStatus:
    folded = names.fold(value).replace(" ", "_")
    for status in MemberStatus:
        if folded in (status.value, names.fold(status.label).replace(" ", "_")):
            return status
    raise UsageError(_("tình trạng «{value}» không có; chọn một trong: {choices}.").format(
        value=value, choices=", ".join(s.value for s in MemberStatus)))


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


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
        "secretary_name": args.secretary, "deputy_name": args.deputy,
        "term_start": _date_option(args.term_start, "--term-start"),
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
        _print_json(data)
    else:
        for key, value in data.items():
            print(f"{key}: {value}")


def _cmd_cell_set(args: argparse.Namespace) -> int:
    from app.services import cell

    saved = cell.save_cell(_cell_from_args(args, cell.get_cell() or CellInfo()))
    print(_("Đã lưu thông tin {name}.").format(name=saved.name))


def _cmd_demo(args: argparse.Namespace) -> int:
    from app.services import demo

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
        statuses = {_status_option(args.status)}
    entries = members.list_members(args.search, statuses, include_archived=args.archived)
    if args.json:
        _print_json([member_json(e.member) for e in entries])
        return 0
    for e in entries:
        mem = e.member
        print(f"{mem.id:>5}  {mem.full_name:<30} {iso(mem.birth_date) or '':<10}  "
              f"{mem.card_number:<12} {mem.status.label if mem.status else ''}")
    print(_("Cộng: {count} đồng chí").format(count=len(entries)))


def _cmd_members_show(args: argparse.Namespace) -> int:
    from app.domain.members import field_label
    from app.services import members

    member = members.get_member(args.member_id)
    data = member_json(member)
    if args.json:
        _print_json(data)
        return 0
    for key, value in data.items():
        print(f"{field_label(key)}: {value if value is not None else ''}")


def _member_from_args(args: argparse.Namespace, base: Member) -> Member:
    for field, option in _MEMBER_OPTIONS.items():
        value = getattr(args, field)
        if value is None:
            continue
        if field in DATE_FIELDS:
            value = _date_option(value, option)
        elif field == "sex":
            folded = names.fold(value)
            if folded not in ("nam", "nu"):
                raise UsageError(_("--sex: «{value}» phải là Nam hoặc Nữ.").format(value=value))
            value = Sex(folded)
        setattr(base, field, value)
    return base


def _report_save(result, as_json: bool, verb: str) -> None:
    for warning in result.warnings:
        print(_("Lưu ý: {issue}").format(issue=warning), file=sys.stderr)
    if as_json:
        _print_json(member_json(result.member))
    else:
        print(verb.format(name=result.member.full_name, id=result.member.id))


def _cmd_members_add(args: argparse.Namespace) -> int:
    from app.services import members

    result = members.add_member(_member_from_args(args, Member()))
    _report_save(result, args.json, _("Đã thêm đồng chí {name} (mã số {id})."))


def _cmd_members_edit(args: argparse.Namespace) -> int:
    from app.services import members

    member = _member_from_args(args, members.get_member(args.member_id))
    result = members.update_member(args.member_id, member, args.reason)
    _report_save(result, args.json, _("Đã lưu hồ sơ đồng chí {name} (mã số {id})."))


def _cmd_members_status(args: argparse.Namespace) -> int:
    from app.services import members

    status = _status_option(args.status)
    members.change_status(args.member_id, status, _date_option(args.date, "--date"), args.reason)
    print(_("Đã ghi: {status} từ {date}.").format(status=status.label, date=args.date))


def _cmd_members_history(args: argparse.Namespace) -> int:
    from app.services import members

    history = members.status_history(args.member_id)
    changes = members.member_history(args.member_id)
    if args.json:
        _print_json({
            "status_history": [
                {"status": c.status.value, "status_label": c.status.label,
                 "effective_date": iso(c.effective_date), "reason": c.reason}
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
        _print_json(preview.as_dict())
    else:
        print(preview.summary())
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


def _cmd_members_export(args: argparse.Namespace) -> int:
    from app.services import roster_io

    count = roster_io.export_roster(args.file)
    print(_("Đã xuất {count} đồng chí ra {file}.").format(count=count, file=args.file))


def _cmd_backup(args: argparse.Namespace) -> int:
    from app.services import safety

    print(_("Đã sao lưu vào {file}.").format(file=safety.backup_now(target=args.output)))


def _cmd_restore(args: argparse.Namespace) -> int:
    from app.storage.db import current
    from app.services import safety

    key = _read_passphrase(args.backup_passphrase_file) if args.backup_passphrase_file else current().passphrase
    info = safety.inspect_backup(args.file, key)
    print(info.describe())
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError(_("thêm --yes để khôi phục khi không có người trả lời."))
        answer = input(_("Thay dữ liệu hiện tại bằng bản này? (gõ «co» để đồng ý) "))
        if names.fold(answer) not in ("co", "c", "yes", "y"):
            print(_("Không khôi phục."))
            return 1
    safety.restore_from(args.file, key)
    print(_("Đã khôi phục. Dữ liệu trước đó được sao lưu trong {folder}.").format(folder=safety.backup_folder()))


def _cmd_check_db(args: argparse.Namespace) -> int:
    from app.services import safety

    report = safety.check_database()
    if args.json:
        _print_json(report)
    else:
        for key, value in report.items():
            print(f"{key}: {value}")
    return 0 if report["ok"] else 1


def _cmd_history(args: argparse.Namespace) -> int:
    from app.services import history

    entries = history.entries(args.member)
    if args.output:
        history.export(entries, args.output)
        print(_("Đã ghi {count} dòng nhật ký ra {file}.").format(count=len(entries), file=args.output))
    elif args.json:
        _print_json(entries)
    else:
        for entry in entries:
            print(history.describe(entry))


def _cmd_encrypt(args: argparse.Namespace) -> int:
    from app.services import safety

    safety.encrypt_database(_read_passphrase(args.new_passphrase_file))
    print(_("Đã mã hóa dữ liệu. Từ nay cần mật khẩu để mở; hãy cất mật khẩu ở nơi an toàn."))


def _cmd_rekey(args: argparse.Namespace) -> int:
    from app.services import safety

    safety.rekey(_read_passphrase(args.new_passphrase_file))
    print(_("Đã đổi mật khẩu."))


def _cmd_decrypt(args: argparse.Namespace) -> int:
    from app.services import safety

    safety.decrypt_database()
    print(_("Đã tắt mã hóa: dữ liệu hiện KHÔNG được mã hóa."))


def _cmd_settings_show(args: argparse.Namespace) -> int:
    from app.services import settings

    values = settings.all_settings()
    if args.json:
        _print_json(values)
    else:
        for key, value in values.items():
            print(f"{key} = {value}    # {settings.LABELS[key]()}")


def _cmd_settings_set(args: argparse.Namespace) -> int:
    from app.services import settings

    settings.set_value(args.key, args.value)
    print(_("Đã lưu {key} = {value}.").format(key=args.key, value=settings.get(args.key)))


_HANDLERS = {
    ("backup", None): _cmd_backup,
    ("restore", None): _cmd_restore,
    ("check-db", None): _cmd_check_db,
    ("history", None): _cmd_history,
    ("encrypt", None): _cmd_encrypt,
    ("rekey", None): _cmd_rekey,
    ("decrypt", None): _cmd_decrypt,
    ("settings", "show"): _cmd_settings_show,
    ("settings", "set"): _cmd_settings_set,
    ("init", None): _cmd_init,
    ("cell", "show"): _cmd_cell_show,
    ("cell", "set"): _cmd_cell_set,
    ("demo", None): _cmd_demo,
    ("members", "list"): _cmd_members_list,
    ("members", "show"): _cmd_members_show,
    ("members", "add"): _cmd_members_add,
    ("members", "edit"): _cmd_members_edit,
    ("members", "status"): _cmd_members_status,
    ("members", "history"): _cmd_members_history,
    ("members", "archive"): _cmd_members_archive,
    ("members", "restore"): _cmd_members_restore,
    ("members", "import"): _cmd_members_import,
    ("members", "export"): _cmd_members_export,
}

if __name__ == "__main__":
    sys.exit(main())
