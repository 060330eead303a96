"""What a file offered for restore must mean, beyond SQLite's integrity: known values, real dates, whole links.

SQLite's integrity_check says the pages are sound; it cannot say that a status is one the program knows.
A hand-edited file (PRAGMA ignore_check_constraints, or a column our schema leaves free) can pass it and
still break every screen that reads the row, so each row is read here against the domain's own values.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata

from app.domain import months
from app.domain.cell import CellLevel
from app.domain.fee_rules import RuleKey
from app.domain.fees import Channel, FeeCategory, ReliefKind
from app.domain.meetings import Mark, MeetingKind, TimeParseError, parse_time
from app.domain.members import MemberStatus, Sex
from app.i18n import _
from app.services import history_check, settings
from app.services.errors import ServiceError


def _values(kind, without=()) -> frozenset[str]:
    return frozenset(item.value for item in kind if item not in without)


# (table, column) -> the values the program knows; any other breaks the pages that read the row.
KNOWN_VALUES: dict[tuple[str, str], frozenset[str]] = {
    ("cell", "cell_level"): _values(CellLevel),
    ("member", "sex"): _values(Sex),
    ("status_change", "status"): _values(MemberStatus),
    ("meeting", "kind"): _values(MeetingKind),
    ("attendance", "mark"): _values(Mark, without=(Mark.UNMARKED,)),  # UNMARKED is the absence of a row
    ("fee_profile", "category"): _values(FeeCategory),
    ("fee_relief", "kind"): _values(ReliefKind),
    ("fee_payment", "channel"): _values(Channel),
    ("fee_remittance", "channel"): _values(Channel),
    ("fee_rule_value", "key"): _values(RuleKey),
}
# Months are 'YYYY-MM' text (schema step 3): they must sort as they read.
MONTH_COLUMNS = frozenset({
    ("fee_profile", "effective_from"), ("fee_relief", "from_month"), ("fee_relief", "to_month"),
    ("fee_payment", "month_from"), ("fee_payment", "month_to"), ("fee_excuse", "month"),
    ("fee_remittance", "month"), ("fee_rule_value", "effective_from"), ("meeting", "task_month"),
})
TIME_COLUMNS = frozenset({("meeting", "start_time"), ("meeting", "end_time")})
JSON_OBJECT_COLUMNS = frozenset({("change_log", "changes"), ("fee_rule_value", "value")})

# Settings that describe this computer (its backup folders and how many copies they keep, its idle lock,
# its screen), not the cell: a restore never takes them from the offered file.
MACHINE_SETTING_PREFIXES = ("backup.", "lock.", "ui.")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# What peewee's DateTimeField writes and reads back: a date, with a time and microseconds if any.
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2}(\.\d{1,6})?)?")
_MONTH = re.compile(r"\d{4}-\d{2}")
# Declared column type -> the storage class every value must have (NULL aside).
_STORAGE = {"INTEGER": "integer", "TEXT": "text", "DATE": "text", "DATETIME": "text"}
_STORAGE_LABELS = {"integer": lambda: _("số nguyên"), "text": lambda: _("chữ"), "real": lambda: _("số thực"),
                   "blob": lambda: _("dữ liệu nhị phân")}
# How many problems a refusal lists; the rest are counted.
SHOWN_PROBLEMS = 8


class UnusableBackup(ServiceError):
    """The file is sound SQLite but holds rows the program cannot use; problems name table, row and field."""

    def __init__(self, file: str, problems: list[str]):
        super().__init__(_("Không khôi phục từ {file}: tệp không hỏng nhưng có dữ liệu chương trình không dùng được; "
                           "dữ liệu hiện tại giữ nguyên.\n{problems}").format(file=file, problems=listed(problems)))
        self.problems = problems


class OtherCellBackup(ServiceError):
    """The backup belongs to another cell; restoring it needs a confirmation that names both."""

    def __init__(self, here: str, there: str):
        super().__init__(_("Bản sao lưu này là của «{there}», không phải của chi bộ đang mở «{here}». Chỉ khôi phục "
                           "khi chắc chắn muốn thay dữ liệu của «{here}» bằng dữ liệu của «{there}».").format(
            here=here, there=there))
        self.here, self.there = here, there


def cell_key(name: str) -> str:
    """A cell's name as compared: NFC, casefolded, whitespace collapsed."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", name or "").casefold())
    return " ".join(folded.split())


def is_other_cell(here: str, there: str) -> bool:
    """Both cells named and the names differ; an empty side (a new file, a cell-less copy) is no other cell."""
    return bool(cell_key(here) and cell_key(there)) and cell_key(here) != cell_key(there)


def is_machine_setting(key: str) -> bool:
    return key.startswith(MACHINE_SETTING_PREFIXES)


def problems(conn) -> list[str]:
    """Everything in the file that the program could not use, each naming table, row and field (Vietnamese)."""
    found = []
    for table in _tables(conn):
        for column, declared in _columns(conn, table):
            found += _column_problems(conn, table, column, declared)
    found += _foreign_key_problems(conn)
    found += _setting_problems(conn)
    return found


def require_meaningful(conn, file: str) -> None:
    found = problems(conn)
    if found:
        raise UnusableBackup(file, found)


def _tables(conn) -> list[str]:
    return [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def _columns(conn, table: str) -> list[tuple[str, str]]:
    return [(row[1], (row[2] or "").upper()) for row in conn.execute(f"PRAGMA table_info({_ident(table)})")]


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _where(table: str, row: object, column: str | None = None) -> str:
    if column is None:
        return _("bảng {table}, dòng {row}").format(table=table, row=row)
    return _("bảng {table}, dòng {row}, cột {column}").format(table=table, row=row, column=column)


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _column_problems(conn, table: str, column: str, declared: str) -> list[str]:
    """A value of the wrong storage class (found by SQLite, fast), else one that fails the column's checks."""
    name, expected = _ident(column), _STORAGE.get(declared)
    found = []
    if expected:
        sql = f"SELECT rowid, {name}, typeof({name}) FROM {_ident(table)} WHERE typeof({name}) NOT IN ('null', '{expected}')"
        found += [f"{_where(table, rowid, column)}: {_storage_problem(value, storage, expected)}"
                  for rowid, value, storage in conn.execute(sql)]
    checks = _checks_for(table, column, declared)
    if checks:
        sql = f"SELECT rowid, {name} FROM {_ident(table)} WHERE {name} IS NOT NULL"
        if expected:
            sql += f" AND typeof({name}) = '{expected}'"
        for rowid, value in conn.execute(sql):
            problem = next((p for p in (check(value) for check in checks) if p), "")
            if problem:
                found.append(f"{_where(table, rowid, column)}: {problem}")
    return found


def _checks_for(table: str, column: str, declared: str) -> list:
    key = (table, column)
    checks = [_known_check(KNOWN_VALUES[key])] if key in KNOWN_VALUES else []
    checks += [check for wanted, check in ((declared == "DATE", _date_check), (declared == "DATETIME", _datetime_check),
                                           (key in MONTH_COLUMNS, _month_check), (key in TIME_COLUMNS, _time_check),
                                           (key in JSON_OBJECT_COLUMNS, _json_check)) if wanted]
    return checks


def _storage_problem(value, storage: str, expected: str) -> str:
    return _("kiểu {found} («{value}»), cần {expected}").format(
        found=_STORAGE_LABELS[storage](), value=_shown(value), expected=_STORAGE_LABELS[expected]())


def _known_check(known: frozenset[str]):
    def check(value) -> str:
        if value in known:
            return ""
        return _("giá trị «{value}» không thuộc các giá trị chương trình biết ({known})").format(
            value=_shown(value), known=", ".join(sorted(known)))
    return check


def _parses(pattern: re.Pattern, value: str, parse) -> bool:
    if not pattern.fullmatch(value):
        return False
    try:
        parse(value)
    except ValueError:
        return False
    return True


def _date_check(value) -> str:
    return "" if _parses(_DATE, value, dt.date.fromisoformat) else _("«{value}» không phải ngày (YYYY-MM-DD)").format(
        value=_shown(value))


def _datetime_check(value) -> str:
    if _parses(_DATETIME, value, dt.datetime.fromisoformat):
        return ""
    return _("«{value}» không phải thời điểm (YYYY-MM-DD HH:MM:SS)").format(value=_shown(value))


def _month_check(value) -> str:
    return "" if _parses(_MONTH, value, months.parse_month) else _("«{value}» không phải tháng (YYYY-MM)").format(
        value=_shown(value))


def _time_check(value) -> str:
    try:
        parse_time(value)
    except TimeParseError:
        return _("«{value}» không phải giờ (HH:MM)").format(value=_shown(value))
    return ""


def _json_check(value) -> str:
    try:
        if isinstance(json.loads(value), dict):
            return ""
    except (ValueError, RecursionError):
        pass  # not JSON, or nested too deeply to read
    return _("«{value}» không phải dữ liệu JSON chương trình ghi").format(value=_shown(value))


def _foreign_key_problems(conn) -> list[str]:
    return [_("{where}: trỏ tới một dòng không có trong bảng {parent}").format(where=_where(table, rowid), parent=parent)
            for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check")]


def _setting_problems(conn) -> list[str]:
    found = []
    for key, text in conn.execute("SELECT key, value FROM setting ORDER BY key"):
        if is_machine_setting(key):
            continue  # replaced by this machine's own value before the swap
        problem = _setting_problem(key, text)
        if problem:
            found.append(_("bảng setting, thiết lập «{key}»: {problem}").format(key=key, problem=problem))
    return found


def _setting_problem(key: str, text: str) -> str:
    """The same check as settings.set_value's (settings.value_problem), on the stored JSON text."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError, RecursionError):
        return _("«{value}» không đọc được").format(value=_shown(text))
    return settings.value_problem(key, value)


class HistoryDisagrees(ServiceError):
    """The offered file's rows and its change history disagree (or the history is broken): it may have been
    edited by hand. Restoring it anyway needs a confirmation; problems are the findings' messages."""

    def __init__(self, file: str, problems: list[str]):
        super().__init__(_("Bản sao lưu {file} có dữ liệu không khớp với nhật ký thay đổi của chính nó (có thể đã bị "
                           "sửa bằng tay hoặc bị hỏng); dữ liệu hiện tại giữ nguyên.\n{problems}").format(
            file=file, problems=listed(problems)))
        self.file, self.problems = file, problems


def listed(problems: list[str]) -> str:
    """The first SHOWN_PROBLEMS problems as lines «- …», the rest counted."""
    shown = "\n".join(f"- {p}" for p in problems[:SHOWN_PROBLEMS])
    more = len(problems) - SHOWN_PROBLEMS
    if more > 0:
        shown += "\n" + _("… và {n} chỗ khác.").format(n=more)
    return shown


def require_history_agrees(file: str) -> None:
    """HistoryDisagrees unless the open (staged) file's history is whole and its rows agree with it."""
    result = history_check.verify()
    if not result["ok"]:
        raise HistoryDisagrees(file, [finding["message"] for finding in result["findings"]])
