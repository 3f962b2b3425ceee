"""Print shelf labels for the chosen products, a quantity for each (one by default)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import _
from app.services.printing import labels
from app.services.printing.labels import MAX_COPIES
from app.services.stock.catalogue import ProductRow
from app.views.context import AppContext
from app.views.ops import op
from app.views.widgets import say


class LabelsDialog(QDialog):
    queued = Signal(int)  # the print job's id

    def __init__(
        self, ctx: AppContext, rows: list[ProductRow], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("print_labels")
        self.setWindowTitle(_("Print labels"))
        self.ctx = ctx
        self.spins: dict[int, QSpinBox] = {}
        inner = QWidget()
        form = QFormLayout(inner)
        for row in rows:
            spin = QSpinBox(objectName=f"labels_qty_{row.id}")
            spin.setRange(0, MAX_COPIES)
            spin.setValue(1)
            self.spins[row.id] = spin
            form.addRow(f"{row.sku}  {row.name}", spin)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.message = QLabel(objectName="labels_message")
        self.print_button = QPushButton(_("Print"), objectName="labels_print")
        self.print_button.clicked.connect(self.print_labels)
        cancel = QPushButton(_("Cancel"), objectName="labels_cancel")
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("How many labels of each (0 skips it):")))
        layout.addWidget(scroll)
        layout.addWidget(self.message)
        layout.addWidget(self.print_button)
        layout.addWidget(cancel)

    def quantities(self) -> list[tuple[int, int]]:
        return [(pid, spin.value()) for pid, spin in self.spins.items()]

    def print_labels(self) -> None:
        actor, wanted = self.ctx.actor, self.quantities()
        workstation = self.ctx.workstation.workstation_name
        op(
            self,
            self.ctx,
            lambda s: labels.print_product_labels(s, actor, workstation, wanted),
        ).busy(self.print_button).on_success(self._queued).message(
            lambda t: say(self.message, t, error=True)
        ).run()

    def _queued(self, job_id: int) -> None:
        self.ctx.jobs_queued()
        self.queued.emit(job_id)
        self.accept()
