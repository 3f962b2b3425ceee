"""The Purchasing screen's Reorder tab: the reorder rules (paged), and the run — first
a dry run that shows what it would order (nothing written), then "Create drafts" makes
those purchase orders. The result lists the drafts, the overstock and what was skipped
(a rule with no supplier). The service decides the quantities; this only shows them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.core.auth import Permission
from app.core.changes import ChangeSet
from app.core.i18n import N_, _
from app.db import ServiceSession as Session
from app.services.purchasing import reorder, rules
from app.services.purchasing.reorder import ReorderResult
from app.services.purchasing.rules import RuleRow
from app.views.context import AppContext
from app.views.ops import op, query
from app.views.paged_query import QueryPageModel
from app.views.purchasing.daily_reorder import details, summary
from app.views.purchasing.order_rules import NO_BUY
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.widgets import allow, make_table, say

PAGE = 100
DRY_FIRST = N_("Run the reorder first, to see what it would order.")


def result_rows(result: ReorderResult) -> list[tuple[str, str, str, str]]:
    """(what, SKU, warehouse, detail) per line of the result, for one table."""
    rows = []
    for order in result.purchase_orders:
        name = order.number or _("would order")
        for line in order.lines:
            rows.append(
                (
                    name,
                    line.sku,
                    order.warehouse,
                    _("{quantity} from {supplier}").format(
                        quantity=line.quantity, supplier=order.supplier
                    ),
                )
            )
    for over in result.overstock:
        rows.append(
            (
                _("overstock"),
                over.sku,
                over.warehouse,
                _("{excess} above the maximum").format(excess=over.excess),
            )
        )
    for skip in result.skipped:
        rows.append((_("skipped"), skip.sku, skip.warehouse, skip.reason))
    return rows


class ReorderTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="purchasing_reorder")
        self.ctx = ctx
        self.planned: ReorderResult | None = None
        self.message = QLabel(objectName="reorder_message")
        self.message.setWordWrap(True)
        self.rules = QueryPageModel(
            [
                Column(_("SKU"), lambda r: r.sku),
                Column(_("Name"), lambda r: r.name),
                Column(_("Warehouse"), lambda r: r.warehouse),
                Column(_("Min"), lambda r: str(r.min_qty), align=RIGHT),
                Column(_("Max"), lambda r: str(r.max_qty), align=RIGHT),
                Column(_("Multiple"), lambda r: str(r.multiple), align=RIGHT),
                Column(_("Supplier"), lambda r: r.supplier),
                Column(_("Lead days"), lambda r: str(r.lead_time_days), align=RIGHT),
            ],
            self,
            ctx,
            self._rules_page(),
            message=self._refused,
            page_size=PAGE,
        )
        self.rules_table = make_table(self.rules, "reorder_rules", stretch=1)
        self.result = RowsTableModel(
            [
                Column(_("Order"), lambda r: r[0]),
                Column(_("SKU"), lambda r: r[1]),
                Column(_("Warehouse"), lambda r: r[2]),
                Column(_("Quantity / why"), lambda r: r[3]),
            ],
            self,
        )
        self.result_table = make_table(self.result, "reorder_result", stretch=3)
        self.run_button = QPushButton(_("Run reorder (dry run)"), objectName="reorder_run")
        self.create_button = QPushButton(_("Create drafts"), objectName="reorder_create")
        self.run_button.clicked.connect(self.dry_run)
        self.create_button.clicked.connect(self.create_drafts)
        ctx.bridge.changed.connect(self._on_changes)
        self._lay_out()
        self._allow()
        self.rules.refresh()

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.create_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Reorder rules")))
        layout.addWidget(self.rules_table, 3)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.result_table, 2)

    def _rules_page(self) -> Callable[[Session, int, int], list[RuleRow]]:
        actor = self.ctx.actor
        return lambda s, offset, limit: rules.list_rules(s, actor, "", offset, limit)

    def _allow(self) -> None:
        buy = "" if self.ctx.actor.can(Permission.PURCHASING) else _(NO_BUY)
        allow(self.run_button, buy)
        nothing = (
            _(DRY_FIRST)
            if self.planned is None
            else ("" if self.planned.purchase_orders else _("The run found nothing to order."))
        )
        allow(self.create_button, buy or nothing)

    def dry_run(self) -> None:
        actor = self.ctx.actor
        query(self, self.ctx, lambda s: reorder.run_reorder(s, actor, dry_run=True)).busy(
            self.run_button
        ).on_success(self._planned).message(self._refused).run()

    def _planned(self, result: ReorderResult) -> None:
        self.planned = result
        self.result.set_rows(result_rows(result))
        say(self.message, _("Would order — {summary}").format(summary=details(result)))
        self._allow()

    def create_drafts(self) -> None:
        actor = self.ctx.actor
        op(self, self.ctx, lambda s: reorder.run_reorder(s, actor)).busy(
            self.create_button, self.run_button
        ).on_success(self._created).message(self._refused).run()

    def _created(self, result: ReorderResult) -> None:
        self.planned = None
        self.result.set_rows(result_rows(result))
        say(self.message, summary(result))
        self._allow()

    def _on_changes(self, change: ChangeSet) -> None:
        if "reorder_rules" in change.kinds:
            self.rules.refresh()

    def _refused(self, text: str) -> None:
        say(self.message, text, error=True)
