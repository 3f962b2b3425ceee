"""Put-away (putaway.py): the suggested bin is where most of the product already is
(receiving left out), else the first bin in walking order; lots move first-to-expire
first; short or wrong requests move nothing. Both engines."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.errors import NotFound, OutOfStock, ValidationError
from app.models import Location
from app.services.purchasing import order_status, orders, putaway, receiving
from app.services.purchasing.orders import LineInput
from app.services.purchasing.receiving import ReceiptInput
from app.services.stock import inventory, lots
from app.services.stock.integrity import check


@pytest.fixture
def received(database, admin, buying):
    soon, later = lots.today() + timedelta(days=10), lots.today() + timedelta(days=99)
    with database.write() as s:
        number = orders.create_order(
            s,
            admin,
            "ACME",
            "MAIN",
            [LineInput(buying.plain_sku, 20), LineInput(buying.lotted_sku, 10)],
        )
        order_status.send(s, admin, number)
        receiving.receive(
            s,
            admin,
            number,
            [
                ReceiptInput(buying.plain_sku, 20),
                ReceiptInput(buying.lotted_sku, 4, "LATE", later),
                ReceiptInput(buying.lotted_sku, 6, "SOON", soon),
            ],
        )
    return number


def test_the_usual_bin_is_where_most_of_it_is(database, admin, buying, received):
    with database.write() as s:
        inventory.receive(s, admin, buying.plain, buying.shelf, 2)
        inventory.receive(s, admin, buying.plain, buying.other, 5)
        rows = {w.sku: w for w in putaway.waiting(s, admin, "MAIN")}
        assert rows[buying.plain_sku].quantity == 20  # receiving's 20, not the shelves'
        assert rows[buying.plain_sku].suggested_bin == "MAIN-B2"
        assert rows[buying.lotted_sku].suggested_bin == "MAIN-STOCK"  # first in walking order
        done = putaway.put_away(s, admin, "MAIN", buying.plain_sku, 20)
        assert (done.source, done.target) == ("MAIN-RECEIVING", "MAIN-B2")
        assert [w.sku for w in putaway.waiting(s, admin, "MAIN")] == [buying.lotted_sku]
    with database.read() as s:
        assert check(s) == []


def test_lots_go_first_to_expire_first(database, admin, buying, received):
    with database.write() as s:
        done = putaway.put_away(s, admin, "MAIN", buying.lotted_sku, 8, "MAIN-B2")
        assert done.lots == (("SOON", 6), ("LATE", 2))
        named = putaway.put_away(s, admin, "MAIN", buying.lotted_sku, 2, "MAIN-STOCK", "LATE")
        assert named.lots == (("LATE", 2),)
    with database.read() as s:
        assert lots.lots_in_bin(s, buying.lotted, buying.other)[0].code == "SOON"
        assert check(s) == []


@pytest.mark.parametrize(
    ("sku", "qty", "bin_code", "lot", "error", "words"),
    [
        ("{lotted}", 11, "MAIN-B2", "", OutOfStock, "Only 10"),
        ("{lotted}", 1, "MAIN-B2", "NOPE", NotFound, "not waiting"),
        ("{plain}", 21, "MAIN-B2", "", OutOfStock, "Only 20"),
        ("{plain}", 1, "MAIN-B2", "L1", ValidationError, "does not track"),
        ("{plain}", 1, "MAIN-RECEIVING", "", ValidationError, "shelf bin"),
        ("{plain}", 1, "NO-BIN", "", NotFound, "no bin"),
    ],
)
def test_bad_put_away_moves_nothing(
    database, admin, buying, received, sku, qty, bin_code, lot, error, words
):
    sku = sku.format(plain=buying.plain_sku, lotted=buying.lotted_sku)
    with database.read() as s:
        before = putaway.waiting(s, admin, "MAIN")
    with pytest.raises(error, match=words), database.write() as s:
        putaway.put_away(s, admin, "MAIN", sku, qty, bin_code, lot)
    with database.read() as s:
        assert putaway.waiting(s, admin, "MAIN") == before
        assert s.query(Location).filter(Location.code == "MAIN-RECEIVING").count() == 1


def test_nothing_received_yet_makes_no_receiving_location(database, admin, buying):
    with database.read() as s:
        assert putaway.waiting(s, admin, "MAIN") == []
        assert (
            putaway.suggest_bin(s, buying.plain, s.get(Location, buying.shelf).warehouse_id).code
            == "MAIN-STOCK"
        )
    with pytest.raises(NotFound, match="Nothing was received"), database.write() as s:
        putaway.put_away(s, admin, "MAIN", buying.plain_sku, 1)
    with database.read() as s:
        assert s.query(Location).filter(Location.code == "MAIN-RECEIVING").count() == 0
