"""A child process that writes through the services forever, acknowledging each committed operation.

Run from the repository root as ``python -m tests.helpers.crash_writer DBPATH START``. It opens (creating
if needed) the database, sets the cell up if it is missing, and then loops over counters START, START+1, …;
for each counter it does three service operations, each its own transaction:

* ``add``    – add_member with the card number card_number(counter);
* ``update`` – update_member of that member, setting notes to update_note(counter);
* ``status`` – change_status of that member to EXEMPT with the reason status_reason(counter).

Only AFTER a service call has returned (its transaction committed) does it print
``OK <kind> <member_id> <counter>`` and flush, so every line read by the parent is a promise that
the operation is durable. The parent kills it with SIGKILL at a random moment.
"""
from __future__ import annotations

import datetime as dt
import sys

from app.domain.cell import CellInfo
from app.domain.members import Member, MemberStatus, Sex
from app.services import cell as cell_service
from app.services import members as member_service
from app.storage import db as storage
from app.storage import models as m

BIRTH_DATE = dt.date(1980, 5, 17)
ADMISSION_DATE = dt.date(2010, 3, 2)
STATUS_DATE = dt.date(2020, 1, 15)
TODAY = dt.date(2026, 11, 23)
KINDS = ("add", "update", "status")


def card_number(counter: int) -> str:
    return f"9{counter:08d}"


def full_name(counter: int) -> str:
    return f"Nguyễn Văn Thử {counter}"


def update_note(counter: int) -> str:
    return f"Đã cập nhật lần {counter}"


def status_reason(counter: int) -> str:
    return f"Miễn sinh hoạt do tuổi cao ({counter})"


def _ack(kind: str, member_id: int, counter: int) -> None:
    sys.stdout.write(f"OK {kind} {member_id} {counter}\n")
    sys.stdout.flush()


def _ensure_cell() -> None:
    if cell_service.get_cell() is None:
        cell_service.save_cell(CellInfo(name="Chi bộ thôn Thử", superior_name="Đảng bộ xã Thử"), today=TODAY)


def _card_taken(counter: int) -> bool:
    # A previous run may have committed this counter's add and been killed before acknowledging it.
    return m.Member.select().where(m.Member.card_number == card_number(counter)).exists()


def run(path: str, start: int) -> None:
    storage.open_database(path)
    _ensure_cell()
    counter = start
    while True:
        while _card_taken(counter):
            counter += 1
        member = Member(full_name=full_name(counter), sex=Sex.MALE, birth_date=BIRTH_DATE,
                        admission_date=ADMISSION_DATE, card_number=card_number(counter))
        member_id = member_service.add_member(member, today=TODAY).member.id
        _ack("add", member_id, counter)

        stored = member_service.get_member(member_id)
        stored.notes = update_note(counter)
        member_service.update_member(member_id, stored, reason=f"sửa {counter}", today=TODAY)
        _ack("update", member_id, counter)

        member_service.change_status(member_id, MemberStatus.EXEMPT, effective_date=STATUS_DATE,
                                     reason=status_reason(counter), today=TODAY)
        _ack("status", member_id, counter)
        counter += 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        sys.stderr.write("usage: python -m tests.helpers.crash_writer DBPATH START\n")
        return 2
    run(argv[0], int(argv[1]))
    return 0  # pragma: no cover - the loop never ends; the parent kills it


if __name__ == "__main__":
    sys.exit(main())
