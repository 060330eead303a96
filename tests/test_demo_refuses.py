"""`chibo demo` only ever makes a new file: over a file that holds a cell it refuses and leaves every byte as it was."""
from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from app.storage import db as storage


@pytest.fixture
def db(tmp_path: Path):
    path = tmp_path / "chi-bo.sqlite"
    yield path
    storage.close_database()


def _run(capsys, *args) -> tuple[int, str]:
    code = main([str(a) for a in args])
    storage.close_database()  # everything checkpointed into the file itself before it is hashed
    return code, capsys.readouterr().err


def _fingerprint(path: Path) -> tuple[str, list[str]]:
    """The file's hash, and which of its journal companions exist."""
    companions = [suffix for suffix in ("-wal", "-shm", "-journal") if Path(f"{path}{suffix}").exists()]
    return hashlib.sha256(path.read_bytes()).hexdigest(), companions


def _cell_and_count(path: Path) -> tuple[str, int]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return (conn.execute("SELECT name FROM cell").fetchone()[0],
                conn.execute("SELECT count(*) FROM member").fetchone()[0])


@pytest.mark.parametrize("members", [[], ["Trần Thị Lan", "Nguyễn Văn An"]])
def test_demo_over_a_cell_is_refused_and_the_file_is_unchanged(db, capsys, members):
    assert _run(capsys, "--db", db, "init", "--cell", "Chi bộ khu phố 3", "--superior", "Đảng bộ phường Tân An")[0] == 0
    for name in members:
        assert _run(capsys, "--db", db, "members", "add", "--name", name,
                    "--admitted", "03/01/1992")[0] == 0
    before = _fingerprint(db)

    code, err = _run(capsys, "--db", db, "demo")

    assert code != 0
    assert "«Chi bộ khu phố 3»" in err and "chi bộ mẫu chỉ được tạo trong một tệp mới" in err
    assert "giữ nguyên" in err
    assert _fingerprint(db) == before
    assert _cell_and_count(db) == ("Chi bộ khu phố 3", len(members))


def test_demo_twice_is_refused_the_second_time_and_the_demo_file_is_unchanged(db, capsys):
    assert _run(capsys, "--db", db, "demo")[0] == 0
    before = _fingerprint(db)
    code, err = _run(capsys, "--db", db, "demo")
    assert code != 0 and "«Chi bộ thôn Đông»" in err
    assert _fingerprint(db) == before
    assert _cell_and_count(db) == ("Chi bộ thôn Đông", 35)


def test_demo_in_a_new_file_makes_the_demo_cell(db, capsys):
    # What the installer's "run" does the first time: the demo file is missing, so it is made.
    assert not db.exists()
    assert _run(capsys, "--db", db, "demo")[0] == 0
    assert _cell_and_count(db) == ("Chi bộ thôn Đông", 35)
    assert json.loads(_run_json(capsys, db))["name"] == "Chi bộ thôn Đông"


def _run_json(capsys, db: Path) -> str:
    assert main(["--db", str(db), "cell", "show", "--json"]) == 0
    storage.close_database()
    return capsys.readouterr().out
