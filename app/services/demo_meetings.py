"""A year of meetings for the demo cell: the roll, minutes, resolutions and their numbers, as a real cell keeps them."""
from __future__ import annotations

import datetime as dt
import random

from app.domain.dates import Month
from app.domain.meetings import Mark, Meeting, MeetingKind, Standing
from app.services import documents
from app.services import meetings as meeting_service
from app.services import members as member_service
from app.storage.models import database

# What a village cell works on through the year (one line per month: the review, then the tasks).
_SEASON = {
    1: ("Nhân dân đón Tết Dương lịch vui tươi, an toàn; hoàn thành thu quỹ phòng chống thiên tai.",
        "Chuẩn bị đón Tết Nguyên đán: thăm hỏi gia đình chính sách, hộ nghèo; giữ an ninh trật tự dịp Tết."),
    2: ("Tết Nguyên đán diễn ra an toàn, tiết kiệm; không có cháy nổ, không có đốt pháo.",
        "Phát động Tết trồng cây đời đời nhớ ơn Bác Hồ; ra quân làm thủy lợi nội đồng."),
    3: ("Trồng được 450 cây xanh ven đường liên thôn; nạo vét 1,2 km kênh mương.",
        "Gieo cấy lúa xuân đúng lịch thời vụ; phòng trừ chuột và sâu bệnh."),
    4: ("Gieo cấy xong 100% diện tích lúa xuân; tiêm phòng gia súc, gia cầm đợt 1.",
        "Kỷ niệm ngày Giải phóng miền Nam 30/4 và Quốc tế Lao động 1/5."),
    5: ("Tổ chức tốt các ngày lễ; vận động 12 hộ làm nhà vệ sinh hợp vệ sinh.",
        "Kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh 19/5; chăm sóc lúa xuân."),
    6: ("Thu hoạch lúa xuân đạt năng suất 62 tạ/ha; tổ chức hè cho thiếu nhi.",
        "Phòng chống đuối nước cho trẻ em; chuẩn bị sản xuất vụ mùa."),
    7: ("Không có trẻ em đuối nước; thăm hỏi 18 gia đình thương binh, liệt sĩ nhân ngày 27/7.",
        "Gieo cấy vụ mùa; phòng chống mưa bão, kiểm tra đê bao."),
    8: ("Hoàn thành gieo cấy vụ mùa; gia cố 300 m đê bao xung yếu.",
        "Kỷ niệm Cách mạng Tháng Tám và Quốc khánh 2/9; phòng chống lụt bão."),
    9: ("Tổ chức Quốc khánh 2/9 trang trọng; khai giảng năm học mới, 100% trẻ trong độ tuổi đến trường.",
        "Thu hoạch vụ mùa; tổ chức Tết Trung thu cho thiếu nhi."),
    10: ("Thu hoạch vụ mùa đạt 58 tạ/ha; vận động ủng hộ đồng bào vùng lũ 12 triệu đồng.",
         "Chuẩn bị Ngày hội Đại đoàn kết toàn dân tộc 18/11; làm đất vụ đông."),
    11: ("Tổ chức Ngày hội Đại đoàn kết toàn dân tộc; trồng 6 ha cây vụ đông.",
         "Kiểm điểm, đánh giá, xếp loại đảng viên cuối năm; thu đảng phí cả năm."),
    12: ("Hoàn thành kiểm điểm, đánh giá, xếp loại đảng viên; thu nộp đảng phí đầy đủ.",
         "Tổng kết công tác năm; xây dựng chương trình công tác năm sau."),
}
_TOPICS = (
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về tinh thần đoàn kết",
    "Nâng cao vai trò nêu gương của đảng viên nơi cư trú",
    "Phòng, chống suy thoái về tư tưởng chính trị, đạo đức, lối sống",
    "Xây dựng nông thôn mới kiểu mẫu gắn với giữ gìn vệ sinh môi trường",
)
# Months (counted back from today's) in which the truant member stays away: three within the year.
_TRUANT_MONTHS = (1, 3, 6)
_REASONS = ("Ốm", "Đi công tác", "Việc gia đình", "Đi viện chăm người nhà", "Đi làm ăn xa")
# The member of the superior committee who follows the cell comes to the thematic meetings.
_GUEST = "Đồng chí Trịnh Văn Bình, Đảng ủy viên, phụ trách Chi bộ thôn Đông."


def _roles() -> tuple[int | None, int | None]:
    """The secretary chairs, the deputy writes the minutes, as in most cells."""
    by_post = {}
    for entry in member_service.list_members():
        by_post.setdefault(entry.member.party_post, entry.member.id)
    return by_post.get("Bí thư chi bộ"), by_post.get("Phó bí thư chi bộ")


def _regular(day: dt.date, kind: MeetingKind, topic: str, rng: random.Random) -> Meeting:
    review, tasks = _SEASON[Month.of(day).add(-1).month][0], _SEASON[day.month][1]
    end = dt.time(21, 15) if rng.random() > 0.12 else dt.time(20, 50)
    if kind is MeetingKind.COMBINED:
        end = dt.time(21, 40)
    return Meeting(
        date=day, kind=kind, start=dt.time(19, 30), end=end, place="Nhà văn hóa thôn Đông", topic=topic,
        agenda="1. Khai mạc, điểm danh, thông qua chương trình.\n2. Thông tin thời sự, văn bản mới của cấp trên.\n"
               "3. Đánh giá kết quả tháng trước, đề ra nhiệm vụ tháng này.\n4. Thảo luận, biểu quyết.",
        assessment=f"Chi bộ lãnh đạo hoàn thành các nhiệm vụ đề ra. {review} Tình hình an ninh trật tự ổn định; "
                   "đảng viên gương mẫu chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước.",
        next_tasks=f"- {tasks}\n- Tiếp tục thu đảng phí đầy đủ, đúng kỳ.\n- Giữ gìn vệ sinh môi trường, đường làng ngõ xóm.",
        assignments="- Đồng chí Bí thư phụ trách chung.\n- Đồng chí Phó bí thư phụ trách công tác vận động nhân dân.\n"
                    "- Các đảng viên phụ trách hộ gia đình theo sự phân công.",
        thematic_content=(f"Chi bộ nghe đồng chí Phó bí thư trình bày chuyên đề «{topic}»; các đảng viên liên hệ "
                          "bản thân và đăng ký việc làm cụ thể.") if kind.is_thematic else "",
        discussion="- Đồng chí Trần Đức Sơn: đề nghị sớm sửa tuyến mương đội 3.\n"
                   "- Đồng chí Bùi Thị Hồng Thủy: đề nghị tăng cường kiểm tra vệ sinh an toàn thực phẩm.",
        self_assessment="Kỳ sinh hoạt chuẩn bị chu đáo, nội dung thiết thực; tự đánh giá đạt loại Khá.",
        conclusions="Chi bộ thống nhất đánh giá kết quả tháng trước và các nhiệm vụ trọng tâm đã đề ra.",
        posted_to_handbook=rng.random() > 0.1,
    )


def _thematic(day: dt.date, topic: str) -> Meeting:
    return Meeting(
        date=day, kind=MeetingKind.THEMATIC, start=dt.time(19, 30), end=dt.time(21, 10), place="Nhà văn hóa thôn Đông",
        topic=topic, guests=_GUEST, agenda="1. Khai mạc, điểm danh.\n2. Trình bày chuyên đề.\n3. Thảo luận, kết luận.",
        thematic_content=f"Đồng chí Phó bí thư trình bày chuyên đề «{topic}».",
        discussion="Các đảng viên thảo luận, liên hệ bản thân.", conclusions="Mỗi đảng viên đăng ký một việc làm cụ thể.",
        assignments="- Mỗi đảng viên đăng ký một việc làm cụ thể, nộp chi ủy trong 5 ngày.\n"
                    "- Đồng chí Phó bí thư tổng hợp, báo cáo chi bộ tại kỳ sinh hoạt tới.",
        self_assessment="Chuyên đề chuẩn bị kỹ, nhiều ý kiến liên hệ thiết thực; tự đánh giá đạt loại Tốt.",
        posted_to_handbook=True,
    )


def _take_roll(meeting_id: int, rng: random.Random, truant: int | None, leaders: set[int | None]) -> None:
    """The chair and the minute-taker come; most others too; a few send a reason; the truant
    (None in most months) stays away without one."""
    for a in meeting_service.attendees(meeting_id):
        if a.standing is Standing.TEMPORARY:
            continue
        if a.member_id in leaders:
            meeting_service.set_attendance(meeting_id, a.member_id, Mark.PRESENT)
            continue
        if a.standing is Standing.EXEMPT:
            if rng.random() < 0.2:  # elderly exempt members still come now and then
                meeting_service.set_attendance(meeting_id, a.member_id, Mark.PRESENT)
            continue
        roll = rng.random()
        if a.member_id == truant:
            meeting_service.set_attendance(meeting_id, a.member_id, Mark.ABSENT)
        elif roll < 0.9:
            meeting_service.set_attendance(meeting_id, a.member_id, Mark.PRESENT)
        elif roll < 0.97:
            meeting_service.set_attendance(meeting_id, a.member_id, Mark.EXCUSED, reason=rng.choice(_REASONS))
        else:
            meeting_service.set_attendance(meeting_id, a.member_id, Mark.ABSENT)


def _vote(meeting_id: int, rng: random.Random) -> None:
    voters = [a for a in meeting_service.attendees(meeting_id) if a.mark is Mark.PRESENT and a.official and a.in_total]
    other = 1 if rng.random() < 0.2 else 0
    meeting_service.update_meeting(meeting_id, {"votes_for": len(voters) - other, "votes_against": 0,
                                                "votes_other": other})


def build(today: dt.date) -> int:
    """Add the twelve months up to today to the demo cell (after its members); returns the meetings made.

    A cell that already has meetings is left alone, so running the demo twice never doubles the year.
    """
    if meeting_service.meetings_in():
        return 0
    rng = random.Random(20260205)
    chair, taker = _roles()
    entries = member_service.list_members()
    # One member misses meetings without reason, so the year shows the xóa-tên warning (R3).
    truant = entries[len(entries) // 2].member.id if entries else None
    made = 0
    with database.atomic():
        for offset in range(11, -1, -1):
            month = Month.of(today).add(-offset)
            for meeting in _month(month, today, rng):
                saved = meeting_service.add_meeting(
                    Meeting(**{**meeting.__dict__, "chair_id": chair, "minute_taker_id": taker}))
                _take_roll(saved.id, rng, truant if offset in _TRUANT_MONTHS else None, {chair, taker})
                _vote(saved.id, rng)
                # Every meeting ends on a resolution and its minutes, numbered as printed, in date order.
                documents.issue_number(documents.MINUTES, saved.id, saved.date)
                documents.issue_number(documents.RESOLUTION, saved.id, saved.date)
                made += 1
    return made


def _month(month: Month, today: dt.date, rng: random.Random) -> list[Meeting]:
    """The month's regular meeting on the 5th, and a thematic one in the middle month of each quarter;
    in the second quarter both are held together in one combined session."""
    quarter = (month.month - 1) // 3
    topic = _TOPICS[quarter]
    regular_day = dt.date(month.year, month.month, 5)
    if regular_day > today:
        return []
    middle = month.month % 3 == 2
    kind = MeetingKind.COMBINED if middle and quarter == 1 else MeetingKind.REGULAR
    meetings = [_regular(regular_day, kind, topic if kind.is_thematic else "", rng)]
    thematic_day = dt.date(month.year, month.month, 20)
    if middle and kind is MeetingKind.REGULAR and thematic_day <= today:
        meetings.append(_thematic(thematic_day, topic))
    return meetings
