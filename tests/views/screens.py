"""Every surface a person sees, opened in the shared demo window (tests/views/conftest.py
`shop`): each screen of the navigation, an order with its detail, the fulfilment bench
pages, the preview printer's window with a receipt and an A4 invoice, and the dialogs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from app.services.printing import printers
from app.services.printing.documents import render_for
from app.services.sales.order_list import OrderQuery, list_orders
from app.views.main_window import SCREENS, MainWindow


def settle(timeout_s: float = 10.0) -> None:
    """Until every background read or write a screen started (views/ops.py) has reported
    back, then a few rounds of events for what their answers set off."""
    import time

    from app.views import tasks

    deadline = time.monotonic() + timeout_s
    while not tasks.idle() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.005)
    for _ in range(3):
        QApplication.processEvents()


def a_completed_order(window: MainWindow) -> int:
    with window.ctx.database.read() as s:
        return list_orders(s, OrderQuery(status="completed"), 0, 1)[0].id


def a_shipped_order(window: MainWindow) -> int:
    with window.ctx.database.read() as s:
        return list_orders(s, OrderQuery(status="shipped"), 0, 1)[0].id


def preview_file(window: MainWindow, folder: Path, doc: str) -> Path:
    """The bytes the preview printer would keep for `doc` of a completed order."""
    ctx = window.ctx
    with ctx.database.write() as s:
        printers.ensure_preview_printers(s, ctx.workstation.workstation_name)
        role = "receipt" if doc == "receipt" else "document"
        printer = printers.default_printer(s, ctx.workstation.workstation_name, role)
        rendered = render_for(s, printer, doc, a_completed_order(window))
    path = folder / f"{doc}.{'pdf' if rendered.language == 'pdf' else 'bin'}"
    path.write_bytes(rendered.payload)
    return path


def screens(window: MainWindow) -> Iterator[tuple[str, QWidget]]:
    """Each screen in front in turn, with the order detail and bench pages on show."""
    window.show()
    for name in SCREENS:
        screen = window.show_screen(name)
        settle()
        yield name, screen
        if name == "Orders":
            screen.open_order(a_shipped_order(window))  # type: ignore[attr-defined]
            settle()
            yield "Order detail", screen
        if name == "Fulfilment":
            for page in ("picking_page", "packing_page", "returns_page"):
                screen.pages.setCurrentWidget(getattr(screen, page))  # type: ignore[attr-defined]
                settle()
                yield f"Fulfilment {page}", screen
            screen.show_queues()  # type: ignore[attr-defined]
        if name == "Reports" and hasattr(screen, "tab"):  # the reports tab is built when opened
            screen.tab("Reports")
            settle()
            yield name, screen
            screen.tab("Dashboard")
        if name == "Settings":  # each tab in front once: a page may read when shown
            tabs = screen.tabs  # type: ignore[attr-defined]
            for index in range(1, tabs.count()):
                tabs.setCurrentIndex(index)
                settle()
                yield name, screen
            tabs.setCurrentIndex(0)
    window.show_screen("Orders")


def dialogs(window: MainWindow, folder: Path) -> Iterator[tuple[str, QWidget]]:
    """The dialogs and the preview window, each shown, handed over, then closed."""
    from PySide6.QtWidgets import QMessageBox

    from app.services.fulfilment import returns
    from app.views.counter.payment import GiftCardDialog, PaymentDialog
    from app.views.counter.till import CountDialog, ManagerDialog
    from app.views.feel import ShortcutsDialog
    from app.views.fulfilment.return_dialog import ReturnDialog
    from app.views.login import LoginDialog
    from app.views.settings.print_queue import PreviewWindow
    from app.views.setup_wizard import SetupWizard

    ctx = window.ctx
    with ctx.database.read() as s:
        returnable = returns.returnable_lines(s, a_shipped_order(window))
    question = QMessageBox(QMessageBox.Icon.Question, "Refund", "Refund €12.34 in cash?")
    question.setParent(window, question.windowFlags())
    login = LoginDialog(ctx.database, "till-1", window, locked=True)
    login.error.setText("Wrong user name or password.")  # in the theme's error colour
    made: list[tuple[str, QWidget]] = [
        ("Payment", PaymentDialog(ctx, 12_345, parent=window)),
        ("Gift card", GiftCardDialog(ctx, window)),
        ("Manager approval", ManagerDialog(ctx, window)),
        ("Shortcuts", ShortcutsDialog("Counter", window.show_screen("Counter"), window)),
        ("Lock screen", login),
        ("Count the drawer", CountDialog(ctx, window)),
        ("Return", ReturnDialog("SO-000001", returnable, window)),
        ("Question", question),
        ("Setup wizard", SetupWizard(ctx.database, ctx.actor, "till-1", window)),
    ]
    for name, dialog in made:
        dialog.show()
        settle()
        yield name, dialog
        dialog.close()
        dialog.deleteLater()
    preview = PreviewWindow(window)
    for doc in ("receipt", "invoice"):
        preview.show_job(str(preview_file(window, folder, doc)))
        settle()
        yield f"Preview {doc}", preview
    preview.close()
    preview.deleteLater()
    settle()
