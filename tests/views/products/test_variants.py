"""The variants dialog from the product editor: axes typed as a person types them, the
variants made and listed, more values adding only new ones, a malformed line refused in
words with nothing written; every item model through qtmodeltester."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from shiboken6 import isValid

from app.services.stock import variants
from app.views.main_window import MainWindow
from app.views.products.editor import ProductEditor
from app.views.products.variants import VariantsDialog
from tests.views.conftest import show_active


@pytest.fixture
def editor(qtbot, ctx, settle):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    screen = window.show_screen("Inventory").catalogue
    qtbot.waitUntil(lambda: screen.model.rowCount() > 0)
    editor = ProductEditor(ctx, screen.model.row(0).id, window)
    editor.show()
    qtbot.waitUntil(lambda: editor.loaded)
    settle()
    yield editor
    if isValid(editor):
        editor.reject()
    settle()


def _type(qtbot, widget, text):
    widget.setFocus()
    for line_no, line in enumerate(text.split("\n")):
        if line_no:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        qtbot.keyClicks(widget, line)  # a person typing (not a scan): keyClicks is right here


def test_make_variants_from_the_editor(qtbot, editor, ctx, settle, qtmodeltester):
    sku = editor.sku.text()
    qtbot.mouseClick(editor.variants_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(getattr(editor, "variants_dialog", None), VariantsDialog))
    dialog = editor.variants_dialog
    qtbot.waitUntil(dialog.isVisible)
    settle()
    assert dialog.model.rowCount() == 0
    _type(qtbot, dialog.axes, "Size: S, M\nColour")
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    assert "Line 2" in dialog.message.text()
    dialog.axes.clear()
    _type(qtbot, dialog.axes, "Size: S, M\nColour: Blue")
    with qtbot.waitSignal(dialog.made):
        qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    settle()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    assert dialog.message.text() == "2 variants made."
    assert [dialog.model.row(i).sku for i in range(2)] == [f"{sku}-S-BLUE", f"{sku}-M-BLUE"]
    qtmodeltester.check(dialog.model)
    dialog.axes.clear()
    _type(qtbot, dialog.axes, "Size: S, M, L\nColour: Blue")
    with qtbot.waitSignal(dialog.made):
        qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    settle()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3)
    with ctx.database.read() as s:
        assert len(variants.variants_of(s, ctx.actor, sku)) == 3
    dialog.accept()


def test_a_new_product_has_no_variants_yet(qtbot, ctx):
    editor = ProductEditor(ctx, None)
    qtbot.addWidget(editor)
    assert not editor.variants_button.isEnabled()
    assert "Save the product first" in editor.variants_button.toolTip()
