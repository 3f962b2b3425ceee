"""Receiving against a purchase order (receiving.py): into the receiving location or a
bin, in lots, average cost by hand-computed figures, over-receipt recorded, labels, and
every refusal leaving nothing half-written; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core import audit
from app.core.errors import ConflictError, InvalidTransition, NotFound, ValidationError
from app.models import (
    AuditEntry,
    Location,
    Lot,
    PrintJob,
    Product,
    PurchaseOrderLine,
    StockLevel,
    StockMove,
)
from app.services.purchasing import order_status, orders, putaway, receiving
from app.services.purchasing.orders import LineInput
from app.services.purchasing.receiving import ReceiptInput
from app.services.stock import inventory, lots
from app.services.stock.integrity import check


def _sent(database, admin, *lines):
    with database.write() as s:
        number = orders.create_order(s, admin, "ACME", "MAIN", list(lines))
        order_status.send(s, admin, number)
    return number


def _level(database, product_id, code):
    with database.read() as s:
        return (
            s.scalar(
                select(StockLevel.on_hand)
                .join(Location, Location.id == StockLevel.location_id)
                .where(StockLevel.product_id == product_id, Location.code == code)
            )
            or 0
        )


def _footprint(database):
    """Everything a receipt writes, to show a refusal wrote none of it."""
    with database.read() as s:
        return (
            s.scalar(select(func.count(StockMove.id))),
            s.scalar(select(func.count(Lot.id))),
            s.scalar(select(func.sum(PurchaseOrderLine.received))),
            tuple(s.scalars(select(StockLevel.on_hand).order_by(StockLevel.location_id))),
            s.scalar(select(Product.cost).where(Product.id == 1)),
        )


def test_full_cycle_receive_put_away_receive_rest(database, admin, buying):
    expiry = lots.today() + timedelta(days=90)
    number = _sent(
        database, admin, LineInput(buying.plain_sku, 10), LineInput(buying.lotted_sku, 6, 500)
    )
    with database.write() as s:
        done = receiving.receive(
            s,
            admin,
            number,
            [ReceiptInput(buying.plain_sku, 4), ReceiptInput(buying.lotted_sku, 6, "L-7", expiry)],
        )
        assert [d.status for d in done] == ["partly_received", "partly_received"]
        assert done[1].lot == "L-7" and done[1].location == "MAIN-RECEIVING"
    assert _level(database, buying.lotted, "MAIN-RECEIVING") == 6
    with database.read() as s:
        receiving_bin = s.scalar(select(Location).where(Location.code == "MAIN-RECEIVING"))
        assert receiving_bin.kind == "internal" and receiving_bin.parent_id is not None
        line = s.scalar(
            select(PurchaseOrderLine).where(PurchaseOrderLine.product_id == buying.lotted)
        )
        move = s.scalar(select(StockMove).where(StockMove.origin_id == line.id))
        assert (move.origin_type, move.lot_id is not None) == ("purchase_line", True)
        assert [w.sku for w in putaway.waiting(s, admin, "MAIN")] == sorted(
            [buying.plain_sku, buying.lotted_sku]
        )
    with database.write() as s:  # put away: lots move with their lot
        moved = putaway.put_away(s, admin, "MAIN", buying.lotted_sku, 4, "MAIN-B2")
        assert moved.lots == (("L-7", 4),) and moved.target == "MAIN-B2"
        plain = putaway.put_away(s, admin, "MAIN", buying.plain_sku, 4)
        assert plain.target == "MAIN-STOCK"  # nothing of it anywhere yet: first bin
    with database.write() as s:
        done = receiving.receive(s, admin, number, [ReceiptInput(buying.plain_sku, 6)])
        assert done[0].status == "received" and done[0].received == 10
    with database.read() as s:
        po = orders.show(s, admin, number)
        assert po.status == "received"
        assert [(ln.ordered, ln.received) for ln in po.lines] == [(10, 10), (6, 6)]
        lot = lots.find_lot(s, buying.lotted, "L-7")
        assert {x.on_hand for x in lots.lots_in_bin(s, buying.lotted, buying.other)} == {4}
        assert lot.expires_on == expiry
        assert check(s) == []
    with pytest.raises(InvalidTransition, match="fully received"), database.write() as s:
        receiving.receive(s, admin, number, [ReceiptInput(buying.plain_sku, 1)])


def test_average_cost_by_hand(database, admin, buying):
    with database.write() as s:  # 10 on hand at 300 (the product's cost)
        inventory.receive(s, admin, buying.plain, buying.shelf, 10)
    number = _sent(database, admin, LineInput(buying.plain_sku, 20, 451))
    with database.write() as s:
        done = receiving.receive(s, admin, number, [ReceiptInput(buying.plain_sku, 5)])
    # (300 * 10 + 451 * 5) / 15 = 5255 / 15 = 350.33 -> 350
    assert done[0].cost == 350
    with database.write() as s:
        done = receiving.receive(s, admin, number, [ReceiptInput(buying.plain_sku, 3)])
    # (350 * 15 + 451 * 3) / 18 = 6603 / 18 = 366.83 -> 367 (half up)
    assert done[0].cost == 367
    with database.read() as s:
        assert s.get(Product, buying.plain).cost == 367


def test_over_receipt_is_taken_and_recorded(database, admin, buying):
    number = _sent(database, admin, LineInput(buying.plain_sku, 2))
    with database.write() as s:
        done = receiving.receive(
            s, admin, number, [ReceiptInput(buying.plain_sku, 2), ReceiptInput(buying.plain_sku, 1)]
        )
        assert [d.over_receipt for d in done] == [False, True]
        assert done[-1].status == "received" and done[-1].received == 3
    with database.read() as s:
        details = s.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "purchase.receive")
        ).all()
        assert any("over-receipt: 3 received of 2 ordered" in d for d in details)
        assert audit.search(s, admin, text=number)


def test_straight_into_a_bin_with_labels(database, admin, buying):
    number = _sent(database, admin, LineInput(buying.plain_sku, 3))
    with database.write() as s:
        receiving.receive(s, admin, number, [ReceiptInput(buying.plain_sku, 3)], "main-b2", True)
        job = s.scalar(select(PrintJob).where(PrintJob.document == "product-labels"))
        assert job is not None and job.payload.count(b"\x1dV") == 3  # a cut per label
    assert _level(database, buying.plain, "MAIN-B2") == 3
    assert _level(database, buying.plain, "MAIN-RECEIVING") == 0


def test_bad_input_leaves_nothing_half_written(database, admin, buying):
    past = lots.today() - timedelta(days=1)
    serial_pid = buying.lotted
    with database.write() as s:
        s.get(Product, serial_pid).tracking = "serial"
    cancelled = _sent(database, admin, LineInput(buying.plain_sku, 1))
    with database.write() as s:
        order_status.cancel(s, admin, cancelled)
    full = _sent(database, admin, LineInput(buying.plain_sku, 1))
    with database.write() as s:
        receiving.receive(s, admin, full, [ReceiptInput(buying.plain_sku, 1)])
    with database.write() as s:
        draft = orders.create_order(s, admin, "ACME", "MAIN", [LineInput(buying.plain_sku, 1)])
    number = _sent(database, admin, LineInput(buying.plain_sku, 5), LineInput(buying.lotted_sku, 5))
    with database.write() as s:
        receiving.receive(s, admin, number, [ReceiptInput(buying.lotted_sku, 1, "SN-1")])
        other = factories_product(s, admin)
    before = _footprint(database)
    cases = [
        (cancelled, [ReceiptInput(buying.plain_sku, 1)], InvalidTransition, "cancelled"),
        (full, [ReceiptInput(buying.plain_sku, 1)], InvalidTransition, "fully received"),
        (draft, [ReceiptInput(buying.plain_sku, 1)], InvalidTransition, "still a draft"),
        # the good first line is rolled back with the bad second one
        (
            number,
            [ReceiptInput(buying.plain_sku, 1), ReceiptInput(buying.lotted_sku, 1, "SN-1")],
            ConflictError,
            "received already",
        ),
        (
            number,
            [ReceiptInput(buying.plain_sku, 1), ReceiptInput(buying.lotted_sku, 1, "SN-2", past)],
            ValidationError,
            "expired",
        ),
        (number, [ReceiptInput(other, 1)], ValidationError, "is not on"),
        (number, [ReceiptInput("NO-SUCH", 1)], NotFound, "no product"),
        (number, [ReceiptInput(buying.plain_sku, 0)], ValidationError, "Quantity"),
        (number, [ReceiptInput(buying.lotted_sku, 2, "SN-3")], ValidationError, "one unit"),
        (number, [ReceiptInput(buying.plain_sku, 1)], NotFound, "no bin"),
    ]
    for ref, lines, error, words in cases:
        bin_code = "NO-BIN" if words == "no bin" else ""
        with pytest.raises(error, match=words), database.write() as s:
            receiving.receive(s, admin, ref, lines, bin_code)
        assert _footprint(database) == before, words


def factories_product(session, admin) -> str:
    from app.services.stock import catalogue

    catalogue.create_product(session, admin, catalogue.ProductInput("NOT-ON-PO", "Stray", 100))
    return "NOT-ON-PO"
