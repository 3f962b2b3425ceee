"""The Inventory screen's Transfers tab: receive a warehouse-to-warehouse transfer by
scan. Its number (TR-…) opens it, a bin's label says where the units go, each product
scan receives one (a case code its pack); never more than was sent."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.core.i18n import N_, _, label
from app.services.stock import transit
from app.services.stock.transit import DeskScan
from app.views.context import AppContext
from app.views.ops import op, query
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.widgets import make_table, say

STATES = {"in_transit": N_("in transit"), "received": N_("received")}


class TransitTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="inventory_transit")
        self.ctx = ctx
        self.number = ""
        self.current_bin = ""
        self.number_input = QLineEdit(objectName="transit_number")
        self.number_input.setPlaceholderText(_("Scan or type the transfer's number (TR-…)"))
        self.number_input.returnPressed.connect(lambda: self.open(self.number_input.text()))
        self.open_button = QPushButton(_("Open"), objectName="transit_open")
        self.open_button.clicked.connect(lambda: self.open(self.number_input.text()))
        self.title = QLabel(_("No transfer open"), objectName="transit_title")
        self.message = QLabel(objectName="transit_message")
        self.lines = RowsTableModel(
            [
                Column(_("SKU"), lambda r: r["sku"]),
                Column(_("Sent"), lambda r: str(r["quantity"]), align=RIGHT),
                Column(_("Received"), lambda r: str(r["received"]), align=RIGHT),
                Column(_("On the way"), lambda r: str(r["quantity"] - r["received"]), align=RIGHT),
            ],
            self,
        )
        self.table = make_table(self.lines, "transit_lines", stretch=0)
        row = QHBoxLayout()
        row.addWidget(self.number_input, 1)
        row.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.table)

    def open(self, number: str) -> None:
        actor, wanted = self.ctx.actor, number.strip().upper()
        query(self, self.ctx, lambda s: transit.show(s, actor, wanted)).on_success(
            self._show
        ).message(self._refused).run()

    def _show(self, data: dict[str, Any]) -> None:
        if data["number"] != self.number:
            self.current_bin = ""
        self.number = data["number"]
        title = (
            _("{number}  {source} → {target}  ({state}): into {bin}")
            if self.current_bin
            else _("{number}  {source} → {target}  ({state}): scan a bin's label")
        )
        self.title.setText(
            title.format(
                number=data["number"],
                source=data["from"],
                target=data["to"],
                state=label(STATES, data["state"]),
                bin=self.current_bin,
            )
        )
        self.lines.set_rows(data["lines"])

    def handle_scan(self, code: str) -> bool:
        from app.services.stock.scanning import parse_scan

        scan = parse_scan(code)
        if scan.kind == "order":
            return False
        if scan.kind == "invalid":
            self._refused(scan.error or _("That scan means nothing here."))
        elif code.strip().upper().startswith("TR-"):
            self.number_input.setText(code.strip().upper())
            self.open(code)
        elif not self.number:
            self._refused(_("Scan or type the transfer's number (TR-…) first."))
        else:
            number, current, actor = self.number, self.current_bin, self.ctx.actor
            op(
                self, self.ctx, lambda s: transit.receive_desk(s, actor, number, current, code)
            ).on_success(lambda desk: self._scanned(number, desk)).message(self._refused).run()
        return True

    def _scanned(self, number: str, desk: DeskScan) -> None:
        if number != self.number:
            return
        self.current_bin = desk.bin
        got = desk.received
        if got is None:
            say(self.message, _("Receiving into {bin}.").format(bin=desk.bin))
        else:
            said = (
                _("{sku}: +{added} into {bin}; all received.")
                if got.state == "received"
                else _("{sku}: +{added} into {bin}; {left} still to come.")
            )
            say(
                self.message,
                said.format(sku=got.sku, added=got.added, bin=desk.bin, left=got.remaining),
            )
        self.open(number)

    def _refused(self, text: str) -> None:
        say(self.message, text, error=True)
