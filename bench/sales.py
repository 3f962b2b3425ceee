"""Completed counter sales per second on SQLite (issue 20, target 2), next to raw sqlite3
writing the same rows in the same run.

`python -m bench.sales [--scale N] [--sales N]` (and `make bench` through bench/run.py):
a copy of the cached demo store, a till opened, two-line carts paid by card, each sale
its own write transaction with its receipt queued. Besides sales per second it prints the
CPU time of a sale (process_time: what this shared machine's load moves least) and how
many statements one sale sends (a SQLAlchemy event listener). The PostgreSQL figures
(target 3) are bench/shared.py's.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, text

from app import db
from app.core import auth
from app.services.sales import till
from app.services.sales.cart import Cart
from app.services.sales.counter import Tender, complete_sale
from app.services.stock.catalogue import ProductHit as Hit
from app.services.stock.lookup import CodeLookup

Row = tuple[str, float, str, str, float | None, str]
WARM_UP = 20  # the first sales compile the statements, as a till does once after start


def counter_hits(shop: db.Database) -> list[Hit]:
    with shop.write() as s:
        till.open_session(s, auth.SYSTEM, "bench", 0)
        codes = [
            row[0]
            for row in s.execute(
                text(
                    "SELECT b.code FROM barcodes b JOIN stock_levels l ON l.product_id = "
                    "b.product_id JOIN locations c ON c.id = l.location_id "
                    "WHERE c.code = 'SHOP-COUNTER' AND l.on_hand - l.reserved >= 20 LIMIT 400"
                )
            )
        ]
    scanner = CodeLookup(shop.engine)
    hits = [hit for hit in (scanner.find(code) for code in codes) if hit is not None]
    scanner.close()
    return hits


def sell(shop: db.Database, hits: list[Hit], n: int) -> None:
    cart = Cart()
    for hit in (hits[n % len(hits)], hits[(n * 7 + 1) % len(hits)]):
        cart.add(hit)
    with shop.write() as s:
        complete_sale(
            s,
            auth.SYSTEM,
            cart,
            [Tender("card", cart.totals()[2])],
            "bench",
            "bench",
            print_receipt=True,  # every sale queues its receipt, as at a real till
        )


def statements_of_one_sale(shop: db.Database, hits: list[Hit], n: int) -> int:
    sent: list[str] = []

    def grab(_conn, _cursor, statement, _parameters, _context, _many):  # type: ignore[no-untyped-def]
        sent.append(statement)

    event.listen(shop.engine, "before_cursor_execute", grab)
    try:
        sell(shop, hits, n)
    finally:
        event.remove(shop.engine, "before_cursor_execute", grab)
    return len(sent)


def _raw_rate(copy: Path, sales: int) -> float:
    """The same rows a sale writes, as plain inserts and updates through sqlite3."""
    raw = sqlite3.connect(copy, isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=NORMAL")
    started = time.perf_counter()
    for _ in range(sales):
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("UPDATE number_sequences SET next_value = next_value + 1 WHERE name='order'")
        order = raw.execute(
            "INSERT INTO sales_orders (number, channel, status, held_from, customer_id, "
            "customer_name, email, phone, ship_name, ship_line1, ship_line2, ship_city, "
            "ship_postcode, ship_region, ship_country, currency, subtotal, tax_total, total, "
            "note, external_ref, created_at, updated_at, version) VALUES (hex(randomblob(8)),"
            "'counter','completed','',1,'','','','','','','','','','','EUR',1,0,1,'','',"
            "datetime('now'),datetime('now'),1)"
        ).lastrowid
        for _line in range(2):
            raw.execute(
                "INSERT INTO order_lines (order_id, line_no, product_id, sku, name, quantity, "
                "unit_price, discount, tax_rate_bp, net, tax, total) VALUES (?,1,1,'','',1,1,0,"
                "0,1,0,1)",
                (order,),
            )
            raw.execute("UPDATE stock_levels SET on_hand = on_hand WHERE product_id = 1")
            raw.execute(
                "INSERT INTO stock_moves (product_id, quantity, from_location_id, "
                "to_location_id, state, origin_type, reason, created_at) VALUES "
                "(1,1,1,2,'done','order_line','',datetime('now'))"
            )
        raw.execute(
            "INSERT INTO payments (order_id, method, kind, amount, reference, created_at) "
            "VALUES (?, 'card', 'payment', 1, '', datetime('now'))",
            (order,),
        )
        raw.execute(
            "INSERT INTO order_events (order_id, at, user_name, workstation, kind, "
            "from_status, to_status, message, data) VALUES (?, datetime('now'), '', '', "
            "'created', '', '', '', '')",
            (order,),
        )
        raw.execute(
            "INSERT INTO print_jobs (workstation, document, order_id, payload, render_spec, "
            "state, attempts, last_error, created_at) VALUES ('bench', 'receipt', ?, x'', "
            "'{}', 'queued', 0, '', datetime('now'))",
            (order,),
        )
        raw.execute("COMMIT")
    rate = sales / (time.perf_counter() - started)
    raw.close()
    return rate


def run(path: Path, sales: int) -> list[Row]:
    """(name, value, unit, floor name, floor value, target) rows, on a copy of `path`."""
    with tempfile.TemporaryDirectory() as folder:  # sales write: use a copy of the store
        copy = Path(folder) / "sales.sqlite"
        shutil.copyfile(path, copy)
        shop = db.Database.open(f"sqlite:///{copy}")
        hits = counter_hits(shop)
        for n in range(-WARM_UP, 0):
            sell(shop, hits, n)
        statements = statements_of_one_sale(shop, hits, -1)
        started, cpu = time.perf_counter(), time.process_time()
        for n in range(sales):
            sell(shop, hits, n)
        rate = sales / (time.perf_counter() - started)
        cpu_ms = (time.process_time() - cpu) / sales * 1000
        shop.dispose()
        raw_cpu = time.process_time()
        raw_rate = _raw_rate(copy, sales)
        raw_cpu_ms = (time.process_time() - raw_cpu) / sales * 1000
    return [
        (
            "completed counter sales on SQLite",
            rate,
            "sales/s",
            "raw sqlite3, same rows",
            raw_rate,
            ">= 500 sales/s and >= 20 % of the floor",
        ),
        ("CPU per counter sale on SQLite", cpu_ms, "ms", "raw sqlite3", raw_cpu_ms, ""),
        ("statements one counter sale sends", statements, "", "", None, ""),
    ]


def main() -> None:
    from bench.run import CACHE, CACHE_VERSION, build_store

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=20_000)
    parser.add_argument("--sales", type=int, default=300)
    parser.add_argument("--runs", type=int, default=1, help="repeat, to see the spread")
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"demo-{args.scale}-v{CACHE_VERSION}.sqlite"
    build_store(args.scale, path, [])
    for _ in range(args.runs):
        for name, value, unit, floor_name, floor, _target in run(path, args.sales):
            against = f"  ({floor_name}: {floor:,.2f})" if floor is not None else ""
            print(f"{name:<40} {value:>10,.2f} {unit}{against}")


if __name__ == "__main__":
    main()
