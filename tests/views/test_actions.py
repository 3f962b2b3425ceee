"""Item 8 of issue 11: no dead buttons. An action that cannot apply is greyed, and its
tooltip says why; it comes alive when it can. A representative set: the print queue with
nothing selected and with a finished job, the order's print and reprint, the counter's
keys and an empty order pane. (The fulfilment bench's are in tests/views/fulfilment/.)"""

from __future__ import annotations

from sqlalchemy import select

from app.core.i18n import _
from app.models import Barcode
from app.views.orders.detail import NO_PRINT_SELECTED
from tests.views.screens import a_completed_order


def greyed_because(button, words: str) -> bool:
    return not button.isEnabled() and words in button.toolTip()


def alive(button) -> bool:
    return button.isEnabled() and button.toolTip() == ""


def test_order_print_and_reprint_say_why(shop, qtbot):
    from app.views import tasks

    window = shop
    screen = window.show_screen("Orders")
    detail = screen.detail
    if detail.detail is None:
        assert greyed_because(detail.print_button, _("Open an order first."))
    screen.open_order(a_completed_order(window))
    qtbot.waitUntil(tasks.idle)  # the order arrives from a background read (views/ops.py)
    assert alive(detail.print_button)
    assert greyed_because(detail.reprint_button, _(NO_PRINT_SELECTED))


def test_counter_keys_are_greyed_with_their_reason_until_they_apply(shop, settle):
    from app.models import Location, StockLevel

    window = shop
    screen = window.show_screen("Counter")
    settle()
    screen.cart.lines.clear()
    screen.refresh()
    for name in ("quantity", "price", "remove", "discount", "pay", "park"):
        assert greyed_because(
            screen.buttons[name], _("Scan an item first: the sale is empty.")
        ) or greyed_because(screen.buttons[name], _("There is nothing to park.")), name
    assert alive(screen.buttons["resume"])
    screen.pay()  # its F-key still answers, in words
    assert _("Scan something first.") in screen.message.text()
    with window.ctx.database.read() as s:
        code = s.scalar(
            select(Barcode.code)
            .join(StockLevel, StockLevel.product_id == Barcode.product_id)
            .join(Location, Location.id == StockLevel.location_id)
            .where(Location.code == "SHOP-COUNTER", StockLevel.on_hand >= 1)
            .limit(1)
        )
    screen.handle_scan(code)
    settle()
    for name in ("quantity", "price", "remove", "discount", "pay", "park"):
        assert alive(screen.buttons[name]), name
    assert greyed_because(screen.buttons["resume"], _("Pay or park the sale on the counter first."))
    screen.cart.lines.clear()
    screen.refresh()


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
