"""`top_products`: what sold most in the range, by revenue, with the units behind it."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.i18n import N_
from app.models import Product, ReportLineDay
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

LIMIT = 50
REPORT = (
    "top_products",
    N_("Top products"),
    N_(
        "The {limit} products with the most revenue from orders placed in the range and not "
        "cancelled: quantity = units ordered; revenue = line totals with tax, after discounts; "
        "net = the same without tax. Refunds are not taken off (see sales)."
    ),
)
COLUMNS = (
    Column("sku", N_("SKU")),
    Column("name", N_("Product")),
    Column("quantity", N_("Quantity"), "quantity"),
    Column("revenue", N_("Revenue"), "money"),
    Column("net", N_("Net"), "money"),
)


def run(session: Session, filters: Filters, _cancelled: Cancelled) -> ReportResult:
    ctx = common.context(session, filters)
    both = summaries.combined(
        session, filters, ctx, fold_sql.line_sums, ReportLineDay, ("product_id", "currency")
    )
    revenue = func.sum(both.c.total)
    query = (
        select(
            Product.sku,
            Product.name,
            both.c.currency,
            func.sum(both.c.quantity),
            revenue,
            func.sum(both.c.net),
        )
        .select_from(both)
        .join(Product, Product.id == both.c.product_id)
        .group_by(Product.id, Product.sku, Product.name, both.c.currency)
        .order_by(revenue.desc(), Product.sku)
        .limit(LIMIT + 1)
    )
    if ctx.category_id is not None:
        query = query.where(Product.category_id == ctx.category_id)
    found = session.execute(query).all()
    currency = common.one_currency((r[2] for r in found), ctx.currency)
    rows: list[dict[str, object]] = [
        {"sku": sku, "name": name, "quantity": int(qty), "revenue": int(rev), "net": int(net)}
        for sku, name, _cur, qty, rev, net in found[:LIMIT]
    ]
    return common.result(
        REPORT,
        filters,
        ctx,
        COLUMNS,
        rows,
        Chart("bar", x="sku", series=("revenue",)),
        total_keys=("quantity", "revenue", "net"),
        currency=currency,
    )


register(ReportDef(*REPORT, frozenset({"warehouse", "channel", "category"}), run, LIMIT))
