"""The dashboard on a history of a million orders (issue 19: <= 300 ms), next to the very
SQL it sent replayed through plain sqlite3 (the floor), and each of its statements alone.

Builds its own store under bench/.cache/dashboard-N.sqlite: a demo store of 20,000
products (with their stock) and 2,000 customers, then N orders written straight into
SQLite over two years (2 % still open, a tenth of those with a due date, part of it past),
10,000 reorder rules, 50,000 print jobs and 100,000 outbox messages, a few of each failing.
`python -m bench.dashboard [--orders N] [--runs N] [--postgres URL]`; `make bench` runs it
too. With `--postgres URL` the same store is built in a database of its own on that server
(kept by name between runs; bench/pg_store.py) and the floor is the same SQL via psycopg.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg

from app import cli, db
from app.core import auth
from app.services.reports import dashboard as board
from bench import pg_store
from bench.run import CACHE, median_ms, replayed

OPEN = ("new", "accepted", "confirmed", "picking", "packed", "on_hold")
DONE = ("delivered", "shipped", "completed", "cancelled")
CHANNELS = ("counter", "web", "phone", "email", "marketplace")
TARGET = "<= 300 ms"


def _stamp(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S.000000", time.gmtime(seconds))


ORDER_COLUMNS = (
    "id, number, channel, status, customer_id, customer_name, due_at, subtotal, total,"
    " created_at, updated_at, held_from, email, phone, ship_name, ship_line1, ship_line2,"
    " ship_city, ship_postcode, ship_region, ship_country, priority, payment_terms, currency,"
    " tax_total, note, external_ref, source_fingerprint, version"
)
ORDER_CONSTANTS = ("",) * 10 + (0, "", "EUR", 0, "", "", "", 1)


def _orders(
    execute: Callable[..., Any], count: int, rng: random.Random
) -> Iterator[list[tuple[Any, ...]]]:
    """Batches of sales_orders rows (ORDER_COLUMNS) after the store's last order."""
    customer, name = execute(
        "SELECT id, name FROM parties WHERE is_customer ORDER BY id LIMIT 1"
    ).fetchone()
    start = execute("SELECT COALESCE(MAX(id), 0) FROM sales_orders").fetchone()[0]
    now, span = time.time(), 730 * 86_400
    batch = []
    for n in range(1, count + 1):
        order_id = start + n
        created = now - span * (1 - n / count) - 60
        open_ = rng.random() < 0.02
        status = rng.choice(OPEN) if open_ else rng.choice(DONE)
        due = _stamp(created + rng.randrange(-2, 5) * 86_400) if open_ and n % 10 == 0 else None
        total = rng.randrange(500, 50_000)
        batch.append(
            (order_id, f"SO-{order_id:07d}", rng.choice(CHANNELS), status, customer, name,
             due, total, total, _stamp(created), _stamp(created), *ORDER_CONSTANTS)
        )  # fmt: skip
        if len(batch) == 50_000 or n == count:
            yield batch
            batch = []


def _the_rest(execute: Callable[..., Any], rng: random.Random) -> list[tuple[str, str, Any]]:
    """(table, columns, rows) of reorder rules, print jobs and e-mails, a few in trouble."""
    warehouse = execute("SELECT id FROM warehouses ORDER BY id LIMIT 1").fetchone()[0]
    products = [r[0] for r in execute("SELECT id FROM products ORDER BY id LIMIT 10000")]
    printer = execute("SELECT id FROM printers ORDER BY id LIMIT 1").fetchone()
    printer_id = printer[0] if printer else None
    now = time.time()
    jobs = [
        (printer_id, "till-1", "receipt", b"\x00", "", s, a, e, _stamp(now - n))
        for n in range(50_000)
        for s, a, e in [
            ("done", 1, "")
            if n % 5000
            else ("held", 3, "paper out")
            if n % 10_000
            else ("queued", 2, "refused")
        ]
    ]
    mails = [
        ("c@example.com", "Order", "Hello", s, 1, e, _stamp(now - n), f"<m{n}@bench>")
        for n in range(100_000)
        for s, e in [("sent", "") if n % 2000 else ("failed", "550 no such user")]
    ]
    return [
        (
            "reorder_rules",
            "product_id, warehouse_id, min_qty, max_qty, multiple, lead_time_days, active",
            [(pid, warehouse, m, m * 2, 1, 0, 1) for pid in products for m in [rng.randrange(40)]],
        ),
        (
            "print_jobs",
            "printer_id, workstation, document, payload, render_spec, state, attempts,"
            " last_error, created_at",
            jobs,
        ),
        (
            "outbox_messages",
            "to_address, subject, body, state, attempts, last_error, created_at, message_id",
            mails,
        ),
    ]


def _insert(raw: sqlite3.Connection, table: str, columns: str, rows: Any) -> None:
    marks = ", ".join("?" * (columns.count(",") + 1))
    raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


DEMO = ["demo", "--products", "20000", "--customers", "2000", "--orders", "0"]


def build(orders: int) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"dashboard-{orders}.sqlite"
    if path.exists():
        return path
    partial = path.with_name(path.stem + "-part.sqlite")
    partial.unlink(missing_ok=True)
    assert cli.main(["--database", f"sqlite:///{partial}", *DEMO]) == 0
    started = time.perf_counter()
    rng = random.Random(19)
    raw = sqlite3.connect(partial)
    for batch in _orders(raw.execute, orders, rng):
        _insert(raw, "sales_orders", ORDER_COLUMNS, batch)
        raw.commit()
    for table, columns, rows in _the_rest(raw.execute, rng):
        _insert(raw, table, columns, rows)
    raw.execute("ANALYZE")
    raw.commit()
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all in the main file, then rename it
    raw.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    print(f"built {orders:,} orders in {time.perf_counter() - started:.0f} s")
    partial.rename(path)
    return path


def build_pg(server: str, orders: int) -> str:
    """The same store in a PostgreSQL database of its own, kept by name for the next run:
    the demo through Kestrel, then the orders and the rest by COPY, the secondary indexes
    of sales_orders built after the load."""
    name = f"kestrel_bench_dashboard_{orders}"
    url = pg_store.urls(server, name)[2]
    if pg_store.reuse(server, name):
        return url
    pg_store.create(server, name)
    assert cli.main(["--database", url, *DEMO]) == 0
    started = time.perf_counter()
    rng = random.Random(19)
    conn = pg_store.loading(server, name)
    with pg_store.without_indexes(conn, ("sales_orders",)):
        for batch in _orders(conn.execute, orders, rng):
            pg_store.copy(conn, "sales_orders", ORDER_COLUMNS, batch)
            conn.commit()
        for table, columns, rows in _the_rest(conn.execute, rng):
            pg_store.copy(conn, table, columns, rows)
        conn.commit()
    pg_store.finish(conn, name)
    print(f"built {orders:,} orders in {time.perf_counter() - started:.0f} s")
    return url


Row = tuple[str, float, str, str, float | None, str]


def run(orders: int = 1_000_000, runs: int = 15, postgres: str | None = None) -> list[Row]:
    """(name, value, unit, floor name, floor value, target) rows, as bench/run.py takes;
    on the PostgreSQL server `postgres` names if given, else on SQLite."""
    if postgres:
        url = build_pg(postgres, orders)
        raw: Any = psycopg.connect(pg_store.urls(postgres, f"kestrel_bench_dashboard_{orders}")[1])
        replay: Any = pg_store.replayed
    else:
        url, raw, replay = f"sqlite:///{build(orders)}", None, replayed
    database = db.Database.open(url)
    db.migrate(database.engine)  # a store cached by an older Kestrel gets the new indexes
    if raw is None:
        raw = sqlite3.connect(db.sqlite_file(url) or "")
    actor = auth.SYSTEM

    def whole() -> object:
        with database.read() as s:
            return board.dashboard(s, actor)

    with database.read() as s:
        shown = board.dashboard(s, actor)
        print(
            f"{orders:,} orders: this week {shown.week.orders:,}, waiting {shown.waiting:,}, "
            f"late {shown.late:,}, low stock {shown.low_stock:,}, print jobs failing "
            f"{shown.print_jobs_failing}, e-mails failed {shown.emails_failed}"
        )
    value = median_ms(whole, runs)
    floor = median_ms(replay(database, raw, whole), runs)
    results = [(f"dashboard, {orders:,} orders", value, "ms", "same SQL raw", floor, TARGET)]
    parts = {
        "sales by channel (4 periods)": lambda s: board._sales(
            s, board.bounds(board.utcnow(), "Europe/Dublin"), "EUR"
        ),
        "open orders per stage + late": lambda s: board._stages(s, board.utcnow()),
        "low stock (10,000 rules)": board._low_stock,
        "printer and e-mail problems": board._problems,
    }
    for name, part in parts.items():

        def one(part=part) -> object:  # type: ignore[no-untyped-def]
            with database.read() as s:
                return part(s)

        results.append((f"  dashboard part: {name}", median_ms(one, runs), "ms", "", None, ""))
    database.dispose()
    raw.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to build it on")
    args = parser.parse_args()
    rows = run(args.orders, args.runs, args.postgres)
    for name, value, unit, floor_name, floor, target in rows:
        extra = f"   {floor_name} {floor:8.1f} {unit}" if floor is not None else ""
        print(f"{name:<50} {value:8.1f} {unit}{extra}   {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
