"""`till_summary`: what each cashier took at the tills, per local day (the Z reports'
money, per person rather than per drawer)."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.core.i18n import N_
from app.models import Payment, User
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
from app.services.reports.periods import in_periods, periods_table

REPORT = (
    "till_summary",
    N_("Till summary per cashier and day"),
    N_(
        "Per local day and cashier, money through the tills: sales = sales paid; takings = "
        "payments taken (every method); cash = of which in cash; refunds = money paid back; "
        "net = takings - refunds. Cash put in or taken out of the drawer is not counted."
    ),
)
COLUMNS = (
    Column("period", N_("Day"), "date"),
    Column("cashier", N_("Cashier")),
    Column("sales", N_("Sales"), "int"),
    Column("takings", N_("Takings"), "money"),
    Column("cash", N_("Cash"), "money"),
    Column("refunds", N_("Refunds"), "money"),
    Column("net", N_("Net"), "money"),
)


def run(session: Session, filters: Filters, _cancelled: Cancelled) -> ReportResult:
    ctx = common.context(session, filters)
    table = periods_table(session, filters, ctx.zone)
    paid = Payment.kind == "payment"
    cashier = func.coalesce(User.display_name, "(unknown)")
    query = (
        select(
            table.c.period,
            cashier,
            func.count(func.distinct(case((paid, Payment.order_id)))),
            func.sum(case((paid, Payment.amount), else_=0)),
            func.sum(case((paid & (Payment.method == "cash"), Payment.amount), else_=0)),
            func.sum(case((Payment.kind == "refund", Payment.amount), else_=0)),
        )
        .select_from(table)
        .join(Payment, in_periods(session, Payment.created_at, table, filters, ctx.zone))
        .outerjoin(User, User.id == Payment.user_id)
        .where(Payment.cash_session_id.is_not(None), Payment.kind.in_(("payment", "refund")))
        .group_by(table.c.period, cashier)
        .order_by(table.c.period, cashier)
    )
    rows: list[dict[str, object]] = [
        {"period": day, "cashier": who, "sales": int(n), "takings": int(t), "cash": int(c)}
        | {"refunds": int(r), "net": int(t) - int(r)}
        for day, who, n, t, c, r in session.execute(query)
    ]
    return common.result(
        REPORT,
        filters,
        ctx,
        COLUMNS,
        rows,
        Chart("stacked_bar", x="period", series=("net",), split="cashier"),
        () if rows else ("No till payments in this range.",),
        ("sales", "takings", "cash", "refunds", "net"),
    )


register(ReportDef(*REPORT, frozenset({"group"}), run))
