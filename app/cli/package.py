"""Command line for what the cell sends upward: the signed package of a period, its keys, and the periods the
superior accepted (read-only here until reopened with a reason)."""
from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import UsageError, print_json, read_passphrase
from app.i18n import _


def register(sub) -> None:
    export = sub.add_parser("export", help=_("lập gói đã ký gửi cấp trên (.chibo) cho một kỳ"))
    export.add_argument("--period", required=True, help=_("kỳ: 2026 (cả năm), 2026-Q3 (quý), 2026-07 (tháng)"))
    export.add_argument("-o", "--output", type=Path, required=True, help=_("tệp gói, đuôi .chibo"))
    export.add_argument("--kind", choices=("monthly", "quarterly", "yearly", "review"),
                        help=_("loại gói (mặc định theo kỳ; «review»: kết quả kiểm điểm của năm)"))
    export.add_argument("--privacy", choices=("aggregate", "roster", "full"), default="aggregate",
                        help=_("aggregate: chỉ số liệu (mặc định); roster: thêm họ tên, số thẻ, ngày sinh, tình "
                               "trạng; full: mọi trường (chỉ khi cấp trên yêu cầu)"))
    export.add_argument("--xlsx", type=Path, help=_("ghi thêm báo cáo Excel cho cấp trên chưa dùng chibo"))
    how = export.add_mutually_exclusive_group()
    how.add_argument("--to-key", type=Path, help=_("mã hóa theo tệp khóa công khai của Đảng ủy"))
    how.add_argument("--passphrase-file", dest="package_passphrase_file", type=Path,
                     help=_("mã hóa bằng mật khẩu ghi trong tệp này"))
    export.add_argument("--json", action="store_true")
    export.set_defaults(handler=_cmd_export)
    sent = sub.add_parser("packages", help=_("các gói đã gửi và các kỳ cấp trên đã tiếp nhận"))
    sent.add_argument("--json", action="store_true")
    sent.set_defaults(handler=_cmd_packages)
    keys = sub.add_parser("keys", help=_("khóa ký gói của máy này và dấu vân tay để đối chiếu"))
    keys_sub = keys.add_subparsers(dest="keys_action", required=True)
    show = keys_sub.add_parser("show", help=_("xem dấu vân tay (đọc qua điện thoại hoặc ghi ra giấy để đối chiếu)"))
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_cmd_keys_show)
    out = keys_sub.add_parser("export", help=_("ghi tệp khóa công khai để gửi cho bên kia"))
    out.add_argument("file", type=Path)
    out.add_argument("--purpose", choices=("signing", "exchange"),
                     help=_("signing: khóa ký (chi bộ); exchange: khóa nhận gói mã hóa (Đảng ủy). Mặc định theo "
                            "đơn vị."))
    out.set_defaults(handler=_cmd_keys_export)
    period = sub.add_parser("period", help=_("kỳ đã được cấp trên tiếp nhận"))
    period_sub = period.add_subparsers(dest="period_action", required=True)
    reopen = period_sub.add_parser("reopen", help=_("mở lại một kỳ đã tiếp nhận để sửa (có lý do)"))
    reopen.add_argument("period")
    reopen.add_argument("--reason", required=True)
    reopen.set_defaults(handler=_cmd_period_reopen)


def _cmd_export(args: argparse.Namespace) -> int:
    from app.services import keys, package_export, statistics

    if args.output.suffix.lower() != ".chibo":
        raise UsageError(_("-o: tệp gói phải có đuôi .chibo (đã cho «{name}»).").format(name=args.output.name))
    period = statistics.parse_period(args.period)
    to_key = keys.read_public_key_file(args.to_key, purpose="exchange") if args.to_key else None
    passphrase = read_passphrase(args.package_passphrase_file) if args.package_passphrase_file else None
    if args.package_passphrase_file and not passphrase:
        raise UsageError(_("--passphrase-file: tệp mật khẩu trống."))
    result = package_export.export_package(period, args.output, kind=args.kind, privacy=args.privacy,
                                           to_key=to_key, passphrase=passphrase)
    xlsx = None
    if args.xlsx:
        from app.services import report_xlsx

        xlsx = report_xlsx.write_report(period, args.xlsx, privacy=args.privacy)
    if args.json:
        print_json({**result.to_json(), "xlsx": str(xlsx) if xlsx else None})
        return 0
    print(_("Đã ghi gói số {sequence} ({period}, mức «{privacy}») vào {path}.").format(
        sequence=result.sequence, period=period.label, privacy=args.privacy, path=result.path))
    print(_("Dấu vân tay khóa ký của chi bộ: {fingerprint}").format(fingerprint=result.to_json()["fingerprint"]))
    if xlsx:
        print(_("Đã ghi báo cáo Excel {path}.").format(path=xlsx))
    return 0


def _cmd_packages(args: argparse.Namespace) -> int:
    from app.services import package_export, period_lock

    sent, accepted = package_export.sent(), period_lock.acceptances()
    if args.json:
        print_json({"sent": sent, "accepted": accepted})
        return 0
    for p in sent:
        print(_("Gói số {sequence}: {period} ({kind}, {privacy}) lập lúc {created}, mã băm {hash}…").format(
            sequence=p["sequence"], period=p["period"], kind=p["kind"], privacy=p["privacy"],
            created=p["created_at"], hash=p["package_hash"][:16]))
    for a in accepted:
        state = _("đã mở lại: {reason}").format(reason=a["reopen_reason"]) if a["reopened"] else _("chỉ đọc")
        print(_("Kỳ {period}: {superior} tiếp nhận ngày {date} ({state}).").format(
            period=a["period"], superior=a["superior_name"], date=a["accepted_on"], state=state))
    if not sent and not accepted:
        print(_("Chưa lập gói nào."))
    return 0


def _cmd_keys_show(args: argparse.Namespace) -> int:
    from app.services import cell, keys, package_crypto

    data = {"installation_id": keys.installation_id(),
            "signing_fingerprint": package_crypto.fingerprint(keys.public_signing_key())}
    if cell.is_superior():
        data["exchange_fingerprint"] = package_crypto.fingerprint(keys.public_exchange_key())
    if args.json:
        print_json(data)
        return 0
    print(_("Dấu vân tay khóa ký: {fingerprint}").format(fingerprint=data["signing_fingerprint"]))
    if "exchange_fingerprint" in data:
        print(_("Dấu vân tay khóa nhận gói mã hóa: {fingerprint}").format(fingerprint=data["exchange_fingerprint"]))
    print(_("Đọc dấu vân tay cho bên kia qua điện thoại, hoặc ghi ra giấy, để đối chiếu."))
    return 0


def _cmd_keys_export(args: argparse.Namespace) -> int:
    from app.services import cell, keys

    purpose = args.purpose or ("exchange" if cell.is_superior() else "signing")
    keys.export_public(args.file, purpose)
    print(_("Đã ghi khóa công khai vào {path}.").format(path=args.file))
    return 0


def _cmd_period_reopen(args: argparse.Namespace) -> int:
    from app.services import period_lock

    count = period_lock.reopen(args.period, args.reason)
    print(_("Đã mở lại kỳ {period} ({count} lần tiếp nhận). Gói gửi lại sẽ có số thứ tự mới.").format(
        period=args.period, count=count))
    return 0
