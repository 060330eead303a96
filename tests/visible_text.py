"""What a window shows in words: the texts of its widgets and actions, for the tests that check Qt speaks Vietnamese."""
from __future__ import annotations

import re
from pathlib import PurePath

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QTabBar, QWidget

# Words Qt shows in English when its catalogue is missing (buttons, text-box menus, the file dialog).
ENGLISH_WORDS = ("Look", "File", "name", "Save", "Cancel", "Open", "Undo", "Redo", "Copy", "Paste", "Delete",
                 "Select", "Type", "Size", "Date", "Modified", "Name", "OK", "Yes", "No", "Close", "Apply",
                 "Back", "Forward", "Folder", "Detail", "List")
# QFileDialog's places list keeps each place's URL under this role (QUrlModel::UrlRole).
_SIDEBAR_URL_ROLE = Qt.ItemDataRole.UserRole + 1
_TEXT_GETTERS = ("text", "toolTip", "windowTitle", "title", "placeholderText", "accessibleName")


def _own_texts(obj: QObject) -> list[str]:
    found = []
    for getter in _TEXT_GETTERS:
        method = getattr(obj, getter, None)
        if not callable(method):
            continue
        try:
            value = method()
        except TypeError:  # a getter of the same name that wants arguments (QTabBar.tabText…)
            continue
        if isinstance(value, str) and value:
            found.append(value)
    return found


def _is_path(text: str) -> bool:
    """Folder names in the Look-in list are the user's own, not Qt's words."""
    return PurePath(text).is_absolute() or text.startswith("~")


def _row_texts(view: QAbstractItemView) -> list[str]:
    """What the rows say besides a file's own name: size, type, date; in the places list of a file
    dialog, only the computer's own entry (the others are the user's folder names)."""
    model, parent = view.model(), view.rootIndex()
    rows = [model.index(r, 0, parent) for r in range(model.rowCount(parent))]
    if view.objectName() == "sidebar":
        return [str(i.data() or "") for i in rows if QUrl(i.data(_SIDEBAR_URL_ROLE)).path() in ("", "/")]
    columns = range(1, model.columnCount(parent))
    return [str(model.index(i.row(), c, parent).data() or "") for i in rows for c in columns]


def visible_texts(root: QObject, *, skip: tuple[str, ...] = ()) -> list[str]:
    """Every label, button, action, tooltip, combo item, tab, column header and row under root.

    Text boxes holding a file name, combo items that are paths and the names of files and folders
    are left out: they show what the secretary typed or where her files are. `skip` drops more
    texts (printer names, for instance).
    """
    texts: list[str] = []
    for obj in [root, *root.findChildren(QObject)]:
        if isinstance(obj, QWidget) and obj.objectName() == "fileNameEdit":
            continue
        if isinstance(obj, (QWidget, QAction)):
            texts += _own_texts(obj)
        if isinstance(obj, QComboBox):
            texts += [t for t in (obj.itemText(i) for i in range(obj.count())) if not _is_path(t)]
        if isinstance(obj, QTabBar):
            texts += [obj.tabText(i) for i in range(obj.count())]
        if isinstance(obj, QAbstractItemView) and obj.model() is not None:
            model = obj.model()
            texts += [str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
                      for c in range(model.columnCount())]
            texts += _row_texts(obj)
    return [t for t in texts if t and t not in skip]


def english_words(texts: list[str], words: tuple[str, ...] = ENGLISH_WORDS) -> dict[str, list[str]]:
    """{text: [English words it contains]}, mnemonic ampersands removed, whole words, any case."""
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
    found = {}
    for text in texts:
        hits = pattern.findall(text.replace("&", ""))
        if hits:
            found[text] = hits
    return found


def wait_for_file_rows(qtbot, dialog, count: int) -> None:
    """QFileSystemModel reads a folder on a thread; wait until the dialog's list holds count typed rows."""
    view = dialog.findChild(QAbstractItemView, "treeView")

    def loaded() -> None:
        model, parent = view.model(), view.rootIndex()
        assert model.rowCount(parent) == count
        assert all(model.index(r, 2, parent).data() for r in range(count))

    qtbot.waitUntil(loaded, timeout=10000)
