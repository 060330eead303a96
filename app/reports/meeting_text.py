"""What the minutes and the resolution of a meeting print, and the sentences both of them share."""
from __future__ import annotations

from dataclasses import dataclass

from app.domain.meetings import AttendanceCounts, Meeting, MeetingKind, VoteResult
from app.reports import party
from app.reports.base import PartyHeader


@dataclass
class MeetingPrint:
    """A meeting with everything resolved to printable text: names, posts, counts, the vote."""

    header: PartyHeader
    meeting: Meeting
    cell_name: str
    counts: AttendanceCounts
    vote: VoteResult
    chair_name: str = ""
    chair_post: str = ""
    minute_taker_name: str = ""
    secretary_name: str = ""
    committee: str = ""


def kind_title(kind: MeetingKind) -> str:
    return {
        MeetingKind.REGULAR: "SINH HOẠT CHI BỘ THƯỜNG KỲ",
        MeetingKind.THEMATIC: "SINH HOẠT CHI BỘ CHUYÊN ĐỀ",
        MeetingKind.COMBINED: "SINH HOẠT CHI BỘ THƯỜNG KỲ KẾT HỢP CHUYÊN ĐỀ",
        MeetingKind.EXTRAORDINARY: "SINH HOẠT CHI BỘ BẤT THƯỜNG",
    }[kind]


def kind_phrase(kind: MeetingKind) -> str:
    return {
        MeetingKind.REGULAR: "sinh hoạt thường kỳ",
        MeetingKind.THEMATIC: "sinh hoạt chuyên đề",
        MeetingKind.COMBINED: "sinh hoạt thường kỳ kết hợp sinh hoạt chuyên đề",
        MeetingKind.EXTRAORDINARY: "sinh hoạt bất thường",
    }[kind]


def _comrades(count: int) -> str:
    return f"{count} đồng chí"


def attendance_lines(c: AttendanceCounts) -> list[str]:
    """The attendance block (FORMS §2.2 wording), each count computed; they add up as R4 says."""
    lines = [
        f"- Tổng số đảng viên của chi bộ: {_comrades(c.total)}; trong đó đảng viên chính thức "
        f"{_comrades(c.official)}, đảng viên dự bị {_comrades(c.probationary)}.",
        f"+ Số đảng viên được miễn công tác và sinh hoạt đảng: {_comrades(c.exempt)}"
        + (f", không dự sinh hoạt {_comrades(c.exempt_absent)}." if c.exempt else "."),
    ]
    if c.temporary:
        lines.append(f"+ Số đảng viên sinh hoạt tạm thời (không tính vào tổng số): {_comrades(c.temporary)}, "
                     f"có mặt {_comrades(c.temporary_present)}.")
    lines.append(f"- Số đảng viên có mặt: {_comrades(c.present)}; trong đó chính thức "
                 f"{_comrades(c.present_official)}, dự bị {_comrades(c.present_probationary)}.")
    lines.append(f"- Số đảng viên vắng mặt: {_comrades(c.away)}.")
    excused = "; ".join(f"đồng chí {name}: {reason}" if reason else f"đồng chí {name}"
                        for name, reason in c.excused_names)
    lines.append(f"+ Có lý do: {_comrades(c.excused)}" + (f" ({excused})." if excused else "."))
    absent = "; ".join(f"đồng chí {name}" for name in c.absent_names)
    lines.append(f"+ Không có lý do: {_comrades(c.absent)}" + (f" ({absent})." if absent else "."))
    if c.unmarked:
        lines.append(f"+ Chưa điểm danh: {_comrades(c.unmarked)} ({'; '.join(c.unmarked_names)}).")
    if c.rate_percent is not None:
        lines.append(f"- Tỷ lệ đảng viên dự sinh hoạt: {party.percent_text(c.present, c.rate_base)}.")
    return lines


def vote_sentence(vote: VoteResult, subject: str) -> str:
    """The vote as minutes and resolutions write it; blanks to fill by hand when it was not recorded."""
    if not vote.recorded:
        return (f"{subject} được chi bộ biểu quyết thông qua: tán thành …… đồng chí; "
                f"không tán thành …… đồng chí; ý kiến khác …… đồng chí.")
    share = party.percent_text(vote.votes_for or 0, vote.voters)
    return (f"{subject} được chi bộ biểu quyết thông qua với {vote.votes_for}/{vote.voters} đồng chí đảng viên "
            f"chính thức có mặt tán thành, đạt tỷ lệ {share}; không tán thành {_comrades(vote.votes_against or 0)}; "
            f"ý kiến khác {_comrades(vote.votes_other or 0)}.")


def duration_text(meeting: Meeting) -> str:
    minutes = meeting.duration_minutes
    return f"{minutes} phút" if minutes is not None else "…… phút"


def opening_sentence(p: MeetingPrint) -> str:
    m = p.meeting
    when = f"vào hồi {party.clock_text(m.start)}, {party.long_date(m.date)}" if m.start else party.long_date(m.date)
    place = f", tại {m.place}" if m.place else ""
    return (f"Hôm nay, {when}{place}, {p.cell_name} tổ chức {kind_phrase(m.kind)} "
            f"{party.month_year(m.date.year, m.date.month)}.")


def chair_text(p: MeetingPrint) -> str:
    if not p.chair_name:
        return "- Chủ trì: đồng chí ……………………………"
    post = f", {p.chair_post}" if p.chair_post else ""
    return f"- Chủ trì: đồng chí {p.chair_name}{post}."


def minute_taker_text(p: MeetingPrint) -> str:
    if not p.minute_taker_name:
        return "- Thư ký (người ghi biên bản): đồng chí ……………………………"
    return f"- Thư ký (người ghi biên bản): đồng chí {p.minute_taker_name}."
