"""Failures of the disk and the data file (locked, full, read-only, I/O errors, a USB stick pulled out),
each as one Vietnamese sentence that names the file when it is known and says what to do.

message_for(exc) returns None for anything else: a bug, or a ServiceError whose message is already
written for the secretary. The command line and the window both ask it first (app/cli, ui/ops.py).
"""
from __future__ import annotations

import errno
import sqlite3
from enum import Enum

from app.i18n import _


class Failure(Enum):
    LOCKED = "locked"
    FULL = "full"
    READ_ONLY = "read_only"
    NO_ACCESS = "no_access"
    IO = "io"
    GONE = "gone"
    CANT_OPEN = "cant_open"
    NOT_A_FOLDER = "not_a_folder"
    IS_A_FOLDER = "is_a_folder"
    CORRUPT = "corrupt"


def _errnos(*names: str) -> set[int]:
    # EDQUOT, ESTALE, … do not exist on every system.
    return {getattr(errno, name) for name in names if hasattr(errno, name)}


_BY_ERRNO = {
    **dict.fromkeys(_errnos("ENOSPC", "EDQUOT", "EFBIG"), Failure.FULL),
    **dict.fromkeys(_errnos("EROFS"), Failure.READ_ONLY),
    **dict.fromkeys(_errnos("EACCES", "EPERM"), Failure.NO_ACCESS),
    **dict.fromkeys(_errnos("EIO"), Failure.IO),
    # A stick pulled out: the path is gone (ENOENT), or the device under an open file is (ENODEV, ENXIO, ESTALE).
    **dict.fromkeys(_errnos("ENOENT", "ENODEV", "ENXIO", "ESTALE", "ENOMEDIUM"), Failure.GONE),
    **dict.fromkeys(_errnos("ENOTDIR", "EEXIST"), Failure.NOT_A_FOLDER),
    **dict.fromkeys(_errnos("EISDIR"), Failure.IS_A_FOLDER),
    **dict.fromkeys(_errnos("EBUSY", "ETXTBSY"), Failure.LOCKED),
}
# Windows system error codes (OSError.winerror), checked before errno, which Python maps only in part.
_BY_WINERROR = {
    2: Failure.GONE, 3: Failure.GONE, 15: Failure.GONE, 21: Failure.GONE, 55: Failure.GONE, 1167: Failure.GONE,
    5: Failure.NO_ACCESS, 19: Failure.READ_ONLY, 32: Failure.LOCKED, 33: Failure.LOCKED,
    39: Failure.FULL, 112: Failure.FULL, 23: Failure.IO, 483: Failure.IO, 1117: Failure.IO,
    80: Failure.NOT_A_FOLDER, 183: Failure.NOT_A_FOLDER, 267: Failure.NOT_A_FOLDER,
}
# SQLite's primary result codes (the part of sqlite_errorname after "SQLITE_": IOERR_WRITE → IOERR).
_BY_SQLITE_CODE = {
    "BUSY": Failure.LOCKED, "LOCKED": Failure.LOCKED, "FULL": Failure.FULL, "READONLY": Failure.READ_ONLY,
    "PERM": Failure.NO_ACCESS, "IOERR": Failure.IO, "CANTOPEN": Failure.CANT_OPEN, "CORRUPT": Failure.CORRUPT,
    "NOTADB": Failure.CORRUPT,
}
# peewee's own error types carry only SQLite's text.
_BY_SQLITE_TEXT = (
    ("database is locked", Failure.LOCKED), ("database table is locked", Failure.LOCKED),
    ("database or disk is full", Failure.FULL), ("readonly database", Failure.READ_ONLY),
    ("disk i/o error", Failure.IO), ("unable to open database file", Failure.CANT_OPEN),
    ("malformed", Failure.CORRUPT), ("file is not a database", Failure.CORRUPT),
)


def _chain(exc: BaseException):
    """exc, then what caused it or was being handled when it was raised, as Python prints them."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)


def _is_database_error(exc: BaseException) -> bool:
    """sqlite3's, sqlcipher3's and peewee's errors (not app.storage.db.DatabaseError, written for the user)."""
    return isinstance(exc, sqlite3.Error) or (
        type(exc).__module__.split(".")[0] in ("sqlite3", "sqlcipher3", "peewee", "playhouse")
        and any(c.__name__ == "DatabaseError" for c in type(exc).__mro__))


def classify(exc: BaseException) -> tuple[Failure, BaseException] | None:
    """The kind of failure somewhere in exc's chain, and the exception that says so; None if there is none."""
    for link in _chain(exc):
        if isinstance(link, OSError):
            kind = _BY_WINERROR.get(getattr(link, "winerror", None)) or _BY_ERRNO.get(link.errno)
        elif _is_database_error(link):
            kind = _sqlite_kind(link)
        else:
            # A message written for the user (storage.ReadOnlyFile) stands; one that only passes on the
            # failure's own English text («Không ghi được tệp X: No space left on device») is said again here.
            cause = link.__cause__ or (None if link.__suppress_context__ else link.__context__)
            if cause is None or _own_text(cause) not in str(link):
                return None
            continue
        if kind is not None:
            return kind, link
    return None


def _own_text(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


def _sqlite_kind(exc: BaseException) -> Failure | None:
    name = getattr(exc, "sqlite_errorname", None) or ""
    if name.startswith("SQLITE_"):
        kind = _BY_SQLITE_CODE.get(name.removeprefix("SQLITE_").split("_")[0])
        if kind is not None:
            return kind
    text = str(exc).lower()
    return next((kind for phrase, kind in _BY_SQLITE_TEXT if phrase in text), None)


def _file_named(exc: BaseException, link: BaseException) -> str | None:
    """The file the failure is about: the OSError's, else the open data file when the error came through
    the models bound to it (peewee). A bare sqlite3 error comes from a copy or a check, whose file is not known."""
    if isinstance(link, OSError):
        # A copy is written beside its target as NAME.tmp first (backup.make_backup, backup.copy_to): name the target.
        return str(link.filename).removesuffix(".tmp") if link.filename else None
    if any(type(e).__module__.split(".")[0] in ("peewee", "playhouse") for e in _chain(exc)):
        state = _open_state()
        return str(state.path) if state is not None else None
    return None


def _open_state():
    from app.storage import db as storage

    try:
        return storage.current()
    except storage.DatabaseError:
        return None


def message_for(exc: BaseException) -> str | None:
    """One sentence for the secretary about a failure of the disk or the data file; None for anything else."""
    found = classify(exc)
    if found is None:
        if isinstance(exc, OSError):
            return " ".join((_("Không ghi hoặc đọc được {file}: {error}.").format(
                file=exc.filename or _("tệp"), error=exc.strerror or exc), _("Dữ liệu đã lưu không bị thay đổi.")))
        return None
    kind, link = found
    file = _file_named(exc, link)
    state = _open_state()
    if kind is Failure.READ_ONLY and not isinstance(link, OSError) and getattr(state, "read_only", False):
        return _("Tệp dữ liệu {file} đang được mở ở chế độ chỉ đọc nên không ghi được thay đổi nào; dữ liệu đã lưu "
                 "không bị thay đổi. Muốn sửa, hãy mở lại tệp ở chế độ bình thường.").format(file=state.path)
    what, advice = _TEXTS[kind]()
    unchanged = "" if kind is Failure.CORRUPT else " " + _("Dữ liệu đã lưu không bị thay đổi.")
    return f"{what.format(file=file or _('tệp'))}{unchanged} {advice}"


# Each kind: what happened ({file} is the path, or «tệp» when it is not known), then what to do about it.
_TEXTS = {
    Failure.LOCKED: lambda: (
        _("Một chương trình khác đang giữ {file} (có thể chibo đang mở ở một cửa sổ khác) nên "
          "chưa ghi được."),
        _("Hãy đóng chương trình kia rồi thử lại.")),
    Failure.FULL: lambda: (
        _("Không ghi được {file}: ổ đĩa chứa nó đã hết chỗ trống (hoặc tệp đã đến cỡ lớn nhất "
          "cho phép)."),
        _("Hãy giải phóng chỗ trống (xóa bớt tệp không cần, dọn Thùng rác) rồi thử lại.")),
    Failure.READ_ONLY: lambda: (
        _("Không ghi được vào {file}: tệp hoặc thư mục chứa nó chỉ cho đọc (hoặc USB, thẻ "
          "nhớ đang gạt khóa chống ghi)."),
        _("Hãy bỏ chế độ chỉ đọc (hoặc gạt khóa USB), hoặc chọn một thư mục ghi được, "
          "rồi thử lại.")),
    Failure.NO_ACCESS: lambda: (
        _("Không có quyền ghi hoặc đọc {file} (hoặc tệp đang được mở trong chương trình "
          "khác, ví dụ Excel)."),
        _("Hãy đóng chương trình đang mở tệp, hoặc chọn một thư mục của mình (ví dụ Tài "
          "liệu), rồi thử lại.")),
    Failure.IO: lambda: (
        _("Không đọc, ghi được {file}: ổ đĩa hoặc USB chứa nó báo lỗi (USB có thể vừa bị rút ra "
          "hoặc cắm lỏng)."),
        _("Hãy cắm lại USB cho chắc rồi thử lại; nếu vẫn lỗi, ổ đĩa có thể đang hỏng: hãy sao lưu "
          "sang chỗ khác.")),
    Failure.GONE: lambda: (
        _("Không tìm thấy {file}: tệp hoặc thư mục đã bị xóa, đổi tên, hoặc USB, ổ đĩa chứa nó đã "
          "bị rút ra."),
        _("Hãy cắm lại USB hoặc chọn lại đúng chỗ, rồi thử lại.")),
    Failure.CANT_OPEN: lambda: (
        _("Không mở được {file}: thư mục chứa nó không còn, không cho ghi, hoặc USB chứa nó "
          "đã bị rút ra."),
        _("Hãy cắm lại USB hoặc kiểm tra thư mục, rồi thử lại.")),
    Failure.NOT_A_FOLDER: lambda: (
        _("Không ghi được vào {file}: ở đó (hoặc ở một thư mục trên đường dẫn) là một "
          "tệp, không phải thư mục."),
        _("Hãy chọn một thư mục khác.")),
    Failure.IS_A_FOLDER: lambda: (
        _("Không ghi được vào {file}: đó là một thư mục, cần ghi cả tên tệp."),
        _("Hãy chọn lại, ghi cả tên tệp.")),
    Failure.CORRUPT: lambda: (
        _("Dữ liệu trong {file} bị hỏng."),
        _("Đừng sửa tiếp trên tệp này: hãy kiểm tra dữ liệu («Kiểm tra dữ liệu» trong An toàn "
          "dữ liệu, hoặc «chibo check-db») rồi khôi phục từ bản sao lưu gần nhất.")),
}


def user_text(exc: BaseException) -> str | None:
    """What to tell the secretary about any failure: message_for's sentence, else the message a service or the
    storage wrote for her; None for a bug, which each caller reports in its own way (window, command line)."""
    from app.services.errors import ServiceError
    from app.storage.db import DatabaseError

    text = message_for(exc)
    if text is None and isinstance(exc, (ServiceError, DatabaseError)):
        text = str(exc)
    return text
