"""Two kinds of error (STYLE habit 5): domain errors are told in words; anything else is a
bug, logged with its traceback and shown in a dialog that leaves the user's work open."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app import paths
from app.core.errors import KestrelError

log = logging.getLogger("kestrel.ui")


def describe(exc: BaseException) -> str:
    if isinstance(exc, KestrelError):
        return exc.message
    return f"Something went wrong inside Kestrel ({type(exc).__name__}). It was written to the log."


def report_bug(parent: QWidget | None, exc: BaseException) -> None:
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    app = QApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return  # widgets live on the GUI thread only; the log has it
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Kestrel hit a bug")
    box.setText(
        "Kestrel hit an unexpected problem. Your open work is still there; "
        f"the details are in the log at {paths.log_dir()}."
    )
    box.setDetailedText("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    box.open()


def install_excepthook() -> None:
    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        exc.__traceback__ = tb
        report_bug(None, exc)

    sys.excepthook = hook
