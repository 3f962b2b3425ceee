"""Every report over a large store for a 30-day range and for a year, on SQLite (issue 19:
<= 1 s for 30 days, <= 3 s for a year on 1,000,000 orders).

The store: N orders spread evenly over the two years up to 2026-11-30 (five channels,
3 % cancelled, 2 lines each on 2,000 products in 10 categories, a till payment for each
counter sale, a refund for one order in 50, a shipment for the others with due dates),
1,000 customers, stock and reorder rules. Built once with plain executemany and cached in
bench/.cache. The floor of each figure is the very SQL the report sent, replayed through
plain sqlite3 in the same run. Run alone with `python -m bench.reports [--orders N]`.

Since the closed-day summaries (services/reports/fold.py): `--unfolded` first measures
every report with no day folded (today's live queries over the whole range), then the
fold of the whole store is timed (`kestrel report fold --rebuild`), then every report
again, reading the folded days from the summaries and today live. `--no-floor` skips the
raw replays (each costs as much as the figure it floors); `--no-fold` measures on the
folds the store already has.

`--postgres URL` builds the same store (the same generator, the same seed) in a database
of its own on that server, kestrel_bench_reports_N, kept for the next run (`--drop` drops
it after): `db.migrate` on the empty database, then COPY with the secondary indexes built
after the load (bench/pg_store.py). The build is timed; the floors are the same SQL
replayed through plain psycopg.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from app import db
from app.core import auth
from app.services.reports.base import Filters, catalogue, run_report
from bench.store import finish, fresh, reuse
from bench.store import put_orders as _put
from bench.store import stamp as _stamp

HERE = Path(__file__).resolve().parent
END = dt.date(2026, 11, 30)
PRODUCTS, CUSTOMERS, CATEGORIES = 2_000, 1_000, 10
CHANNELS = ("counter", "phone", "email", "web", "marketplace")
CHUNK = 100_000
Timer = Callable[..., float]
Rows = Sequence[tuple[Any, ...]]


def build(path: Path, orders: int) -> None:
    if reuse(path):
        return
    fresh(path)
    print(f"building a reports store of {orders:,} orders ...", flush=True)
    raw = sqlite3.connect(path)

    def insert(table: str, columns: str, rows: Rows) -> None:
        marks = ", ".join("?" * len(rows[0]))
        raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)

    for table, columns, rows in _catalogue(*_places(raw.execute)):
        insert(table, columns, rows)
    raw.commit()
    for chunk in _orders(_places(raw.execute), orders, random.Random(19)):
        _put(raw, *chunk)
    finish(path, raw)


def build_pg(server: str, name: str, orders: int) -> list[tuple[Any, ...]]:
    """The same store in the PostgreSQL database `name` (kept for the next run): migrated,
    loaded by COPY without the secondary indexes, which are built after the load."""
    from bench import pg_store

    if pg_store.reuse(server, name):
        return []
    wall, cpu = time.perf_counter(), time.process_time()
    pg_store.fresh(server, name)
    print(f"building a PostgreSQL reports store of {orders:,} orders ...", flush=True)
    conn = pg_store.loading(server, name)
    places = _places(conn.execute)
    for table, columns, rows in _catalogue(*places):
        pg_store.copy(conn, table, columns, rows)
    conn.commit()
    tables = ("sales_orders", "order_lines", "payments", "shipments", "order_events")
    with pg_store.without_indexes(conn, tables):
        for chunk in _orders(places, orders, random.Random(19)):
            pg_store.put_orders(conn, *chunk)
    pg_store.finish(conn, name)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"built in {wall:.1f} s ({cpu:.1f} s CPU in Python)", flush=True)
    return [
        (f"PostgreSQL store build, {orders:,} orders", wall * 1000, "ms", "CPU", cpu * 1000, "")
    ]


def _places(execute: Callable[..., Any]) -> tuple[int, int, int]:
    """The base data's main warehouse, one of its stock bins and the walk-in customer."""
    (main,) = execute("SELECT id FROM warehouses WHERE code = 'MAIN'").fetchone()
    (stock_bin,) = execute(
        f"SELECT id FROM locations WHERE warehouse_id = {main} AND kind = 'internal' "
        "ORDER BY id LIMIT 1"
    ).fetchone()
    (walk_in,) = execute("SELECT id FROM parties WHERE is_walk_in ORDER BY id").fetchone()
    return main, stock_bin, walk_in


def _catalogue(main: int, stock_bin: int, _walk_in: int) -> list[tuple[str, str, Rows]]:
    """(table, columns, rows) of the categories, products, customers, stock and till."""
    now = _stamp(dt.datetime(2024, 1, 1))
    products = [
        (1000 + p, f"B-{p:05d}", f"Bench item {p}", "", 500 + p % 50 * 100, 0 if p % 20 == 0
         else 250 + p % 50 * 40, (2300, 1350, 0)[p % 3], 0, 1, 100 + p % CATEGORIES, 1, now, now)
        for p in range(PRODUCTS)
    ]  # fmt: skip
    return [
        ("categories", "id, name", [(100 + c, f"Category {c}") for c in range(CATEGORIES)]),
        (
            "products",
            "id, sku, name, description, price, cost, tax_rate_bp, weight_g, track_stock, "
            "category_id, active, created_at, updated_at",
            products,
        ),
        (
            "parties",
            "id, name, email, phone, is_customer, is_supplier, is_walk_in, note, created_at",
            [
                (10_000 + c, f"Customer {c}", f"c{c}@example.com", "", 1, 0, 0, "", now)
                for c in range(CUSTOMERS)
            ],
        ),
        (
            "stock_levels",
            "product_id, location_id, on_hand, reserved",
            [(1000 + p, stock_bin, p % 60, 0) for p in range(PRODUCTS)],
        ),
        (
            "reorder_rules",
            "product_id, warehouse_id, min_qty, max_qty, multiple, lead_time_days, active",
            [(1000 + p, main, 10, 40, 1, 3, 1) for p in range(0, PRODUCTS, 4)],
        ),
        (
            "cash_sessions",
            "id, till, workstation, status, opening_float, opened_at, counted_detail",
            [(1, "Bench till", "bench", "closed", 0, now, "")],
        ),
    ]


def _orders(
    places: tuple[int, int, int], count: int, rng: random.Random
) -> Iterator[tuple[Rows, Rows, Rows, Rows, Rows]]:
    """Chunks of (orders, lines, payments, shipments, events) in bench/store.py's shapes."""
    main, _stock_bin, walk_in = places
    start = dt.datetime.combine(END - dt.timedelta(days=729), dt.time(0), tzinfo=dt.UTC)
    step = dt.timedelta(days=730) / count
    for first in range(0, count, CHUNK):
        orders, lines, payments, shipments, events = [], [], [], [], []
        for n in range(first, min(count, first + CHUNK)):
            oid, at = n + 1, start + step * n
            channel = CHANNELS[rng.randrange(5)]
            cancelled = rng.random() < 0.03
            done = "completed" if channel == "counter" else "shipped"
            status = "cancelled" if cancelled else done
            total = tax = 0
            for line_no in (1, 2):
                p = rng.randrange(PRODUCTS)
                qty, price, rate = 1 + p % 3, 500 + p % 50 * 100, (2300, 1350, 0)[p % 3]
                line_total = qty * price
                line_tax = line_total * rate // (10_000 + rate)
                total, tax = total + line_total, tax + line_tax
                net = line_total - line_tax
                lines.append((None, oid, line_no, 1000 + p, f"B-{p:05d}", f"Bench item {p}", qty,
                              price, rate, net, line_tax, line_total))  # fmt: skip
            customer = walk_in if channel == "counter" else 10_000 + rng.randrange(CUSTOMERS)
            due = _stamp(at + dt.timedelta(hours=48)) if channel != "counter" else None
            orders.append((oid, f"SO-{oid:07d}", channel, status, customer, "", main, due,
                           total - tax, tax, total, _stamp(at)))  # fmt: skip
            if cancelled:
                cancel = (oid, _stamp(at + dt.timedelta(hours=2)), "cancelled", "new", "cancelled")
                events.append((*cancel, "Cancelled: bench"))
            elif channel == "counter":
                payments.append((oid, 1, "cash" if n % 2 else "card", "payment", total, _stamp(at)))
            else:
                shipped = at + dt.timedelta(hours=rng.randrange(2, 96))
                shipments.append((oid, _stamp(shipped)))
            if not cancelled and n % 50 == 0:
                back = at + dt.timedelta(days=rng.randrange(1, 10))
                payments.append((oid, None, "card", "refund", total // 2, _stamp(back)))
        yield orders, lines, payments, shipments, events
        print(f"  orders: {min(count, first + CHUNK):,} / {count:,}", flush=True)


def _url(store: Path | str) -> str:
    """A store's URL: a path is a SQLite file (as bench/run.py passes it)."""
    return f"sqlite:///{store}" if isinstance(store, Path) else store


def fold_store(store: Path | str) -> list[tuple[Any, ...]]:
    """The fold of every closed day of the store, from scratch (wall and CPU seconds)."""
    from app.services.reports import fold

    database = db.Database.open(_url(store))
    wall, cpu = time.perf_counter(), time.process_time()
    done = fold.fold(database, auth.SYSTEM, rebuild=True)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    database.dispose()
    print(f"folded {done.folded} days in {wall:.1f} s ({cpu:.1f} s CPU)", flush=True)
    return [
        (f"fold {done.folded} days from scratch", wall * 1000, "ms", "CPU", cpu * 1000, ""),
    ]


def unfold(url: str) -> None:
    database = db.Database.open(url)
    with database.write() as s:
        s.execute(text("DELETE FROM report_folds"))
    database.dispose()


def run(
    store: Path | str,
    runs: int,
    median_ms: Timer,
    replayed: Any,
    label: str = "",
    floor: bool = True,
) -> list[tuple[Any, ...]]:
    url = _url(store)
    database = db.Database.open(url)
    raw, floor_name = _raw(url)
    results: list[tuple[Any, ...]] = []
    ranges = {
        "30 days": (Filters(END - dt.timedelta(days=29), END), "<= 1000 ms"),
        "a year": (Filters(END - dt.timedelta(days=364), END), "<= 3000 ms"),
    }
    for name in catalogue():
        for span, (filters, target) in ranges.items():

            def report(name: str = name, filters: Filters = filters) -> object:
                with database.read() as s:
                    return run_report(s, auth.SYSTEM, name, filters)

            cpu = time.process_time()
            value = median_ms(report, runs)
            cpu = (time.process_time() - cpu) * 1000 / (runs + 1)  # this process's, per call
            floor_ms = median_ms(replayed(database, raw, report), runs) if floor else None
            results.append(
                (
                    f"report {name}, {span}{label}",
                    value,
                    "ms",
                    floor_name if floor else "",
                    floor_ms,
                    target,
                )
            )
            shown = f"{value:,.0f} ms ({cpu:,.0f} ms CPU here)"
            shown += f", floor {floor_ms:,.0f} ms" if floor_ms is not None else ""
            print(f"  {results[-1][0]}: {shown}", flush=True)
    raw.close()
    database.dispose()
    return results


def _raw(url: str) -> tuple[Any, str]:
    """A plain driver connection to the store (sqlite3 or psycopg) and the floor's name."""
    path = db.sqlite_file(url)
    if path is not None:
        return sqlite3.connect(path), "same SQL via raw sqlite3"
    import psycopg

    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(dsn), "same SQL via raw psycopg"


def main() -> int:
    from bench import pg_store
    from bench.run import CACHE, Result, median_ms, replayed, report

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--unfolded", action="store_true", help="measure unfolded first")
    parser.add_argument("--no-floor", dest="floor", action="store_false")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to build it on")
    parser.add_argument("--no-fold", dest="fold", action="store_false", help="keep its folds")
    parser.add_argument("--drop", action="store_true", help="drop the PostgreSQL store after")
    args = parser.parse_args()
    rows: list[tuple[Any, ...]] = []
    if args.postgres:
        name = f"kestrel_bench_reports_{args.orders}"
        rows += build_pg(args.postgres, name, args.orders)
        url = pg_store.urls(args.postgres, name)[2]
        replay = pg_store.replayed
    else:
        CACHE.mkdir(exist_ok=True)
        path = CACHE / f"reports-{args.orders}.sqlite"
        build(path, args.orders)
        url, replay = f"sqlite:///{path}", replayed
    if args.unfolded:
        unfold(url)
        rows += run(url, args.runs, median_ms, replay, " (unfolded)", floor=False)
    if args.fold:
        rows += fold_store(url)
    rows += run(url, args.runs, median_ms, replay, " (folded)", args.floor)
    if args.postgres and args.drop:
        pg_store.drop(args.postgres, name)
    return report(args.orders, [Result(*row) for row in rows], write=False)


if __name__ == "__main__":
    raise SystemExit(main())
