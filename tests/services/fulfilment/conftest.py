"""A small warehouse bench for the fulfilment services' tests (both engines): two
products in two bins, a confirmed order for 2 + 1 of them on a wave, and a carrier."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.models import Barcode, Location, SalesOrder
from app.services.fulfilment import shipping, waves
from app.services.fulfilment.shipping import CarrierInput
from app.services.sales import order_actions, order_entry
from app.services.sales.order_entry import LineInput, OrderInput
from app.services.stock import inventory
from tests import factories


@dataclass
class BenchOrder:
    wave_id: int
    wave_number: str
    order_id: int
    number: str
    mug: str  # barcode: 2 ordered, in BEN-A-01
    apron: str  # barcode: 1 ordered, in BEN-B-01
    carrier_id: int


@pytest.fixture
def bench_order(database, admin) -> BenchOrder:
    first = factories.product(database, admin, name="Blue enamel mug")
    second = factories.product(database, admin, name="Linen apron")
    customer = factories.customer(database, admin, "Ines Moreau")
    with database.write() as s:
        bin_a = factories.bin_beside_main(s, "BEN-A-01", 1)
        bin_b = factories.bin_beside_main(s, "BEN-B-01", 2)
        inventory.receive(s, admin, first, bin_a, 5)
        inventory.receive(s, admin, second, bin_b, 5)
        lines = (LineInput(first, 2), LineInput(second, 1))
        ref = order_entry.create_order(s, admin, OrderInput("phone", lines, customer_id=customer))
        order_actions.set_warehouse(s, admin, ref.id, s.get(Location, bin_a).warehouse_id)
        order_actions.confirm(s, admin, ref.id)
        wave = waves.create_wave(s, admin, [ref.id])
        carrier = shipping.add_carrier(
            s, admin, CarrierInput("BEN", "Bench Post", tracking_template="BP{n:08d}")
        )
        mug, apron = (
            s.scalar(select(Barcode.code).where(Barcode.product_id == pid))
            for pid in (first, second)
        )
        number = s.get(SalesOrder, ref.id).number
    return BenchOrder(wave.id, wave.number, ref.id, number, mug, apron, carrier)
