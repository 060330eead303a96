"""Đối chiếu: the cell's roster against the member list the superior (Đảng ủy) keeps, row by row.

Pure: the rows are read by app.services.reconcile; nothing here touches the database. A row of theirs is
matched to one of ours by the citizen ID (digits only), then the card number (spaces removed), then the
folded name with the birth date; each match says which key found it.
"""
from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass, field

from app.domain import names
from app.domain.dates import format_date, iso
from app.domain.labels import field_label
from app.domain.members import ACTIVE_STATUSES, Member, MemberStatus
from app.i18n import _

# The fields compared, in the order they are shown; the status is compared but never taken (a status change
# needs its own date and reason).
COMPARED_FIELDS = ("full_name", "card_number", "citizen_id", "birth_date", "admission_date", "status")
TAKEABLE_FIELDS = ("full_name", "card_number", "citizen_id", "birth_date", "admission_date")


class Kind(enum.StrEnum):
    MISSING_HERE = "missing_here"  # in their list, not in ours
    MISSING_THERE = "missing_there"  # in the cell now, not in their list
    DIFFERENT = "different"  # matched, some fields differ
    OTHER_CELL = "other_cell"  # their row puts one of ours in another chi bộ
    AMBIGUOUS = "ambiguous"  # one row of theirs matches two of ours (or two rows one of ours)

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]()


_KIND_LABELS = {
    Kind.MISSING_HERE: lambda: _("Chưa có ở đây"),
    Kind.MISSING_THERE: lambda: _("Không có trong danh sách cấp trên"),
    Kind.DIFFERENT: lambda: _("Khác thông tin"),
    Kind.OTHER_CELL: lambda: _("Cấp trên ghi chi bộ khác"),
    Kind.AMBIGUOUS: lambda: _("Không rõ khớp với ai"),
}


class Key(enum.StrEnum):
    CITIZEN_ID = "citizen_id"
    CARD_NUMBER = "card_number"
    NAME_BIRTH = "name_birth"

    @property
    def label(self) -> str:
        return {Key.CITIZEN_ID: lambda: _("số CCCD"), Key.CARD_NUMBER: lambda: _("số thẻ"),
                Key.NAME_BIRTH: lambda: _("họ tên và ngày sinh")}[self]()


@dataclass(frozen=True)
class Incoming:
    """One row of their list, as read (text normalised, dates parsed; a bad cell is left empty)."""

    row: int
    full_name: str = ""
    card_number: str = ""
    citizen_id: str = ""
    birth_date: dt.date | None = None
    admission_date: dt.date | None = None
    cell_name: str = ""
    status_text: str = ""

    def as_dict(self) -> dict:
        return {"row": self.row, "full_name": self.full_name, "card_number": self.card_number,
                "citizen_id": self.citizen_id, "birth_date": iso(self.birth_date),
                "admission_date": iso(self.admission_date), "cell_name": self.cell_name,
                "status_text": self.status_text}


@dataclass(frozen=True)
class FieldDifference:
    """One field of a matched pair: our value and theirs (theirs as it would be stored)."""

    field: str
    ours: object
    theirs: object

    @property
    def takeable(self) -> bool:
        return self.field in TAKEABLE_FIELDS

    @property
    def label(self) -> str:
        return field_label(f"member.{self.field}")

    def as_dict(self) -> dict:
        return {"field": self.field, "ours": _plain(self.ours), "theirs": _plain(self.theirs),
                "takeable": self.takeable}

    def describe(self) -> str:
        return _("{field}: ở đây «{ours}», cấp trên «{theirs}»").format(
            field=self.label, ours=shown(self.ours), theirs=shown(self.theirs))


@dataclass(frozen=True)
class Match:
    row: int
    member_id: int
    key: Key


@dataclass(frozen=True)
class Difference:
    kind: Kind
    row: int | None = None  # their row number in the file
    member: Member | None = None  # ours
    incoming: Incoming | None = None
    key: Key | None = None  # which key matched (different, other_cell, ambiguous)
    fields: tuple[FieldDifference, ...] = ()
    candidates: tuple[Member, ...] = ()  # ambiguous: every one of ours the row matches
    other_row: int | None = None  # ambiguous: the earlier row that matched the same member

    def field(self, name: str) -> FieldDifference | None:
        return next((f for f in self.fields if f.field == name), None)

    def describe(self) -> str:
        """One Vietnamese line naming their row and our member."""
        where = _("Dòng {row}").format(row=self.row) if self.row is not None else ""
        if self.kind is Kind.MISSING_HERE:
            return _("{where}: {who} có trong danh sách cấp trên nhưng chưa có ở đây.").format(
                where=where, who=_their_person(self.incoming))
        if self.kind is Kind.MISSING_THERE:
            who = _our_person(self.member)
            return _("{who} đang sinh hoạt ở đây nhưng không có trong danh sách cấp trên.").format(
                who=who[:1].upper() + who[1:])
        if self.kind is Kind.DIFFERENT:
            return _("{where}: {who}, khớp theo {key}, khác thông tin — {fields}.").format(
                where=where, who=_our_person(self.member), key=self.key.label,
                fields="; ".join(f.describe() for f in self.fields))
        if self.kind is Kind.OTHER_CELL:
            return _("{where}: cấp trên ghi {who}, khớp theo {key}, sinh hoạt ở «{cell}».").format(
                where=where, who=_our_person(self.member), key=self.key.label, cell=self.incoming.cell_name)
        if self.other_row is not None:
            return _("{where}: khớp theo {key} với {who}, người mà dòng {other} cũng khớp; kiểm tra xem cấp "
                     "trên có ghi trùng không.").format(
                where=where, key=self.key.label, who=_our_person(self.member), other=self.other_row)
        return _("{where}: {theirs} khớp theo {key} với nhiều đồng chí ở đây ({ours}); kiểm tra lại hồ sơ.").format(
            where=where, theirs=_their_person(self.incoming), key=self.key.label,
            ours=", ".join(_our_person(m) for m in self.candidates))

    def as_dict(self) -> dict:
        return {
            "kind": self.kind.value, "row": self.row,
            "member_id": self.member.id if self.member else None,
            "member_name": self.member.full_name if self.member else None,
            "matched_by": self.key.value if self.key else None,
            "fields": [f.as_dict() for f in self.fields],
            "candidates": [{"member_id": m.id, "full_name": m.full_name} for m in self.candidates],
            "other_row": self.other_row,
            "theirs": self.incoming.as_dict() if self.incoming else None,
            "text": self.describe(),
        }


@dataclass
class Report:
    """Every difference between the two lists; nothing is changed by making it."""

    cell_name: str
    rows: int = 0  # rows of theirs read
    matched: list[Match] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    other_cell_rows: int = 0  # rows of other cells in their list that match none of ours (not differences)
    warnings: list[str] = field(default_factory=list)
    source: str = ""

    def of_kind(self, kind: Kind) -> list[Difference]:
        return [d for d in self.differences if d.kind is kind]

    def counts(self) -> dict[str, int]:
        counts = {"rows": self.rows, "matched": len(self.matched)}
        counts.update({kind.value: len(self.of_kind(kind)) for kind in Kind})
        counts["other_cell_rows"] = self.other_cell_rows
        return counts

    def difference_for(self, member_id: int) -> Difference | None:
        """The "different" entry of one of ours, if any."""
        return next((d for d in self.of_kind(Kind.DIFFERENT) if d.member and d.member.id == member_id), None)

    def summary(self) -> str:
        c = self.counts()
        text = _("{rows} dòng của cấp trên, khớp {matched}; khác thông tin {different}; chưa có ở đây "
                 "{missing_here}; không có trong danh sách cấp trên {missing_there}; cấp trên ghi chi bộ khác "
                 "{other_cell}; không rõ khớp với ai {ambiguous}.").format(**c)
        if self.other_cell_rows:
            text += " " + _("{count} dòng của chi bộ khác không khớp với ai ở đây nên không xét.").format(
                count=self.other_cell_rows)
        return text

    def as_dict(self) -> dict:
        return {"file": self.source, "cell": self.cell_name, "counts": self.counts(), "warnings": self.warnings,
                "matched": [{"row": m.row, "member_id": m.member_id, "matched_by": m.key.value}
                            for m in self.matched],
                "differences": [d.as_dict() for d in self.differences]}


# --- keys -----------------------------------------------------------------------------------


def citizen_key(text: str) -> str:
    return re.sub(r"\D+", "", text or "")


def card_key(text: str) -> str:
    return "".join((text or "").split())


def name_key(name: str, birth: dt.date | None) -> tuple[str, dt.date] | None:
    folded = names.fold(name or "")
    return (folded, birth) if folded and birth else None


def cell_key(name: str) -> str:
    """A chi bộ's name folded, without the words "chi bộ" in front: "CB thôn Đông" and "Chi bộ Thôn Đông" agree."""
    key = " ".join(re.sub(r"[^a-z0-9 ]+", " ", names.fold(name or "")).split())
    return re.sub(r"^(?:chi bo|cb)\s+", "", key)


# Words their lists use for a status, folded, beyond the program's own labels and codes.
_STATUS_WORDS = (
    ("du bi", MemberStatus.PROBATIONARY), ("chinh thuc", MemberStatus.OFFICIAL),
    ("mien", MemberStatus.EXEMPT), ("tam thoi", MemberStatus.TEMPORARY),
    ("chuyen di", MemberStatus.TRANSFERRED_OUT), ("chuyen sinh hoat", MemberStatus.TRANSFERRED_OUT),
    ("xoa ten", MemberStatus.REMOVED), ("khai tru", MemberStatus.EXPELLED),
    ("ra khoi dang", MemberStatus.RESIGNED), ("tu tran", MemberStatus.DECEASED), ("da mat", MemberStatus.DECEASED),
)


def read_status(text: str) -> MemberStatus | None:
    """The status their text names ("Đảng viên chính thức", "Miễn SH", "du_bi"), or None."""
    if not (text or "").strip():
        return None
    found = names.choice(text, MemberStatus)
    if found is not None:
        return found
    folded = " ".join(re.sub(r"[^a-z0-9 ]+", " ", names.fold(text)).split())
    hits = {status for word, status in _STATUS_WORDS if re.search(rf"\b{word}\b", folded)}
    return hits.pop() if len(hits) == 1 else None


# --- comparing ------------------------------------------------------------------------------


def their_value(incoming: Incoming, name: str) -> object:
    """Their value for a field as it would be stored here ("" or None when their cell is empty)."""
    if name == "full_name":
        return names.normalize_name(incoming.full_name)
    if name == "card_number":
        return card_key(incoming.card_number)
    if name == "citizen_id":
        return citizen_key(incoming.citizen_id)
    if name == "status":
        return read_status(incoming.status_text)
    return getattr(incoming, name)


def _same(name: str, ours: object, theirs: object) -> bool:
    if name == "full_name":
        return names.normalize_name(ours or "") == theirs
    if name == "card_number":
        return card_key(ours or "") == theirs
    if name == "citizen_id":
        return citizen_key(ours or "") == theirs
    return ours == theirs


def field_differences(member: Member, incoming: Incoming) -> tuple[FieldDifference, ...]:
    """The fields where their list says something other than ours; an empty cell of theirs says nothing."""
    found = []
    for name in COMPARED_FIELDS:
        theirs = their_value(incoming, name)
        if theirs in (None, ""):
            continue
        ours = getattr(member, name)
        if not _same(name, ours, theirs):
            found.append(FieldDifference(name, ours, theirs))
    return tuple(found)


class _Index:
    """Ours by each key."""

    def __init__(self, ours: list[Member]):
        self.by: dict[Key, dict[object, list[Member]]] = {key: {} for key in Key}
        for member in ours:
            for key, value in ((Key.CITIZEN_ID, citizen_key(member.citizen_id)),
                               (Key.CARD_NUMBER, card_key(member.card_number)),
                               (Key.NAME_BIRTH, name_key(member.full_name, member.birth_date))):
                if value:
                    self.by[key].setdefault(value, []).append(member)

    def find(self, incoming: Incoming) -> tuple[Key | None, list[Member]]:
        for key, value in ((Key.CITIZEN_ID, citizen_key(incoming.citizen_id)),
                           (Key.CARD_NUMBER, card_key(incoming.card_number)),
                           (Key.NAME_BIRTH, name_key(incoming.full_name, incoming.birth_date))):
            if value and value in self.by[key]:
                return key, self.by[key][value]
        return None, []


def reconcile(ours: list[Member], theirs: list[Incoming], cell_name: str) -> Report:
    """Every difference between our members and their rows. ours: every member not archived, whatever the
    status (one who left is matched, so their row shows the status, not a stranger); only those in the cell
    now are looked for in their list."""
    report = Report(cell_name, rows=len(theirs))
    index = _Index(ours)
    several_cells = len({cell_key(r.cell_name) for r in theirs if cell_key(r.cell_name)}) > 1
    own_cell = cell_key(cell_name)
    if several_cells and not any(cell_key(r.cell_name) == own_cell for r in theirs):
        report.warnings.append(_("Danh sách có nhiều chi bộ nhưng không dòng nào ghi «{cell}»; kiểm tra tên chi bộ "
                                 "trong tệp.").format(cell=cell_name))
    taken: dict[int, int] = {}  # our member id -> the row that matched it first
    for incoming in theirs:
        elsewhere = several_cells and bool(cell_key(incoming.cell_name)) and cell_key(incoming.cell_name) != own_cell
        key, found = index.find(incoming)
        if not found:
            if elsewhere:
                report.other_cell_rows += 1
            else:
                report.differences.append(Difference(Kind.MISSING_HERE, incoming.row, incoming=incoming))
            continue
        if len(found) > 1:
            report.differences.append(Difference(Kind.AMBIGUOUS, incoming.row, incoming=incoming, key=key,
                                                 candidates=tuple(found)))
            for member in found:
                taken.setdefault(member.id, incoming.row)
            continue
        member = found[0]
        if member.id in taken:
            report.differences.append(Difference(Kind.AMBIGUOUS, incoming.row, member, incoming, key,
                                                 other_row=taken[member.id]))
            continue
        taken[member.id] = incoming.row
        report.matched.append(Match(incoming.row, member.id, key))
        if elsewhere:
            report.differences.append(Difference(Kind.OTHER_CELL, incoming.row, member, incoming, key))
            continue
        fields = field_differences(member, incoming)
        if fields:
            report.differences.append(Difference(Kind.DIFFERENT, incoming.row, member, incoming, key, fields))
        if incoming.status_text and read_status(incoming.status_text) is None:
            report.warnings.append(_("Dòng {row}: tình trạng «{text}» không rõ nên không so sánh.").format(
                row=incoming.row, text=incoming.status_text))
    for member in ours:
        if member.id not in taken and member.status in ACTIVE_STATUSES and not member.archived:
            report.differences.append(Difference(Kind.MISSING_THERE, member=member))
    return report


# --- wording --------------------------------------------------------------------------------


def _plain(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def shown(value: object) -> str:
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, MemberStatus):
        return value.label
    return str(value) if value not in (None, "") else _("(trống)")


def _our_person(member: Member | None) -> str:
    if member is None:
        return ""
    return _("đồng chí {name} (mã số {id})").format(name=member.full_name, id=member.id)


def _their_person(incoming: Incoming | None) -> str:
    if incoming is None:
        return ""
    parts = [incoming.full_name or _("(không tên)")]
    if incoming.birth_date:
        parts.append(_("sinh {date}").format(date=format_date(incoming.birth_date)))
    if incoming.card_number:
        parts.append(_("số thẻ {card}").format(card=incoming.card_number))
    if incoming.citizen_id:
        parts.append(_("CCCD {id}").format(id=incoming.citizen_id))
    return ", ".join(parts)
