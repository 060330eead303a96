"""Long work (import, export) off the GUI thread, with a progress dialog and a clear error message."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.i18n import _
from ui.dialogs import show_error
from ui.ops import error_text

# Running tasks, kept alive until their result has been delivered to the GUI thread.
_running: set["Task"] = set()


def _close_thread_connection() -> None:
    """peewee opens one SQLite connection per thread; close this pool thread's so the file is not held."""
    from app.services.safety import close_worker_connection

    close_worker_connection()


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], object], task: "Task"):
        super().__init__()
        self.fn, self.task = fn, task

    def run(self) -> None:
        # Only signals leave this thread; widgets are touched by the Task's slots in the GUI thread.
        try:
            self.task.succeeded.emit(self.fn())
        except Exception as exc:  # noqa: BLE001 - any failure must reach the user, not vanish with the thread
            self.task.failed.emit(error_text(exc))
        finally:
            _close_thread_connection()


class Task(QObject):
    """One job: fn runs on a pool thread; on_done(result) or the error box runs on the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QWidget | None, label: str, fn: Callable[[], object],
                 on_done: Callable[[object], None], on_error: Callable[[str], None] | None = None):
        super().__init__()
        self.on_done, self.on_error, self.parent_widget = on_done, on_error, parent
        self.finished = False
        self.progress = QProgressDialog(label, "", 0, 0, parent)
        self.progress.setWindowTitle(_("Xin chờ"))
        self.progress.setCancelButton(None)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        # Short jobs finish before the dialog would appear, so it never flashes.
        self.progress.setMinimumDuration(400)
        self.succeeded.connect(self._succeeded, Qt.ConnectionType.QueuedConnection)
        self.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self.job = _Job(fn, self)
        self.job.setAutoDelete(False)

    def start(self) -> "Task":
        _running.add(self)
        QThreadPool.globalInstance().start(self.job)
        return self

    def _finish(self) -> None:
        self.finished = True
        self.progress.reset()
        self.progress.hide()
        self.progress.deleteLater()
        _running.discard(self)

    @Slot(object)
    def _succeeded(self, result: object) -> None:
        self._finish()
        self.on_done(result)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._finish()
        if self.on_error is not None:
            self.on_error(message)
        else:
            show_error(self.parent_widget, message)


def run_task(parent: QWidget | None, label: str, fn: Callable[[], object],
             on_done: Callable[[object], None], on_error: Callable[[str], None] | None = None) -> Task:
    """Run fn() off the GUI thread behind a progress dialog; the callbacks run on the GUI thread."""
    return Task(parent, label, fn, on_done, on_error).start()
