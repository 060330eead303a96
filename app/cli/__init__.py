"""The `chibo` command line: the same services as the window, without Qt; every listing can print JSON.

Each area of the program registers its commands from its own module here.
"""
from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import traceback
from pathlib import Path

from app import paths
from app.cli.common import Parser, UsageError, read_passphrase
from app.i18n import _
from app.services import failures
from app.services.errors import ValidationFailed
from app.storage.db import DatabaseError, FileInUse, ReadOnlyFile, open_database

# Commands that may create the data file; every other one needs an existing cell's file.
CREATING_COMMANDS = ("init", "demo", "superior")
# Commands that make sense on a file without a cell (checking, backing up, restoring it).
CELLLESS_COMMANDS = ("check-db", "backup", "restore", "history", "settings", "encrypt", "rekey", "decrypt")


def areas() -> list:
    """Every module of this package with a register(sub) function: one per area of the program."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            found.append(module)
    return found


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="chibo", description=_("Sổ tay của bí thư chi bộ."))
    parser.add_argument("--db", type=Path, help=_("tệp dữ liệu (mặc định: trong thư mục dữ liệu của người dùng)"))
    parser.add_argument("--lang", default="vi", help=_("ngôn ngữ giao diện (vi, en)"))
    parser.add_argument("--passphrase-file", dest="open_passphrase_file", type=Path,
                        help=_("tệp chứa mật khẩu, khi dữ liệu đã được mã hóa"))
    sub = parser.add_subparsers(dest="command", metavar=_("LỆNH"))
    for area in areas():
        area.register(sub)
    return parser


def quiet_broken_pipe() -> None:
    """`chibo … | head` should end quietly, as other command-line tools do."""
    import signal

    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)


def main(argv: list[str] | None = None) -> int:
    quiet_broken_pipe()
    args = build_parser().parse_args(argv)
    if args.command is None:
        print(_("Hãy chọn một lệnh (chibo --help), hoặc chạy «chibo» để mở cửa sổ."), file=sys.stderr)
        return 2
    return run(args)


def run(args: argparse.Namespace) -> int:
    """Run one parsed command; errors become a Vietnamese message on stderr and a non-zero exit."""
    from app.i18n import set_language

    set_language(args.lang)
    if args.lang not in ("vi", *(p.stem for p in paths.i18n_dir().glob("*.po"))):
        print(_("Lưu ý: chưa có bản dịch «{lang}», dùng tiếng Việt.").format(lang=args.lang), file=sys.stderr)
    path = Path(args.db or paths.default_db_path())
    creates = args.command in CREATING_COMMANDS
    new_file = not path.exists()
    try:
        if not creates and (new_file or (path.is_file() and path.stat().st_size == 0)):
            # A mistyped --db must not quietly become a new, empty cell.
            raise UsageError(_("không có dữ liệu chi bộ ở {path}; tạo bằng «chibo init» hoặc «chibo demo», "
                               "hoặc kiểm tra lại đường dẫn --db.").format(path=path))
        passphrase = read_passphrase(args.open_passphrase_file) if args.open_passphrase_file else None
        try:
            open_database(path, passphrase, role=f"command {args.command}")
        except (FileInUse, ReadOnlyFile):
            raise
        except DatabaseError as exc:
            if args.command != "restore":
                raise
            # A file that does not open at all can still be replaced by a backup: the one way back from it.
            from app.cli.safety import restore_unopenable

            return restore_unopenable(args, path, passphrase, exc)
        from app.services.safety import tidy_after_start

        tidy_after_start()
        if not creates and args.command not in CELLLESS_COMMANDS:
            from app.services.cell import get_cell

            if get_cell() is None:
                raise UsageError(_("tệp dữ liệu này chưa có chi bộ; chạy «chibo init» trước."))
        return args.handler(args) or 0
    except ValidationFailed as exc:
        for issue in exc.issues:
            print(_("Lỗi: {issue}").format(issue=issue), file=sys.stderr)
    except KeyboardInterrupt:
        # Ctrl+C: the transaction under way is rolled back and a file being written is never swapped in.
        print(_("Đã dừng theo yêu cầu (Ctrl+C); việc đang làm dở không được ghi."), file=sys.stderr)
        if creates and new_file:
            _remove_new_file(path)
        return 130
    except Exception as exc:  # noqa: BLE001 - every failure is a message, never a traceback
        print(_("Lỗi: {error}").format(error=failure_text(exc)), file=sys.stderr)
        if os.environ.get("CHIBO_DEBUG"):
            traceback.print_exception(exc, file=sys.stderr)
    if creates and new_file:
        _remove_new_file(path)
    return 1


def failure_text(exc: Exception) -> str:
    """A locked, full or read-only file, a pulled stick: what happened and what to do; a message written for
    the user as it is; anything else (a bug) in one line, its traceback shown with CHIBO_DEBUG=1."""
    text = str(exc) if isinstance(exc, UsageError) else failures.user_text(exc)
    if text is not None:
        return text
    return _("có lỗi không lường trước trong chương trình; dữ liệu đã lưu không bị thay đổi. Chạy lại với "
             "CHIBO_DEBUG=1 để xem chi tiết và gửi cho người phát triển. ({error})").format(
        error=traceback.format_exception_only(type(exc), exc)[-1].strip())


def _remove_new_file(path: Path) -> None:
    """An init or demo that failed leaves no half-made file behind."""
    from app.storage.db import close_database

    close_database()
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
