"""core/driver_sql: a prebuilt statement on the DBAPI cursor writes what SQLAlchemy would
(defaults, stored datetimes), is heard by the engine's listeners, and fails as SQLAlchemy's
own errors do, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, event, insert, select
from sqlalchemy.exc import IntegrityError

from app import db
from app.core import driver_sql
from app.core.bootstrap import walk_in_customer_id
from app.models import Party, Payment, SalesOrder

_PAYMENT = driver_sql.Prebuilt(insert(Payment.__table__))
_PARTY = driver_sql.Prebuilt(
    select(Party.id, Party.name).where(Party.id == bindparam("party_id")).limit(1)
)


def test_insert_matches_the_orm_defaults_and_types(database: db.Database) -> None:
    with database.write() as s:
        driver_sql.executemany(s, _PAYMENT, [{"method": "raw", "kind": "payment", "amount": 250}])
        s.add(Payment(method="orm", kind="payment", amount=250))
    with database.read() as s:
        raw, orm = s.scalars(
            select(Payment).where(Payment.method.in_(("raw", "orm"))).order_by(Payment.id)
        ).all()
        assert (raw.method, orm.method) == ("raw", "orm")
        assert (raw.reference, raw.tendered, raw.amount) == (orm.reference, orm.tendered, 250)
        assert raw.created_at.tzinfo is not None
        assert 0 <= (orm.created_at - raw.created_at).total_seconds() < 60
        # kept as the ORM keeps it, so comparisons in SQL hold (SQLite stores text)
        assert s.scalars(
            select(Payment.method).where(Payment.created_at == raw.created_at)
        ).all() == ["raw"]


def test_listeners_hear_it_and_bound_values_stay(database: db.Database) -> None:
    heard: list[str] = []

    def grab(_c, _cur, statement, _params, _ctx, _many):  # type: ignore[no-untyped-def]
        heard.append(statement)

    event.listen(database.engine, "before_cursor_execute", grab)
    try:
        with database.read() as s:
            walk_in = walk_in_customer_id(s)
            rows = driver_sql.read(s, _PARTY, {"party_id": walk_in})
    finally:
        event.remove(database.engine, "before_cursor_execute", grab)
    assert [row[0] for row in rows] == [walk_in]  # the LIMIT's own value was bound
    assert any(sql.startswith("SELECT parties.id") for sql in heard)


def test_a_driver_error_is_sqlalchemys(database: db.Database) -> None:
    with pytest.raises(IntegrityError), database.write() as s:
        driver_sql.execute(
            s,
            driver_sql.Prebuilt(insert(SalesOrder.__table__)),
            {"number": None, "channel": "counter"},  # NOT NULL: the database refuses it
        )
