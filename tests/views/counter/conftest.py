"""The counter's GUI fixture: the main window on the Counter screen, the till open, a
receipt printer that is the TCP printer emulator, and the scanner filter installed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.printing import printers
from app.services.printing.printers import PrinterInput
from app.services.printing.worker import PrintWorker
from app.views.main_window import MainWindow
from app.views.scanner import ScannerFilter
from tests.views.conftest import show_active


@pytest.fixture
def counter_window(qtbot, qapp, ctx, emulator, settle):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    scanner = ScannerFilter(parent=window)
    scanner.scanned.connect(window.route_scan)
    scanner.install(qapp)
    with ctx.database.write() as s:
        printers.add_printer(
            s, ctx.actor, "till-1", PrinterInput("Receipts", emulator.uri, "receipt")
        )
    worker = PrintWorker(ctx.database, "till-1", idle_poll=0.05)
    ctx.wake_printer = worker.wake
    worker.start()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    screen = window.stack.currentWidget()
    screen.open_till("100.00")
    settle()
    screen.input.setFocus()
    yield window, screen
    worker.stop()
    qapp.removeEventFilter(scanner)
