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
_AREAS = ("app.services.meetings", "app.services.fees")


# key -> check(value) returning a Vietnamese reason, or "" when the value is acceptable.
VALIDATORS: dict[str, object] = {
    "ui.text_scale": lambda value: "" if value in TEXT_SCALES else _("chỉ chọn được {choices}.").format(
        choices=", ".join(str(v) for v in TEXT_SCALES)),
}


def _load_areas() -> None:
    import importlib

    for name in _AREAS:
        module = importlib.import_module(name)
        VALIDATORS.update(getattr(module, "SETTING_VALIDATORS", {}))


def register(defaults: dict[str, object], labels: dict[str, object]) -> None:
    """Another area (meetings, fees) adds its settings, each with a default and a label."""
    DEFAULTS.update(defaults)
    LABELS.update(labels)


def get(key: str) -> object:
    if key not in DEFAULTS:
        _load_areas()
    if key not in DEFAULTS:
        raise ServiceError(_("Không có thiết lập «{key}».").format(key=key))
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        return DEFAULTS[key]
    try:
        value = json.loads(row.value)
    except ValueError:
        return DEFAULTS[key]
    return value if isinstance(value, type(DEFAULTS[key])) else DEFAULTS[key]


def all_settings() -> dict[str, object]:
    _load_areas()
    return {key: get(key) for key in DEFAULTS}


def parse_value(key: str, text: str) -> object:
    """A typed value from what the user typed, or a message naming the setting."""
    if key not in DEFAULTS:
        _load_areas()
    if key not in DEFAULTS:
        raise ServiceError(_("Không có thiết lập «{key}».").format(key=key))
    default = DEFAULTS[key]
    if isinstance(default, int):
        try:
            value = int(str(text).strip())
        except ValueError:
            raise ServiceError(_("{label}: «{value}» phải là một số nguyên.").format(
                label=LABELS[key](), value=text)) from None
        if not 0 <= value <= 1000:
            raise ServiceError(_("{label}: {value} nằm ngoài khoảng 0–1000.").format(label=LABELS[key](), value=value))
        return value
    return str(text).strip()


def set_value(key: str, value: object) -> None:
    # Every area's checks are known before any value is taken (a typed int skips parse_value's loading).
    _load_areas()
    if key not in DEFAULTS:
        raise ServiceError(_("Không có thiết lập «{key}».").format(key=key))
    value = parse_value(key, value) if isinstance(value, str) else value
    if not isinstance(value, type(DEFAULTS[key])):
        raise ServiceError(_("Giá trị không hợp lệ cho «{key}».").format(key=key))
    problem = VALIDATORS[key](value) if key in VALIDATORS else ""
    if problem:
        raise ServiceError(_("{label}: {problem}").format(label=LABELS[key](), problem=problem))
    old = get(key)
    if old == value:
        return
    with database.atomic():
        Setting.insert(key=key, value=json.dumps(value, ensure_ascii=False)).on_conflict_replace().execute()
        audit.record("setting", None, "update", {key: [old, value]})
