"""The acceptance queue on a history of a million orders: a page of 50 new orders with
every flag worked out (sales/acceptance.py queue_page), at the head of the queue and
deep in it (keyset), next to the very SQL it sent replayed through plain sqlite3.

Builds its own store under bench/.cache/acceptance-N.sqlite (a small demo store, then N
orders written straight into SQLite, 2% of them new, two lines each):
`python -m bench.acceptance --orders 1000000`.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
from pathlib import Path

from app import cli, db
from app.core import auth
from app.services.sales import acceptance
from bench.run import CACHE, median_ms, replayed

NEW_SHARE = 0.02
STATUSES = ("delivered", "shipped", "cancelled", "confirmed")


def _fill(path: Path, orders: int) -> None:
    """`orders` orders (2% new) of the demo's customers and products, two lines each."""
    rng = random.Random(17)
    raw = sqlite3.connect(path)
    customers = [r for r in raw.execute("SELECT id, name, email FROM parties WHERE is_customer")]
    products = [r for r in raw.execute("SELECT id, sku, name, price FROM products")]
    start = raw.execute("SELECT COALESCE(MAX(id), 0) FROM sales_orders").fetchone()[0]
    now = time.time()
    batch_orders, batch_lines = [], []
    for n in range(1, orders + 1):
        order_id = start + n
        cid, name, email = rng.choice(customers)
        status = "new" if rng.random() < NEW_SHARE else rng.choice(STATUSES)
        created = time.strftime("%Y-%m-%d %H:%M:%S.000000", time.gmtime(now - (orders - n) * 30))
        picked = rng.sample(products, 2)
        total = sum(p[3] for p in picked)
        batch_orders.append(
            (
                order_id,
                f"SO-{order_id:06d}",
                "web",
                status,
                cid,
                name,
                email,
                "1 Main St",
                "Galway",
                "H91 X2Y3",
                "IE",
                "EUR",
                total,
                total,
                created,
                created,
            )
        )
        for line_no, (pid, sku, pname, price) in enumerate(picked, start=1):
            batch_lines.append((order_id, line_no, pid, sku, pname, 1, price, price, price))
        if len(batch_orders) == 20_000 or n == orders:
            raw.executemany(
                "INSERT INTO sales_orders (id, number, channel, status, held_from, customer_id,"
                " customer_name, email, phone, ship_name, ship_line1, ship_line2, ship_city,"
                " ship_postcode, ship_region, ship_country, priority, payment_terms, currency,"
                " subtotal, tax_total, total, note, external_ref, source_fingerprint,"
                " created_at, updated_at, version) VALUES (?, ?, ?, ?, '', ?, ?, ?, '', '',"
                " ?, '', ?, ?, '', ?, 0, '', ?, ?, 0, ?, '', '', '', ?, ?, 1)",
                batch_orders,
            )
            raw.executemany(
                "INSERT INTO order_lines (order_id, line_no, product_id, sku, name, quantity,"
                " unit_price, discount, tax_rate_bp, net, tax, total, shipped)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, 0, ?, 0)",
                batch_lines,
            )
            raw.commit()
            batch_orders, batch_lines = [], []
    raw.execute("ANALYZE")
    raw.commit()
    raw.close()


def build(orders: int) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"acceptance-{orders}.sqlite"
    if path.exists():
        return path
    partial = path.with_name(path.stem + "-part.sqlite")
    partial.unlink(missing_ok=True)
    demo = ["demo", "--products", "2000", "--customers", "20000", "--orders", "0"]
    assert cli.main(["--database", f"sqlite:///{partial}", *demo]) == 0
    started = time.perf_counter()
    _fill(partial, orders)
    print(f"built {orders:,} orders in {time.perf_counter() - started:.0f} s")
    partial.rename(path)
    return path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    path = build(args.orders)
    database = db.Database.open(f"sqlite:///{path}")
    raw = sqlite3.connect(path)
    with database.read() as s:
        waiting = acceptance.queue_count(s, auth.SYSTEM)
        middle = acceptance.queue_page(s, auth.SYSTEM, 0, waiting // 2)[-1].id

    def page(after: int) -> object:
        with database.read() as s:
            rows = acceptance.queue_page(s, auth.SYSTEM, after, 50)
        assert len(rows) == 50
        return rows

    def count() -> object:
        with database.read() as s:
            return acceptance.queue_count(s, auth.SYSTEM)

    print(f"{args.orders:,} orders, {waiting:,} new")
    for name, fn in (
        ("queue head, 50 orders flagged", lambda: page(0)),
        ("queue middle (keyset), 50 flagged", lambda: page(middle)),
        ("queue count", count),
    ):
        value = median_ms(fn, args.runs)
        floor = median_ms(replayed(database, raw, fn), args.runs)
        print(f"{name:<40} {value:8.1f} ms   same SQL raw {floor:8.1f} ms")
    database.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
