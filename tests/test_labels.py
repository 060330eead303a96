"""Field labels are declared once, each key with its area, and every field a check names has a label."""
from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from app.domain.cell import CellInfo, validate_cell
from app.domain.labels import AREAS, LABELS, LEGACY_KEYS, by_bare_name, field_label
from app.domain.meetings import Meeting, validate_meeting
from app.domain.members import EDITABLE_FIELDS, Joining, Member, StatusChange, validate_member

ROOT = Path(__file__).resolve().parents[1]


def test_every_key_is_an_area_and_a_name():
    for key in LABELS:
        area, dot, name = key.partition(".")
        assert dot and area in AREAS and name and "." not in name, key


def test_every_label_is_vietnamese_text():
    for key, label in LABELS.items():
        assert label().strip() and label() != key, key


def _names(record, *left_out: str) -> list[str]:
    return [f.name for f in dataclasses.fields(record) if f.name not in left_out]


@pytest.mark.parametrize(("area", "names"), [
    ("member", [*EDITABLE_FIELDS, "id", "status", "archived"]),
    # A status change and a new member's start in the cell, as the status and member dialogs ask them.
    ("member", [*_names(StatusChange, "id", "recorded_at"), "vote_date", *_names(Joining, "how"), "joined_cell"]),
    ("cell", _names(CellInfo)),
    ("meeting", _names(Meeting)),
])
def test_every_field_of_a_record_has_a_label_in_its_area(area, names):
    assert [n for n in names if f"{area}.{n}" not in LABELS] == []


def test_one_name_in_two_areas_keeps_two_labels():
    assert field_label("member.reason") == "Lý do" and field_label("attendance.reason") == "Lý do vắng"
    assert field_label("member.effective_date") == "Từ ngày"


def test_an_undeclared_key_reads_as_itself_or_as_the_default_given():
    assert field_label("member.no_such_field") == "member.no_such_field"
    assert field_label("member.id_card", default="id_card") == "id_card"


def test_a_legacy_bare_key_reads_like_the_key_it_stands_for():
    for bare, key in LEGACY_KEYS.items():
        assert key in LABELS and field_label(bare) == field_label(key)
    assert by_bare_name("meeting")["agenda"] is LABELS["meeting.agenda"]
    assert by_bare_name("member", "attendance")["reason"] is LABELS["member.reason"]


def test_a_fee_label_needs_no_fee_module_imported_first():
    # The labels used to be added by each area's module when imported; a fresh interpreter proves they are not.
    code = "from app.domain.issues import Issue; print(Issue('fee.amount', 'x'))"
    shown = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "Số tiền: x"


# Calls that name a field first: Issue(field, …) and a ValidationReport's report.error / report.warn(field, …).
def _field_arguments(tree: ast.AST):
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        is_issue = isinstance(func, ast.Name) and func.id == "Issue"
        is_report = (isinstance(func, ast.Attribute) and func.attr in {"error", "warn"}
                     and isinstance(func.value, ast.Name) and func.value.id == "report")
        if is_issue or is_report:
            yield node.lineno, node.args[0]


def _issue_fields() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The literal keys and the leading text of f-string keys named where issues are made in app/."""
    literal, prefixes = [], []
    for path in sorted((ROOT / "app").rglob("*.py")):
        where = str(path.relative_to(ROOT))
        for line, arg in _field_arguments(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                literal.append((f"{where}:{line}", arg.value))
            elif isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
                prefixes.append((f"{where}:{line}", arg.values[0].value))
    return literal, prefixes


def test_every_field_an_issue_names_in_app_is_a_declared_key():
    literal, prefixes = _issue_fields()
    assert len(literal) > 40  # the walk finds the checks (members, cells, meetings, fees)
    assert [(where, key) for where, key in literal if key not in LABELS and key not in LEGACY_KEYS] == []
    assert prefixes and [(where, p) for where, p in prefixes if p.rstrip(".") not in AREAS or not p.endswith(".")] == []


def test_a_check_of_each_area_names_its_field_with_the_area():
    today = dt.date(2026, 1, 1)
    assert {i.field for i in validate_member(Member(), today).issues} == {"member.full_name"}
    assert {i.field for i in validate_cell(CellInfo(), today).issues} == {"cell.name", "cell.superior_name"}
    late = Meeting(date=dt.date(1900, 1, 1), votes_for=-1)
    assert {i.field for i in validate_meeting(late).issues} == {"meeting.date", "meeting.votes_for"}
