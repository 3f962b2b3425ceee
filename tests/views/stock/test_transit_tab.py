"""Warehouse to warehouse on screen: the Transfer… dialog sends units from a MAIN bin to
the shop's counter through in-transit, and the Transfers tab receives them by scanning the
transfer's number, the bin's label and the items (scanner key events, never keyClicks)."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Barcode
from app.services.stock.integrity import check
from tests.views import keyboard


def test_send_to_the_shop_and_receive_by_scan(qtbot, qtmodeltester, inventory, ctx, settle):
    _window, screen = inventory
    stock = screen.tab("Stock")
    settle()
    row = next(
        i
        for i in range(stock.model.rowCount())
        if stock.model.row(i).warehouse == "MAIN" and stock.model.row(i).available >= 2
    )
    line = stock.model.row(row)
    stock.table.selectRow(row)
    settle()
    stock.transfer_button.click()
    dialog = stock.dialog
    dialog.target.setText("SHOP-COUNTER")
    dialog.quantity.setValue(2)
    dialog.accept()
    settle()
    said = stock.message.text()
    assert said.startswith(f"Sent 2 x {line.sku} from {line.bin} to SHOP as TR-")
    number = next(w.rstrip(":") for w in said.split() if w.startswith("TR-"))
    with ctx.database.read() as s:
        ean = s.scalar(
            select(Barcode.code).where(Barcode.product_id == line.product_id, Barcode.pack_qty == 1)
        )
    tab = screen.tab("Transfers")
    tab.table.setFocus()
    keyboard.scan(qtbot, tab.table, ean)
    settle()
    assert "number (TR-" in tab.message.text()
    keyboard.scan(qtbot, tab.table, number)
    settle()
    assert tab.title.text().startswith(f"{number}  MAIN → SHOP  (in transit)")
    keyboard.scan(qtbot, tab.table, ean)  # no bin chosen yet
    settle()
    assert "bin the units go into" in tab.message.text()
    keyboard.scan(qtbot, tab.table, line.bin)  # a MAIN bin: not where it is going
    settle()
    assert "not in the warehouse" in tab.message.text()
    keyboard.scan(qtbot, tab.table, "SHOP-COUNTER")
    settle()
    assert tab.message.text() == "Receiving into SHOP-COUNTER."
    keyboard.scan(qtbot, tab.table, ean)
    settle()
    assert tab.message.text() == f"{line.sku}: +1 into SHOP-COUNTER; 1 still to come."
    keyboard.scan(qtbot, tab.table, ean)
    settle()
    assert tab.message.text() == f"{line.sku}: +1 into SHOP-COUNTER; all received."
    keyboard.scan(qtbot, tab.table, ean)  # one more than was sent
    settle()
    assert "received already" in tab.message.text()
    assert [(r["quantity"], r["received"]) for r in tab.lines.rows()] == [(2, 2)]
    qtmodeltester.check(tab.lines)
    with ctx.database.read() as s:
        assert check(s) == []
