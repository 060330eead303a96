"""Pieces every area of the command line shares: errors, option parsing, JSON output."""
from __future__ import annotations

import argparse
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




# argparse speaks English; these are its messages a secretary meets, said again in Vietnamese.
_ARGPARSE_MESSAGES = (
    (r"the following arguments are required: (.*)", lambda: _("thiếu tham số bắt buộc: {0}")),
    (r"argument (\S+): invalid int value: '(.*)'", lambda: _("{0}: «{1}» không phải số nguyên")),
    (r"argument (\S+): invalid choice: '?(.*?)'? \(choose from (.*)\)", lambda: _("{0}: «{1}» không có; chọn một trong: {2}")),
    (r"argument (\S+): expected one argument", lambda: _("{0}: thiếu giá trị")),
    (r"unrecognized arguments: (.*)", lambda: _("không hiểu: {0}")),
    (r"invalid choice: '?(.*?)'? \(choose from (.*)\)", lambda: _("«{0}» không có; chọn một trong: {1}")),
)
_HEADINGS = (("usage:", lambda: _("Cách dùng:")), ("positional arguments:", lambda: _("tham số:")),
             ("options:", lambda: _("tùy chọn:")))


def translate_argparse(message: str) -> str:
    import re

    for pattern, text in _ARGPARSE_MESSAGES:
        match = re.fullmatch(pattern, message)
        if match:
            return text().format(*match.groups())
    return message


class Parser(argparse.ArgumentParser):
    """argparse with its messages, headings and -h in Vietnamese; sub-commands inherit it."""

    def __init__(self, *args, **kwargs):
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help=_("xem hướng dẫn này"))

    def _vietnamese(self, text: str) -> str:
        for english, vietnamese in _HEADINGS:
            text = text.replace(english, vietnamese())
        return text

    def format_usage(self) -> str:
        return self._vietnamese(super().format_usage())

    def format_help(self) -> str:
        return self._vietnamese(super().format_help())

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, _("Lỗi: {error}\n").format(error=translate_argparse(message)))
