"""Item 9 of issue 11, the preview printer's window: a print does not take the keyboard
from the screen in front (the next F-key still reaches it), and an A4 page is fitted to
the window while a receipt keeps its real size."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from app.views.feel import ShortcutsDialog
from tests.views.conftest import answer_modal, show_active
from tests.views.screens import preview_file, settle


def test_a_print_does_not_take_the_next_f_key(qtbot, shop, tmp_path):
    window = shop
    show_active(qtbot, window)
    counter = window.show_screen("Counter")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    focus = QApplication.focusWidget()
    window.show_preview(0, str(preview_file(window, tmp_path, "receipt")))
    settle()
    assert window.preview.isVisible()
    assert QApplication.activeWindow() is window and QApplication.focusWidget() is focus
    seen = []
    answer_modal(ShortcutsDialog, lambda d: (seen.append(d.keys), d.accept()))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F1)
    assert seen, "F1 after a print did not reach the counter"
    assert counter.isVisible()
    window.preview.close()


def test_a4_fits_the_window_and_a_receipt_keeps_its_size(qtbot, shop, tmp_path):
    from app.views.settings.print_queue import PreviewWindow

    preview = PreviewWindow(shop)
    qtbot.addWidget(preview)
    preview.show_job(str(preview_file(shop, tmp_path, "invoice")))
    settle()
    room = preview.scroll.viewport().width()
    (page, *_) = preview.findChildren(QLabel, "preview_page")
    assert 0.8 * room < page.pixmap().width() <= room
    preview.resize(preview.width() + 200, preview.height())
    settle()
    assert page.pixmap().width() > 0.8 * preview.scroll.viewport().width() > room
    preview.show_job(str(preview_file(shop, tmp_path, "receipt")))
    settle()
    (paper,) = preview.images
    (receipt,) = [p for p in preview.findChildren(QLabel, "preview_page") if p.isVisible()]
    real = round(paper.width * preview.logicalDpiX() / preview.PRINTER_DPI)
    assert receipt.pixmap().width() == real < preview.scroll.viewport().width()


def test_the_preview_opens_at_the_screens_edge_not_over_the_counter(qtbot, shop, tmp_path):
    """The change due and the total stay readable while the receipt shows."""
    from app.views.settings.print_queue import PreviewWindow

    preview = PreviewWindow(shop)
    qtbot.addWidget(preview)
    preview.show_job(str(preview_file(shop, tmp_path, "receipt")))
    settle()
    area = preview.screen().availableGeometry()
    assert preview.frameGeometry().right() <= area.right() + 1
    assert preview.x() >= area.left() + area.width() // 2  # the right-hand side
    preview.close()
