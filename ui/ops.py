"""The one way the window changes data: run a service, show its error the one way, tell every page what changed.

The pattern is Anki's CollectionOp: a page never reloads itself after a change; it calls run_op, and every
page hears on the hub what the change touched and refreshes that, now if it is shown or when it is next shown.
"""
from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.i18n import _
from app.services import changes as change_service
from app.services import failures
from app.services.changes import Changes, Outcome
from app.services.errors import ServiceError, ValidationFailed
from ui.dialogs import show_error


class IssueView(Protocol):
    """A dialog or form that can put each issue next to its field (BaseDialog.show_issues)."""

    def show_issues(self, issues: list) -> None: ...


class ChangeHub(QObject):
    """Carries every operation's Changes to every page; `changed(changes, source)`."""

    changed = Signal(object, object)


_hub: ChangeHub | None = None


def hub() -> ChangeHub:
    global _hub
    if _hub is None:
        _hub = ChangeHub()
    return _hub


def announce(changes: Changes, source: object = None) -> None:
    """Tell the pages about a change made outside run_op (a restore done by its own flow)."""
    if changes:
        hub().changed.emit(changes, source)


def error_text(exc: BaseException) -> str:
    """The Vietnamese message for any failure of an operation: a locked, full or read-only file or a pulled
    stick says what to do (failures.message_for), a service's refusal is its own message."""
    text = failures.user_text(exc)
    if text is not None:
        return text
    return _("Có lỗi không lường trước; dữ liệu đã lưu không bị thay đổi.\n\n{error}").format(
        error=traceback.format_exception_only(type(exc), exc)[-1].strip())


def show_failure(parent: QWidget | None, exc: BaseException, issues_to: IssueView | None = None) -> None:
    """Field messages next to their fields when there is a form to hold them; everything else in one box."""
    if isinstance(exc, ValidationFailed) and issues_to is not None:
        issues_to.show_issues(exc.issues)
        return
    show_error(parent, error_text(exc))


def run_op(parent: QWidget | None, fn: Callable[[], object], *, issues_to: IssueView | None = None,
           source: object = None) -> Outcome | None:
    """Run fn() (a service call) now; on success announce what it changed and return the Outcome,
    on failure show why and return None. Nothing is half-written: each service is one transaction."""
    try:
        outcome = change_service.perform(fn)
    except Exception as exc:  # noqa: BLE001 - every failure reaches the secretary the same way
        show_failure(parent, exc, issues_to)
        return None
    announce(outcome.changes, source)
    return outcome


def run_long_op(parent: QWidget | None, label: str, fn: Callable[[], object],
                on_done: Callable[[object], None] | None = None) -> None:
    """Run fn() off the GUI thread behind a progress dialog (import, printing many forms), then announce."""
    from ui.tasks import run_task

    def finished(outcome: Outcome) -> None:
        announce(outcome.changes)
        if on_done is not None:
            on_done(outcome.value)

    def work() -> Outcome:
        try:
            return change_service.perform(fn)
        except Exception as exc:  # noqa: BLE001 - the progress dialog's box shows the same message as run_op's
            raise ServiceError(error_text(exc)) from exc

    run_task(parent, label, work, finished)
