"""Asking where to save a file: Qt's own dialog in Vietnamese, starting in the folder the secretary used last.

Every page that saves a PDF or a spreadsheet calls ask_save_path, with a name from
app.reports.file_names.document_file_name, so the dialog looks and behaves the same everywhere:

    path = ask_save_path(self, title=_("Lưu biên bản"), file_filter=PDF_FILTER,
                         suggested_name=document_file_name("minutes", meeting.day))
    if path is None:
        return  # the secretary cancelled
"""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtWidgets import QDialog, QFileDialog, QHeaderView, QSplitter, QTreeView, QWidget

from app.i18n import _
from ui.dialogs import settings

PDF_FILTER = _("Tệp PDF (*.pdf)")
EXCEL_FILTER = _("Bảng tính Excel (*.xlsx)")
# The folder of the last file saved in any area; each area (pdf, excel, …) also keeps its own.
LAST_FOLDER_KEY = "files/last_folder"
_PATTERN = re.compile(r"\*\.([A-Za-z0-9]+)")


def filter_extensions(file_filter: str) -> list[str]:
    """The extensions a name filter accepts, first one first: "Tệp PDF (*.pdf)" → ["pdf"]."""
    return [ext.lower() for ext in _PATTERN.findall(file_filter.split(";;")[0])]


def with_extension(path: Path, extensions: list[str]) -> Path:
    """The path, with the first extension added when it has none of them ("bien-ban" → "bien-ban.pdf")."""
    if not extensions or path.suffix.lower().removeprefix(".") in extensions:
        return path
    # Windows drops trailing dots and spaces from a name; "bien-ban." must not become "bien-ban..pdf".
    return path.with_name(path.name.rstrip(". ") + "." + extensions[0])


def _area_key(area: str) -> str:
    return f"{LAST_FOLDER_KEY}_{area}"


def remembered_folder(area: str = "pdf") -> Path:
    """Where the next save dialog of this area opens: its last folder, else the last of any area,
    else Documents. A folder that has gone (a USB stick taken out) is passed over."""
    store = settings()
    for key in (_area_key(area), LAST_FOLDER_KEY):
        folder = str(store.value(key, "", type=str) or "")
        if folder and Path(folder).is_dir():
            return Path(folder)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def remember_folder(folder: Path, area: str = "pdf") -> None:
    store = settings()
    store.setValue(_area_key(area), str(folder))
    store.setValue(LAST_FOLDER_KEY, str(folder))


def _places(folder: Path) -> list[QUrl]:
    """The places list: the computer, the home folder, Documents, Desktop and the folder opened."""
    locations = (QStandardPaths.StandardLocation.HomeLocation, QStandardPaths.StandardLocation.DocumentsLocation,
                 QStandardPaths.StandardLocation.DesktopLocation)
    folders = [Path(p) for p in map(QStandardPaths.writableLocation, locations) if p and Path(p).is_dir()]
    unique = list(dict.fromkeys([*folders, folder]))
    return [QUrl("file:"), *(QUrl.fromLocalFile(str(f)) for f in unique)]


def set_vietnamese_labels(dialog: QFileDialog, accept_label: str) -> None:
    """The labels Qt lets a program set, so they read Vietnamese even without Qt's catalogue."""
    labels = {QFileDialog.DialogLabel.LookIn: _("&Tìm trong:"), QFileDialog.DialogLabel.FileName: _("Tê&n tệp:"),
              QFileDialog.DialogLabel.FileType: _("L&oại tệp:"), QFileDialog.DialogLabel.Accept: accept_label,
              QFileDialog.DialogLabel.Reject: _("Hủy")}
    for which, text in labels.items():
        dialog.setLabelText(which, text)


class SaveFileDialog(QFileDialog):
    """Qt's non-native save dialog (native ones ignore the program's language): Vietnamese labels, the
    suggested name filled in, and a name typed without its extension given the filter's before Qt asks
    whether to replace an existing file, so that question is about the file really written."""

    def __init__(self, parent: QWidget | None, *, title: str, suggested_name: str, file_filter: str, folder: Path):
        super().__init__(parent, title, str(folder), file_filter)
        self.setOption(QFileDialog.Option.DontUseNativeDialog)
        self.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        self.setFileMode(QFileDialog.FileMode.AnyFile)
        set_vietnamese_labels(self, _("&Lưu"))
        self._give_room()
        self.setSidebarUrls(_places(folder))
        self.selectFile(suggested_name)

    def _give_room(self) -> None:
        """Vietnamese words are longer than Qt's English: without room, "Kích thước" and the place
        names are cut off."""
        self.resize(max(self.width(), 860), max(self.height(), 520))
        splitter = self.findChild(QSplitter, "splitter")
        if splitter is not None and splitter.count() == 2:
            splitter.setSizes([180, 680])
        tree = self.findChild(QTreeView, "treeView")
        if tree is not None:
            header = tree.header()
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            for column in range(1, header.count()):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def accept(self) -> None:
        names = self.selectedFiles()
        if names and not Path(names[0]).is_dir():  # a folder's name opens the folder, as in Qt
            fixed = with_extension(Path(names[0]), filter_extensions(self.selectedNameFilter()))
            if str(fixed) != names[0]:
                self.selectFile(str(fixed))
        super().accept()

    def chosen_path(self) -> Path | None:
        names = self.selectedFiles()
        return Path(names[0]) if names else None


def save_dialog(parent: QWidget | None, *, title: str, suggested_name: str, file_filter: str,
                area: str = "pdf") -> SaveFileDialog:
    """The dialog ask_save_path runs, opened in the area's remembered folder (tests show it without exec)."""
    return SaveFileDialog(parent, title=title, suggested_name=suggested_name, file_filter=file_filter,
                          folder=remembered_folder(area))


def ask_save_path(parent: QWidget | None, *, title: str, suggested_name: str, file_filter: str,
                  area: str = "pdf") -> Path | None:
    """Ask where to save; the path chosen (extension added if left off), or None when cancelled.

    `title` is the dialog's Vietnamese title ("Lưu biên bản"); `suggested_name` a bare file name,
    normally document_file_name(...); `file_filter` a Qt name filter such as PDF_FILTER or
    EXCEL_FILTER; `area` names the remembered folder ("pdf", "excel", "backup"…). Qt has already
    asked, in Vietnamese, before a path to an existing file is returned. The folder is remembered.
    """
    dialog = save_dialog(parent, title=title, suggested_name=suggested_name, file_filter=file_filter, area=area)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        path = dialog.chosen_path()
    finally:
        dialog.deleteLater()
    if path is not None:
        remember_folder(path.parent, area)
    return path
