"""python -m ui.screenshots draws every page and the main dialogs, at the laptop's size and a large text size."""
from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from conftest_ui import qapp  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1366, 768)
PAGES = ("trang-dang-vien", "trang-dang-vien-tim-kiem", "trang-sinh-hoat-diem-danh", "trang-sinh-hoat-thong-tin",
         "trang-sinh-hoat-noi-dung", "trang-sinh-hoat-xem-in", "trang-sinh-hoat-so-diem-danh", "trang-dang-phi",
         "trang-dang-phi-canh-bao", "trang-dang-phi-tong-hop-nam", "trang-danh-gia", "trang-bieu-mau",
         "trang-nhac-viec", "trang-cac-chi-bo", "trang-tong-hop", "trang-tong-hop-kiem-diem")
DIALOGS = ("hop-thoai-them-dang-vien", "hop-thoai-sua-dang-vien", "hop-thoai-doi-tinh-trang", "hop-thoai-lich-su",
           "hop-thoai-luu-tru", "hop-thoai-nhap-danh-sach", "hop-thoai-thong-tin-chi-bo", "hop-thoai-an-toan-du-lieu",
           "hop-thoai-mat-khau", "hop-thoai-buoi-sinh-hoat-moi", "hop-thoai-thu-dang-phi",
           "hop-thoai-doi-tuong-dong-dang-phi", "hop-thoai-mien-giam-dang-phi", "hop-thoai-ly-do-chinh-dang",
           "hop-thoai-nop-cap-tren", "hop-thoai-dinh-muc-dang-phi", "hop-thoai-xac-nhan-xoa-buoi",
           "hop-thoai-thong-bao", "hop-thoai-luu-tep", "cua-so-huong-dan", "hop-thoai-chao-mung",
           "hop-thoai-chao-mung-dang-uy", "hop-thoai-nhan-goi-chi-bo-moi", "hop-thoai-nhan-goi-xung-dot",
           "hop-thoai-mat-khau-goi", "hop-thoai-goi-hong", "hop-thoai-nhan-khoa-moi", "hop-thoai-khong-nhan-goi",
           "hop-thoai-ghi-khoa-nhan-goi", "hop-thoai-goi-tra-ve", "hop-thoai-da-lap-goi-tra-ve")


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG's header chunk."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", path.name
    return struct.unpack(">II", head[16:24])


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """One run at the laptop's size and 150 %, in a process of its own: the offscreen screen takes the
    laptop's size only before Qt starts."""
    out = tmp_path_factory.mktemp("anh")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-m", "ui.screenshots", str(out), "--size", "1366x768", "--scale", "150"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    return out, result


def test_every_page_and_the_main_dialogs_are_drawn_at_150_percent(pictures):
    out, result = pictures
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert [name for name in PAGES + DIALOGS if not (out / f"{name}.png").is_file()] == []
    for name in DIALOGS:
        width, height = png_size(out / f"{name}.png")
        # A dialog is at most the screen (its picture adds a title bar above it), and not an empty speck.
        assert 200 <= width <= SIZE[0] and 80 <= height <= SIZE[1] + 30, (name, width, height)


@pytest.mark.parametrize("name", PAGES)
def test_each_page_fills_the_screen_as_the_maximized_window(pictures, name):
    out, _result = pictures
    assert png_size(out / f"{name}.png") == SIZE


def test_a_dialog_run_by_the_program_is_shown_grabbed_and_closed_not_run(qapp, tmp_path: Path):
    from PySide6.QtWidgets import QApplication, QMessageBox

    from ui.dialogs import confirm
    from ui.screenshots import Shooter

    run = QMessageBox.exec
    shot = Shooter(tmp_path, SIZE)
    answers = []
    shot.dialog("hoi", lambda: answers.append(confirm(None, "Xóa buổi sinh hoạt?", "Xóa buổi sinh hoạt", "Xóa")))
    # The question was pictured (under a title bar) and answered "no": nothing waited for a click.
    assert answers == [False] and shot.failed == {}
    assert png_size(tmp_path / "hoi.png")[1] > 30
    assert QApplication.activeModalWidget() is None
    assert QMessageBox.exec is run


def test_a_screen_that_fails_is_named_and_the_others_are_still_taken(qapp, tmp_path: Path, capsys):
    from ui.dialogs import show_info
    from ui.screenshots import Shooter

    def broken():
        raise RuntimeError("đang sửa dở")

    shot = Shooter(tmp_path, SIZE)
    shot.dialog("hong", broken)
    shot.dialog("khong-mo-gi", lambda: None)
    shot.dialog("thong-bao", lambda: show_info(None, "Đã lưu."))
    assert list(shot.failed) == ["hong", "khong-mo-gi"]
    assert "KHÔNG CHỤP ĐƯỢC hong: RuntimeError: đang sửa dở" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thong-bao.png"]
