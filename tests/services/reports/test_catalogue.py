"""Every report but `sales` on the hand-built shop (shop_case), on SQLite and PostgreSQL:
the numbers computed by hand from shop_case's table, and the notes that say why a report
is empty or partial. One build per engine: the reports only read."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from app.models import SalesOrder, Shipment
from app.services.reports.base import Filters, catalogue, described, run_report
from app.services.reports.exports_pdf import render_pdf
from app.services.sales import order_entry
from app.services.sales.order_entry import LineInput, OrderInput
from tests import factories
from tests.services.reports import shop_case

DECEMBER = Filters(dt.date(2026, 12, 1), dt.date(2026, 12, 31))


@pytest.fixture
def run(database, admin):
    case = shop_case.build(database, admin)

    def report(name, filters=DECEMBER):
        with database.read() as s:
            return run_report(s, admin, name, filters)

    report.coffee = case.coffee
    return report


def _pick(rows, *keys):
    return [tuple(r[k] for k in keys) for r in rows]


def test_every_report_on_the_hand_built_shop(run):
    top = run("top_products")  # S1 2 + P2 2 coffees (P1 cancelled), S2's salt
    assert _pick(top.rows, "name", "quantity", "revenue", "net") == [
        ("Coffee", 4, 4920, 4000),
        ("Sea salt", 1, 350, 350),
    ]
    customers = run("top_customers")
    assert _pick(customers.rows, "customer", "orders", "revenue", "tax") == [
        ("Walk-in customer", 2, 2810, 460),
        ("Orla Walsh", 1, 2460, 460),
    ]
    margin = run("margin")  # coffee 4 x 6.00 = 24.00 cost on 40.00 net: 16.00, 40 %
    assert _pick(margin.rows, "name", "revenue", "cost", "margin", "margin_pct") == [
        ("Coffee", 4000, 2400, 1600, 4000),
        ("Sea salt", 350, 0, 350, 10000),
    ]
    assert margin.totals == {"quantity": 5, "revenue": 4350, "cost": 2400, "margin": 1950}
    assert margin.notes == ("1 line sold a product with no cost yet: counted at cost 0.",)
    (category,) = run("margin_categories").rows
    assert (category["category"], category["margin"], category["margin_pct"]) == (
        "(no category)",
        1950,
        4482,  # 1950 / 4350, in basis points, rounded down
    )
    tax = run("tax_rates")
    assert _pick(tax.rows, "rate", "lines", "net", "tax", "gross") == [
        (0, 1, 350, 0, 350),
        (2300, 2, 4000, 920, 4920),
    ]
    assert tax.totals["gross"] == run("sales").totals["gross"] == 5270
    why = run("cancellations_returns")
    assert _pick(why.rows, "kind", "reason", "count", "units", "amount") == [
        ("cancellation", "changed their mind", 1, None, 1230),
        ("return", "damaged", 1, 1, None),
    ]
    till = run("till_summary")  # the refund is a till payment of the 3rd
    assert _pick(till.rows, "period", "cashier", "sales", "takings", "refunds", "net") == [
        ("2026-12-01", "Ada Admin", 1, 2460, 0, 2460),
        ("2026-12-02", "Ada Admin", 1, 350, 0, 350),
        ("2026-12-03", "Ada Admin", 0, 0, 350, -350),
    ]


def test_stock_reports_are_of_now(run):
    (main,) = run("stock_value").rows  # no coffee left; the salt (back from S2) has no cost
    assert (main["warehouse"], main["units"], main["value"], main["uncosted"]) == ("MAIN", 5, 0, 5)
    assert "has a cost yet" in run("stock_value").notes[0]
    low = run("low_stock")
    assert _pick(low.rows, "name", "on_hand", "free", "min", "gap") == [("Coffee", 0, 0, 2, 2)]
    over = run("overstock")
    assert _pick(over.rows, "name", "on_hand", "max", "gap") == [("Sea salt", 5, 3, 2)]


def test_an_empty_range_says_why_and_every_report_prints(run):
    november = Filters(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    for name, report in catalogue().items():
        result = run(name, november)
        assert report.definition and result.definition == described(report)  # {limit} filled
        if name not in ("stock_value", "low_stock", "overstock"):
            assert result.rows == [] and result.notes, name
        assert render_pdf(result).startswith(b"%PDF")
        assert render_pdf(run(name)).startswith(b"%PDF")


def test_lead_time_median_p90_and_on_time(run, database, admin):
    (phone,) = run("lead_time").rows  # P2 alone: 24 hours, shipped 3 hours late
    assert phone == {
        "channel": "phone",
        "shipped": 1,
        "median_hours": 24.0,
        "p90_hours": 24.0,
        "with_due": 1,
        "on_time": 0,
        "on_time_pct": 0,
    }
    customer = factories.customer(database, admin, "Noel Byrne")
    for hours in (8, 2, 6, 4):  # four more phone orders, shipped after 2, 4, 6, 8 hours
        with database.write() as s:
            lines = (LineInput(run.coffee, 1),)
            order_id = order_entry.create_order(
                s, admin, OrderInput("phone", lines, customer_id=customer)
            ).id
            placed = shop_case.local("2026-12-10T09:00")
            s.execute(
                update(SalesOrder)
                .where(SalesOrder.id == order_id)
                .values(created_at=placed, due_at=placed + dt.timedelta(hours=5))
            )
            s.add(Shipment(order_id=order_id, shipped_at=placed + dt.timedelta(hours=hours)))
    (phone,) = run("lead_time").rows  # 2, 4, 6, 8, 24: median the 3rd, p90 the 4th
    assert (phone["shipped"], phone["median_hours"], phone["p90_hours"]) == (5, 6.0, 8.0)
    assert (phone["with_due"], phone["on_time"], phone["on_time_pct"]) == (5, 2, 4000)
    assert "have not shipped yet" not in " ".join(run("lead_time").notes)
