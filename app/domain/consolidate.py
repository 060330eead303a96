"""The Đảng ủy's consolidation of its cells' packages for one period: pure, from the packages' data.json.

The statistics forms are summed by row code over the cells (both columns; the mean age from the carried sum
and count, so it is the mean over every member, not a mean of means); the tables are one line per cell:
members by status, attendance by month, fees, review results by grade. The flags point at what the Đảng ủy
should look into: a member counted in two cells at the period's end, a member transferred out of one cell
who arrives in none of the others, and the cells that sent nothing for the period.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from app.domain import names
from app.domain.member_events import COUNTED_STATUSES
from app.domain.members import MemberStatus
from app.domain.report_period import Period
from app.domain.stat_forms import FORMS
from app.domain.statistics import StatForm, assemble, identity_holds
from app.i18n import _

SUMMED_FORMS = ("1", "3", "6F", "7")
GRADES = ("xuat-sac", "tot", "hoan-thanh", "khong-hoan-thanh")
STATUSES = tuple(s.value for s in MemberStatus)
COUNTED = frozenset(s.value for s in COUNTED_STATUSES)


@dataclass(frozen=True)
class CellPackage:
    """One cell's package in force for the period."""

    code: str
    name: str
    sequence: int
    package_hash: str
    privacy: str
    data: dict


@dataclass(frozen=True)
class KnownCell:
    code: str
    name: str


@dataclass
class Consolidation:
    period: Period
    cells: list[CellPackage]
    missing: list[KnownCell]
    forms: list[StatForm]
    members: list[dict]
    attendance: list[dict]
    months: list[str]
    fees: list[dict]
    review: list[dict]
    two_cells: list[dict] = field(default_factory=list)
    transferred_nowhere: list[dict] = field(default_factory=list)

    @property
    def identity_holds(self) -> bool:
        form_1 = next((f for f in self.forms if f.form == "1"), None)
        return form_1 is None or identity_holds(form_1)

    def totals(self, rows: list[dict], keys: tuple[str, ...]) -> dict:
        return {k: sum(r[k] for r in rows) for k in keys}

    def to_json(self) -> dict:
        return {
            "period": str(self.period), "period_label": self.period.label,
            "cells_reporting": len(self.cells),
            "cells": [{"code": c.code, "name": c.name, "sequence": c.sequence, "package_hash": c.package_hash,
                       "privacy": c.privacy} for c in self.cells],
            "forms": [f.to_json() for f in self.forms],
            "identity_holds": self.identity_holds,
            "members_by_cell": self.members,
            "members_total": members_total(self.members),
            "attendance_by_cell": self.attendance, "months": self.months,
            "attendance_total": attendance_total(self.attendance, self.months),
            "fees_by_cell": self.fees,
            "fees_total": self.totals(self.fees, FEE_KEYS),
            "review_by_cell": self.review,
            "flags": {"two_cells": self.two_cells, "transferred_nowhere": self.transferred_nowhere,
                      "missing_cells": [{"code": c.code, "name": c.name} for c in self.missing]},
        }


FEE_KEYS = ("collected", "kept", "to_remit", "remitted")


# ---- the forms ----------------------------------------------------------------------------------

def summed_values(cells: list[CellPackage], form: str) -> tuple[Counter, Counter]:
    current, previous = Counter(), Counter()
    for cell in cells:
        sheet = cell.data["statistics"].get(form)
        if not sheet:
            continue
        for row in sheet["rows"]:
            if row.get("current") is not None:
                current[row["code"]] += row["current"]
            if row.get("previous") is not None:
                previous[row["code"]] += row["previous"]
    return current, previous


def forms(cells: list[CellPackage], period: Period, missing: list[KnownCell] = (),
          codes: tuple[str, ...] = SUMMED_FORMS) -> list[StatForm]:
    notes = []
    if missing:
        notes.append(_("Chưa có gói của {n} chi bộ: {names}.").format(
            n=len(missing), names=", ".join(c.name for c in missing)))
    out = []
    for code in codes:
        current, previous = summed_values(cells, code)
        lacking = [c.name for c in cells if code not in c.data["statistics"]]
        extra = [_("Gói của {names} không có {form}.").format(names=", ".join(lacking), form=FORMS[code].name)
                 ] if lacking else []
        out.append(assemble(FORMS[code], period, current, previous, tuple(notes + extra)))
    return out


# ---- the tables ---------------------------------------------------------------------------------

def _rate(present: int, base: int) -> str:
    """A share in percent to one decimal with a comma; empty when there is nothing to divide by."""
    if not base:
        return ""
    value = round(Fraction(1000 * present, base)) / 10
    return f"{value:.1f}".replace(".", ",")


def members_by_cell(cells: list[CellPackage]) -> list[dict]:
    out = []
    for cell in cells:
        counts = {s: int(cell.data["status_counts"].get(s, 0)) for s in STATUSES}
        out.append({"code": cell.code, "name": cell.name, "counts": counts,
                    "counted": sum(counts[s] for s in COUNTED)})
    return out


def members_total(rows: list[dict]) -> dict:
    counts = {s: sum(r["counts"][s] for r in rows) for s in STATUSES}
    return {"counts": counts, "counted": sum(r["counted"] for r in rows)}


def attendance_by_cell(cells: list[CellPackage]) -> tuple[list[dict], list[str]]:
    months = sorted({a["month"] for c in cells for a in c.data["attendance"]})
    out = []
    for cell in cells:
        by_month: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for meeting in cell.data["attendance"]:
            slot = by_month[meeting["month"]]
            slot[0] += meeting["present"]
            slot[1] += meeting["rate_base"]
            slot[2] += 1
        present = sum(v[0] for v in by_month.values())
        base = sum(v[1] for v in by_month.values())
        out.append({"code": cell.code, "name": cell.name,
                    "months": {m: {"present": v[0], "rate_base": v[1], "meetings": v[2], "rate": _rate(v[0], v[1])}
                               for m, v in sorted(by_month.items())},
                    "present": present, "rate_base": base, "rate": _rate(present, base)})
    return out, months


def attendance_total(rows: list[dict], months: list[str]) -> dict:
    by_month = {}
    for month in months:
        present = sum(r["months"][month]["present"] for r in rows if month in r["months"])
        base = sum(r["months"][month]["rate_base"] for r in rows if month in r["months"])
        by_month[month] = {"present": present, "rate_base": base, "rate": _rate(present, base)}
    present, base = sum(r["present"] for r in rows), sum(r["rate_base"] for r in rows)
    return {"months": by_month, "present": present, "rate_base": base, "rate": _rate(present, base)}


def fees_by_cell(cells: list[CellPackage]) -> list[dict]:
    out = []
    for cell in cells:
        rows = cell.data["fees"]
        out.append({"code": cell.code, "name": cell.name, "months": len(rows),
                    **{k: sum(int(r[k]) for r in rows) for k in FEE_KEYS}})
    return out


def review_by_cell(cells: list[CellPackage]) -> list[dict]:
    out = []
    for cell in cells:
        review = cell.data.get("review")
        if not review:
            out.append({"code": cell.code, "name": cell.name, "year": None, "reviewed": 0,
                        "proposed": dict.fromkeys(GRADES, 0), "final": dict.fromkeys(GRADES, 0), "not_graded": 0})
            continue
        summary = review["summary"]
        proposed = dict.fromkeys(GRADES, 0)
        final = dict.fromkeys(GRADES, 0)
        for grade in summary["grades"]:
            if grade["grade"] in proposed:
                proposed[grade["grade"]] += grade["proposed"]
                final[grade["grade"]] += grade["final"]
        out.append({"code": cell.code, "name": cell.name, "year": review["year"], "reviewed": summary["reviewed"],
                    "proposed": proposed, "final": final, "not_graded": int(summary.get("not_graded", 0) or 0)})
    return out


# ---- the flags ----------------------------------------------------------------------------------

def _card(member: dict) -> str:
    return "".join(ch for ch in (member.get("card_number") or "") if ch.isalnum()).upper()


def _person(member: dict) -> tuple[str, str] | None:
    birth = member.get("birth_date")
    name = names.fold(member.get("full_name") or "")
    return (name, birth) if name and birth else None


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10])
    except (TypeError, ValueError):
        return None


def _entry(cell: CellPackage, member: dict) -> dict:
    return {"cell_code": cell.code, "cell_name": cell.name, "ref": member["ref"], "full_name": member["full_name"],
            "card_number": member.get("card_number") or "", "birth_date": member.get("birth_date"),
            "status": member["status"]}


def members_in_two_cells(cells: list[CellPackage]) -> list[dict]:
    """Members counted at the period's end in two cells or more: the same card number, or (where a card is
    missing on either side) the same name, folded, and birth date."""
    by_card: dict[str, list[dict]] = defaultdict(list)
    by_person: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for cell in cells:
        for member in cell.data.get("members") or []:
            if member["status"] not in COUNTED:
                continue
            entry = _entry(cell, member)
            if _card(member):
                by_card[_card(member)].append(entry)
            person = _person(member)
            if person:
                by_person[person].append(entry)
    flags, seen = [], set()
    for card, entries in sorted(by_card.items()):
        if len({e["cell_code"] for e in entries}) > 1:
            flags.append({"match": "card", "key": card, "members": entries})
            seen.update((e["cell_code"], e["ref"]) for e in entries)
    for person, entries in sorted(by_person.items()):
        if len({e["cell_code"] for e in entries}) < 2:
            continue
        if all((e["cell_code"], e["ref"]) in seen for e in entries):
            continue
        cards = {_card(e) for e in entries}
        if "" not in cards and len(cards) == len(entries):
            continue  # every one has a card of their own: namesakes born the same day
        flags.append({"match": "name_birth", "key": f"{entries[0]['full_name']} ({person[1]})", "members": entries})
    return flags


def transferred_nowhere(cells: list[CellPackage], period: Period) -> list[dict]:
    """Members whose status became chuyển đi in the period in one cell and who are in no other cell's package
    (by card, else by name and birth date). Only roster and full packages carry members."""
    cards: dict[str, set[str]] = defaultdict(set)
    people: dict[tuple[str, str], set[str]] = defaultdict(set)
    for cell in cells:
        for member in cell.data.get("members") or []:
            if _card(member):
                cards[_card(member)].add(cell.code)
            person = _person(member)
            if person:
                people[person].add(cell.code)
    out = []
    for cell in cells:
        for member in cell.data.get("members") or []:
            moves = [s for s in member.get("status_history") or []
                     if s.get("status") == MemberStatus.TRANSFERRED_OUT.value
                     and (_date(s.get("date", "")) is not None and period.contains(_date(s["date"])))]
            if not moves:
                continue
            others = set()
            if _card(member):
                others |= cards[_card(member)]
            person = _person(member)
            if person:
                others |= people[person]
            others.discard(cell.code)
            if others:
                continue
            move = moves[-1]
            out.append({**_entry(cell, member), "date": move["date"], "scope": move.get("scope", "")})
    return out


def consolidate(cells: list[CellPackage], period: Period, known: list[KnownCell] = ()) -> Consolidation:
    reporting = {c.code for c in cells}
    missing = [k for k in known if k.code not in reporting]
    cells = sorted(cells, key=lambda c: (c.code, c.name))
    attendance, months = attendance_by_cell(cells)
    return Consolidation(period=period, cells=cells, missing=missing, forms=forms(cells, period, missing),
                         members=members_by_cell(cells), attendance=attendance, months=months,
                         fees=fees_by_cell(cells), review=review_by_cell(cells),
                         two_cells=members_in_two_cells(cells), transferred_nowhere=transferred_nowhere(cells, period))
