"""`python -m bench.api_floor [--orders N]`: the push API's order call in-process on
PostgreSQL (no HTTP), against its raw floor (issue 17).

- Kestrel: N `POST /api/v1/orders` bodies through the service path as the server runs
  it (the key checked, the call audited, api_orders.create_order, in one write
  transaction with its retry), one after another in this process: CPU ms and wall ms an
  order, and the statements an order sends. CPU per order is the figure a loaded
  machine blurs least.
- Floor: the very statements one such order sent (captured as pg_floor.capture does for
  the counter sale), replayed through plain psycopg, one transaction an order, with only
  what must differ for another order: its external id, number and tracking token, the
  new order's id in its lines, timeline and outbox row, the Message-ID, and the audit
  chain's places and hashes (from the head the replay locks). Sequential (CPU and wall
  an order) and from 4 processes at once (orders/s).
Both on a fresh database dropped afterwards (`KESTREL_BENCH_PG` names the admin
database). The captured order is a known customer's (most API orders are repeat
customers'; a new customer adds its party, address and words: three inserts and one read).
Nothing here is a test: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import time
import uuid
from typing import Any

import psycopg
from sqlalchemy import event

from app import db
from app.api import calls
from app.api.schemas import OrderBody
from app.core import audit, auth
from app.core.bootstrap import ensure_base_data
from app.services.channels import api_keys, api_orders
from app.services.stock import catalogue
from app.services.stock.catalogue import ProductInput
from bench.api import _body
from bench.pg_floor import Statement, capture

RAW_SECONDS = 5.0
PROCESSES = 4


def _store(url: str) -> tuple[db.Database, str]:
    database = db.Database.open(url)
    db.migrate(database.engine)
    with database.write() as s:
        ensure_base_data(s)
        for sku in ("MUG-BLUE", "BEANS-1KG"):
            catalogue.create_product(
                s, auth.SYSTEM, ProductInput(sku=sku, name=sku, price=1000, tax_rate_bp=0)
            )
        key = api_keys.create_key(s, auth.SYSTEM, "bench", list(api_keys.SCOPES)).key
    return database, key


def _caller(database: db.Database, key: str) -> Any:
    """One order call as calls.run makes it, minus HTTP and the rate limit."""

    def one(n: int) -> api_orders.Created:
        data = OrderBody.model_validate(_body(n)).as_input()

        def call(session: Any) -> api_orders.Created:
            row = api_keys.authenticate(session, key, "orders:write")
            actor = api_keys.key_actor(row)
            audit.record(session, actor, "api.call", "POST /api/v1/orders")
            return api_orders.create_order(session, actor, data, key_id=row.id)

        return calls.once_more_on_a_race(database, call)

    return one


def kestrel(database: db.Database, key: str, orders: int) -> tuple[float, float, float]:
    """(CPU ms, wall ms, statements) an order; customers known (the body's e-mails repeat
    every 500 orders: a first round makes them)."""
    one = _caller(database, key)
    for n in range(500):
        one(n)
    sent = [0]

    def count(*_args: Any) -> None:
        sent[0] += 1

    event.listen(database.engine, "before_cursor_execute", count)
    cpu, wall = time.process_time(), time.perf_counter()
    for n in range(1000, 1000 + orders):
        one(n)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    event.remove(database.engine, "before_cursor_execute", count)
    return cpu * 1000 / orders, wall * 1000 / orders, sent[0] / orders


def _swap_order(params: Any, old_id: int, new_id: int) -> Any:
    if isinstance(params, dict) and params.get("order_id") == old_id:
        params = {**params, "order_id": new_id}
        if "message_id" in params:
            params["message_id"] = f"<{uuid.uuid4().hex}@bench>"
    return params


def replay(conn: psycopg.Connection, statements: list[Statement], old_id: int, n: int) -> None:
    """One captured order's statements (its order's id `old_id`) as one transaction, as
    order `n`."""
    new_id = 0
    taken: dict[str, int] = {}  # table -> the id a nextval() took ahead for its row
    seq, previous = 0, ""
    with conn.transaction(), conn.cursor() as cur:
        for sql, params, many in statements:
            if sql.startswith("INSERT INTO audit_log"):
                rows = []
                for row in params if many else [params]:
                    seq += 1
                    text = f"{previous}\n{seq}{row['action']}{row['subject']}{row['detail']}"
                    previous = hashlib.sha256(text.encode()).hexdigest()
                    rows.append({**row, "seq": seq, "hash": previous})
                cur.executemany(sql, rows)
                continue
            if sql.startswith("UPDATE audit_chain"):
                cur.execute(sql, {**params, "seq": seq, "hash": previous})
                continue
            if sql.startswith("INSERT INTO sales_orders"):
                one = {**params, "external_id": f"R-{n}", "number": f"R-{uuid.uuid4().hex[:16]}"}
                one["tracking_token"] = uuid.uuid4().hex
                if "id" in one:  # an id taken ahead (insert_with_ids: main before 2026-12-04)
                    one["id"] = new_id = taken.pop("sales_orders")
                cur.execute(sql, one)
                if not new_id:
                    new_id = cur.fetchone()[0]  # type: ignore[index]
                continue
            if many:
                cur.executemany(sql, [_swap_order(p, old_id, new_id) for p in params])
            else:
                cur.execute(sql, _swap_order(params, old_id, new_id))
            if sql.startswith("SELECT audit_chain.seq"):
                seq, previous = cur.fetchone() or (0, "")
            elif "pg_get_serial_sequence" in sql:
                taken[params["t"]] = cur.fetchone()[0]  # type: ignore[index]


def _order_id_of(statements: list[Statement]) -> int:
    for sql, params, many in statements:
        if sql.startswith("INSERT INTO order_lines"):
            return int((params[0] if many else params)["order_id"])
    raise AssertionError("no order lines captured")


def _raw(dsn: str, statements: list[Statement], old_id: int, first: int, count: int) -> float:
    """Replays `count` orders one after another; the CPU seconds it took."""
    with psycopg.connect(dsn) as conn:
        cpu = time.process_time()
        for n in range(first, first + count):
            replay(conn, statements, old_id, n)
        return time.process_time() - cpu


def _timed_raw(args: tuple[str, list[Statement], int, int, float]) -> int:
    """One of the raw processes: orders replayed in RAW_SECONDS from `start_at`."""
    dsn, statements, old_id, first, start_at = args
    with psycopg.connect(dsn) as conn:
        while time.time() < start_at:
            time.sleep(0.005)
        done, deadline = 0, time.time() + RAW_SECONDS
        while time.time() < deadline:
            replay(conn, statements, old_id, first + done)
            done += 1
        return done


def run(url: str, orders: int) -> None:
    database, key = _store(url)
    cpu, wall, sent = kestrel(database, key, orders)
    one = _caller(database, key)
    statements = capture(database.engine, lambda: one(5000))  # a known customer's order
    old_id = _order_id_of(statements)
    dsn = database.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    database.dispose()
    started = time.perf_counter()
    raw_cpu = _raw(dsn, statements, old_id, 100_000, orders)
    raw_wall = time.perf_counter() - started
    start_at = time.time() + 1.0
    jobs = [(dsn, statements, old_id, 200_000 + i * 1_000_000, start_at) for i in range(PROCESSES)]
    with multiprocessing.get_context("spawn").Pool(PROCESSES) as pool:
        done = sum(pool.map(_timed_raw, jobs))
    print(f"{'figure':<52} {'Kestrel':>10} {'raw floor':>10}")
    raw_ms = raw_cpu * 1000 / orders
    print(f"{'statements an order (no BEGIN/COMMIT)':<52} {sent:>10.1f} {len(statements):>10}")
    print(f"{'CPU an order, in process, sequential':<52} {cpu:>8.2f}ms {raw_ms:>8.2f}ms")
    print(f"{'wall an order, sequential':<52} {wall:>8.2f}ms {raw_wall * 1000 / orders:>8.2f}ms")
    print(f"{'raw orders/s from 4 processes':<52} {'':>10} {done / RAW_SECONDS:>8.0f}/s")
    print(f"{'Kestrel at its CPU an order, one core':<52} {1000 / cpu:>8.0f}/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--orders", type=int, default=500)
    args = parser.parse_args()
    admin = os.environ.get("KESTREL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
    name = f"kestrel_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        run(
            admin.rsplit("/", 1)[0].replace("postgresql:", "postgresql+psycopg:") + f"/{name}",
            args.orders,
        )
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
