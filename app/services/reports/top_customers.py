"""`top_customers`: who bought most in the range (walk-in counter customers are one)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.i18n import N_
from app.models import Party, ReportCustomerDay
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
    "top_customers",
    N_("Top customers"),
    N_(
        "The {limit} customers with the most revenue from orders placed in the range and not "
        "cancelled: orders = how many; revenue = their totals with tax; tax = the tax in "
        "them. Sales at the counter without a customer count as the walk-in customer."
    ),
)
COLUMNS = (
    Column("customer", N_("Customer")),
    Column("email", N_("E-mail")),
    Column("orders", N_("Orders"), "int"),
    Column("revenue", N_("Revenue"), "money"),
    Column("tax", N_("Tax"), "money"),
)


def run(session: Session, filters: Filters, _cancelled: Cancelled) -> ReportResult:
    ctx = common.context(session, filters)
    both = summaries.combined(
        session,
        filters,
        ctx,
        fold_sql.customer_sums,
        ReportCustomerDay,
        ("customer_id", "currency"),
    )
    revenue = func.sum(both.c.gross)
    query = (
        select(
            Party.name,
            Party.email,
            both.c.currency,
            func.sum(both.c.orders),
            revenue,
            func.sum(both.c.tax),
        )
        .select_from(both)
        .join(Party, Party.id == both.c.customer_id)
        .group_by(Party.id, Party.name, Party.email, both.c.currency)
        .order_by(revenue.desc(), Party.name)
        .limit(LIMIT + 1)
    )
    found = session.execute(query).all()
    currency = common.one_currency((r[2] for r in found), ctx.currency)
    rows: list[dict[str, object]] = [
        {"customer": name, "email": email, "orders": int(n), "revenue": int(rev), "tax": int(tax)}
        for name, email, _cur, n, rev, tax in found[:LIMIT]
    ]
    return common.result(
        REPORT,
        filters,
        ctx,
        COLUMNS,
        rows,
        Chart("bar", x="customer", series=("revenue",)),
        total_keys=("orders", "revenue", "tax"),
        currency=currency,
    )


register(ReportDef(*REPORT, frozenset({"warehouse", "channel"}), run, LIMIT))
