"""app/services/sales/shown_prices.py: the counter's cart and the order page's lines in the
shop's view of prices; the amounts are the receipt's (net lines add up to the net printed
under them), the discount stays a discount, nothing stored changes."""

from __future__ import annotations

from app.core.money import line_amounts
from app.core.tax import EXCLUSIVE, INCLUSIVE, TaxedLine, breakdown
from app.services.sales.cart import Cart, CartLine
from app.services.sales.order_detail import LineRow
from app.services.sales.shown_prices import cart_lines, order_lines


def _cart() -> Cart:
    cart = Cart()
    cart.lines += [
        CartLine(1, "WINE", "Glühwein", 99, 1900, 3),
        CartLine(2, "BREAD", "Brötchen", 350, 700, 2, discount=70),
        CartLine(3, "MUG", "Becher", 99, 1900, 1),
    ]
    return cart


def test_inclusive_shows_the_cart_as_stored():
    shown = cart_lines(_cart(), INCLUSIVE)
    assert [(s.unit_price, s.discount, s.total) for s in shown] == [
        (99, 0, 297),
        (350, 70, 630),
        (99, 0, 99),
    ]


def test_exclusive_shows_net_lines_that_add_up_per_rate():
    cart = _cart()
    shown = cart_lines(cart, EXCLUSIVE)
    taxed = []
    for ln in cart.lines:
        a = line_amounts(ln.quantity, ln.unit_price, ln.discount, ln.tax_rate_bp, True)
        taxed.append(TaxedLine(ln.tax_rate_bp, a.net, a.tax, a.total))
    seven, nineteen = breakdown(taxed)
    assert shown[0].total + shown[2].total == nineteen.net == 333  # 3,96 / 1,19 once
    assert shown[1].total == seven.net == 589
    assert (shown[0].unit_price, shown[1].unit_price) == (83, 327)
    assert shown[1].discount == 654 - 589  # 7,00 / 1,07 = 6,54 before the discount
    assert [ln.unit_price for ln in cart.lines] == [99, 350, 99]  # the cart is untouched


def test_the_order_page_rows_keep_their_stored_net_and_tax():
    row = LineRow(7, 1, 1, "WINE", "Glühwein", 3, 99, 0, 1900, 250, 47, 297)
    (shown,) = order_lines((row,), EXCLUSIVE)
    assert (shown.unit_price, shown.total, shown.net, shown.tax) == (83, 250, 250, 47)
    assert order_lines((row,), INCLUSIVE) == [row]
