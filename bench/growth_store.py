"""The growth bench's stores (issue 20, target 5), built by plain SQL in minutes, not the
half hour `kestrel demo` takes at a million.

`build(path, scale)`: the demo's own frame (users, warehouses and bins, the shop counter,
carriers: `build_demo` with nothing in it), then by executemany SCALE products with
EAN-13 codes and search tokens (named as the demo names them: 'Lumen Organic Ceramic Mug
300 ml'), SCALE // 10 customers with addresses and search tokens, SCALE orders of two
lines over two years in every status the lists show (new ones wait in the acceptance
queue, confirmed ones reserve stock), their stock moves and timeline events, and stock
levels that equal the ledger (opening receipts cover what the orders took), so
`kestrel check` finds nothing. `build(path, scale, orders=N)`: the same catalogue with N
orders of one line and no moves: the orders-only store for 10 M orders.

Stores are cached (bench/store.py) under bench/.cache as growth-SCALE[-oN]-vV.sqlite.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path

from stdnum import ean

from app import db
from app.admin.demo import build_demo
from app.admin.demo.data import (
    ADJECTIVES,
    BRANDS,
    CITIES,
    FIRST,
    ITEMS,
    LAST,
    STREETS,
    shelf_price,
    sku_prefix,
)
from app.core import auth
from app.services.sales.customers import party_tokens
from app.services.stock.search import tokens
from bench.store import Rows, finish, fresh, loading, put_orders, reuse, stamp, without_indexes

VERSION = 2  # bump when what a growth store holds changes
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
CHUNK = 100_000
COUNTER_SHELF = 2_000  # products also on the shop counter's shelves, for the counter sale
# status of an order by its place in 100: most history is delivered, a few wait
STATUSES = ("new",) * 2 + ("confirmed",) * 3 + ("cancelled",) * 2 + ("shipped",) * 8
STATUSES += ("completed",) * 20 + ("delivered",) * 65
SHIP_CHANNELS = ("phone", "email", "web", "web", "marketplace")
LOADED = (
    "products",
    "barcodes",
    "product_tokens",
    "parties",
    "addresses",
    "party_tokens",
    "sales_orders",
    "order_lines",
    "order_events",
    "stock_moves",
    "stock_levels",
)


def path_for(cache: Path, scale: int, orders: int | None = None) -> Path:
    tail = "" if orders is None else f"-o{orders}"
    return cache / f"growth-{scale}{tail}-v{VERSION}.sqlite"


def build(path: Path, scale: int, orders: int | None = None) -> None:
    """A finished store at `path` (reused if one is there)."""
    if reuse(path):
        return
    fresh(path)
    database = db.Database.open(f"sqlite:///{path}")
    with database.write() as session:  # the frame: users, bins, counter, carriers
        build_demo(session, auth.SYSTEM, products=0, customers=0, orders=0)
    database.dispose()
    print(f"building a growth store of {scale:,} products, {orders or scale:,} orders ...")
    raw = loading(path)
    rng = random.Random(scale)
    with without_indexes(raw, LOADED):
        catalogue = _products(raw, scale, rng)
        customers = _customers(raw, max(50, scale // 10), rng)
        if orders is None:
            used = _orders(raw, scale, catalogue, customers, rng, lines_per_order=2)
        else:
            used = _orders(raw, orders, catalogue, customers, rng, lines_per_order=1)
        _stock(raw, scale, used)
    _ship_to(raw)
    raw.execute("UPDATE number_sequences SET next_value = ? WHERE name = 'order'", (_top(raw),))
    finish(path, raw)


def _ship_to(raw: sqlite3.Connection) -> None:
    """Orders that ship carry their customer's e-mail and address (after the indexes are
    built: the address is found by its party's index)."""
    raw.execute(
        "UPDATE sales_orders SET (email, ship_name, ship_line1, ship_city, ship_postcode,"
        " ship_country) = (SELECT p.email, a.name, a.line1, a.city, a.postcode, a.country"
        " FROM parties p JOIN addresses a ON a.party_id = p.id"
        " WHERE p.id = sales_orders.customer_id) WHERE channel <> 'counter'"
    )
    raw.commit()
    print("  ship-to addresses", flush=True)


def _top(raw: sqlite3.Connection) -> int:
    return int(raw.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM sales_orders").fetchone()[0])


def _tokens_sorted(raw: sqlite3.Connection, table: str, rows: Rows) -> None:
    """Search tokens go in sorted, so the (token, id) key grows at its end only."""
    raw.execute("CREATE TEMP TABLE IF NOT EXISTS staged (token TEXT, owner INTEGER)")
    raw.executemany("INSERT INTO staged VALUES (?, ?)", rows)
    raw.execute(f"INSERT INTO {table} SELECT token, owner FROM staged ORDER BY token, owner")
    raw.execute("DELETE FROM staged")
    raw.commit()


def _products(raw: sqlite3.Connection, count: int, rng: random.Random) -> list[tuple]:  # type: ignore[type-arg]
    """(sku, name, price, tax, bin) of each product; product i has id i + 1."""
    made = stamp(NOW - dt.timedelta(days=800))
    bins = [r[0] for r in raw.execute(
        "SELECT l.id FROM locations l JOIN warehouses w ON w.id = l.warehouse_id "
        "WHERE w.code = 'MAIN' AND l.kind = 'internal' ORDER BY l.pick_sequence"
    )]  # fmt: skip
    catalogue: list[tuple] = []  # type: ignore[type-arg]
    for first in range(0, count, CHUNK):
        rows, codes, words = [], [], []
        for i in range(first, min(count, first + CHUNK)):
            brand, adj = rng.choice(BRANDS), rng.choice(ADJECTIVES)
            item, sizes, tax, base = rng.choice(ITEMS)
            size = rng.randrange(len(sizes))
            name, sku = f"{brand} {adj} {item} {sizes[size]}", f"{sku_prefix(item)}-{i + 1:07d}"
            price = shelf_price(base, size, adj, rng)
            catalogue.append((sku, name, price, tax, bins[i % len(bins)]))
            rows.append((i + 1, sku, name, price, price * 55 // 100, tax, made))
            body = f"21{i + 1:010d}"
            codes.append((i + 1, body + ean.calc_check_digit(body), i + 1))
            words += [(token, i + 1) for token in tokens(name, sku)]
        raw.executemany(
            "INSERT INTO products (id, sku, name, description, price, cost, tax_rate_bp,"
            " weight_g, track_stock, active, created_at, updated_at) VALUES (?, ?, ?, '', ?, ?,"
            " ?, 250, 1, 1, ?7, ?7)",
            rows,
        )
        raw.executemany(
            "INSERT INTO barcodes (id, code, product_id, pack_qty, symbology)"
            " VALUES (?, ?, ?, 1, 'EAN-13')",
            codes,
        )
        _tokens_sorted(raw, "product_tokens", words)
        print(f"  products: {min(count, first + CHUNK):,} / {count:,}", flush=True)
    return catalogue


def _customers(raw: sqlite3.Connection, count: int, rng: random.Random) -> list[tuple[int, str]]:
    """(id, name) of each customer."""
    made = stamp(NOW - dt.timedelta(days=800))
    first_id = int(raw.execute("SELECT MAX(id) FROM parties").fetchone()[0]) + 1
    people: list[tuple[int, str]] = []
    parties, addresses, words = [], [], []
    for i in range(count):
        given, family = rng.choice(FIRST), rng.choice(LAST)
        pid, name = first_id + i, f"{given} {family}"
        email = f"{given}.{family}{i + 1}@example.com".lower().replace("'", "")
        phone = f"+353 8{rng.randrange(3, 9)} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
        city, postcode, country = rng.choice(CITIES)
        street = f"{rng.randrange(1, 200)} {rng.choice(STREETS)}"
        people.append((pid, name))
        parties.append((pid, name, email, phone, made))
        addresses.append((pid, name, street, city, postcode, country))
        words += [(token, pid) for token in party_tokens(name, email, phone)]
    raw.executemany(
        "INSERT INTO parties (id, name, email, phone, is_customer, is_supplier, is_walk_in, note,"
        " created_at) VALUES (?, ?, ?, ?, 1, 0, 0, '', ?)",
        parties,
    )
    raw.executemany(
        "INSERT INTO addresses (party_id, kind, name, line1, line2, city, postcode, region,"
        " country, is_default) VALUES (?, 'shipping', ?, ?, '', ?, ?, '', ?, 1)",
        addresses,
    )
    _tokens_sorted(raw, "party_tokens", words)
    print(f"  customers: {count:,}", flush=True)
    return people


def _orders(  # noqa: PLR0913, PLR0915 (one pass that writes what an order is made of)
    raw: sqlite3.Connection,
    count: int,
    catalogue: list[tuple],  # type: ignore[type-arg]
    customers: list[tuple[int, str]],
    rng: random.Random,
    lines_per_order: int,
) -> dict[tuple[int, str], int]:
    """Orders with lines, moves and events; what they took (product, 'done'/'reserved')."""
    (main,) = raw.execute("SELECT id FROM warehouses WHERE code = 'MAIN'").fetchone()
    (walk_in,) = raw.execute("SELECT id FROM parties WHERE is_walk_in = 1").fetchone()
    (gone,) = raw.execute("SELECT id FROM locations WHERE kind = 'customer'").fetchone()
    moves_on = lines_per_order > 1
    start = NOW - dt.timedelta(days=730)
    step = dt.timedelta(days=729) / max(1, count)
    used: dict[tuple[int, str], int] = {}
    line_id = 0
    for first in range(0, count, CHUNK):
        orders, lines, events, moves = [], [], [], []
        for n in range(first, min(count, first + CHUNK)):
            oid, at = n + 1, stamp(start + step * n)
            status = STATUSES[rng.randrange(100)]
            channel = "counter" if status == "completed" else SHIP_CHANNELS[n % 5]
            customer, name = (walk_in, "Walk-in") if channel == "counter" else rng.choice(customers)
            total = tax = 0
            for line_no in range(1, lines_per_order + 1):
                p = rng.randrange(len(catalogue))
                sku, item, price, rate, bin_id = catalogue[p]
                qty = 1 + p % 3
                line_total = qty * price
                line_tax = line_total * rate // (10_000 + rate)
                total, tax = total + line_total, tax + line_tax
                line_id += 1
                lines.append((line_id, oid, line_no, p + 1, sku, item, qty, price, rate,
                              line_total - line_tax, line_tax, line_total))  # fmt: skip
                state = {"confirmed": "reserved", "new": "", "cancelled": ""}.get(status, "done")
                if moves_on and state:
                    done_at = at if state == "done" else None
                    moves.append((p + 1, qty, bin_id, gone, state, line_id, at, done_at))
                    used[(p + 1, state)] = used.get((p + 1, state), 0) + qty
            due = None if channel == "counter" else stamp(start + step * n + dt.timedelta(days=2))
            orders.append((oid, f"SO-{oid:06d}", channel, status, customer, name, main, due,
                           total - tax, tax, total, at))  # fmt: skip
            if moves_on:
                events.append((oid, at, "created", "", "new", f"Order created ({channel})"))
                if status != "new":
                    events.append((oid, at, "status", "new", status, f"Now {status}"))
        put_orders(raw, orders, lines, events=events)
        raw.executemany(
            "INSERT INTO stock_moves (product_id, quantity, from_location_id, to_location_id,"
            " state, origin_type, origin_id, reason, created_at, done_at)"
            " VALUES (?, ?, ?, ?, ?, 'order_line', ?, '', ?, ?)",
            moves,
        )
        raw.commit()
        print(f"  orders: {min(count, first + CHUNK):,} / {count:,}", flush=True)
    return used


def _stock(raw: sqlite3.Connection, count: int, used: dict[tuple[int, str], int]) -> None:
    """Opening receipts and levels: each product in its main bin (what the orders took or
    hold, and some spare), the first COUNTER_SHELF on the counter's shelves too."""
    (supplier,) = raw.execute("SELECT id FROM locations WHERE kind = 'supplier'").fetchone()
    (counter,) = raw.execute("SELECT id FROM locations WHERE code = 'SHOP-COUNTER'").fetchone()
    main_bins = [r[0] for r in raw.execute(
        "SELECT l.id FROM locations l JOIN warehouses w ON w.id = l.warehouse_id "
        "WHERE w.code = 'MAIN' AND l.kind = 'internal' ORDER BY l.pick_sequence"
    )]  # fmt: skip
    opened = stamp(NOW - dt.timedelta(days=801))
    moves, levels = [], []
    for p in range(1, count + 1):
        bin_id = main_bins[(p - 1) % len(main_bins)]  # as _products placed it
        reserved = used.get((p, "reserved"), 0)
        on_hand = reserved + 5 + p % 60
        moves.append((p, on_hand + used.get((p, "done"), 0), supplier, bin_id))
        levels.append((p, bin_id, on_hand, reserved))
        if p <= COUNTER_SHELF:
            moves.append((p, 500, supplier, counter))
            levels.append((p, counter, 500, 0))
    raw.executemany(
        "INSERT INTO stock_moves (product_id, quantity, from_location_id, to_location_id, state,"
        " origin_type, reason, created_at, done_at)"
        " VALUES (?, ?, ?, ?, 'done', 'receipt', 'Opening stock', ?5, ?5)",
        [(*m, opened) for m in moves],
    )
    raw.executemany(
        "INSERT INTO stock_levels (product_id, location_id, on_hand, reserved) VALUES (?, ?, ?, ?)",
        levels,
    )
    raw.commit()
    print(f"  stock: {len(levels):,} levels", flush=True)
