"""Cycle counts: concurrent scanning, the movement-during-count rule, blind counts,
approval into adjustments, one open count per bin."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from app import db
from app.core import auth
from app.core.errors import ConflictError, PermissionDenied
from app.models import Barcode, StockMove
from app.services.stock import counts, inventory
from app.services.stock.integrity import check
from tests import factories
from tests.conftest import role_actor


def _setup(database, admin, stock=10):
    pid = factories.product(database, admin, stock=stock)
    with database.write() as s:
        bin_id = factories.main_bin(s)
        code = s.get_one(inventory.Location, bin_id).code
        ean = s.scalar(select(Barcode.code).where(Barcode.product_id == pid))
    return pid, bin_id, code, ean


def _line(database, actor, count_id):
    with database.read() as s:
        _count, lines = counts.show(s, actor, count_id)
    assert len(lines) == 1
    return lines[0]


def test_a_sale_before_the_scan_and_after_it_make_no_false_variance(database, admin):
    pid, bin_id, code, ean = _setup(database, admin)
    with database.write() as s:
        cid = counts.start(s, admin, bin_code=code)
    with database.write() as s:  # sold between start and scan: 8 are there
        inventory.adjust(s, admin, pid, bin_id, -2, "sale")
    with database.write() as s:
        counts.scan(s, admin, cid, code, ean, 8)
    with database.write() as s:  # sold after the scan: still no variance
        inventory.adjust(s, admin, pid, bin_id, -2, "sale")
    line = _line(database, admin, cid)
    assert (line.expected, line.counted, line.variance) == (8, 8, 0)
    with database.write() as s:
        assert counts.approve(s, admin, cid) == 0
    with database.read() as s:
        assert check(s) == []


def test_approval_applies_the_variance_as_a_count_adjustment(database, admin):
    pid, bin_id, code, ean = _setup(database, admin)
    with database.write() as s:
        cid = counts.start(s, admin, bin_code=code)
        counts.scan(s, admin, cid, code, ean, 5)
        counts.scan(s, admin, cid, code, ean, 2)
        counts.scan(s, admin, cid, code, ean, 1)
        assert counts.undo_last_scan(s, admin, cid).counted == 7
    assert _line(database, admin, cid).variance == -3
    with database.write() as s:
        assert counts.approve(s, admin, cid) == 1
    with database.read() as s:
        assert check(s) == []
        reasons = list(s.scalars(select(StockMove.reason).where(StockMove.reason == "count")))
        assert reasons == ["count"]
        on_hand = s.get_one(inventory.StockLevel, (pid, bin_id)).on_hand
    assert on_hand == 7


def test_a_bin_cannot_be_in_two_open_counts(database, admin):
    _pid, _bin, code, _ean = _setup(database, admin)
    with database.write() as s:
        cid = counts.start(s, admin, bin_code=code)
    with database.write() as s, pytest.raises(ConflictError, match="already being counted"):
        counts.start(s, admin, bin_code=code)
    with database.write() as s:
        counts.cancel(s, admin, cid)
    with database.write() as s:
        counts.start(s, admin, bin_code=code)


def test_a_blind_count_hides_expected_from_the_counter(database, admin):
    _pid, _bin, code, ean = _setup(database, admin)
    keeper = role_actor(auth.Role.PICKER)
    with database.write() as s:
        cid = counts.start(s, keeper, bin_code=code, blind=True)
        counts.scan(s, keeper, cid, code, ean, 4)
    hidden = _line(database, keeper, cid)
    assert (hidden.expected, hidden.variance, hidden.counted) == (None, None, 4)
    assert _line(database, admin, cid).expected == 10
    with database.write() as s, pytest.raises(PermissionDenied):
        counts.approve(s, keeper, cid)


def test_two_workstations_scanning_one_bin_get_the_sum(database, admin):
    _pid, _bin, code, ean = _setup(database, admin)
    with database.write() as s:
        cid = counts.start(s, admin, bin_code=code)
    url = database.engine.url.render_as_string(hide_password=False)
    stations = [db.Database.open(url) for _ in range(2)]
    errors: list[BaseException] = []
    timings: list[float] = []

    def work(station: db.Database) -> None:
        try:
            for _ in range(15):
                t0 = time.perf_counter()
                with station.write() as s:
                    counts.scan(s, admin, cid, code, ean)
                timings.append(time.perf_counter() - t0)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(st,)) for st in stations]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for st in stations:
        st.dispose()
    assert errors == []
    assert _line(database, admin, cid).counted == 30
    timings.sort()
    print(f"\nper-scan {database.engine.dialect.name}: median {timings[15] * 1000:.1f} ms")
