"""Customer e-mails (issue 18): the outbox's drain rate to an SMTP server on loopback
(aiosmtpd, which keeps every message), next to raw smtplib sends of the same messages on
one connection (the floor); and what writing the outbox row adds to a status change (an
order accepted with its e-mail switched on, against switched off: the difference of the
medians), and the hook alone (the row, unrendered) timed inside one transaction; then the
drain of those status changes' e-mails, which the sender renders as it takes them.

`python -m bench.outbox [--messages N] [--changes N] [--postgres]` on a fresh store in a
temporary folder. Targets: drain >= 50 e-mails/s; the row <= 1 ms per status change.
"""

from __future__ import annotations

import argparse
import email.policy
import multiprocessing
import smtplib
import socket
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import event as sa_event

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


def _store(url: str | None) -> db.Database:
    if url is None:
        folder = Path(tempfile.mkdtemp(prefix="kestrel-bench-mail-"))
        url = f"sqlite:///{folder / 'bench.sqlite'}"
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


def drain_rate(database: db.Database, count: int) -> tuple[float, float]:
    """(outbox e-mails/s, raw smtplib sends/s) for `count` messages."""
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
    start = time.perf_counter()
    result = sender.drain(database, "bench")
    rate = result.sent / (time.perf_counter() - start)
    assert result.sent == count, result
    with database.read() as s:
        settings = smtp_settings.smtp_settings(s)
        messages = [sender.build(s, s.get(OutboxMessage, r.id), settings) for r in rows]
    client = smtplib.SMTP("127.0.0.1", settings.port)
    start = time.perf_counter()
    for m in messages:
        client.sendmail("o@shop.example", [m["To"]], m.as_bytes(policy=email.policy.SMTP))
    raw = count / (time.perf_counter() - start)
    client.quit()
    return rate, raw


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


def row_cost(
    database: db.Database, actor: auth.Actor, product: int, customer: int, n: int
) -> tuple[float, float, float, dict[bool, int]]:
    """(median accept ms with the e-mail on, off, the hook alone in ms, and the SQL
    statements of one accept with the e-mail on and off: the figure a loaded machine
    cannot blur)."""
    timings: dict[bool, list[float]] = {True: [], False: []}
    statements: dict[bool, int] = {}
    counted: list[str] = []

    def count(_conn, _cursor, statement, _params, _context, _many):  # type: ignore[no-untyped-def]
        counted.append(statement)

    for on in (False, True, False, True):  # interleaved: the machine's drift hits both
        with database.write() as s:
            events.set_switch(s, actor, "accepted", on)
        for order_id in _orders(database, actor, product, customer, n // 2):
            counted.clear()
            sa_event.listen(database.engine, "before_cursor_execute", count)
            start = time.perf_counter()
            with database.write() as s:
                order_actions.accept(s, actor, order_id)
            timings[on].append((time.perf_counter() - start) * 1000)
            sa_event.remove(database.engine, "before_cursor_execute", count)
            statements[on] = len(counted)  # the last: the settings are warm by then
    hook = []
    with database.write() as s:
        events.set_switch(s, actor, "accepted", True)
    with database.write() as s:
        order = s.get(SalesOrder, _orders(database, actor, product, customer, 1)[0])
    with database.write() as s:
        order = s.get(SalesOrder, order.id)
        for _ in range(n):
            start = time.perf_counter()
            outbox.on_order_event(s, order, "accepted", "accepted", None, None)
            s.flush()
            hook.append((time.perf_counter() - start) * 1000)
    return (
        statistics.median(timings[True]),
        statistics.median(timings[False]),
        statistics.median(hook),
        statements,
    )


def render_drain(database: db.Database) -> tuple[int, float]:
    """(how many, e-mails/s): the e-mails row_cost's orders queued, drained; each is
    rendered (subject, text, HTML) when the sender takes it."""
    start = time.perf_counter()
    result = sender.drain(database, "bench")
    return result.sent, result.sent / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=400)
    parser.add_argument("--postgres", metavar="URL", default=None)
    args = parser.parse_args()
    port = free_port()
    ready, stop = multiprocessing.Event(), multiprocessing.Event()
    server = multiprocessing.Process(target=_serve, args=(port, ready, stop), daemon=True)
    server.start()
    ready.wait(30)
    try:
        database = _store(args.postgres)
        actor, product, customer = _seed(database, port)
        rate, raw = drain_rate(database, args.messages)
        on, off, hook, statements = row_cost(database, actor, product, customer, args.changes)
        rendered = render_drain(database)
    finally:
        stop.set()
        server.join(10)
    engine = database.engine.dialect.name
    print(f"engine: {engine}")
    print(
        f"outbox drain: {rate:,.0f} e-mails/s (raw smtplib {raw:,.0f}/s); "
        f"target >= {DRAIN_TARGET:.0f}"
    )
    print(f"accept with e-mail: {on:.2f} ms, without: {off:.2f} ms, difference {on - off:.2f} ms")
    print(
        f"SQL statements of one accept: {statements[True]} with its e-mail, "
        f"{statements[False]} without"
    )
    print(f"the hook alone (row + flush): {hook:.2f} ms; target <= {ROW_TARGET_MS} ms")
    count, rate_rendered = rendered
    print(
        f"drain of {count} status-change e-mails, rendered when sent: "
        f"{rate_rendered:,.0f} e-mails/s; target >= {DRAIN_TARGET:.0f}"
    )


if __name__ == "__main__":
    main()
