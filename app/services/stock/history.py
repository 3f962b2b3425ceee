"""A product's ledger, newest first, with a running balance (units in stock-holding bins),
paged by keyset: each page asks for moves below the last id seen, so the first page of a
product with 100,000 moves reads one page of the index, not every row before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound
from app.core.i18n import _
from app.core.validation import check_quantity
from app.models import Location, LocationKind, MoveState, Product, StockLevel, StockMove, User


@dataclass(frozen=True)
class HistoryRow:
    move_id: int
    at: datetime
    origin: str  # "order_line 12", "adjustment", "transfer", "receipt" ...
    user: str
    from_code: str
    to_code: str
    quantity: int
    state: str
    balance: int  # units on hand in bins after this move


@dataclass(frozen=True)
class Cursor:
    """Where the next (older) page starts: below this move id, at this balance."""

    before_id: int
    balance: int


def product_history(
    session: Session, actor: Actor, product_id: int, cursor: Cursor | None = None, limit: int = 50
) -> tuple[list[HistoryRow], Cursor | None]:
    """One page of moves newest first and the cursor of the next page (None: no more)."""
    require(actor, Permission.CATALOGUE_VIEW)
    if session.get(Product, product_id) is None:
        raise NotFound(_("That product no longer exists."))
    limit = min(check_quantity(limit, "Page size"), 500)
    if cursor is None:
        balance = session.scalar(
            select(func.coalesce(func.sum(StockLevel.on_hand), 0))
            .join(Location, Location.id == StockLevel.location_id)
            .where(StockLevel.product_id == product_id, Location.kind == LocationKind.INTERNAL)
        )
        cursor = Cursor(2**31 - 1, int(balance or 0))  # above any id an INTEGER can hold
    src, dst = aliased(Location), aliased(Location)
    rows = session.execute(
        select(StockMove, src.code, src.kind, dst.code, dst.kind, User.username)
        .join(src, src.id == StockMove.from_location_id)
        .join(dst, dst.id == StockMove.to_location_id)
        .outerjoin(User, User.id == StockMove.user_id)
        .where(StockMove.product_id == product_id, StockMove.id < cursor.before_id)
        .order_by(StockMove.id.desc())
        .limit(limit + 1)
    ).all()
    page, balance = [], cursor.balance
    for move, from_code, from_kind, to_code, to_kind, username in rows[:limit]:
        origin = f"{move.origin_type} {move.origin_id}" if move.origin_id else move.origin_type
        page.append(
            HistoryRow(
                move.id,
                move.created_at,
                origin or "manual",
                username or "system",
                from_code,
                to_code,
                move.quantity,
                move.state,
                balance,
            )
        )
        if move.state == MoveState.DONE:
            inside_from, inside_to = (
                from_kind == LocationKind.INTERNAL,
                to_kind == LocationKind.INTERNAL,
            )
            balance -= move.quantity * (int(inside_to) - int(inside_from))
    more = len(rows) > limit
    return page, (Cursor(page[-1].move_id, balance) if more and page else None)
