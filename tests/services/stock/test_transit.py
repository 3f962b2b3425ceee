"""Warehouse to warehouse through in-transit (services/stock/transit.py): shipped units
leave the bin for V-TRANSIT under a TR- number, are received by scan into a bin of the
other warehouse, never more than was sent; the ledger stays clean. Both engines."""

from __future__ import annotations

import pytest

from app.core.errors import InvalidTransition, NotFound, OutOfStock, ValidationError
from app.models import Product, Warehouse
from app.services.stock import bins, transit
from app.services.stock.integrity import check
from app.services.stock.overview import stock_for_sku
from tests import factories


@pytest.fixture
def two_houses(database, admin):
    pid = factories.product(database, admin, stock=10)
    with database.write() as s:
        s.add(Warehouse(code="SHOP", name="Shop floor"))
        s.flush()
        bins.add_location(s, admin, "SHOP-1", "SHOP")
        sku = s.get(Product, pid).sku
    return sku


def _where(database, admin, sku):
    with database.read() as s:
        data = stock_for_sku(s, admin, sku)
    return {b["code"]: b["on_hand"] for w in data["warehouses"] for b in w["bins"]}


def test_ship_then_receive_by_scan(database, admin, two_houses):
    sku = two_houses
    with database.write() as s:
        said = transit.move_between_bins(s, admin, sku, "MAIN-STOCK", "SHOP-1", 4)
    assert "TR-000001" in said and "SHOP-1" in said
    assert _where(database, admin, sku) == {"MAIN-STOCK": 6}
    with database.read() as s:
        assert transit.show(s, admin, "tr-000001")["lines"] == [
            {"sku": sku, "quantity": 4, "received": 0}
        ]
    ean = factories.make_ean(int(sku[2:]))
    with database.write() as s:
        first = transit.receive_scan(s, admin, "TR-000001", "SHOP-1", ean)
        rest = transit.receive_scan(s, admin, "TR-000001", "SHOP-1", sku, 3)
    assert (first.added, first.remaining, first.state) == (1, 3, "in_transit")
    assert (rest.remaining, rest.state) == (0, "received")
    assert _where(database, admin, sku) == {"MAIN-STOCK": 6, "SHOP-1": 4}
    with database.read() as s:
        assert check(s) == []


def test_receiving_more_than_sent_or_elsewhere_is_refused(database, admin, two_houses):
    sku = two_houses
    with database.write() as s:
        number = transit.ship(s, admin, "MAIN-STOCK", "shop", [(sku, 2), (sku, 1)])
    with database.write() as s, pytest.raises(ValidationError, match="Only 3 of .* on the way"):
        transit.receive_scan(s, admin, number, "SHOP-1", sku, 4)
    with database.write() as s, pytest.raises(ValidationError, match="not in the warehouse"):
        transit.receive_scan(s, admin, number, "MAIN-STOCK", sku)
    with database.write() as s:
        assert transit.receive_all(s, admin, number, "SHOP-1") == 3
    with database.write() as s, pytest.raises(InvalidTransition, match="received already"):
        transit.receive_scan(s, admin, number, "SHOP-1", sku)
    with database.read() as s:
        assert check(s) == []


@pytest.mark.parametrize(
    ("args", "error", "words"),
    [
        (("MAIN-STOCK", "MAIN", 1), ValidationError, "bin to bin instead"),
        (("MAIN-STOCK", "NOPE", 1), NotFound, "no warehouse 'NOPE'"),
        (("MAIN-STOCK", "SHOP", 11), OutOfStock, "Only 10"),
        (("MAIN-STOCK", "SHOP", 0), ValidationError, "more than zero"),
    ],
)
def test_bad_shipments_write_nothing(database, admin, two_houses, args, error, words):
    sku = two_houses
    source, warehouse, qty = args
    with database.write() as s, pytest.raises(error, match=words):
        transit.ship(s, admin, source, warehouse, [(sku, qty)])
    assert _where(database, admin, sku) == {"MAIN-STOCK": 10}
