"""Returns of a lot-tracked product: a GS1 scan at goods-in records the lot, a plain EAN
takes the unit back untagged, an unknown lot is refused in words, and restocking puts the
lot back on the shelf with its level (kestrel check clean). SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.errors import ValidationError
from app.models import Location, LotLevel, StockMove
from app.services.fulfilment import returns
from app.services.stock.integrity import check
from tests.services.fulfilment.test_pick_lots import gs1, lot_order, ship  # noqa: F401


def test_a_returned_lot_is_recorded_and_restocked_in_it(database, admin, lot_order):  # noqa: F811
    ean = lot_order.ean
    ship(database, admin, lot_order, [gs1(ean, lot="L-LATE")] * 3)
    with database.write() as s:
        (line,) = returns.returnable_lines(s, lot_order.order_id)
        rma = returns.create(s, admin, lot_order.order_id, {line.order_line_id: 2}, "Too sour")
    with database.write() as s, pytest.raises(ValidationError, match="no lot L-NOPE"):
        returns.receive_scan(s, admin, rma, gs1(ean, lot="L-NOPE"))
    with database.write() as s:
        returns.receive_scan(s, admin, rma, gs1(ean, lot="L-LATE"))
        returned = returns.receive_scan(s, admin, rma, ean)  # no lot on this one
    with database.write() as s:
        returns.inspect(s, admin, returned.id, 2, 0, lot_order.bin_id)
    with database.read() as s:
        tagged = s.execute(
            select(StockMove.lot_id, StockMove.quantity)
            .join(Location, Location.id == StockMove.to_location_id)
            .where(StockMove.origin_type == returns.RETURN_REF, Location.kind == "internal")
        ).all()
        assert sorted(tagged, key=lambda r: r[0] or 0) == [(None, 1), (lot_order.late, 1)]
        level = s.scalar(
            select(LotLevel.on_hand).where(
                LotLevel.lot_id == lot_order.late, LotLevel.location_id == lot_order.bin_id
            )
        )
        assert level == 4 - 3 + 1
        assert check(s) == []
