"""Settings > Printers in real widgets: set up a printer, print its test page to the
emulator over TCP, follow the job in the Print queue and reprint it; what a ZPL
printer's resident font prints."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.services.printing.worker import PrintWorker
from app.views.main_window import MainWindow
from tests.views.conftest import show_active


def _worker(ctx):
    worker = PrintWorker(ctx.database, ctx.workstation.workstation_name, idle_poll=0.05)
    ctx.wake_printer = worker.wake
    return worker


def test_configure_printer_print_test_page_and_see_it_in_the_queue(qtbot, ctx, emulator, settle):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    worker = _worker(ctx).start()
    try:
        settings = window.show_screen("Settings")
        page = settings.printers
        settle()  # the printers are listed by a background read
        assert {p.uri for p in page.model.rows()} == {"preview:"}  # the fresh-install default
        qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(page.name, "Counter printer")
        qtbot.keyClicks(page.uri, "tcp://nowhere")
        page.uri.clear()
        qtbot.keyClicks(page.uri, "http://wrong")
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
        settle()
        assert "is not a printer address" in page.message.text()
        page.uri.clear()
        qtbot.keyClicks(page.uri, emulator.uri)
        page.paper.setCurrentText("58")
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
        settle()
        assert page.message.text() == "Saved Counter printer."
        assert any(p.uri == emulator.uri and p.is_default for p in page.model.rows())
        qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
        settle()
        assert "Test page queued" in page.message.text()
        qtbot.waitUntil(lambda: len(emulator.jobs) == 1, timeout=10_000)
        qtbot.waitUntil(lambda: window.print_label.text() == "Printing: ready")
        assert "Counter printer" in emulator.reading(emulator.jobs[0])

        queue = window.show_screen("Print queue")
        qtbot.waitUntil(lambda: queue.model.rowCount() == 1 and queue.model.row(0).state == "done")
        job = queue.model.row(0)
        assert (job.document, job.printer_name) == ("test-page", "Counter printer")
        settle()
        queue.table.selectRow(0)
        assert not queue.cancel_button.isEnabled() and queue.reprint_button.isEnabled()
        qtbot.mouseClick(queue.reprint_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(emulator.jobs) == 2, timeout=10_000)
        # issue 11: a reprint says COPY
        assert "*** COPY ***" in emulator.reading(emulator.jobs[1])
        assert emulator.reading(emulator.jobs[1]).replace("*** COPY ***\n", "") == (
            emulator.reading(emulator.jobs[0])
        )
    finally:
        worker.stop()


def test_printer_settings_say_what_a_zpl_printers_resident_font_prints(qtbot, ctx):
    from app.services.printing.printers import RECEIPT_PROFILES

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    page = window.show_screen("Settings").printers
    offered = [page.profile.itemText(i) for i in range(page.profile.count())]
    assert offered == list(RECEIPT_PROFILES)  # each one tested in tests/printing
    page.role.setCurrentIndex(page.role.findData("label"))
    page.language.setCurrentIndex(page.language.findData("zpl"))
    assert "resident font" in page.font_note.text() and "Latin-1" in page.font_note.text()
    page.language.setCurrentIndex(page.language.findData("escpos"))
    assert "DejaVu Sans" in page.font_note.text()
    page.role.setCurrentIndex(page.role.findData("receipt"))
    assert "code pages" in page.font_note.text()
