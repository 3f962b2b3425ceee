"""Customer search on the bench store ("where is my order"): by e-mail, by phone, by order
number and by a parcel's tracking number, each the median of many look-ups of different
customers, next to the very SQL it sent replayed through plain sqlite3.

Run by `make bench` (bench/run.py), or alone on a store already built:
`python -m bench.customers --scale 20000`.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from typing import Any

from app import db
from app.core import auth
from app.services.sales.customer_search import find_customers

TARGET = "<= 50 ms"


def samples(raw: sqlite3.Connection, count: int = 100) -> dict[str, list[str]]:
    """What clerks type: e-mails and phones of random customers, numbers of random orders,
    tracking numbers of random parcels."""
    rng = random.Random(15)
    parties = raw.execute(
        "SELECT email, phone FROM parties WHERE is_customer AND email <> '' LIMIT 5000"
    ).fetchall()
    top = raw.execute("SELECT MAX(id) FROM sales_orders").fetchone()[0] or 1
    numbers = [
        row[0]
        for row in (
            raw.execute(
                "SELECT number FROM sales_orders WHERE id = ?", (rng.randrange(1, top + 1),)
            ).fetchone()
            for _ in range(count)
        )
        if row
    ]
    top_package = raw.execute("SELECT MAX(id) FROM packages").fetchone()[0] or 1
    tracking = [
        row[0]
        for row in (
            raw.execute(
                "SELECT tracking_number FROM packages WHERE id >= ? AND tracking_number <> '' "
                "ORDER BY id LIMIT 1",
                (rng.randrange(1, top_package + 1),),
            ).fetchone()
            for _ in range(count)
        )
        if row
    ]
    picked = [rng.choice(parties) for _ in range(count)] if parties else []
    return {
        "e-mail": [p[0] for p in picked],
        "phone": [p[1] for p in picked],
        "order number": numbers,
        "tracking number": tracking,
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
    for kind, texts in samples(raw).items():
        if not texts:
            continue
        position = iter(range(10**9))

        def search(texts: list[str] = texts, position=position) -> object:  # type: ignore[no-untyped-def]
            text = texts[next(position) % len(texts)]
            with database.read() as s:
                hits = find_customers(s, auth.SYSTEM, text)
            assert hits, f"nobody found for {text!r}"
            return hits

        value = median_ms(search, runs * 10, warm=3)
        floor = median_ms(replayed(database, raw, search), runs * 10, warm=3)
        rows.append(
            (f"customer search by {kind}", value, "ms", "same SQL via raw sqlite3", floor, TARGET)
        )
    return rows


def main() -> int:
    import argparse

    from bench import run as bench_run

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    bench_run.CACHE.mkdir(exist_ok=True)
    path = bench_run.CACHE / f"demo-{args.scale}-v{bench_run.CACHE_VERSION}.sqlite"
    bench_run.build_store(args.scale, path, [])
    database = db.Database.open(f"sqlite:///{path}")
    raw = sqlite3.connect(path)
    for name, value, unit, floor_name, floor, target in run(
        database, raw, args.runs, bench_run.median_ms, bench_run.replayed
    ):
        print(f"{name:<36}{value:>9.2f} {unit}   floor {floor:.2f} {unit} ({floor_name})  {target}")
    raw.close()
    database.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
