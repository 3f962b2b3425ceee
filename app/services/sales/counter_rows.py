"""The counter sale's reads and rows through prebuilt Core statements.

A sale used to make its order through order_entry.create_order (ORM objects, three
flushes) and to read the till, the shop's warehouse, the walk-in customer, the customer
and the products one statement (and one ORM load) each, the products twice when the
cashier could not override prices. Here the till, the warehouse, the walk-in customer and
the customers' virtual location are one read (`context`), the customer and the products
one read each, and the order, its lines and its payments are inserted by statements built
once, with the very columns create_order writes (order_entry.line_values prices a line
for both).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, insert, select, text
from sqlalchemy.orm import Session

from app.core import driver_sql, numbering
from app.core.bootstrap import (
    VIRTUAL_LOCATIONS,
    default_warehouse_id,
    virtual_location_id,
    walk_in_customer_id,
)
from app.core.driver_sql import Prebuilt
from app.core.errors import NotFound
from app.core.i18n import _
from app.models import (
    CashSession,
    Location,
    LocationKind,
    NumberSequence,
    OrderLine,
    Party,
    Payment,
    Product,
    Warehouse,
)
from app.services.sales import orders

_CONTEXT = Prebuilt(
    select(
        select(CashSession.id)
        .where(CashSession.till == bindparam("till"), CashSession.status == "open")
        .order_by(CashSession.id)
        .limit(1)
        .scalar_subquery(),
        func.coalesce(  # the counter's warehouse, else bootstrap's default one
            select(Warehouse.id).where(Warehouse.code == bindparam("warehouse")).scalar_subquery(),
            select(Warehouse.id)
            .where(Warehouse.active.is_(True))
            .order_by(Warehouse.id)
            .limit(1)
            .scalar_subquery(),
        ),
        select(Party.id)
        .where(Party.is_walk_in.is_(True))
        .order_by(Party.id)
        .limit(1)
        .scalar_subquery(),
        select(Location.id)
        .where(Location.code == VIRTUAL_LOCATIONS[LocationKind.CUSTOMER][0])
        .scalar_subquery(),
    )
)
_PARTY = Prebuilt(
    select(Party.id, Party.name, Party.email, Party.phone).where(Party.id == bindparam("party_id"))
)
_PRODUCT_COLUMNS = (
    Product.id,
    Product.sku,
    Product.name,
    Product.price,
    Product.cost,
    Product.tax_rate_bp,
    Product.active,
    Product.track_stock,
    Product.tracking,
)
_PAYMENTS = Prebuilt(insert(Payment.__table__))
_LINES = Prebuilt(insert(OrderLine.__table__))
_LAST_LINE = Prebuilt(select(func.coalesce(func.max(OrderLine.id), 0)))
_LINE_IDS = Prebuilt(
    text("SELECT nextval(pg_get_serial_sequence('order_lines', 'id')) FROM generate_series(1, :n)")
)

_SEQUENCES = NumberSequence.__table__
_NEXT_NUMBER = Prebuilt(  # numbering.next_number's on SQLite
    _SEQUENCES.update()
    .where(_SEQUENCES.c.name == numbering.ORDER_SERIES)
    .values(next_value=_SEQUENCES.c.next_value + 1)
    .returning(_SEQUENCES.c.prefix, _SEQUENCES.c.width, _SEQUENCES.c.next_value)
)
_NEXT_PG_NUMBER = Prebuilt(numbering.PG_NEXT_ORDER)


@cache
def _products_read(count: int) -> Prebuilt:
    """The products read for `count` ids (a statement per cart size, built once)."""
    ids: list[Any] = [bindparam(f"id{n}") for n in range(count)]
    return Prebuilt(select(*_PRODUCT_COLUMNS).where(Product.id.in_(ids)))


@dataclass(frozen=True)
class Context:
    cash_session_id: int | None  # None: the till is not open
    warehouse_id: int
    walk_in_id: int
    customers_location_id: int


@dataclass(frozen=True)
class SaleProduct:
    """What a sale needs of a product (order_entry.line_values prices it)."""

    id: int
    sku: str
    name: str
    price: int
    cost: int
    tax_rate_bp: int
    active: bool
    track_stock: bool
    tracking: str


@dataclass(frozen=True)
class Customer:
    id: int
    name: str
    email: str
    phone: str


def context(session: Session, till: str, warehouse_code: str) -> Context:
    """The till's open session, the counter's warehouse (the default one if the shop has
    none of that code), the walk-in customer and the customers' location, in one read;
    base data a new database lacks is made as bootstrap makes it."""
    (row,) = driver_sql.read(session, _CONTEXT, {"till": till, "warehouse": warehouse_code})
    cash_session_id, warehouse_id, walk_in_id, customers_id = row
    return Context(
        cash_session_id,
        warehouse_id if warehouse_id is not None else default_warehouse_id(session),
        walk_in_id if walk_in_id is not None else walk_in_customer_id(session),
        customers_id
        if customers_id is not None
        else virtual_location_id(session, LocationKind.CUSTOMER),
    )


def customer(session: Session, party_id: int) -> Customer:
    rows = driver_sql.read(session, _PARTY, {"party_id": party_id})
    if not rows:
        raise NotFound(_("Customer {party_id} does not exist.").format(party_id=party_id))
    return Customer(*rows[0])


def products(session: Session, product_ids: set[int]) -> dict[int, SaleProduct]:
    """The cart's products by id, one read (a missing one is simply not there)."""
    ids = sorted(product_ids)
    rows = driver_sql.read(
        session, _products_read(len(ids)), {f"id{n}": i for n, i in enumerate(ids)}
    )
    return {
        pid: SaleProduct(pid, sku, name, price, cost, rate, bool(active), bool(track), tracking)
        for pid, sku, name, price, cost, rate, active, track, tracking in rows
    }


def order_number(session: Session) -> str:
    """numbering.next_order_number in one statement on the cursor; a series this
    database lacks, or a floor the sequence fell under, through numbering itself."""
    if session.get_bind().dialect.name == "postgresql":
        rows = driver_sql.read(session, _NEXT_PG_NUMBER, {"name": numbering.ORDER_SERIES})
        if rows and rows[0][3] >= rows[0][2]:
            prefix, width, _floor, value = rows[0]
            return numbering.format_number(prefix, width, value)
    else:
        rows = driver_sql.execute(session, _NEXT_NUMBER, {}).fetchall()
        if rows:
            prefix, width, following = rows[0]
            return numbering.format_number(prefix, width, following - 1)
    return numbering.next_order_number(session)


def insert_order(
    session: Session, values: dict[str, Any], lines: list[dict[str, Any]]
) -> tuple[int, list[int]]:
    """The order row (`values`: its columns but the id and the tracking token) and its
    lines; their ids, the lines' in order."""
    order_id = orders.insert_counter_sale(
        session, {**values, "tracking_token": secrets.token_urlsafe(32)}
    )
    line_ids = _line_ids(session, len(lines))
    driver_sql.executemany(
        session,
        _LINES,
        [{**line, "order_id": order_id, "id": i} for line, i in zip(lines, line_ids, strict=True)],
    )
    return order_id, line_ids


def _line_ids(session: Session, count: int) -> list[int]:
    """bulk_insert.insert_with_ids' ids: the sequence's on PostgreSQL, after MAX(id) on
    SQLite (the sale holds the write lock: BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        return [i for (i,) in driver_sql.read(session, _LINE_IDS, {"n": count})]
    ((last,),) = driver_sql.read(session, _LAST_LINE, {})
    return list(range(last + 1, last + 1 + count))


def insert_payments(session: Session, rows: list[dict[str, Any]]) -> None:
    driver_sql.executemany(session, _PAYMENTS, rows)
