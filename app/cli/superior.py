"""Command line of the Đảng ủy's copy (`chibo superior …`) and `chibo import-package`: at a Đảng ủy a cell's
package, at a cell the Đảng ủy's return package."""
from __future__ import annotations

import argparse
import os
import stat
from collections.abc import Callable
from pathlib import Path

from app.cli.common import UsageError, print_json, read_passphrase
from app.i18n import _


def register(sub) -> None:
    sup = sub.add_parser("superior", help=_("dữ liệu của Đảng ủy: các chi bộ trực thuộc, gói nhận, tổng hợp"))
    cmds = sup.add_subparsers(dest="superior_action", required=True, metavar=_("VIỆC"))
    init = cmds.add_parser("init", help=_("tạo tệp dữ liệu của Đảng ủy (tổng hợp các chi bộ)"))
    init.add_argument("--name", required=True, help=_("tên Đảng ủy, ví dụ «Đảng ủy xã Hòa Bình»"))
    init.add_argument("--above", default="", help=_("cấp trên của Đảng ủy"))
    init.set_defaults(handler=_cmd_init)
    cells = cmds.add_parser("cells", help=_("các chi bộ đã gửi gói và dấu vân tay khóa của từng chi bộ"))
    cells.add_argument("--json", action="store_true")
    cells.set_defaults(handler=_cmd_cells)
    summary = cmds.add_parser("summary", help=_("tổng hợp một kỳ từ gói của các chi bộ"))
    summary.add_argument("--period", required=True, help=_("kỳ: 2026, 2026-Q3 hoặc 2026-07"))
    summary.add_argument("--json", action="store_true")
    summary.set_defaults(handler=_cmd_summary)
    conflicts = cmds.add_parser("conflicts", help=_("các gói xung đột đang chờ quyết định"))
    conflicts.add_argument("--all", action="store_true", help=_("cả các xung đột đã giải quyết"))
    conflicts.add_argument("--json", action="store_true")
    conflicts.set_defaults(handler=_cmd_conflicts)
    resolve = cmds.add_parser("resolve", help=_("giải quyết một xung đột: nhận khóa mới của chi bộ, hoặc bỏ gói"))
    resolve.add_argument("conflict_id", type=int, metavar="ID")
    how = resolve.add_mutually_exclusive_group(required=True)
    how.add_argument("--accept", action="store_true", help=_("nhận máy và khóa mới của chi bộ, nhập gói"))
    how.add_argument("--reject", action="store_true", help=_("không nhận gói"))
    resolve.add_argument("--reason", default="", help=_("lý do (ghi vào lịch sử)"))
    resolve.add_argument("--passphrase-file", dest="package_passphrase_file", type=Path,
                         help=_("mật khẩu của gói, khi gói được mã hóa bằng mật khẩu"))
    resolve.set_defaults(handler=_cmd_resolve)
    ret = cmds.add_parser("return", help=_("lập gói trả về cho một chi bộ: đã tiếp nhận, kết quả xếp loại"))
    ret.add_argument("--cell", required=True, help=_("mã chi bộ"))
    ret.add_argument("--year", type=int, required=True)
    ret.add_argument("--period", action="append", help=_("chỉ tiếp nhận kỳ này (có thể nhắc lại)"))
    ret.add_argument("-o", "--output", type=Path, required=True, help=_("tệp gói, đuôi .chibo"))
    ret.add_argument("--grade", action="append", default=[], metavar="REF=GRADE",
                     help=_("kết quả xếp loại Đảng ủy quyết định: mã đảng viên=xuat-sac|tot|hoan-thanh|"
                            "khong-hoan-thanh (có thể nhắc lại)"))
    ret.add_argument("--grades-file", type=Path, help=_("bảng xếp loại .csv hoặc .xlsx: cột ref, grade, reason"))
    ret.add_argument("--criteria", type=Path, help=_("tệp bảng tiêu chí của năm, gửi kèm"))
    ret.add_argument("--passphrase-file", dest="package_passphrase_file", type=Path,
                     help=_("mã hóa gói bằng mật khẩu ghi trong tệp này"))
    ret.add_argument("--json", action="store_true")
    ret.set_defaults(handler=_cmd_return)
    imp = sub.add_parser("import-package", help=_("nhập gói .chibo: ở Đảng ủy gói của chi bộ, ở chi bộ gói trả về"))
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help=_("chỉ xem sẽ làm gì, không ghi"))
    imp.add_argument("--passphrase-file", dest="package_passphrase_file", type=Path,
                     help=_("mật khẩu của gói, khi gói được mã hóa bằng mật khẩu"))
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=_cmd_import)


def _passphrase(args) -> str | None:
    if not getattr(args, "package_passphrase_file", None):
        return None
    text = read_passphrase(args.package_passphrase_file)
    if not text:
        raise UsageError(_("--passphrase-file: tệp mật khẩu trống."))
    return text


def _print_rows(rows: list[dict], as_json: bool, empty: str, line: Callable[[dict], str]) -> int:
    """Print rows as JSON, or one line each (empty when there are none); the command's exit code."""
    if as_json:
        print_json(rows)
        return 0
    if not rows:
        print(empty)
    for r in rows:
        print(line(r))
    return 0


def _cmd_init(args: argparse.Namespace) -> int:
    from app.services import superior

    info = superior.init_superior(args.name, args.above)
    print(_("Đã tạo dữ liệu của {name}. Nhập gói của các chi bộ bằng «chibo import-package TỆP.chibo».").format(
        name=info.name))
    return 0


def _cmd_cells(args: argparse.Namespace) -> int:
    from app.services import superior

    return _print_rows(superior.cells(), args.json, _("Chưa nhận gói của chi bộ nào."), lambda r: _(
        "{code}  {name}: {n} gói, gần nhất kỳ {period} (số {seq}); dấu vân tay {fp}").format(
        code=r["code"], name=r["name"], n=r["packages"], period=r["last_period"], seq=r["last_sequence"],
        fp=r["fingerprint"]))


def _cmd_summary(args: argparse.Namespace) -> int:
    from app.services import consolidated, statistics

    period = statistics.parse_period(args.period)
    data = consolidated.summary(period)
    if args.json:
        print_json(data)
        return 0
    print(_("{unit} — tổng hợp {period} từ {n} chi bộ").format(unit=data["unit"], period=data["period_label"],
                                                               n=data["cells_reporting"]))
    for row in data["members_by_cell"]:
        print(_("  {name}: đảng số {n}").format(name=row["name"], n=row["counted"]))
    print(_("  Cộng: đảng số {n}").format(n=data["members_total"]["counted"]))
    for form in data["forms"]:
        if form["form"] == "1":
            values = {r["code"]: r["current"] for r in form["rows"]}
            print(_("  Biểu 1: đầu kỳ {a}, tăng {b}, giảm {c}, cuối kỳ {d}").format(
                a=values["A"], b=values["B"], c=values["C"], d=values["D"]))
    flags = data["flags"]
    for item in flags["two_cells"]:
        print(_("  Lưu ý: {name} có tên ở hai chi bộ ({cells}).").format(
            name=item["members"][0]["full_name"], cells=", ".join(m["cell_name"] for m in item["members"])))
    for item in flags["transferred_nowhere"]:
        print(_("  Lưu ý: {name} chuyển đi khỏi {cell} nhưng không đến chi bộ nào khác.").format(
            name=item["full_name"], cell=item["cell_name"]))
    for item in flags["missing_cells"]:
        print(_("  Chưa gửi gói: {name} ({code}).").format(name=item["name"], code=item["code"]))
    return 0


def _cmd_conflicts(args: argparse.Namespace) -> int:
    from app.services import superior

    return _print_rows(superior.conflicts(include_resolved=args.all), args.json, _("Không có xung đột nào đang chờ."),
                       lambda r: _("Xung đột số {id}: {name} (mã {code}), dấu vân tay {fp}. {reason}").format(
                           id=r["id"], name=r["cell_name"], code=r["cell_code"], fp=r["fingerprint"],
                           reason=r["reason"]))


def _cmd_resolve(args: argparse.Namespace) -> int:
    from app.services import superior_import

    outcome = superior_import.resolve_conflict(args.conflict_id, bool(args.accept), passphrase=_passphrase(args),
                                               reason=args.reason)
    if outcome is None:
        print(_("Đã bỏ gói của xung đột số {id}.").format(id=args.conflict_id))
    else:
        print(_("Đã nhận khóa mới của chi bộ và nhập gói: {message}").format(message=outcome.plan.message))
    return 0


def _cmd_return(args: argparse.Namespace) -> int:
    from app.services import return_package

    if args.output.suffix.lower() != ".chibo":
        raise UsageError(_("-o: tệp gói phải có đuôi .chibo (đã cho «{name}»).").format(name=args.output.name))
    grades: dict = {}
    if args.grades_file:
        grades.update(return_package.read_grades(args.grades_file))
    given: set[str] = set()
    for text in args.grade:
        ref, grade = return_package.parse_grade_option(text)
        if ref in given:
            raise UsageError(_("--grade: đảng viên mã «{ref}» được ghi hai lần; mỗi đảng viên một lần.").format(
                ref=ref))
        given.add(ref)
        grades[ref] = (grade, "")
    built = return_package.build_return(args.cell, year=args.year, periods=args.period, path=args.output,
                                        passphrase=_passphrase(args), grades=grades, criteria_file=args.criteria)
    if args.json:
        print_json(built.to_json())
        return 0
    print(_("Đã ghi gói trả về số {seq} vào {path}: tiếp nhận {n} kỳ, {g} kết quả xếp loại.").format(
        seq=built.sequence, path=built.path, n=len(built.accepted), g=len(built.grades)))
    return 0


# The largest .chibo file read: a package holds at most 1 GB once unpacked, and is never larger packed.
MAX_PACKAGE_FILE = 1024 * 1024 * 1024


def _read(path: Path) -> bytes:
    """The file's bytes; a directory, a device or a pipe (never ending, like /dev/zero) is refused first."""
    try:
        with path.open("rb") as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise UsageError(_("{file} không phải một tệp gói (là thư mục, thiết bị hoặc ống dẫn).").format(
                    file=path))
            if info.st_size > MAX_PACKAGE_FILE:
                raise UsageError(_("tệp {file} quá lớn cho một gói chibo (quá 1 GB).").format(file=path))
            return stream.read(MAX_PACKAGE_FILE + 1)
    except IsADirectoryError:
        raise UsageError(_("{file} không phải một tệp gói (là thư mục, thiết bị hoặc ống dẫn).").format(
            file=path)) from None
    except OSError as exc:
        raise UsageError(_("không đọc được tệp {file}: {error}").format(file=path, error=exc.strerror)) from None


def _cmd_import(args: argparse.Namespace) -> int:
    from app.services import cell

    data = _read(args.file)
    if cell.is_superior():
        return _import_at_superior(args, data)
    return _import_at_cell(args, data)


def _import_at_superior(args: argparse.Namespace, data: bytes) -> int:
    from app.services import superior_import

    outcome = superior_import.import_package(data, dry_run=args.dry_run, passphrase=_passphrase(args))
    if args.json:
        print_json({**outcome.to_json(), "dry_run": args.dry_run})
        return 0
    plan = outcome.plan
    prefix = _("Chạy thử (chưa ghi gì): ") if args.dry_run else ""
    print(prefix + plan.message)
    for warning in plan.warnings:
        print(_("Lưu ý: {warning}").format(warning=warning))
    if not args.dry_run and outcome.applied and plan.status != superior_import.CONFLICT:
        print(_("Đã nhập gói."))
    return 1 if plan.status == superior_import.OLDER else 0


def _import_at_cell(args: argparse.Namespace, data: bytes) -> int:
    from app.services import return_package

    outcome = return_package.import_return(data, passphrase=_passphrase(args), dry_run=args.dry_run)
    if args.json:
        print_json(outcome.to_json())
        return 0
    if args.dry_run:
        print(_("Chạy thử (chưa ghi gì):"))
    if outcome.pinned_now:
        print(_("Khóa của {name} được ghi nhận lần đầu, dấu vân tay {fp}; hãy đối chiếu với Đảng ủy.").format(
            name=outcome.superior_name, fp=outcome.fingerprint))
    for item in outcome.accepted:
        text = {"recorded": _("đã tiếp nhận, kỳ này từ nay chỉ đọc"), "already": _("đã ghi nhận từ trước")}.get(
            item["status"], item["message"])
        print(_("Kỳ {period}: {text}.").format(period=item["period"], text=text))
    for item in outcome.grades:
        if item["status"] == "applied":
            print(_("{name}: Đảng ủy xếp loại «{grade}».").format(name=item["full_name"], grade=item["grade"]))
        else:
            print(_("Không ghi kết quả của {name} (mã {ref}): {message}.").format(
                name=item["full_name"], ref=item["ref"], message=item["message"]))
    if outcome.criteria:
        print(_("Gói có kèm bảng tiêu chí ({file}).").format(file=outcome.criteria))
    return 0
