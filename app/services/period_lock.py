"""Kỳ đã được cấp trên tiếp nhận: once the Đảng ủy's return package says «đã tiếp nhận» for a period, what
that period's package counted is read-only here — status changes, member events, meetings and their rolls,
fee payments dated in it, and the review of its year for a yearly package. Reopening takes a reason; the
next package of the period then has a new sequence number, so the superior sees it as a correction.
"""
from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from app.domain.dates import format_date
from app.domain.report_period import Period, PeriodError
from app.i18n import _
from app.services.errors import ServiceError
from app.storage import audit
from app.storage.models import database, now
from app.storage.statistics_models import PeriodAcceptance

# Set while a return package from the superior writes its own decisions (the final grades) into a year it
# accepts: those are the superior's to give, not a change of what was accepted.
_SUPERIOR_WRITES = contextvars.ContextVar("superior_writes", default=False)


@contextmanager
def superior_writes() -> Iterator[None]:
    token = _SUPERIOR_WRITES.set(True)
    try:
        yield
    finally:
        _SUPERIOR_WRITES.reset(token)


def _standing() -> list[PeriodAcceptance]:
    return list(PeriodAcceptance.select().where(PeriodAcceptance.reopened_at.is_null()).order_by(PeriodAcceptance.id))


def _period(text: str) -> Period | None:
    try:
        return Period.parse(text)
    except PeriodError:
        return None


def accepted_period_of(day: dt.date) -> Period | None:
    """The accepted (and not reopened) period that holds a day, if any."""
    for row in _standing():
        period = _period(row.period)
        if period is not None and period.contains(day):
            return period
    return None


def check_open(day: dt.date | None, what: str) -> None:
    """Refuse a change dated in an accepted period, naming the period and how to reopen it."""
    if day is None:
        return
    period = accepted_period_of(day)
    if period is not None:
        raise ServiceError(_("{what} ngày {date} thuộc {period}, kỳ cấp trên đã tiếp nhận: không sửa được. Nếu cần "
                             "sửa, hãy mở lại kỳ (chibo period reopen {code} --reason …); gói gửi lại sẽ có số thứ tự "
                             "mới.").format(what=what, date=format_date(day), period=period.label, code=period))


def check_count_open(day: dt.date | None, what: str) -> None:
    """Refuse a status change on or before the end of an accepted period: the count on every later day
    (cuối kỳ trước, cuối kỳ, Biểu 3) depends on it, so a change dated earlier would alter what was accepted."""
    if day is None:
        return
    check_open(day, what)
    for row in _standing():
        period = _period(row.period)
        if period is not None and day <= period.last_day:
            raise ServiceError(_("{what} ngày {date} làm đổi số đảng viên của {period}, kỳ cấp trên đã tiếp nhận: "
                                 "không sửa được. Nếu cần sửa, hãy mở lại kỳ (chibo period reopen {code} --reason …)"
                                 "; gói gửi lại sẽ có số thứ tự mới.").format(
                what=what, date=format_date(day), period=period.label, code=period))


def check_year_open(year: int, what: str) -> None:
    """The annual review of a year is read-only once the year's package was accepted."""
    if _SUPERIOR_WRITES.get():
        return
    for row in _standing():
        period = _period(row.period)
        if period is not None and period.year == year and period.number is None:
            raise ServiceError(_("{what} năm {year}: cấp trên đã tiếp nhận gói của năm; hãy mở lại kỳ trước "
                                 "(chibo period reopen {year} --reason …).").format(what=what, year=year))


def record_acceptance(period: str, package_hash: str, accepted_on: dt.date, superior_name: str) -> bool:
    """Write «đã tiếp nhận» for a period (inside the caller's transaction); False when already recorded."""
    exists = PeriodAcceptance.select().where((PeriodAcceptance.period == period) &
                                             (PeriodAcceptance.package_hash == package_hash)).exists()
    if exists:
        return False
    PeriodAcceptance.create(period=period, package_hash=package_hash, accepted_on=accepted_on,
                            superior_name=superior_name)
    audit.record("package", None, "accept", {"period": [None, period], "package_hash": [None, package_hash],
                                             "accepted_on": [None, accepted_on.isoformat()]})
    return True


def reopen(period_text: str, reason: str) -> int:
    """Reopen an accepted period with a reason; returns how many acceptances were lifted."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Hãy ghi lý do mở lại kỳ đã được tiếp nhận."))
    period = _period(period_text.strip())
    period_text = str(period) if period is not None else period_text  # «2026-q3» or «2026-7» as the package wrote it
    rows = [r for r in _standing() if r.period == period_text]
    if not rows:
        raise ServiceError(_("Kỳ «{period}» chưa được cấp trên tiếp nhận, hoặc đã được mở lại.").format(
            period=period_text))
    with database.atomic():
        for row in rows:
            PeriodAcceptance.update(reopened_at=now(), reopen_reason=reason).where(
                PeriodAcceptance.id == row.id).execute()
        audit.record("package", None, "reopen", {"period": [period_text, None]}, reason)
    return len(rows)


def acceptances() -> list[dict]:
    return [{"period": r.period, "package_hash": r.package_hash, "accepted_on": r.accepted_on.isoformat(),
             "superior_name": r.superior_name, "reopened": r.reopened_at is not None,
             "reopen_reason": r.reopen_reason}
            for r in PeriodAcceptance.select().order_by(PeriodAcceptance.id)]
