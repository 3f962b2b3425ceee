"""app/admin/demo/orders.py: one seed always makes the same history, and its stock moves
and order totals agree with the ledger and the lines (what `kestrel check` checks)."""

from __future__ import annotations

import datetime

from sqlalchemy import select

from app import db
from app.admin.demo import build_demo
from app.core import auth
from app.models import OrderLine, Payment, SalesOrder, StockMove
from app.services.stock.integrity import check


def _history(url: str, seed: int) -> list[list[tuple[object, ...]]]:
    database = db.Database.open(url)
    db.migrate(database.engine)
    with database.write() as s:
        build_demo(s, auth.SYSTEM, products=40, customers=8, orders=300, seed=seed)
    tables = []
    with database.read() as s:
        assert check(s) == []
        for model in (SalesOrder, OrderLine, StockMove, Payment):
            rows = s.execute(select(model.__table__).order_by(model.id)).all()
            tables.append([tuple(v for v in r if not isinstance(v, datetime.date)) for r in rows])
    database.dispose()
    return tables


def test_one_seed_one_history(tmp_path):
    first = _history(f"sqlite:///{tmp_path / 'a.sqlite'}", seed=3)
    assert first == _history(f"sqlite:///{tmp_path / 'b.sqlite'}", seed=3)
    assert first != _history(f"sqlite:///{tmp_path / 'c.sqlite'}", seed=4)
    statuses = {row[3] for row in first[0]}
    assert {"new", "accepted", "completed", "delivered"} <= statuses


def test_the_demo_timeline_reads_in_the_readers_language(tmp_path):
    """The demo's history keeps its sentences as the services do (message and fields), so
    a German screen shows it in German, not in the English it was written in."""
    from app.core import i18n
    from app.core.sentence import shown
    from app.models import OrderEvent

    database = db.Database.open(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    db.migrate(database.engine)
    with database.write() as s:
        build_demo(s, auth.SYSTEM, products=20, customers=4, orders=40, seed=1)
    with database.read() as s:
        order_id = s.scalars(
            select(SalesOrder.id).where(SalesOrder.status == "delivered").limit(1)
        ).one()
        rows = s.execute(
            select(OrderEvent.message, OrderEvent.data)
            .where(OrderEvent.order_id == order_id)
            .order_by(OrderEvent.id)
        ).all()
    database.dispose()
    german = i18n.translations("de")
    assert [r.message for r in rows][1:] == ["Now Delivered"]
    assert rows[0].message.startswith("Order created (")
    assert [shown(r.message, r.data, german) for r in rows][1:] == ["Jetzt: Zugestellt"]
    assert shown(rows[0].message, rows[0].data, german).startswith("Bestellung angelegt (")
