"""Adjustments that name a lot: the lot's level moves with the bin's, a found unit may be
in a new lot, a lot-tracked product's lots are only taken away by name, and a lot on an
untracked product is refused. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.errors import OutOfStock, ValidationError
from app.models import Location, Lot, LotLevel, Product, StockMove
from app.services.stock import adjustments, inventory, lots
from app.services.stock.integrity import check
from app.services.stock.inventory import MoveRef
from tests import factories


def _level(s, pid, code, bin_id):
    lot = s.scalar(select(Lot).where(Lot.product_id == pid, Lot.code == code))
    return s.scalar(
        select(LotLevel.on_hand).where(LotLevel.lot_id == lot.id, LotLevel.location_id == bin_id)
    )


def test_an_adjustment_moves_the_lot_it_names(database, admin):
    pid = factories.product(database, admin, name="Feta")
    plain = factories.product(database, admin, name="Spoon")
    with database.write() as s:
        product = s.get(Product, pid)
        product.tracking = "lot"
        main = factories.main_bin(s)
        code = s.get(Location, main).code
        sku, plain_sku = product.sku, s.get(Product, plain).sku
        expiry = lots.today() + timedelta(days=30)
        lots.receive_lot(s, admin, product, main, 5, "F-1", expiry, MoveRef())
        inventory.receive(s, admin, pid, main, 1)  # one unit without a lot
        inventory.receive(s, admin, plain, main, 3)
    with database.write() as s:
        move = adjustments.adjust_by_code(s, admin, sku, code, -2, "damaged", lot="F-1")
        assert s.get(StockMove, move).lot_id is not None
        assert _level(s, pid, "F-1", main) == 3
        adjustments.adjust_by_code(s, admin, sku, code, 2, "found", lot="F-NEW")
        assert _level(s, pid, "F-NEW", main) == 2
        adjustments.adjust_by_code(s, admin, sku, code, -1, "lost")  # the untagged one
    with database.write() as s, pytest.raises(ValidationError, match="carry no lot: name"):
        adjustments.adjust_by_code(s, admin, sku, code, -1, "lost")
    with database.write() as s, pytest.raises(ValidationError, match="no lot or serial F-9"):
        adjustments.adjust_by_code(s, admin, sku, code, -1, "lost", lot="F-9")
    with database.write() as s, pytest.raises(OutOfStock, match="lot F-1"):
        adjustments.adjust_by_code(s, admin, sku, code, -4, "lost", lot="F-1")
    with database.write() as s, pytest.raises(ValidationError, match="does not track lots"):
        adjustments.adjust_by_code(s, admin, plain_sku, code, -1, "lost", lot="X")
    with database.read() as s:
        assert _level(s, pid, "F-1", main) == 3
        assert check(s) == []


def test_a_transfer_moves_the_lot_it_names_and_lots_only_by_name(database, admin):
    pid = factories.product(database, admin, name="Ricotta")
    with database.write() as s:
        product = s.get(Product, pid)
        product.tracking = "lot"
        main, other = factories.main_bin(s), factories.bin_beside_main(s, "MAIN-B2", 2)
        code, sku = s.get(Location, main).code, product.sku
        lots.receive_lot(s, admin, product, main, 5, "R-1", None, MoveRef())
        inventory.receive(s, admin, pid, main, 1)
    with database.write() as s:
        adjustments.transfer_by_code(s, admin, sku, code, "MAIN-B2", 2, lot="R-1")
        assert (_level(s, pid, "R-1", main), _level(s, pid, "R-1", other)) == (3, 2)
    with database.write() as s, pytest.raises(ValidationError, match="Only 1 .* carry no lot"):
        adjustments.transfer_by_code(s, admin, sku, code, "MAIN-B2", 2)
    with database.write() as s, pytest.raises(OutOfStock, match="Only 3 of lot R-1"):
        adjustments.transfer_by_code(s, admin, sku, code, "MAIN-B2", 4, lot="R-1")
    with database.write() as s:
        adjustments.transfer_by_code(s, admin, sku, code, "MAIN-B2", 1)  # the untagged one
    with database.read() as s:
        assert check(s) == []
