"""A cashier's session in a process of its own, for the closing test: the real main window
with its print worker and preview printer, a counter sale, its receipt preview, a refund,
the other screens opened (their background counts in flight), then the window closed —
several rounds, as a person reopening the app would. Run: python -m tests.views.closing_run
DATABASE_FILE ROUNDS. Exit code 0 and no Qt ownership warning on stderr is a pass."""

from __future__ import annotations

import os
import sys
import time


def main(path: str, rounds: int) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QDialog
    from sqlalchemy import select

    from app import db
    from app.admin.demo import build_demo
    from app.config import WorkstationSettings
    from app.core import auth
    from app.core.bootstrap import ensure_base_data
    from app.models import Barcode, Location, StockLevel
    from app.services.sales.counter import Tender
    from app.views import tasks
    from app.views.app import build_context, start_printing
    from app.views.counter import refund as counter_refund
    from app.views.main_window import MainWindow
    from app.views.tasks import wait_for_background

    database = db.Database.open(f"sqlite:///{path}")
    db.migrate(database.engine)
    with database.write() as s:
        ensure_base_data(s)
        created = auth.create_user(s, None, "admin", "admin-pass", auth.Role.ADMIN, "Ada Admin")
        actor = auth.Actor(created.user_id, "admin", "Ada Admin", auth.Role.ADMIN, "till-1")
        build_demo(s, actor, products=30, customers=10, orders=60, with_users=False)
        code = s.scalar(
            select(Barcode.code)
            .join(StockLevel, StockLevel.product_id == Barcode.product_id)
            .join(Location, Location.id == StockLevel.location_id)
            .where(Location.code == "SHOP-COUNTER", StockLevel.on_hand >= rounds + 1)
            .limit(1)
        )

    def take_everything_back(dialog: QDialog) -> QDialog.DialogCode:
        for spin in dialog.boxes.values():  # type: ignore[attr-defined]
            spin.setValue(spin.maximum())
        return QDialog.DialogCode.Accepted

    counter_refund.RefundDialog.exec = take_everything_back  # type: ignore[method-assign,assignment]
    app = QApplication.instance() or QApplication([])

    def settle() -> None:  # the screen's operations report back on the GUI thread
        for _ in range(1000):
            app.processEvents()
            if tasks.idle():
                return
            time.sleep(0.01)
        raise AssertionError("the counter's operations did not report back")

    for _ in range(rounds):
        ctx = build_context(database, actor, WorkstationSettings(workstation_name="till-1"))
        window = MainWindow(ctx)
        worker = start_printing(ctx, window)
        window.show()
        counter = window.show_screen("Counter")
        settle()
        if "closed" in counter.till_label.text():
            counter.open_till("100.00")
            settle()
        counter.handle_scan(code)
        settle()
        counter.pay([Tender("cash", counter.cart.totals()[2] + 500)])
        settle()
        sale = counter.last_sale
        assert sale is not None, counter.message.text()
        for _ in range(200):  # the receipt reaches the preview window
            app.processEvents()
            if window.preview is not None and window.preview.isVisible():
                break
            worker.wake()
            time.sleep(0.01)
        assert counter.start_refund(sale.number), counter.message.text()
        settle()
        assert "Refunded" in counter.message.text(), counter.message.text()
        for name in ("Orders", "Fulfilment", "Inventory", "Print queue", "Counter"):
            window.show_screen(name)  # each starts its background reads
        app.processEvents()
        window.close()  # with those reads in flight
        worker.stop()
        ctx.bridge.close()
        window.deleteLater()
        app.processEvents()
    wait_for_background()
    app.processEvents()
    database.dispose()
    print("closed cleanly", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
