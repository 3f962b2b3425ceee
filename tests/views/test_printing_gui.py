"""Printing in real widgets: set up a printer in Settings, print its test page to the
emulator over TCP, and follow the job in the Print queue; print from the order screen to
the preview printer and reprint from the timeline."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.services.printing.worker import PrintWorker
from app.services.sales.order_list import OrderQuery, list_orders
from app.views.main_window import MainWindow
from app.views.settings.print_queue import PreviewWindow


def test_print_from_the_order_to_the_preview_printer_and_reprint(qtbot, ctx, tmp_path, settle):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    worker = PrintWorker(ctx.database, ctx.workstation.workstation_name, idle_poll=0.05)
    ctx.wake_printer = worker.wake
    shown: list[str] = []
    worker.on_sent = lambda _job, _uri, where, _status: shown.append(where)
    worker.start()
    try:
        screen = window.screens["Orders"]
        with ctx.database.read() as s:
            order = list_orders(s, OrderQuery(status="completed"), 0, 1)[0]
        screen.open_order(order.id)
        settle()  # the order screen reads and writes in the background (views/ops.py)
        detail = screen.detail
        assert detail.print_button.isEnabled()
        action = detail.print_button.menu().findChild(object, "print_receipt")
        action.trigger()
        settle()
        assert "Receipt queued as print job" in detail.info.text()
        qtbot.waitUntil(lambda: len(shown) == 1, timeout=10_000)
        preview = PreviewWindow(window)
        preview.show_job(shown[0])
        assert f"[QR {order.number}]" in preview.text.toPlainText()
        assert "TOTAL" in preview.text.toPlainText()
        (paper,) = preview.images  # the receipt drawn as its paper, and its QR code scans
        import zxingcpp

        assert [b.text for b in zxingcpp.read_barcodes(paper)] == [order.number]
        assert preview.findChild(QLabel, "preview_page").pixmap().width() > 0
        printed_row = [i for i, e in enumerate(detail.events_model.rows()) if e.kind == "printed"][
            0
        ]
        detail.events_view.selectRow(printed_row)
        assert detail.reprint_button.isEnabled()
        qtbot.mouseClick(detail.reprint_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(shown) == 2, timeout=10_000)
        settle()
        kinds = [e.kind for e in detail.events_model.rows()]
        assert kinds.count("printed") == 2
    finally:
        worker.stop()
