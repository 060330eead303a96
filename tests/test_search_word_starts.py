"""Roster search through the service and the command line: each typed word begins a word of the name or number."""
from __future__ import annotations

import json

from app.cli import main
from app.domain.members import Member
from app.services import members
from app.storage import db as storage
from conftest import TODAY


def _add(name: str, card: str, phone: str = "") -> None:
    members.add_member(Member(full_name=name, card_number=card, phone=phone), today=TODAY)


def _found(query: str) -> list[str]:
    return sorted(e.member.full_name for e in members.list_members(query))


def test_a_short_syllable_finds_names_that_begin_with_it_not_names_that_contain_it(cell_db):
    _add("Trần Thị Lan", "01234567")
    _add("Nguyễn Văn An", "22222222")
    _add("Lê Thị Lành", "33333333")
    _add("Đỗ Quốc Anh", "44444444", phone="0912345678")
    assert _found("an") == ["Nguyễn Văn An", "Đỗ Quốc Anh"]
    assert _found("lan") == ["Lê Thị Lành", "Trần Thị Lan"]
    assert _found("th") == ["Lê Thị Lành", "Trần Thị Lan"]
    assert _found("thi lan tran") == ["Trần Thị Lan"]  # order free
    assert _found("uoc") == []  # inside Quốc only
    assert _found("0123") == ["Trần Thị Lan"] and _found("234") == []
    assert _found("0912") == ["Đỗ Quốc Anh"] and _found("345678") == []
    assert _found("QUOC a") == ["Đỗ Quốc Anh"]


def test_members_list_search_on_the_command_line_uses_the_same_rule(tmp_path, capsys):
    db = str(tmp_path / "cli.sqlite")
    try:
        assert main(["--db", db, "init", "--cell", "Chi bộ A", "--superior", "Đảng bộ xã B"]) == 0
        for name, card in (("Trần Thị Lan", "01234567"), ("Nguyễn Văn An", "22222222")):
            assert main(["--db", db, "members", "add", "--name", name, "--card", card, "--admitted", "01/01/2000"]) == 0
        capsys.readouterr()

        def listed(query: str) -> list[str]:
            assert main(["--db", db, "members", "list", "--search", query, "--json"]) == 0
            return [row["full_name"] for row in json.loads(capsys.readouterr().out)]

        assert listed("an") == ["Nguyễn Văn An"]
        assert listed("lan") == ["Trần Thị Lan"]
        assert listed("0123") == ["Trần Thị Lan"]
        assert listed("1234") == []
    finally:
        storage.close_database()
