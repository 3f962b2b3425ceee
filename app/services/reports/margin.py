"""`margin` (by product) and `margin_categories`: revenue, cost and margin of what was
sold. Cost is the average cost the stock side keeps on each product (products.cost,
moved on every receipt by purchasing/costing.py): today's average, not the one on the
day of the sale, since Kestrel keeps no cost history per move."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.core.i18n import N_, _, ngettext
from app.models import Category, Product, ReportLineDay
from app.services.reports import common, fold_sql, summaries
from app.services.reports.base import (
    Cancelled,
    Chart,
    Column,
    Filters,
    ReportDef,
    ReportResult,
    register,
)

LIMIT = 200
# whole sentences each (a translator cannot reorder pieces glued together)
BY_PRODUCT = (
    "margin",
    N_("Margin by product"),
    N_(
        "Per product (the {limit} with most revenue; totals of those) of order lines placed "
        "in the range and not cancelled: revenue = line totals without tax; cost = units x "
        "the product's average cost (as it is now); margin = revenue - cost; margin % = "
        "margin / revenue."
    ),
)
BY_CATEGORY = (
    "margin_categories",
    N_("Margin by category"),
    N_(
        "Per category of order lines placed in the range and not cancelled: revenue = line "
        "totals without tax; cost = units x the product's average cost (as it is now); "
        "margin = revenue - cost; margin % = margin / revenue."
    ),
)
MONEY = (
    Column("quantity", N_("Quantity"), "quantity"),
    Column("revenue", N_("Revenue"), "money"),
    Column("cost", N_("Cost"), "money"),
    Column("margin", N_("Margin"), "money"),
    Column("margin_pct", N_("Margin %"), "percent"),
)
PRODUCT_COLUMNS = (Column("sku", N_("SKU")), Column("name", N_("Product")), *MONEY)
CATEGORY_COLUMNS = (Column("category", N_("Category")), *MONEY)
TOTALS = ("quantity", "revenue", "cost", "margin")


def _base(session: Session, ctx: common.Context, filters: Filters, *keys: Any) -> Any:
    """The lines of the range (summaries and live) with today's product: cost = units x
    its average cost now, uncosted = lines of a product without a cost."""
    both = summaries.combined(
        session, filters, ctx, fold_sql.line_sums, ReportLineDay, ("product_id", "currency")
    )
    uncosted = func.sum(case((Product.cost == 0, both.c.lines), else_=0))
    query = (
        select(
            *keys,
            both.c.currency,
            func.sum(both.c.quantity),
            func.sum(both.c.net),
            func.sum(both.c.quantity * Product.cost),
            uncosted,
            func.sum(both.c.lines),
        )
        .select_from(both)
        .join(Product, Product.id == both.c.product_id)
    )
    if ctx.category_id is not None:
        query = query.where(Product.category_id == ctx.category_id)
    return query, both


def _row(keys: dict[str, object], qty: int, revenue: int, cost: int) -> dict[str, object]:
    margin = revenue - cost
    pct = margin * 10_000 // revenue if revenue else None
    return {**keys, "quantity": qty, "revenue": revenue, "cost": cost, "margin": margin} | {
        "margin_pct": pct
    }


def _notes(uncosted: int, lines: int) -> tuple[str, ...]:
    if lines and uncosted == lines:
        return (
            _(
                "No costs recorded yet (receiving a purchase order sets them): cost shows 0 "
                "and margin equals revenue."
            ),
        )
    if uncosted:
        return (
            ngettext(
                "{count} line sold a product with no cost yet: counted at cost 0.",
                "{count} lines sold a product with no cost yet: counted at cost 0.",
                uncosted,
            ).format(count=uncosted),
        )
    return ()


def by_product(session: Session, filters: Filters, _cancelled: Cancelled) -> ReportResult:
    ctx = common.context(session, filters)
    query, both = _base(session, ctx, filters, Product.sku, Product.name)
    query = (
        query.group_by(Product.id, Product.sku, Product.name, both.c.currency)
        .order_by(func.sum(both.c.net).desc(), Product.sku)
        .limit(LIMIT)
    )
    found = session.execute(query).all()
    currency = common.one_currency((r[2] for r in found), ctx.currency)
    uncosted, lines = sum(int(r[6]) for r in found), sum(int(r[7]) for r in found)
    rows = [
        _row({"sku": sku, "name": name}, int(q), int(rev), int(cost))
        for sku, name, _c, q, rev, cost, _u, _n in found
    ]
    return common.result(
        BY_PRODUCT,
        filters,
        ctx,
        PRODUCT_COLUMNS,
        rows,
        Chart("bar", x="sku", series=("revenue", "cost")),
        _notes(uncosted, lines),
        TOTALS,
        currency,
    )


def by_category(session: Session, filters: Filters, _cancelled: Cancelled) -> ReportResult:
    ctx = common.context(session, filters)
    name = func.coalesce(Category.name, "(no category)")
    query, both = _base(session, ctx, filters, name)
    query = (
        query.outerjoin(Category, Category.id == Product.category_id)
        .group_by(name, both.c.currency)
        .order_by(name)
    )
    found = session.execute(query).all()
    currency = common.one_currency((r[1] for r in found), ctx.currency)
    rows = [
        _row({"category": cat}, int(q), int(rev), int(cost))
        for cat, _c, q, rev, cost, _u, _n in found
    ]
    return common.result(
        BY_CATEGORY,
        filters,
        ctx,
        CATEGORY_COLUMNS,
        rows,
        Chart("bar", x="category", series=("revenue", "cost")),
        _notes(sum(int(r[5]) for r in found), sum(int(r[6]) for r in found)),
        TOTALS,
        currency,
    )


USES = frozenset({"warehouse", "channel", "category"})
register(ReportDef(*BY_PRODUCT, USES, by_product, LIMIT))
register(ReportDef(*BY_CATEGORY, USES, by_category))
