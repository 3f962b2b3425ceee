"""What several reports share: the shop's currency and zone, the filters turned into
ids, and the refusal to add up money in two currencies."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.core.errors import NotFound, ValidationError
from app.core.i18n import _
from app.models import Category, OrderStatus, SalesOrder, Warehouse
from app.services.reports.base import REGISTRY, Chart, Column, Filters, ReportResult, described
from app.services.reports.periods import utc_range


@dataclass(frozen=True)
class Context:
    """The shop's settings a report reads once: its currency, zone and the filters' ids."""

    currency: str
    zone: ZoneInfo
    warehouse_id: int | None
    category_id: int | None


def context(session: Session, filters: Filters) -> Context:
    from app.services.shop import shop_details

    shop = shop_details(session)
    return Context(
        shop.currency,
        ZoneInfo(shop.timezone),
        warehouse_id(session, filters.warehouse),
        category_id(session, filters.category),
    )


def warehouse_id(session: Session, code: str | None) -> int | None:
    if not code:
        return None
    found = session.scalar(select(Warehouse.id).where(Warehouse.code == code.strip().upper()))
    if found is None:
        raise NotFound(_("There is no warehouse {code}.").format(code=code))
    return found


def category_id(session: Session, name: str | None) -> int | None:
    if not name:
        return None
    found = session.scalars(
        select(Category.id).where(Category.name == name.strip()).order_by(Category.id)
    ).first()
    if found is None:
        raise NotFound(_("There is no category {name}.").format(name=name))
    return found


def one_currency(currencies: Iterable[str], shop_currency: str) -> str:
    """Money in two currencies is never added up: the report says which ones it found."""
    found = sorted(set(currencies))
    if len(found) > 1:
        raise ValidationError(
            _(
                "The range holds orders in {value}: a report adds up one currency only. "
                "Choose a range with one currency."
            ).format(value=", ".join(found))
        )
    return found[0] if found else shop_currency


def placed(ctx: Context, filters: Filters) -> list[ColumnElement[bool]]:
    """Orders placed in the range (the shop's local days) and not cancelled, with the
    warehouse and channel filters: the WHERE of every report about what was sold."""
    lo, hi = utc_range(filters, ctx.zone)
    where = [
        SalesOrder.created_at >= lo,
        SalesOrder.created_at < hi,
        SalesOrder.status != OrderStatus.CANCELLED,
    ]
    if filters.channel:
        where.append(SalesOrder.channel == filters.channel)
    if ctx.warehouse_id is not None:
        where.append(SalesOrder.warehouse_id == ctx.warehouse_id)
    return where


def result(
    report: tuple[str, str, str],
    filters: Filters,
    ctx: Context,
    columns: tuple[Column, ...],
    rows: list[dict[str, object]],
    chart: Chart,
    notes: tuple[str, ...] = (),
    total_keys: tuple[str, ...] = (),
    currency: str | None = None,
) -> ReportResult:
    """A ReportResult with the sums of `total_keys` and a note when there are no rows."""
    name, title, definition = report
    registered = REGISTRY.get(name)
    if registered is not None:  # its {limit} filled in
        definition = described(registered)
    totals: dict[str, object] = {
        key: sum(v for r in rows if isinstance(v := r.get(key), int)) for key in total_keys
    }
    if not rows and not notes:
        notes = (_("Nothing in this range."),)
    return ReportResult(
        name,
        title,
        definition,
        filters,
        columns,
        rows,
        chart,
        currency or ctx.currency,
        ctx.zone.key,
        notes,
        totals,
    )
