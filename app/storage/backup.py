"""Backups of the database file: online copies, thinning to daily/weekly/monthly, checks before restore."""
from __future__ import annotations

import datetime as dt
import glob
import os
import re
import shutil
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from app.i18n import _
from app.storage import db as storage
from app.storage import migrations
from app.storage.models import database

_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{3})-(?P<kind>[a-z-]+)\.sqlite$")
_STAMP = "%Y%m%d-%H%M%S-%f"
# Copies this young are all kept: several risky operations on one day each keep their own copy.
KEEP_ALL_YOUNGER_THAN = dt.timedelta(days=2)


@dataclass(frozen=True)
class BackupInfo:
    """What a backup (or any file offered for restore) holds, shown to the user before a restore."""

    path: Path
    schema_version: int
    encrypted: bool
    integrity: str
    cell_name: str
    members: int
    last_change: str
    # After a restore: where the data it replaced was kept (a checked backup, or a byte copy of a damaged file).
    kept: Path | None = None

    def describe(self) -> str:
        return _("{file}: chi bộ «{cell}», {members} hồ sơ, thay đổi cuối lúc {last}, lược đồ {version}{enc}.").format(
            file=self.path.name, cell=self.cell_name or "?", members=self.members, last=self.last_change or "—",
            version=self.schema_version, enc=_(", đã mã hóa") if self.encrypted else "")


def backup_name(db_path: Path, kind: str, when: dt.datetime) -> str:
    return f"{db_path.stem}-{when.strftime(_STAMP)[:-3]}-{kind}.sqlite"


def make_backup(target: Path) -> Path:
    """Copy the open database to target (same encryption) and check the copy reads back whole."""
    state = storage.current()
    target = Path(target)
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    try:
        storage.copy_database(database.obj, tmp, state.passphrase)
        inspect(tmp, state.passphrase)  # refuses a copy that does not read back whole
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)  # a failed copy leaves nothing beside the target
    return target


def inspect(path: Path, passphrase: str | None = None) -> BackupInfo:
    """Read a candidate file without changing it; refuse what is corrupt, foreign or too new."""
    path = Path(path)
    if not path.is_file():
        raise storage.DatabaseError(_("Không tìm thấy tệp {path}.").format(path=path))
    encrypted = storage.is_encrypted_file(path)
    _app_id, version = storage.inspect_file(path, passphrase, immutable=True)
    try:
        with closing(storage.connect_raw(path, passphrase if encrypted else None, read_only=True,
                                         immutable=True)) as conn:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if integrity != "ok":
                raise storage.DatabaseError(_("Tệp {path} bị hỏng ({error}); không dùng để khôi phục.").format(
                    path=path.name, error=integrity))
            if version == 0:
                raise storage.DatabaseError(_("Tệp {path} không phải dữ liệu của chibo.").format(path=path.name))
            if migrations.schema_of(conn) != migrations.schema_at(version):
                raise storage.DatabaseError(_("Tệp {path} có cấu trúc khác với dữ liệu chibo phiên bản {version} "
                                              "(bị hỏng hoặc bị sửa); không dùng để khôi phục.").format(
                    path=path.name, version=version))
            cell = conn.execute("SELECT name FROM cell ORDER BY id LIMIT 1").fetchone()
            members = conn.execute("SELECT count(*) FROM member").fetchone()[0]
            last = conn.execute("SELECT max(at) FROM change_log").fetchone()[0]
    except storage.DatabaseError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file fails in many ways; all mean "not usable"
        raise storage.DatabaseError(_("Tệp {path} bị hỏng hoặc không đọc được: {error}").format(
            path=path.name, error=exc)) from exc
    return BackupInfo(path, version, encrypted, integrity, cell[0] if cell else "", members, str(last or ""))


def list_backups(folder: Path, db_path: Path) -> list[tuple[dt.datetime, Path]]:
    """This database's backups in a folder, newest first."""
    found = []
    for path in Path(folder).glob(f"{db_path.stem}-*.sqlite"):
        match = _NAME.match(path.name)
        if match and match.group("stem") == db_path.stem:
            found.append((dt.datetime.strptime(match.group("stamp") + "000", _STAMP), path))
    return sorted(found, reverse=True)


def to_keep(stamps: list[dt.datetime], daily: int, weekly: int, monthly: int) -> set[dt.datetime]:
    """Anki's thinning: the newest backup of each of the last N days, N weeks and N months.

    Everything from the last two days is kept as well.
    """
    newest = max(stamps, default=None)
    keep = {s for s in stamps if newest - s < KEEP_ALL_YOUNGER_THAN} if newest else set()
    for count, period in ((daily, lambda t: t.date()), (weekly, lambda t: t.isocalendar()[:2]),
                          (monthly, lambda t: (t.year, t.month))):
        seen: list = []
        for stamp in sorted(stamps, reverse=True):
            key = period(stamp)
            if key not in seen:
                seen.append(key)
                if len(seen) > count:
                    break
                keep.add(stamp)
    return keep


def thin(folder: Path, db_path: Path, daily: int, weekly: int, monthly: int) -> list[Path]:
    backups = list_backups(folder, db_path)
    keep = to_keep([stamp for stamp, _path in backups], daily, weekly, monthly)
    removed = [path for stamp, path in backups if stamp not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def copy_to(path: Path, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)  # not its parents: a stick that is not plugged in is not made on the system disk
    target = folder / path.name
    shutil.copy2(path, target.with_name(target.name + ".tmp"))
    target.with_name(target.name + ".tmp").replace(target)
    return target


def copies_beside(db_path: Path) -> list[Path]:
    """Copies kept beside the database file: before each schema upgrade, and of a damaged file before a restore."""
    db_path = Path(db_path)
    found = []
    for kind in ("truoc-nang-cap-v", "hong-truoc-khoi-phuc-"):  # db.pre_migration_copy_path, damaged_copy
        for ending in ("", "-wal"):
            found += db_path.parent.glob(f"{glob.escape(db_path.stem)}.{kind}*{db_path.suffix}{ending}")
    return sorted(found)


def damaged_copy(db_path: Path, now: dt.datetime) -> list[Path]:
    """A plain byte copy of a damaged file and of its write-ahead log, kept for inspection and never checked."""
    db_path = Path(db_path)
    target = db_path.with_name(f"{db_path.stem}.hong-truoc-khoi-phuc-{now.strftime('%Y%m%d-%H%M%S')}{db_path.suffix}")
    made = []
    for source, copy in ((db_path, target), (Path(f"{db_path}-wal"), Path(f"{target}-wal"))):
        if source.exists():
            shutil.copyfile(source, copy)
            made.append(copy)
    return made


def leftovers(folder: Path, db_path: Path) -> list[Path]:
    """Temporary files of this database that a killed copy, conversion or restore left in a folder."""
    # Ours are named after the file: "chibo.sqlite.ma-hoa.tmp" beside it, "chibo-<stamp>-<kind>.sqlite.tmp" in a
    # backup folder; a "chibo-notes.tmp" of the secretary's own is not.
    pattern = re.compile(rf"^{re.escape(Path(db_path).stem)}(\.|-\d{{8}}-\d{{6}}-\d{{3}}-).*\.tmp(-journal|-wal|-shm)?$")
    try:
        return sorted(p for p in Path(folder).iterdir() if pattern.match(p.name) and p.is_file())
    except OSError:  # a folder that is not there (a USB stick unplugged) holds nothing to remove
        return []


def export(source: Path, source_key: str | None, target: Path, target_key: str | None) -> None:
    """A copy of source under another key (None: plain) through sqlcipher_export, with the header fields
    that name the file ours (sqlcipher_export copies tables and rows, not user_version/application_id)."""
    from sqlcipher3 import dbapi2 as sqlcipher

    target.unlink(missing_ok=True)
    with closing(sqlcipher.connect(str(source))) as conn:
        conn.execute("PRAGMA cipher_log_level = NONE")
        if source_key:
            conn.execute("PRAGMA key = " + storage.quote(source_key))
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"ATTACH DATABASE {storage.quote(str(target))} AS target KEY {storage.quote(target_key or '')}")
        conn.execute("SELECT sqlcipher_export('target')")
        conn.execute(f"PRAGMA target.user_version = {int(version)}")
        conn.execute(f"PRAGMA target.application_id = {storage.APPLICATION_ID}")
        conn.execute("DETACH DATABASE target")


def reencrypt(path: Path, source_key: str | None, new_key: str) -> None:
    """Encrypt a copy at rest with new_key: exported to a temporary file, checked, then swapped in whole."""
    tmp = path.with_name(path.name + ".ma-hoa.tmp")
    try:
        export(path, source_key, tmp, new_key)
        inspect(tmp, new_key)  # refuses a copy that does not read back whole
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
