"""The built-in guide: every area has a page, links lead to pages, labels are the ones on screen, text is Vietnamese."""
from __future__ import annotations

import html.parser
import re
import unicodedata
from pathlib import Path

import pytest
from babel.messages.extract import extract
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from app import paths
from conftest_ui import qapp  # noqa: F401
from ui.help import DEFAULT_AREA, PAGES, HelpWindow, show_help

ROOT = Path(__file__).resolve().parents[1]
ALLOWED_TAGS = {"h1", "h2", "p", "ol", "ul", "li", "b", "kbd", "table", "tr", "th", "td", "a"}
# Words a translator's habit slips into Vietnamese help text; key names inside <kbd> are allowed.
ENGLISH = ("click", "file", "folder", "backup", "restore", "password", "save", "print", "open", "close", "cancel",
           "menu", "button", "settings", "setting", "help", "download", "online", "email", "user", "window",
           "copy", "paste", "delete", "enter", "space", "tab", "ok", "import", "export", "login", "app")

# Labels the guide names, with the file that puts each one on screen: renaming a button without
# updating the guide fails here.
LABELS = {
    "viec-hang-thang.html": {
        "ui/main_window.py": ["Sinh hoạt", "Đảng phí"],
        "ui/meetings/page.py": ["Buổi sinh hoạt mới", "Điểm danh", "Thông tin", "Nội dung, biểu quyết", "Xem và in",
                                "Xem biên bản", "Xem nghị quyết", "In…", "Lưu PDF…"],
        "ui/meetings/new_dialog.py": ["Tạo"],
        "ui/meetings/roll_panel.py": ["Người chưa điểm danh: có mặt", "Lý do vắng"],
        "ui/meetings/editor.py": ["Lưu"],
        "app/domain/meetings.py": ["Thường kỳ", "Thường kỳ kết hợp chuyên đề"],
        "app/domain/labels.py": ["Chủ trì", "Thư ký (người ghi biên bản)", "Đại biểu cấp trên", "Chương trình",
                                 "Đánh giá kết quả tháng trước", "Phương hướng, nhiệm vụ tháng tới",
                                 "Phân công tổ chức thực hiện", "Ý kiến thảo luận",
                                 "Tự đánh giá chất lượng kỳ sinh hoạt", "Kết luận", "Số tán thành",
                                 "Số không tán thành", "Số ý kiến khác"],
        "ui/fees/panels.py": ["Thông báo tháng", "Chép thông báo"],
        "ui/fees/model.py": ["Còn nợ"],
    },
    "danh-gia.html": {
        "ui/review/page.py": ["Năm", "Đợt kiểm điểm…", "Sửa…", "Tập thể chi bộ (Mẫu 01)…", "In, lưu PDF"],
        "ui/review/editor.py": ["Diện, hoàn cảnh", "Tự kiểm điểm", "Chi ủy, chi bộ", "Đảng ủy", "Nhiệm vụ trong năm",
                                "Về danh sách", "Lưu"],
        "ui/meetings/page.py": ["Nhiệm vụ"],
    },
    "tong-quan.html": {
        "ui/main_window.py": ["Đảng viên", "Sinh hoạt", "Đảng phí", "Đánh giá", "Biểu mẫu", "Nhắc việc", "Tệp",
                              "Thông tin chi bộ…", "An toàn dữ liệu (sao lưu, mã hóa)…", "Sao lưu ngay", "Thoát",
                              "Xem", "Cỡ chữ", "Chữ to hơn", "Chữ nhỏ hơn", "Trợ giúp", "Hướng dẫn (trang đang xem)",
                              "Việc hằng tháng, từng bước"],
        "ui/help.py": ["Đóng"],
    },
    "dang-vien.html": {
        "ui/roster/page.py": ["Tìm theo tên, số thẻ… (không cần gõ dấu)", "Đang sinh hoạt", "Tất cả",
                              "Hiện hồ sơ đã lưu trữ", "Thêm đảng viên", "Sửa hồ sơ", "Đổi tình trạng", "Lịch sử",
                              "Lưu trữ", "Khôi phục"],
        "ui/roster/member_dialog.py": ["Thông tin cá nhân", "Thông tin Đảng", "Liên hệ & ghi chú",
                                       "Lý do sửa (nếu có)"],
        "ui/roster/status_dialog.py": ["Tình trạng mới", "Từ ngày", "Lý do"],
        "ui/roster/import_dialog.py": ["Thêm mới", "Cập nhật", "Không đổi", "Bị từ chối", "Nhập"],
        "ui/main_window.py": ["Nhập danh sách…", "Xuất danh sách…"],
    },
    "sinh-hoat.html": {
        "ui/meetings/page.py": ["Năm", "Buổi sinh hoạt mới", "Xóa buổi", "Sổ điểm danh năm", "Điểm danh", "Thông tin",
                                "Nội dung, biểu quyết", "Xem và in", "Xem biên bản", "Xem nghị quyết", "In…",
                                "Lưu PDF…"],
        "ui/meetings/editor.py": ["Lưu"],
        "ui/meetings/new_dialog.py": ["Tạo"],
        "ui/meetings/roll_panel.py": ["Người chưa điểm danh: có mặt", "Lý do vắng"],
        "app/domain/meetings.py": ["Thường kỳ", "Chuyên đề", "Thường kỳ kết hợp chuyên đề", "Bất thường"],
        "app/domain/labels.py": ["Số tán thành", "Số không tán thành", "Số ý kiến khác"],
    },
    "dang-phi.html": {
        "ui/fees/page.py": ["đã đóng", "chưa đóng, đã quá tháng", "đóng muộn", "đóng thiếu", "miễn",
                            "không sinh hoạt tại chi bộ", "Đối tượng đóng…", "Khoản thu khác… (F2)", "Hủy khoản thu…",
                            "Miễn, giảm…", "Lý do chính đáng…", "Sổ đảng phí", "Lưu PDF…", "In…", "Xuất Excel…",
                            "Định mức…"],
        "ui/fees/panels.py": ["Thông báo tháng", "Chép thông báo", "Cảnh báo", "Tổng hợp năm", "Nộp cấp trên…",
                              "Lưu PDF…", "In…"],
        "ui/fees/model.py": ["Còn nợ", "Cộng"],
        "ui/fees/dialogs.py": ["Đóng cho tháng", "Đến tháng", "Ghi khoản thu", "Ghi khoản nộp"],
        "ui/fees/rules_dialog.py": ["Thêm định mức"],
    },
    "an-toan.html": {
        "ui/main_window.py": ["An toàn dữ liệu (sao lưu, mã hóa)…", "Khôi phục từ bản sao lưu…"],
        "ui/safety/safety_dialog.py": ["An toàn dữ liệu", "Lưu thiết lập", "Bật mã hóa…", "Bật mã hóa", "Đổi mật khẩu…",
                                       "Tắt mã hóa…", "Sao lưu ngay", "Sao lưu ra tệp…", "Khôi phục…",
                                       "Kiểm tra dữ liệu", "Chọn…"],
        "app/services/settings.py": ["Số bản sao lưu hằng ngày giữ lại", "Số bản sao lưu hằng tuần giữ lại",
                                     "Số bản sao lưu hằng tháng giữ lại", "Thư mục sao lưu thứ hai (ví dụ USB)",
                                     "Khóa cửa sổ sau số phút không dùng (khi đã mã hóa)"],
        "ui/safety/restore_flow.py": ["Khôi phục"],
        "ui/safety/lock.py": ["Mở khóa"],
    },
    "bieu-mau.html": {
        "ui/meetings/page.py": ["Xem và in", "In…", "Lưu PDF…"],
        "ui/fees/page.py": ["Lưu PDF…", "In…", "Xuất Excel…"],
        "ui/fees/panels.py": ["Thông báo tháng"],
        "ui/main_window.py": ["Tệp", "Xuất danh sách…"],
    },
    "bao-cao.html": {
        "ui/main_window.py": ["Báo cáo"],
        "ui/reports/page.py": ["Kỳ báo cáo", "Năm", "Quý", "Tháng", "Kỳ này", "Cùng kỳ năm trước",
                               "Cần xem lại trước khi gửi", "In biểu ra PDF…", "Xuất Excel…",
                               "Báo cáo Excel cho cấp trên…", "Lập gói gửi cấp trên…", "Nhận gói trả về…",
                               "Các gói đã gửi", "Mở lại kỳ…", "Biểu thống kê", "Gửi cấp trên"],
        "ui/reports/dialogs.py": ["Chỉ số liệu tổng hợp", "Kèm danh sách đảng viên", "Kèm toàn bộ hồ sơ", "Chọn…",
                                  "Lưu gói vào tệp", "Lập gói", "Nhận gói"],
        "ui/roster/page.py": ["Huy hiệu, khen thưởng…", "Lịch sử", "Đổi tình trạng", "Sửa hồ sơ"],
        "ui/roster/history_dialog.py": ["Ghi hình thức…", "Huy hiệu, khen thưởng…"],
        "ui/roster/events_dialog.py": ["Thêm…", "Hủy sự kiện…"],
        "ui/roster/status_dialog.py": ["Nơi chuyển"],
        "app/domain/labels.py": ["Nhóm nghề nghiệp (thống kê)", "Đoàn viên thanh niên", "Hình thức"],
    },
    "tong-hop.html": {
        "ui/main_window.py": ["Các chi bộ", "Tổng hợp"],
        "ui/first_run.py": ["Đây là dữ liệu của Đảng ủy (tổng hợp các chi bộ)", "Tên Đảng ủy", "Cấp trên của Đảng ủy"],
        "ui/superior/cells_page.py": ["Nhận gói của chi bộ…", "Dấu vân tay mới",
                                      "Nhận khóa mới…", "Nhận khóa mới", "Không nhận…", "Không nhận", "Lý do",
                                      "Ghi khóa nhận gói mã hóa…", "Gói trả về…"],
        "ui/superior/receive.py": ["Gói mới", "Gói cập nhật", "Đã nhận từ trước", "Gói cũ hơn", "Xung đột",
                                   "Cần xem lại", "Nhận", "Giữ lại", "Dấu vân tay khóa ký", "Mật khẩu"],
        "ui/superior/consolidated_page.py": ["Tổng hợp", "Biểu thống kê", "Theo chi bộ", "Cần xem lại",
                                             "In tổng hợp ra PDF…"],
        "ui/reports/page.py": ["Kỳ báo cáo", "Năm", "Quý", "Tháng", "Kỳ này", "Cùng kỳ năm trước"],
        "ui/superior/return_dialog.py": ["Năm", "Kỳ đã tiếp nhận", "Chi bộ đề xuất", "Đảng ủy quyết định",
                                         "Theo đề xuất của chi bộ", "Lấy từ tệp…", "Tệp tiêu chí",
                                         "Mật khẩu của gói", "Lưu gói vào tệp", "Lập gói trả về"],
    },
    "nhac-viec.html": {
        "ui/fees/panels.py": ["Cảnh báo"],
        "ui/roster/model.py": ["Ngày vào Đảng"],
        "app/domain/members.py": ["Dự bị"],
        "app/domain/labels.py": ["Ngày lễ kết nạp"],
    },
}


class _Page(html.parser.HTMLParser):
    """The tags, links, text and text outside <kbd> of one help page."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.links: list[str] = []
        self.text: list[str] = []
        self.prose: list[str] = []
        self._in_kbd = 0
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self._in_kbd += tag == "kbd"
        self.links += [value for name, value in attrs if tag == "a" and name == "href"]

    def handle_endtag(self, tag):
        self._in_kbd -= tag == "kbd"

    def handle_data(self, data):
        self.text.append(data)
        if not self._in_kbd:
            self.prose.append(data)

    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def _page(name: str) -> _Page:
    return _Page((paths.help_dir() / name).read_text(encoding="utf-8"))


def _labels_in(source: str) -> set[str]:
    """The strings a file shows (its _() messages), as read on screen: no & mnemonic, no trailing colon."""
    found = set()
    with (ROOT / source).open("rb") as fh:
        for _line, message, _comments, _context in extract("python", fh, keywords={"_": None}):
            found.add(re.sub(r"&(?=\S)", "", message).rstrip(":"))
    return found


@pytest.fixture
def window(qtbot, qapp):  # noqa: F811
    help_window = show_help(None, DEFAULT_AREA)
    yield help_window
    help_window.hide()


def test_the_help_folder_holds_exactly_the_pages_of_the_areas():
    assert sorted(p.name for p in paths.help_dir().glob("*.html")) == sorted(PAGES.values())


@pytest.mark.parametrize("area", list(PAGES))
def test_every_area_opens_its_page_with_a_vietnamese_title(window, area):
    assert show_help(None, area) is window
    title = window.title()
    assert title and any(not ch.isascii() for ch in title), title
    assert window.area() == area
    assert window.topics.currentItem().text() == title


def test_an_unknown_area_opens_the_overview(window):
    show_help(None, "no-such-area")
    assert window.area() == "overview"
    assert window.title() == "Tổng quan"


def test_every_topic_in_the_list_opens_its_page(window):
    for row, area in enumerate(PAGES):
        window.topics.setCurrentRow(row)
        assert window.area() == area
        assert window.title() == window.topics.item(row).text()


@pytest.mark.parametrize("name", sorted(PAGES.values()))
def test_every_link_leads_to_a_page_of_the_guide_and_opens_it(window, name):
    links = _page(name).links
    assert links, f"{name} links to no other page"
    for href in links:
        assert href in PAGES.values() and (paths.help_dir() / href).is_file(), (name, href)
        window.show_area(DEFAULT_AREA)
        window.browser.anchorClicked.emit(QUrl(href))
        assert PAGES[window.area()] == href


@pytest.mark.parametrize("name", sorted(PAGES.values()))
def test_pages_are_nfc_utf8_with_simple_tags_and_one_title(name):
    source = (paths.help_dir() / name).read_bytes().decode("utf-8")
    assert unicodedata.is_normalized("NFC", source)
    page = _Page(source)
    assert page.tags <= ALLOWED_TAGS, page.tags - ALLOWED_TAGS
    assert source.count("<h1>") == 1 and source.lstrip().startswith("<h1>")


@pytest.mark.parametrize("name", sorted(PAGES.values()))
def test_no_english_words_outside_key_names(name):
    words = re.findall(r"[^\W\d_]+", " ".join(_page(name).prose).lower())
    assert sorted(set(words) & set(ENGLISH)) == []


@pytest.mark.parametrize(("name", "source"), [(n, s) for n, sources in LABELS.items() for s in sources])
def test_the_guide_names_the_labels_as_they_are_on_screen(name, source):
    page = _page(name).plain()
    shown = _labels_in(source)
    for label in LABELS[name][source]:
        assert label in page, f"{name} does not name «{label}»"
        assert label in shown, f"{source} no longer shows «{label}»: update {name}"


def test_the_monthly_routine_names_the_meeting_buttons():
    # The two labels the routine rests on, checked against the very file that draws them.
    source = (ROOT / "ui" / "meetings" / "page.py").read_text(encoding="utf-8")
    page = _page("viec-hang-thang.html").plain()
    for label in ("Buổi sinh hoạt mới", "Xem biên bản"):
        assert label in page and f'_("{label}")' in source


def test_the_guide_follows_a_larger_application_font(window, qapp):  # noqa: F811
    before = QFont(QApplication.font())
    small_body = window.browser.document().defaultFont().pointSizeF()
    small_title = _title_points(window)
    try:
        larger = QFont(before)
        larger.setPointSizeF(16.5)
        QApplication.setFont(larger)
        window.apply_font()
        assert window.browser.document().defaultFont().pointSizeF() == pytest.approx(16.5)
        assert window.browser.document().defaultFont().pointSizeF() > small_body
        assert _title_points(window) > small_title
    finally:
        QApplication.setFont(before)
        window.apply_font()
    assert window.browser.document().defaultFont().pointSizeF() == pytest.approx(small_body)


def test_an_open_guide_redraws_when_the_application_font_changes(window, qapp):  # noqa: F811
    before = QFont(QApplication.font())
    small_title = _title_points(window)
    try:
        larger = QFont(before)
        larger.setPointSizeF(before.pointSizeF() * 1.5)
        QApplication.setFont(larger)
        QApplication.processEvents()
        assert _title_points(window) > small_title
    finally:
        QApplication.setFont(before)
        QApplication.processEvents()


def _title_points(window: HelpWindow) -> float:
    block = window.browser.document().begin()
    return block.charFormat().fontPointSize() or block.begin().fragment().charFormat().fontPointSize()


def test_escape_closes_and_the_next_call_reuses_the_window(qtbot, window):
    window.show_area("fees")
    qtbot.keyClick(window.browser, Qt.Key.Key_Escape)
    assert not window.isVisible()
    again = show_help(None, "roster")
    assert again is window and again.isVisible() and again.area() == "roster"
