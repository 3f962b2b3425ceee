"""Lists and searches (issue 20, target 4): the first page of the orders, products and
customers lists, a one-word product search, the orders list's count, and opening an
order, each through the service exactly as its screen calls it (a fresh read session per
call, as views/ops.py `query` does), next to the very SQL it sent replayed through plain
sqlite3 (the floor). Target: within 3x of the floor or under 5 ms, never over 100 ms.

Run by `make bench` on the bench store, or alone: `python -m bench.lists --scale N`
(builds the store of bench/run.py if it is not cached) or `--database FILE` (a copy of
a store made elsewhere, used as it is).
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from typing import Any

from app import db
from app.core import auth
from app.services.sales import order_detail
from app.services.sales.customer_search import find_customers
from app.services.sales.order_list import OrderQuery, count_orders, list_orders
from app.services.stock import catalogue

TARGET = "<= 3x floor or <= 5 ms; <= 100 ms"


def calls(database: db.Database, raw: sqlite3.Connection) -> dict[str, Callable[[], object]]:
    """What each screen asks for, by name."""
    top = raw.execute("SELECT MAX(id) FROM sales_orders").fetchone()[0] or 1
    rng = random.Random(20)
    order_ids = iter([rng.randrange(1, top + 1) for _ in range(500)] * 100)
    actor = auth.SYSTEM

    def read(work: Callable[[db.ServiceSession], object]) -> Callable[[], object]:
        def call() -> object:
            with database.read() as session:
                return work(session)

        return call

    return {
        "orders list, first 200": read(lambda s: list_orders(s, OrderQuery(), 0, 200)),
        "orders list, count": read(lambda s: count_orders(s, OrderQuery())),
        "products list, first 100": read(lambda s: catalogue.products_page(s, "", 0, 100)),
        "customers list, first 50": read(lambda s: find_customers(s, actor, "", 0, 50)),
        "product search 'lumen', first 100": read(
            lambda s: catalogue.products_page(s, "lumen", 0, 100)
        ),
        "product search 'lumen mug', first 100": read(
            lambda s: catalogue.products_page(s, "lumen mug", 0, 100)
        ),
        "open an order (header, lines, timeline)": read(
            lambda s: order_detail.get_order(s, next(order_ids), actor)
        ),
    }


def run(
    database: db.Database,
    raw: sqlite3.Connection,
    runs: int,
    median_ms: Callable[..., float],
    replayed: Callable[..., Callable[[], object]],
) -> list[tuple[Any, ...]]:
    """(name, value, unit, floor name, floor value, target) rows for bench/run.py."""
    rows: list[tuple[Any, ...]] = []
    for name, call in calls(database, raw).items():
        many = runs * 5
        value = median_ms(call, many, warm=3)
        floor = median_ms(replayed(database, raw, call), many, warm=3)
        rows.append((name, value, "ms", "same SQL via raw sqlite3", floor, TARGET))
    return rows


def cpu_median_ms(fn: Callable[[], object], runs: int, warm: int = 1) -> float:
    """bench/run.py's median_ms in CPU time of this process."""
    import statistics
    import time

    for _ in range(warm):
        fn()
    times = []
    for _ in range(runs):
        started = time.process_time()
        fn()
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    import argparse
    from pathlib import Path

    from bench import run as bench_run

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--cpu", action="store_true", help="CPU time, not wall: for a machine other work loads"
    )
    parser.add_argument(
        "--database", default="", help="a store file to use as it is (a copy of the 1 M store)"
    )
    args = parser.parse_args()
    if args.database:
        path = Path(args.database)
    else:
        bench_run.CACHE.mkdir(exist_ok=True)
        path = bench_run.CACHE / f"demo-{args.scale}-v{bench_run.CACHE_VERSION}.sqlite"
        bench_run.build_store(args.scale, path, [])
    database = db.Database.open(f"sqlite:///{path}")
    raw = sqlite3.connect(path)
    median = cpu_median_ms if args.cpu else bench_run.median_ms
    for name, value, unit, _floor_name, floor, _target in run(
        database, raw, args.runs, median, bench_run.replayed
    ):
        ratio = value / floor if floor else 0
        verdict = "ok" if value <= 5 or ratio <= 3 else "MISSED"
        verdict = "MISSED (> 100 ms)" if value > 100 else verdict
        print(
            f"{name:<42}{value:>9.2f} {unit}   floor {floor:7.2f} {unit}  {ratio:5.1f}x  {verdict}"
        )
    raw.close()
    database.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
