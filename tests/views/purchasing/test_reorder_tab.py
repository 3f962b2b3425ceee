"""The Reorder tab (views/purchasing/reorder_tab.py): the rules listed, a dry run that
shows what would be ordered and writes nothing, then Create drafts makes the draft; a
second dry run finds nothing left to order (the draft counts as incoming)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.core.auth import Role
from app.core.bootstrap import default_warehouse_id
from app.models import Party, PurchaseOrder, PurchaseOrderLine, Warehouse
from app.services.purchasing import rules, suppliers
from app.services.stock import catalogue
from app.views.main_window import MainWindow
from tests.conftest import role_actor


def _a_rule_below_min(ctx) -> str:
    with ctx.database.write() as s:
        catalogue.create_product(s, ctx.actor, catalogue.ProductInput("RT-1", "Reorder me", 100))
        supplier = suppliers.create_supplier(s, ctx.actor, suppliers.SupplierInput("Tab Co"))
        s.get(Party, supplier).code = "TABCO"
        s.flush()
        warehouse = s.get(Warehouse, default_warehouse_id(s)).code
        rules.set_rule(s, ctx.actor, rules.RuleInput("RT-1", warehouse, 2, 7, 3, "TABCO"))
    return warehouse


def _drafts(ctx) -> list[tuple[str, int]]:
    with ctx.database.read() as s:
        return list(
            s.execute(
                select(PurchaseOrder.number, func.sum(PurchaseOrderLine.ordered))
                .join(PurchaseOrderLine, PurchaseOrderLine.order_id == PurchaseOrder.id)
                .where(PurchaseOrder.origin == "reorder")
                .group_by(PurchaseOrder.number)
            ).all()
        )


def test_dry_run_then_create_drafts(qtmodeltester, purchasing, ctx, settle):
    warehouse = _a_rule_below_min(ctx)
    _window, screen = purchasing
    tab = screen.tab("Reorder")
    settle()
    assert any(r.sku == "RT-1" and r.supplier == "TABCO" for r in tab.rules.rows())
    assert (
        not tab.create_button.isEnabled() and "Run the reorder first" in tab.create_button.toolTip()
    )
    tab.run_button.click()
    settle()
    assert ("would order", "RT-1", warehouse, "9 from TABCO") in tab.result.rows()
    assert tab.message.text().startswith("Would order — ")
    assert _drafts(ctx) == []  # a dry run writes nothing
    assert tab.create_button.isEnabled()
    tab.create_button.click()
    settle()
    made = _drafts(ctx)
    assert len(made) == 1 and made[0][1] >= 9
    assert (made[0][0], "RT-1", warehouse, "9 from TABCO") in tab.result.rows()
    assert tab.message.text().startswith("Reorder: ")
    qtmodeltester.check(tab.result)
    qtmodeltester.check(tab.rules)
    tab.run_button.click()
    settle()
    assert not any(r[1] == "RT-1" and r[0] == "would order" for r in tab.result.rows())
    screen.tab("Orders")
    settle()
    assert screen.orders.list_model.row(0).number == made[0][0]  # the newest order first


def test_someone_who_may_not_buy_cannot_run_it(qtbot, ctx, settle):
    ctx.actor = role_actor(Role.CLERK)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    tab = window.show_screen("Purchasing").tab("Reorder")
    settle()
    for button in (tab.run_button, tab.create_button):
        assert not button.isEnabled() and "purchasing.manage" in button.toolTip()
