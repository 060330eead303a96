"""Whatever bytes arrive as a package — random, a valid package with one byte changed or cut short, a zip of
anything — open_package gives an OpenedPackage or a PackageError, never another exception; and when it does
open a changed package, what it gives is exactly what was signed."""
from __future__ import annotations

import io
import json
import warnings
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.package_format import PackageError, canonical_json, validate_manifest
from app.services import package_crypto as pc
from fixtures.make_bad_packages import (
    EXCHANGE,
    KEY,
    entries_of,
    public_raw,
    resigned,
    sample_files,
    valid_package,
)

FUZZ = settings(derandomize=True, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
GOOD = valid_package()
GOOD_OPENED = pc.open_package(GOOD)
SEALED = pc.encrypt_to_key(GOOD, public_raw(EXCHANGE))


def _open_or_refuse(data: bytes, **kwargs) -> pc.OpenedPackage | None:
    """open_package's result, or None for a PackageError; any other exception fails the test."""
    try:
        return pc.open_package(data, **kwargs)
    except PackageError as exc:
        assert str(exc)
        return None


def _same_as_signed(opened: pc.OpenedPackage | None) -> None:
    if opened is not None:
        assert opened.files == GOOD_OPENED.files
        assert opened.manifest == GOOD_OPENED.manifest
        assert opened.fingerprint == GOOD_OPENED.fingerprint


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(data):
    assert _open_or_refuse(data) is None
    assert _open_or_refuse(b"PK\x03\x04" + data, passphrase="x", exchange_key=EXCHANGE) is None


@FUZZ
@given(st.integers(0, len(GOOD) - 1), st.integers(1, 255))
def test_one_byte_changed(position, mask):
    changed = bytearray(GOOD)
    changed[position] ^= mask
    _same_as_signed(_open_or_refuse(bytes(changed)))


@FUZZ
@given(st.integers(0, len(SEALED) - 1), st.integers(1, 255))
def test_one_byte_of_a_sealed_package_changed(position, mask):
    changed = bytearray(SEALED)
    changed[position] ^= mask
    _same_as_signed(_open_or_refuse(bytes(changed), exchange_key=EXCHANGE))


@FUZZ
@given(st.integers(0, len(GOOD) - 1))
def test_cut_short(length):
    assert _open_or_refuse(GOOD[:length]) is None
    assert _open_or_refuse(SEALED[: length * len(SEALED) // len(GOOD)], exchange_key=EXCHANGE) is None


def test_every_byte_changed_and_every_length():
    """Not sampled: each position flipped in turn, and the package cut at every length."""
    for position in range(len(GOOD)):
        changed = bytearray(GOOD)
        changed[position] ^= 0xFF
        _same_as_signed(_open_or_refuse(bytes(changed)))
    for length in range(len(GOOD)):
        assert _open_or_refuse(GOOD[:length]) is None


_NAMES = st.one_of(
    st.sampled_from(["manifest.json", "signature.ed25519", "data.json", "notes.txt", "envelope.json", "payload.bin",
                     "../x", "/abs", "a\\b", "dir/", "a//b", "C:/x", ""]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
)
_METHODS = st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])


def _zip(entries: list[tuple[str, bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, data, method in entries:
                try:
                    archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
                except ValueError:
                    continue  # a name zipfile itself will not write (a NUL)
    return buffer.getvalue()


@FUZZ
@given(st.lists(st.tuples(_NAMES, st.binary(max_size=300), _METHODS), max_size=6))
def test_random_zip_contents(entries):
    assert _open_or_refuse(_zip(entries), passphrase="x", exchange_key=EXCHANGE) is None


@FUZZ
@given(st.lists(st.tuples(_NAMES, st.binary(max_size=200), _METHODS), max_size=4))
def test_a_valid_package_with_random_entries_added(extra):
    entries = [(n, d, zipfile.ZIP_DEFLATED) for n, d in entries_of(GOOD)] + extra
    _same_as_signed(_open_or_refuse(_zip(entries)))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
_MANIFEST_PATHS = ["format", "format_version", "program_version", "created_at", "kind", "period", "source", "privacy",
                   "rule_sets", "history_last_hash", "files", "source.unit", "source.name", "source.installation_id",
                   "source.sequence", "source.previous_package", "files.0", "files.0.name", "files.0.size",
                   "files.0.sha256"]


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(_MANIFEST_PATHS), _JSON), min_size=1, max_size=3))
def test_random_values_in_a_signed_manifest(changes):
    manifest = json.loads(dict(entries_of(GOOD))["manifest.json"])
    for path, value in changes:
        target, *rest = path.split(".")
        holder, key = manifest, target
        for part in rest:
            inner = holder.get(key) if isinstance(holder, dict) else None
            if isinstance(inner, list) and part.isdigit() and int(part) < len(inner):
                holder, key = inner, int(part)
            elif isinstance(inner, dict):
                holder, key = inner, part
            else:
                break
        holder[key] = value
    try:
        validate_manifest(json.loads(json.dumps(manifest)))
    except PackageError:
        pass
    try:
        canonical_json(manifest)
    except PackageError:
        return  # a nan or an infinity: no package can carry it
    _open_or_refuse(resigned(GOOD, manifest, KEY))


@FUZZ
@given(st.dictionaries(st.sampled_from(_MANIFEST_PATHS[:11]), _JSON, max_size=11))
def test_build_with_any_manifest_refuses_or_makes_a_package_that_opens(manifest):
    try:
        package = pc.build(manifest, sample_files(), KEY)
    except PackageError:
        return
    assert pc.open_package(package).files == sample_files()
