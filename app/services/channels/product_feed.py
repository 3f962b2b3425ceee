"""`GET /api/v1/products?updated_since=...&cursor=...`: the catalogue for a web shop to
sync, in pages by keyset on (updated_at, id) over their index, so page 1,000 costs what
page 1 does and a product changed while paging is never skipped (it moves to the end).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.settings import get_setting
from app.models import Product
from app.services.channels.api_orders import external_amount

MAX_PAGE = 500


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None


def _cursor(at: datetime, product_id: int) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{product_id}".encode()).decode()


def _read_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        at, _sep, number = base64.urlsafe_b64decode(cursor.encode("ascii")).decode().partition("|")
        when = datetime.fromisoformat(at)
        return (when if when.tzinfo else when.replace(tzinfo=UTC)), int(number)
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise ValidationError(
            _("The cursor is not one this API gave out: start again without it."), "cursor"
        ) from exc


def since(text: str) -> datetime | None:
    """`updated_since` as ISO 8601 (an offset, or UTC when it has none)."""
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValidationError(
            _("updated_since: {text!r} is not a date and time (2025-12-01T00:00:00Z).").format(
                text=text[:40]
            ),
            "updated_since",
        ) from exc
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def products_page(
    session: Session, actor: Actor, updated_since: str = "", cursor: str = "", limit: int = 100
) -> Page:
    """Products changed at or after `updated_since`, oldest change first, `limit` at a
    time; `next_cursor` is None on the last page."""
    require(actor, Permission.CATALOGUE_VIEW)
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError(_("limit is 1 to {max_page}.").format(max_page=MAX_PAGE), "limit")
    query = select(Product).order_by(Product.updated_at, Product.id).limit(limit + 1)
    start = since(updated_since)
    if start is not None:
        query = query.where(Product.updated_at >= start)
    if cursor:
        at, last = _read_cursor(cursor)
        query = query.where(
            or_(Product.updated_at > at, and_(Product.updated_at == at, Product.id > last))
        )
    rows = list(session.scalars(query))
    currency = str(get_setting(session, "currency"))
    items = [
        {
            "sku": p.sku,
            "name": p.name,
            "price": external_amount(p.price, currency),
            "currency": currency,
            "active": p.active,
            "updated_at": p.updated_at.isoformat(),
        }
        for p in rows[:limit]
    ]
    more = len(rows) > limit
    last_row = rows[limit - 1] if more else None
    return Page(items, _cursor(last_row.updated_at, last_row.id) if last_row else None)
