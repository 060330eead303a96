"""The Đảng ủy's pages: the cells that send it packages (Các chi bộ) and the consolidation of a period (Tổng hợp)."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal


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
