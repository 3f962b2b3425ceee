"""Driving the import wizard the way a clerk does, for these tests and the end-to-end
test: the screen's Import button, the file (set on the dialog: no native file dialog in
tests), the preview, the choice, the Import button."""

from __future__ import annotations

import csv
import io

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QPushButton

from app.views import tasks


def write_csv(path, rows, *, encoding="utf-8", delimiter=";"):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def settle(qtbot, timeout=30_000):
    qtbot.waitUntil(tasks.idle, timeout=timeout)


def click(qtbot, widget):
    """A real click; a radio button or check box on its indicator (a click on the empty
    width a layout gave it hits nothing, as for a user)."""
    assert widget.isEnabled(), widget.toolTip() or widget.objectName()
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        where = QPoint(6, widget.height() // 2)
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=where)
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def open_import(qtbot, screen, kind="products"):
    """Click the screen's Import button for `kind`; the dialog it opened."""
    from app.views.transfer.import_dialog import ImportDialog

    click(qtbot, screen.findChild(QPushButton, f"import_{kind}"))
    dialog = next(d for d in screen.findChildren(ImportDialog) if d.kind == kind and d.isVisible())
    return dialog


def preview_file(qtbot, dialog, path):
    """Choose the file and wait for its preview (or its refusal)."""
    dialog.set_path(path)
    qtbot.waitUntil(lambda: not dialog._running and tasks.idle(), timeout=60_000)


def import_through_dialog(qtbot, window_or_screen, path, kind="products", skip_bad=False):
    """Open the import from the screen's button, preview `path`, choose skip-bad or
    all-or-nothing, click Import and wait: the dialog, with `result` set if it wrote."""
    dialog = open_import(qtbot, window_or_screen, kind)
    preview_file(qtbot, dialog, path)
    assert dialog.preview is not None, dialog.summary.text()
    click(qtbot, dialog.skip_bad if skip_bad else dialog.all_or_nothing)
    click(qtbot, dialog.import_button)
    qtbot.waitUntil(lambda: not dialog._running and tasks.idle(), timeout=60_000)
    return dialog
