"""A bench store on PostgreSQL: a database of its own on the server a `--postgres URL`
names, kept by name between runs (COMMENT ON DATABASE says it was finished), built by
`db.migrate` on the empty database, then loaded by COPY (psycopg 3 `cursor.copy()`) with
the loaded tables' secondary indexes dropped and built again after the load exactly as
the migrations defined them (pg_indexes' own definitions), sequences moved past the
loaded ids, and ANALYZE. Used by bench/reports.py.

The floor of a figure on PostgreSQL: the very statements SQLAlchemy handed psycopg,
replayed through a plain psycopg connection (`replayed`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from app import db
from app.core.bootstrap import ensure_base_data
from bench.pg_floor import capture

Rows = Sequence[tuple[Any, ...]]
READY = "kestrel bench store: finished"


def urls(server: str, name: str) -> tuple[str, str, str]:
    """(admin psycopg DSN, the store's psycopg DSN, the store's SQLAlchemy URL)."""
    base = make_url(server)
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    store = base.set(drivername="postgresql", database=name)
    alchemy = store.set(drivername="postgresql+psycopg")
    return (
        admin,
        store.render_as_string(hide_password=False),
        alchemy.render_as_string(hide_password=False),
    )


def reuse(server: str, name: str) -> bool:
    """True if the database `name` is a finished store (brought to the current schema)."""
    admin, _dsn, url = urls(server, name)
    with psycopg.connect(admin, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (name,),
        ).fetchone()
    if row is None or row[0] != READY:
        return False
    print(f"reusing PostgreSQL database {name}")
    cached = db.Database.open(url)
    db.migrate(cached.engine)
    cached.dispose()
    return True


def create(server: str, name: str) -> str:
    """The empty database `name` (dropped first if it was there): its SQLAlchemy URL."""
    admin, _dsn, url = urls(server, name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def fresh(server: str, name: str) -> None:
    """An empty store in the database `name` (dropped first): migrated, with base data."""
    url = create(server, name)
    database = db.Database.open(url)
    db.migrate(database.engine)
    with database.write() as s:
        ensure_base_data(s)
    database.dispose()


def drop(server: str, name: str) -> None:
    admin, _dsn, _url = urls(server, name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def loading(server: str, name: str) -> psycopg.Connection[Any]:
    """A raw connection for the load: UTC (the stamps are UTC), no wait for the WAL flush."""
    _admin, dsn, _url = urls(server, name)
    conn = psycopg.connect(dsn)
    conn.execute("SET TimeZone = 'UTC'")
    conn.execute("SET synchronous_commit = off")
    conn.execute("SET maintenance_work_mem = '256MB'")
    return conn


def copy(conn: psycopg.Connection[Any], table: str, columns: str, rows: Rows) -> None:
    """`rows` into `table` (`columns`: a comma-separated list) by COPY, text format, so the
    server parses each value as its column's type (1/0 for booleans, UTC stamps)."""
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as out:
        for row in rows:
            out.write_row(row)


@contextmanager
def without_indexes(conn: psycopg.Connection[Any], tables: Sequence[str]) -> Iterator[None]:
    """The tables' secondary indexes (not those behind a primary key or UNIQUE constraint)
    dropped for the load and built again after it from their own definitions."""
    indexes = conn.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i "
        "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        (list(tables),),
    ).fetchall()
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    conn.commit()
    yield
    print(f"  building {len(indexes)} indexes ...", flush=True)
    started = time.perf_counter()
    for _name, sql in indexes:
        conn.execute(sql)
    conn.commit()
    print(f"  indexes built in {time.perf_counter() - started:.1f} s", flush=True)


def put_orders(
    conn: psycopg.Connection[Any],
    orders: Rows,
    lines: Rows,
    payments: Rows = (),
    shipments: Rows = (),
    events: Rows = (),
) -> None:
    """The rows of bench/store.py's put_orders (the same tuples) by COPY, in one commit."""
    copy(
        conn,
        "sales_orders",
        "id, number, channel, status, customer_id, customer_name, warehouse_id, due_at,"
        " subtotal, tax_total, total, created_at, updated_at, held_from, email, phone,"
        " ship_name, ship_line1, ship_line2, ship_city, ship_postcode, ship_region,"
        " ship_country, currency, note, external_ref, version",
        [(*o, o[-1], *[""] * 10, "EUR", "", "", 1) for o in orders],
    )
    copy(
        conn,
        "order_lines",
        "order_id, line_no, product_id, sku, name, quantity, unit_price, tax_rate_bp, net,"
        " tax, total, discount",
        [(*line[1:], 0) for line in lines],
    )
    copy(
        conn,
        "payments",
        "order_id, cash_session_id, method, kind, amount, created_at, reference",
        [(*p, "") for p in payments],
    )
    copy(
        conn,
        "shipments",
        "order_id, shipped_at, status, note",
        [(*s, "shipped", "") for s in shipments],
    )
    copy(
        conn,
        "order_events",
        "order_id, at, kind, from_status, to_status, message, user_name, workstation, data",
        [(*e, "", "", "") for e in events],
    )
    conn.commit()


def finish(conn: psycopg.Connection[Any], name: str) -> None:
    """Sequences past the loaded ids, VACUUM ANALYZE, and the mark that the store is done."""
    serials = conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() "
        "AND (column_default LIKE 'nextval%' OR is_identity = 'YES')"
    ).fetchall()
    for table, column in serials:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f'COALESCE(MAX("{column}"), 0) + 1, false) FROM "{table}"'
        )
    conn.commit()
    conn.autocommit = True
    conn.execute("VACUUM ANALYZE")
    conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{READY}'")
    conn.close()


def analyze(dsn: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("ANALYZE")


def replayed(
    database: db.Database, raw: psycopg.Connection[Any], fn: Callable[[], object]
) -> Callable[[], object]:
    """The floor for `fn`: the very SQL it sent to PostgreSQL, replayed through plain
    psycopg (the same server-side parameters), in one read transaction as `fn` ran."""
    sent = capture(database.engine, fn)  # without BEGIN and COMMIT
    queries = [
        (sql, p) for sql, p, _many in sent if not sql.lstrip().upper().startswith("ROLLBACK")
    ]

    def floor() -> object:
        with raw.transaction():
            cursors = (raw.execute(sql, params) for sql, params in queries)
            return [cur.fetchall() if cur.description else None for cur in cursors]

    return floor
