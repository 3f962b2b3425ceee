"""`stock_value`: what the stock on the shelves is worth now, per warehouse, at the
average cost the stock side keeps (products.cost, moved on every receipt)."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.core.i18n import N_, _
from app.models import Location, LocationKind, Product, StockLevel, Warehouse
from app.services.reports import common
from app.services.reports.base import (
    Cancelled,
    Chart,
    Column,
    Filters,
    ReportDef,
    ReportResult,
    register,
)

REPORT = (
    "stock_value",
    N_("Stock value by warehouse"),
    N_(
        "Per warehouse, now (the date range is not used): products = products on hand; "
        "units = units on hand in its bins; value = units x each product's average cost; "
        "uncosted = units of products with no cost yet (valued at 0)."
    ),
)
COLUMNS = (
    Column("warehouse", N_("Warehouse")),
    Column("name", N_("Name")),
    Column("products", N_("Products"), "int"),
    Column("units", N_("Units"), "quantity"),
    Column("value", N_("Value"), "money"),
    Column("uncosted", N_("Units without cost"), "quantity"),
)


def run(session: Session, filters: Filters, _cancelled: Cancelled) -> ReportResult:
    ctx = common.context(session, filters)
    query = (
        select(
            Warehouse.code,
            Warehouse.name,
            func.count(func.distinct(StockLevel.product_id)),
            func.sum(StockLevel.on_hand),
            func.sum(StockLevel.on_hand * Product.cost),
            func.sum(case((Product.cost == 0, StockLevel.on_hand), else_=0)),
        )
        .select_from(StockLevel)
        .join(Location, Location.id == StockLevel.location_id)
        .join(Warehouse, Warehouse.id == Location.warehouse_id)
        .join(Product, Product.id == StockLevel.product_id)
        .where(Location.kind == LocationKind.INTERNAL, StockLevel.on_hand > 0)
        .group_by(Warehouse.id, Warehouse.code, Warehouse.name)
        .order_by(Warehouse.code)
    )
    if ctx.warehouse_id is not None:
        query = query.where(Warehouse.id == ctx.warehouse_id)
    if ctx.category_id is not None:
        query = query.where(Product.category_id == ctx.category_id)
    rows: list[dict[str, object]] = [
        {"warehouse": code, "name": name, "products": int(p), "units": int(u)}
        | {"value": int(v), "uncosted": int(x)}
        for code, name, p, u, v, x in session.execute(query)
    ]
    notes: tuple[str, ...] = ()
    if rows and all(r["uncosted"] == r["units"] for r in rows):
        notes = (
            _(
                "None of the stock on hand has a cost yet (receiving a purchase order sets "
                "the average cost): values are 0."
            ),
        )
    elif not rows:
        notes = (_("No stock on hand."),)
    return common.result(
        REPORT,
        filters,
        ctx,
        COLUMNS,
        rows,
        Chart("bar", x="warehouse", series=("value",)),
        notes,
        ("products", "units", "value", "uncosted"),
    )


register(ReportDef(*REPORT, frozenset({"warehouse", "category"}), run))
