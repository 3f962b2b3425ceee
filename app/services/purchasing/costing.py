"""Average cost of a product, moved on each receipt (integer minor units, no floats).

The rule (moving weighted average, rounded half up to the minor unit):

    new = round_half_up((old_cost * old_qty + unit_cost * qty) / (old_qty + qty))

Stock already on hand keeps its weight; a receipt only moves the average in proportion to
its quantity. When nothing (or less than nothing) was on hand the old cost carries no
weight and the receipt's unit cost becomes the average, so a negative count after an
oversell cannot drag the cost below zero.
"""

from __future__ import annotations

from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.money import div_round_half_up


def moving_average_cost(old_cost: int, old_qty: int, unit_cost: int, qty: int) -> int:
    """The average cost after receiving `qty` at `unit_cost` onto `old_qty` at `old_cost`."""
    if qty <= 0:
        raise ValidationError(_("Quantity received must be more than zero."), field="quantity")
    if unit_cost < 0:
        raise ValidationError(_("Unit cost cannot be negative."), field="cost")
    if old_qty <= 0:
        return unit_cost
    return div_round_half_up(old_cost * old_qty + unit_cost * qty, old_qty + qty)
