"""Human document numbers, unique under concurrency: one atomic UPDATE ... RETURNING."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.models import NumberSequence
from app.services.errors import NotFound

ORDER_SERIES = "order"
DEFAULT_SERIES = {ORDER_SERIES: ("SO-", 6)}


def next_number(session: Session, series: str = ORDER_SERIES) -> str:
    table = NumberSequence.__table__
    row = session.execute(
        update(table)
        .where(table.c.name == series)
        .values(next_value=table.c.next_value + 1)
        .returning(table.c.prefix, table.c.width, table.c.next_value)
    ).first()
    if row is None:
        raise NotFound(f"No number series '{series}' is set up.")
    prefix, width, following = row
    return f"{prefix}{following - 1:0{width}d}"


def format_number(series_prefix: str, width: int, value: int) -> str:
    return f"{series_prefix}{value:0{width}d}"
