"""Counting by lot: GS1 scans name the lot (one the books lack is made, with the code's
expiry), approval settles each lot against its level and the bin against its book, and
`kestrel check` is clean after. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.models import Barcode, Location, Lot, LotLevel, Product, StockLevel
from app.services.stock import counts, inventory, lots
from app.services.stock.integrity import check
from app.services.stock.inventory import MoveRef
from tests import factories


def test_a_count_by_lot_settles_the_lots_and_the_bin(database, admin):
    pid = factories.product(database, admin, name="Halloumi")
    with database.write() as s:
        product = s.get(Product, pid)
        product.tracking = "lot"
        main = factories.main_bin(s)
        code = s.get(Location, main).code
        ean = s.scalar(select(Barcode.code).where(Barcode.product_id == pid))
        expiry = lots.today() + timedelta(days=40)
        for lot_code, qty in (("C-1", 4), ("C-2", 3)):
            lots.receive_lot(s, admin, product, main, qty, lot_code, expiry, MoveRef())
        inventory.receive(s, admin, pid, main, 1)  # one without a lot
        cid = counts.start(s, admin, bin_code=code)
    gtin = ean.zfill(14)
    with database.write() as s:
        first = counts.scan(s, admin, cid, code, f"]C101{gtin}10C-1", 5)  # one more than booked
        assert (first.lot, first.added) == ("C-1", 5)
        new = counts.scan(s, admin, cid, code, f"]d201{gtin}17270300" + "10C-3\x1d302", 1)
        assert (new.lot, new.added) == ("C-3", 2)  # AI 30: a count of 2 in one scan
        plain = counts.scan(s, admin, cid, code, ean)  # C-2 is not found at all
        assert (plain.lot, plain.counted) == ("", 8)
    with database.write() as s:
        made = counts.approve(s, admin, cid)
    assert made == 3  # C-1 +1, C-3 +2, C-2 -3; the bin's variance is 0
    with database.read() as s:
        held = dict(
            s.execute(
                select(Lot.code, LotLevel.on_hand)
                .join(LotLevel, LotLevel.lot_id == Lot.id)
                .where(Lot.product_id == pid, LotLevel.location_id == main)
            ).all()
        )
        assert held == {"C-1": 5, "C-2": 0, "C-3": 2}
        assert s.scalar(select(Lot.expires_on).where(Lot.code == "C-3")) == date(2027, 3, 31)
        level = s.get(StockLevel, (pid, main))
        assert level.on_hand == 8
        assert check(s) == []


def test_plain_codes_settle_the_bin_only(database, admin):
    pid = factories.product(database, admin, name="Labneh")
    with database.write() as s:
        product = s.get(Product, pid)
        product.tracking = "lot"
        main = factories.main_bin(s)
        code = s.get(Location, main).code
        ean = s.scalar(select(Barcode.code).where(Barcode.product_id == pid))
        lots.receive_lot(s, admin, product, main, 3, "P-1", None, MoveRef())
        inventory.receive(s, admin, pid, main, 2)
        cid = counts.start(s, admin, bin_code=code)
    with database.write() as s:
        counts.scan(s, admin, cid, code, ean, 4)
        counts.approve(s, admin, cid)
    with database.read() as s:
        assert s.get(StockLevel, (pid, main)).on_hand == 4
        assert [x.on_hand for x in lots.lots_in_bin(s, pid, main)] == [3]
        assert check(s) == []
