"""Settings -> Carriers: the carriers and services the bench ships with, as data — how
their tracking numbers look (a pattern), how Kestrel makes one (a template), and the page
a customer follows the parcel on."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import _
from app.services.fulfilment import shipping
from app.services.fulfilment.shipping import CarrierInput
from app.views.context import AppContext
from app.views.ops import op, query
from app.views.table_models import Column, RowsTableModel
from app.views.theme import mark
from app.views.widgets import make_table


class CarriersPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = RowsTableModel(
            [
                Column(_("Code"), lambda r: r.code),
                Column(_("Carrier"), lambda r: r.label),
                Column(_("Tracking pattern"), lambda r: r.tracking_pattern or _("any")),
                Column(_("Makes numbers"), lambda r: r.tracking_template),
                Column(_("Tracking page"), lambda r: r.tracking_url),
            ],
            self,
        )
        self.fields = {
            name: QLineEdit(objectName=f"carrier_{name}")
            for name in ("code", "name", "service", "pattern", "template", "url")
        }
        self.fields["pattern"].setPlaceholderText(
            _("e.g. {example} (empty: any number)").format(example=r"JJD\d{18}")
        )
        self.fields["template"].setPlaceholderText(
            _("e.g. {example} (empty: scan or type)").format(example="KP{n:09d}IE")
        )
        self.fields["url"].setPlaceholderText("https://…/{tracking}")
        self.error = QLabel(objectName="carrier_error", wordWrap=True)
        mark(self.error, "error")
        self.add_button = add = QPushButton(_("Add carrier"), objectName="carrier_add")
        add.clicked.connect(self.add)
        form = QFormLayout()
        for label, name in (
            (_("Code"), "code"),
            (_("Name"), "name"),
            (_("Service"), "service"),
            (_("Tracking pattern"), "pattern"),
            (_("Number template"), "template"),
            (_("Tracking page"), "url"),
        ):
            form.addRow(label, self.fields[name])
        layout = QVBoxLayout(self)
        layout.addWidget(make_table(self.model, "carriers", stretch=1), 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(add)
        self.reload()

    def reload(self) -> None:
        query(self, self.ctx, shipping.carriers).on_success(self.model.set_rows).message(
            self.error.setText
        ).run()

    def add(self) -> None:
        f = {name: edit.text().strip() for name, edit in self.fields.items()}
        data = CarrierInput(
            f["code"], f["name"], f["service"], f["pattern"], f["template"], f["url"]
        )
        actor = self.ctx.actor
        op(self, self.ctx, lambda s: shipping.add_carrier(s, actor, data)).busy(
            self.add_button
        ).on_success(self._added).message(self.error.setText).run()

    def _added(self, _carrier_id: int) -> None:
        self.error.clear()
        for edit in self.fields.values():
            edit.clear()
        self.reload()
