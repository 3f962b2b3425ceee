"""`cancellations_returns`: why orders were cancelled and why goods came back, per
reason. Cancellations are read from the orders' timelines ("Cancelled: REASON"), returns
from the return lines (or the return's own reason where a line has none)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.i18n import N_, _
from app.core.money import format_money
from app.models import OrderEvent, ReturnLine, ReturnOrder, SalesOrder
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
from app.services.reports.periods import utc_range

REPORT = (
    "cancellations_returns",
    N_("Cancellations and returns by reason"),
    N_(
        "Per reason: cancellations = orders cancelled in the range (their totals as amount); "
        "returns = returns opened in the range, their units and what was refunded on them. "
        "An order or a return counts once per reason."
    ),
)
COLUMNS = (
    Column("kind", N_("Kind")),
    Column("reason", N_("Reason")),
    Column("count", N_("Orders / returns"), "int"),
    Column("units", N_("Units"), "quantity"),
    Column("amount", N_("Amount"), "money"),
)
PREFIX = "Cancelled: "
# the English ends of a cancel's sentence: before issue 21 "(s)", since then in the plural
RELEASED = ("reservation(s) released", "reservation released", "reservations released")


def _reason(message: str) -> str:
    """'Cancelled: out of stock; 2 reservations released' -> 'out of stock'."""
    text = message.removeprefix(PREFIX)
    head, sep, tail = text.rpartition("; ")
    return head if sep and tail.endswith(RELEASED) else text


def run(session: Session, filters: Filters, _cancelled: Cancelled) -> ReportResult:
    ctx = common.context(session, filters)
    lo, hi = utc_range(filters, ctx.zone)
    cancels = (
        select(
            OrderEvent.message,
            func.count(func.distinct(OrderEvent.order_id)),
            func.sum(SalesOrder.total),
        )
        .join(SalesOrder, SalesOrder.id == OrderEvent.order_id)
        .where(OrderEvent.kind == "cancelled", OrderEvent.at >= lo, OrderEvent.at < hi)
        .group_by(OrderEvent.message)
    )
    reason = func.coalesce(
        func.nullif(ReturnLine.reason, ""), func.nullif(ReturnOrder.reason, ""), "(no reason)"
    )
    returned = (
        select(reason, func.count(func.distinct(ReturnOrder.id)), func.sum(ReturnLine.quantity))
        .join(ReturnLine, ReturnLine.return_id == ReturnOrder.id)
        .join(SalesOrder, SalesOrder.id == ReturnOrder.order_id)
        .where(ReturnOrder.created_at >= lo, ReturnOrder.created_at < hi)
        .group_by(reason)
    )
    refunded = select(func.sum(ReturnOrder.refunded)).where(
        ReturnOrder.created_at >= lo, ReturnOrder.created_at < hi
    )
    if filters.channel:
        cancels = cancels.where(SalesOrder.channel == filters.channel)
        returned = returned.where(SalesOrder.channel == filters.channel)
    merged: dict[str, list[int]] = {}
    for message, count, amount in session.execute(cancels):  # grouped: few distinct reasons
        sums = merged.setdefault(_reason(message), [0, 0])
        sums[0] += int(count)
        sums[1] += int(amount or 0)
    rows: list[dict[str, object]] = [
        {"kind": "cancellation", "reason": why, "count": n, "units": None, "amount": amount}
        for why, (n, amount) in sorted(merged.items(), key=lambda kv: (-kv[1][0], kv[0]))
    ]
    rows += [
        {"kind": "return", "reason": why, "count": int(n), "units": int(u), "amount": None}
        for why, n, u in sorted(session.execute(returned), key=lambda r: (-r[1], r[0]))
    ]
    notes: tuple[str, ...] = ()
    if any(r["kind"] == "return" for r in rows):
        total = int(session.scalar(refunded) or 0)
        notes = (
            _("Refunded on these returns so far: {amount}.").format(
                amount=format_money(total, ctx.currency)
            ),
        )
    return common.result(
        REPORT,
        filters,
        ctx,
        COLUMNS,
        rows,
        Chart("bar", x="reason", series=("count",)),
        notes,
        ("count", "units"),
    )


register(ReportDef(*REPORT, frozenset({"channel"}), run))
