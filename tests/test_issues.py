"""One kind of problem report for every record: an error stops the save, a warning is only shown."""
from __future__ import annotations

from app.domain import members
from app.domain.issues import Issue, Severity, ValidationReport
from app.services.errors import ValidationFailed


def test_a_report_keeps_errors_and_warnings_apart_in_the_order_found():
    report = ValidationReport()
    report.warn("member.full_name", "họ và tên thường có ít nhất hai chữ.")
    report.error("member.birth_date", "ngày 01/01/2999 ở tương lai.")
    assert [i.field for i in report.errors] == ["member.birth_date"]
    assert [(i.field, i.severity) for i in report.warnings] == [("member.full_name", Severity.WARNING)]
    assert [i.is_error for i in report.issues] == [False, True]


def test_an_issue_is_an_error_unless_it_says_warning_and_the_older_true_false_still_means_the_same():
    assert Issue("fee.amount", "x").severity is Severity.ERROR
    assert Issue("fee.amount", "x", severity=Severity.WARNING).is_error is False
    assert Issue("fee.amount", "x", False) == Issue("fee.amount", "x", Severity.WARNING)
    assert Issue("fee.amount", "x", True).severity is Severity.ERROR


def test_an_issue_reads_with_its_field_label_and_the_old_import_is_the_same_type():
    failed = ValidationFailed([Issue("fee.amount", "phải lớn hơn 0."),
                               Issue("member.full_name", "chưa nhập họ và tên.")])
    assert str(failed) == "Số tiền: phải lớn hơn 0.\nHọ và tên: chưa nhập họ và tên."
    assert members.Issue is Issue and members.ValidationReport is ValidationReport
