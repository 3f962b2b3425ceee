"""The order readers on files written in each system's real export layout (three or more
orders, a multi-line item, a continuation row, a refunded or cancelled order, an unknown
SKU): what each order comes to, and the refusals in words."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.core.errors import ValidationError
from app.services.channels import formats
from app.services.channels.external import CANCELLED, OPEN, REFUNDED, totals_problem, when

FILES = Path(__file__).parent / "files"


def _read(name: str, fmt: str | None = None):
    detected, parsed = formats.read_file(FILES / name, fmt)
    assert parsed.problems == []
    for order in parsed.orders:
        assert totals_problem(order) == "", order.number
    return detected, {o.number: o for o in parsed.orders}


def test_shopify_csv_groups_continuation_rows():
    fmt, orders = _read("shopify_orders.csv")
    assert fmt == "shopify-csv" and list(orders) == ["#1001", "#1002", "#1003"]
    first = orders["#1001"]
    assert first.external_id == "5678901234001" and first.currency == "USD"
    assert first.created_at == datetime(2025, 12, 6, 15, 37, 33, tzinfo=UTC)
    assert [(x.sku, x.quantity, x.unit_price, x.net) for x in first.lines] == [
        ("MUG-BLUE", 2, 1500, 2700),
        ("BEANS-1KG", 1, 3000, 2700),
    ]
    assert (first.shipping, first.tax_added, first.discount, first.total) == (500, 338, 0, 6238)
    assert first.ship_to.postcode == "02134" and first.ship_to.country == "US"
    assert "leave at the door" in first.notes and "\n" in first.notes
    assert first.rows == [2, 3]
    assert orders["#1002"].state == REFUNDED and orders["#1002"].refunded == 3188
    assert orders["#1003"].state == CANCELLED
    assert orders["#1003"].lines[0].sku == "NOT-IN-CATALOGUE"


def test_shopify_json_inclusive_tax_and_refunds():
    fmt, orders = _read("shopify_orders.json")
    assert fmt == "shopify-json"
    order = orders["#1004"]
    assert order.prices_include_tax and order.ship_to.country == "IE"
    assert [(x.sku, x.net, x.tax) for x in order.lines] == [
        ("MUG-BLUE", 2431, 559),
        ("BEANS-1KG", 2431, 559),
    ]
    assert (order.shipping, order.shipping_tax, order.total) == (580, 10, 6570)
    assert orders["#1005"].lines[0].discount == 299 and orders["#1005"].refunded == 1000
    assert orders["#1006"].state == CANCELLED and orders["#1006"].lines[0].sku == ""


def test_woocommerce_json_entities_and_gmt_dates():
    fmt, orders = _read("woocommerce_orders.json")
    assert fmt == "woocommerce-json"
    order = orders["727"]
    assert order.customer_name == "Françoise Dupré" and order.lines[0].name == "Kestrel Mug – Blue"
    assert order.created_at == datetime(2025, 12, 6, 16, 37, 33, tzinfo=UTC)
    assert [(x.sku, x.quantity, x.unit_price, x.net, x.tax) for x in order.lines] == [
        ("MUG-BLUE", 2, 1000, 2000, 380),
        ("", 1, 1000, 1000, 190),
    ]
    assert orders["728"].state == REFUNDED and orders["728"].refunded == 3558
    assert orders["728"].ship_to.city == "Lisboa"  # no shipping address: the billing one
    assert orders["729"].lines[0].quantity == 3 and orders["729"].state == OPEN


def test_woocommerce_csv_packed_items():
    fmt, orders = _read("woocommerce_orders.csv")
    assert fmt == "woocommerce-csv" and list(orders) == ["812", "813", "814"]
    order = orders["812"]
    assert [(x.sku, x.quantity, x.net, x.tax) for x in order.lines] == [
        ("MUG-BLUE", 2, 1600, 320),
        ("BEANS-1KG", 1, 2200, 440),
    ]
    assert order.currency == "GBP" and order.email == "amelia@example.co.uk"
    assert orders["813"].state == CANCELLED and orders["814"].refunded == 2640


def test_amazon_report_line_prices_and_cancelled_items():
    fmt, orders = _read("amazon_orders.txt")
    assert fmt == "amazon-tsv"
    order = orders["302-1234567-1234567"]
    assert order.ship_to.city == "München" and order.prices_include_tax
    assert [(x.sku, x.quantity, x.unit_price, x.net, x.tax) for x in order.lines] == [
        ("MUG-BLUE", 2, 1495, 2513, 477),
        ("BEANS-1KG", 1, 2990, 2213, 477),
    ]
    assert (order.shipping, order.shipping_tax) == (419, 80)
    assert orders["302-7654321-7654321"].ship_to.line2 == "Hinterhaus"
    assert orders["302-0000000-0000001"].state == CANCELLED


def test_bad_rows_are_reported_and_the_rest_read(tmp_path):
    text = (FILES / "shopify_orders.csv").read_text()
    broken = text.replace('"2","Kestrel Mug', '"-2","Kestrel Mug').replace(
        ",2,Kestrel Mug - Blue,", ",two,Kestrel Mug - Blue,"
    )
    assert broken != text
    path = tmp_path / "orders.csv"
    path.write_text(broken)
    _fmt, parsed = formats.read_file(path)
    assert [o.number for o in parsed.orders] == ["#1002", "#1003"]
    assert [(p.row, p.order) for p in parsed.problems] == [(2, "#1001")]
    assert "not a number of units" in str(parsed.problems[0])


@pytest.mark.parametrize(
    ("fmt", "body", "words"),
    [
        ("shopify-json", b"[1, 2]", "this is an array"),
        ("woocommerce-json", b"[]", "this is an array"),
        ("shopify-json", b"{not json", "not valid JSON"),
    ],
)
def test_webhook_bodies_that_are_not_an_order(fmt, body, words):
    with pytest.raises(ValidationError, match=words):
        formats.read_body(fmt, body)


def test_an_order_with_a_bad_field_is_listed_not_raised():
    body = {"id": 1, "number": "9", "currency": "EUR", "line_items": [{"quantity": -1}]}
    parsed = formats.read_body("woocommerce-json", json.dumps(body).encode())
    assert parsed.orders == [] and "not more than zero" in str(parsed.problems[0])


def test_another_systems_csv_is_refused_by_name(tmp_path):
    path = tmp_path / "products.csv"
    path.write_text("sku,name,price\nA,B,1.00\n")
    with pytest.raises(ValidationError, match="not a Shopify, WooCommerce or Amazon"):
        formats.read_file(path)
    with pytest.raises(ValidationError, match="not a Shopify orders export"):
        formats.read_file(path, "shopify-csv")


@pytest.mark.parametrize(
    "written",
    [
        "2025-12-06 10:37:33 -0500",
        "2025-12-31 23:59:59 +1400",
        "2024-02-29 00:00:00 +0530",
        "2025-02-29 10:37:33 -0500",  # no such day
        "2025-12-06 24:00:00 +0000",  # no such hour
        "2025-12-06 10:37:33 -05:00",
        "2025-12-06 10:37:33-0500",
    ],
)
def test_a_shopify_date_reads_as_strptime_reads_it(written):
    """The Shopify CSV's dates take a short way (fromisoformat): the same instant as
    strptime's pattern gives, and the same refusal of a date that is not one."""
    try:
        expected: datetime | None = datetime.strptime(written, "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        expected = None
    if expected is None and written[19:20] == " ":
        with pytest.raises(ValidationError):
            when(written)
    elif expected is not None:
        assert when(written) == expected.astimezone(UTC)
        assert when(written).tzinfo is UTC
