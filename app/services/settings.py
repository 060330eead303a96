"""Settings kept with the cell's data (JSON values with defaults), read and written by key."""
from __future__ import annotations

import json

from app.i18n import _
from app.services.errors import ServiceError
from app.storage import audit
from app.storage.models import Setting, database

# Every setting, its default and the type a stored value must have.
DEFAULTS: dict[str, object] = {
    "backup.keep_daily": 7,
    "backup.keep_weekly": 4,
    "backup.keep_monthly": 12,
    "backup.folder": "",
    "backup.second_folder": "",
    "lock.idle_minutes": 10,
    # Cỡ chữ of the window, in percent of the normal size.
    "ui.text_scale": 100,
}

TEXT_SCALES = (100, 125, 150, 175)

LABELS = {
    "backup.keep_daily": lambda: _("Số bản sao lưu hằng ngày giữ lại"),
    "backup.keep_weekly": lambda: _("Số bản sao lưu hằng tuần giữ lại"),
    "backup.keep_monthly": lambda: _("Số bản sao lưu hằng tháng giữ lại"),
    "backup.folder": lambda: _("Thư mục sao lưu (để trống: thư mục dữ liệu)"),
    "backup.second_folder": lambda: _("Thư mục sao lưu thứ hai (ví dụ USB)"),
    "lock.idle_minutes": lambda: _("Khóa cửa sổ sau số phút không dùng (khi đã mã hóa)"),
    "ui.text_scale": lambda: _("Cỡ chữ của cửa sổ (%)"),
}


# Areas that add settings when imported; loaded before any lookup so every setting is always known.
_AREAS = ("app.services.meetings", "app.services.fees", "app.services.keys")


# key -> check(value) returning a Vietnamese reason, or "" when the value is acceptable.
def _folder_problem(value: str) -> str:
    """A backup folder may be missing (a USB stick not plugged in now), but not a file."""
    from pathlib import Path

    if value and Path(value).exists() and not Path(value).is_dir():
        return _("{path} là một tệp, không phải thư mục; hãy chọn một thư mục.").format(path=value)
    return ""


VALIDATORS: dict[str, object] = {
    "ui.text_scale": lambda value: "" if value in TEXT_SCALES else _("chỉ chọn được {choices}.").format(
        choices=", ".join(str(v) for v in TEXT_SCALES)),
    "backup.folder": _folder_problem,
    "backup.second_folder": _folder_problem,
}


def load_areas() -> None:
    """Import the areas that add settings (meetings, fees), so every setting and its check is known."""
    import importlib

    for name in _AREAS:
        module = importlib.import_module(name)
        VALIDATORS.update(getattr(module, "SETTING_VALIDATORS", {}))


_load_areas = load_areas  # its older name


def register(defaults: dict[str, object], labels: dict[str, object]) -> None:
    """Another area (meetings, fees) adds its settings, each with a default and a label."""
    DEFAULTS.update(defaults)
    LABELS.update(labels)


def _known(key: str) -> None:
    if key not in DEFAULTS:
        load_areas()
    if key not in DEFAULTS:
        raise ServiceError(_("Không có thiết lập «{key}».").format(key=key))


def get(key: str) -> object:
    _known(key)
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        return DEFAULTS[key]
    try:
        value = json.loads(row.value)
    except (TypeError, ValueError, RecursionError):
        return DEFAULTS[key]
    # Only the type is checked here: an area reads its own out-of-range values as it sees fit (fees).
    return value if isinstance(value, type(DEFAULTS[key])) else DEFAULTS[key]


def all_settings() -> dict[str, object]:
    load_areas()
    return {key: get(key) for key in DEFAULTS}


# Every whole-number setting (counts of copies, minutes, percents) lies in this range.
INT_RANGE = (0, 1000)


def value_problem(key: str, value: object) -> str:
    """Why a value cannot be the setting's (a Vietnamese reason), or "" when it can: the one check that both
    set_value and a restored file's settings pass through (restore_checks)."""
    load_areas()
    if key not in DEFAULTS:
        return _("chương trình không có thiết lập này")
    if type(value) is not type(DEFAULTS[key]):
        shown = str(value)
        return _("«{value}» không đúng kiểu").format(value=shown if len(shown) <= 40 else shown[:40] + "…")
    low, high = INT_RANGE
    if isinstance(value, int) and not low <= value <= high:
        return _("{value} nằm ngoài khoảng {low}–{high}.").format(value=value, low=low, high=high)
    check = VALIDATORS.get(key)
    return check(value) if check else ""


def parse_value(key: str, text: str) -> object:
    """A typed value from what the user typed, or a message naming the setting (its checks: value_problem)."""
    _known(key)
    if isinstance(DEFAULTS[key], int):
        try:
            return int(str(text).strip())
        except ValueError:
            raise ServiceError(_("{label}: «{value}» phải là một số nguyên.").format(
                label=LABELS[key](), value=text)) from None
    return str(text).strip()


def set_value(key: str, value: object) -> None:
    _known(key)
    value = parse_value(key, value) if isinstance(value, str) else value
    problem = value_problem(key, value)
    if problem:
        raise ServiceError(_("{label}: {problem}").format(label=LABELS[key](), problem=problem))
    old = get(key)
    if old == value:
        return
    with database.atomic():
        Setting.insert(key=key, value=json.dumps(value, ensure_ascii=False)).on_conflict_replace().execute()
        audit.record("setting", None, "update", {key: [old, value]})
