"""The `print` command: every printable form is one entry of FORMS (its arguments and how it renders)."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable

from app.cli.common import UsageError
from app.i18n import _


@dataclass(frozen=True)
class PrintForm:
    """One form of `chibo print NAME … -o FILE.pdf`: add_arguments adds its own options, render writes the PDF."""

    name: str
    help: Callable[[], str]
    add_arguments: Callable[[argparse.ArgumentParser], None]
    render: Callable[[argparse.Namespace, Path], None]


# --- meeting documents -------------------------------------------------------------------------

def _meeting_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("meeting_ids", nargs="*", type=int, metavar="MEETING_ID", help=_("mã số buổi sinh hoạt"))
    p.add_argument("--year", type=int, help=_("in mọi buổi của một năm vào một tệp"))


def _meeting_ids(args: argparse.Namespace) -> list[int]:
    from app.services import meetings

    ids = list(args.meeting_ids)
    if args.year:
        ids += [m.id for m in meetings.meetings_in(args.year) if m.id not in ids]
    if not ids:
        raise UsageError(_("hãy ghi MEETING_ID hoặc --year."))
    return ids


def _render_meetings(form: str, args: argparse.Namespace, target: Path) -> None:
    from app.services import documents, meeting_printing

    ids = _meeting_ids(args)
    for meeting_id in ids:
        # Empty sections print as dotted lines to fill by hand; say so, the paper is still made.
        warning = meeting_printing.empty_sections_warning(form, meeting_id)
        if warning:
            print(_("Lưu ý: {warning}").format(warning=warning))
    try:
        meeting_printing.print_meetings(form, ids, target)
    except documents.NumberOrderConflict as conflict:
        raise UsageError(_("{reason} Chưa in, chưa cấp số nào. Để vẫn cấp số tiếp theo: «chibo documents set {id} "
                           "{form} {number}», rồi in lại.").format(
            reason=conflict, id=conflict.meeting_id, form=form, number=conflict.next_free)) from None


def _year_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, required=True)


# The fee book has no records before the 1990s rules on đảng phí; earlier years are a typing slip.
FEE_BOOK_FIRST_YEAR = 1990


def _check_year(year: int, first: int | None, what: str) -> None:
    """A yearly book is printed for a year the cell has records for, never for a year still to come."""
    current = dt.date.today().year
    if year > current:
        raise UsageError(_("--year {year}: năm này chưa đến (năm nay là {current}), không có gì để in {what}.").format(
            year=year, current=current, what=what))
    if first is not None and year < first:
        raise UsageError(_("--year {year}: chi bộ chưa có dữ liệu trước năm {first}, không có gì để in {what}.").format(
            year=year, first=first, what=what))


def _render_attendance(args: argparse.Namespace, target: Path) -> None:
    from app.services import meeting_printing, meetings

    first = meetings.first_record_year()
    _check_year(args.year, first if first is not None else dt.date.today().year, _("sổ theo dõi dự sinh hoạt"))
    meeting_printing.print_attendance_register(args.year, target)


def _term_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--term", help=_("nhiệm kỳ (mặc định: nhiệm kỳ hiện tại)"))


def _render_document_register(args: argparse.Namespace, target: Path) -> None:
    from app.services import meeting_printing

    meeting_printing.print_document_register(args.term, target)


def _render_fee_book(args: argparse.Namespace, target: Path) -> None:
    from app.services import fee_printing

    _check_year(args.year, FEE_BOOK_FIRST_YEAR, _("sổ thu, nộp đảng phí"))
    fee_printing.print_fee_book(args.year, target)


# --- the annual review (app/services/review_printing.py) ---------------------------------------

def _review_form_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("member_id", type=int, metavar="MEMBER_ID", help=_("mã đảng viên"))
    _year_argument(p)
    p.add_argument("--form", help=_("mẫu 2C, 2B hoặc 2A (mặc định: mẫu đã ghi cho đồng chí)"))


def _ballot_arguments(p: argparse.ArgumentParser) -> None:
    _year_argument(p)
    p.add_argument("--member", type=int, help=_("chỉ in phiếu của một đảng viên (mặc định: mọi người và tập thể)"))


def _render_review(name: str, args: argparse.Namespace, target: Path) -> None:
    from app.services import review_printing

    if name == "form":
        review_printing.print_review_form(args.year, args.member_id, target, form=args.form)
    elif name == "ballots":
        review_printing.print_ballots(args.year, target, member_id=args.member)
    else:
        render = {"forms": review_printing.print_review_forms, "summary": review_printing.print_review_summary,
                  "cell": review_printing.print_cell_report, "minutes": review_printing.print_review_minutes}[name]
        render(args.year, target)


_REVIEW_FORMS = [
    ("review-form", lambda: _("bản kiểm điểm của một đảng viên"), _review_form_arguments, "form"),
    ("review-forms", lambda: _("bản kiểm điểm của mọi đảng viên thuộc diện kiểm điểm, một tệp"), _year_argument,
     "forms"),
    ("review-summary", lambda: _("tổng hợp kết quả kiểm điểm, xếp loại đảng viên"), _year_argument, "summary"),
    ("review-cell", lambda: _("báo cáo kiểm điểm của tập thể chi bộ"), _year_argument, "cell"),
    ("review-minutes", lambda: _("biên bản họp kiểm điểm, xếp loại cuối năm"), _year_argument, "minutes"),
    ("review-ballots", lambda: _("phiếu biểu quyết mức xếp loại"), _ballot_arguments, "ballots"),
]


# --- the Đảng ủy's consolidation (app/services/consolidated_printing.py) -------------------------

def _period_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", required=True, help=_("kỳ: 2026, 2026-Q3 hoặc 2026-07"))


def _render_consolidated(args: argparse.Namespace, target: Path) -> None:
    from app.services import consolidated_printing, statistics

    consolidated_printing.write_pdf(statistics.parse_period(args.period), target)


FORMS: list[PrintForm] = [
    PrintForm("minutes", lambda: _("biên bản sinh hoạt chi bộ"), _meeting_arguments, partial(_render_meetings,
                                                                                            "minutes")),
    PrintForm("resolution", lambda: _("nghị quyết chi bộ"), _meeting_arguments, partial(_render_meetings,
                                                                                       "resolution")),
    PrintForm("attendance", lambda: _("sổ theo dõi dự sinh hoạt của một năm"), _year_argument, _render_attendance),
    PrintForm("document-register", lambda: _("sổ đăng ký văn bản đi: các số đã cấp trong nhiệm kỳ"), _term_argument,
              _render_document_register),
    PrintForm("fee-book", lambda: _("sổ thu, nộp đảng phí của một năm"), _year_argument, _render_fee_book),
    *(PrintForm(name, text, arguments, partial(_render_review, kind)) for name, text, arguments, kind in _REVIEW_FORMS),
    PrintForm("consolidated", lambda: _("tổng hợp của Đảng ủy từ gói các chi bộ: biểu thống kê và các bảng"),
              _period_argument, _render_consolidated),
]


# --- the command -------------------------------------------------------------------------------

def register(sub) -> None:
    p = sub.add_parser("print", help=_("in biểu mẫu ra tệp PDF"))
    forms = p.add_subparsers(dest="form", required=True, metavar=_("BIỂU_MẪU"))
    for form in FORMS:
        fp = forms.add_parser(form.name, help=form.help())
        form.add_arguments(fp)
        fp.add_argument("-o", "--output", type=Path, required=True, help=_("tệp PDF sẽ ghi"))
        fp.set_defaults(handler=partial(_print, form))


def _print(form: PrintForm, args: argparse.Namespace) -> int:
    target: Path = args.output
    if target.suffix.lower() != ".pdf":
        raise UsageError(_("-o: tệp in ra phải có đuôi .pdf ({file}).").format(file=target))
    if not target.parent.exists():
        raise UsageError(_("-o: không có thư mục {folder}.").format(folder=target.parent))
    # Written beside the target and renamed at the end: a failed print never leaves half a PDF.
    handle, temporary = tempfile.mkstemp(suffix=".pdf", dir=target.parent)
    os.close(handle)
    try:
        form.render(args, Path(temporary))
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    print(_("Đã in ra {file}.").format(file=target))
    return 0
