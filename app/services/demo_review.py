"""The demo cell's annual review: tasks given at each meeting and confirmed at the next, last year's review
finished (the Đảng ủy's grades in), this year's in progress (self-assessments in, a few proposals made)."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from app.domain.dates import Month
from app.domain.review import Grade
from app.services import meetings as meeting_service
from app.services import review, review_tasks
from app.storage.models import database

_TASKS = (
    "Vận động các hộ được phân công nộp quỹ phòng chống thiên tai",
    "Nắm tình hình, vận động hộ gia đình giữ vệ sinh đường làng ngõ xóm",
    "Thăm hỏi gia đình chính sách, hộ nghèo trong tổ",
    "Tham gia tổ hòa giải ở cơ sở, nắm các vụ việc phát sinh",
    "Vận động thanh niên trong tổ tham gia lao động công ích",
    "Tuyên truyền phòng chống cháy nổ, đuối nước cho các hộ",
    "Phụ trách thu đảng phí tổ đảng",
    "Viết bài giới thiệu gương người tốt việc tốt trên loa truyền thanh",
)
_STRENGTHS = ("Chấp hành nghiêm chủ trương của Đảng, chính sách, pháp luật của Nhà nước; giữ gìn phẩm chất đạo "
              "đức, lối sống giản dị; đoàn kết với quần chúng nơi cư trú. Tham gia đầy đủ sinh hoạt chi bộ, hoàn "
              "thành các nhiệm vụ được chi bộ phân công.")
_SHORTCOMINGS = ("Có lúc phát biểu xây dựng chi bộ chưa nhiều; việc nắm tình hình các hộ được phân công có lúc chưa "
                 "kịp thời.")
_REMEDIES = "Những hạn chế được chỉ ra năm trước đã được khắc phục."
_PLAN = "Tích cực học tập nghị quyết, phát biểu xây dựng chi bộ; nắm chắc tình hình các hộ được phân công."
# Score ranges (general /30, tasks /70, in half points) by the grade they lead to; the grade itself follows
# from the scores and the tasks.
_SCORES = {Grade.EXCELLENT: ((27, 29), (62, 66)), Grade.GOOD: ((23, 28), (49, 60)), Grade.PASSED: ((19, 24), (33, 44))}


def _scores(rng: random.Random, grade: Grade) -> tuple[str, str]:
    (g_low, g_high), (t_low, t_high) = _SCORES[grade]
    return (str(Decimal(rng.randint(2 * g_low, 2 * g_high)) / 2).replace(".", ","),
            str(Decimal(rng.randint(2 * t_low, 2 * t_high)) / 2).replace(".", ","))


def build(today: dt.date) -> None:
    """After the meetings: tasks at each meeting, last year's finished review and this year's in progress."""
    rng = random.Random(20261201)
    with database.atomic():
        _tasks(rng)
        last = today.year - 1
        review.open_season(last, review_date=dt.date(last, 12, 15), meeting_id=_meeting_in(last, 12))
        _fill(last, rng, finished=True)
        review.open_season(today.year, review_date=dt.date(today.year, 12, 15),
                           meeting_id=_meeting_in(today.year, 12))
        _fill(today.year, rng, finished=False)


def _meeting_in(year: int, month: int) -> int | None:
    found = [m for m in meeting_service.meetings_in(year) if m.date.month == month and not m.kind.is_thematic]
    return found[0].id if found else None


def _tasks(rng: random.Random) -> None:
    """Two or three members get a task at each regular meeting, due the next month; the next meeting
    confirms them (mostly on time, some beyond what was asked); the last meeting's stay open."""
    regular = [m for m in meeting_service.meetings_in() if not m.kind.is_thematic]
    for meeting, following in zip(regular, regular[1:] + [None]):
        people = [a.member_id for a in meeting_service.attendees(meeting.id) if a.official and a.in_total]
        for member_id in rng.sample(people, min(3, len(people))):
            task = review_tasks.add_task(member_id, rng.choice(_TASKS), due_month=Month.of(meeting.date).add(1),
                                         meeting_id=meeting.id)
            if following is not None:
                status = rng.choices(["dung-han", "vuot"], weights=(7, 3))[0]
                review_tasks.set_status(task.id, status, meeting_id=following.id)


def _fill(year: int, rng: random.Random, *, finished: bool) -> None:
    rows = [r for r in review.review_rows(year) if r.reviewed]
    # Two members beyond requirements, most good, two only passing; this year's season is half way.
    wanted = [Grade.EXCELLENT] * 2 + [Grade.PASSED] * 2
    wanted += [Grade.GOOD] * (len(rows) - len(wanted))
    rng.shuffle(wanted)
    present = max(0, len(rows) - 2)
    review.update_season(year, present=present)
    for index, (row, grade) in enumerate(zip(rows, wanted)):
        if not finished and index % 2:
            continue  # this year: half the members have not handed in their self-assessment yet
        general, tasks = _scores(rng, grade)
        stored, _warnings = review.set_review(
            year, row.member_id, general_score=general, task_score=tasks, exceeded=grade is Grade.EXCELLENT,
            strengths=_STRENGTHS, shortcomings=_SHORTCOMINGS, remedies=_REMEDIES, plan=_PLAN,
            share_on_time=None if grade is not Grade.PASSED else Decimal(90),
            share_late=None if grade is not Grade.PASSED else Decimal(10),
            share_reason="" if grade is not Grade.PASSED else "Một nhiệm vụ hoàn thành chậm do ốm",
            self_grade=grade.value if grade is not Grade.PASSED else Grade.PASSED.value)
        computed = stored.computed.grade if stored.computed else grade
        if not finished and index % 4:
            continue  # this year: a few proposals made so far
        votes = {computed: present - 1, _below(computed): 1}
        review.set_review(year, row.member_id, committee_view="Đồng ý với bản tự kiểm điểm.",
                          committee_grade=computed.value, cell_comments="Chi bộ nhất trí với tự nhận xét.",
                          votes={g.value: n for g, n in votes.items()}, voters=present, proposed_grade=computed.value)
        if finished:
            review.set_review(year, row.member_id, final_grade=computed.value,
                              final_decision=f"Quyết định số {120 + index}-QĐ/ĐU")
    if finished:
        review.set_cell_rating(year, general="27", tasks="62", exceeded=False, self_grade=Grade.GOOD.value,
                               final_grade=Grade.GOOD.value, strengths="Chi bộ lãnh đạo hoàn thành các chỉ tiêu "
                               "nghị quyết năm; giữ vững đoàn kết nội bộ.", shortcomings="Chất lượng sinh hoạt có "
                               "kỳ chưa cao.", plan="Đổi mới nội dung sinh hoạt chi bộ.")


def _below(grade: Grade) -> Grade:
    order = list(Grade)
    return order[min(order.index(grade) + 1, len(order) - 1)]
