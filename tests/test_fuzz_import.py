"""Fuzzing the roster importer: whatever file the secretary picks, preview_import gives a preview or a
ServiceError (never another exception), writes no file and changes nothing in the database, and
apply_import then writes exactly what the preview said, or nothing.

Strategies: (a) arbitrary bytes and damaged copies of the sample .xlsx; (b) well-formed .xlsx files made
with openpyxl from real headers and drawn cells; (c) CSV text with drawn delimiters, quoting, line ends and
encodings, including a round trip of well-formed lists. The counts below are what the README quotes.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import os
import tempfile
import tracemalloc
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, event, example, given, reject, settings
from hypothesis import strategies as st

from app.domain import names
from app.domain.members import Member, Sex
from app.services import members as member_service
from app.services import roster_io
from app.services.errors import ServiceError
from app.storage.models import Cell, ChangeLog, Setting, StatusChange
from app.storage.models import Member as MemberRow
from tests.conftest import SAMPLE_XLSX, TODAY

# Examples per fuzzer (hypothesis max_examples); the README quotes FUZZ_EXAMPLES.
BYTES_EXAMPLES = 400
DAMAGED_XLSX_EXAMPLES = 400
XLSX_EXAMPLES = 400
CSV_EXAMPLES = 700
CSV_ROUND_TRIP_EXAMPLES = 300
FUZZ_EXAMPLES = BYTES_EXAMPLES + DAMAGED_XLSX_EXAMPLES + XLSX_EXAMPLES + CSV_EXAMPLES + CSV_ROUND_TRIP_EXAMPLES
# CHIBO_FUZZ_SCALE=10 runs ten times as many examples (a longer hunt than the suite's ~60 s).
SCALE = float(os.environ.get("CHIBO_FUZZ_SCALE", "1"))


# Damaged workbooks make openpyxl warn (e.g. "invalid specification"); the test's verdict is what counts.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def _fuzz_settings(examples: int) -> settings:
    # database=None: nothing written under the repository; failures found are kept below as @example.
    return settings(max_examples=max(1, round(examples * SCALE)), deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large, HealthCheck.filter_too_much])


REAL_HEADERS = ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng", "Ngày chính thức", "Số thẻ ĐV",
                "Ghi chú", "Tình trạng")
VN_LOWER = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
VN_LETTERS = VN_LOWER + VN_LOWER.upper()
# Syllables of real names, so drawn names look like the ones in the secretaries' lists.
SYLLABLES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
             "Công", "Cung", "Tống", "Bì", "Thu", "Văn", "Thị", "Hữu", "Đức", "Ngọc", "Minh", "Tâm", "Cộng", "Tổng",
             "Anh", "Ánh", "Ất", "Ư", "Ếch", "H'Hen", "Ksor", "Thủy", "Quỳnh", "Nguyệt", "Tuyết", "Khuê")
STATUS_WORDS = ("Dự bị", "Chính thức", "Miễn công tác và sinh hoạt", "Sinh hoạt tạm thời", "Chuyển đi", "Từ trần",
                "chinh_thuc", "du bi", "Không rõ", "")
SEEDED = (
    Member(full_name="Nguyễn Văn Có Sẵn", birth_date=dt.date(1970, 1, 2), admission_date=dt.date(1995, 5, 6),
           card_number="11111111", sex=Sex.MALE),
    Member(full_name="Trần Thị Đã Có", birth_date=dt.date(1980, 3, 4), card_number="22222222", sex=Sex.FEMALE),
    Member(full_name="Lê Văn Không Thẻ", birth_date=dt.date(1990, 7, 8)),
)


# --- the invariants every example checks --------------------------------------------------------


def _snapshot() -> tuple:
    return tuple(
        tuple(model.select().order_by(*model._meta.get_primary_keys()).tuples())
        for model in (Cell, MemberRow, StatusChange, ChangeLog, Setting)
    )


def _listing(folder: Path) -> dict[str, tuple]:
    """Every file under folder with its size and content hash (the -shm index only by size: readers mark it)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_dir():
            found[key] = ("dir",)
        elif path.name.endswith("-shm"):
            found[key] = (path.stat().st_size,)
        else:
            found[key] = (path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest())
    return found


@contextlib.contextmanager
def _sandboxed(sandbox: Path):
    """Temporary files and relative paths of the code under test land in sandbox, which must stay empty."""
    saved_tempdir, saved_env = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = str(sandbox)
    os.environ["TMPDIR"] = str(sandbox)
    try:
        with contextlib.chdir(sandbox):
            yield
    finally:
        tempfile.tempdir = saved_tempdir
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env


def _preview(path: Path, root: Path) -> roster_io.ImportPreview | ServiceError:
    """preview_import under watch: only a preview or a ServiceError, no file written, no row changed."""
    (root / "sandbox").mkdir(exist_ok=True)
    files, rows = _listing(root), _snapshot()
    with _sandboxed(root / "sandbox"):
        try:
            result = roster_io.preview_import(path, today=TODAY)
        except ServiceError as exc:
            result = exc
        except Exception as exc:  # noqa: BLE001 - this is the property under test
            pytest.fail(f"preview_import({path.name}) raised {type(exc).__name__}: {exc!r}; "
                        "only ServiceError may come out of it")
    assert _listing(root) == files, "preview_import wrote, changed or removed a file"
    assert _snapshot() == rows, "preview_import changed the database"
    return result


def _apply(preview: roster_io.ImportPreview) -> None:
    """apply_import writes exactly the preview (count grows by len(added)), or raises and writes nothing."""
    before, count = _snapshot(), MemberRow.select().count()
    if not preview.ok:
        with pytest.raises(ServiceError):
            roster_io.apply_import(preview, today=TODAY)
        assert _snapshot() == before, "a refused import changed the database"
        return
    try:
        roster_io.apply_import(preview, today=TODAY)
    except Exception as exc:  # noqa: BLE001
        pytest.fail(f"apply_import of a clean preview raised {type(exc).__name__}: {exc}")
    assert MemberRow.select().count() == count + len(preview.added)
    stored = {e.member.card_number: e.member for e in member_service.list_members(include_archived=True)
              if e.member.card_number}
    for item in preview.added:
        if item.member.card_number:
            assert stored[item.member.card_number].full_name == item.member.full_name


def _check(path: Path, root: Path) -> None:
    result = _preview(path, root)
    if isinstance(result, roster_io.ImportPreview):
        # Seen with --hypothesis-show-statistics: how often each path was taken.
        event("preview ok" if result.ok else "preview with rejected rows")
        event(f"rows added: {min(len(result.added), 3)}{'+' if len(result.added) >= 3 else ''}")
        event("rows updated" if result.updated else "no row updated")
        _apply(result)
    else:
        event("ServiceError")


def _seed() -> None:
    if MemberRow.select().count() == 0:
        for member in SEEDED:
            member_service.add_member(member, today=TODAY)


def _write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


# --- (a) arbitrary bytes, and damaged copies of a real list ----------------------------------------

_SAMPLE_BYTES = SAMPLE_XLSX.read_bytes()
with zipfile.ZipFile(SAMPLE_XLSX) as _archive:
    _SAMPLE_PARTS = {info.filename: _archive.read(info) for info in _archive.infolist()}


@_fuzz_settings(BYTES_EXAMPLES)
@given(data=st.one_of(st.binary(max_size=4096), st.binary(max_size=2048).map(lambda b: b"PK\x03\x04" + b),
                      st.binary(max_size=2048).map(lambda b: b"\xef\xbb\xbf" + b)),
       suffix=st.sampled_from([".xlsx", ".xlsm", ".csv", ".txt"]))
@example(data=b"\r\x01", suffix=".csv")  # found: _csv.Error "new-line character seen in unquoted field"
@example(data=b"a" * 140_000, suffix=".csv")  # _csv.Error "field larger than field limit (131072)"
def test_arbitrary_bytes_give_a_preview_or_a_service_error(cell_db, tmp_path, data, suffix):
    _check(_write(tmp_path / "in", "ds" + suffix, data), tmp_path)


def _mutate(data: bytes, how: str, at: int, chunk: bytes) -> bytes:
    at = at % (len(data) + 1)
    if how == "truncate":
        return data[:at]
    if how == "flip":
        return data[:at] + bytes(b ^ 0xFF for b in chunk[:4]) + data[at + len(chunk[:4]):]
    if how == "insert":
        return data[:at] + chunk + data[at:]
    return data[:at] + data[at + len(chunk):]  # delete


_mutation = st.tuples(st.sampled_from(["truncate", "flip", "insert", "delete"]), st.integers(0, 1 << 20),
                      st.binary(min_size=1, max_size=16))


@_fuzz_settings(DAMAGED_XLSX_EXAMPLES)
@given(target=st.sampled_from(["file", "drop", *sorted(_SAMPLE_PARTS)]), mutations=st.lists(_mutation, min_size=1,
                                                                                            max_size=3))
def test_damaged_copies_of_the_sample_give_a_preview_or_a_service_error(cell_db, tmp_path, target, mutations):
    """Damage the whole file (broken zip), or one part re-zipped with a valid CRC (reaching the XML reader)."""
    if target == "file":
        data = _SAMPLE_BYTES
        for how, at, chunk in mutations:
            data = _mutate(data, how, at, chunk)
    else:
        parts = dict(_SAMPLE_PARTS)
        if target == "drop":
            parts.pop(sorted(parts)[mutations[0][1] % len(parts)])
        else:
            for how, at, chunk in mutations:
                parts[target] = _mutate(parts[target], how, at, chunk)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in parts.items():
                archive.writestr(name, content)
        data = buffer.getvalue()
    _check(_write(tmp_path / "in", "ds.xlsx", data), tmp_path)


# --- (b) well-formed workbooks with drawn cells ----------------------------------------------------

_text = st.text(st.one_of(st.characters(exclude_categories=("Cs", "Cc")), st.sampled_from(VN_LETTERS + "\t\n ")),
                max_size=30)
_word = st.one_of(st.sampled_from(SYLLABLES), st.text(VN_LETTERS, min_size=1, max_size=7))
_name = st.lists(_word, min_size=1, max_size=4).map(" ".join)
_long = st.builds(lambda s, n: (s * n)[:n], st.text(VN_LETTERS + " ", min_size=1, max_size=5), st.integers(300, 40_000))
_formula = st.sampled_from(["=1+1", "=SUM(A1:A3)", '=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+1",
                            "-2+3", "@SUM(1)", "=1/0", "=A1"])
_pathlike = st.sampled_from(["../../etc/passwd", "..\\..\\Windows\\System32\\config", "/etc/passwd", "C:\\boot.ini",
                             "file:///etc/passwd", "%APPDATA%\\chibo", "~/.ssh/id_rsa", "\\\\server\\share\\x.xlsx"])
_dates = st.dates(dt.date(1800, 1, 1), dt.date(2100, 12, 31))
_any_cell = st.one_of(
    st.none(), _text, _name, _long, _formula, _pathlike, st.booleans(), st.integers(-10**15, 10**15),
    st.floats(allow_nan=True, allow_infinity=True), _dates, st.datetimes(dt.datetime(1800, 1, 1), dt.datetime(2100, 12, 31)),
    st.times(), _dates.map(lambda d: d.strftime("%d/%m/%Y")), _dates.map(lambda d: f"{d.day}/{d.month}/{d.year}"),
    _dates.map(dt.date.isoformat), st.sampled_from(STATUS_WORDS), st.sampled_from(REAL_HEADERS),
)


def _years_later(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years, day=min(day.day, 28))


@st.composite
def _date_cell(draw, day: dt.date | None):
    if day is None:
        return None
    style = draw(st.sampled_from(["date", "datetime", "dmy", "d/m", "iso", "serial"]))
    return {
        "date": day,
        "datetime": dt.datetime.combine(day, dt.time()),
        "dmy": day.strftime("%d/%m/%Y"),
        "d/m": f"{day.day}/{day.month}/{day.year}",
        "iso": day.isoformat(),
        "serial": (day - dt.date(1899, 12, 30)).days,
    }[style]


@st.composite
def _plausible_row(draw, headers: tuple[str, ...], number: int) -> list:
    """A row as a secretary would type it: coherent dates, known words; then some cells replaced at random."""
    seeded = draw(st.sampled_from([None, *SEEDED]))
    birth = draw(st.dates(dt.date(1930, 1, 1), dt.date(2000, 12, 31)))
    admitted = draw(st.none() | st.integers(18, 55).map(lambda y: _years_later(birth, y)))
    official = draw(st.none() | st.just(_years_later(admitted, 1))) if admitted and admitted.year < 2025 else None
    values = {
        "STT": number,
        "Họ và tên": seeded.full_name if seeded else draw(_name),
        "Ngày sinh": draw(_date_cell(seeded.birth_date if seeded else birth)),
        "Giới tính": draw(st.sampled_from(["Nam", "Nữ", "nam", "NỮ", None])),
        "Ngày vào Đảng": draw(_date_cell(None if seeded else admitted)),
        "Ngày chính thức": draw(_date_cell(None if seeded else official)),
        "Số thẻ ĐV": seeded.card_number if seeded else draw(st.none() | st.text("0123456789 ", min_size=6, max_size=10)),
        "Ghi chú": draw(st.sampled_from(["", "Miễn sinh hoạt", "Dự bị", "sinh hoạt tạm thời", "ghi chú; có, dấu"])),
        "Tình trạng": draw(st.sampled_from(STATUS_WORDS)),
    }
    row = [values[h] for h in headers]
    noise = draw(st.integers(0, 3))  # 0: noisy row, otherwise clean
    if noise == 0:
        for index in range(len(row)):
            if draw(st.booleans()):
                row[index] = draw(_any_cell)
    return row


@st.composite
def _workbooks(draw) -> list[list]:
    headers = draw(st.permutations(REAL_HEADERS))
    headers = tuple(headers[:draw(st.integers(1, len(headers)))])
    rows = [list(r) for r in draw(st.lists(st.lists(_any_cell, max_size=4), max_size=3))]  # title lines
    rows.append(list(headers))
    count = draw(st.integers(0, 8))
    rows.extend(draw(_plausible_row(headers, number)) for number in range(1, count + 1))
    rows.extend(draw(st.sampled_from([[], [[]], [[], [None, "Tổng số: 3 đồng chí"]], [[], ["T/M CHI BỘ"], ["BÍ THƯ"]],
                                      [[1, "Sau dòng trống"]]])))
    return rows


def _xlsx_bytes(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        try:
            sheet.append(row)
        except (ValueError, TypeError):  # a value openpyxl itself cannot store: not a file anyone could have
            reject()
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@_fuzz_settings(XLSX_EXAMPLES)
@given(rows=_workbooks())
@example(rows=[["Họ và tên", "Ngày sinh"], ["Nguyễn Văn A", "=1+1"], ["../../etc/passwd", dt.datetime(2001, 2, 3, 4, 5)],
               ["x" * 40_000, 1e300], [None, None], ["Tổng số: 2 đồng chí"]])
def test_drawn_workbooks_preview_then_apply_exactly_or_refuse(cell_db, tmp_path, rows):
    _seed()
    _check(_write(tmp_path / "in", "ds.xlsx", _xlsx_bytes(rows)), tmp_path)


def test_a_tiny_workbook_claiming_a_huge_sheet_is_read_in_bounded_memory(cell_db, tmp_path):
    """Regression (found while building the damaged-file fuzzer): openpyxl's read-only reader pads every row
    out to the <dimension> the file claims; before MAX_COLUMNS, a 7 KB .xlsx claiming A1:XFD1000 cost ~130 MB
    and one claiming A1:XFD100000 (just under MAX_ROWS) would have cost ~13 GB."""
    rows = 1000
    sheet = _SAMPLE_PARTS["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace('<dimension ref="A1:J40" />', f'<dimension ref="A1:XFD{rows}" />')
    # One cell far down: the reader yields every row up to it, each padded to 16384 columns.
    sheet = sheet.replace("</sheetData>", f'<row r="{rows}"><c r="A{rows}" t="inlineStr"><is><t>x</t></is></c></row>'
                                          "</sheetData>")
    assert "XFD" in sheet and f'r="{rows}"' in sheet
    parts = dict(_SAMPLE_PARTS, **{"xl/worksheets/sheet1.xml": sheet.encode()})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    path = _write(tmp_path / "in", "rong.xlsx", buffer.getvalue())
    assert path.stat().st_size < 10_000
    tracemalloc.start()
    try:
        with contextlib.suppress(ServiceError):
            roster_io.preview_import(path, today=TODAY)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * 1024 * 1024, (
        f"preview_import of a {path.stat().st_size}-byte file claiming {rows} rows x 16384 columns peaked at "
        f"{peak / 1e6:.0f} MB (rows padded to the claimed width); at 100000 rows this exhausts memory")


# --- (c) CSV text ---------------------------------------------------------------------------------------


def _encode(text: str, encoding: str) -> bytes:
    if encoding != "cp1258":
        return text.encode(encoding)
    # Old Windows Vietnamese: letters with their vowel mark, tones as combining marks.
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out.append((base + "".join(c for c in parts if c in tones)).encode("cp1258", errors="replace"))
    return b"".join(out)


_csv_cell = st.one_of(
    st.text(st.sampled_from(VN_LETTERS + ",;\t|\"' \r\n0123456789/-."), max_size=25), _name, _pathlike, _formula,
    st.sampled_from(STATUS_WORDS), _dates.map(lambda d: d.strftime("%d/%m/%Y")),
    st.builds(lambda s, n: (s * n)[:n], st.text(VN_LETTERS, min_size=1, max_size=3), st.integers(1, 200_000)),
)


@st.composite
def _csv_files(draw) -> tuple[bytes, str]:
    headers = draw(st.permutations(REAL_HEADERS))
    headers = list(headers[:draw(st.integers(1, len(headers)))])
    rows = [headers]
    for number in range(1, draw(st.integers(0, 6)) + 1):
        row = draw(_plausible_row(tuple(headers), number))
        rows.append(["" if v is None else (v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else str(v)) for v in row])
        if draw(st.integers(0, 3)) == 0:
            rows[-1] = draw(st.lists(_csv_cell, max_size=len(headers) + 2))
    rows[:0] = draw(st.lists(st.lists(_csv_cell, max_size=3), max_size=2))  # title lines above the table
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1258"]))
    if draw(st.integers(0, 4)) == 0:  # raw text, no csv.writer at all
        delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
        newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
        text = newline.join(delimiter.join(str(c) for c in row) for row in rows) + draw(_text)
        return _encode(text, encoding), encoding
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=draw(st.sampled_from([",", ";", "\t", "|"])),
                        quotechar=draw(st.sampled_from(['"', "'"])), escapechar="\\",
                        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONE])),
                        lineterminator=draw(st.sampled_from(["\r\n", "\n", "\r"])))
    try:
        writer.writerows(rows)
    except csv.Error:  # e.g. QUOTE_NONE cannot write a lone empty field: a file no program would write
        reject()
    return _encode(buffer.getvalue(), encoding), encoding


@_fuzz_settings(CSV_EXAMPLES)
@given(file=_csv_files())
@example(file=(b"\rSTT\r", "utf-8"))  # found: _csv.Error "new-line character seen in unquoted field"
def test_drawn_csv_files_preview_then_apply_exactly_or_refuse(cell_db, tmp_path, file):
    _seed()
    data, _encoding = file
    _check(_write(tmp_path / "in", "ds.csv", data), tmp_path)


def test_csv_with_a_field_longer_than_the_csv_module_limit_is_refused_cleanly(cell_db, tmp_path):
    """Regression: csv.reader raises _csv.Error ("field larger than field limit (131072)"), which _read_csv
    used to let through instead of a ServiceError (a 130 KB note in one cell crashed the import)."""
    text = "Họ và tên;Ngày sinh;Ghi chú\nNguyễn Văn A;01/02/1970;" + "x" * 140_000 + "\n"
    _preview(_write(tmp_path / "in", "dai.csv", text.encode("utf-8")), tmp_path)


def test_csv_with_old_mac_line_ends_is_read_or_refused_cleanly(cell_db, tmp_path):
    """Regression (found by the bytes fuzzer, b"\\r\\x01"): lines ending in a bare CR (classic Mac Excel
    "CSV (Macintosh)") made csv.reader raise _csv.Error ("new-line character seen in unquoted field")."""
    text = "Họ và tên;Ngày sinh\rNguyễn Văn A;01/02/1970\rTrần Thị B;03/04/1980\r"
    result = _preview(_write(tmp_path / "in", "mac.csv", text.encode("utf-8")), tmp_path)
    assert isinstance(result, ServiceError) or [r.member.full_name for r in result.added] == ["Nguyễn Văn A",
                                                                                               "Trần Thị B"]


# --- (c') round trip of well-formed CSV lists -----------------------------------------------------------


@st.composite
def _clean_csv(draw) -> tuple[bytes, list[str]]:
    others = draw(st.permutations(["STT", "Ngày sinh", "Giới tính", "Số thẻ ĐV", "Ghi chú"]))
    headers = ["Họ và tên", *others[:draw(st.integers(1, len(others)))]]
    headers = draw(st.permutations(headers))
    people = draw(st.lists(st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=4).map(" ".join),
                           min_size=1, max_size=8, unique_by=lambda n: names.fold(names.normalize_name(n))))
    rows = [list(headers)]
    for number, person in enumerate(people, start=1):
        values = {"STT": str(number), "Họ và tên": person,
                  "Ngày sinh": draw(st.dates(dt.date(1930, 1, 1), dt.date(2000, 12, 31))).strftime("%d/%m/%Y"),
                  "Giới tính": draw(st.sampled_from(["Nam", "Nữ"])), "Số thẻ ĐV": f"{50_000_000 + number}",
                  "Ghi chú": draw(st.sampled_from(["", "Dự bị", "Miễn sinh hoạt"]))}
        rows.append([values[h] for h in headers])
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=draw(st.sampled_from([",", ";", "\t"])),
               lineterminator=draw(st.sampled_from(["\r\n", "\n"]))).writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1258"]))
    return _encode(buffer.getvalue(), encoding), [names.normalize_name(p) for p in people]


@_fuzz_settings(CSV_ROUND_TRIP_EXAMPLES)
@given(file=_clean_csv())
# found: a member named "Cộng Nguyễn" is taken for a "Cộng" (total) line and silently dropped.
@example(file=("Họ và tên,Giới tính\r\nNguyễn Nguyễn,Nam\r\nCộng Nguyễn,Nam\r\n".encode(),
               ["Nguyễn Nguyễn", "Cộng Nguyễn"]))
# found: a member named "Tổng Cộng" (a surname and a given name) read as the "Tổng cộng" line under the table.
@example(file=("Họ và tên,Giới tính\r\nNguyễn Nguyễn,Nam\r\nTổng Cộng,Nam\r\n".encode(),
               ["Nguyễn Nguyễn", "Tổng Cộng"]))
def test_every_person_of_a_well_formed_csv_is_read_back_by_name(cell_db, tmp_path, file):
    data, people = file
    result = _preview(_write(tmp_path / "in", "ds.csv", data), tmp_path)
    assert isinstance(result, roster_io.ImportPreview), result
    assert result.ok, result.rejected
    read = sorted(result.added + result.updated + result.unchanged, key=lambda r: r.row)
    assert [r.member.full_name for r in read] == people


def test_members_whose_names_start_like_a_total_or_signature_line_are_not_dropped(cell_db, tmp_path):
    """Regression (found by the round-trip fuzzer, "Cộng Nguyễn"): _is_end_marker took a row whose first cell
    folded to something starting with "cong", "tong so", "bi thu", … for the line under the table ("Cộng",
    "Tổng số", "Bí thư"); without an STT column every row from there on was dropped without a word."""
    text = ("Họ và tên;Giới tính;Số thẻ ĐV\nNguyễn Văn An;Nam;1001\nCông Văn Hải;Nam;1002\n"
            "Tống Sơn Hà;Nam;1003\nBì Thu Hà;Nữ;1004\nTrần Thị Bình;Nữ;1005\n")
    result = _preview(_write(tmp_path / "in", "ds.csv", text.encode("utf-8")), tmp_path)
    assert isinstance(result, roster_io.ImportPreview)
    read = [r.member.full_name for r in result.added] + [f"rejected row {r.row}" for r in result.rejected]
    assert read == ["Nguyễn Văn An", "Công Văn Hải", "Tống Sơn Hà", "Bì Thu Hà", "Trần Thị Bình"], (
        f"preview.ok={result.ok} but only {read} came out of 5 member rows: the others were silently dropped")


def test_member_rows_after_a_blank_line_are_not_silently_dropped_without_an_stt_column(cell_db, tmp_path):
    """BUG: _table_rows ends the table at the first blank line and reports later rows only when they carry an
    STT number. A list without an STT column (common in CSV exports) that has one blank line inside the table
    loses every member below it: preview.ok is True, the rows are neither added nor rejected."""
    text = ("Họ và tên;Ngày sinh;Giới tính\nNguyễn Văn An;01/02/1970;Nam\n;;\n"
            "Trần Thị Bình;03/04/1975;Nữ\nLê Văn Cường;05/06/1980;Nam\n")
    result = _preview(_write(tmp_path / "in", "ds.csv", text.encode("utf-8")), tmp_path)
    assert isinstance(result, roster_io.ImportPreview)
    seen = sorted([r.row for r in result.added + result.updated + result.unchanged] + [r.row for r in result.rejected])
    assert seen == [2, 4, 5], (
        f"rows 4 and 5 (Trần Thị Bình, Lê Văn Cường: name, birth date, sex) are neither imported nor rejected; "
        f"preview.ok={result.ok}, added={[r.member.full_name for r in result.added]}")


def test_a_member_named_bi_thu_is_not_taken_for_the_signature_line(cell_db, tmp_path):
    """BUG: _END_LINE matches the folded first cell "bi thu" exactly, so a member whose full name is "Bì Thu"
    (surname Bì, given name Thu) is read as the "BÍ THƯ" signature line when the row has no STT number and
    no date: that member and, without an STT column, everyone after are dropped with preview.ok True."""
    text = "Họ và tên;Giới tính\nNguyễn Văn An;Nam\nBì Thu;Nữ\nTrần Thị Bình;Nữ\n"
    result = _preview(_write(tmp_path / "in", "ds.csv", text.encode("utf-8")), tmp_path)
    assert isinstance(result, roster_io.ImportPreview)
    read = [r.member.full_name for r in result.added] + [f"rejected row {r.row}" for r in result.rejected]
    assert read == ["Nguyễn Văn An", "Bì Thu", "Trần Thị Bình"], f"read {read} from 3 member rows"
