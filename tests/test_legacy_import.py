"""Old lists typed with TCVN3 (.Vn fonts) or VNI fonts import as Unicode, and the preview says which columns."""
from __future__ import annotations

import datetime as dt
import os
import unicodedata

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import openpyxl  # noqa: E402
import pytest  # noqa: E402

from app.domain.legacy_text import Encoding  # noqa: E402
from app.domain.members import Member, Sex  # noqa: E402
from app.services import members, roster_io  # noqa: E402
from conftest_ui import qapp, ui_db  # noqa: E402,F401
from tests.conftest import TODAY  # noqa: E402

# TCVN3 as Excel keeps it: the Windows-1252 characters the .Vn fonts draw as Vietnamese letters.
TCVN3_HEADER = ["STT", "Hä vµ tªn", "Giíi tÝnh", "Ngµy sinh", "Ngµy vµo §¶ng", "Sè thÎ", "N¬i c\u00ad tró",
                "NghÒ nghiÖp"]
TCVN3_ROWS = [
    [1, "NguyÔn V¨n An", "Nam", dt.datetime(1965, 3, 12), "02/09/1990", "78198702", "Th«n §«ng, x· Hßa B×nh",
     "N«ng d©n"],
    [2, "Lª ThÞ Hoa", "N÷", "05/06/1970", "19/05/1995", "78198703", "Th«n §«ng, x· Hßa B×nh", "Gi¸o viªn"],
    [3, "TrÇn V¨n B×nh", "Nam", "07/08/1968", "03/02/1992", "78198704", "Xãm Tr\u00ad¬ng, x· Hßa B×nh", "H\u00adu trÝ"],
]


def _tcvn3_xlsx(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["§¶ng bé x· Hßa B×nh"])
    sheet.append(["DANH S¸CH §¶NG VI£N"])
    sheet.append([])
    sheet.append(TCVN3_HEADER)
    for row in TCVN3_ROWS:
        sheet.append(row)
    sheet.append([])
    sheet.append([None, "Tæng sè: 3 ®ång chÝ"])
    book.save(path)
    return path


def test_a_tcvn3_workbook_imports_as_unicode_and_the_preview_names_the_columns(cell_db, tmp_path):
    preview = roster_io.preview_import(_tcvn3_xlsx(tmp_path / "ds-cu.xlsx"), today=TODAY)
    assert preview.ok, preview.rejected
    assert [r.member.full_name for r in preview.added] == ["Nguyễn Văn An", "Lê Thị Hoa", "Trần Văn Bình"]
    label = Encoding.TCVN3.label
    assert preview.conversions == [("Họ và tên", label, 3), ("Giới tính", label, 1), ("Nơi cư trú", label, 3),
                                   ("Nghề nghiệp", label, 3)]
    summary = preview.summary()
    assert f"Cột «Họ và tên» được chuyển từ mã {label} sang Unicode (3 ô)." in summary
    assert {"column": "Họ và tên", "encoding": label, "cells": 3} in preview.as_dict()["conversions"]
    roster_io.apply_import(preview, today=TODAY)
    stored = {e.member.full_name: e.member for e in members.list_members(statuses=None)}
    assert set(stored) == {"Nguyễn Văn An", "Lê Thị Hoa", "Trần Văn Bình"}
    for member in stored.values():
        assert member.full_name == unicodedata.normalize("NFC", member.full_name)
    assert stored["Nguyễn Văn An"].residence == "Thôn Đông, xã Hòa Bình"
    assert stored["Trần Văn Bình"].residence == "Xóm Trương, xã Hòa Bình"
    assert stored["Lê Thị Hoa"].sex is Sex.FEMALE and stored["Lê Thị Hoa"].occupation == "Giáo viên"
    assert stored["Trần Văn Bình"].occupation == "Hưu trí"
    assert stored["Nguyễn Văn An"].birth_date == dt.date(1965, 3, 12)


VNI_CSV = (
    "Hoï vaø teân;Giôùi tính;Ngaøy sinh;Soá theû;Nôi cö truù\r\n"
    "Nguyeãn Vaên An;Nam;12/03/1965;11112222;Thoân Ñoâng\r\n"
    "Ñaëng Thò AÙnh;Nöõ;01/01/1975;11113333;Thoân Ñoâng\r\n"
    "Tröông Vaên Höng;Nam;02/02/1972;11114444;Xoùm Ñoài\r\n"
)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8"])
def test_a_vni_csv_imports_as_unicode(cell_db, tmp_path, encoding):
    path = tmp_path / "ds-vni.csv"
    path.write_bytes(VNI_CSV.encode(encoding))
    preview = roster_io.preview_import(path, today=TODAY)
    assert preview.ok, preview.rejected
    label = Encoding.VNI.label
    assert ("Họ và tên", label, 3) in preview.conversions and ("Nơi cư trú", label, 3) in preview.conversions
    roster_io.apply_import(preview, today=TODAY)
    stored = {e.member.full_name: e.member for e in members.list_members(statuses=None)}
    assert set(stored) == {"Nguyễn Văn An", "Đặng Thị Ánh", "Trương Văn Hưng"}
    assert stored["Đặng Thị Ánh"].sex is Sex.FEMALE
    assert stored["Trương Văn Hưng"].residence == "Xóm Đồi"


def test_a_unicode_list_is_not_converted(cell_db, tmp_path):
    path = tmp_path / "ds.csv"
    path.write_text("Họ và tên,Ngày sinh,Nơi cư trú,Nghề nghiệp\n"
                    "Nguyễn Văn An,12/03/1965,Thôn Đông,Nông dân\n"
                    "Tô Thị Bé,01/01/1975,Ông Đình,Giáo viên\n"
                    "Lê Văn Tú,02/02/1972,Hà Tĩnh,café\n", encoding="utf-8")
    preview = roster_io.preview_import(path, today=TODAY)
    assert preview.conversions == [] and preview.as_dict()["conversions"] == []
    assert "Unicode" not in preview.summary()
    assert [r.member.full_name for r in preview.added] == ["Nguyễn Văn An", "Tô Thị Bé", "Lê Văn Tú"]
    assert [r.member.residence for r in preview.added] == ["Thôn Đông", "Ông Đình", "Hà Tĩnh"]


def _cp1258(text: str) -> bytes:
    """Vietnamese Windows bytes: letters with their vowel marks, the tone as a combining character after them."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tone = "".join(p for p in parts if p in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tone))
        whole = unicodedata.normalize("NFC", base + tone)
        try:
            out.append(whole.encode("cp1258"))
        except UnicodeEncodeError:
            out.append((base + tone).encode("cp1258"))
    return b"".join(out)


def test_a_vietnamese_windows_csv_is_still_read_as_such(cell_db, tmp_path):
    path = tmp_path / "ds-1258.csv"
    path.write_bytes(_cp1258("Họ và tên,Ngày sinh,Nơi cư trú\nNguyễn Văn An,12/03/1965,Thôn Đông\n"
                             "Trần Lê,01/01/1975,Xóm Trường\n"))
    preview = roster_io.preview_import(path, today=TODAY)
    assert [r.member.full_name for r in preview.added] == ["Nguyễn Văn An", "Trần Lê"] and not preview.conversions


def test_occupation_group_and_youth_union_import_and_export_back(cell_db, tmp_path):
    path = tmp_path / "ds.csv"
    path.write_text("Họ và tên,Ngày sinh,Nhóm nghề,Đoàn viên\n"
                    "Nguyễn Văn An,12/03/1965,Nông dân,\n"
                    "Lê Thị Hoa,01/01/1995,giáo viên,x\n"
                    "Trần Văn Tú,02/02/1990,Viên chức,Không\n"
                    "Phạm Văn Hà,03/03/1980,làm gì đó,có\n", encoding="utf-8")
    preview = roster_io.preview_import(path, today=TODAY)
    assert preview.ok, preview.rejected
    got = {r.member.full_name: r.member for r in preview.added}
    assert got["Nguyễn Văn An"].occupation_group == "nong-lam-ngu" and got["Nguyễn Văn An"].youth_union is None
    assert got["Lê Thị Hoa"].occupation_group == "vien-chuc" and got["Lê Thị Hoa"].youth_union is True
    assert got["Trần Văn Tú"].occupation_group == "vien-chuc" and got["Trần Văn Tú"].youth_union is False
    assert got["Phạm Văn Hà"].occupation_group == "" and got["Phạm Văn Hà"].youth_union is True
    warnings = next(r.warnings for r in preview.added if r.member.full_name == "Phạm Văn Hà")
    assert any("«làm gì đó»" in w and "Nhóm nghề" in w for w in warnings)
    roster_io.apply_import(preview, today=TODAY)
    out = tmp_path / "xuat.xlsx"
    roster_io.export_roster(out, today=TODAY)
    sheet = openpyxl.load_workbook(out).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert {"Nông, lâm, ngư nghiệp", "Viên chức", "Có", "Không"} <= cells
    again = roster_io.preview_import(out, today=TODAY)
    assert again.ok and not again.added and not again.updated and len(again.unchanged) == 4


def test_a_stored_member_with_both_fields_round_trips_into_an_empty_cell(cell_db, tmp_path):
    members.add_member(Member(full_name="Hoàng Thị Mai", birth_date=dt.date(1992, 4, 4),
                              admission_date=dt.date(2015, 5, 5), occupation_group="cbcc-xa", youth_union=False),
                       today=TODAY)
    out = tmp_path / "xuat.xlsx"
    roster_io.export_roster(out, today=TODAY)
    member = members.list_members()[0].member
    assert (member.occupation_group, member.youth_union) == ("cbcc-xa", False)
    again = roster_io.preview_import(out, today=TODAY)
    assert again.ok and len(again.unchanged) == 1 and not again.updated


def test_the_dialog_shows_a_line_per_converted_column(qtbot, ui_db, tmp_path):
    from ui.roster.import_dialog import ImportDialog

    dialog = ImportDialog(_tcvn3_xlsx(tmp_path / "ds-cu.xlsx"))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    assert dialog.conversions.isVisible()
    lines = dialog.conversions.text().splitlines()
    assert len(lines) == 4 and lines[0].startswith("Cột «Họ và tên» được chuyển từ mã TCVN3")
    assert dialog.tabs.widget(0).item(0, 1).text() == "Nguyễn Văn An"
    assert dialog.summary.text() == dialog.preview.counts()


def test_the_dialog_shows_no_conversion_line_for_a_unicode_list(qtbot, ui_db, tmp_path):
    from ui.roster.import_dialog import ImportDialog

    path = tmp_path / "ds.csv"
    path.write_text("Họ và tên,Ngày sinh\nNguyễn Văn An,12/03/1965\n", encoding="utf-8")
    dialog = ImportDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    assert not dialog.conversions.isVisible() and dialog.summary.text() == dialog.preview.summary()
