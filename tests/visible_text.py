"""What a window shows in words: the texts of its widgets and actions, for the tests that check Qt speaks Vietnamese."""
from __future__ import annotations

import re
from pathlib import PurePath

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QTabBar, QWidget

# Words Qt shows in English when its catalogue is missing (buttons, text-box menus, the file dialog).
ENGLISH_WORDS = ("Look", "File", "name", "Save", "Cancel", "Open", "Undo", "Redo", "Copy", "Paste", "Delete",
                 "Select", "Type", "Size", "Date", "Modified", "Name", "OK", "Yes", "No", "Close", "Apply",
                 "Back", "Forward", "Folder", "Detail", "List")
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


def visible_texts(root: QObject, *, skip: tuple[str, ...] = ()) -> list[str]:
    """Every label, button, action, tooltip, combo item, tab and column header under root.

    Text boxes holding a file name and combo items that are paths are left out: they show what the
    secretary typed or where her files are. `skip` drops more texts (printer names, for instance).
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
