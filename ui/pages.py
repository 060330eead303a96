"""The base of every page of the main window: it hears what changed and refreshes when it is shown."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.services.changes import Changes
from ui.ops import hub


class Page(QWidget):
    """A page refreshes only what a change touched (touched_by / apply_changes), and only when shown.

    Subclasses set `area` (the help topic F1 opens) and `title`, and may override flush_edits() to save
    what is being typed before the window switches page, prints or closes.
    """

    area = "overview"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._pending = Changes()
        hub().changed.connect(self._heard)

    def touched_by(self, changes: Changes) -> bool:
        return bool(changes)

    def apply_changes(self, changes: Changes, source: object = None) -> None:
        """Refresh what changes touched (source: the widget that made them, when known); the default
        reads the page again."""
        self.reload()

    def reload(self) -> None:  # pragma: no cover - every page defines its own
        pass

    def flush_edits(self) -> bool:
        """Save what is typed but not saved; False when it could not be saved (the page shows why)."""
        return True

    @property
    def refresh_pending(self) -> bool:
        return bool(self._pending)

    def _off_screen(self) -> bool:
        # A page hidden behind another in the window waits; a page shown alone (a test) refreshes at once.
        window = self.window()
        return window is not self and not self.isVisibleTo(window)

    def _heard(self, changes: Changes, source: object) -> None:
        if not self.touched_by(changes):
            return
        if self._off_screen():
            self._pending = self._pending | changes
            return
        self.apply_changes(changes, source)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._pending:
            pending, self._pending = self._pending, Changes()
            self.apply_changes(pending)
