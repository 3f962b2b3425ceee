"""Lots and serials in the ledger: receipt makes the lot and its bin level, a transfer
moves both, and the refusals (expired, serial twice, lot on an untracked product, a lot
short in its bin) change nothing. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.errors import ConflictError, OutOfStock, ValidationError
from app.models import LotLevel, Product, StockMove
from app.services.stock import lots
from app.services.stock.integrity import check
from app.services.stock.inventory import MoveRef
from tests import factories


@pytest.fixture
def bins(database):
    with database.write() as s:
        return factories.main_bin(s), factories.bin_beside_main(s, "MAIN-B2", 2)


def _product(database, admin, tracking: str) -> int:
    pid = factories.product(database, admin)
    with database.write() as s:
        s.get(Product, pid).tracking = tracking
    return pid


def _levels(database, lot_id):
    with database.read() as s:
        rows = s.execute(
            select(LotLevel.location_id, LotLevel.on_hand).where(LotLevel.lot_id == lot_id)
        )
        return {loc: qty for loc, qty in rows if qty}


def test_receipt_then_transfer_moves_the_lot(database, admin, bins):
    a, b = bins
    pid = _product(database, admin, "lot")
    expiry = lots.today() + timedelta(days=30)
    with database.write() as s:
        move_id, lot = lots.receive_lot(
            s, admin, s.get(Product, pid), a, 12, "L-001", expiry, MoveRef("receipt")
        )
        assert lot is not None and lot.expires_on == expiry
        lots.transfer_lot(s, admin, lot, a, b, 5)
        lot_id = lot.id
        assert s.get(StockMove, move_id).lot_id == lot_id
    assert _levels(database, lot_id) == {a: 7, b: 5}
    with database.write() as s:  # the same lot again adds to it
        lots.receive_lot(s, admin, s.get(Product, pid), a, 3, "L-001", None, MoveRef())
        assert [x.on_hand for x in lots.lots_in_bin(s, pid, a)] == [10]
    with database.read() as s:
        assert check(s) == []


def test_refusals_change_nothing(database, admin, bins):
    a, b = bins
    lotted = _product(database, admin, "lot")
    serial = _product(database, admin, "serial")
    plain = _product(database, admin, "none")
    past = lots.today() - timedelta(days=1)
    cases = [
        (lotted, 1, "L-1", past, ValidationError, "expired"),
        (lotted, 1, "", None, ValidationError, "needs a lot"),
        (plain, 1, "L-1", None, ValidationError, "does not track"),
        (serial, 2, "SN-1", None, ValidationError, "one unit"),
    ]
    for pid, qty, code, expiry, error, words in cases:
        with pytest.raises(error, match=words), database.write() as s:
            lots.receive_lot(s, admin, s.get(Product, pid), a, qty, code, expiry, MoveRef())
    with database.write() as s:
        _m, lot = lots.receive_lot(s, admin, s.get(Product, serial), a, 1, "SN-1", None, MoveRef())
    with pytest.raises(ConflictError, match="received already"), database.write() as s:
        lots.receive_lot(s, admin, s.get(Product, serial), a, 1, "SN-1", None, MoveRef())
    with pytest.raises(OutOfStock, match="lot SN-1"), database.write() as s:
        lots.change_lot_level(s, lot, b, -1)
    with database.read() as s:
        assert s.scalar(select(StockMove.id).where(StockMove.product_id == lotted)) is None
        assert check(s) == []
