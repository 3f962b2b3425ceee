"""Put-away after a receipt: what waits in the warehouse's receiving location, one row
per product with its suggested bin pre-filled (the product's usual bin, from the
service) and the units to move; OK moves them all in one transaction, so a refused bin
leaves nothing half put away."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.core.i18n import _
from app.db import ServiceSession as Session
from app.services.purchasing import putaway
from app.services.purchasing.putaway import PutAway, Waiting
from app.views.context import AppContext
from app.views.ops import op
from app.views.widgets import ok_cancel, say


class PutAwayDialog(QDialog):
    """`completed` says what moved where."""

    completed = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        warehouse: str,
        rows: list[Waiting],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, objectName="putaway_dialog")
        self.ctx, self.warehouse = ctx, warehouse
        self.setWindowTitle(_("Put away in {warehouse}").format(warehouse=warehouse))
        form = QFormLayout(self)
        self.bins: dict[str, QLineEdit] = {}
        self.quantities: dict[str, QSpinBox] = {}
        for row in rows:
            target = QLineEdit(row.suggested_bin, objectName=f"putaway_bin_{row.sku}")
            target.setToolTip(_("The suggested bin: scan or type another"))
            units = QSpinBox(objectName=f"putaway_qty_{row.sku}")
            units.setRange(0, row.quantity)
            units.setValue(row.quantity)
            line = QHBoxLayout()
            line.addWidget(units)
            line.addWidget(target, 1)
            form.addRow(f"{row.sku}  {row.name}", line)
            self.bins[row.sku], self.quantities[row.sku] = target, units
        if not rows:
            form.addRow(QLabel(_("Nothing waits in receiving here.")))
        self.message = QLabel(objectName="putaway_message")
        self.message.setWordWrap(True)
        form.addRow(self.message)
        self.buttons = ok_cancel(self, form)

    def plan(self) -> list[tuple[str, int, str]]:
        """(SKU, units, bin) for every row with units to move."""
        return [
            (sku, spin.value(), self.bins[sku].text().strip())
            for sku, spin in self.quantities.items()
            if spin.value()
        ]

    def accept(self) -> None:
        actor, warehouse, plan = self.ctx.actor, self.warehouse, self.plan()
        if not plan:
            super().reject()
            return

        def move(s: Session) -> list[PutAway]:
            return [
                putaway.put_away(s, actor, warehouse, sku, n, target) for sku, n, target in plan
            ]

        op(self, self.ctx, move).busy(self.buttons).on_success(self._done).message(
            lambda t: say(self.message, t, error=True)
        ).run()

    def _done(self, moved: list[PutAway]) -> None:
        self.completed.emit(
            _("Put away: {moves}").format(
                moves="; ".join(f"{m.quantity} x {m.sku} -> {m.target}" for m in moved)
            )
        )
        super().accept()
