"""`chibo review …` end to end (issue 11, point 9): the season, each member's review, the checks, the criteria
sheet, the cell's rating, the tasks, the dated thresholds and the printed forms; bad input refused by name."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import needs_poppler

# The fees commands' fixture (a cell made by «chibo init») and runner serve here as they are.
from tests.test_fees_cli import db, run  # noqa: F401

REVIEW_DATE = "2026-12-10"


def ok(capsys, db, *args) -> str:
    code, out, err = run(capsys, db, *args)
    assert code == 0, err
    return out


def as_json(capsys, db, *args):
    return json.loads(ok(capsys, db, *args, "--json"))


def add_member(capsys, db, name: str, admitted: str = "03/01/1992", official: str | None = "03/01/1993") -> int:
    args = ["members", "add", "--name", name, "--admitted", admitted, "--json"]
    return as_json(capsys, db, *args[:-1], *(["--official", official] if official else []))["id"]


@pytest.fixture
def season(db, capsys):
    """Three official members and the 2026 season opened on 10/12/2026: (db, [member ids])."""
    ids = [add_member(capsys, db, name) for name in ("Trần Thị Lan", "Nguyễn Văn Bình", "Lê Văn Sơn")]
    opened = as_json(capsys, db, "review", "open", "--year", 2026, "--date", REVIEW_DATE)
    assert opened["review_date"] == REVIEW_DATE and opened["quota_percent"] == 20
    return db, ids


def names_field(err: str, words: str | tuple[str, ...]) -> bool:
    """The message holds the word, or one of them: «@name» is the label of review.name (whatever its wording), an
    option is named when the field has no label."""
    from app.domain.labels import field_label

    words = (words,) if isinstance(words, str) else words
    return any((field_label(f"review.{w[1:]}") + ":" if w.startswith("@") else w) in err for w in words)


def listed(capsys, db) -> dict[int, dict]:
    return {r["member_id"]: r for r in as_json(capsys, db, "review", "list", "--year", 2026)}


def review_set(capsys, db, member_id: int, *args) -> tuple[int, str, str]:
    return run(capsys, db, "review", "set", member_id, "--year", 2026, *args)


# --- the season and a member's review -------------------------------------------------------------

def test_open_stores_the_review_date_and_refuses_a_second_opening(season, capsys):
    from app.services import review

    db, _ids = season
    assert review.get_season(2026).review_date.isoformat() == REVIEW_DATE
    code, _out, err = run(capsys, db, "review", "open", "--year", 2026)
    assert code == 1 and "Lỗi:" in err and "2026 đã mở" in err


def test_season_present_bounds_the_votes_and_the_meeting_must_exist(season, capsys):
    db, (lan, *_rest) = season
    assert as_json(capsys, db, "review", "season", "--year", 2026, "--present", 2)["present"] == 2
    code, _out, err = review_set(capsys, db, lan, "--general", 25, "--tasks", 60, "--votes", "tot=3")
    assert code == 1 and "Lỗi: Số đảng viên biểu quyết: 3, nhiều hơn 2 đảng viên có mặt" in err
    assert as_json(capsys, db, "review", "season", "--year", 2026, "--present", "none")["present"] is None
    code, _out, err = run(capsys, db, "review", "season", "--year", 2026, "--meeting", 77)
    assert code == 1 and "mã số 77" in err
    code, _out, err = run(capsys, db, "review", "open", "--year", 2027, "--meeting", 77)
    assert code == 1 and "mã số 77" in err


def test_set_computes_the_grade_from_the_scores_and_conditions(season, capsys):
    db, (lan, *_rest) = season
    row = as_json(capsys, db, "review", "set", lan, "--year", 2026, "--general", "27,5", "--tasks", 65)
    assert (row["total"], row["computed_grade"], row["state"]) == ("92,5", "tot", "Đã tự đánh giá")
    assert any("vượt yêu cầu dưới 30 %" in why for why in row["why_not_higher"])
    row = as_json(capsys, db, "review", "set", lan, "--year", 2026, "--exceeded")
    assert row["computed_grade"] == "xuat-sac" and row["why_not_higher"] == []
    row = as_json(capsys, db, "review", "set", lan, "--year", 2026, "--not-exceeded", "--shortcomings-left")
    assert row["computed_grade"] == "tot"
    text = ok(capsys, db, "review", "set", lan, "--year", 2026, "--self-grade", "tot")
    assert "Trần Thị Lan" in text and "27,5 + 65 = 92,5" in text and "Cá nhân tự xếp loại: Hoàn thành tốt" in text


def test_a_grade_against_the_score_needs_its_reason(season, capsys):
    from app.services import review

    db, (lan, *_rest) = season
    assert review_set(capsys, db, lan, "--general", 20, "--tasks", 40)[0] == 0  # 60 points: Hoàn thành
    code, _out, err = review_set(capsys, db, lan, "--proposed", "tot", "--votes", "tot=3", "--voters", 3)
    assert code == 1 and "Lỗi: Chi bộ đề xuất xếp loại" in err and "ghi lý do" in err
    stored = review.review_row(2026, lan).data
    assert stored.proposed_grade is None and stored.votes == {}
    code, out, err = review_set(capsys, db, lan, "--proposed", "tot", "--votes", "tot=3", "--voters", 3,
                                "--reason", "Tích cực vận động nhân dân", "--json")
    assert code == 0, err
    assert json.loads(out)["proposed_grade"] == "tot" and json.loads(out)["votes"] == {"tot": 3}
    stored = review.review_row(2026, lan).data
    assert stored.proposed_reason == "Tích cực vận động nhân dân" and stored.final_reason == ""
    # The member's own grade against the score is a warning: stored, and said.
    code, _out, err = review_set(capsys, db, lan, "--self-grade", "xuat-sac")
    assert code == 0 and "Lưu ý: Cá nhân tự xếp loại" in err
    assert review.review_row(2026, lan).data.self_grade.value == "xuat-sac"
    # The chi ủy's grade against the score: --reason is its written view, unless the view is typed too.
    code, _out, err = review_set(capsys, db, lan, "--committee-grade", "tot")
    assert code == 1 and "ghi lý do" in err
    assert review_set(capsys, db, lan, "--committee-grade", "tot", "--reason", "Nhiệt tình với công việc")[0] == 0
    assert review.review_row(2026, lan).data.committee_view == "Nhiệt tình với công việc"


def test_a_member_not_reviewed_gets_no_final_grade(season, capsys):
    db, _ids = season
    new = add_member(capsys, db, "Phạm Thị Hoa", admitted="01/09/2026", official=None)
    code, _out, err = review_set(capsys, db, new, "--final", "tot")
    assert code == 1 and "không thuộc diện kiểm điểm" in err and "Phạm Thị Hoa" in err
    row = listed(capsys, db)[new]
    assert row["reviewed"] is False and row["not_reviewed_reason"] == "moi-ket-nap" and row["final_grade"] is None


def test_list_json_gives_each_member_each_stage_and_text_is_a_table(season, capsys):
    db, (lan, binh, son) = season
    assert review_set(capsys, db, lan, "--general", 28, "--tasks", 65, "--exceeded", "--committee-grade",
                      "xuat-sac", "--proposed", "xuat-sac", "--final", "xuat-sac")[0] == 0
    rows = listed(capsys, db)
    assert set(rows) == {lan, binh, son}
    row = rows[lan]
    assert {"reviewed", "not_reviewed_reason", "total", "computed_grade", "self_grade", "committee_grade",
            "proposed_grade", "final_grade", "state"} <= set(row)
    assert (row["committee_grade"], row["proposed_grade"], row["final_grade"]) == ("xuat-sac",) * 3
    assert row["state"] == "Đảng ủy đã xếp loại" and rows[binh]["state"] == "Chưa tự đánh giá"
    table = ok(capsys, db, "review", "list", "--year", 2026).splitlines()
    assert "Họ và tên" in table[0] and "Đảng ủy" in table[0]
    lan_line = next(line for line in table if "Trần Thị Lan" in line)
    assert "93" in lan_line and lan_line.count("HTXSNV") == 4 and "Đảng ủy đã xếp loại" in lan_line
    assert table[-1].startswith("Cộng: 3 dòng; 3 đảng viên của chi bộ (tổng số của Biểu 6F), 3 thuộc diện kiểm điểm")


@pytest.mark.parametrize("args, words", [
    (("--general", 31), ["Điểm nhóm tiêu chí chung", "từ 0 đến 30"]),
    (("--tasks", "-1"), ["Điểm nhóm tiêu chí về kết quả thực hiện nhiệm vụ", "từ 0 đến 70"]),
    (("--general", "hai mươi"), ["Điểm nhóm tiêu chí chung", "phải là một số"]),
    (("--proposed", "gioi"), ["--proposed", "«gioi»", "xuat-sac"]),
    (("--committee-grade", "tot-lam"), ["--committee-grade", "«tot-lam»"]),
    (("--votes", "tot:3"), ["--votes", "«tot:3»"]),
    (("--votes", "tot=ba"), ["--votes tot", "«ba»"]),
    (("--votes", "gioi=3"), ["--votes", "«gioi=3»"]),
    (("--votes", "tot=2,tot=3"), ["--votes", "mỗi mức một lần"]),
    (("--form", "3A"), [("--form", "@form"), "2C, 2B hoặc 2A"]),
    (("--sick-months", 13), [("--sick-months", "@sick_months"), "từ 0 đến 12"]),
    (("--voters", "nhiều"), [("--voters", "@voters"), "số nguyên"]),
    (("--on-time", 80), ["Lý do sửa tỷ lệ nhiệm vụ"]),
])
def test_bad_values_are_refused_naming_the_field_and_nothing_is_stored(season, capsys, args, words):
    from app.services import review

    db, (lan, *_rest) = season
    assert review_set(capsys, db, lan, "--general", 25, "--tasks", 60)[0] == 0
    before = review.review_row(2026, lan).data
    code, out, err = review_set(capsys, db, lan, "--self-grade", "tot", *args)
    assert code == 1 and out == "" and err.startswith("Lỗi: ")
    assert all(names_field(err, word) for word in words), err
    assert "Traceback" not in err and review.review_row(2026, lan).data == before


def test_unknown_member_year_not_opened_and_impossible_date_are_refused(season, capsys):
    from app.services import review

    db, (lan, *_rest) = season
    code, _out, err = review_set(capsys, db, 999, "--general", 20)
    assert code == 1 and "999" in err
    code, _out, err = run(capsys, db, "review", "set", lan, "--year", 2025, "--general", 20)
    assert code == 1 and "Chưa mở đợt kiểm điểm năm 2025" in err
    code, _out, err = run(capsys, db, "review", "open", "--year", 2027, "--date", "2027-02-30")
    assert code == 1 and "--date" in err and "2027-02-30" in err
    code, _out, err = run(capsys, db, "review", "open", "--year", 2027, "--date", "2026-05-01")
    assert code == 1 and names_field(err, ("--date", "@review_date")) and "01/05/2026" in err
    assert review.years() == [2026]
    assert run(capsys, db, "review", "set", lan, "--year", 2026)[0] == 1  # nothing to write is said, not ignored


# --- checks and summary ----------------------------------------------------------------------------

def test_check_json_finds_the_quota_and_exits_zero(season, capsys):
    db, (lan, binh, son) = season
    assert ok(capsys, db, "review", "check", "--year", 2026).strip() == "Không có cảnh báo."
    assert as_json(capsys, db, "review", "check", "--year", 2026) == []
    for member in (lan, binh):
        assert review_set(capsys, db, member, "--general", 28, "--tasks", 65, "--exceeded",
                          "--proposed", "xuat-sac")[0] == 0
    assert review_set(capsys, db, son, "--general", 25, "--tasks", 60, "--proposed", "tot")[0] == 0
    found = as_json(capsys, db, "review", "check", "--year", 2026)
    quota = [f for f in found if f["field"] == "review.quota"]
    assert len(quota) == 1 and quota[0]["member_id"] is None and quota[0]["severity"] == "warning"
    assert "2 đảng viên Hoàn thành xuất sắc" in quota[0]["message"] and "tối đa 0" in quota[0]["message"]
    code, out, _err = run(capsys, db, "review", "check", "--year", 2026)
    assert code == 0 and "vượt tỷ lệ" in out


def test_summary_counts_each_grade_and_who_is_not_reviewed(season, capsys):
    db, (lan, binh, _son) = season
    add_member(capsys, db, "Phạm Thị Hoa", admitted="01/09/2026", official=None)
    assert review_set(capsys, db, lan, "--general", 25, "--tasks", 60, "--proposed", "tot", "--final", "tot")[0] == 0
    assert review_set(capsys, db, binh, "--general", 20, "--tasks", 40, "--proposed", "hoan-thanh")[0] == 0
    data = as_json(capsys, db, "review", "summary", "--year", 2026)
    assert (data["on_roll"], data["reviewed"], data["not_graded"]) == (4, 3, 1)
    grades = {g["grade"]: (g["proposed"], g["final"]) for g in data["grades"]}
    assert grades == {"xuat-sac": (0, 0), "tot": (1, 1), "hoan-thanh": (1, 0), "khong-hoan-thanh": (0, 0)}
    assert data["not_reviewed"]["moi-ket-nap"] == 1
    text = ok(capsys, db, "review", "summary", "--year", 2026)
    assert "Hoàn thành tốt nhiệm vụ" in text and "1 (33,33 %)" in text


# --- the criteria sheet -----------------------------------------------------------------------------

def _sheet(path: Path, general: tuple[int, int], tasks: tuple[int, int]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(["Tên khung", "Khung tiêu chí năm 2026 của Đảng ủy xã Hòa Bình"])
    ws.append(["Nhóm", "Tiêu chí", "Điểm"])
    ws.append(["chung", "Phẩm chất chính trị, đạo đức, lối sống", general[0]])
    ws.append(["chung", "Tự phê bình và phê bình", general[1]])
    ws.append(["nhiệm vụ", "Thực hiện nhiệm vụ được giao", tasks[0]])
    ws.append(["nhiệm vụ", "Tham gia sinh hoạt chi bộ, học tập nghị quyết", tasks[1]])
    book.save(path)
    return path


def test_criteria_import_stores_the_sheet_and_a_wrong_total_is_refused_naming_the_group(season, capsys, tmp_path):
    db, _ids = season
    good = _sheet(tmp_path / "khung.xlsx", (20, 10), (50, 20))
    out = ok(capsys, db, "review", "criteria", "import", good, "--year", 2026)
    assert "Khung tiêu chí năm 2026 của Đảng ủy xã Hòa Bình" in out
    shown = as_json(capsys, db, "review", "criteria", "show", "--year", 2026)
    assert shown["name"] == "Khung tiêu chí năm 2026 của Đảng ủy xã Hòa Bình" and shown["is_default"] is False
    assert [(g["kind"], g["total"], len(g["items"])) for g in shown["groups"]] == [("chung", "30", 2),
                                                                                   ("nhiem-vu", "70", 2)]
    bad = _sheet(tmp_path / "sai.xlsx", (20, 5), (50, 25))
    code, _out, err = run(capsys, db, "review", "criteria", "import", bad, "--year", 2026)
    assert code == 1 and "Nhóm tiêu chí chung" in err and "25" in err and "30" in err
    assert as_json(capsys, db, "review", "criteria", "show", "--year", 2026) == shown
    code, _out, err = run(capsys, db, "review", "criteria", "import", tmp_path / "khong-co.xlsx", "--year", 2026)
    assert code == 1 and "khong-co.xlsx" in err


# --- the cell's own rating ---------------------------------------------------------------------------

def test_cell_rating_is_stored_and_shown(season, capsys):
    db, _ids = season
    shown = as_json(capsys, db, "review", "cell", "--year", 2026)
    assert shown["total"] is None and shown["members_reviewed"] == 3
    data = as_json(capsys, db, "review", "cell", "--year", 2026, "--general", 28, "--tasks", 65, "--exceeded",
                   "--self-grade", "xuat-sac", "--votes", "xuat-sac=3")
    assert (data["total"], data["computed_grade"], data["self_grade"], data["votes"]) == (
        "93", "xuat-sac", "xuat-sac", {"xuat-sac": 3})
    code, _out, err = run(capsys, db, "review", "cell", "--year", 2026, "--final", "tot")
    assert code == 1 and "Đảng ủy xếp loại" in err
    data = as_json(capsys, db, "review", "cell", "--year", 2026, "--final", "tot", "--reason", "Còn hạn chế")
    assert data["final_grade"] == "tot" and data["final_reason"] == "Còn hạn chế"
    assert "28 + 65 = 93" in ok(capsys, db, "review", "cell", "--year", 2026)


# --- tasks ---------------------------------------------------------------------------------------------

def test_tasks_add_status_cancel_and_the_shares_they_give(season, capsys):
    db, (lan, binh, _son) = season
    task = as_json(capsys, db, "review", "task", "add", lan, "--title", "Vận động 5 hộ nộp quỹ", "--due", "2026-10")
    assert task["member_id"] == lan and task["due_month"] == "2026-10" and task["status"] is None
    other = as_json(capsys, db, "review", "task", "add", binh, "--title", "Dọn vệ sinh", "--due", "2026-11")
    assert [t["id"] for t in as_json(capsys, db, "review", "task", "list", "--member", lan)] == [task["id"]]
    assert len(as_json(capsys, db, "review", "task", "list", "--year", 2026)) == 2
    assert as_json(capsys, db, "review", "task", "status", task["id"], "vuot")["status"] == "vuot"
    row = listed(capsys, db)[lan]
    assert (row["tasks"], row["tasks_exceeded_percent"]) == (1, "100")
    code, _out, err = run(capsys, db, "review", "task", "status", task["id"], "gioi")
    assert code == 1 and "«gioi»" in err and "dung-han" in err
    assert as_json(capsys, db, "review", "task", "status", task["id"], "chua-xac-nhan")["status"] is None
    with pytest.raises(SystemExit):  # --reason is required
        run(capsys, db, "review", "task", "cancel", other["id"])
    ok(capsys, db, "review", "task", "cancel", other["id"], "--reason", "Ghi nhầm người")
    assert [t["id"] for t in as_json(capsys, db, "review", "task", "list")] == [task["id"]]
    code, _out, err = run(capsys, db, "review", "task", "add", lan, "--title", "Việc", "--due", "2026-13")
    assert code == 1 and names_field(err, ("--due", "@due_month")) and "2026-13" in err
    code, _out, err = run(capsys, db, "review", "task", "add", 999, "--title", "Việc", "--due", "2026-12")
    assert code == 1 and "999" in err


def _meeting(capsys, db, date: str, assignments: str = "") -> int:
    args = ["meetings", "add", "--date", date, "--kind", "regular"] + (["--assignments", assignments]
                                                                        if assignments else [])
    return int(ok(capsys, db, *args).strip())


def test_tasks_from_a_meetings_assignments_then_confirmed_at_the_next(season, capsys):
    from app.services import review_tasks

    db, (lan, binh, _son) = season
    assignments = ("Đ/c Trần Thị Lan: vận động 5 hộ nộp quỹ (tháng 10/2026)\n"
                   "- Nguyễn Văn Bình - dọn vệ sinh đường làng\nCả chi bộ: học nghị quyết")
    october = _meeting(capsys, db, "2026-10-05", assignments)
    task_month = as_json(capsys, db, "meetings", "show", october)["task_month"]
    created = as_json(capsys, db, "review", "task", "from-meeting", october)
    assert sorted((t["member_id"], t["title"], t["due_month"]) for t in created) == sorted(
        [(lan, "vận động 5 hộ nộp quỹ", "2026-10"), (binh, "dọn vệ sinh đường làng", task_month)])
    assert all(t["meeting_id"] == october for t in created)
    assert as_json(capsys, db, "review", "task", "from-meeting", october) == []  # not recorded twice
    november = _meeting(capsys, db, "2026-11-05")
    pending = as_json(capsys, db, "review", "task", "confirm", november)
    assert {p["member_id"]: (p["proposed_status"], p["confirmed"]) for p in pending} == {
        lan: ("dung-han", False), binh: ("dung-han", False)}
    ids = {t["member_id"]: t["id"] for t in created}
    out = ok(capsys, db, "review", "task", "confirm", november, "--set", f"{ids[lan]}=vuot", f"{ids[binh]}=cham")
    assert "2" in out
    stored = {t.member_id: (t.status.value, t.checked_meeting_id) for t in review_tasks.tasks(year=2026)}
    assert stored == {lan: ("vuot", november), binh: ("cham", november)}
    code, _out, err = run(capsys, db, "review", "task", "confirm", november, "--set", "abc")
    assert code == 1 and "--set" in err and "«abc»" in err


# --- the dated thresholds --------------------------------------------------------------------------

def test_rule_set_changes_who_is_reviewed_and_remove_restores_it(season, capsys):
    db, _ids = season
    hoa = add_member(capsys, db, "Phạm Thị Hoa", admitted="01/04/2026", official=None)  # 8 months on 10/12
    assert listed(capsys, db)[hoa]["reviewed"] is True
    ok(capsys, db, "review", "rule", "set", "min_months_since_admission", 12, "--from", "2026-01-01",
       "--note", "Công văn của Đảng ủy xã")
    assert listed(capsys, db)[hoa]["not_reviewed_reason"] == "moi-ket-nap"
    rules = as_json(capsys, db, "review", "rule", "list")
    values = rules["min_months_since_admission"]["values"]
    assert [(v["from"], v["value"], v["note"]) for v in values] == [("2026-01-01", 12, "Công văn của Đảng ủy xã")]
    assert rules["quota_percent"] == {**rules["quota_percent"], "default": 20, "values": []}
    ok(capsys, db, "review", "rule", "remove", values[0]["id"])
    assert listed(capsys, db)[hoa]["reviewed"] is True
    ok(capsys, db, "review", "rule", "set", "quota_percent", 25, "--from", "2026-12-01")
    assert as_json(capsys, db, "review", "season", "--year", 2026)["quota_percent"] == 25


@pytest.mark.parametrize("args, words", [
    (("quota_percent", 30, "--from", "2026-01-01"), ["Ngưỡng", "20 hoặc 25"]),
    (("khong-co", 3, "--from", "2026-01-01"), ["«khong-co»", "quota_percent"]),
    (("quota_percent", "hai", "--from", "2026-01-01"), ["VALUE", "«hai»"]),
    (("quota_percent", 25, "--from", "2026-02-31"), ["--from", "2026-02-31"]),
])
def test_bad_rules_are_refused(season, capsys, args, words):
    from app.services import review

    db, _ids = season
    code, _out, err = run(capsys, db, "review", "rule", "set", *args)
    assert code == 1 and all(word in err for word in words), err
    assert review.rules() == []


# --- the printed forms -------------------------------------------------------------------------------

@pytest.fixture
def graded(season, capsys):
    """The season with Lan and Bình graded at every stage and one newly admitted member not reviewed."""
    db, (lan, binh, son) = season
    for member in (lan, binh):
        assert review_set(capsys, db, member, "--general", 25, "--tasks", 60, "--self-grade", "tot",
                          "--committee-grade", "tot", "--proposed", "tot", "--final", "tot",
                          "--votes", "tot=3", "--voters", 3, "--strengths", "Gương mẫu ở khu dân cư")[0] == 0
    new = add_member(capsys, db, "Phạm Thị Hoa", admitted="01/09/2026", official=None)
    return db, (lan, binh, son, new)


@pytest.mark.parametrize("form, extra", [
    ("review-form", ("MEMBER",)), ("review-form", ("MEMBER", "--form", "2A")), ("review-forms", ()),
    ("review-summary", ()), ("review-cell", ()), ("review-minutes", ()), ("review-ballots", ()),
    ("review-ballots", ("--member", "MEMBER")),
])
def test_print_commands_write_pdfs(graded, capsys, tmp_path, form, extra):
    db, (lan, *_rest) = graded
    target = tmp_path / f"{form}.pdf"
    args = [lan if a == "MEMBER" else a for a in extra]
    out = ok(capsys, db, "print", form, *args, "--year", 2026, "-o", target)
    assert str(target) in out and target.read_bytes()[:4] == b"%PDF"
    assert [p.name for p in tmp_path.glob("*.pdf")] == [target.name]  # no temporary file left beside it


@needs_poppler
def test_printed_review_form_holds_the_member_and_the_chosen_form(graded, capsys, tmp_path):
    from tests.test_reports import flat, text_of

    db, (lan, *_rest) = graded
    target = tmp_path / "ban-kiem-diem.pdf"
    ok(capsys, db, "print", "review-form", lan, "--year", 2026, "--form", "2A", "-o", target)
    text = flat(text_of(target))
    assert "Mẫu 2A" in text and "Trần Thị Lan" in text and "Gương mẫu ở khu dân cư" in text
    ballots = tmp_path / "phieu.pdf"
    ok(capsys, db, "print", "review-ballots", "--year", 2026, "-o", ballots)
    text = flat(text_of(ballots))
    assert "Trần Thị Lan" in text and "Nguyễn Văn Bình" in text and "Phạm Thị Hoa" not in text


def test_print_refuses_a_member_not_reviewed_an_unknown_form_and_a_year_not_opened(graded, capsys, tmp_path):
    db, (lan, _binh, _son, new) = graded
    target = tmp_path / "x.pdf"
    for args, words in (((("review-form", new, "--year", 2026)), ["Phạm Thị Hoa", "không thuộc diện"]),
                        (("review-form", lan, "--year", 2026, "--form", "9Z"), ["«9Z»", "2C, 2B hoặc 2A"]),
                        (("review-summary", "--year", 2025), ["Chưa mở đợt kiểm điểm năm 2025"])):
        code, _out, err = run(capsys, db, "print", *args, "-o", target)
        assert code == 1 and all(word in err for word in words), err
    assert list(tmp_path.glob("*.pdf")) == []


@pytest.mark.parametrize("command", [("review", "set"), ("review", "cell"), ("review", "task", "add")])
def test_every_review_help_prints(command, capsys):
    """A «%» in a help text once made `review set --help` a traceback (argparse formats help texts)."""
    from app.cli import main

    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0 and "Cách dùng: chibo " + " ".join(command) in capsys.readouterr().out


def test_ctrl_c_is_one_line_and_nothing_is_written(season, capsys, monkeypatch, tmp_path):
    from app.services import review_printing

    db, _ids = season

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(review_printing, "print_review_forms", interrupted)
    code, _out, err = run(capsys, db, "print", "review-forms", "--year", 2026, "-o", tmp_path / "f.pdf")
    assert code == 130 and err.strip() == "Đã dừng theo yêu cầu (Ctrl+C); việc đang làm dở không được ghi."
    assert not (tmp_path / "f.pdf").exists()


def test_a_proposal_the_vote_did_not_carry_and_a_final_grade_without_a_proposal_are_warned(season, capsys):
    db, (lan, binh, _son) = season
    assert review_set(capsys, db, lan, "--general", 25, "--tasks", 55)[0] == 0
    code, _out, err = review_set(capsys, db, lan, "--proposed", "tot", "--votes", "tot=1,hoan-thanh=2",
                                 "--voters", 3)
    assert code == 0 and "Lưu ý: Chi bộ đề xuất xếp loại: Hoàn thành tốt nhiệm vụ được 1/3 phiếu" in err
    assert review_set(capsys, db, binh, "--final", "tot")[0] == 0
    found = {(f["member_id"], f["field"]) for f in as_json(capsys, db, "review", "check", "--year", 2026)}
    assert (lan, "review.proposed_grade") in found and (binh, "review.final_grade") in found


def test_a_text_file_too_long_to_be_a_paragraph_is_refused_before_it_is_read_whole(season, capsys, tmp_path):
    db, (lan, *_rest) = season
    big = tmp_path / "dai.txt"
    big.write_text("Gương mẫu. " * 30_000, encoding="utf-8")
    code, _out, err = review_set(capsys, db, lan, "--strengths", f"@{big}")
    assert code == 1 and "--strengths: tệp" in err and "dài hơn 200.000 ký tự" in err
    from app.services import review

    assert review.review_row(2026, lan).data.strengths == ""
