"""Many workstations on one PostgreSQL server: completed counter sales per second with 1, 2,
4 and 8 selling processes, next to pgbench's TPS on the same server in the same run, and
the live-refresh delay from one process's commit to another process hearing it.

Run by `make bench` when a PostgreSQL server answers at KESTREL_BENCH_PG (default: the
test server, postgresql://postgres@127.0.0.1:5432/postgres); a throwaway database is
created and dropped.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import time
import uuid
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

SERVER = os.environ.get("KESTREL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
SECONDS = 5.0
PROCESSES = (1, 2, 4, 8)
WARM_UP = 10
PRODUCTS = 200


def reachable() -> bool:
    try:
        with psycopg.connect(SERVER, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def _seller(
    url: str, till: str, product_ids: list[int], seconds: float, start_at: float
) -> tuple[int, float]:
    """One workstation selling two-line carts by card, as fast as it can, for `seconds`:
    (sales, CPU seconds it used)."""
    from app import db
    from app.core import auth
    from app.services.sales import till as tills
    from app.services.sales.cart import Cart
    from app.services.sales.counter import Tender, complete_sale
    from app.services.stock import catalogue

    database = db.Database.open(url)
    with database.read() as session:
        hits = [
            catalogue.find_by_code(session, r.sku)
            for r in catalogue.product_rows(session, product_ids)
        ]
    with database.write() as session:
        tills.open_session(session, auth.SYSTEM, till, 0, till)
    n = hash(till) % len(hits)

    def sell() -> None:
        nonlocal n
        cart = Cart()
        for hit in (hits[n % len(hits)], hits[(n * 7 + 3) % len(hits)]):
            cart.add(hit)  # type: ignore[arg-type]
        n += 1
        total = cart.totals()[2]
        database.transact(
            lambda s: complete_sale(
                s, auth.SYSTEM, cart, [Tender("card", total)], till, till, print_receipt=True
            )
        )

    for _ in range(WARM_UP):  # the first sales import the print modules, compile statements
        sell()
    while time.time() < start_at:
        time.sleep(0.005)
    done = 0
    cpu = time.process_time()
    deadline = time.time() + seconds
    while time.time() < deadline:
        sell()
        done += 1
    cpu = time.process_time() - cpu
    database.dispose()
    return done, cpu


def _notice_sender(url: str, order_id: int, queue: Any) -> None:
    from app import db
    from app.core import auth
    from app.services.sales import order_actions

    database = db.Database.open(url)
    for _ in range(7):
        time.sleep(0.3)
        with database.write() as session:
            order_actions.add_note(session, auth.SYSTEM, order_id, "bench")
            sent = time.time()  # just before the commit sends the notice
        queue.put(sent)
    database.dispose()


def _pgbench_tps(dsn: str, clients: int) -> float | None:
    if shutil.which("pgbench") is None:
        return None
    url = make_url(dsn)
    args = [
        "-h",
        url.host or "127.0.0.1",
        "-p",
        str(url.port or 5432),
        "-U",
        url.username or "postgres",
    ]
    name = url.database or ""
    subprocess.run(["pgbench", "-i", "-q", "-s", "1", *args, name], capture_output=True, check=True)
    out = subprocess.run(
        ["pgbench", "-c", str(clients), "-j", str(clients), "-T", str(int(SECONDS)), *args, name],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.search(r"tps = ([0-9.]+)", out)
    return float(found.group(1)) if found else None


def _seed(database: Any) -> tuple[list[int], int]:
    """Products with plenty of stock, and one order for the refresh notices."""
    from sqlalchemy import select

    from app.core import auth
    from app.core.bootstrap import default_warehouse_id, ensure_base_data
    from app.models import Location
    from app.services.sales import order_entry
    from app.services.sales.customers import AddressInput, CustomerInput, create_customer
    from app.services.sales.order_entry import LineInput, OrderInput
    from app.services.stock import inventory
    from app.services.stock.catalogue import ProductInput, create_product

    with database.write() as s:
        ensure_base_data(s)
        ids = [
            create_product(s, auth.SYSTEM, ProductInput(f"B-{n:05d}", f"Bench item {n}", 250 + n))
            for n in range(PRODUCTS)
        ]
        shelf = s.scalar(
            select(Location.id)
            .where(Location.warehouse_id == default_warehouse_id(s), Location.kind == "internal")
            .limit(1)
        )
        for pid in ids:
            inventory.receive(s, auth.SYSTEM, pid, shelf, 1_000_000)
        customer = create_customer(
            s,
            auth.SYSTEM,
            CustomerInput("Bench", address=AddressInput("1 Road", "Town", "1000", "IE")),
        )
        order = order_entry.create_order(
            s, auth.SYSTEM, OrderInput("phone", (LineInput(ids[0], 1),), customer_id=customer)
        ).id
    return ids, order


def _refresh_delay_ms(database: Any, url: str, order: int, ctx: Any) -> float:
    from app.core.changes import subscribe
    from app.live import ChangeListener

    heard: list[float] = []
    subscribe(lambda change: heard.append(time.time()) if "remote" in change.kinds else None)
    listener = ChangeListener(database.engine.url).start()
    time.sleep(1.0)
    queue = ctx.Queue()
    sender = ctx.Process(target=_notice_sender, args=(url, order, queue))
    sender.start()
    sender.join(60)
    sent = [queue.get(timeout=5) for _ in range(7)]
    time.sleep(0.5)
    listener.stop()
    delays = [(min((h for h in heard if h >= t), default=t + 9) - t) * 1000 for t in sent]
    return statistics.median(delays)


def _open_till_and_capture(database: Any, ids: list[int]) -> list[Any]:
    """One sale's statements (bench/pg_floor.py), from a till of its own."""
    from app.core import auth
    from app.services.sales import till as tills
    from app.services.sales.cart import Cart
    from app.services.sales.counter import Tender, complete_sale
    from app.services.stock import catalogue
    from bench import pg_floor

    with database.read() as session:
        hits = [
            catalogue.find_by_code(session, r.sku) for r in catalogue.product_rows(session, ids[:2])
        ]
    with database.write() as session:
        tills.open_session(session, auth.SYSTEM, "capture", 0, "capture")
    cart = Cart()
    for hit in hits:
        cart.add(hit)  # type: ignore[arg-type]

    def sale() -> None:
        with database.write() as session:
            complete_sale(
                session, auth.SYSTEM, cart, [Tender("card", cart.totals()[2])], "capture", "capture"
            )

    sale()  # warm: the statements compiled, the caches filled
    return pg_floor.capture(database.engine, sale)


def _sampled(pool_call: Any, name: str) -> tuple[Any, float]:
    """`pool_call`'s result and the mean number of the bench database's backends waiting
    for a lock (pg_stat_activity, sampled every 20 ms while it runs)."""
    waiting: list[int] = []
    with psycopg.connect(SERVER, autocommit=True) as conn:
        while not pool_call.ready():
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                "AND wait_event_type = 'Lock'",
                (name,),
            ).fetchone()
            waiting.append(int(row[0]) if row else 0)
            time.sleep(0.02)
    return pool_call.get(), statistics.mean(waiting) if waiting else 0.0


def run() -> list[tuple[str, float, str, str, float | None, str]]:
    """(name, value, unit, floor name, floor value, target) rows."""
    from app import db
    from bench import pg_floor

    name = f"kestrel_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    server = make_url(SERVER)
    url = server.set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False
    )
    plain = server.set(database=name).render_as_string(hide_password=False)
    results: list[tuple[str, float, str, str, float | None, str]] = []
    try:
        database = db.Database.open(url)
        db.migrate(database.engine)
        ids, order = _seed(database)
        statements = _open_till_and_capture(database, ids)
        ctx = multiprocessing.get_context("spawn")
        for processes in PROCESSES:
            start_at = time.time() + 3.0
            with ctx.Pool(processes) as pool:
                raw, raw_waits = _sampled(
                    pool.starmap_async(
                        pg_floor.replayer,
                        [
                            (plain, statements, ids, SECONDS, start_at, p * 37)
                            for p in range(processes)
                        ],
                    ),
                    name,
                )
            start_at = time.time() + 3.0 + WARM_UP * 0.3 * processes  # their warm-up first
            with ctx.Pool(processes) as pool:
                sold, waits = _sampled(
                    pool.starmap_async(
                        _seller,
                        [
                            (url, f"till-{processes}-{p}", ids, SECONDS, start_at)
                            for p in range(processes)
                        ],
                    ),
                    name,
                )
            sales, cpu = sum(n for n, _ in sold), sum(c for _, c in sold)
            raw_sales, raw_cpu = sum(n for n, _ in raw), sum(c for _, c in raw)
            label = f"{processes} process(es)"
            results += [
                (
                    f"counter sales on PostgreSQL, {label}",
                    sales / SECONDS,
                    "sales/s",
                    "raw psycopg, the same statements",
                    raw_sales / SECONDS,
                    ">= 40 % of the floor (1 process); never below 2 processes' figure",
                ),
                (
                    f"raw psycopg sales, {label}",
                    raw_sales / SECONDS,
                    "sales/s",
                    f"pgbench TPS, {processes} client(s)",
                    _pgbench_tps(plain, processes),
                    "",
                ),
                (
                    f"client CPU per sale, {label}",
                    cpu / max(sales, 1) * 1000,
                    "ms",
                    "raw psycopg",
                    raw_cpu / max(raw_sales, 1) * 1000,
                    "",
                ),
                (
                    f"backends waiting for a lock, {label}",
                    waits,
                    "mean",
                    "raw psycopg",
                    raw_waits,
                    "",
                ),
            ]
        delay = _refresh_delay_ms(database, url, order, ctx)
        results.append(
            ("live refresh, commit to other process", delay, "ms", "", None, "<= 1000 ms")
        )
        database.dispose()
    finally:
        with psycopg.connect(SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return results


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--processes", default="1,2,4,8")
    parser.add_argument("--seconds", type=float, default=SECONDS)
    args = parser.parse_args()
    PROCESSES = tuple(int(n) for n in args.processes.split(","))
    SECONDS = args.seconds
    for row in run():
        print(row)
