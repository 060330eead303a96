"""Command line for đối chiếu: the roster against the member list the superior exports."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import UsageError, print_json
from app.i18n import _


def register(sub) -> None:
    cmd = sub.add_parser("reconcile", help=_("đối chiếu danh sách với danh sách đảng viên của cấp trên (.xlsx, .csv)"))
    cmd.add_argument("file", type=Path)
    cmd.add_argument("--json", action="store_true")
    cmd.add_argument("--take", action="append", default=[], metavar=_("MÃ_SỐ:TRƯỜNG"),
                     help=_("lấy giá trị của cấp trên cho một trường của một đồng chí, ví dụ 12:card_number "
                            "(full_name, card_number, citizen_id, birth_date, admission_date); có thể ghi nhiều lần"))
    cmd.set_defaults(handler=_cmd_reconcile)


def take_option(value: str):
    from app.domain.reconcile import TAKEABLE_FIELDS
    from app.services.reconcile import Choice

    member_id, sep, field = value.partition(":")
    if field.strip() == "status":
        raise UsageError(_("--take: tình trạng không lấy theo danh sách được, vì mỗi thay đổi tình trạng cần ngày và "
                           "lý do; dùng «chibo members status»."))
    if not sep or not member_id.strip().isdigit() or field.strip() not in TAKEABLE_FIELDS:
        raise UsageError(_("--take: «{value}» phải có dạng MÃ_SỐ:TRƯỜNG, trường là một trong: {fields}.").format(
            value=value, fields=", ".join(TAKEABLE_FIELDS)))
    return Choice(int(member_id), field.strip())


def _cmd_reconcile(args: argparse.Namespace) -> int:
    from app.domain.reconcile import shown
    from app.services import reconcile

    choices = [take_option(v) for v in args.take]
    report = reconcile.compare(args.file)
    if choices:
        reconcile.apply_choices(report, choices)
    if args.json:
        data = report.as_dict()
        data["taken"] = [{"member_id": c.member_id, "field": c.field} for c in choices]
        print_json(data)
    else:
        print(_("Đối chiếu {cell} với tệp {file}:").format(cell=report.cell_name, file=args.file.name))
        print(report.summary())
        for warning in report.warnings:
            print(_("Lưu ý: {warning}").format(warning=warning))
        for difference in report.differences:
            print(difference.describe())
        for choice in choices:
            taken = report.difference_for(choice.member_id)
            fld = taken.field(choice.field)
            print(_("Đã lấy giá trị của cấp trên cho đồng chí {name} (mã số {id}): {field} «{value}».").format(
                name=taken.member.full_name, id=choice.member_id, field=fld.label, value=shown(fld.theirs)))
        if not choices and reconcile.takeable(report):
            print(_("Chưa thay đổi gì. Muốn lấy giá trị của cấp trên thì thêm --take MÃ_SỐ:TRƯỜNG."), file=sys.stderr)
    return 0
