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
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from app.core.bootstrap import (
    VIRTUAL_LOCATIONS,
    default_warehouse_id,
    virtual_location_id,
    walk_in_customer_id,
)
from app.core.bulk_insert import insert_with_ids
from app.core.errors import NotFound
from app.core.i18n import _
from app.models import (
    CashSession,
    Location,
    LocationKind,
    OrderLine,
    Party,
    Payment,
    Product,
    Warehouse,
)
from app.services.sales import orders

_CONTEXT = select(
    select(CashSession.id)
    .where(CashSession.till == bindparam("till"), CashSession.status == "open")
    .order_by(CashSession.id)
    .limit(1)
    .scalar_subquery(),
    select(Warehouse.id).where(Warehouse.code == bindparam("warehouse")).scalar_subquery(),
    select(Party.id)
    .where(Party.is_walk_in.is_(True))
    .order_by(Party.id)
    .limit(1)
    .scalar_subquery(),
    select(Location.id)
    .where(Location.code == VIRTUAL_LOCATIONS[LocationKind.CUSTOMER][0])
    .scalar_subquery(),
)
_PARTY = select(Party.id, Party.name, Party.email, Party.phone).where(
    Party.id == bindparam("party_id")
)
_PRODUCTS = select(
    Product.id,
    Product.sku,
    Product.name,
    Product.price,
    Product.cost,
    Product.tax_rate_bp,
    Product.active,
    Product.track_stock,
    Product.tracking,
).where(Product.id.in_(bindparam("ids", expanding=True)))
_PAYMENTS = insert(Payment.__table__)


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
    row = session.execute(_CONTEXT, {"till": till, "warehouse": warehouse_code}).one()
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
    row = session.execute(_PARTY, {"party_id": party_id}).first()
    if row is None:
        raise NotFound(_("Customer {party_id} does not exist.").format(party_id=party_id))
    return Customer(row.id, row.name, row.email, row.phone)


def products(session: Session, product_ids: set[int]) -> dict[int, SaleProduct]:
    """The cart's products by id, one read (a missing one is simply not there)."""
    rows = session.execute(_PRODUCTS, {"ids": sorted(product_ids)})
    return {row.id: SaleProduct(*row) for row in rows}


def insert_order(
    session: Session, values: dict[str, Any], lines: list[dict[str, Any]]
) -> tuple[int, list[int]]:
    """The order row (`values`: its columns but the id and the tracking token) and its
    lines; their ids, the lines' in order."""
    order_id = orders.insert_counter_sale(
        session, {**values, "tracking_token": secrets.token_urlsafe(32)}
    )
    line_ids = insert_with_ids(
        session, OrderLine.__table__, [{**line, "order_id": order_id} for line in lines]
    )
    return order_id, line_ids


def insert_payments(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(_PAYMENTS, rows)
