"""The parts of a plain-SQL bench store that more than one bench builds with: a cached
store file (reused while its marker says it was finished), a fresh migrated store, order
rows (orders, lines, payments, shipments, events) by executemany, and secondary indexes
dropped during a bulk load and built once after it (a sorted build instead of millions of
random B-tree inserts). Used by bench/reports.py and bench/growth_store.py.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app import db
from app.core.bootstrap import ensure_base_data

Rows = Sequence[tuple[Any, ...]]


def stamp(at: dt.datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S.%f")  # how SQLAlchemy stores UTC on SQLite


def reuse(path: Path) -> bool:
    """True if `path` is a finished store (brought to the current schema); else False."""
    if not (path.exists() and path.with_suffix(".ready").exists()):
        return False
    print(f"reusing {path.name}")
    cached = db.Database.open(f"sqlite:///{path}")
    db.migrate(cached.engine)  # a store cached by an older Kestrel gets the new schema
    cached.dispose()
    return True


def fresh(path: Path) -> None:
    """An empty store at `path`: migrated, with the base data (warehouse, walk-in ...)."""
    path.with_suffix(".ready").unlink(missing_ok=True)
    for name in (str(path), f"{path}-wal", f"{path}-shm"):
        Path(name).unlink(missing_ok=True)
    database = db.Database.open(f"sqlite:///{path}")
    db.migrate(database.engine)
    with database.write() as s:
        ensure_base_data(s)
    database.dispose()


def finish(path: Path, raw: sqlite3.Connection) -> None:
    """ANALYZE, close, and mark the store finished (so the next run reuses it)."""
    raw.execute("ANALYZE")
    raw.commit()
    raw.close()
    path.with_suffix(".ready").write_text("ok")


def loading(path: Path) -> sqlite3.Connection:
    """A raw connection for a bulk load: no journal, no fsync (a failed build is rebuilt)."""
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA journal_mode=OFF")
    raw.execute("PRAGMA synchronous=OFF")
    raw.execute("PRAGMA cache_size=-400000")
    raw.execute("PRAGMA temp_store=FILE")
    return raw


@contextmanager
def without_indexes(raw: sqlite3.Connection, tables: Sequence[str]) -> Iterator[None]:
    """Drop the tables' secondary indexes (not primary keys or UNIQUE constraints) for the
    load, and build them again after it, exactly as the migrations made them."""
    marks = ", ".join("?" * len(tables))
    indexes = raw.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks})",
        tuple(tables),
    ).fetchall()
    for name, _sql in indexes:
        raw.execute(f'DROP INDEX "{name}"')
    raw.commit()
    yield
    print(f"  building {len(indexes)} indexes ...", flush=True)
    for _name, sql in indexes:
        raw.execute(sql)
    raw.commit()


def put_orders(
    raw: sqlite3.Connection,
    orders: Rows,
    lines: Rows,
    payments: Rows = (),
    shipments: Rows = (),
    events: Rows = (),
) -> None:
    """Order rows in one commit. orders: (id, number, channel, status, customer_id,
    customer_name, warehouse_id, due_at, subtotal, tax_total, total, created_at); lines:
    (id or None, order_id, line_no, product_id, sku, name, quantity, unit_price,
    tax_rate_bp, net, tax, total); payments: (order_id, cash_session_id, method, kind,
    amount, created_at); shipments: (order_id, shipped_at); events: (order_id, at, kind,
    from_status, to_status, message)."""
    raw.executemany(
        "INSERT INTO sales_orders (id, number, channel, status, held_from, customer_id,"
        " customer_name, email, phone, ship_name, ship_line1, ship_line2, ship_city,"
        " ship_postcode, ship_region, ship_country, warehouse_id, due_at, currency, subtotal,"
        " tax_total, total, note, external_ref, created_at, updated_at, version) VALUES (?, ?,"
        " ?, ?, '', ?, ?, '', '', '', '', '', '', '', '', '', ?, ?, 'EUR', ?, ?, ?, '', '', ?,"
        " ?, 1)",
        [(*o, o[-1]) for o in orders],
    )
    raw.executemany(
        "INSERT INTO order_lines (id, order_id, line_no, product_id, sku, name, quantity,"
        " unit_price, discount, tax_rate_bp, net, tax, total) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
        " 0, ?, ?, ?, ?)",
        lines,
    )
    raw.executemany(
        "INSERT INTO payments (order_id, cash_session_id, method, kind, amount, reference,"
        " created_at) VALUES (?, ?, ?, ?, ?, '', ?)",
        payments,
    )
    raw.executemany(
        "INSERT INTO shipments (order_id, status, note, shipped_at) VALUES (?, 'shipped', '', ?)",
        shipments,
    )
    raw.executemany(
        "INSERT INTO order_events (order_id, at, user_name, workstation, kind, from_status,"
        " to_status, message, data) VALUES (?, ?, '', '', ?, ?, ?, ?, '')",
        events,
    )
    raw.commit()
