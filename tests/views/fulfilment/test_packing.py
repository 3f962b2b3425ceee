"""The packing bench in real widgets: the picked order scanned open, its items scanned
into two weighed packages (one too many refused), F10 packs and prints the slip, F12
ships with the carrier's numbers; and each bench key greyed with its reason."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from app.models import PrintJob, SalesOrder
from app.services.sales.order_list import OrderQuery, list_orders
from tests.views import keyboard
from tests.views.fulfilment.conftest import (
    another_writer,
    focus,
    greyed_because,
    pick_by_services,
)


def test_pack_into_two_packages_and_ship(qtbot, bench, ctx, settle):
    screen, number = bench.screen, bench.number
    pick_by_services(ctx, bench.wave.id)
    keyboard.scan(qtbot, focus(qtbot, screen.table), number)  # the order on the pick list
    settle()
    pack = screen.packing_page
    assert screen.pages.currentWidget() is pack
    assert f"{number}: scan items into package 1" in pack.prompt.text()
    target = focus(qtbot, pack.weight)
    for _ in range(3):  # one too many
        keyboard.scan(qtbot, target, bench.mug)
        settle()
    assert "Too many" in pack.message.text()
    assert [ln.packed for ln in pack.lines.rows()] == [2, 0]
    focus(qtbot, pack.carrier)
    qtbot.keyClick(pack.carrier, Qt.Key.Key_F7)  # F7: to the weight field
    assert pack.weight.hasFocus()
    keyboard.type_slowly(qtbot, pack.weight, "1,2")
    qtbot.keyClick(pack.weight, Qt.Key.Key_Return)
    settle()
    assert "Package 1: 1.2 kg" in pack.message.text()
    qtbot.keyClick(pack.weight, Qt.Key.Key_F6)
    settle()
    assert "Package 2 started" in pack.message.text()
    keyboard.scan(qtbot, target, bench.apron)
    qtbot.keyClick(pack.weight, Qt.Key.Key_F10)  # waits its turn behind the scan
    settle()
    assert "Enter the weight of package 2" in pack.message.text()
    keyboard.type_slowly(qtbot, pack.weight, "0.4")
    qtbot.keyClick(pack.weight, Qt.Key.Key_Return)
    qtbot.keyClick(pack.weight, Qt.Key.Key_F10)
    settle()
    assert "Packed in 2 packages" in pack.message.text()
    assert "packed: scan the tracking number" in pack.prompt.text()
    pack.carrier.setCurrentIndex(pack.carrier.findText("Gui Express"))
    qtbot.keyClick(pack.weight, Qt.Key.Key_F12)
    settle()
    assert f"{number} shipped: GX00000001, GX00000002" in pack.message.text()
    with ctx.database.read() as s:
        assert s.get(SalesOrder, bench.order_id).status == "shipped"
        documents = s.scalars(select(PrintJob.document).where(PrintJob.order_id == bench.order_id))
        assert {"packing-slip", "shipping-label"} <= set(documents)


def test_tracking_labels_scanned_for_a_packed_order_ship_it(qtbot, bench, ctx, settle):
    screen = bench.screen
    pick_by_services(ctx, bench.wave.id)
    pack = screen.packing_page
    pack.open_order(bench.order_id)
    settle()
    target = focus(qtbot, pack.weight)
    with another_writer(ctx):  # the three scans are in flight together
        for code in (bench.mug, bench.mug, bench.apron):
            keyboard.scan(qtbot, target, code)
    keyboard.type_slowly(qtbot, pack.weight, "2")
    qtbot.keyClick(pack.weight, Qt.Key.Key_Return)
    qtbot.keyClick(pack.weight, Qt.Key.Key_F10)
    settle()
    assert "Packed in 1 package;" in pack.message.text()
    keyboard.scan(qtbot, target, "GX12345678")  # the carrier's own label
    settle()
    assert "Tracking GX12345678 taken" in pack.message.text()
    assert pack.tracking.text() == "GX12345678"
    pack.carrier.setCurrentIndex(pack.carrier.findText("Gui Express"))
    qtbot.keyClick(pack.weight, Qt.Key.Key_F12)
    settle()
    assert f"{bench.number} shipped: GX12345678." in pack.message.text()


def test_packing_bench_buttons_say_why(shop, settle):
    screen = shop.show_screen("Fulfilment")
    page = screen.packing_page
    buttons = {
        name: page.findChild(QPushButton, f"pack_{name}")
        for name in ("new_package", "weigh", "finish", "ship")
    }
    for button in buttons.values():
        assert greyed_because(button, "Scan an order to pack first")
    with shop.ctx.database.read() as s:
        sent = list_orders(s, OrderQuery(status="shipped"), 0, 1)[0]
    page.open_order(sent.id)  # an order that has left: nothing to do at the bench
    settle()
    for button in buttons.values():
        assert greyed_because(button, "has left")
    page.finish()  # F10 there says why in words, and its button stays greyed
    settle()
    assert page.message.text() and greyed_because(buttons["finish"], "has left")
    screen.show_queues()
    settle()
