"""The Báo cáo page, the package dialog, a member's events and the new coded fields, driven as the secretary would;
each test checks what the services hold afterwards."""
from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtGui import QFont  # noqa: E402

from app.domain.member_events import EntryKind, EventKind, Scope  # noqa: E402
from app.domain.members import MemberStatus  # noqa: E402
from app.domain.report_period import Period, PeriodKind  # noqa: E402
from app.services import demo, member_events, package_crypto  # noqa: E402
from app.services import members as member_service  # noqa: E402
from app.services import statistics as statistics_service  # noqa: E402
from app.services.statistics_printing import figure  # noqa: E402
from app.storage.db import close_database, open_database  # noqa: E402
from conftest_ui import add, qapp, ui_db  # noqa: E402,F401
from ui.reports import dialogs  # noqa: E402
from ui.reports.page import COL_CURRENT, COL_LABEL, COL_PREVIOUS, ReportsPage  # noqa: E402

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def demo_db(tmp_path, qapp):  # noqa: F811
    open_database(tmp_path / "demo.sqlite")
    demo.build_demo(TODAY)
    yield
    close_database()


def _page(qtbot) -> ReportsPage:
    page = ReportsPage(today=TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    return page


def _shown(page: ReportsPage) -> list[tuple[str, str, str]]:
    return [(page.table.item(r, COL_LABEL).text().strip("\u2003"), page.table.item(r, COL_CURRENT).text(),
             page.table.item(r, COL_PREVIOUS).text()) for r in range(page.table.rowCount())]


def _expected(period: Period, code: str) -> list[tuple[str, str, str]]:
    form = next(f for f in statistics_service.forms(period) if f.form == code)
    return [(r.label, figure(r.current), figure(r.previous)) for r in form.printed_rows]


def test_the_page_shows_form_1_of_the_demo_year_with_the_counted_figures(qtbot, demo_db):
    page = _page(qtbot)
    assert page.period() == Period(2026)
    assert page.current_form().form == "1"
    shown = _shown(page)
    assert shown == _expected(Period(2026), "1")
    assert any(current not in ("", "0") for _label, current, _previous in shown)
    # Level-0 lines bold, deeper ones indented, a heading line without figures.
    form = page.current_form()
    for r, row in enumerate(form.printed_rows):
        item = page.table.item(r, COL_LABEL)
        assert item.font().bold() == (row.level == 0)
        assert item.text().startswith("\u2003" * 2 * row.level + row.label[:1])
        if row.current is None:
            assert page.table.item(r, COL_CURRENT).text() == ""


def test_choosing_another_form_and_period_shows_their_figures(qtbot, demo_db):
    page = _page(qtbot)
    page.form_list.setCurrentRow(statistics_service.FORM_CODES.index("3"))
    assert page.current_form().form == "3" and _shown(page) == _expected(Period(2026), "3")
    page.kind_box.setCurrentIndex(page.kind_box.findData(PeriodKind.QUARTER.value))
    page.number_spin.setValue(2)
    assert page.period() == Period(2026, PeriodKind.QUARTER, 2)
    assert page.current_form().form == "3"  # the form stays, its figures follow the period
    assert _shown(page) == _expected(Period(2026, PeriodKind.QUARTER, 2), "3")
    page.year_spin.setValue(2025)
    assert _shown(page) == _expected(Period(2025, PeriodKind.QUARTER, 2), "3")
    warnings = [page.warnings.item(i).text() for i in range(page.warnings.count())]
    assert warnings == (list(page.current_form().warnings) or ["Không có điều gì cần nhắc."])


@pytest.mark.parametrize("privacy", ["aggregate", "roster"])
def test_the_package_dialog_writes_a_package_that_opens_with_the_privacy_chosen(qtbot, demo_db, tmp_path, privacy):
    page = _page(qtbot)
    dialog = dialogs.PackageDialog(page.period(), page, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.privacy.set_value(privacy)
    dialog.encryption[dialogs.PASSPHRASE].setChecked(True)
    dialog.passphrase.setText("mat-khau-dai")
    dialog.passphrase_again.setText("mat-khau-khac")
    target = tmp_path / "goi"
    dialog.path.setText(str(target))
    assert not dialog.save()  # the two passphrases differ
    assert not target.with_suffix(".chibo").exists()
    dialog.passphrase_again.setText("mat-khau-dai")
    assert dialog.save()
    written = target.with_suffix(".chibo")
    opened = package_crypto.open_package(written.read_bytes(), passphrase="mat-khau-dai")
    assert opened.manifest["privacy"] == privacy and opened.manifest["period"] == "2026"
    data = json.loads(opened.files["data.json"])
    assert ("members" in data) == (privacy != "aggregate")
    message = dialogs.exported_message(dialog.exported)
    assert str(dialog.exported.sequence) in message and dialog.exported.to_json()["fingerprint"] in message
    page.show_packages()
    assert page.sent_table.rowCount() == 1 and page.sent_table.item(0, 4).text() == written.name


def test_the_package_dialog_refuses_a_key_file_that_is_not_one(qtbot, demo_db, tmp_path):
    page = _page(qtbot)
    dialog = dialogs.PackageDialog(page.period(), page, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.encryption[dialogs.TO_KEY].setChecked(True)
    bad = tmp_path / "khoa.json"
    bad.write_text("{}", encoding="utf-8")
    dialog.key_path.setText(str(bad))
    dialog.path.setText(str(tmp_path / "goi.chibo"))
    assert not dialog.save()
    assert "không phải tệp khóa" in dialog._field_errors["key_file"].text()
    assert not (tmp_path / "goi.chibo").exists()


def test_the_events_dialog_adds_and_cancels_a_badge(qtbot, ui_db):  # noqa: F811
    from ui.roster.events_dialog import AddEventDialog, CancelEventDialog, EventsDialog

    member = add("Nguyễn Văn An", admission_date=dt.date(1990, 3, 2), official_date=dt.date(1991, 3, 2))
    events = EventsDialog(member, today=TODAY)
    qtbot.addWidget(events)
    assert events.table.rowCount() == 0 and not events.cancel_button.isEnabled()
    adding = AddEventDialog(member, events, today=TODAY)
    qtbot.addWidget(adding)
    adding.kind.setCurrentIndex(adding.kind.findData(EventKind.BADGE.value))
    assert adding.detail.currentData() == "30"  # 36 years in the Party: the 30-year badge is the one reached
    adding.detail.setCurrentIndex(adding.detail.findData("40"))  # not reached until 2030: refused as it is chosen
    assert adding._field_errors["member.detail"].isVisibleTo(adding)
    adding.detail.setCurrentIndex(adding.detail.findData("30"))
    assert not adding._field_errors["member.detail"].isVisibleTo(adding)
    adding.date.setText("19/05/2026")
    adding.decision.setText("125-QĐ/TU")
    assert adding.save()
    rows = member_events.events(member.id)
    assert [(r.kind, r.detail, r.date, r.decision) for r in rows] == [
        (EventKind.BADGE, "30", dt.date(2026, 5, 19), "125-QĐ/TU")]
    events.reload(adding.added.id)
    assert events.table.rowCount() == 1 and events.cancel_button.isEnabled()
    cancelling = CancelEventDialog(events.selected_event(), events)
    qtbot.addWidget(cancelling)
    assert not cancelling.save()  # no reason
    cancelling.reason.setText("ghi nhầm ngày")
    assert cancelling.save()
    assert member_events.events(member.id) == []
    events.reload()
    shown = member_events.events(member.id, include_cancelled=True)[0]
    assert shown.cancelled and shown.cancel_reason == "ghi nhầm ngày"
    assert "ghi nhầm ngày" in events.table.item(0, 4).text()
    assert events.table.item(0, 0).font().strikeOut() and not events.cancel_button.isEnabled()


def test_the_member_dialog_saves_the_occupation_group_and_youth_union(qtbot, ui_db):  # noqa: F811
    from ui.roster.member_dialog import MemberDialog

    member = add("Trần Thị Bình", birth_date=dt.date(1990, 1, 1), admission_date=dt.date(2015, 1, 1))
    dialog = MemberDialog(member, today=TODAY)
    qtbot.addWidget(dialog)
    group = dialog.widgets["occupation_group"]
    assert group.currentText() == "Chưa rõ" and dialog.widgets["youth_union"].currentText() == "Chưa rõ"
    group.setCurrentIndex(group.findData("vien-chuc"))
    dialog.widgets["youth_union"].setCurrentIndex(1)  # Có
    assert dialog.save()
    saved = member_service.get_member(member.id)
    assert saved.occupation_group == "vien-chuc" and saved.youth_union is True
    again = MemberDialog(saved, today=TODAY)
    qtbot.addWidget(again)
    assert again.widgets["occupation_group"].currentData() == "vien-chuc"
    again.widgets["youth_union"].setCurrentIndex(2)  # Không
    again.widgets["occupation_group"].setCurrentIndex(0)
    assert again.save()
    saved = member_service.get_member(member.id)
    assert saved.occupation_group == "" and saved.youth_union is False


def test_the_status_dialog_sends_the_kind_and_scope_of_a_transfer(qtbot, ui_db):  # noqa: F811
    from ui.roster.status_dialog import StatusDialog

    member = add("Lê Văn Cúc", birth_date=dt.date(1980, 1, 1), admission_date=dt.date(2010, 1, 1),
                 official_date=dt.date(2011, 1, 1))
    dialog = StatusDialog(member, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.status.setCurrentIndex(dialog.status.findData(MemberStatus.TRANSFERRED_OUT.value))
    assert not dialog.form.isRowVisible(dialog.kind.parentWidget())  # leaving: no kind asked
    assert dialog.form.isRowVisible(dialog.scope.parentWidget())
    dialog.scope.setCurrentIndex(dialog.scope.findData(Scope.OTHER_PROVINCE.value))
    dialog.date.setText("01/10/2026")
    dialog.reason.setText("chuyển về Đảng bộ phường Tân Mai")
    assert dialog.save()
    out = member_service.status_history(member.id)[-1]
    assert (out.status, out.kind, out.scope) == (MemberStatus.TRANSFERRED_OUT, "", Scope.OTHER_PROVINCE.value)

    back = StatusDialog(member_service.get_member(member.id), today=TODAY)
    qtbot.addWidget(back)
    back.status.setCurrentIndex(back.status.findData(MemberStatus.OFFICIAL.value))
    back.date.setText("01/11/2026")
    assert back.form.isRowVisible(back.kind.parentWidget())  # entering the count: the kind is asked
    assert not back.form.isRowVisible(back.scope.parentWidget())
    back.kind.setCurrentIndex(back.kind.findData(EntryKind.TRANSFERRED_IN.value))
    assert back.form.isRowVisible(back.scope.parentWidget())
    back.scope.setCurrentIndex(back.scope.findData(Scope.IN_PROVINCE.value))
    back.reason.setText("chuyển về lại")
    assert back.save()
    came = member_service.status_history(member.id)[-1]
    assert (came.kind, came.scope) == (EntryKind.TRANSFERRED_IN.value, Scope.IN_PROVINCE.value)


def test_a_past_entry_without_its_kind_is_given_one_from_the_history(qtbot, ui_db):  # noqa: F811
    from ui.roster.history_dialog import ClassifyDialog, HistoryDialog

    member = add("Phạm Thị Dung", birth_date=dt.date(1985, 1, 1), admission_date=dt.date(2012, 1, 1),
                 official_date=dt.date(2013, 1, 1))
    member_service.change_status(member.id, MemberStatus.TRANSFERRED_OUT, effective_date=dt.date(2020, 3, 1),
                                 reason="chuyển đi", today=TODAY)
    # Back in the count, recorded (as by an older version) without saying how.
    member_service.change_status(member.id, MemberStatus.OFFICIAL, effective_date=dt.date(2021, 3, 1),
                                 reason="trở về", today=TODAY)
    history = HistoryDialog(member)
    qtbot.addWidget(history)
    changes = member_service.status_history(member.id)
    first, row = changes[-1], len(changes) - 1
    assert not first.kind and first.id in history.entering
    assert history.status_table.item(row, 2).text() == "(chưa ghi)"
    history.status_table.selectRow(0)
    assert not history.classify_button.isEnabled()  # the admission has its kind already
    history.status_table.selectRow(row)
    assert history.classify_button.isEnabled()
    dialog = ClassifyDialog(member, first, history.entering[first.id], history)
    qtbot.addWidget(dialog)
    assert not dialog.save()  # nothing chosen
    dialog.kind.setCurrentIndex(dialog.kind.findData(EntryKind.TRANSFERRED_IN.value))
    assert dialog.form.isRowVisible(dialog.scope.parentWidget())
    dialog.scope.setCurrentIndex(dialog.scope.findData(Scope.OTHER_PROVINCE.value))
    assert dialog.save()
    saved = member_service.status_history(member.id)[-1]
    assert (saved.kind, saved.scope) == (EntryKind.TRANSFERRED_IN.value, Scope.OTHER_PROVINCE.value)
    history.reload_statuses(first.id)
    assert history.status_table.item(row, 2).text().startswith(EntryKind.TRANSFERRED_IN.label)
    assert not history.classify_button.isEnabled()


def test_level_zero_lines_are_bold_in_the_table_font(qtbot, demo_db):
    page = _page(qtbot)
    bold = [page.table.item(r, COL_LABEL).font().weight() for r in range(page.table.rowCount())]
    assert QFont.Weight.Bold in bold and QFont.Weight.Normal in bold
