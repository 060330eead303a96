"""`chibo superior …`, `chibo import-package` and `chibo print consolidated` through app.cli.main."""
from __future__ import annotations

import datetime as dt
import json

import pytest

import app.cli
from app.cli import main
from app.domain.cell import CellInfo
from app.domain.members import Member, Sex
from app.domain.report_period import Period
from app.services import cell as cell_service
from app.services import members, package_export, review
from app.storage import db as storage
from tests.conftest import TODAY


@pytest.fixture
def files(tmp_path, monkeypatch):
    # `superior init` creates its file (the entry in CREATING_COMMANDS).
    monkeypatch.setattr(app.cli, "CREATING_COMMANDS", (*app.cli.CREATING_COMMANDS, "superior"))
    cell = tmp_path / "cell.sqlite"
    storage.open_database(cell)
    cell_service.save_cell(CellInfo(name="Chi bộ thôn Đông", superior_name="Đảng ủy xã Hòa Bình", code="001"),
                           today=TODAY)
    member = members.add_member(Member(full_name="Trần Thị Lan", sex=Sex.FEMALE, birth_date=dt.date(1968, 10, 2),
                                       admission_date=dt.date(1992, 1, 3), ceremony_date=dt.date(1992, 1, 20),
                                       official_date=dt.date(1993, 1, 20), card_number="65538485"),
                                today=TODAY).member
    review.open_season(2026)
    package = tmp_path / "dong.chibo"
    package_export.export_package(Period.parse("2026"), package, privacy="roster", today=TODAY, with_pdf=False)
    storage.close_database()
    yield {"tmp": tmp_path, "cell": cell, "package": package, "member_id": member.id, "sup": tmp_path / "du.sqlite"}
    storage.close_database()


def _json(capsys) -> object:
    return json.loads(capsys.readouterr().out)


def test_init_import_summary_return_and_print(files, capsys):
    sup, tmp = str(files["sup"]), files["tmp"]
    assert main(["--db", sup, "superior", "init", "--name", "Đảng ủy xã Hòa Bình", "--above", "Huyện ủy"]) == 0
    assert "Đảng ủy xã Hòa Bình" in capsys.readouterr().out
    assert main(["--db", sup, "import-package", str(files["package"]), "--dry-run", "--json"]) == 0
    dry = _json(capsys)
    assert dry["status"] == "new" and not dry["applied"] and dry["dry_run"]
    assert main(["--db", sup, "import-package", str(files["package"])]) == 0
    assert "Chi bộ mới" in capsys.readouterr().out
    assert main(["--db", sup, "import-package", str(files["package"]), "--json"]) == 0
    assert _json(capsys)["status"] == "unchanged"
    assert main(["--db", sup, "superior", "cells", "--json"]) == 0
    assert [c["code"] for c in _json(capsys)] == ["001"]
    assert main(["--db", sup, "superior", "summary", "--period", "2026", "--json"]) == 0
    summary = _json(capsys)
    assert summary["cells_reporting"] == 1 and summary["members_total"]["counted"] == 1
    assert main(["--db", sup, "superior", "summary", "--period", "2026"]) == 0
    assert "đảng số 1" in capsys.readouterr().out
    assert main(["--db", sup, "superior", "conflicts", "--json"]) == 0
    assert _json(capsys) == []
    pdf = tmp / "tong-hop.pdf"
    assert main(["--db", sup, "print", "consolidated", "--period", "2026", "-o", str(pdf)]) == 0
    assert pdf.read_bytes()[:5] == b"%PDF-"
    capsys.readouterr()
    back = tmp / "tra-ve.chibo"
    assert main(["--db", sup, "superior", "return", "--cell", "001", "--year", "2026", "-o", str(back),
                 "--grade", f"{files['member_id']}=tot", "--json"]) == 0
    assert _json(capsys)["final_grades"] == 1
    assert main(["--db", str(files["cell"]), "import-package", str(back)]) == 0
    out = capsys.readouterr().out
    assert "Trần Thị Lan" in out and "chỉ đọc" in out


def test_bad_input_is_a_message_not_a_traceback(files, capsys):
    sup = str(files["sup"])
    assert main(["--db", sup, "superior", "init", "--name", "Đảng ủy xã Hòa Bình"]) == 0
    junk = files["tmp"] / "junk.chibo"
    junk.write_bytes(b"not a package")
    assert main(["--db", sup, "import-package", str(junk)]) == 1
    err = capsys.readouterr().err
    assert "Lỗi:" in err and "Traceback" not in err
    assert main(["--db", sup, "superior", "resolve", "7", "--reject"]) == 1
    assert "xung đột số 7" in capsys.readouterr().err
    assert main(["--db", str(files["cell"]), "superior", "cells"]) == 1
    assert "không phải của Đảng ủy" in capsys.readouterr().err
    assert main(["--db", str(files["cell"]), "superior", "init", "--name", "Đảng ủy X"]) == 1
    assert "đã là của chi bộ" in capsys.readouterr().err


def test_conflict_listed_and_resolved_from_the_command_line(files, capsys, tmp_path):
    sup = str(files["sup"])
    main(["--db", sup, "superior", "init", "--name", "Đảng ủy xã Hòa Bình"])
    main(["--db", sup, "import-package", str(files["package"])])
    other = tmp_path / "other.sqlite"
    storage.open_database(other)
    cell_service.save_cell(CellInfo(name="Chi bộ thôn Đông", superior_name="Đảng ủy xã Hòa Bình", code="001"),
                           today=TODAY)
    claim = tmp_path / "claim.chibo"
    package_export.export_package(Period.parse("2026"), claim, today=TODAY, with_pdf=False)
    storage.close_database()
    capsys.readouterr()
    assert main(["--db", sup, "import-package", str(claim), "--json"]) == 0
    conflict = _json(capsys)
    assert conflict["status"] == "conflict" and conflict["conflict_id"]
    assert main(["--db", sup, "superior", "conflicts", "--json"]) == 0
    assert [c["id"] for c in _json(capsys)] == [conflict["conflict_id"]]
    assert main(["--db", sup, "superior", "resolve", str(conflict["conflict_id"]), "--accept"]) == 0
    assert "khóa mới" in capsys.readouterr().out
    main(["--db", sup, "superior", "summary", "--period", "2026", "--json"])
    assert _json(capsys)["members_total"]["counted"] == 0
