"""Pieces every area of the command line shares: errors, option parsing, JSON output."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from app.domain import names
from app.domain.dates import DateParseError, parse_date
from app.i18n import _


class UsageError(Exception):
    """A command-line value that cannot be read; the message names the option."""


def read_passphrase(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(_("không đọc được tệp mật khẩu {file}.").format(file=path)) from exc
    return names.normalize_text(text.splitlines()[0] if text.splitlines() else "")


def date_option(value: str | None, option: str) -> dt.date | None:
    try:
        return parse_date(value)
    except DateParseError:
        raise UsageError(_("{option}: «{value}» không phải ngày hợp lệ (dd/mm/yyyy).").format(
            option=option, value=value)) from None


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


