"""`low_stock` and `overstock`: products whose free stock in a warehouse is below its
reorder rule's minimum, or above its maximum (purchasing's reorder rules)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.i18n import N_, _
from app.models import Location, LocationKind, Product, ReorderRule, StockLevel, Warehouse
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

LIMIT = 500
LOW = (
    "low_stock",
    N_("Low stock"),
    N_(
        "Now (the date range is not used): products with an active reorder rule whose free "
        "stock (on hand - reserved in the warehouse's bins) is below the rule's minimum; "
        "short = minimum - free. The {limit} shortest first."
    ),
)
OVER = (
    "overstock",
    N_("Overstock"),
    N_(
        "Now (the date range is not used): products with an active reorder rule whose stock "
        "on hand in the warehouse is above the rule's maximum; excess = on hand - maximum. "
        "The {limit} largest first."
    ),
)
COLUMNS = (
    Column("warehouse", N_("Warehouse")),
    Column("sku", N_("SKU")),
    Column("name", N_("Product")),
    Column("on_hand", N_("On hand"), "quantity"),
    Column("free", N_("Free"), "quantity"),
    Column("min", N_("Minimum"), "quantity"),
    Column("max", N_("Maximum"), "quantity"),
    Column("gap", N_("Short / excess"), "quantity"),
)


def _levels() -> Any:
    """On hand and reserved per product and warehouse (bins only)."""
    return (
        select(
            StockLevel.product_id,
            Location.warehouse_id,
            func.sum(StockLevel.on_hand).label("on_hand"),
            func.sum(StockLevel.reserved).label("reserved"),
        )
        .join(Location, Location.id == StockLevel.location_id)
        .where(Location.kind == LocationKind.INTERNAL)
        .group_by(StockLevel.product_id, Location.warehouse_id)
        .subquery()
    )


def _run(session: Session, filters: Filters, over: bool) -> ReportResult:
    ctx = common.context(session, filters)
    levels = _levels()
    on_hand = func.coalesce(levels.c.on_hand, 0)
    free = on_hand - func.coalesce(levels.c.reserved, 0)
    gap = on_hand - ReorderRule.max_qty if over else ReorderRule.min_qty - free
    query = (
        select(Warehouse.code, Product.sku, Product.name, on_hand, free)
        .add_columns(ReorderRule.min_qty, ReorderRule.max_qty, gap)
        .select_from(ReorderRule)
        .join(Product, Product.id == ReorderRule.product_id)
        .join(Warehouse, Warehouse.id == ReorderRule.warehouse_id)
        .outerjoin(
            levels,
            (levels.c.product_id == ReorderRule.product_id)
            & (levels.c.warehouse_id == ReorderRule.warehouse_id),
        )
        .where(ReorderRule.active.is_(True), gap > 0)
        .order_by(gap.desc(), Product.sku)
        .limit(LIMIT)
    )
    if ctx.warehouse_id is not None:
        query = query.where(ReorderRule.warehouse_id == ctx.warehouse_id)
    if ctx.category_id is not None:
        query = query.where(Product.category_id == ctx.category_id)
    keys = [c.key for c in COLUMNS]
    rows: list[dict[str, object]] = [
        dict(zip(keys, (w, sku, name, *map(int, nums)), strict=True))
        for w, sku, name, *nums in session.execute(query)
    ]
    has_rules = session.scalar(select(func.count()).select_from(ReorderRule)) or 0
    notes: tuple[str, ...] = ()
    if not has_rules:
        notes = (
            _("No reorder rules yet: `kestrel reorder-rule set` gives a minimum and maximum."),
        )
    elif not rows:
        notes = (
            _("Nothing is above its maximum.") if over else _("Nothing is below its minimum."),
        )
    return common.result(
        OVER if over else LOW,
        filters,
        ctx,
        COLUMNS,
        rows,
        Chart("bar", x="sku", series=("gap",)),
        notes,
    )


def low(session: Session, filters: Filters, _cancelled: Cancelled) -> ReportResult:
    return _run(session, filters, over=False)


def overstock(session: Session, filters: Filters, _cancelled: Cancelled) -> ReportResult:
    return _run(session, filters, over=True)


register(ReportDef(*LOW, frozenset({"warehouse", "category"}), low, LIMIT))
register(ReportDef(*OVER, frozenset({"warehouse", "category"}), overstock, LIMIT))
