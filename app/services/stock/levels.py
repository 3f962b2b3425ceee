"""The StockLevel cache's writes: one conditional UPDATE whose WHERE carries the rule
(never below zero, never reserve more than is free), built once; the ledger's moves
(inventory.py, issuing.py) change a level only through here."""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.core import changes
from app.core.errors import OutOfStock
from app.core.i18n import _
from app.models import StockLevel


def ensure_row(session: Session, product_id: int, location_id: int) -> None:
    dialect = session.get_bind().dialect.name
    table = StockLevel.__table__
    values = {"product_id": product_id, "location_id": location_id, "on_hand": 0, "reserved": 0}
    stmt: postgresql.Insert | sqlite.Insert
    if dialect == "postgresql":
        stmt = postgresql.insert(table).values(values).on_conflict_do_nothing()
    else:
        stmt = sqlite.insert(table).values(values).on_conflict_do_nothing()
    session.execute(stmt)


LEVELS = StockLevel.__table__
_NEW_ON_HAND = LEVELS.c.on_hand + bindparam("d_on_hand")
_NEW_RESERVED = LEVELS.c.reserved + bindparam("d_reserved")
# Built once: the hot path of every sale and pick pays no statement construction.
CHANGE_LEVEL = (
    update(LEVELS)
    .where(
        LEVELS.c.product_id == bindparam("b_product"),
        LEVELS.c.location_id == bindparam("b_location"),
        _NEW_ON_HAND >= 0,
        _NEW_RESERVED >= 0,
        _NEW_RESERVED <= _NEW_ON_HAND,
    )
    .values(on_hand=_NEW_ON_HAND, reserved=_NEW_RESERVED)
)
_LEVEL = select(LEVELS.c.on_hand, LEVELS.c.reserved).where(
    LEVELS.c.product_id == bindparam("b_product"),
    LEVELS.c.location_id == bindparam("b_location"),
)


def change_level(  # noqa: PLR0913
    session: Session,
    product_id: int,
    location_id: int,
    d_on_hand: int,
    d_reserved: int,
    product_words: str,
    location_code: str,
) -> None:
    """Change one level that exists, or raise OutOfStock (in the words given for the
    product and the bin) without changing anything."""
    key = {"b_product": product_id, "b_location": location_id}
    result = session.execute(
        CHANGE_LEVEL, {**key, "d_on_hand": d_on_hand, "d_reserved": d_reserved}
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        level = session.execute(_LEVEL, key).first()
        on_hand, reserved = (level.on_hand, level.reserved) if level else (0, 0)
        free = on_hand - reserved
        wanted = max(-d_on_hand, d_reserved)
        raise OutOfStock(
            _(
                "Only {free} of {product} free in {code} ({on_hand} on hand, {reserved} "
                "reserved); {wanted} needed."
            ).format(
                free=free,
                product=product_words,
                code=location_code,
                on_hand=on_hand,
                reserved=reserved,
                wanted=wanted,
            )
        )
    changes.note(session, products=[product_id])
