"""app/admin/demo/builder.py: a build reports its progress, and one cancelled part-way
raises Cancelled and, with the caller's transaction, leaves nothing behind."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.admin.demo import Cancelled, build_demo
from app.models import Location, Product, User


def test_progress_is_reported_per_stage(database, admin):
    seen: list[tuple[str, int, int]] = []
    with database.write() as s:
        stats = build_demo(
            s, admin, products=30, customers=5, orders=40, progress=lambda *a: seen.append(a)
        )
    assert {stage for stage, _, _ in seen} >= {"products", "search index", "stock"}
    assert ("products", 0, 30) in seen
    assert stats.rows["products"] == 30 and stats.rows["sales_orders"] == 40
    assert stats.total_rows == sum(stats.rows.values()) and stats.rows_per_second > 0


def test_a_cancelled_build_keeps_nothing(database, admin):
    with pytest.raises(Cancelled, match="nothing was kept"), database.write() as s:
        build_demo(s, admin, products=30, customers=5, orders=40, cancelled=lambda: True)
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(Product)) == 0
        assert s.scalar(select(func.count()).where(User.username == "manager")) == 0
        assert s.scalar(select(func.count()).where(Location.code.like("%-A01-01"))) == 0
