"""What several reports share: the shop's currency and zone, the filters turned into
ids, and the refusal to add up money in two currencies."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import NotFound, ValidationError
from app.models import Category, Warehouse
from app.services.reports.base import Filters


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
        raise NotFound(f"There is no warehouse {code}.")
    return found


def category_id(session: Session, name: str | None) -> int | None:
    if not name:
        return None
    found = session.scalars(
        select(Category.id).where(Category.name == name.strip()).order_by(Category.id)
    ).first()
    if found is None:
        raise NotFound(f"There is no category {name}.")
    return found


def one_currency(currencies: Iterable[str], shop_currency: str) -> str:
    """Money in two currencies is never added up: the report says which ones it found."""
    found = sorted(set(currencies))
    if len(found) > 1:
        raise ValidationError(
            f"The range holds orders in {', '.join(found)}: a report adds up one currency "
            "only. Choose a range with one currency."
        )
    return found[0] if found else shop_currency
