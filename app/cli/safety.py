"""Command line for keeping records safe: backup, restore, check-db, history, encryption, settings."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import UsageError, print_json, read_passphrase
from app.domain import names
from app.i18n import _


def register(sub) -> None:
    backup = sub.add_parser("backup", help=_("sao lưu ngay (vào thư mục sao lưu, hoặc ra tệp -o)"))
    backup.add_argument("-o", "--output", type=Path)
    backup.set_defaults(handler=_cmd_backup)
    restore = sub.add_parser("restore", help=_("khôi phục từ một bản sao lưu"))
    restore.add_argument("file", type=Path)
    restore.add_argument("--yes", action="store_true", help=_("không hỏi lại"))
    restore.add_argument("--backup-passphrase-file", type=Path, help=_("mật khẩu của bản sao lưu, nếu khác"))
    restore.add_argument("--other-cell", action="store_true",
                         help=_("đồng ý khôi phục bản sao lưu của một chi bộ khác với chi bộ đang mở"))
    restore.add_argument("--accept-history-problems", action="store_true",
                         help=_("đồng ý khôi phục bản sao lưu có dữ liệu không khớp với nhật ký thay đổi của nó"))
    restore.set_defaults(handler=_cmd_restore)
    check = sub.add_parser("check-db", help=_("kiểm tra tệp dữ liệu"))
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=_cmd_check_db)
    history = sub.add_parser("history", help=_("nhật ký thay đổi (toàn bộ hoặc của một hồ sơ)"))
    history.add_argument("--member", type=int)
    history.add_argument("--json", action="store_true")
    history.add_argument("-o", "--output", type=Path, help=_("ghi ra tệp .csv hoặc .json"))
    history.set_defaults(handler=_cmd_history)
    encrypt = sub.add_parser("encrypt", help=_("bật mã hóa dữ liệu bằng mật khẩu"))
    encrypt.add_argument("--passphrase-file", dest="new_passphrase_file", type=Path, required=True)
    encrypt.add_argument("--remove-old-backups", action="store_true",
                         help=_("xóa các bản sao lưu cũ chưa mã hóa thay vì mã hóa chúng"))
    _weak_flag(encrypt)
    encrypt.set_defaults(handler=_cmd_encrypt)
    rekey = sub.add_parser("rekey", help=_("đổi mật khẩu mã hóa"))
    rekey.add_argument("--new-passphrase-file", dest="new_passphrase_file", type=Path, required=True)
    _weak_flag(rekey)
    rekey.set_defaults(handler=_cmd_rekey)
    sub.add_parser("decrypt", help=_("tắt mã hóa dữ liệu")).set_defaults(handler=_cmd_decrypt)
    settings = sub.add_parser("settings", help=_("xem hoặc sửa thiết lập"))
    settings_sub = settings.add_subparsers(dest="action", required=True)
    show = settings_sub.add_parser("show")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_cmd_settings_show)
    set_ = settings_sub.add_parser("set")
    set_.add_argument("key")
    set_.add_argument("value")
    set_.set_defaults(handler=_cmd_settings_set)


def _weak_flag(parser) -> None:
    parser.add_argument("--accept-weak-passphrase", action="store_true",
                        help=_("vẫn dùng mật khẩu dù bị cảnh báo là dễ đoán"))


def _cmd_backup(args: argparse.Namespace) -> int:
    from app.services import safety

    print(_("Đã sao lưu vào {file}.").format(file=safety.backup_now(target=args.output)))


def _cmd_restore(args: argparse.Namespace) -> int:
    from app.storage.db import current
    from app.services import safety

    key = read_passphrase(args.backup_passphrase_file) if args.backup_passphrase_file else current().passphrase
    info = safety.inspect_backup(args.file, key)
    print(info.describe())
    cells = safety.other_cell(info)
    if cells and not args.other_cell:
        # A description line is not enough warning before one cell's records replace another's.
        raise UsageError(_("bản sao lưu là của «{there}», không phải của chi bộ đang mở «{here}»; thêm --other-cell "
                           "nếu chắc chắn muốn thay dữ liệu của «{here}».").format(here=cells[0], there=cells[1]))
    if not _confirmed(args):
        return 1
    info = _restore(args, safety.restore_from, args.file, key, confirm_other_cell=args.other_cell)
    if info.kept:
        print(_("Đã khôi phục. Dữ liệu trước đó được giữ trong {file}.").format(file=info.kept))
    else:
        print(_("Đã khôi phục."))


def restore_unopenable(args: argparse.Namespace, path: Path, passphrase: str | None, problem: Exception) -> int:
    """`restore` over a data file that does not open (run() calls it): the offered backup replaces it, the
    unreadable bytes kept beside it."""
    from app.services import safety

    print(_("Không mở được tệp dữ liệu hiện tại: {error}").format(error=problem), file=sys.stderr)
    key = read_passphrase(args.backup_passphrase_file) if args.backup_passphrase_file else passphrase
    print(safety.inspect_backup(args.file, key).describe())
    if not _confirmed(args):
        return 1
    info = _restore(args, safety.restore_unopenable, path, args.file, key, confirm_other_cell=args.other_cell)
    print(_("Đã khôi phục. Tệp cũ không mở được giữ nguyên từng byte trong {file}.").format(file=info.kept))
    return 0


def _confirmed(args: argparse.Namespace) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError(_("thêm --yes để khôi phục khi không có người trả lời."))
    answer = input(_("Thay dữ liệu hiện tại bằng bản này? (gõ «co» để đồng ý) "))
    if names.fold(answer) not in ("co", "c", "yes", "y"):
        print(_("Không khôi phục."))
        return False
    return True


def _restore(args: argparse.Namespace, restore, *call_args, **options):
    """restore(*call_args, **options); a backup whose rows disagree with its history only with the flag."""
    from app.services import restore_checks

    try:
        return restore(*call_args, confirm_history_problems=args.accept_history_problems, **options)
    except restore_checks.HistoryDisagrees as exc:
        raise UsageError(_("{problem}\nThêm --accept-history-problems nếu chắc chắn vẫn muốn khôi phục bản này.")
                         .format(problem=exc)) from exc


def _cmd_check_db(args: argparse.Namespace) -> int:
    from app.services import safety

    report = safety.check_database()
    if args.json:
        print_json(report)
    else:
        yes_no = {True: _("có"), False: _("không")}
        lines = (
            (_("Tệp dữ liệu"), report["path"]),
            (_("Tình trạng"), _("toàn vẹn") if report["ok"] else _("CÓ LỖI")),
            (_("Lỗi khóa ngoại"), report["foreign_key_problems"]),
            (_("Phiên bản lược đồ"), report["schema_version"]),
            (_("Mã hóa"), yes_no[report["encrypted"]]),
            (_("Dung lượng"), _("{kb} KB").format(kb=report["size_bytes"] // 1024)),
            (_("Hồ sơ đảng viên"), report["members"]),
            (_("Dòng nhật ký thay đổi"), report["change_log_entries"]),
            (_("Lần sao lưu gần nhất"), report["last_backup"] or _("chưa có")),
            (_("Thư mục sao lưu"), report["backup_folder"]),
        )
        for label, value in lines:
            print(f"{label}: {'—' if value is None else value}")  # None: a table on damaged pages
        print(safety.problems_text(report))
    return 0 if report["ok"] else 1


def _cmd_history(args: argparse.Namespace) -> int:
    from app.services import history
    from app.storage import audit

    with audit.readable_text():  # a damaged name or entry is printed as it reads, never a crash
        entries = history.entries(args.member)
    if args.output:
        history.export(entries, args.output)
        print(_("Đã ghi {count} dòng nhật ký ra {file}.").format(count=len(entries), file=args.output))
    elif args.json:
        print_json(entries)
    else:
        for entry in entries:
            print(history.describe(entry))


def _cmd_encrypt(args: argparse.Namespace) -> int:
    from app.services import safety

    passphrase = _new_passphrase(args)
    old = safety.encrypt_database(passphrase, remove_old_copies=args.remove_old_backups)
    print(_("Đã mã hóa dữ liệu. Từ nay cần mật khẩu để mở; hãy cất mật khẩu ở nơi an toàn."))
    print(old.describe())


def _cmd_rekey(args: argparse.Namespace) -> int:
    from app.services import safety

    old = safety.rekey(_new_passphrase(args))
    print(_("Đã đổi mật khẩu."))
    print(old.describe())


def _new_passphrase(args: argparse.Namespace) -> str:
    """The new passphrase, long enough; a guessable one only with --accept-weak-passphrase (warned on stderr)."""
    from app.services import safety

    passphrase = safety.check_passphrase(read_passphrase(args.new_passphrase_file))
    warnings = safety.passphrase_warnings(passphrase)
    for warning in warnings:
        print(_("Cảnh báo: {warning}").format(warning=warning), file=sys.stderr)
    if warnings and not args.accept_weak_passphrase:
        raise UsageError(_("mật khẩu dễ đoán; hãy chọn mật khẩu dài hơn, hoặc thêm --accept-weak-passphrase nếu vẫn "
                           "muốn dùng."))
    return passphrase


def _cmd_decrypt(args: argparse.Namespace) -> int:
    from app.services import safety

    safety.decrypt_database()
    print(_("Đã tắt mã hóa: dữ liệu hiện KHÔNG được mã hóa."))


def _cmd_settings_show(args: argparse.Namespace) -> int:
    from app.services import settings

    values = settings.all_settings()
    if args.json:
        print_json(values)
    else:
        for key, value in values.items():
            print(f"{key} = {value}    # {settings.LABELS[key]()}")


def _cmd_settings_set(args: argparse.Namespace) -> int:
    from app.services import settings

    settings.set_value(args.key, args.value)
    print(_("Đã lưu {key} = {value}.").format(key=args.key, value=settings.get(args.key)))
