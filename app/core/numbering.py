"""Human document numbers, unique under concurrency: one atomic UPDATE ... RETURNING."""

from __future__ import annotations

from sqlalchemy import select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.core.errors import NotFound
from app.core.i18n import _
from app.models import NumberSequence

ORDER_SERIES = "order"
PICK_LIST_SERIES = "pick_list"
RETURN_SERIES = "return"
PURCHASE_SERIES = "purchase"
TRANSIT_SERIES = "transit"
DEFAULT_SERIES = {
    ORDER_SERIES: ("SO-", 6),
    PICK_LIST_SERIES: ("PL-", 6),
    RETURN_SERIES: ("RMA-", 6),
    PURCHASE_SERIES: ("PO-", 6),
    TRANSIT_SERIES: ("TR-", 6),
}


PG_ORDER_SEQUENCE = "kestrel_order_number"  # migration 0007


def next_number(session: Session, series: str = ORDER_SERIES) -> str:
    if series == ORDER_SERIES and session.get_bind().dialect.name == "postgresql":
        return _from_pg_sequence(session)
    table = NumberSequence.__table__
    stmt = (
        update(table)
        .where(table.c.name == series)
        .values(next_value=table.c.next_value + 1)
        .returning(table.c.prefix, table.c.width, table.c.next_value)
    )
    row = session.execute(stmt).first()
    if row is None and series in DEFAULT_SERIES:  # a series newer than this database
        prefix, width = DEFAULT_SERIES[series]
        values = {"name": series, "prefix": prefix, "width": width, "next_value": 1}
        insert = (
            postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        )
        session.execute(insert(table).values(values).on_conflict_do_nothing())
        row = session.execute(stmt).first()
    if row is None:
        raise NotFound(_("No number series '{series}' is set up.").format(series=series))
    prefix, width, following = row
    return f"{prefix}{following - 1:0{width}d}"


def next_order_numbers(session: Session, count: int) -> list[str]:
    """`count` order numbers at once, in order (a bulk import): one UPDATE on SQLite,
    one nextval() over a series on PostgreSQL, each number as next_number would give it."""
    if count <= 0:
        return []
    table = NumberSequence.__table__
    if session.get_bind().dialect.name != "postgresql":
        first = next_number(session)  # makes the series if it is newer than the database
        updated = session.execute(
            update(table)
            .where(table.c.name == ORDER_SERIES)
            .values(next_value=table.c.next_value + (count - 1))
            .returning(table.c.prefix, table.c.width, table.c.next_value)
        ).one()
        prefix, width, following = updated
        return [first] + [
            format_number(prefix, width, v) for v in range(following - count + 1, following)
        ]
    row = session.execute(
        select(table.c.prefix, table.c.width, table.c.next_value).where(
            table.c.name == ORDER_SERIES
        )
    ).first()
    if row is None:
        raise NotFound(
            _("No number series '{order_series}' is set up.").format(order_series=ORDER_SERIES)
        )
    prefix, width, floor = row
    series = text(f"SELECT nextval('{PG_ORDER_SEQUENCE}') FROM generate_series(1, :n)")
    values = sorted(session.execute(series, {"n": count}).scalars())
    if values[0] < floor:  # the floor moved under the sequence: catch up once
        session.execute(
            text(f"SELECT setval('{PG_ORDER_SEQUENCE}', :last)"), {"last": floor + count - 1}
        )
        values = list(range(floor, floor + count))
    return [format_number(prefix, width, v) for v in values]


PG_NEXT_ORDER = text(
    f"SELECT prefix, width, next_value, nextval('{PG_ORDER_SEQUENCE}') "
    "FROM number_sequences WHERE name = :name"
)


def next_order_number(session: Session) -> str:
    """next_number's order number in one statement on PostgreSQL too (the series' prefix,
    width and floor read with the nextval): the push API makes one order a call."""
    if session.get_bind().dialect.name != "postgresql":
        return next_number(session)
    row = session.execute(PG_NEXT_ORDER, {"name": ORDER_SERIES}).first()
    if row is None:
        raise NotFound(
            _("No number series '{order_series}' is set up.").format(order_series=ORDER_SERIES)
        )
    prefix, width, floor, value = row
    if value < floor:  # the floor moved under the sequence: catch up once
        value = session.execute(
            text(f"SELECT setval('{PG_ORDER_SEQUENCE}', :floor)"), {"floor": floor}
        ).scalar_one()
    return format_number(prefix, width, value)


def format_number(series_prefix: str, width: int, value: int) -> str:
    return f"{series_prefix}{value:0{width}d}"


def _from_pg_sequence(session: Session) -> str:
    """nextval() takes no lock a transaction keeps: concurrent sales do not queue. The
    table's next_value is a floor (a bulk load or `kestrel move-to` may set it)."""
    table = NumberSequence.__table__
    row = session.execute(
        select(table.c.prefix, table.c.width, table.c.next_value).where(
            table.c.name == ORDER_SERIES
        )
    ).first()
    if row is None:
        raise NotFound(
            _("No number series '{order_series}' is set up.").format(order_series=ORDER_SERIES)
        )
    prefix, width, floor = row
    value = session.execute(text(f"SELECT nextval('{PG_ORDER_SEQUENCE}')")).scalar_one()
    if value < floor:  # the floor moved under the sequence: catch up once
        value = session.execute(
            text(f"SELECT setval('{PG_ORDER_SEQUENCE}', :floor)"), {"floor": floor}
        ).scalar_one()
    return f"{prefix}{value:0{width}d}"


def sync_pg_order_sequence(session: Session) -> None:
    """After writing number_sequences directly (demo, move-to): the sequence follows."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(
        text(
            f"SELECT setval('{PG_ORDER_SEQUENCE}', next_value, false) "
            "FROM number_sequences WHERE name = :name"
        ),
        {"name": ORDER_SERIES},
    )
