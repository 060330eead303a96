"""What the Sinh hoạt page asks before a meeting's paper is printed: empty sections, a number out of date order."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from app.i18n import _
from ui.dialogs import choose, confirm


def ask_before_printing(parent: QWidget, form: str, meeting_id: int) -> str | None:
    """The numbering choice for print_meetings (REFUSE when the order holds), or None if the secretary
    stops: first the sections that will print as dotted lines, then a number with no place in date order."""
    from app.services import meeting_printing

    warning = meeting_printing.empty_sections_warning(form, meeting_id)
    if warning and not confirm(parent, _("{warning}\n\nVẫn in?").format(warning=warning),
                               _("Còn mục chưa ghi"), _("In với dòng chấm")):
        return None
    conflict = meeting_printing.number_conflict(form, meeting_id)
    if conflict is None:
        return meeting_printing.REFUSE
    return _ask_numbering(parent, conflict)


def _ask_numbering(parent: QWidget, conflict) -> str | None:
    from app.reports.party import number_text
    from app.services import meeting_printing

    return choose(parent, _("Số văn bản"),
                  _("{reason}\n\nCấp số tiếp theo (không theo thứ tự ngày), in để trống số rồi ghi tay theo sổ "
                    "đăng ký văn bản, hay thôi?").format(reason=conflict),
                  [(_("Cấp {number}").format(number=number_text(conflict.next_free, conflict.doc_type)),
                    QMessageBox.ButtonRole.AcceptRole, meeting_printing.NEXT_NUMBER),
                   (_("In để trống số"), QMessageBox.ButtonRole.ActionRole, meeting_printing.BLANK),
                   (_("Hủy"), QMessageBox.ButtonRole.RejectRole, None)])
