"""Scan-to-pick, one call per scan: a bin label or an item, decided by the service, the
list handed back as it stands, and the bin the picker stands at kept only while the next
line is in it."""

from __future__ import annotations

import pytest

from app.core.errors import ValidationError
from app.services.fulfilment import pick_bench


def test_a_list_opens_by_its_number_and_sends_the_picker_to_the_first_bin(database, bench_order):
    with database.read() as s:
        view = pick_bench.open_list(s, bench_order.wave_number.lower().replace("-", ""))
    assert view.wave_id == bench_order.wave_id and view.number == bench_order.wave_number
    assert view.current is not None and view.current.bin_code == "BEN-A-01"
    assert view.done == 0 and len(view.lines) == 2


def test_bin_then_items_walk_the_list(database, admin, bench_order):
    wave = bench_order.wave_id
    with database.read() as s:
        first = pick_bench.view(s, wave).current
    with database.write() as s, pytest.raises(ValidationError, match="label of BEN-A-01 first"):
        pick_bench.scan(s, admin, wave, first.id, bench_order.mug, "")
    with database.write() as s, pytest.raises(ValidationError, match="Wrong bin"):
        pick_bench.scan(s, admin, wave, first.id, "BEN-B-01", "")
    with database.write() as s:
        at = pick_bench.scan(s, admin, wave, first.id, "ben-a-01", "")
    assert at.result is None and at.at_bin == "BEN-A-01"
    with database.write() as s:
        one = pick_bench.scan(s, admin, wave, first.id, bench_order.mug, at.at_bin)
    assert one.result.line.picked == 1 and one.at_bin == "BEN-A-01"  # same line, same bin
    with database.write() as s:
        two = pick_bench.scan(s, admin, wave, first.id, bench_order.mug, one.at_bin)
    assert two.result.finished_line and not two.result.finished_list
    assert two.view.current.bin_code == "BEN-B-01" and two.at_bin == ""  # walk on, scan it
    assert two.view.done == 1


def test_still_at_keeps_the_bin_only_for_a_line_in_it(database, bench_order):
    with database.read() as s:
        a, b = pick_bench.view(s, bench_order.wave_id).lines
    assert pick_bench.still_at("BEN-A-01", a, a) == "BEN-A-01"
    assert pick_bench.still_at("BEN-A-01", a, b) == ""
    assert pick_bench.still_at("BEN-A-01", a, None) == ""
    assert pick_bench.still_at("BEN-A-01", None, a) == ""


def test_a_short_bin_backorders_and_hands_back_the_list(database, admin, bench_order):
    wave = bench_order.wave_id
    with database.read() as s:
        first = pick_bench.view(s, wave).current
    with database.write() as s:
        view = pick_bench.short(s, admin, wave, first.id, "backorder")
    assert view.current.bin_code == "BEN-B-01" and view.done == 1
