"""A realistic demo store: named products with valid EAN-13 codes, two warehouses with bins
in walking order, stock, customers, and orders in every status with a consistent ledger.

Built with bulk inserts inside the caller's transaction, so it can make a million
products and a million orders for benchmarks, and a cancelled build leaves nothing.
The stages live beside this module: `data` (the made-up world), `builder` (the state one
build carries, users, bins), `catalogue` (products, customers), `orders` (the history),
`stock` (opening stock) and `fulfilment` (carriers, a wave, parcels).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.admin.demo import catalogue, fulfilment, stock
from app.admin.demo import orders as history
from app.admin.demo.builder import Builder, Cancelled, DemoStats, Progress, locations, users
from app.admin.demo.columns import SERIAL_TABLES
from app.admin.demo.data import (
    DEMO_ACTOR_NAME,
    DEMO_PASSWORD,
    DEMO_USERS,
    ITEMS,
    SENT,
    shelf_price,
    sku_prefix,
)
from app.core.auth import Actor, Permission, require
from app.core.bootstrap import ensure_base_data
from app.core.bulk import sync_sequences
from app.core.errors import ValidationError
from app.core.i18n import _
from app.models import Product, SalesOrder

__all__ = [
    "DEMO_ACTOR_NAME",
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "ITEMS",
    "SENT",
    "Cancelled",
    "DemoStats",
    "Progress",
    "build_demo",
    "shelf_price",
    "sku_prefix",
]


def _check(n: int, label: str, maximum: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0 or n > maximum:
        raise ValidationError(
            _("{label} must be a whole number from 0 to {maximum:,}.").format(
                label=label, maximum=maximum
            )
        )
    return n


def build_demo(
    session: Session,
    actor: Actor,
    products: int = 300,
    customers: int = 80,
    orders: int = 400,
    seed: int = 7,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    with_users: bool = True,
) -> DemoStats:
    """Fill an empty store. Refuses a store that already has products or orders."""
    require(actor, Permission.DEMO_LOAD)
    products = _check(products, "Products", 5_000_000)
    customers = _check(customers, "Customers", 5_000_000)
    orders = _check(orders, "Orders", 5_000_000)
    if orders and not (products and customers):
        raise ValidationError(_("Orders need at least one product and one customer."))
    if session.scalar(select(func.count()).select_from(Product)) or session.scalar(
        select(func.count()).select_from(SalesOrder)
    ):
        raise ValidationError(_("The demo store goes into an empty store only; this one has data."))
    started = time.perf_counter()
    ensure_base_data(session)
    builder = Builder(session, actor, random.Random(seed), progress, cancelled)
    stats = DemoStats()
    if with_users:
        users(builder, stats)
    bins = locations(builder, stats)
    catalogue.products(builder, products, stats)
    catalogue.customers(builder, customers, stats)
    history.orders(builder, orders, bins, stats)
    stock.stock(builder, stats)
    sync_sequences(session, SERIAL_TABLES)
    fulfilment.fulfilment(builder)
    fulfilment.shipments(builder, stats)
    stats.seconds = time.perf_counter() - started
    return stats
