"""`kestrel check` on the lot books: a tampered lot level, lots adding up to more than the
bin holds, and a move tagged with another product's lot are each found and named.
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from app.models import Product
from app.services.stock import inventory, lots
from app.services.stock.integrity import check
from app.services.stock.inventory import MoveRef
from tests import factories


def _received(database, admin) -> tuple[int, int, int]:
    pid = factories.product(database, admin, name="Smoked salmon")
    with database.write() as s:
        product = s.get(Product, pid)
        product.tracking = "lot"
        main = factories.main_bin(s)
        inventory.receive(s, admin, pid, main, 2)  # untagged: before it tracked lots
        expiry = lots.today() + timedelta(days=12)
        _m, lot = lots.receive_lot(s, admin, product, main, 4, "SAL-1", expiry, MoveRef())
    with database.read() as s:
        assert check(s) == []
    return pid, main, lot.id


def test_a_tampered_lot_level_is_found(database, admin):
    _pid, main, lot_id = _received(database, admin)
    with database.write() as s:
        s.execute(
            text(
                "UPDATE lot_levels SET on_hand = on_hand - 1 WHERE lot_id = :l AND location_id = :b"
            ),
            {"l": lot_id, "b": main},
        )
    with database.read() as s:
        problems = check(s)
    assert [p.kind for p in problems] == ["lot-ledger"]
    assert "lot SAL-1" in problems[0].message and "level says 3, the ledger says 4" in (
        problems[0].message
    )


def test_lots_over_the_bins_stock_are_found(database, admin):
    pid, main, _lot_id = _received(database, admin)
    with database.write() as s:  # the bin's count taken down past its untagged units
        inventory.adjust(s, admin, pid, main, -3, "lost")
    with database.read() as s:
        problems = check(s)
    assert [p.kind for p in problems] == ["lots-over-stock"]
    assert "its lots add up to 4 but the bin holds 3" in problems[0].message


def test_a_move_with_another_products_lot_is_found(database, admin):
    _pid, main, lot_id = _received(database, admin)
    other = factories.product(database, admin, name="Capers")
    with database.write() as s:
        move_id = inventory.receive(s, admin, other, main, 1)
        s.execute(
            text("UPDATE stock_moves SET lot_id = :l WHERE id = :m"), {"l": lot_id, "m": move_id}
        )
    with database.read() as s:
        kinds = {p.kind for p in check(s)}
    assert "lot-of-other-product" in kinds
