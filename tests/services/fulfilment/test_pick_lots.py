"""Picking a lot-tracked product: the plain EAN is sent to the first lot to expire, a GS1
scan names its lot, an expired lot is refused in words, a serial product needs its serial,
and the lots go bin -> packing -> customer on tagged moves with the lot levels following
(kestrel check stays clean). SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.errors import ValidationError
from app.models import Barcode, Location, Lot, LotLevel, Product, StockMove
from app.services.fulfilment import packing, pick_bench, picking, shipping, waves
from app.services.fulfilment.shipping import CarrierInput
from app.services.sales import order_actions, order_entry
from app.services.sales.order_entry import LineInput, OrderInput
from app.services.stock import lots
from app.services.stock.integrity import check
from app.services.stock.inventory import MoveRef
from tests import factories


@dataclass
class LotOrder:
    wave_id: int
    order_id: int
    ean: str
    product_id: int
    bin_id: int
    soon: int  # lot ids
    late: int
    stale: int  # expired since it was received


def gs1(ean: str, *, lot: str = "", serial: str = "") -> str:
    text = f"]C101{ean.zfill(14)}"
    if lot:
        text += f"10{lot}"
    if serial:
        text += ("\x1d" if lot else "") + f"21{serial}"
    return text


def _tracked(database, admin, tracking: str) -> tuple[int, str]:
    pid = factories.product(database, admin, name=f"Yoghurt ({tracking})")
    with database.write() as s:
        s.get(Product, pid).tracking = tracking
        ean = s.scalar(select(Barcode.code).where(Barcode.product_id == pid))
    return pid, ean


def _order(s, admin, pid: int, quantity: int, bin_id: int, customer: int) -> tuple[int, int]:
    ref = order_entry.create_order(
        s, admin, OrderInput("phone", (LineInput(pid, quantity),), customer_id=customer)
    )
    order_actions.set_warehouse(s, admin, ref.id, s.get(Location, bin_id).warehouse_id)
    order_actions.confirm(s, admin, ref.id)
    return waves.create_wave(s, admin, [ref.id]).id, ref.id


@pytest.fixture
def lot_order(database, admin) -> LotOrder:
    pid, ean = _tracked(database, admin, "lot")
    customer = factories.customer(database, admin)
    today = lots.today()
    with database.write() as s:
        bin_id = factories.bin_beside_main(s, "LOT-A-01", 1)
        product = s.get(Product, pid)
        ids = {}
        for code, days, qty in (("L-LATE", 90, 4), ("L-SOON", 20, 2), ("L-STALE", 5, 3)):
            _m, lot = lots.receive_lot(
                s, admin, product, bin_id, qty, code, today + timedelta(days=days), MoveRef()
            )
            ids[code] = lot.id
        s.get(Lot, ids["L-STALE"]).expires_on = today - timedelta(days=1)
        wave_id, order_id = _order(s, admin, pid, 3, bin_id, customer)
    return LotOrder(
        wave_id, order_id, ean, pid, bin_id, ids["L-SOON"], ids["L-LATE"], ids["L-STALE"]
    )


def ship(database, admin, lot_order: LotOrder, codes: list[str]) -> None:
    """Pick the order's line with these scans (at its bin), pack, weigh and ship it."""
    with database.read() as s:
        line = pick_bench.view(s, lot_order.wave_id).current
    with database.write() as s:
        at = pick_bench.scan(s, admin, lot_order.wave_id, line.id, "LOT-A-01", "").at_bin
    for code in codes:
        with database.write() as s:
            pick_bench.scan(s, admin, lot_order.wave_id, line.id, code, at)
    with database.write() as s:
        for _ in range(3):
            packing.pack_item(s, admin, lot_order.order_id, lot_order.ean)
        for package in packing.state(s, lot_order.order_id).packages:
            packing.set_weight(s, admin, package.id, 900)
        packing.finish(s, admin, lot_order.order_id)
        carrier = shipping.add_carrier(
            s, admin, CarrierInput("LOT", "Lot Post", tracking_template="LP{n:08d}")
        )
    with database.write() as s:
        shipping.ship(s, admin, lot_order.order_id, carrier)


def _levels(s, lot_id):
    rows = s.execute(
        select(LotLevel.location_id, LotLevel.on_hand).where(LotLevel.lot_id == lot_id)
    )
    return {s.get(Location, loc).code: qty for loc, qty in rows if qty}


def test_fefo_proposes_the_earliest_good_lot_and_refuses_an_expired_one(database, admin, lot_order):
    wave = lot_order.wave_id
    with database.read() as s:
        view = pick_bench.view(s, wave)
        assert view.lot_hint == "L-SOON"  # L-STALE expires first but is past its date
        line = view.current
    with database.write() as s:
        at = pick_bench.scan(s, admin, wave, line.id, "LOT-A-01", "").at_bin
    with database.write() as s, pytest.raises(ValidationError, match=r"Lot L-STALE .* expired on"):
        pick_bench.scan(s, admin, wave, line.id, gs1(lot_order.ean, lot="L-STALE"), at)
    with database.write() as s, pytest.raises(ValidationError, match="no lot L-NONE"):
        pick_bench.scan(s, admin, wave, line.id, gs1(lot_order.ean, lot="L-NONE"), at)
    picked = []
    for code in (lot_order.ean, lot_order.ean, lot_order.ean):
        with database.write() as s:
            picked.append(pick_bench.scan(s, admin, wave, line.id, code, at).result)
    # two of the soon lot, then it is empty and the next good one is proposed
    assert [r.lot for r in picked] == ["L-SOON", "L-SOON", "L-LATE"]
    assert picked[-1].finished_list
    with database.read() as s:
        soon = _levels(s, lot_order.soon)
        assert "LOT-A-01" not in soon and list(soon.values()) == [2]  # at packing now
        assert _levels(s, lot_order.late)["LOT-A-01"] == 3
        assert _levels(s, lot_order.stale) == {"LOT-A-01": 3}  # left alone
        assert check(s) == []


def test_a_gs1_scan_takes_the_lot_it_names_and_shipping_takes_it_out(database, admin, lot_order):
    late = gs1(lot_order.ean, lot="L-LATE")
    ship(database, admin, lot_order, [late, late, lot_order.ean])  # the EAN: L-SOON
    with database.read() as s:
        shipped = s.execute(
            select(StockMove.lot_id, StockMove.quantity)
            .join(Location, Location.id == StockMove.to_location_id)
            .where(
                StockMove.product_id == lot_order.product_id,
                Location.kind == "customer",
                StockMove.state == "done",
            )
        ).all()
        assert sorted(shipped) == sorted([(lot_order.late, 2), (lot_order.soon, 1)])
        assert _levels(s, lot_order.late) == {"LOT-A-01": 2}
        assert _levels(s, lot_order.soon) == {"LOT-A-01": 1}
        assert check(s) == []


def test_a_serial_product_records_the_scanned_serial(database, admin):
    pid, ean = _tracked(database, admin, "serial")
    customer = factories.customer(database, admin)
    with database.write() as s:
        bin_id = factories.bin_beside_main(s, "SER-A-01", 1)
        for serial in ("SN-1", "SN-2"):
            lots.receive_lot(s, admin, s.get(Product, pid), bin_id, 1, serial, None, MoveRef())
        wave, _order_id = _order(s, admin, pid, 1, bin_id, customer)
    with database.read() as s:
        line = pick_bench.view(s, wave).current
    with database.write() as s, pytest.raises(ValidationError, match="serial number: scan"):
        picking.pick_item(s, admin, line.id, ean, "SER-A-01")
    with database.write() as s, pytest.raises(ValidationError, match="no serial number SN-9"):
        picking.pick_item(s, admin, line.id, gs1(ean, serial="SN-9"), "SER-A-01")
    with database.write() as s:
        result = picking.pick_item(s, admin, line.id, gs1(ean, serial="SN-2"), "SER-A-01")
    assert result.lot == "SN-2" and result.finished_list
    with database.read() as s:
        assert check(s) == []


def test_a_short_pick_writes_off_the_lots_the_picker_was_sent_to(database, admin, lot_order):
    wave = lot_order.wave_id
    with database.read() as s:
        line = pick_bench.view(s, wave).current
    with database.write() as s:
        at = pick_bench.scan(s, admin, wave, line.id, "LOT-A-01", "").at_bin
        assert pick_bench.scan(s, admin, wave, line.id, lot_order.ean, at).result.lot == "L-SOON"
    with database.write() as s:
        pick_bench.short(s, admin, wave, line.id, "backorder")  # 2 missing
    with database.read() as s:
        assert "LOT-A-01" not in _levels(s, lot_order.soon)  # 1 picked, 1 written off
        assert _levels(s, lot_order.late)["LOT-A-01"] == 3
        assert _levels(s, lot_order.stale) == {"LOT-A-01": 3}
        assert check(s) == []
