"""The Inventory screen's GUI fixture: the main window on Inventory, with the scanner
filter installed so scans arrive as a scanner sends them."""

from __future__ import annotations

import pytest

from app.views.main_window import MainWindow
from app.views.scanner import ScannerFilter
from tests.views.conftest import show_active


@pytest.fixture
def inventory(qtbot, qapp, ctx, settle):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    scanner = ScannerFilter(parent=window)
    scanner.scanned.connect(window.route_scan)
    scanner.install(qapp)
    screen = window.show_screen("Inventory")
    settle()
    yield window, screen
    qapp.removeEventFilter(scanner)
