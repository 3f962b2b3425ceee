"""`tax_rates`: tax collected per rate, for the shop's tax return."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.i18n import N_
from app.models import ReportLineDay
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

REPORT = (
    "tax_rates",
    N_("Tax collected per rate"),
    N_(
        "Per tax rate of the order lines placed in the range and not cancelled: lines; net = "
        "line totals without tax; tax = the tax on them; gross = net + tax. Refunds are not "
        "taken off here: the sales report shows them per day."
    ),
)
COLUMNS = (
    Column("rate", N_("Rate"), "percent"),
    Column("lines", N_("Lines"), "int"),
    Column("net", N_("Net"), "money"),
    Column("tax", N_("Tax"), "money"),
    Column("gross", N_("Gross"), "money"),
)


def run(session: Session, filters: Filters, _cancelled: Cancelled) -> ReportResult:
    ctx = common.context(session, filters)
    both = summaries.combined(
        session, filters, ctx, fold_sql.line_sums, ReportLineDay, ("tax_rate_bp", "currency")
    )
    query = (
        select(
            both.c.tax_rate_bp,
            both.c.currency,
            func.sum(both.c.lines),
            func.sum(both.c.net),
            func.sum(both.c.tax),
            func.sum(both.c.total),
        )
        .group_by(both.c.tax_rate_bp, both.c.currency)
        .order_by(both.c.tax_rate_bp)
    )
    found = session.execute(query).all()
    currency = common.one_currency((r[1] for r in found), ctx.currency)
    rows: list[dict[str, object]] = [
        {"rate": int(rate), "lines": int(n), "net": int(net), "tax": int(tax), "gross": int(g)}
        for rate, _cur, n, net, tax, g in found
    ]
    return common.result(
        REPORT,
        filters,
        ctx,
        COLUMNS,
        rows,
        Chart("bar", x="rate", series=("tax",)),
        total_keys=("lines", "net", "tax", "gross"),
        currency=currency,
    )


register(ReportDef(*REPORT, frozenset({"warehouse", "channel"}), run))
