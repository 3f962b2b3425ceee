"""The demo's order history: two years of counter sales and shipped orders, and a few
recent ones in every active status, written as bulk rows with their lines, events, stock
moves and payments, so the ledger and the order totals agree.

A loader of a made-up past, not a status change: it writes rows (core.bulk, no actor, no
audit) and never goes through the order lifecycle. The random draws happen in a fixed
order, so one seed always makes the same store.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update

from app.admin.demo.builder import Builder, DemoStats
from app.admin.demo.columns import EVENT_COLS, LINE_COLS, MOVE_COLS, ORDER_COLS, PAY_COLS
from app.admin.demo.data import (
    ACTIVE_STATUSES,
    DEMO_ACTOR_NAME,
    HISTORY_STATUSES,
    SENT,
    SHIP_CHANNELS,
)
from app.core.bootstrap import virtual_location_id
from app.core.bulk import insert_rows, next_id
from app.core.money import line_amounts
from app.core.numbering import ORDER_SERIES, sync_pg_order_sequence
from app.core.sentence import Sentence, said, term
from app.models import Location, LocationKind, NumberSequence
from app.services.sales.order_list import CHANNEL_LABELS
from app.services.sales.orders import STATUS_LABELS

TABLES = {
    "sales_orders": ORDER_COLS,
    "order_lines": LINE_COLS,
    "order_events": EVENT_COLS,
    "stock_moves": MOVE_COLS,
    "payments": PAY_COLS,
}
CONSUMED = ("delivered", "shipped", "completed")  # stock left with the order
RESERVING = ("confirmed", "picking", "packed")  # stock held for the order


@dataclass
class _Rows:
    """Rows waiting to be written, the next id of each table, and how many were written."""

    ids: dict[str, int]
    pending: dict[str, list[tuple[object, ...]]] = field(
        default_factory=lambda: {table: [] for table in TABLES}
    )
    totals: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, table: str, *row: object) -> int:
        """Queue one row under the table's next id; returns that id."""
        row_id = self.ids[table]
        self.ids[table] += 1
        self.pending[table].append((row_id, *row))
        return row_id

    def flush(self, b: Builder) -> None:
        for table, rows in self.pending.items():
            self.totals[table] += insert_rows(b.s, table, TABLES[table], rows)
            rows.clear()


@dataclass
class _Order:
    """One order being made up: who, where, when, and what its lines came to."""

    id: int
    status: str
    channel: str
    created: datetime
    customer: int
    held_confirmed: bool
    subtotal: int = 0
    tax_total: int = 0
    total: int = 0
    reserved_any: bool = False

    @property
    def counter(self) -> bool:
        return self.channel == "counter"


def orders(b: Builder, count: int, bins: list[int], stats: DemoStats) -> None:
    """`count` orders spread over the last two years; the last fiftieth are still active."""
    if not count:
        return
    s = b.s
    customer_loc = virtual_location_id(s, LocationKind.CUSTOMER)
    warehouses = (
        s.scalar(select(Location.warehouse_id).where(Location.id == bins[0])),
        s.scalar(select(Location.warehouse_id).where(Location.id == b.counter_bin)),
    )
    rows = _Rows({table: next_id(s, table) for table in TABLES})
    first_order = rows.ids["sales_orders"]
    span = timedelta(days=730).total_seconds()
    active_from = count - max(1, count // 50)
    for i in range(count):
        created = b.now - timedelta(seconds=span * (1 - i / count)) - timedelta(minutes=30)
        active = i - active_from if i >= active_from else None
        order = _start_order(b, rows.ids["sales_orders"], created, active)
        _add_lines(b, rows, order, customer_loc)
        _add_order(b, rows, order, warehouses)
        if len(rows.pending["order_lines"]) >= 50_000:
            rows.flush(b)
            b.tick("orders", i, count)
    rows.flush(b)
    stats.rows.update(rows.totals)
    s.execute(
        update(NumberSequence)
        .where(NumberSequence.name == ORDER_SERIES)
        .values(next_value=first_order + count)
    )
    sync_pg_order_sequence(s)


def _start_order(b: Builder, order_id: int, created: datetime, active: int | None) -> _Order:
    """Status, channel and customer: the `active`-th recent order takes the next status in
    the cycle; the past is mostly delivered, four in ten at the counter."""
    rng = b.rng
    if active is not None:
        status = ACTIVE_STATUSES[active % len(ACTIVE_STATUSES)]
        channel = rng.choice(SHIP_CHANNELS)
    elif rng.random() < 0.4:
        status, channel = "completed", "counter"
    else:
        status, channel = rng.choice(HISTORY_STATUSES), rng.choice(SHIP_CHANNELS)
    customer = rng.randrange(len(b.customer_ids))
    held_confirmed = status == "on_hold" and rng.random() < 0.5
    return _Order(order_id, status, channel, created, customer, held_confirmed)


def _add_lines(b: Builder, rows: _Rows, order: _Order, customer_loc: int) -> None:
    """One to four lines, each with the stock move its status implies."""
    rng = b.rng
    for line_no in range(1, rng.choice((1, 1, 2, 2, 3, 4)) + 1):
        p = rng.randrange(len(b.prices))
        qty = rng.choice((1, 1, 1, 2, 3))
        price, rate = b.prices[p], b.taxes[p]
        amounts = line_amounts(qty, price, 0, rate, b.inclusive)
        order.subtotal += amounts.net
        order.tax_total += amounts.tax
        order.total += amounts.total
        sku, pname = b.names[p]
        shipped = qty if order.status in SENT and not order.counter else 0
        line_id = rows.add(
            "order_lines",
            order.id,
            line_no,
            b.first_product + p,
            sku,
            pname,
            qty,
            price,
            0,
            rate,
            amounts.net,
            amounts.tax,
            amounts.total,
            shipped,
        )
        _move_stock(b, rows, order, (p, qty, line_id), customer_loc)


def _move_stock(
    b: Builder, rows: _Rows, order: _Order, line: tuple[int, int, int], customer_loc: int
) -> None:
    """A line's stock: gone with the order, reserved for it, or only checked (accepted)."""
    p, qty, line_id = line
    bin_id = b.counter_bin if order.counter else b.product_bin[p]
    key = (p, bin_id)
    status, created = order.status, order.created
    if status in CONSUMED:
        state, done_at = "done", created
        b.done[key] += qty
    elif status in RESERVING or (status == "on_hold" and order.held_confirmed):
        state, done_at = "reserved", None
        b.reserved[key] += qty
        order.reserved_any = True
    else:
        if status == "accepted":
            b.accepted[key] += qty
        return
    rows.add(
        "stock_moves",
        b.first_product + p,
        qty,
        bin_id,
        customer_loc,
        state,
        "order_line",
        line_id,
        "",
        None,
        created,
        done_at,
    )


def _add_order(
    b: Builder, rows: _Rows, order: _Order, warehouses: tuple[int | None, int | None]
) -> None:
    """The order row, its timeline (created, then its status), and a counter sale's payment."""
    name, email, phone, (street, city, postcode, country) = b.customer_rows[order.customer]
    counter = order.counter
    # a held order keeps its reservations if it was confirmed before the hold
    held_from = ("confirmed" if order.reserved_any else "new") if order.status == "on_hold" else ""
    ship = ("", "", "", "", "") if counter else (name, street, city, postcode, country)
    rows.add(
        "sales_orders",
        f"SO-{order.id:06d}",
        order.channel,
        order.status,
        held_from,
        b.customer_ids[order.customer],
        name,
        "" if counter else email,
        phone,
        *ship,
        "",
        "",
        warehouses[1] if counter else warehouses[0],
        b.currency,
        order.subtotal,
        order.tax_total,
        order.total,
        "",
        "",
        order.created,
        order.created,
        1,
    )
    _add_events(b, rows, order)
    if counter:
        _add_payment(b, rows, order)


def _sentence(words: Sentence) -> tuple[str, str]:
    """The timeline's message and data columns, as the services write them: the demo's
    history reads in each reader's language too."""
    return words.english(), json.dumps(words.as_data())


def _add_events(b: Builder, rows: _Rows, order: _Order) -> None:
    created, status = order.created, order.status
    event = (None, DEMO_ACTOR_NAME, "demo")  # user id, user name, workstation
    channel = term(CHANNEL_LABELS, order.channel)
    rows.add(
        "order_events",
        order.id,
        created,
        *event,
        "created",
        "",
        "new",
        *_sentence(said("Order created ({channel})", channel=channel)),
    )
    if status in SENT and not order.counter:
        b.sent.append((order.id, created, status == "delivered"))
    if status != "new":
        at = created + timedelta(minutes=b.rng.randrange(5, 600))
        rows.add(
            "order_events",
            order.id,
            at,
            *event,
            "status",
            "new",
            status,
            *_sentence(said("Now {status}", status=term(STATUS_LABELS, status))),
        )


def _add_payment(b: Builder, rows: _Rows, order: _Order) -> None:
    """Cash rounded up to the next note (with change), or card for the exact total."""
    method = b.rng.choice(("cash", "card", "card"))
    total = order.total
    tendered = -(-total // 500) * 500 if method == "cash" else None
    change = (tendered - total) if tendered is not None else None
    rows.add("payments", order.id, method, "payment", total, tendered, change, "", order.created)
