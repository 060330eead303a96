"""A realistic demo cell (Chi bộ thôn Đông) to try the program on: about 35 members and a few years of history."""
from __future__ import annotations

import datetime as dt
import random

from app.domain import stat_codes
from app.domain.cell import CellInfo, CellLevel
from app.domain.dates import years_between
from app.domain.members import Member, MemberStatus, Sex, StatusChange, initial_history
from app.i18n import _
from app.services import cell as cell_service
from app.services import demo_fees, demo_meetings, demo_review, demo_statistics
from app.services import members as member_service
from app.services.errors import ServiceError
from app.storage.models import Member as MemberRow, database

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
           "Phan", "Trịnh", "Đinh", "Lương", "Âu", "Đoàn", "Lò")
_MIDDLE_M = ("Văn", "Quốc", "Đức", "Minh", "Hữu", "Công")
_MIDDLE_F = ("Thị", "Thị Thu", "Thị Ngọc", "Thị Kim", "Thị Hồng")
_GIVEN_M = ("Hùng", "Sơn", "Minh", "Thắng", "Lực", "Đức", "Tiến", "Quang", "Khải", "Bảo", "Ất", "Việt", "Dũng",
            "Hưng", "Phúc", "Toàn", "Nghĩa", "Ước")
_GIVEN_F = ("Lan", "Hà", "Mai", "Hạnh", "Yến", "Ngọc", "Thủy", "Oanh", "Xuân", "Ánh", "Ư", "Ếch", "Hằng", "Liên",
            "Nhung", "Ẩn")
_OCCUPATIONS = ("nông dân", "giáo viên", "hưu trí", "kinh doanh", "công nhân", "y sĩ", "kế toán", "bộ đội xuất ngũ",
                "viên chức", "nội trợ", "lái xe", "buôn bán")
_ETHNIC = ("Kinh",) * 8 + ("Tày", "Mường", "Thái", "Nùng")
DEMO_SIZE = 35
# The secretary and deputy are long-standing members, as they are in real cells.
_LEADERS = (
    ("Lê Văn Sơn", Sex.MALE, "Bí thư chi bộ", dt.date(1966, 5, 12), dt.date(1990, 3, 15)),
    ("Nguyễn Thị Ngọc Ánh", Sex.FEMALE, "Phó bí thư chi bộ", dt.date(1979, 6, 20), dt.date(2007, 3, 23)),
)


def demo_cell() -> CellInfo:
    return CellInfo(
        name="Chi bộ thôn Đông", superior_name="Đảng bộ xã Hòa Bình", superior_level="Đảng ủy xã",
        cell_level=CellLevel.SUBORDINATE, place_name="Hòa Bình", term_label="2025–2030",
        term_start=dt.date(2025, 8, 15), secretary_name="Lê Văn Sơn", deputy_name="Nguyễn Thị Ngọc Ánh",
        code="38.168.053.000.001",
    )


def _member(rng: random.Random, index: int, today: dt.date) -> Member:
    female = rng.random() < 0.45
    family = rng.choice(_FAMILY)
    middle = rng.choice(_MIDDLE_F if female else _MIDDLE_M)
    given = rng.choice([g for g in (_GIVEN_F if female else _GIVEN_M) if g not in middle])
    birth = dt.date(rng.randint(1942, 2001), rng.randint(1, 12), rng.randint(1, 28))
    # An offset of its own (not drawn from rng) keeps the rest of the demo as it was.
    admitted = birth.replace(year=birth.year + rng.randint(19, 40)) + dt.timedelta(days=(index * 37) % 300)
    if admitted > today - dt.timedelta(days=60):
        admitted = today - dt.timedelta(days=rng.randint(60, 300))
    ceremony = admitted + dt.timedelta(days=rng.randint(5, 25))
    official = ceremony.replace(year=ceremony.year + 1) if ceremony.replace(year=ceremony.year + 1) <= today else None
    return Member(
        full_name=f"{family} {middle} {given}", sex=Sex.FEMALE if female else Sex.MALE, birth_date=birth,
        ethnicity=rng.choice(_ETHNIC), religion="Không", home_town="xã Hòa Bình",
        residence="thôn Đông, xã Hòa Bình", occupation=rng.choice(_OCCUPATIONS),
        education=rng.choice(("9/12", "12/12", "12/12", "Đại học")),
        political_theory=rng.choice(("Sơ cấp", "Sơ cấp", "Trung cấp", "")),
        admission_date=admitted, ceremony_date=ceremony, official_date=official,
        card_number=str(10_000_000 + index * 7919 % 89_999_999), phone=f"09{rng.randint(10_000_000, 99_999_999)}",
    )


def _later_events(rng: random.Random, member: Member, index: int, today: dt.date) -> list[StatusChange]:
    """A few members left, died, were exempted or came temporarily, so the roster has a history."""
    start = max(member.official_date or member.ceremony_date, today - dt.timedelta(days=3 * 365))
    when = start + dt.timedelta(days=rng.randint(30, max(31, (today - start).days - 1)))
    when = min(when, today)
    events = {
        5: (MemberStatus.EXEMPT, "Tuổi cao, sức yếu; chi bộ đồng ý miễn công tác và sinh hoạt"),
        11: (MemberStatus.TRANSFERRED_OUT, "Chuyển sinh hoạt chính thức về Đảng bộ phường Tân An"),
        17: (MemberStatus.DECEASED, "Từ trần"),
        23: (MemberStatus.EXEMPT, "Điều trị bệnh dài ngày"),
        29: (MemberStatus.TEMPORARY, "Sinh hoạt tạm thời, đi làm ăn xa 8 tháng"),
    }
    if index in events and member.official_date:
        status, reason = events[index]
        return [StatusChange(status, when, reason, scope="trong_tinh" if index == 11 else "")]
    return []


def refuse_unless_new() -> None:
    """The demo is made only in a new file: one that already holds a cell or members is left exactly as it is."""
    existing = cell_service.get_cell()
    if existing is not None:
        raise ServiceError(_("Tệp dữ liệu này đã có «{cell}»; chi bộ mẫu chỉ được tạo trong một tệp mới, "
                             "tệp này được giữ nguyên.").format(cell=existing.name))
    _refuse_members()


def _refuse_members() -> None:
    if MemberRow.select().exists():
        raise ServiceError(_("Tệp dữ liệu này đã có đảng viên; chi bộ mẫu chỉ được tạo trong một tệp mới, "
                             "tệp này được giữ nguyên."))


def build_demo(today: dt.date | None = None) -> int:
    """Fill a database without members with the demo cell (its cell details replace any already saved).

    The command line calls refuse_unless_new first, so a real cell is never overwritten there.
    """
    today = today or dt.date.today()
    _refuse_members()
    rng = random.Random(20260203)
    with database.atomic():
        cell_service.save_cell(demo_cell(), today)
        for index in range(DEMO_SIZE):
            member = _member(rng, index, today)
            if index < len(_LEADERS):
                member.full_name, member.sex, member.party_post, member.birth_date, admitted = _LEADERS[index]
                member.admission_date, member.ceremony_date = admitted, admitted + dt.timedelta(days=14)
                member.official_date = member.ceremony_date.replace(year=member.ceremony_date.year + 1)
            member = member.normalized()
            member.occupation_group = stat_codes.classify(stat_codes.OCCUPATION_GROUPS, member.occupation)
            if member.birth_date and years_between(member.birth_date, today) <= 30:
                member.youth_union = True
            history = initial_history(member, today) + _later_events(rng, member, index, today)
            member_service.insert_member(member, today, history)
        # A year of meetings and two years of fees, so every page of the window has something to show.
        demo_meetings.build(today)
        demo_fees.build(today)
        # Tasks from the meetings, last year's review finished and this year's under way.
        demo_review.build(today)
        # Badges, cards and a reward, so the statistics forms have them.
        demo_statistics.build(today)
    return DEMO_SIZE
