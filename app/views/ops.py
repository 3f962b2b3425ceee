"""One operation shape for every screen (issue 14, as Anki's CollectionOp/QueryOp):

    query(self, ctx, lambda s: order_detail.get_order(s, order_id, actor)).on_success(show).run()
    op(self, ctx, lambda s: order_actions.accept(s, actor, order_id)).busy(button).run()

`query` reads in a read session, `op` writes through `Database.transact` (a deadlock or a
serialization conflict runs the work again, so the work must be a service call that can
be repeated whole). Both run on the thread pool, never on the GUI thread, and hand their
result back on the GUI thread. A domain error (`KestrelError`) goes to the screen's
message line (`.message(...)`) or, when the screen gave none, a message box; anything else
is a bug: logged at ERROR with its traceback and shown in the bug dialog, leaving the
user's work (the form, the cart) as it was. `.busy(widgets)` disables what would start the
same operation again until it is over, so a double click cannot sell twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from app.core.errors import KestrelError
from app.db import Database
from app.db import ServiceSession as Session
from app.views import errors
from app.views.tasks import Report, Task, run_in_background

T = TypeVar("T")


class _HasDatabase:  # the part of AppContext an operation needs (keeps this module small)
    database: Database


class Op(Generic[T]):
    """One service call off the GUI thread; build it with `query` or `op`, then `run()`."""

    def __init__(
        self,
        parent: QWidget | None,
        database: Database,
        work: Callable[[Session], T],
        *,
        write: bool,
    ) -> None:
        self._parent = parent
        self._database = database
        self._work: Callable[[Session, Report], T] = lambda session, _report: work(session)
        self._write = write
        self._on_progress: Callable[[str, int, int], None] | None = None
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[KestrelError], None] | None = None
        self._on_done: Callable[[], None] | None = None
        self._message: Callable[[str], None] | None = None
        self._busy: tuple[QWidget, ...] = ()

    def on_success(self, callback: Callable[[T], None]) -> Op[T]:
        self._on_success = callback
        return self

    def on_failure(self, callback: Callable[[KestrelError], None]) -> Op[T]:
        """A domain error, for a screen that has something to undo or show besides words."""
        self._on_failure = callback
        return self

    def message(self, show: Callable[[str], None]) -> Op[T]:
        """Where a domain error's words go (the screen's message line)."""
        self._message = show
        return self

    def finally_(self, callback: Callable[[], None]) -> Op[T]:
        """Runs after success or failure of either kind (a spinner to stop, a flag to clear)."""
        self._on_done = callback
        return self

    def reporting(
        self, work: Callable[[Session, Report], T], progress: Callable[[str, int, int], None]
    ) -> Op[T]:
        """Run `work(session, report)` instead: its `report(stage, done, total)` calls
        reach `progress` on the GUI thread (a long import's progress bar)."""
        self._work = work
        self._on_progress = progress
        return self

    def busy(self, *widgets: QWidget) -> Op[T]:
        self._busy = widgets
        return self

    def run(self) -> Task:
        for widget in self._busy:
            widget.setEnabled(False)
        return run_in_background(
            self._in_worker, self._succeeded, self._failed, self._on_progress, owner=self._parent
        )

    def _in_worker(self, report: Report) -> T:
        if not self._write:
            with self._database.read() as session:
                return self._work(session, report)
        result: list[T] = []

        def attempt(session: Session) -> None:
            result[:] = [self._work(session, report)]

        self._database.transact(attempt)
        return result[0]

    def _release(self) -> None:
        for widget in self._busy:
            if isValid(widget):
                widget.setEnabled(True)

    def _succeeded(self, value: Any) -> None:
        self._release()
        try:
            if self._on_success is not None:
                self._on_success(value)
        finally:
            if self._on_done is not None:
                self._on_done()

    def _failed(self, exc: Exception) -> None:
        self._release()
        try:
            if not isinstance(exc, KestrelError):
                errors.report_bug(self._parent, exc)
            elif self._on_failure is not None:
                self._on_failure(exc)
            elif self._message is not None:
                self._message(exc.message)
            else:
                errors.report(self._parent, exc)
        finally:
            if self._on_done is not None:
                self._on_done()


def query(parent: QWidget | None, ctx: _HasDatabase, work: Callable[[Session], T]) -> Op[T]:
    """A read: `work(session)` in a read session, off the GUI thread."""
    return Op(parent, ctx.database, work, write=False)


def op(parent: QWidget | None, ctx: _HasDatabase, work: Callable[[Session], T]) -> Op[T]:
    """A write: `work(session)` in one transaction (retried whole on a deadlock)."""
    return Op(parent, ctx.database, work, write=True)


def _quiet(_stage: str, _done: int, _total: int) -> None:
    pass


def query_reporting(
    parent: QWidget | None,
    ctx: _HasDatabase,
    work: Callable[[Session, Report], T],
    progress: Callable[[str, int, int], None],
) -> Op[T]:
    """A long read whose `report(stage, done, total)` reaches `progress` on the GUI thread."""
    return Op(parent, ctx.database, lambda s: work(s, _quiet), write=False).reporting(
        work, progress
    )


def op_reporting(
    parent: QWidget | None,
    ctx: _HasDatabase,
    work: Callable[[Session, Report], T],
    progress: Callable[[str, int, int], None],
) -> Op[T]:
    """A long write (one transaction) whose progress reaches `progress` on the GUI thread."""
    return Op(parent, ctx.database, lambda s: work(s, _quiet), write=True).reporting(work, progress)
