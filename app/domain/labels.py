"""Nhãn: the Vietnamese label of every field a user sees, declared once under a key with its area (meeting.date).

An Issue names its field by one of these keys, a dialog's add_field reads its caption here, the change
history and the roster's spreadsheet columns too. The area before the dot keeps a field of one area
(member.reason, the reason of a status change) apart from a field of the same name in another
(attendance.reason, the reason of an absence).
"""
from __future__ import annotations

from collections.abc import Callable

from app.i18n import _

# The areas a key may begin with: a record (member, cell, meeting…), or the change history's own entries.
AREAS = ("member", "cell", "meeting", "attendance", "document", "fee", "audit", "review")

LABELS: dict[str, Callable[[], str]] = {
    # Hồ sơ đảng viên (app/domain/members.py: Member, StatusChange, Joining).
    "member.id": lambda: _("Mã số"),
    "member.full_name": lambda: _("Họ và tên"),
    "member.sex": lambda: _("Giới tính"),
    "member.birth_date": lambda: _("Ngày sinh"),
    "member.ethnicity": lambda: _("Dân tộc"),
    "member.religion": lambda: _("Tôn giáo"),
    "member.home_town": lambda: _("Quê quán"),
    "member.residence": lambda: _("Nơi cư trú"),
    "member.occupation": lambda: _("Nghề nghiệp"),
    "member.education": lambda: _("Trình độ học vấn"),
    "member.professional_level": lambda: _("Trình độ chuyên môn"),
    "member.political_theory": lambda: _("Lý luận chính trị"),
    "member.admission_date": lambda: _("Ngày vào Đảng (quyết định kết nạp)"),
    "member.ceremony_date": lambda: _("Ngày lễ kết nạp"),
    "member.official_date": lambda: _("Ngày chính thức"),
    "member.card_number": lambda: _("Số thẻ đảng viên"),
    "member.member_code": lambda: _("Số lý lịch / mã đảng viên"),
    "member.citizen_id": lambda: _("Số CCCD"),
    "member.phone": lambda: _("Điện thoại"),
    "member.party_post": lambda: _("Chức vụ Đảng"),
    "member.notes": lambda: _("Ghi chú"),
    "member.occupation_group": lambda: _("Nhóm nghề nghiệp (thống kê)"),
    "member.youth_union": lambda: _("Đoàn viên thanh niên"),
    "member.kind": lambda: _("Hình thức"),
    "member.scope": lambda: _("Nơi chuyển đến, chuyển đi"),
    "member.event_kind": lambda: _("Loại sự kiện"),
    "member.event_date": lambda: _("Ngày"),
    "member.detail": lambda: _("Chi tiết"),
    "member.decision": lambda: _("Số quyết định"),
    "member.status": lambda: _("Tình trạng"),
    # As the status dialog asks it: the day the new status is in force from.
    "member.effective_date": lambda: _("Từ ngày"),
    "member.reason": lambda: _("Lý do"),
    "member.vote_date": lambda: _("Ngày chi bộ biểu quyết"),
    "member.joined_cell": lambda: _("Bắt đầu sinh hoạt tại chi bộ"),
    "member.transfer_number": lambda: _("Số giấy giới thiệu"),
    "member.transfer_date": lambda: _("Ngày chuyển đến"),
    "member.archived": lambda: _("Đã lưu trữ"),
    # Thông tin chi bộ (app/domain/cell.py: CellInfo).
    "cell.name": lambda: _("Tên chi bộ"),
    "cell.code": lambda: _("Mã chi bộ"),
    "cell.superior_name": lambda: _("Cấp ủy cấp trên trực tiếp"),
    "cell.superior_level": lambda: _("Loại cấp ủy cấp trên"),
    "cell.cell_level": lambda: _("Loại chi bộ"),
    "cell.place_name": lambda: _("Địa danh ghi ở ngày tháng"),
    "cell.term_label": lambda: _("Nhiệm kỳ"),
    "cell.term_start": lambda: _("Ngày bắt đầu nhiệm kỳ"),
    "cell.secretary_name": lambda: _("Bí thư"),
    "cell.deputy_name": lambda: _("Phó bí thư"),
    # Buổi sinh hoạt (app/domain/meetings.py: Meeting).
    "meeting.id": lambda: _("Mã buổi sinh hoạt"),
    "meeting.date": lambda: _("Ngày sinh hoạt"),
    "meeting.kind": lambda: _("Loại buổi sinh hoạt"),
    "meeting.start": lambda: _("Giờ bắt đầu"),
    "meeting.end": lambda: _("Giờ kết thúc"),
    "meeting.place": lambda: _("Địa điểm"),
    "meeting.chair_id": lambda: _("Chủ trì"),
    "meeting.minute_taker_id": lambda: _("Thư ký (người ghi biên bản)"),
    "meeting.guests": lambda: _("Đại biểu cấp trên"),
    "meeting.topic": lambda: _("Chủ đề sinh hoạt chuyên đề"),
    "meeting.task_month": lambda: _("Nhiệm vụ của tháng"),
    "meeting.agenda": lambda: _("Chương trình"),
    "meeting.assessment": lambda: _("Đánh giá kết quả tháng trước"),
    "meeting.next_tasks": lambda: _("Phương hướng, nhiệm vụ tháng tới"),
    "meeting.assignments": lambda: _("Phân công tổ chức thực hiện"),
    "meeting.thematic_content": lambda: _("Nội dung sinh hoạt chuyên đề"),
    "meeting.discussion": lambda: _("Ý kiến thảo luận"),
    "meeting.self_assessment": lambda: _("Tự đánh giá chất lượng kỳ sinh hoạt"),
    "meeting.conclusions": lambda: _("Kết luận"),
    "meeting.votes_for": lambda: _("Số tán thành"),
    "meeting.votes_against": lambda: _("Số không tán thành"),
    "meeting.votes_other": lambda: _("Số ý kiến khác"),
    "meeting.posted_to_handbook": lambda: _("Đã đăng tài liệu lên Sổ tay đảng viên"),
    # Điểm danh: one member's mark at one meeting.
    "attendance.meeting_id": lambda: _("Mã buổi sinh hoạt"),
    "attendance.member_id": lambda: _("Mã đảng viên"),
    "attendance.mark": lambda: _("Điểm danh"),
    "attendance.reason": lambda: _("Lý do vắng"),
    # Số văn bản of a meeting's minutes or resolution.
    "document.number": lambda: _("Số văn bản"),
    # Đảng phí (the fee dialogs and app/domain/fees.py).
    "fee.member": lambda: _("Đảng viên"),
    "fee.category": lambda: _("Đối tượng"),
    "fee.basis": lambda: _("Thu nhập tính đóng đảng phí"),
    "fee.region": lambda: _("Vùng lương tối thiểu"),
    "fee.from": lambda: _("Từ tháng"),
    "fee.to": lambda: _("Đến tháng"),
    "fee.month": lambda: _("Tháng"),
    "fee.percent": lambda: _("Mức giảm"),
    "fee.reason": lambda: _("Lý do"),
    "fee.amount": lambda: _("Số tiền"),
    "fee.paid_on": lambda: _("Ngày nộp"),
    "fee.channel": lambda: _("Kênh nộp"),
    "fee.reference": lambda: _("Mã giao dịch"),
    "fee.rule": lambda: _("Định mức"),
    # The change history's entries about the data file itself (a backup, a restore, encryption).
    "audit.file": lambda: _("Tệp"),
    "audit.encrypted": lambda: _("Mã hóa"),
    # Kiểm điểm, đánh giá, xếp loại chất lượng (app/domain/review*.py; Quy định 366-QĐ/TW).
    "review.general_score": lambda: _("Điểm nhóm tiêu chí chung"),
    "review.task_score": lambda: _("Điểm nhóm tiêu chí về kết quả thực hiện nhiệm vụ"),
    "review.override_reason": lambda: _("Lý do sửa tỷ lệ nhiệm vụ"),
    "review.on_time_percent": lambda: _("Tỷ lệ nhiệm vụ hoàn thành đúng tiến độ"),
    "review.late_percent": lambda: _("Tỷ lệ nhiệm vụ chậm tiến độ"),
    "review.exceeded_percent": lambda: _("Tỷ lệ nhiệm vụ vượt yêu cầu"),
    "review.tasks": lambda: _("Nhiệm vụ được giao"),
    "review.temporary_comment": lambda: _("Nhận xét của chi bộ nơi sinh hoạt tạm thời"),
    "review.residence_comment": lambda: _("Nhận xét của chi ủy nơi cư trú"),
    "review.criteria_group": lambda: _("Nhóm tiêu chí"),
    "review.criteria_item": lambda: _("Tiêu chí"),
    "review.criteria_points": lambda: _("Điểm tối đa của tiêu chí"),
    "review.quota": lambda: _("Tỷ lệ Hoàn thành xuất sắc nhiệm vụ"),
    "review.previous_grade": lambda: _("Xếp loại năm trước"),
    "review.self_grade": lambda: _("Cá nhân tự xếp loại"),
    "review.proposed_grade": lambda: _("Chi bộ đề xuất xếp loại"),
    "review.final_grade": lambda: _("Đảng ủy xếp loại"),
    "review.present": lambda: _("Số đảng viên có mặt"),
    "review.votes": lambda: _("Số phiếu biểu quyết"),
    "review.year": lambda: _("Năm kiểm điểm"),
    "review.review_date": lambda: _("Ngày kiểm điểm"),
    "review.meeting_id": lambda: _("Buổi sinh hoạt"),
    "review.member_id": lambda: _("Đảng viên"),
    "review.field": lambda: _("Trường dữ liệu"),
    "review.reason": lambda: _("Lý do sửa"),
    "review.rule": lambda: _("Ngưỡng xếp loại"),
    "review.rule_note": lambda: _("Ghi chú của ngưỡng"),
    "review.valid_from": lambda: _("Áp dụng từ ngày"),
    "review.task_title": lambda: _("Nội dung nhiệm vụ"),
    "review.due_month": lambda: _("Tháng phải hoàn thành"),
    "review.task_status": lambda: _("Kết quả thực hiện nhiệm vụ"),
    "review.task_note": lambda: _("Ghi chú nhiệm vụ"),
    "review.cancel_reason": lambda: _("Lý do bỏ nhiệm vụ"),
    # One member's review (app/services/review.py: EntryData), field by field.
    "review.form": lambda: _("Mẫu bản kiểm điểm"),
    "review.exceeded": lambda: _("Có nhiệm vụ hoàn thành vượt yêu cầu (từ 30 %)"),
    "review.shortcomings_remedied": lambda: _("Đã khắc phục hạn chế, khuyết điểm đã được chỉ ra"),
    "review.decline": lambda: _("Có kết luận suy thoái, «tự diễn biến», «tự chuyển hóa»"),
    "review.disciplined": lambda: _("Bị kỷ luật đảng trong năm"),
    "review.prohibitions": lambda: _("Vi phạm những điều đảng viên không được làm"),
    "review.suspended": lambda: _("Đang bị đình chỉ sinh hoạt đảng"),
    "review.sick_months": lambda: _("Số tháng ốm đau trong năm"),
    "review.maternity": lambda: _("Nghỉ chế độ thai sản trong năm"),
    "review.temporary_elsewhere": lambda: _("Sinh hoạt tạm thời ở chi bộ khác"),
    "review.works_elsewhere": lambda: _("Công tác ở nơi khác (có nhận xét nơi cư trú)"),
    "review.strengths": lambda: _("Ưu điểm"),
    "review.shortcomings": lambda: _("Hạn chế, khuyết điểm"),
    "review.remedies": lambda: _("Biện pháp khắc phục"),
    "review.plan": lambda: _("Phương hướng, kế hoạch năm tới"),
    "review.self_reason": lambda: _("Lý do tự xếp loại khác mức tính theo điểm"),
    "review.committee_view": lambda: _("Nhận xét, đánh giá của chi ủy (bí thư)"),
    "review.committee_grade": lambda: _("Chi ủy đề xuất xếp loại"),
    "review.cell_comments": lambda: _("Ý kiến góp ý của chi bộ"),
    "review.voters": lambda: _("Số đảng viên biểu quyết"),
    "review.proposed_reason": lambda: _("Lý do chi bộ đề xuất khác mức tính theo điểm"),
    "review.final_reason": lambda: _("Lý do Đảng ủy xếp loại khác mức tính theo điểm"),
    "review.final_decision": lambda: _("Số quyết định, thông báo của Đảng ủy"),
    "review.share_reason": lambda: _("Lý do sửa tỷ lệ nhiệm vụ"),
    # The cell's own rating (Mẫu 01; app/services/review.py: CellRating).
    "review.cell_general": lambda: _("Điểm nhóm tiêu chí chung của chi bộ"),
    "review.cell_tasks": lambda: _("Điểm nhóm kết quả thực hiện nhiệm vụ của chi bộ"),
    "review.cell_exceeded": lambda: _("Chi bộ hoàn thành vượt mức các chỉ tiêu, nhiệm vụ"),
    "review.cell_self_grade": lambda: _("Chi bộ tự xếp loại"),
    "review.cell_final_grade": lambda: _("Đảng ủy xếp loại chi bộ"),
    "review.cell_final_reason": lambda: _("Lý do Đảng ủy xếp loại chi bộ"),
    "review.cell_votes": lambda: _("Số phiếu biểu quyết xếp loại chi bộ"),
    "review.cell_strengths": lambda: _("Ưu điểm của chi bộ"),
    "review.cell_shortcomings": lambda: _("Hạn chế, khuyết điểm của chi bộ"),
    "review.cell_remedies": lambda: _("Biện pháp khắc phục của chi bộ"),
    "review.cell_plan": lambda: _("Phương hướng năm tới của chi bộ"),
}

# Bare keys still used by code that has not moved to its area's keys yet, each with the key it means.
# app/services/documents.py names its field "number"; when it says "document.number" this entry goes.
LEGACY_KEYS = {"number": "document.number"}


def field_label(key: str, default: str | None = None) -> str:
    """The label of key (or of the key a legacy bare key stands for); default, else the key, when none is declared."""
    key = LEGACY_KEYS.get(key, key)
    if key in LABELS:
        return LABELS[key]()
    return key if default is None else default


def by_bare_name(*areas: str) -> dict[str, Callable[[], str]]:
    """The labels of the areas keyed by their names without the area, the first area winning a name two share:
    only for code written before the keys had areas."""
    found: dict[str, Callable[[], str]] = {}
    for area in areas:
        for key, label in LABELS.items():
            if key.startswith(f"{area}."):
                found.setdefault(key[len(area) + 1:], label)
    return found
