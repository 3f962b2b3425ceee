"""Background work has one shape (STYLE habit 4): a function runs on the thread pool with
its own session, and its result or error comes back on the GUI thread.

No Qt object is made, owned or freed on a worker thread: a task is a plain Python object
whose `run` the pool calls through its own runnable, and its outcome travels through one
long-lived dispatcher that lives on the GUI thread. (Each
task used to carry a QObject of its own for its signals; when the worker thread dropped
the last reference to a finished task, that QObject was deleted on the wrong thread while
the GUI thread still delivered its signal: "shared QObject was deleted directly", then a
segmentation fault on closing the window.)
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from app.core.errors import KestrelError

log = logging.getLogger("kestrel.ui")

Report = Callable[[str, int, int], None]


@dataclass
class _Pending:
    on_success: Callable[[Any], None]
    on_error: Callable[[Exception], None]
    on_progress: Callable[[str, int, int], None] | None
    owner: QObject | None
    task: Task


class _Dispatcher(QObject):
    """Lives on the GUI thread; workers emit on it, so delivery is always queued there."""

    outcome = Signal(object)  # (task id, "ok" | "error" | "progress", value)

    def __init__(self) -> None:
        super().__init__()
        self.pending: dict[int, _Pending] = {}
        self.outcome.connect(self._deliver)

    def _deliver(self, message: tuple[int, str, Any]) -> None:
        from shiboken6 import isValid

        task_id, kind, value = message
        pending = (
            self.pending.get(task_id) if kind == "progress" else self.pending.pop(task_id, None)
        )
        if pending is None:
            return
        if pending.owner is not None and not isValid(pending.owner):
            return  # the widget that asked has been closed: nobody is waiting
        if kind == "ok":
            pending.on_success(value)
        elif kind == "error":
            pending.on_error(value)
        elif pending.on_progress is not None:
            pending.on_progress(*value)


_dispatcher: _Dispatcher | None = None
_ids = itertools.count(1)
_lock = threading.Lock()


def _the_dispatcher() -> _Dispatcher:
    global _dispatcher  # noqa: PLW0603 (one per process, made on the GUI thread at first use)
    if _dispatcher is None:
        _dispatcher = _Dispatcher()
    return _dispatcher


class Task:
    """Run `work(report)` off the GUI thread; `report(stage, done, total)` posts progress."""

    def __init__(self, task_id: int, work: Callable[[Report], Any], out: Any) -> None:
        self.task_id = task_id
        self._work: Callable[[Report], Any] | None = work
        self._out = out
        self.cancelled = False

    def _report(self, stage: str, done: int, total: int) -> None:
        self._emit("progress", (stage, done, total))

    def run(self) -> None:
        work, self._work = self._work, None
        assert work is not None
        try:
            result = work(self._report)
        except Exception as exc:  # handed to the GUI thread, which decides what to show
            if isinstance(exc, KestrelError):
                log.debug("background task: %s", exc.message)
            else:  # a bug: logged here with its traceback, whatever on_error does with it
                log.error("background task failed", exc_info=True)
                exc._kestrel_logged = True  # type: ignore[attr-defined]
            del work
            self._emit("error", exc)
        else:
            del work
            self._emit("ok", result)

    def _emit(self, kind: str, value: object) -> None:
        try:
            self._out.emit((self.task_id, kind, value))
        except RuntimeError:  # the application is quitting: nobody is waiting
            log.debug("background result dropped: the dispatcher is gone")


def run_in_background(
    work: Callable[[Report], Any],
    on_success: Callable[[Any], None],
    on_error: Callable[[Exception], None],
    on_progress: Callable[[str, int, int], None] | None = None,
    owner: QObject | None = None,
) -> Task:
    """Run `work` on the thread pool; its result comes back on the GUI thread — unless
    `owner` (the widget that asked) has been closed and deleted meanwhile. Call it from
    the GUI thread."""
    dispatcher = _the_dispatcher()
    with _lock:
        task_id = next(_ids)
    task = Task(task_id, work, dispatcher.outcome)
    dispatcher.pending[task_id] = _Pending(on_success, on_error, on_progress, owner, task)
    QThreadPool.globalInstance().start(task.run)
    return task


def wait_for_background(timeout_ms: int = 10_000) -> None:
    """Let running tasks finish (their sessions close cleanly) before the app exits."""
    QThreadPool.globalInstance().waitForDone(timeout_ms)


def idle() -> bool:
    """No background work is waiting to report back (tests wait for this after a click)."""
    return _dispatcher is None or not _dispatcher.pending
