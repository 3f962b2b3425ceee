"""app/views/purchasing/daily_reorder.py: at a buyer's sign-in the day's reorder run goes
off the GUI thread and its outcome lands on the status bar; the second sign-in of the day
runs nothing, and someone who may not buy starts nothing."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QMainWindow
from sqlalchemy import func, select

from app.core.auth import Role
from app.core.bootstrap import default_warehouse_id
from app.models import Party, PurchaseOrder, Warehouse
from app.services.purchasing import rules, suppliers
from app.services.stock import catalogue
from app.views.purchasing.daily_reorder import reorder_at_sign_in
from tests.conftest import role_actor


def _a_rule_below_min(ctx) -> None:
    with ctx.database.write() as s:
        catalogue.create_product(s, ctx.actor, catalogue.ProductInput("DR-1", "Daily", 100))
        supplier = suppliers.create_supplier(s, ctx.actor, suppliers.SupplierInput("Daily Co"))
        s.get(Party, supplier).code = "DAILY"
        s.flush()
        warehouse = s.get(Warehouse, default_warehouse_id(s)).code
        rules.set_rule(s, ctx.actor, rules.RuleInput("DR-1", warehouse, 2, 6, 1, "DAILY"))


def _drafts(ctx) -> int:
    with ctx.database.read() as s:
        return s.scalar(
            select(func.count()).select_from(PurchaseOrder).where(PurchaseOrder.origin == "reorder")
        )


def test_the_first_sign_in_runs_it_and_says_so(qtbot, ctx, settle):
    _a_rule_below_min(ctx)
    window = QMainWindow()
    qtbot.addWidget(window)
    assert reorder_at_sign_in(window, ctx) is not None
    settle()
    assert window.statusBar().currentMessage() == "Reorder: 1 draft purchase order (1 line)"
    assert _drafts(ctx) == 1
    window.statusBar().clearMessage()
    assert reorder_at_sign_in(window, ctx) is not None  # the same day: the service says None
    settle()
    assert window.statusBar().currentMessage() == ""
    assert _drafts(ctx) == 1


def test_someone_who_may_not_buy_starts_nothing(qtbot, ctx):
    _a_rule_below_min(ctx)
    window = QMainWindow()
    qtbot.addWidget(window)
    clerk = dataclasses.replace(ctx, actor=role_actor(Role.CLERK))
    assert reorder_at_sign_in(window, clerk) is None
    assert _drafts(ctx) == 0
