"""A product's history: newest first, running balance, keyset pages that join up."""

from __future__ import annotations

from app.services.stock import history, inventory
from app.services.stock.history import Cursor
from tests import factories


def test_history_pages_and_running_balance(database, admin):
    with database.write() as s:
        a, b = factories.main_bin(s), factories.bin_beside_main(s, "MAIN-B2", 2)
    pid = factories.product(database, admin)
    with database.write() as s:
        inventory.receive(s, admin, pid, a, 10)
        inventory.transfer(s, admin, pid, a, b, 4)
        inventory.adjust(s, admin, pid, b, -1, "damaged")
        held = inventory.reserve(s, admin, pid, a, 2, inventory.MoveRef("order_line", 7))
    with database.read() as s:
        first, cursor = history.product_history(s, admin, pid, limit=2)
        assert isinstance(cursor, Cursor)
        rest, end = history.product_history(s, admin, pid, cursor, limit=2)
    assert end is None
    rows = first + rest
    assert [r.move_id for r in rows][0] == held
    assert [r.origin for r in rows] == ["order_line 7", "adjustment", "transfer", "receipt"]
    assert [r.balance for r in rows] == [9, 9, 10, 10]
    assert (rows[2].from_code, rows[2].to_code, rows[2].user) == (
        "MAIN-STOCK",
        "MAIN-B2",
        admin.username,
    )
