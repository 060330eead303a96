"""A child process that writes through the services forever, acknowledging each committed operation.

Run from the repository root as ``python -m tests.helpers.crash_writer DBPATH START``. It opens (creating
if needed) the database, sets the cell up if it is missing, and then loops over counters START, START+1, …;
for each counter it does these service operations, each its own transaction:

* ``add``    – add_member with the card number card_number(counter);
* ``update`` – update_member of that member, setting notes to update_note(counter);
* ``pay``    – record_payment of payment_amount(counter) with the note payment_note(counter) (after set_profile
  gave the member a fee profile, a transaction of its own that is not acknowledged);
* ``mark``   – set_attendance of that member at the cell's one meeting: excused, with the reason mark_reason(counter);
* ``text``   – update_meeting of that meeting, its discussion set to meeting_text(counter);
* ``status`` – change_status of that member to EXEMPT with the reason status_reason(counter).

Only AFTER a service call has returned (its transaction committed) does it print
``OK <kind> <member_id> <counter>`` and flush, so every line read by the parent is a promise that
the operation is durable. The parent kills it with SIGKILL at a random moment.

With ``DBPATH START COUNT [KIND,KIND…]`` it stops after COUNT operations of those kinds (bench/bench_two_writers.py
runs two at once on one file): a failure is then a line ``ERR <kind> <counter> <error>``, its traceback on stderr,
and the writer goes on with the next counter.
"""
from __future__ import annotations

import datetime as dt
import sys
import traceback

from app.domain.cell import CellInfo
from app.domain.meetings import Mark, Meeting
from app.domain.members import Member, MemberStatus, Sex
from app.domain.months import Month
from app.services import cell as cell_service
from app.services import fees as fee_service
from app.services import meetings as meeting_service
from app.services import members as member_service
from app.storage import db as storage
from app.storage import meeting_models as mm
from app.storage import models as m

BIRTH_DATE = dt.date(1980, 5, 17)
ADMISSION_DATE = dt.date(2010, 3, 2)
STATUS_DATE = dt.date(2020, 1, 15)
TODAY = dt.date(2026, 11, 23)
MEETING_DATE = dt.date(2026, 11, 20)
FEE_FROM = Month(2026, 1)
PAID_MONTH = Month(2026, 10)
KINDS = ("add", "update", "pay", "mark", "text", "status")


def card_number(counter: int) -> str:
    return f"9{counter:08d}"


def full_name(counter: int) -> str:
    return f"Nguyễn Văn Thử {counter}"


def update_note(counter: int) -> str:
    return f"Đã cập nhật lần {counter}"


def status_reason(counter: int) -> str:
    return f"Miễn sinh hoạt do tuổi cao ({counter})"


def payment_amount(counter: int) -> int:
    return 1000 + counter


def payment_note(counter: int) -> str:
    return f"Thu lần {counter}"


def mark_reason(counter: int) -> str:
    return f"Đi công tác ({counter})"


def meeting_text(counter: int) -> str:
    return f"Ý kiến thảo luận lần {counter}"


def _ack(kind: str, member_id: int, counter: int) -> None:
    sys.stdout.write(f"OK {kind} {member_id} {counter}\n")
    sys.stdout.flush()


def _ensure_cell() -> None:
    if cell_service.get_cell() is None:
        cell_service.save_cell(CellInfo(name="Chi bộ thôn Thử", superior_name="Đảng bộ xã Thử"), today=TODAY)


def _ensure_meeting() -> int:
    row = mm.Meeting.select(mm.Meeting.id).order_by(mm.Meeting.id).first()
    if row is not None:
        return row.id
    return meeting_service.add_meeting(Meeting(date=MEETING_DATE, topic="Sinh hoạt thường kỳ tháng 11")).id


def _card_taken(counter: int) -> bool:
    # A previous run may have committed this counter's add and been killed before acknowledging it.
    return m.Member.select().where(m.Member.card_number == card_number(counter)).exists()


def _add(counter: int, _member_id: int | None, _meeting_id: int) -> int:
    member = Member(full_name=full_name(counter), sex=Sex.MALE, birth_date=BIRTH_DATE,
                    admission_date=ADMISSION_DATE, card_number=card_number(counter))
    return member_service.add_member(member, today=TODAY).member.id


def _update(counter: int, member_id: int, _meeting_id: int) -> int:
    stored = member_service.get_member(member_id)
    stored.notes = update_note(counter)
    member_service.update_member(member_id, stored, reason=f"sửa {counter}", today=TODAY)
    return member_id


def _pay(counter: int, member_id: int, _meeting_id: int) -> int:
    fee_service.set_profile(member_id, "bhxh", from_month=FEE_FROM, basis=8_000_000, today=TODAY)
    fee_service.record_payment(member_id, amount=payment_amount(counter), month_from=PAID_MONTH, paid_on=TODAY,
                               note=payment_note(counter), today=TODAY)
    return member_id


def _mark(counter: int, member_id: int, meeting_id: int) -> int:
    meeting_service.set_attendance(meeting_id, member_id, Mark.EXCUSED, reason=mark_reason(counter), today=TODAY)
    return member_id


def _text(counter: int, member_id: int, meeting_id: int) -> int:
    meeting_service.update_meeting(meeting_id, {"discussion": meeting_text(counter)}, today=TODAY)
    return member_id


def _status(counter: int, member_id: int, _meeting_id: int) -> int:
    member_service.change_status(member_id, MemberStatus.EXEMPT, effective_date=STATUS_DATE,
                                 reason=status_reason(counter), today=TODAY)
    return member_id


# Each operation takes (counter, the counter's member, the meeting) and returns the counter's member.
OPERATIONS = {"add": _add, "update": _update, "pay": _pay, "mark": _mark, "text": _text, "status": _status}


def prepare(path: str) -> None:
    """The cell and its meeting, made once before several writers start on the same file."""
    storage.open_database(path)
    try:
        _ensure_cell()
        _ensure_meeting()
    finally:
        storage.close_database()


def run(path: str, start: int, count: int | None = None, kinds: tuple[str, ...] = KINDS) -> int:
    """Write for ever (count None: the kill loop ends it), or `count` operations, each failure reported as
    ``ERR <kind> <counter> <error>`` on stdout with its traceback on stderr; returns the failures."""
    storage.open_database(path)
    _ensure_cell()
    meeting_id = _ensure_meeting()
    counter, done, failures = start, 0, 0
    while count is None or done < count:
        while _card_taken(counter):
            counter += 1
        member_id = None
        for kind in kinds[:None if count is None else count - done]:
            done += 1
            try:
                member_id = OPERATIONS[kind](counter, member_id, meeting_id)
            except Exception as exc:
                if count is None:
                    raise
                failures += 1
                sys.stdout.write(f"ERR {kind} {counter} {type(exc).__name__}: {exc}\n")
                traceback.print_exc()
                break  # this counter's later operations need the one that failed
            _ack(kind, member_id, counter)
        counter += 1
    return failures


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) not in (2, 3, 4):
        sys.stderr.write("usage: python -m tests.helpers.crash_writer DBPATH START [COUNT [KIND,KIND…]]\n")
        return 2
    count = int(argv[2]) if len(argv) > 2 else None
    kinds = tuple(argv[3].split(",")) if len(argv) > 3 else KINDS
    return 1 if run(argv[0], int(argv[1]), count, kinds) else 0


if __name__ == "__main__":
    sys.exit(main())
