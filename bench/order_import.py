"""`python -m bench.order_import [--orders N] [--engine sqlite|postgresql]`: importing web
orders (issue 17: 10,000 orders with 30,000 lines <= 10 s on SQLite).

Writes a Shopify orders CSV of N orders (three lines each, every order a new customer,
one continuation row per extra line) in the real export's layout, then times
`order_import.import_file` on a fresh store (read, judged, written, committed), next to
its floor: the very rows the import wrote (customers, addresses, search words, orders,
lines, timeline, e-mails, audit) inserted into an identical fresh store by plain
`executemany` (sqlite3 or psycopg) in one transaction. `--path orm` times the per-order
ORM writer instead of the bulk one, for the before/after figures.
Nothing here is a test: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app import db
from app.core import auth
from app.core.bootstrap import ensure_base_data
from app.core.settings import set_setting
from app.services.channels import order_import, sources
from app.services.sales.entry import shipping_product
from app.services.stock import catalogue
from app.services.stock.catalogue import ProductInput
from bench.shared import SERVER

FILES = Path(__file__).resolve().parent.parent / "tests" / "services" / "channels" / "files"
SKUS = (("MUG-BLUE", "15.00"), ("BEANS-1KG", "30.00"), ("STICKER", "2.00"))
WRITTEN = (  # the tables an import writes, parents first
    "parties",
    "addresses",
    "party_tokens",
    "sales_orders",
    "order_lines",
    "order_events",
    "outbox_messages",
    "audit_log",
)


def write_csv(path: Path, orders: int) -> None:
    """`orders` Shopify orders, three lines each, from the sample file's own rows."""
    with (FILES / "shopify_orders.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, first = rows[0], rows[1]
    col = {h: i for i, h in enumerate(header)}
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for n in range(1, orders + 1):
            for i, (sku, price) in enumerate(SKUS):
                cells = list(first) if i == 0 else [""] * len(header)
                values = {"Name": f"#{100000 + n}", "Email": f"buyer{n}@example.com"}
                values |= {"Created at": "2025-12-06 10:37:33 -0500"}
                values |= {"Lineitem quantity": "1", "Lineitem name": sku.title()}
                values |= {"Lineitem price": price, "Lineitem sku": sku, "Lineitem discount": ""}
                if i == 0:
                    values |= {"Subtotal": "47.00", "Shipping": "5.00", "Taxes": "0.00"}
                    values |= {"Total": "52.00", "Discount Code": "", "Discount Amount": ""}
                    values |= {"Financial Status": "paid", "Id": str(9000000 + n)}
                    values |= {"Shipping Name": f"Buyer {n}", "Billing Name": f"Buyer {n}"}
                    values |= {"Tax 1 Name": "", "Tax 1 Value": ""}
                for name, value in values.items():
                    cells[col[name]] = value
                writer.writerow(cells)


def _prepare(url: str) -> None:
    database = db.Database.open(url)
    db.migrate(database.engine)
    with database.write() as s:
        ensure_base_data(s)
        set_setting(s, auth.SYSTEM, "currency", "USD")
        for sku, price in SKUS:
            cents = int(price.replace(".", ""))
            catalogue.create_product(
                s, auth.SYSTEM, ProductInput(sku=sku, name=sku.title(), price=cents, tax_rate_bp=0)
            )
        sources.add_source(s, auth.SYSTEM, "bench-shop", "shopify-csv")
        shipping_product(s)  # made on first use: here, so both stores have it
    database.dispose()


def _new_rows(url: str, before: dict[str, int]) -> dict[str, tuple[list[str], list[Any]]]:
    """table -> (columns, rows) written after the `before` ids, to replay as the floor."""
    database = db.Database.open(url)
    found: dict[str, tuple[list[str], list[Any]]] = {}
    with database.engine.connect() as conn:
        for table in WRITTEN:
            key = "party_id" if table == "party_tokens" else "id"
            result = conn.execute(
                text(f"SELECT * FROM {table} WHERE {key} > :n"), {"n": before[table]}
            )
            found[table] = (list(result.keys()), [tuple(r) for r in result])
    database.dispose()
    return found


def _max_ids(url: str) -> dict[str, int]:
    database = db.Database.open(url)
    with database.engine.connect() as conn:
        ids = {
            t: int(
                conn.execute(
                    text(
                        f"SELECT COALESCE(MAX({'party_id' if t == 'party_tokens' else 'id'}), 0) "
                        f"FROM {t}"
                    )
                ).scalar_one()
            )
            for t in WRITTEN
        }
    database.dispose()
    return ids


def _floor(url: str, rows: dict[str, tuple[list[str], list[Any]]]) -> tuple[float, float]:
    """The same rows through the raw driver, one transaction, one executemany a table:
    (wall, CPU seconds of this process)."""
    started, cpu = time.perf_counter(), time.process_time()
    if url.startswith("sqlite"):
        raw = sqlite3.connect(str(db.sqlite_file(url)))
        raw.execute("BEGIN IMMEDIATE")
        for table, (cols, values) in rows.items():
            marks = ", ".join("?" for _ in cols)
            raw.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", values)
        raw.commit()
        raw.close()
    else:
        dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(dsn) as conn, conn.cursor() as cur:
            for table, (cols, values) in rows.items():
                marks = ", ".join("%s" for _ in cols)
                sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})"
                cur.executemany(sql, values)
    return time.perf_counter() - started, time.process_time() - cpu


def _import(url: str, path: Path, bulk: bool) -> tuple[float, float]:
    """The import, committed: (wall, CPU seconds of this process; on a loaded machine
    the CPU seconds move far less than the wall clock)."""
    database = db.Database.open(url)
    started, cpu = time.perf_counter(), time.process_time()
    with database.write() as s:
        result = order_import.import_file(s, auth.SYSTEM, path, "bench-shop", bulk=bulk)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    database.dispose()
    assert result.written, result.as_json()["orders"][:3]
    return seconds, cpu


def _stores(engine: str, work: Callable[[str, str], None]) -> None:
    """Two identical fresh stores (the import's and the floor's) for `work`."""
    if engine == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            urls = [f"sqlite:///{tmp}/{name}.sqlite" for name in ("import", "floor")]
            for url in urls:
                _prepare(url)
            work(*urls)
        return
    admin = make_url(SERVER).set(drivername="postgresql").render_as_string(hide_password=False)
    names = [f"kestrel_bench_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    urls = [
        make_url(SERVER)
        .set(drivername="postgresql+psycopg", database=n)
        .render_as_string(hide_password=False)
        for n in names
    ]
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            for name in names:
                conn.execute(f'CREATE DATABASE "{name}"')
        for url in urls:
            _prepare(url)
        work(*urls)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(orders: int, engine: str, bulk: bool) -> dict[str, float]:
    figures: dict[str, float] = {}

    def work(import_url: str, floor_url: str) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "orders.csv"
            write_csv(path, orders)
            before = _max_ids(import_url)
            figures["import_s"], figures["import_cpu_s"] = _import(import_url, path, bulk)
        figures["floor_s"], figures["floor_cpu_s"] = _floor(
            floor_url, _new_rows(import_url, before)
        )
        figures["orders_per_s"] = orders / figures["import_s"]

    _stores(engine, work)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--path", choices=("bulk", "orm"), default="bulk")
    args = parser.parse_args()
    figures = run(args.orders, args.engine, args.path == "bulk")
    print(
        f"import {args.orders:,} orders ({args.orders * 3:,} lines), {args.engine}, "
        f"{args.path}: {figures['import_s']:.2f} s ({figures['orders_per_s']:.0f} orders/s, "
        f"CPU {figures['import_cpu_s']:.2f} s); floor, the same rows by raw executemany: "
        f"{figures['floor_s']:.2f} s (CPU {figures['floor_cpu_s']:.2f} s)"
    )


if __name__ == "__main__":
    main()
