"""Goods-in for returns, one call per scan or key, each handing back the return as it
now stands."""

from __future__ import annotations

import pytest

from app.core import settings
from app.core.errors import NotFound, ValidationError
from app.services.fulfilment import pack_bench, picking, return_bench, returns, shipping


def _shipped(database, admin, bench_order) -> None:
    with database.read() as s:
        lines = picking.lines(s, bench_order.wave_id)
    codes = {"BEN-A-01": bench_order.mug, "BEN-B-01": bench_order.apron}
    order = bench_order.order_id
    with database.write() as s:
        for line in lines:
            for _ in range(line.quantity):
                picking.pick_item(s, admin, line.id, codes[line.bin_code], line.bin_code)
        for code in (bench_order.mug, bench_order.mug, bench_order.apron):
            pack_bench.scan(s, admin, order, code)
        pack_bench.weigh(s, admin, order, "1")
        pack_bench.finish(s, admin, "bench-1", order)
        shipping.ship(s, admin, order, bench_order.carrier_id, workstation="bench-1")
        settings.set_company(s, admin, "Bench Shop", "1 Quay Street\nGalway", "EUR", "en_IE")


def test_a_return_received_decided_and_refunded(database, admin, bench_order):
    _shipped(database, admin, bench_order)
    with database.write() as s:
        (mug_line, _apron) = returns.returnable_lines(s, bench_order.order_id)
        returns.create(s, admin, bench_order.order_id, {mug_line.order_line_id: 2}, "Chipped")
    with database.read() as s, pytest.raises(NotFound):
        return_bench.open_return(s, "RMA-000099")
    with database.read() as s:
        opened = return_bench.open_return(s, "rma-000001")
    rma = opened.rma
    assert rma.number == "RMA-000001" and opened.bins and "BEN-A-01" in dict(opened.bins).values()
    with database.write() as s, pytest.raises(ValidationError, match="not on return"):
        return_bench.receive(s, admin, rma.id, bench_order.apron)
    for _ in range(2):
        with database.write() as s:
            got = return_bench.receive(s, admin, rma.id, bench_order.mug)
    assert got.line.received == 2 and got.rma.lines[0].received == 2
    line_id, bin_id = got.line.id, opened.bins[0][0]
    with database.write() as s:
        return_bench.inspect(s, admin, rma.id, line_id, (1, 0), bin_id)
    with database.write() as s:
        decided = return_bench.inspect(s, admin, rma.id, line_id, (0, 1), None)
    assert decided.refund_due and (decided.lines[0].restocked, decided.lines[0].scrapped) == (1, 1)
    with database.read() as s:
        due = returns.refund_amount(s, rma.id)
    with database.write() as s:
        refunded = return_bench.refund(s, admin, rma.id, "card")
    assert refunded.amount == due > 0 and refunded.rma.status == "refunded"
