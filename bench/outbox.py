"""Customer e-mails (issue 18): the outbox's drain rate to an SMTP server on loopback
(aiosmtpd, in its own process), next to raw smtplib sends of the same messages on one
connection (the floor); what writing the outbox row adds to a status change (orders
accepted with their e-mail switched on against switched off, in interleaved batches: CPU
time of this process and wall time per accept, and the SQL statements of one accept each
way); the hook alone (the row, unrendered) inside one transaction; then the drain of those
status changes' e-mails, which the sender renders as it takes them.

`python -m bench.outbox [--messages N] [--changes N] [--rounds N] [--postgres URL]
[--profile]`: a fresh SQLite store in a temporary folder, or with --postgres a throwaway
database created on that server (and dropped). --profile prints where the drain of the
status changes' e-mails spends its time (cProfile). Targets: drain >= 50 e-mails/s; the
row <= 1 ms per status change.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import multiprocessing
import os
import pstats
import random
import smtplib
import socket
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from aiosmtpd.controller import Controller
from sqlalchemy import event as sa_event
from sqlalchemy.engine import make_url

from app import db
from app.core import auth
from app.core.bootstrap import default_warehouse_id, ensure_base_data
from app.models import Location, OutboxMessage, SalesOrder
from app.services.notify import events, outbox, sender, smtp_settings
from app.services.sales import customers, order_actions, order_entry
from app.services.sales.customers import AddressInput, CustomerInput
from app.services.sales.order_entry import LineInput, OrderInput
from app.services.stock import catalogue, inventory
from app.services.stock.catalogue import ProductInput

DRAIN_TARGET = 50.0
ROW_TARGET_MS = 1.0


class _Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, _server, _session, _envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        self.count += 1
        return "250 OK"


def _serve(port: int, ready: Any, stop: Any) -> None:
    """The SMTP server, in its own process: in ours it would share the GIL with the sender."""
    controller = Controller(_Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


@contextmanager
def _url(postgres: str | None) -> Iterator[str]:
    """A fresh store's URL: a SQLite file in a temporary folder, or a database of its own
    on the PostgreSQL server `postgres` names, dropped afterwards."""
    if postgres is None:
        with tempfile.TemporaryDirectory(prefix="kestrel-bench-mail-") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        return
    server = make_url(postgres)
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"kestrel_bench_mail_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(drivername="postgresql+psycopg", database=name).render_as_string(
            hide_password=False
        )
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _store(url: str) -> db.Database:
    database = db.Database.open(url)
    db.migrate(database.engine)
    with database.write() as s:
        ensure_base_data(s)
    return database


def _seed(database: db.Database, port: int) -> tuple[auth.Actor, int, int]:
    with database.write() as s:
        user = auth.create_user(s, None, "bench", "bench-pass-1", auth.Role.ADMIN, "Bench")
        actor = auth.Actor(user.user_id, "bench", "Bench", auth.Role.ADMIN, "bench")
        smtp_settings.save_smtp_settings(
            s,
            actor,
            smtp_settings.SmtpSettings(
                host="127.0.0.1", port=port, security="plain", from_address="Shop <o@shop.example>"
            ),
        )
        product = catalogue.create_product(
            s, actor, ProductInput(sku="MUG-1", name="Mug", price=1200, tax_rate_bp=2300)
        )
        inventory.receive(s, actor, product, _bin(s), 1_000_000)
        customer = customers.create_customer(
            s,
            actor,
            CustomerInput(
                name="Ines Moreau",
                email="ines@example.com",
                address=AddressInput("1 Quay Street", "Galway", "H91 X2Y3", "IE"),
            ),
        )
    return actor, product, customer


def _bin(s) -> int:  # type: ignore[no-untyped-def]
    warehouse = default_warehouse_id(s)
    return int(
        s.query(Location.id)
        .filter_by(warehouse_id=warehouse, kind="internal")
        .order_by(Location.pick_sequence)
        .first()[0]
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _counting(database: db.Database) -> Iterator[list[str]]:
    """The SQL statements run on the engine inside the block (BEGIN and COMMIT are not)."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, _params, _context, _many):  # type: ignore[no-untyped-def]
        seen.append(statement)

    sa_event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa_event.remove(database.engine, "before_cursor_execute", count)


def drain_rate(database: db.Database, count: int) -> tuple[float, float, float]:
    """(outbox e-mails/s, its CPU ms per e-mail, raw smtplib sends/s) for `count`
    messages already written with their words."""
    with database.write() as s:
        rows = [
            outbox.write(
                s,
                to=f"c{n}@example.com",
                subject=f"Order {n}",
                text="x" * 800,
                html="<p>" + "x" * 1500 + "</p>",
            )
            for n in range(count)
        ]
    start, cpu = time.perf_counter(), time.process_time()
    with _counting(database) as statements:
        result = sender.drain(database, "bench")
    rate = result.sent / (time.perf_counter() - start)
    print(f"pre-rendered drain: {len(statements) / max(1, result.sent):.2f} statements an e-mail")
    cpu_ms = (time.process_time() - cpu) * 1000 / max(1, result.sent)
    assert result.sent == count, result
    with database.read() as s:
        settings = smtp_settings.smtp_settings(s)
        messages = [sender.build(s, s.get(OutboxMessage, r.id), settings) for r in rows]
    client = smtplib.SMTP("127.0.0.1", settings.port)
    start = time.perf_counter()
    for m in messages:
        client.sendmail("o@shop.example", [m["To"]], m.as_bytes())
    raw = count / (time.perf_counter() - start)
    client.quit()
    return rate, cpu_ms, raw


def _orders(
    database: db.Database, actor: auth.Actor, product: int, customer: int, n: int
) -> list[int]:
    ids = []
    for _ in range(n):
        with database.write() as s:
            ids.append(
                order_entry.create_order(
                    s, actor, OrderInput("phone", (LineInput(product, 1),), customer_id=customer)
                ).id
            )
    return ids


@dataclass
class RowCost:
    """Per accept, with the e-mail on and off: CPU ms of this process and wall ms (every
    accept's), the per-round differences of the medians, and the statements of one."""

    cpu: dict[bool, list[float]] = field(default_factory=lambda: {True: [], False: []})
    wall: dict[bool, list[float]] = field(default_factory=lambda: {True: [], False: []})
    cpu_diffs: list[float] = field(default_factory=list)
    wall_diffs: list[float] = field(default_factory=list)
    statements: dict[bool, int] = field(default_factory=dict)
    hook_cpu: float = 0.0
    hook_wall: float = 0.0


def _batch(
    database: db.Database, actor: auth.Actor, ids: list[int], on: bool, cost: RowCost
) -> tuple[float, float]:
    """Accept `ids` (the e-mail `on` or off); the batch's median CPU and wall ms. The
    first accept after the switch changed (it reads the e-mail settings again) is a
    warm-up, not counted; the garbage collector runs between accepts, not inside one."""
    counted: list[str] = []

    def count(_conn, _cursor, statement, _params, _context, _many):  # type: ignore[no-untyped-def]
        counted.append(statement)

    cpu, wall = [], []
    for index, order_id in enumerate(ids):
        counted.clear()
        gc.collect()
        sa_event.listen(database.engine, "before_cursor_execute", count)
        started, used = time.perf_counter(), time.process_time()
        with database.write() as s:
            order_actions.accept(s, actor, order_id)
        spent, waited = time.process_time() - used, time.perf_counter() - started
        sa_event.remove(database.engine, "before_cursor_execute", count)
        if index:
            cpu.append(spent * 1000)
            wall.append(waited * 1000)
            cost.statements[on] = len(counted)
    cost.cpu[on] += cpu
    cost.wall[on] += wall
    return statistics.median(cpu), statistics.median(wall)


def row_cost(
    database: db.Database, actor: auth.Actor, product: int, customer: int, n: int, rounds: int
) -> RowCost:
    """Accepts with the e-mail on and off, `rounds` rounds of a batch each way, the order
    of the two alternating (the machine's drift hits both), the collector held off while
    timing; each round gives one on-minus-off difference of its batches' medians. Then
    the hook alone."""
    cost = RowCost()
    size = max(3, n // (2 * rounds))
    gc.disable()
    try:
        for index in range(rounds):
            medians: dict[bool, tuple[float, float]] = {}
            for on in (False, True) if index % 2 == 0 else (True, False):
                with database.write() as s:
                    events.set_switch(s, actor, "accepted", on)
                ids = _orders(database, actor, product, customer, size)
                medians[on] = _batch(database, actor, ids, on, cost)
            cost.cpu_diffs.append(medians[True][0] - medians[False][0])
            cost.wall_diffs.append(medians[True][1] - medians[False][1])
    finally:
        gc.enable()
    with database.write() as s:
        events.set_switch(s, actor, "accepted", True)
    (order_id,) = _orders(database, actor, product, customer, 1)
    cpu, wall = [], []
    with database.write() as s:
        order = s.get(SalesOrder, order_id)
        for _ in range(n):
            started, used = time.perf_counter(), time.process_time()
            outbox.on_order_event(s, order, "accepted", "accepted", None, None)
            s.flush()
            cpu.append((time.process_time() - used) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
    cost.hook_cpu, cost.hook_wall = statistics.median(cpu), statistics.median(wall)
    return cost


def render_drain(database: db.Database, profile: bool) -> tuple[int, float, float]:
    """(how many, e-mails/s, CPU ms per e-mail): the e-mails row_cost's orders queued,
    drained; each is rendered (subject, text, HTML) when the sender takes it."""
    profiler = cProfile.Profile() if profile else None
    start, cpu = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    with _counting(database) as statements:
        result = sender.drain(database, "bench")
    if profiler is not None:
        profiler.disable()
    print(f"status-change drain: {len(statements) / max(1, result.sent):.2f} statements an e-mail")
    seconds, used = time.perf_counter() - start, time.process_time() - cpu
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    return result.sent, result.sent / seconds, used * 1000 / max(1, result.sent)


def interval(diffs: list[float], resamples: int = 4000) -> tuple[float, float, float]:
    """The median of the per-round differences and its 95% bootstrap interval (percentile
    method, a fixed seed: the same figures give the same interval)."""
    draw = random.Random(18)
    medians = sorted(
        statistics.median(draw.choices(diffs, k=len(diffs))) for _n in range(resamples)
    )
    low, high = medians[int(0.025 * resamples)], medians[int(0.975 * resamples) - 1]
    return statistics.median(diffs), low, high


def _difference(what: str, diffs: list[float]) -> str:
    mid, low, high = interval(diffs)
    mean, spread = statistics.fmean(diffs), statistics.stdev(diffs) if len(diffs) > 1 else 0.0
    verdict = "met" if high <= ROW_TARGET_MS else "not shown" if low <= ROW_TARGET_MS else "missed"
    return (
        f"accept with minus without, {what} ms over {len(diffs)} rounds: median {mid:.2f} "
        f"[95% {low:.2f} .. {high:.2f}], mean {mean:.2f} +- {1.96 * spread / len(diffs) ** 0.5:.2f}"
        f"; target <= {ROW_TARGET_MS} ms: {verdict}"
    )


def _report(engine: str, drained: tuple[float, float, float], cost: RowCost, rendered) -> None:  # type: ignore[no-untyped-def]
    rate, drain_cpu, raw = drained
    med = statistics.median
    print(f"engine: {engine}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(
        f"outbox drain, pre-rendered: {rate:,.0f} e-mails/s ({drain_cpu:.2f} ms CPU each; "
        f"raw smtplib {raw:,.0f}/s); target >= {DRAIN_TARGET:.0f}"
    )
    print(
        f"SQL statements of one accept: {cost.statements[True]} with its e-mail, "
        f"{cost.statements[False]} without"
    )
    print(
        f"accept, CPU ms: {med(cost.cpu[True]):.2f} with e-mail, {med(cost.cpu[False]):.2f} "
        f"without (medians of every accept)"
    )
    print(
        f"accept, wall ms: {med(cost.wall[True]):.2f} with e-mail, {med(cost.wall[False]):.2f} "
        f"without"
    )
    print(_difference("CPU", cost.cpu_diffs))
    print(_difference("wall", cost.wall_diffs))
    print(f"the hook alone (row + flush): {cost.hook_cpu:.2f} ms CPU, {cost.hook_wall:.2f} wall")
    count, rate_rendered, cpu_each = rendered
    print(
        f"drain of {count} status-change e-mails, rendered when sent: "
        f"{rate_rendered:,.0f} e-mails/s ({cpu_each:.2f} ms CPU each); "
        f"target >= {DRAIN_TARGET:.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--postgres", metavar="URL", default=None)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    port = free_port()
    ready, stop = multiprocessing.Event(), multiprocessing.Event()
    server = multiprocessing.Process(target=_serve, args=(port, ready, stop), daemon=True)
    server.start()
    ready.wait(30)
    try:
        with _url(args.postgres) as url:
            database = _store(url)
            actor, product, customer = _seed(database, port)
            drained = drain_rate(database, args.messages)
            cost = row_cost(database, actor, product, customer, args.changes, args.rounds)
            rendered = render_drain(database, args.profile)
            engine = database.engine.dialect.name
            database.dispose()
    finally:
        stop.set()
        server.join(10)
    _report(engine, drained, cost, rendered)


if __name__ == "__main__":
    main()
