"""The dashboard on a history of a million orders (issue 19: <= 300 ms), next to the very
SQL it sent replayed through plain sqlite3 (the floor), and each of its statements alone.

Builds its own store under bench/.cache/dashboard-N.sqlite: a demo store of 20,000
products (with their stock) and 2,000 customers, then N orders written straight into
SQLite over two years (2 % still open, a tenth of those with a due date, part of it past),
10,000 reorder rules, 50,000 print jobs and 100,000 outbox messages, a few of each failing.
`python -m bench.dashboard [--orders N] [--runs N]`; `make bench` runs it too.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
from pathlib import Path

from app import cli, db
from app.core import auth
from app.services.reports import dashboard as board
from bench.run import CACHE, median_ms, replayed

OPEN = ("new", "accepted", "confirmed", "picking", "packed", "on_hold")
DONE = ("delivered", "shipped", "completed", "cancelled")
CHANNELS = ("counter", "web", "phone", "email", "marketplace")
TARGET = "<= 300 ms"


def _stamp(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S.000000", time.gmtime(seconds))


def _orders(raw: sqlite3.Connection, count: int, rng: random.Random) -> None:
    customer, name = raw.execute(
        "SELECT id, name FROM parties WHERE is_customer LIMIT 1"
    ).fetchone()
    start = raw.execute("SELECT COALESCE(MAX(id), 0) FROM sales_orders").fetchone()[0]
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
             due, total, total, _stamp(created), _stamp(created))
        )  # fmt: skip
        if len(batch) == 50_000 or n == count:
            raw.executemany(
                "INSERT INTO sales_orders (id, number, channel, status, held_from, customer_id,"
                " customer_name, email, phone, ship_name, ship_line1, ship_line2, ship_city,"
                " ship_postcode, ship_region, ship_country, priority, due_at, payment_terms,"
                " currency, subtotal, tax_total, total, note, external_ref, source_fingerprint,"
                " created_at, updated_at, version) VALUES (?, ?, ?, ?, '', ?, ?, '', '', '', '',"
                " '', '', '', '', '', 0, ?, '', 'EUR', ?, 0, ?, '', '', '', ?, ?, 1)",
                batch,
            )
            raw.commit()
            batch = []


def _the_rest(raw: sqlite3.Connection, rng: random.Random) -> None:
    """Reorder rules, print jobs and e-mails, a few of each in trouble."""
    warehouse = raw.execute("SELECT id FROM warehouses ORDER BY id LIMIT 1").fetchone()[0]
    products = [r[0] for r in raw.execute("SELECT id FROM products ORDER BY id LIMIT 10000")]
    raw.executemany(
        "INSERT INTO reorder_rules (product_id, warehouse_id, min_qty, max_qty, multiple,"
        " lead_time_days, active) VALUES (?, ?, ?, ?, 1, 0, 1)",
        [(pid, warehouse, m, m * 2) for pid in products for m in [rng.randrange(0, 40)]],
    )
    printer = raw.execute("SELECT id FROM printers ORDER BY id LIMIT 1").fetchone()
    printer_id = printer[0] if printer else None
    now = time.time()
    raw.executemany(
        "INSERT INTO print_jobs (printer_id, workstation, document, payload, render_spec, state,"
        " attempts, last_error, created_at) VALUES (?, 'till-1', 'receipt', x'00', '', ?, ?, ?, ?)",
        [
            (printer_id, s, a, e, _stamp(now - n))
            for n in range(50_000)
            for s, a, e in [
                ("done", 1, "")
                if n % 5000
                else ("held", 3, "paper out")
                if n % 10_000
                else ("queued", 2, "refused")
            ]
        ],
    )
    raw.executemany(
        "INSERT INTO outbox_messages (to_address, subject, body, state, attempts, last_error,"
        " created_at, message_id) VALUES ('c@example.com', 'Order', 'Hello', ?, 1, ?, ?, ?)",
        [
            (s, e, _stamp(now - n), f"<m{n}@bench>")
            for n in range(100_000)
            for s, e in [("sent", "") if n % 2000 else ("failed", "550 no such user")]
        ],
    )
    raw.commit()


def build(orders: int) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"dashboard-{orders}.sqlite"
    if path.exists():
        return path
    partial = path.with_name(path.stem + "-part.sqlite")
    partial.unlink(missing_ok=True)
    demo = ["demo", "--products", "20000", "--customers", "2000", "--orders", "0"]
    assert cli.main(["--database", f"sqlite:///{partial}", *demo]) == 0
    started = time.perf_counter()
    rng = random.Random(19)
    raw = sqlite3.connect(partial)
    _orders(raw, orders, rng)
    _the_rest(raw, rng)
    raw.execute("ANALYZE")
    raw.commit()
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all in the main file, then rename it
    raw.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    print(f"built {orders:,} orders in {time.perf_counter() - started:.0f} s")
    partial.rename(path)
    return path


Row = tuple[str, float, str, str, float | None, str]


def run(orders: int = 1_000_000, runs: int = 15) -> list[Row]:
    """(name, value, unit, floor name, floor value, target) rows, as bench/run.py takes."""
    path = build(orders)
    database = db.Database.open(f"sqlite:///{path}")
    db.migrate(database.engine)  # a store cached by an older Kestrel gets the new indexes
    raw = sqlite3.connect(path)
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
    floor = median_ms(replayed(database, raw, whole), runs)
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
    args = parser.parse_args()
    for name, value, unit, floor_name, floor, target in run(args.orders, args.runs):
        extra = f"   {floor_name} {floor:8.1f} {unit}" if floor is not None else ""
        print(f"{name:<50} {value:8.1f} {unit}{extra}   {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
