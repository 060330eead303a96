"""The file name offered when a form is saved: plain ASCII and dated, so next month's file never overwrites this one."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from app.domain.dates import Month
from app.domain.report_period import Period


@dataclass(frozen=True)
class _Kind:
    stem: str
    dated_by: str  # "day", "month" or "year": what the date in the name says
    extension: str
    # A report made for a year, a quarter or a month: a Period names it by itself (2026, 2026-Q3, 2026-07);
    # a plain year, day or month stands for the whole year.
    by_period: bool = False


# Stems are Vietnamese without diacritics: safe on every file system, in e-mail and on a USB stick.
KINDS: dict[str, _Kind] = {
    "minutes": _Kind("bien-ban", "day", "pdf"),                  # Biên bản sinh hoạt
    "resolution": _Kind("nghi-quyet", "day", "pdf"),             # Nghị quyết
    "attendance": _Kind("so-diem-danh", "year", "pdf"),          # Sổ điểm danh năm
    "document_register": _Kind("so-van-ban-di", "day", "pdf"),   # Sổ đăng ký văn bản đi, on the day printed
    "fee_book": _Kind("so-dang-phi", "year", "pdf"),             # Sổ thu, nộp đảng phí
    "fee_notice": _Kind("thong-bao-dang-phi", "month", "pdf"),   # Thông báo đảng phí tháng
    "roster": _Kind("danh-sach-dang-vien", "day", "xlsx"),       # Danh sách đảng viên
    "review_form": _Kind("ban-kiem-diem", "year", "pdf"),        # Bản kiểm điểm (of one member, or all)
    "review_ballots": _Kind("phieu-bieu-quyet", "year", "pdf"),  # Phiếu biểu quyết mức xếp loại
    "review_summary": _Kind("tong-hop-xep-loai", "year", "pdf"), # Tổng hợp kết quả xếp loại
    "review_cell": _Kind("kiem-diem-chi-bo", "year", "pdf"),     # Báo cáo kiểm điểm tập thể chi bộ (Mẫu 01)
    "review_minutes": _Kind("bien-ban-kiem-diem", "year", "pdf"),  # Biên bản họp kiểm điểm
    "statistics": _Kind("bieu-thong-ke", "year", "pdf", by_period=True),    # Biểu số 1, 2, 3, 6F, 7-BTCTW
    "statistics_report": _Kind("bao-cao-chi-bo", "year", "xlsx", by_period=True),  # the report for the Đảng ủy
}
_EXTENSION = re.compile(r"^[a-z0-9]{1,8}$")


def document_file_name(kind: str, day_or_year: dt.date | Month | int, *, extension: str | None = None) -> str:
    """The suggested file name of a form, e.g. ("minutes", date(2026, 12, 5)) → "bien-ban-2026-12-05.pdf".

    A kind dated by day takes a date; by month, a Month or any day of it; by year, a year or any day
    or month of it; a report of a period (statistics) also takes a Period: ("statistics", Period(2026,
    QUARTER, 3)) → "bieu-thong-ke-2026-Q3.pdf".
    `extension` replaces the kind's own ("xlsx" for a fee book exported to Excel).
    Raises ValueError for an unknown kind or extension, TypeError for a date of the wrong sort.
    """
    try:
        spec = KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown document kind {kind!r}; known: {', '.join(KINDS)}") from None
    suffix = _extension(extension or spec.extension)
    if spec.by_period and isinstance(day_or_year, Period):
        return f"{spec.stem}-{day_or_year}.{suffix}"
    return f"{spec.stem}-{_date_part(spec.dated_by, day_or_year)}.{suffix}"


def _extension(text: str) -> str:
    suffix = text.lower().removeprefix(".")
    if not _EXTENSION.match(suffix):
        raise ValueError(f"not a file extension: {text!r}")
    return suffix


def _date_part(dated_by: str, value: dt.date | Month | int) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if dated_by == "day" and isinstance(value, dt.date):
        return value.isoformat()
    if dated_by == "month" and isinstance(value, (dt.date, Month)):
        return str(value if isinstance(value, Month) else Month.of(value))
    if dated_by == "year":
        year = value if isinstance(value, int) and not isinstance(value, bool) else getattr(value, "year", None)
        if isinstance(year, int) and 1 <= year <= 9999:
            return f"{year:04d}"
    raise TypeError(f"a form dated by {dated_by} cannot take {value!r}")
