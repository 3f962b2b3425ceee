"""The packing bench, one call per scan or key: what a scan means, which package a weight
is for, how a typed weight and the tracking field read, and the order's state after."""

from __future__ import annotations

import pytest

from app.core.errors import InvalidTransition, ValidationError
from app.services.fulfilment import pack_bench, packing, picking
from app.services.fulfilment.packing import PackageRow, PackState


def _pick_all(database, admin, bench_order) -> None:
    with database.read() as s:
        lines = picking.lines(s, bench_order.wave_id)
    codes = {"BEN-A-01": bench_order.mug, "BEN-B-01": bench_order.apron}
    for line in lines:
        for _ in range(line.quantity):
            with database.write() as s:
                picking.pick_item(s, admin, line.id, codes[line.bin_code], line.bin_code)


@pytest.mark.parametrize(
    ("text", "grams"), [("1,25", 1250), ("1.25", 1250), (" 0.4 kg ", 400), ("2KG", 2000)]
)
def test_a_typed_weight_reads_in_kg(text, grams):
    assert pack_bench.parse_kilos(text) == grams


@pytest.mark.parametrize(
    ("text", "words"),
    [("heavy", "not a weight"), ("0", "above zero"), ("nan", "above zero"), ("1001", "parcel")],
)
def test_a_weight_that_is_not_one_is_refused_in_words(text, words):
    with pytest.raises(ValidationError, match=words):
        pack_bench.parse_kilos(text)


def test_the_tracking_field_reads_numbers_at_commas():
    assert pack_bench.tracking_numbers("  ") is None  # the carrier makes them
    assert pack_bench.tracking_numbers("A1, B2 ,") == ["A1", "B2"]
    assert pack_bench.tracking_numbers(",") == []  # shipping asks for one per package


def _package(number: int, status: str, weight_g: int) -> PackageRow:
    return PackageRow(number, number, weight_g, 1, "", status)


def test_a_weight_is_for_the_open_package_else_the_last_closed_one_without_one():
    def state(*packages: PackageRow) -> PackState:
        return PackState(1, "SO-1", "picking", (), packages)

    assert pack_bench.weigh_target(state()) is None
    assert (
        pack_bench.weigh_target(state(_package(1, "closed", 0), _package(2, "open", 0))).number == 2
    )
    closed = state(_package(1, "closed", 0), _package(2, "closed", 0), _package(3, "closed", 9))
    assert pack_bench.weigh_target(closed).number == 2
    assert pack_bench.weigh_target(state(_package(1, "closed", 500))) is None


def test_scan_weigh_finish_ship(database, admin, bench_order):
    order = bench_order.order_id
    with database.read() as s, pytest.raises(InvalidTransition, match="still being picked"):
        pack_bench.scan(s, admin, None, bench_order.number)
    _pick_all(database, admin, bench_order)
    with database.write() as s, pytest.raises(ValidationError, match="Scan the order first"):
        pack_bench.scan(s, admin, None, bench_order.mug)
    with database.write() as s:
        opened = pack_bench.scan(s, admin, None, bench_order.number)
    assert opened.opened and opened.state.order_id == order and opened.state.to_pack == 3
    with database.write() as s, pytest.raises(ValidationError, match="no package to weigh"):
        pack_bench.weigh(s, admin, order, "1")
    for code in (bench_order.mug, bench_order.mug, bench_order.apron):
        with database.write() as s:
            put = pack_bench.scan(s, admin, order, code)
    assert put.line.sku and put.box == 1 and put.state.to_pack == 0
    with database.write() as s:
        weighed = pack_bench.weigh(s, admin, order, "1,5")
    assert (weighed.value.package, weighed.value.grams) == (1, 1500)
    assert weighed.state.packages[0].weight_g == 1500
    with database.write() as s:
        done = pack_bench.finish(s, admin, "bench-1", order)
    assert done.value == 1 and done.state.status == "packed"
    with database.write() as s:
        label = pack_bench.scan(s, admin, order, "BP12345678")
    assert label.tracking == "BP12345678" and label.line is None  # nothing written
    with database.write() as s:
        shipped = pack_bench.ship(s, admin, order, bench_order.carrier_id, "", "bench-1")
    assert shipped.value.tracking == ("BP00000001",) and shipped.state.status == "shipped"
    with database.read() as s:
        assert packing.state(s, order).status == "shipped"


def test_a_new_package_hands_back_its_number_and_the_state(database, admin, bench_order):
    _pick_all(database, admin, bench_order)
    order = bench_order.order_id
    with database.write() as s:
        pack_bench.scan(s, admin, order, bench_order.mug)
    with database.write() as s:
        started = pack_bench.new_package(s, admin, order)
    assert started.value == 2 and [p.number for p in started.state.packages] == [1, 2]
