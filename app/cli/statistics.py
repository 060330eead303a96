"""Command line for the statistics forms (Biểu 1, 2, 3, 6F, 7 -BTCTW) of a period, printed, as XLSX or JSON."""
from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import UsageError, print_json
from app.i18n import _


def register(sub) -> None:
    stats = sub.add_parser("statistics", help=_("biểu thống kê của một kỳ (Biểu 1, 2, 3, 6F, 7)"))
    stats.add_argument("--period", required=True, help=_("kỳ: 2026 (cả năm), 2026-Q3 (quý), 2026-07 (tháng)"))
    stats.add_argument("--form", action="append", help=_("chỉ một biểu: 1, 2, 3, 6F hoặc 7 (có thể nhắc lại)"))
    stats.add_argument("--json", action="store_true", help=_("in dạng JSON"))
    stats.add_argument("-o", "--output", type=Path, help=_("ghi ra tệp .pdf hoặc .xlsx"))
    stats.set_defaults(handler=_cmd_statistics)


def _cmd_statistics(args: argparse.Namespace) -> int:
    from app.services import statistics

    period = statistics.parse_period(args.period)
    codes = tuple(dict.fromkeys(statistics.form_code(c) for c in args.form)) if args.form else statistics.FORM_CODES
    forms = statistics.forms(period, codes)
    if args.output is not None:
        suffix = args.output.suffix.lower()
        if suffix == ".pdf":
            from app.services import statistics_printing

            path = statistics_printing.write_pdf(forms, args.output)
        elif suffix == ".xlsx":
            from app.services import statistics_xlsx

            path = statistics_xlsx.write_xlsx(forms, args.output)
        else:
            raise UsageError(_("-o: tệp phải có đuôi .pdf hoặc .xlsx (đã cho «{name}»).").format(name=args.output.name))
        if not args.json:
            print(_("Đã ghi {path}.").format(path=path))
    if args.json:
        print_json({"period": str(period), "period_label": period.label, "forms": [f.to_json() for f in forms]})
    elif args.output is None:
        for form in forms:
            _print_form(form)
    return 0


def _print_form(form) -> None:
    print(f"{form.name} — {form.title} — {_('kỳ báo cáo')}: {form.period.label}")
    print(f"{'':<58} {_('Kỳ này'):>8} {_('Cùng kỳ'):>8} {'%':>7}")
    for row in form.printed_rows:
        label = "  " * row.level + row.label
        if row.current is None:
            print(label)
            continue
        print(f"{label[:58]:<58} {row.current:>8} {row.previous:>8} {row.percent:>7}")
    for warning in form.warnings:
        print(_("Lưu ý: {warning}").format(warning=warning))
    print()
