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
raw replays (each costs as much as the figure it floors).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def build(path: Path, orders: int) -> None:
    if reuse(path):
        return
    fresh(path)
    print(f"building a reports store of {orders:,} orders ...", flush=True)
    raw = sqlite3.connect(path)
    _catalogue(raw)
    _orders(raw, orders, random.Random(19))
    finish(path, raw)


def _catalogue(raw: sqlite3.Connection) -> None:
    now = _stamp(dt.datetime(2024, 1, 1))
    raw.executemany(
        "INSERT INTO categories (id, name) VALUES (?, ?)",
        [(100 + c, f"Category {c}") for c in range(CATEGORIES)],
    )
    raw.executemany(
        "INSERT INTO products (id, sku, name, description, price, cost, tax_rate_bp, weight_g, "
        "track_stock, category_id, active, created_at, updated_at) "
        "VALUES (?, ?, ?, '', ?, ?, ?, 0, 1, ?, 1, ?, ?)",
        [
            (1000 + p, f"B-{p:05d}", f"Bench item {p}", 500 + p % 50 * 100, 0 if p % 20 == 0 else
             250 + p % 50 * 40, (2300, 1350, 0)[p % 3], 100 + p % CATEGORIES, now, now)
            for p in range(PRODUCTS)
        ],
    )  # fmt: skip
    raw.executemany(
        "INSERT INTO parties (id, name, email, phone, is_customer, is_supplier, is_walk_in, note, "
        "created_at) VALUES (?, ?, ?, '', 1, 0, 0, '', ?)",
        [(10_000 + c, f"Customer {c}", f"c{c}@example.com", now) for c in range(CUSTOMERS)],
    )
    (main,) = raw.execute("SELECT id FROM warehouses WHERE code = 'MAIN'").fetchone()
    (stock_bin,) = raw.execute(
        "SELECT id FROM locations WHERE warehouse_id = ? AND kind = 'internal' LIMIT 1", (main,)
    ).fetchone()
    raw.executemany(
        "INSERT INTO stock_levels (product_id, location_id, on_hand, reserved) VALUES (?, ?, ?, 0)",
        [(1000 + p, stock_bin, p % 60) for p in range(PRODUCTS)],
    )
    raw.executemany(
        "INSERT INTO reorder_rules (product_id, warehouse_id, min_qty, max_qty, multiple, "
        "lead_time_days, active) VALUES (?, ?, 10, 40, 1, 3, 1)",
        [(1000 + p, main) for p in range(0, PRODUCTS, 4)],
    )
    raw.execute(
        "INSERT INTO cash_sessions (id, till, workstation, status, opening_float, opened_at, "
        "counted_detail) VALUES (1, 'Bench till', 'bench', 'closed', 0, ?, '')",
        (now,),
    )
    raw.commit()


def _orders(raw: sqlite3.Connection, count: int, rng: random.Random) -> None:
    (main,) = raw.execute("SELECT id FROM warehouses WHERE code = 'MAIN'").fetchone()
    (walk_in,) = raw.execute("SELECT id FROM parties WHERE is_walk_in = 1").fetchone()
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
        _put(raw, orders, lines, payments, shipments, events)
        print(f"  orders: {min(count, first + CHUNK):,} / {count:,}", flush=True)


def fold_store(path: Path) -> list[tuple[Any, ...]]:
    """The fold of every closed day of the store, from scratch (wall and CPU seconds)."""
    import time

    from app.services.reports import fold

    database = db.Database.open(f"sqlite:///{path}")
    wall, cpu = time.perf_counter(), time.process_time()
    done = fold.fold(database, auth.SYSTEM, rebuild=True)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    database.dispose()
    print(f"folded {done.folded} days in {wall:.1f} s ({cpu:.1f} s CPU)", flush=True)
    return [
        (f"fold {done.folded} days from scratch", wall * 1000, "ms", "CPU", cpu * 1000, ""),
    ]


def unfold(path: Path) -> None:
    raw = sqlite3.connect(path)
    raw.execute("DELETE FROM report_folds")
    raw.commit()
    raw.close()


def run(
    path: Path, runs: int, median_ms: Timer, replayed: Any, label: str = "", floor: bool = True
) -> list[tuple[Any, ...]]:
    database = db.Database.open(f"sqlite:///{path}")
    raw = sqlite3.connect(path)
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

            value = median_ms(report, runs)
            floor_ms = median_ms(replayed(database, raw, report), runs) if floor else None
            results.append(
                (
                    f"report {name}, {span}{label}",
                    value,
                    "ms",
                    "same SQL via raw sqlite3" if floor else "",
                    floor_ms,
                    target,
                )
            )
            print(f"  {results[-1][0]}: {value:,.0f} ms", flush=True)
    raw.close()
    database.dispose()
    return results


def main() -> int:
    from bench.run import CACHE, Result, median_ms, replayed, report

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--unfolded", action="store_true", help="measure unfolded first")
    parser.add_argument("--no-floor", dest="floor", action="store_false")
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"reports-{args.orders}.sqlite"
    build(path, args.orders)
    rows = []
    if args.unfolded:
        unfold(path)
        rows += run(path, args.runs, median_ms, replayed, " (unfolded)", floor=False)
    rows += fold_store(path)
    rows += run(path, args.runs, median_ms, replayed, " (folded)", args.floor)
    return report(args.orders, [Result(*row) for row in rows], write=False)


if __name__ == "__main__":
    raise SystemExit(main())
