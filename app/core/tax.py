"""Tax per rate, as receipts and invoices print it, from the money a sale stored.

What is stored (never rewritten): a product's price as the shop typed it, gross where
`prices_include_tax` is on (the default), net where it is off; each order line keeps its
net, tax and total (the line's gross, what was charged) worked out at the sale by
core/money.line_amounts.

What a document prints (the shop's `prices` setting, PRICES): `inclusive` shows every
price with its tax and the tax as "incl. VAT" under the total; `exclusive` shows net
prices, the tax added per rate, then the total. The view that was not stored is worked
out per rate on the rate's total, never per line:

- gross prices stored: a rate's gross is the sum of its lines' totals (exact, what was
  charged); its net is that gross / (1 + rate), rounded half up once; its tax the rest.
- net prices stored: a rate's net is the sum of its lines' nets (exact); the gross is
  what was charged (the sum of its lines' totals), so the tax is the rest.

Either way the rates' gross add up to the charged total to the cent. Net line prices on
an exclusive document of a gross-priced shop are the rate's net shared out over its lines
in proportion to their gross (largest remainders get the odd cents), so they add up to
the net printed under them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from app.core.money import BP, div_round_half_up

INCLUSIVE = "inclusive"
EXCLUSIVE = "exclusive"
PRICES = (INCLUSIVE, EXCLUSIVE)  # the shop's `prices` setting


class TaxedLine(NamedTuple):
    """One line's stored amounts: `net + tax == total` (the gross charged)."""

    rate_bp: int
    net: int
    tax: int
    total: int


@dataclass(frozen=True)
class RateRow:
    """One tax rate's share of a document: `net + tax == gross`."""

    rate_bp: int
    net: int
    tax: int
    gross: int


def net_of(gross: int, rate_bp: int) -> int:
    """The net in `gross` at `rate_bp`, rounded half up to the cent."""
    return div_round_half_up(gross * BP, BP + rate_bp)


def breakdown(lines: Iterable[TaxedLine], gross_stored: bool = True) -> tuple[RateRow, ...]:
    """Net, tax and gross per rate, lowest rate first; the gross add up to the lines'
    totals exactly (the charged total). `gross_stored`: the sale's prices included tax
    (the shop's `prices_include_tax` when it was made)."""
    nets: dict[int, int] = {}
    grosses: dict[int, int] = {}
    for line in lines:
        nets[line.rate_bp] = nets.get(line.rate_bp, 0) + line.net
        grosses[line.rate_bp] = grosses.get(line.rate_bp, 0) + line.total
    rows = []
    for rate in sorted(grosses):
        gross = grosses[rate]
        net = net_of(gross, rate) if gross_stored else nets[rate]
        rows.append(RateRow(rate, net, gross - net, gross))
    return tuple(rows)


def share_out(total: int, weights: Sequence[int]) -> list[int]:
    """`total` in parts proportional to `weights`, to the cent: the parts add up to
    `total` exactly, the largest remainders taking the odd cents."""
    whole = sum(weights)
    if not weights:
        return []
    if whole == 0:
        return [
            total // len(weights) + (1 if n < total % len(weights) else 0)
            for n in range(len(weights))
        ]
    parts = [total * w // whole for w in weights]
    by_remainder = sorted(range(len(weights)), key=lambda n: -(total * weights[n] % whole))
    for n in by_remainder[: total - sum(parts)]:
        parts[n] += 1
    return parts


def shown_totals(
    lines: Sequence[TaxedLine], exclusive: bool, gross_stored: bool = True
) -> list[int]:
    """Each line's amount as a document shows it: its gross on an inclusive document;
    on an exclusive one its net, which adds up per rate to the breakdown's net."""
    if not exclusive:
        return [line.total for line in lines]
    if not gross_stored:
        return [line.net for line in lines]
    shown = [0] * len(lines)
    for row in breakdown(lines, gross_stored):
        members = [n for n, line in enumerate(lines) if line.rate_bp == row.rate_bp]
        for n, part in zip(
            members, share_out(row.net, [lines[n].total for n in members]), strict=True
        ):
            shown[n] = part
    return shown


def shown_price(amount: int, rate_bp: int, stored_gross: bool, exclusive: bool) -> int:
    """A unit price (or any one amount) in the document's view: as stored when the views
    agree, else with or without its tax, rounded half up (a single price, not a sum)."""
    if stored_gross == (not exclusive):
        return amount
    if exclusive:
        return net_of(amount, rate_bp)
    return amount + div_round_half_up(amount * rate_bp, BP)


class Shown(NamedTuple):
    """A line as a screen shows it: unit price, discount and amount in the shop's view."""

    unit_price: int
    discount: int
    total: int


def shown_lines(
    lines: Sequence[tuple[int, int, int, TaxedLine]], gross_stored: bool, exclusive: bool
) -> list[Shown]:
    """(quantity, unit price, discount as stored, stored amounts) per line -> what the
    counter and the order page show: amounts as on the receipt (shown_totals), the unit
    price converted alone, the discount as the difference from the line before it."""
    totals = shown_totals([taxed for *_rest, taxed in lines], exclusive, gross_stored)
    shown = []
    for (quantity, unit_price, discount, taxed), total in zip(lines, totals, strict=True):
        unit = shown_price(unit_price, taxed.rate_bp, gross_stored, exclusive)
        before = shown_price(quantity * unit_price, taxed.rate_bp, gross_stored, exclusive)
        shown.append(Shown(unit, max(0, before - total) if discount else 0, total))
    return shown
