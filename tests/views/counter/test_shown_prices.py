"""The counter's cart in a shop that shows net prices: the Price and Total columns are
net, as the receipt prints them (core/tax.py), the sale's total is still the gross."""

from __future__ import annotations

from app.core.money import line_amounts
from tests.views import keyboard
from tests.views.conftest import counter_codes


def test_an_exclusive_shop_shows_net_prices_at_the_counter(qtbot, counter_window, ctx, settle):
    _window, screen = counter_window
    ctx.prices = "exclusive"  # as build_context reads it from the shop at sign-in
    (code,) = counter_codes(ctx, 1)
    for _n in range(2):
        keyboard.scan(qtbot, screen.input, code)
        settle()
    (line,) = screen.cart.lines
    net = line_amounts(2, line.unit_price, 0, line.tax_rate_bp, True).net
    model = screen.model
    price = model.data(model.index(0, 2))
    total = model.data(model.index(0, 4))
    assert total == ctx.money(net) and net < 2 * line.unit_price
    assert price != ctx.money(line.unit_price) or line.tax_rate_bp == 0
    assert ctx.money(screen.cart.totals()[2]) in screen.total_label.text()  # still gross
