"""What the minutes and the resolution of a meeting print, and the sentences both of them share."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.meetings import AttendanceCounts, Meeting, MeetingKind, VoteResult
from app.reports import party
from app.reports.base import PartyHeader

MINUTES, RESOLUTION = "minutes", "resolution"


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
    # Nhiệm vụ kỳ trước confirmed at this meeting: "Đồng chí X: task (hạn tháng 11/2026): result".
    task_results: tuple[str, ...] = ()


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
    excused = "; ".join(f"đồng chí {name}: {reason.strip().rstrip('.')}" if reason else f"đồng chí {name}"
                        for name, reason in c.excused_names)
    lines.append(f"+ Có lý do: {_comrades(c.excused)}" + (f" ({excused})." if excused else "."))
    absent = "; ".join(f"đồng chí {name}" for name in c.absent_names)
    lines.append(f"+ Không có lý do: {_comrades(c.absent)}" + (f" ({absent})." if absent else "."))
    if c.unmarked:
        lines.append(f"+ Chưa điểm danh: {_comrades(c.unmarked)} ({'; '.join(c.unmarked_names)}).")
    if c.rate_percent is not None:
        lines.append(f"- Tỷ lệ đảng viên dự sinh hoạt: {party.percent_text(c.present, c.rate_base)}.")
    return lines


def sentence(text: str) -> str:
    """Typed text closed by one full stop: never "..", and nothing added after "?", "!", "…" or ":"."""
    text = party.nfc(text).strip()
    return text if not text or text[-1] in ".!?…:;" else text + "."


def vote_sentence(vote: VoteResult, subject: str, day: dt.date | None = None) -> str:
    """The vote as minutes and resolutions write it, the share over the official members entitled to
    vote (R4, R6: not over those present); blanks to fill by hand when it was not recorded."""
    at = f" tại kỳ sinh hoạt ngày {day:%d/%m/%Y}" if day else ""
    if not vote.recorded:
        return (f"{subject} được chi bộ thảo luận và biểu quyết{at}: tán thành …… đồng chí; "
                f"không tán thành …… đồng chí; ý kiến khác …… đồng chí.")
    share = party.percent_text(vote.votes_for or 0, vote.eligible)
    passed = " thông qua" if vote.passed else ""
    tail = "" if vote.passed else "; chưa quá một nửa số đảng viên chính thức tán thành"
    return (f"{subject} được chi bộ thảo luận và biểu quyết{passed}{at}, với {vote.votes_for}/{vote.eligible} "
            f"đồng chí đảng viên chính thức tán thành, đạt tỷ lệ {share}; không tán thành "
            f"{_comrades(vote.votes_against or 0)}; ý kiến khác {_comrades(vote.votes_other or 0)}{tail}.")


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
    return sentence(f"- Chủ trì: đồng chí {p.chair_name}{post}")


def minute_taker_text(p: MeetingPrint) -> str:
    if not p.minute_taker_name:
        return "- Thư ký (người ghi biên bản): đồng chí ……………………………"
    return f"- Thư ký (người ghi biên bản): đồng chí {p.minute_taker_name}."


# --- the sections of the body -------------------------------------------------------------------

@dataclass(frozen=True)
class Section:
    """One typed part of a meeting as a form prints it; a required one prints dotted lines when empty."""

    field: str
    heading: str
    text: str
    required: bool


# The sections each kind of meeting has by guidance (DOMAIN §3.4, FORMS §2.2, §3.2); any other section
# that was typed prints too, in its place, so nothing typed is ever left off a paper.
_REQUIRED = {
    MINUTES: {
        MeetingKind.REGULAR: {"assessment", "next_tasks", "assignments", "discussion", "self_assessment"},
        MeetingKind.THEMATIC: {"thematic_content", "discussion", "self_assessment"},
        MeetingKind.COMBINED: {"assessment", "next_tasks", "assignments", "thematic_content", "discussion",
                               "self_assessment"},
        MeetingKind.EXTRAORDINARY: {"assessment", "discussion"},
    },
    RESOLUTION: {
        MeetingKind.REGULAR: {"assessment", "next_tasks", "assignments"},
        MeetingKind.THEMATIC: {"thematic_content", "conclusions", "assignments"},
        MeetingKind.COMBINED: {"assessment", "next_tasks", "thematic_content", "assignments"},
        MeetingKind.EXTRAORDINARY: {"assessment", "conclusions"},
    },
}
# Minutes record the meeting in the order it ran (42-HD: the regular part, then the thematic one), their
# conclusions making part III; a resolution puts the decisions in the order of FORMS §3.2, the chi bộ's
# conclusions before the organising of the work.
_ORDER = {
    MINUTES: ("assessment", "next_tasks", "assignments", "thematic_content", "discussion", "self_assessment"),
    RESOLUTION: ("assessment", "next_tasks", "thematic_content", "conclusions", "assignments", "self_assessment"),
}
_THEMATIC_FIRST = ("assessment", "next_tasks", "thematic_content", "assignments", "discussion", "self_assessment")


def _heading(form: str, field: str, m: Meeting) -> str:
    """A section's heading: the minutes' in sentence case, the resolution's in capitals (FORMS §2.2, §3.2)."""
    reviewed = party.month_year(m.reviewed_month.year, m.reviewed_month.month)
    planned = party.month_year(m.tasks_for.year, m.tasks_for.month)
    minutes, resolution = {
        "assessment": (f"Đánh giá kết quả thực hiện nhiệm vụ {reviewed}", f"ĐÁNH GIÁ KẾT QUẢ LÃNH ĐẠO {reviewed}"),
        "next_tasks": (f"Phương hướng, nhiệm vụ {planned}", f"PHƯƠNG HƯỚNG, NHIỆM VỤ {planned}"),
        "assignments": ("Phân công tổ chức thực hiện", "TỔ CHỨC THỰC HIỆN"),
        "thematic_content": (f"Sinh hoạt chuyên đề: {m.topic}" if m.topic else "Sinh hoạt chuyên đề",
                             "NỘI DUNG CHUYÊN ĐỀ"),
        "discussion": ("Ý kiến thảo luận của đảng viên", ""),
        "self_assessment": ("Tự đánh giá chất lượng kỳ sinh hoạt", "TỰ ĐÁNH GIÁ CHẤT LƯỢNG KỲ SINH HOẠT"),
        "conclusions": ("", "KẾT LUẬN"),
    }[field]
    if field == "assessment" and m.kind is MeetingKind.EXTRAORDINARY:
        minutes, resolution = "Nội dung sinh hoạt", "NỘI DUNG SINH HOẠT"
    return minutes if form == MINUTES else party.upper(resolution)


def sections(form: str, m: Meeting) -> list[Section]:
    """The numbered body sections of the minutes or the resolution of one meeting, in print order:
    those the kind requires (empty ones as dotted lines) and every other one that was typed."""
    required = _REQUIRED[form][m.kind]
    order = _ORDER[form]
    if form == MINUTES and not m.kind.is_regular:
        order = _THEMATIC_FIRST
    result = []
    for field in order:
        text = getattr(m, field)
        if field in required or text.strip():
            result.append(Section(field, _heading(form, field, m), text, field in required))
    return result


def empty_sections(form: str, m: Meeting) -> list[str]:
    """The fields a form prints as dotted lines (required but not typed), in print order."""
    empty = [s.field for s in sections(form, m) if not s.text.strip()]
    if form == MINUTES:
        # The agenda opens part II and the conclusions make part III of every minute.
        empty = (["agenda"] if not m.agenda.strip() else []) + empty
        empty += ["conclusions"] if not m.conclusions.strip() else []
    return empty


def resolution_summary(m: Meeting) -> str:
    """The resolution's summary line (trích yếu), also written in the register of documents."""
    planned = m.tasks_for
    if m.kind in (MeetingKind.THEMATIC, MeetingKind.EXTRAORDINARY) and m.topic:
        return f"về {party.lower_first(m.topic)}"
    if m.kind is MeetingKind.THEMATIC:
        return "sinh hoạt chuyên đề"
    if m.kind is MeetingKind.EXTRAORDINARY:
        return f"kỳ sinh hoạt bất thường ngày {m.date:%d/%m/%Y}"
    return f"lãnh đạo thực hiện nhiệm vụ {party.month_year(planned.year, planned.month)}"


def document_summary(form: str, m: Meeting) -> str:
    """Trích yếu as the register of documents writes it (the kind has its own column)."""
    if form == RESOLUTION:
        text = resolution_summary(m)
    else:
        topic = f": {m.topic}" if m.kind.is_thematic and m.topic else ""
        text = f"{kind_phrase(m.kind)} {party.month_year(m.date.year, m.date.month)}{topic}"
    return text[:1].upper() + text[1:]
