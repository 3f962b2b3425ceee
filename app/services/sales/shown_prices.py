"""Prices as the counter and the order page show them: with tax or net, as the shop's
`prices` setting says, the same amounts the receipt and the invoice print (core/tax.py).
What is stored is not touched; these are frozen rows for the screens."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from app.core.money import line_amounts
from app.core.tax import EXCLUSIVE, TaxedLine, shown_lines

if TYPE_CHECKING:  # the counter imports this module: it needs no order screen's rows
    from app.services.sales.cart import Cart
    from app.services.sales.order_detail import LineRow


@dataclass(frozen=True)
class ShownLine:
    """A cart line as the counter shows it."""

    name: str
    quantity: int
    unit_price: int
    discount: int
    total: int


def cart_lines(cart: Cart, prices: str, gross_stored: bool = True) -> list[ShownLine]:
    """The cart's lines in the shop's view (`prices`: inclusive or exclusive)."""
    lines = []
    for ln in cart.lines:
        amounts = line_amounts(
            ln.quantity, ln.unit_price, ln.discount, ln.tax_rate_bp, gross_stored
        )
        taxed = TaxedLine(ln.tax_rate_bp, amounts.net, amounts.tax, amounts.total)
        lines.append((ln.quantity, ln.unit_price, ln.discount, taxed))
    shown = shown_lines(lines, gross_stored, prices == EXCLUSIVE)
    return [
        ShownLine(ln.name, ln.quantity, *amounts)
        for ln, amounts in zip(cart.lines, shown, strict=True)
    ]


def order_lines(rows: tuple[LineRow, ...], prices: str, gross_stored: bool = True) -> list[LineRow]:
    """An order's lines (order_detail rows) with price, discount and total in the shop's
    view; the stored net and tax stay beside them."""
    lines = [
        (r.quantity, r.unit_price, r.discount, TaxedLine(r.tax_rate_bp, r.net, r.tax, r.total))
        for r in rows
    ]
    shown = shown_lines(lines, gross_stored, prices == EXCLUSIVE)
    return [
        replace(r, unit_price=s.unit_price, discount=s.discount, total=s.total)
        for r, s in zip(rows, shown, strict=True)
    ]
