"""Item 8 of issue 11: no dead buttons. An action that cannot apply is greyed, and its
tooltip says why; it comes alive when it can. A representative set: the order's print and
reprint, the fulfilment
queue's wave and open buttons, a finished pick list (where F8 says why, too), and the
packing bench before an order and for one that has left."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Barcode
from app.services.fulfilment import picking
from app.services.sales.order_list import OrderQuery, list_orders
from tests.views.screens import a_completed_order, settle


def greyed_because(button, words: str) -> bool:
    return not button.isEnabled() and words in button.toolTip()


def alive(button) -> bool:
    return button.isEnabled() and button.toolTip() == ""


def test_order_print_and_reprint_say_why(shop):
    window = shop
    screen = window.show_screen("Orders")
    detail = screen.detail
    if detail.detail is None:
        assert greyed_because(detail.print_button, "Open an order first")
    screen.open_order(a_completed_order(window))
    assert alive(detail.print_button)
    assert greyed_because(detail.reprint_button, "Select a printed document")


def test_fulfilment_wave_and_open_say_why(shop):
    window = shop
    screen = window.show_screen("Fulfilment")
    screen.queue_list.setCurrentRow(0)  # to pick
    settle()
    assert alive(screen.wave_button)
    screen.table.clearSelection()
    assert greyed_because(screen.open_button, "Select an order")
    screen.table.selectRow(0)
    assert alive(screen.open_button)
    screen.queue_list.setCurrentRow(screen.queue_list.count() - 1)
    settle()
    assert greyed_because(screen.wave_button, "To pick")
    assert greyed_because(screen.open_button, "Select an order")  # a new list, nothing chosen
    screen.queue_list.setCurrentRow(0)


def test_finished_pick_list_cannot_be_short_and_f8_says_why(shop):
    window = shop
    ctx = window.ctx
    screen = window.show_screen("Fulfilment")
    page = screen.picking_page
    assert greyed_because(page.print_button, "Scan a pick list")
    with ctx.database.write() as s:
        order_id = next(
            r.id
            for r in list_orders(s, OrderQuery(status="confirmed"), 0, 50)
            if picking.open_list_of(s, r.id) is None
        )
        wave = picking.create_wave(s, ctx.actor, [order_id])
    for line in picking_lines(ctx, wave.id):
        with ctx.database.write() as s:
            code = s.scalar(select(Barcode.code).where(Barcode.product_id == line.product_id))
            for _ in range(line.quantity):
                picking.pick_item(s, ctx.actor, line.id, code, line.bin_code)
    screen.pages.setCurrentWidget(page)
    page.load(wave.id)
    assert alive(page.print_button)
    assert greyed_because(page.short_button, "is picked")
    page.short_pick()  # what F8 does
    assert "is picked" in page.message.text()
    screen.show_queues()


def picking_lines(ctx, wave_id):
    with ctx.database.read() as s:
        return picking.lines(s, wave_id)


def test_packing_bench_buttons_say_why(shop):
    from PySide6.QtWidgets import QPushButton

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
    for button in buttons.values():
        assert greyed_because(button, "has left")
    screen.show_queues()


def test_counter_keys_are_greyed_with_their_reason_until_they_apply(shop):
    from app.models import Location, StockLevel

    window = shop
    screen = window.show_screen("Counter")
    screen.cart.lines.clear()
    screen.refresh()
    for name in ("quantity", "price", "remove", "discount", "pay", "park"):
        assert greyed_because(screen.buttons[name], "first") or greyed_because(
            screen.buttons[name], "nothing to park"
        ), name
    assert alive(screen.buttons["resume"])
    screen.pay()  # its F-key still answers, in words
    assert "Scan something first" in screen.message.text()
    with window.ctx.database.read() as s:
        code = s.scalar(
            select(Barcode.code)
            .join(StockLevel, StockLevel.product_id == Barcode.product_id)
            .join(Location, Location.id == StockLevel.location_id)
            .where(Location.code == "SHOP-COUNTER", StockLevel.on_hand >= 1)
            .limit(1)
        )
    screen.handle_scan(code)
    for name in ("quantity", "price", "remove", "discount", "pay", "park"):
        assert alive(screen.buttons[name]), name
    assert greyed_because(screen.buttons["resume"], "Pay or park the sale")
    screen.cart.lines.clear()
    screen.refresh()


def test_returns_keys_are_greyed_until_a_return_is_scanned(shop):
    page = shop.show_screen("Fulfilment").returns_page
    from PySide6.QtWidgets import QPushButton

    for name in ("restock", "scrap", "refund"):
        assert greyed_because(page.findChild(QPushButton, f"rma_{name}"), "Scan the return")


def test_an_empty_order_pane_offers_no_buttons(qtbot, ctx):
    from app.views.orders.detail import OrderDetailWidget

    detail = OrderDetailWidget(ctx)
    qtbot.addWidget(detail)
    detail.show()
    shown = [
        b.objectName()
        for b in (
            detail.change_warehouse,
            detail.delivered_button,
            detail.exception_button,
            detail.return_button,
            *detail.buttons.values(),
        )
        if b.isVisible()
    ]
    assert shown == []


def test_a_picker_sees_why_f12_refund_is_not_theirs(shop):
    from PySide6.QtWidgets import QPushButton

    from app.core import auth
    from app.services.fulfilment.returns import ReturnRow

    window = shop
    page = window.show_screen("Fulfilment").returns_page
    saved = window.ctx.actor
    window.ctx.actor = auth.Actor(None, "pia", "Pia", auth.Role.PICKER, "till-1")
    try:
        page.rma = ReturnRow(1, "RMA-000009", 1, "SO-000001", "received", "", 0, ())
        page._allow()
        assert greyed_because(page.findChild(QPushButton, "rma_refund"), "clerk's or a manager's")
    finally:
        window.ctx.actor = saved
        page.rma = None
        page._allow()
