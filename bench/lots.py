"""Lots on a fresh SQLite store of N lots (2 per product, each in its own bin level, with
the tagged receipt moves that made them): the expiring-soon list's first page, a lot's
trace, `kestrel check` with its lot checks, and a counter sale of a lot-tracked product
(first expiry first out) next to one of a product that tracks nothing.

Issue 16 item 3 names no target; the counter's rule is that a product without lots pays
nothing for them (tests/services/sales/test_counter_lots.py counts the queries). Run
alone with `python -m bench.lots [--lots N]`.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from app import db
from app.core import auth
from app.core.bootstrap import ensure_base_data, virtual_location_id
from app.models import Location, LocationKind, Lot, LotLevel, Product, StockLevel, StockMove
from app.services.sales import counter, till
from app.services.sales.cart import Cart
from app.services.sales.counter import Tender
from app.services.stock import catalogue, inventory, lot_reports
from app.services.stock.integrity import check

TILL = "Bench till"


def _build(session, lots: int) -> list[int]:  # type: ignore[no-untyped-def]
    """`lots // 2` lot-tracked products with two lots each in the first bin; their ids."""
    ensure_base_data(session)
    bin_id = session.scalar(select(Location.id).where(Location.kind == "internal").limit(1))
    supplier = virtual_location_id(session, LocationKind.SUPPLIER)
    count = lots // 2
    session.execute(
        insert(Product),
        [
            {"sku": f"LOT-{i:07d}", "name": f"Lot product {i}", "price": 500, "tracking": "lot"}
            for i in range(count)
        ],
    )
    ids = list(session.scalars(select(Product.id).order_by(Product.id)))
    today = datetime.now(UTC).date()
    session.execute(
        insert(Lot),
        [
            {
                "product_id": pid,
                "code": f"L{k}",
                "expires_on": today + timedelta(days=(n % 400) + k),
            }
            for n, pid in enumerate(ids)
            for k in (1, 2)
        ],
    )
    lot_rows = session.execute(select(Lot.id, Lot.product_id)).all()
    now = datetime.now(UTC)
    session.execute(
        insert(StockMove),
        [
            {
                "product_id": pid,
                "quantity": 5,
                "from_location_id": supplier,
                "to_location_id": bin_id,
                "state": "done",
                "origin_type": "receipt",
                "lot_id": lot_id,
                "done_at": now,
            }
            for lot_id, pid in lot_rows
        ],
    )
    session.execute(
        insert(LotLevel), [{"lot_id": i, "location_id": bin_id, "on_hand": 5} for i, _ in lot_rows]
    )
    session.execute(
        insert(StockLevel),
        [{"product_id": pid, "location_id": bin_id, "on_hand": 10} for pid in ids],
    )
    return ids


def _sale_ms(store: db.Database, product_id: int, runs: int) -> float:
    with store.read() as session:
        hit = catalogue.find_by_code(session, session.get_one(Product, product_id).sku)
    assert hit is not None
    times = []
    for _ in range(runs):
        cart = Cart()
        cart.add(hit)
        started = time.perf_counter()
        with store.write() as session:
            counter.complete_sale(session, auth.SYSTEM, cart, [Tender("card", 500)], TILL, "b")
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run(lots: int = 100_000, runs: int = 9) -> list[tuple[str, float, str, str, float | None, str]]:
    """(name, value, unit, floor name, floor value, target) rows, as bench/transfer.py gives."""
    with tempfile.TemporaryDirectory() as folder:
        store = db.Database.open(f"sqlite:///{Path(folder) / 'lots.sqlite'}")
        db.migrate(store.engine)
        with store.write() as session:
            ids = _build(session, lots)
            till.open_session(session, auth.SYSTEM, TILL, 10_000, "b")
            plain = catalogue.create_product(
                session, auth.SYSTEM, catalogue.ProductInput("PLAIN-1", "No lots", 500)
            )
        with store.write() as session:
            bin_id = session.scalar(select(Location.id).where(Location.kind == "internal"))
            inventory.receive(session, auth.SYSTEM, plain, bin_id, 10 * runs)
        timings = {}
        for name, fn in (
            ("expiring", lambda s: lot_reports.expiring(s, auth.SYSTEM, 30)),
            ("trace", lambda s: lot_reports.trace(s, auth.SYSTEM, "LOT-0000042", "L1")),
        ):
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                with store.read() as session:
                    fn(session)
                samples.append((time.perf_counter() - started) * 1000)
            timings[name] = statistics.median(samples)
        started = time.perf_counter()
        with store.read() as session:
            problems = check(session)
        check_s = time.perf_counter() - started
        lot_sale, plain_sale = _sale_ms(store, ids[7], runs), _sale_ms(store, plain, runs)
        with store.read() as session:
            assert check(session) == [] and problems == []
        store.dispose()
    label = f"{lots:,} lots"
    return [
        (
            f"expiring-soon list (30 days), first page, {label}",
            timings["expiring"],
            "ms",
            "",
            None,
            "",
        ),
        (f"trace one lot, {label}", timings["trace"], "ms", "", None, ""),
        (f"kestrel check with lot checks, {label}", check_s, "s", "", None, ""),
        ("counter sale of a lot-tracked product (FEFO)", lot_sale, "ms", "no lots", plain_sale, ""),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lots", type=int, default=100_000)
    args = parser.parse_args()
    for name, value, unit, floor_name, floor, target in run(args.lots):
        beside = f"({floor:.2f} {unit} {floor_name})" if floor is not None else ""
        print(f"{name:<62}{value:>8.2f} {unit} {beside:<22} {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
