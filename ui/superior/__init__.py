"""The Đảng ủy's pages: the cells that send it packages (Các chi bộ) and the consolidation of a period (Tổng hợp)."""
from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.services import cell as cell_service
from ui.pages import Page


class SuperiorHub(QObject):
    """Told when packages were received, a conflict settled or a return package written: the history names
    no area of the window's Changes for the Đảng ủy's data, so its pages hear it here."""

    received = Signal()


_hub: SuperiorHub | None = None


def superior_hub() -> SuperiorHub:
    global _hub
    if _hub is None:
        _hub = SuperiorHub()
    return _hub


def packages_changed() -> None:
    superior_hub().received.emit()


def on_superior_file() -> bool:
    try:
        return cell_service.is_superior()
    except Exception:  # noqa: BLE001 - no database open: nothing to show
        return False


class SuperiorPage(Page):
    """A Đảng ủy's page: reloaded when packages are heard of (at once if shown, else when next shown), and
    touched by every change while it lives on a Đảng ủy's file."""

    def _watched(self) -> tuple[QWidget, ...]:
        """The widgets that must still be alive for the page to be."""
        return (self,)

    def _alive(self) -> bool:
        """Built and on a Đảng ủy's file: a page closed and deleted keeps its Python side (and its connections)
        until collected, and a file opened since may be a cell's."""
        return all(shiboken6.isValid(w) for w in self._watched()) and on_superior_file()

    def touched_by(self, changes) -> bool:
        return self._alive() and bool(changes.everything)

    def _heard_packages(self) -> None:
        if not self._alive():
            return
        if self._off_screen():
            self._stale = True
            return
        self.reload()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if getattr(self, "_stale", False):
            self._stale = False
            self.reload()
