"""Tax per rate (app/core/tax.py): over any mix of lines, priced as a sale prices them,
the rates' gross add up to the charged total to the cent, each rate's net is rounded once
on the rate's total (not per line), and the net line prices an exclusive document shows
add up to the net under them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.core.money import BP, line_amounts
from app.core.tax import TaxedLine, breakdown, net_of, share_out, shown_price, shown_totals

RATES = (0, 550, 700, 1000, 1350, 1900, 2000, 2100, 2300)
lines_strategy = st.lists(
    st.tuples(
        st.integers(1, 40),  # quantity
        st.integers(0, 50_000),  # unit price
        st.integers(0, 100),  # discount, as a percentage of the line
        st.sampled_from(RATES),
    ),
    min_size=1,
    max_size=25,
)


def _priced(mix, gross_stored: bool) -> list[TaxedLine]:
    lines = []
    for quantity, price, percent, rate in mix:
        discount = quantity * price * percent // 100
        amounts = line_amounts(quantity, price, discount, rate, gross_stored)
        lines.append(TaxedLine(rate, amounts.net, amounts.tax, amounts.total))
    return lines


@given(lines_strategy, st.booleans())
def test_the_rates_gross_add_up_to_the_charged_total(mix, gross_stored):
    lines = _priced(mix, gross_stored)
    charged = sum(line.total for line in lines)
    rows = breakdown(lines, gross_stored)
    assert sum(row.gross for row in rows) == charged
    assert all(row.net + row.tax == row.gross for row in rows)
    assert [row.rate_bp for row in rows] == sorted({line.rate_bp for line in lines})
    for row in rows:
        of_rate = [line for line in lines if line.rate_bp == row.rate_bp]
        if gross_stored:  # one rounding on the rate's total: within half a cent of exact
            assert row.net == net_of(row.gross, row.rate_bp)
            assert abs(row.net * (BP + row.rate_bp) - row.gross * BP) * 2 <= BP + row.rate_bp
        else:  # the stored nets are exact: they are the rate's net
            assert row.net == sum(line.net for line in of_rate)


@given(lines_strategy, st.booleans(), st.booleans())
def test_shown_line_amounts_add_up_to_what_is_printed_under_them(mix, gross_stored, exclusive):
    lines = _priced(mix, gross_stored)
    shown = shown_totals(lines, exclusive, gross_stored)
    for row in breakdown(lines, gross_stored):
        mine = sum(a for a, line in zip(shown, lines, strict=True) if line.rate_bp == row.rate_bp)
        assert mine == (row.net if exclusive else row.gross)


def test_rounding_per_rate_differs_from_rounding_per_line():
    """Three 0.99 lines at 19 %: per line the net is 0.83 each (2.49); once on the
    rate's 2.97 it is 2.50, and the tax 0.47, so the table is not off by a cent."""
    lines = _priced([(1, 99, 0, 1900)] * 3, True)
    assert sum(line.net for line in lines) == 249
    (row,) = breakdown(lines)
    assert (row.net, row.tax, row.gross) == (250, 47, 297)
    assert shown_totals(lines, exclusive=True) == [84, 83, 83]


@given(st.integers(0, 10**9), st.lists(st.integers(0, 10**6), min_size=1, max_size=30))
def test_sharing_out_keeps_every_cent(total, weights):
    parts = share_out(total, weights)
    assert sum(parts) == total and len(parts) == len(weights)
    if sum(weights):
        assert all(p == 0 for p, w in zip(parts, weights, strict=True) if w == 0)


def test_a_single_price_in_the_other_view():
    assert shown_price(1230, 2300, stored_gross=True, exclusive=True) == 1000
    assert shown_price(1000, 2300, stored_gross=False, exclusive=False) == 1230
    assert shown_price(1230, 2300, stored_gross=True, exclusive=False) == 1230
    assert shown_price(1000, 2300, stored_gross=False, exclusive=True) == 1000
