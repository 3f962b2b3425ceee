"""The tax breakdown per rate as receipts and refund slips print it: rate, net, tax and
gross in columns that line up on 58 mm and 80 mm paper (the amounts without the currency
sign, as tills print such tables; the totals above them carry it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.core.money import format_amount, format_rate
from app.core.tax import RateRow
from app.printing.layout import Block, Row

MIN_COLUMN = 7  # characters: '1.234,50' and a space


def tax_table(
    rows: Sequence[RateRow], currency: str, locale: str, gettext: Callable[[str], str]
) -> list[Block]:
    """A head row and one row per rate; empty when nothing was sold."""
    if not rows:
        return []
    _ = gettext
    heads = (_("NET"), _("TAX"), _("GROSS"))
    cells = [
        (
            f"{format_rate(row.rate_bp, locale)} %",
            tuple(format_amount(v, currency, locale) for v in (row.net, row.tax, row.gross)),
        )
        for row in rows
    ]
    widths = [
        max(MIN_COLUMN, len(heads[n]), *(len(amounts[n]) for _rate, amounts in cells)) + 1
        for n in range(3)
    ]

    def columns(values: Sequence[str]) -> str:
        return "".join(value.rjust(width) for value, width in zip(values, widths, strict=True))

    blocks: list[Block] = [Row(_("Tax %"), columns(heads))]
    blocks += [Row(rate, columns(amounts)) for rate, amounts in cells]
    return blocks
