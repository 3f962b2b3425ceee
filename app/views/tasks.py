"""Background work has one shape (STYLE habit 4): a function runs on the thread pool with
its own session, and its result or error comes back on the GUI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger("kestrel.ui")


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)
    progress = Signal(str, int, int)


class Task(QRunnable):
    """Run `work(report)` off the GUI thread; `report(stage, done, total)` posts progress."""

    def __init__(self, work: Callable[[Callable[[str, int, int], None]], Any]) -> None:
        super().__init__()
        self.signals = _Signals()
        self._work = work
        self.cancelled = False
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self._work(self.signals.progress.emit)
        except Exception as exc:  # handed to the GUI thread, which decides what to show
            log.debug("background task failed", exc_info=True)
            self._emit(self.signals.failed, exc)
        else:
            self._emit(self.signals.succeeded, result)

    @staticmethod
    def _emit(signal: Any, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the receiver closed (app quitting): nobody is waiting
            log.debug("background result dropped: receiver is gone")


_running: set[Task] = set()


def run_in_background(
    work: Callable[[Callable[[str, int, int], None]], Any],
    on_success: Callable[[Any], None],
    on_error: Callable[[Exception], None],
    on_progress: Callable[[str, int, int], None] | None = None,
    owner: QObject | None = None,
) -> Task:
    """Run `work` on the thread pool; its result comes back on the GUI thread — unless
    `owner` (the widget that asked) has been closed and deleted meanwhile."""
    from shiboken6 import isValid

    task = Task(work)
    _running.add(task)

    def gone() -> bool:
        return owner is not None and not isValid(owner)

    def finish_ok(result: Any) -> None:
        _running.discard(task)
        if not gone():
            on_success(result)

    def finish_error(exc: Exception) -> None:
        _running.discard(task)
        if not gone():
            on_error(exc)

    task.signals.succeeded.connect(finish_ok)
    task.signals.failed.connect(finish_error)
    if on_progress is not None:
        task.signals.progress.connect(on_progress)
    QThreadPool.globalInstance().start(task)
    return task


def wait_for_background(timeout_ms: int = 10_000) -> None:
    """Let running tasks finish (their sessions close cleanly) before the app exits."""
    QThreadPool.globalInstance().waitForDone(timeout_ms)
