"""Two kinds of error (STYLE habit 5): domain errors are told in words; anything else is a
bug, logged with its traceback and shown in a dialog that leaves the user's work open."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app import paths
from app.core.errors import KestrelError
from app.core.i18n import _

log = logging.getLogger("kestrel.ui")

# A dialog without a parent (the excepthook's) would be freed with its last Python name,
# before anyone read it: kept here until it is closed.
_open: list[QMessageBox] = []


def _show(box: QMessageBox) -> None:
    _open.append(box)
    box.finished.connect(lambda _r: _open.remove(box) if box in _open else None)
    box.open()


def describe(exc: BaseException) -> str:
    if isinstance(exc, KestrelError):
        return exc.message
    return f"Something went wrong inside Kestrel ({type(exc).__name__}). It was written to the log."


def log_bug(exc: BaseException, what: str = "unexpected error") -> None:
    """Log a bug at ERROR with its traceback, once (a background task logs it where it
    failed; the dialog that shows it later does not log it again)."""
    if getattr(exc, "_kestrel_logged", False):
        return
    log.error(what, exc_info=(type(exc), exc, exc.__traceback__))
    try:
        exc._kestrel_logged = True  # type: ignore[attr-defined]
    except AttributeError:  # pragma: no cover (an exception type without a __dict__)
        pass


def report_bug(parent: QWidget | None, exc: BaseException) -> None:
    log_bug(exc)
    app = QApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return  # widgets live on the GUI thread only; the log has it
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_("Kestrel hit a bug"))
    box.setText(
        _(
            "Kestrel hit an unexpected problem. Your open work is still there; "
            "the details are in the log at {folder}."
        ).format(folder=paths.log_dir())
    )
    box.setDetailedText("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    _show(box)


def report(parent: QWidget | None, exc: BaseException) -> None:
    """A domain error is told in words; anything else is a bug."""
    if not isinstance(exc, KestrelError):
        report_bug(parent, exc)
        return
    log.info("told the user: %s", exc.message)
    app = QApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Kestrel")
    box.setText(exc.message)
    _show(box)


def on_background_error(
    what: str, show: Callable[[str], None] | None = None
) -> Callable[[Exception], None]:
    """An on_error for a background task that has nothing to undo: a domain error is shown
    with `show` (or noted in the log when there is nowhere to show it); a bug has been
    logged at ERROR with its traceback by the task."""

    def failed(exc: Exception) -> None:
        if isinstance(exc, KestrelError):
            if show is not None:
                show(exc.message)
            else:
                log.info("%s: %s", what, exc.message)
        else:
            log_bug(exc, f"{what} failed")

    return failed


def install_excepthook() -> None:
    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        exc.__traceback__ = tb
        report(None, exc)

    sys.excepthook = hook
