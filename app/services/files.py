"""Files the program writes for the secretary (exported lists, the fee book, the history, printed PDFs) land
whole or not at all: a full disk, a USB stick pulled out or a crash never leaves half a file under the name
she chose, nor spoils the file that was there before."""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

from app.i18n import _
from app.services.errors import ServiceError

# The part being written sits beside the target under a name that says whose it is and what it is:
# «.ds.xlsx.dang-ghi.tmp» (hidden on Linux and macOS, and recognisable when a crash leaves one behind).
TEMPORARY_SUFFIX = ".dang-ghi.tmp"


def temporary_path(path: Path | str) -> Path:
    """Where write_file_atomically writes path's content before it takes path's name."""
    path = Path(path)
    return path.with_name(f".{path.name}{TEMPORARY_SUFFIX}")


def write_file_atomically(path: Path | str, data: bytes) -> None:
    """Write data to path whole or not at all.

    The bytes go to temporary_path(path), are flushed and synced to the disk, and only then replace path;
    on any failure the temporary file is removed, path is left as it was, and the OSError is raised again
    naming path (not the temporary file) for app/services/failures.py to tell the secretary.
    """
    path = Path(path)
    temporary = temporary_path(path)
    try:
        with open(temporary, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError) and (exc.filename is None or Path(exc.filename) == temporary):
            exc.filename = str(path)
        raise
    _sync_folder(path.parent)


def write_export(path: Path | str, data: bytes) -> None:
    """write_file_atomically, its failure told as «Không ghi được tệp …» (a ServiceError raised from the
    OSError, which app/services/failures.py still finds and explains)."""
    try:
        write_file_atomically(path, data)
    except OSError as exc:
        raise ServiceError(_("Không ghi được tệp {file}: {error}").format(file=path, error=exc.strerror)) from exc


def _sync_folder(folder: Path) -> None:
    """Make the new name itself durable (POSIX); Windows cannot open a folder this way, nor needs it."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
