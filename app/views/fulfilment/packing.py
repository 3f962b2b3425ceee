"""The packing bench: scan the order (pick list or tote label), scan each item into the
box, weigh it, F6 for another box, F10 when everything is in (the packing slip prints),
then the tracking number — scanned, typed, or made by F12 from the carrier's pattern —
and F12 ships it and prints a 4x6 label per package."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import KestrelError, ValidationError
from app.services.fulfilment import packing, shipping
from app.services.fulfilment.packing import PackState
from app.services.stock.scanning import parse_scan
from app.views.context import AppContext
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.widgets import allow, key_buttons, make_table, say

PROMPT = "font-size: 20pt; font-weight: 700"


def parse_kilos(text: str) -> int:
    """'1,25' or '1.25' kg -> 1250 g."""
    cleaned = text.strip().lower().removesuffix("kg").strip().replace(",", ".")
    try:
        kilos = float(cleaned)
    except ValueError:
        raise ValidationError(f"'{text.strip()}' is not a weight in kg.") from None
    if not math.isfinite(kilos) or kilos <= 0:
        raise ValidationError("A package's weight is a number of kg above zero.")
    if kilos > 1000:
        raise ValidationError(f"{kilos:g} kg is not a parcel: check the weight.")
    return round(kilos * 1000)


class PackingPage(QWidget):
    back = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.state: PackState | None = None
        self.prompt = QLabel("Scan an order to pack", objectName="pack_prompt", styleSheet=PROMPT)
        self.prompt.setWordWrap(True)
        self.message = QLabel(objectName="pack_message", wordWrap=True)
        self.lines = RowsTableModel(
            [
                Column("SKU", lambda r: r.sku),
                Column("Product", lambda r: r.name),
                Column("Ordered", lambda r: str(r.ordered), align=RIGHT),
                Column("Picked", lambda r: str(r.at_bench), align=RIGHT),
                Column("Packed", lambda r: str(r.packed), align=RIGHT),
                Column("To pack", lambda r: str(r.to_pack), align=RIGHT),
            ],
            self,
        )
        self.packages = RowsTableModel(
            [
                Column("Package", lambda p: str(p.number), align=RIGHT),
                Column("Items", lambda p: str(p.items), align=RIGHT),
                Column("Weight", lambda p: f"{p.weight_g / 1000:g} kg" if p.weight_g else "—"),
                Column("Tracking", lambda p: p.tracking_number),
                Column("State", lambda p: p.status),
            ],
            self,
        )
        self.weight = QLineEdit(objectName="pack_weight")
        self.weight.setPlaceholderText("kg, e.g. 1.25 — Enter sets it")
        self.weight.returnPressed.connect(self.set_weight)
        self.carrier = QComboBox(objectName="pack_carrier")
        self.tracking = QLineEdit(objectName="pack_tracking")
        self.tracking.setPlaceholderText("Scan or type; empty makes them; one per package, commas")
        form = QFormLayout()
        form.addRow("Weight of the open package", self.weight)
        form.addRow("Carrier", self.carrier)
        form.addRow("Tracking number(s)", self.tracking)
        buttons = key_buttons(
            self,
            "pack",
            (
                ("new_package", "F6  New package", Qt.Key.Key_F6, self.new_package),
                ("weigh", "F7  Weight", Qt.Key.Key_F7, self.weigh),
                ("finish", "F10  Finish packing", Qt.Key.Key_F10, self.finish),
                ("ship", "F12  Ship", Qt.Key.Key_F12, self.ship),
                ("back", "Back (Esc)", Qt.Key.Key_Escape, self.back.emit),
            ),
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.message)
        layout.addWidget(make_table(self.lines, "pack_lines", stretch=1), 2)
        layout.addWidget(make_table(self.packages, "pack_packages", stretch=3), 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self._allow()

    def load_carriers(self) -> None:
        with self.ctx.database.read() as session:
            rows = shipping.carriers(session)
        self.carrier.clear()
        for row in rows:
            self.carrier.addItem(row.label, row.id)

    def say(self, text: str, error: bool = False) -> None:
        say(self.message, text, error)

    def open_order(self, order_id: int) -> None:
        if self.carrier.count() == 0:
            self.load_carriers()
        self.refresh(order_id)
        self.say("")

    def refresh(self, order_id: int | None = None) -> None:
        target = order_id if order_id is not None else (self.state.order_id if self.state else None)
        if target is None:
            return
        with self.ctx.database.read() as session:
            self.state = packing.state(session, target)
        state = self.state
        self.lines.set_rows(list(state.lines))
        self.packages.set_rows(list(state.packages))
        if state.status == "packed":
            self.prompt.setText(
                f"{state.number} is packed: scan the tracking number or press F12 to ship"
            )
        elif state.to_pack:
            current = state.current_package
            box = current.number if current else 1
            self.prompt.setText(f"{state.number}: scan items into package {box}")
        else:
            self.prompt.setText(f"{state.number}: weigh the package(s), then F10")
        self._allow()

    def _allow(self) -> None:
        """Each bench button greyed with the reason while it cannot apply (its F-key then
        says the same reason out loud)."""
        state = self.state
        packing_now = "" if state is None else state.status
        if state is None:
            busy = ready = "Scan an order to pack first."
        elif packing_now == "packed":
            busy, ready = f"{state.number} is packed: ship it (F12).", ""
        elif packing_now in ("shipped", "delivered"):
            busy = ready = f"{state.number} has left: scan the next order."
        else:
            busy, ready = "", "Finish packing first (F10)."
        for name in ("new_package", "weigh"):
            allow(self.findChild(QPushButton, f"pack_{name}"), busy)
        empty = state is not None and not busy and not any(p.items for p in state.packages)
        finish = busy or ("Scan the items into the package first." if empty else "")
        allow(self.findChild(QPushButton, "pack_finish"), finish)
        allow(self.findChild(QPushButton, "pack_ship"), ready)

    def handle_scan(self, code: str) -> bool:
        try:
            if parse_scan(code).kind == "order":
                with self.ctx.database.read() as session:
                    order_id = packing.open_for_packing_or_shipping(session, code)
                self.open_order(order_id)
                return True
            if self.state is None:
                raise ValidationError("Scan the order first (its barcode on the pick list).")
            if self.state.status == "packed":  # a tracking label's barcode
                current = self.tracking.text().strip()
                self.tracking.setText(f"{current},{code}" if current else code)
                self.say(f"Tracking {code} taken.")
                return True
            with self.ctx.database.write() as session:
                line, box = packing.pack_item(session, self.ctx.actor, self.state.order_id, code)
        except KestrelError as exc:
            self.say(exc.message, error=True)
            return True
        self.say(f"{line.sku} into package {box}: {line.packed} of {line.at_bench}")
        self.refresh()
        return True

    def _act(self, action) -> bool:  # type: ignore[no-untyped-def]
        if self.state is None:
            self.say("Scan an order first.", error=True)
            return False
        try:
            with self.ctx.database.write() as session:
                result = action(session)
        except KestrelError as exc:
            self.say(exc.message, error=True)
            return False
        self.refresh()
        return result if result is not None else True

    def new_package(self) -> None:
        number = self._act(lambda s: packing.new_package(s, self.ctx.actor, self.state.order_id))
        if number:
            self.say(f"Package {number} started.")

    def weigh(self) -> None:
        """F7: to the weight field (a weight already typed there is set)."""
        if self.weight.text().strip():
            self.set_weight()
            return
        self.weight.setFocus()
        self.weight.selectAll()
        self.say("Type the package's weight in kg, then Enter.")

    def set_weight(self) -> None:
        if self.state is None:
            return
        try:
            grams = parse_kilos(self.weight.text())
        except ValidationError as exc:
            self.say(exc.message, error=True)
            return
        targets = [p for p in self.state.packages if p.status == "open"] or [
            p for p in self.state.packages if p.status == "closed" and not p.weight_g
        ]
        if not targets:
            self.say("There is no package to weigh yet: scan an item first.", error=True)
            return
        package = targets[-1]
        if self._act(lambda s: packing.set_weight(s, self.ctx.actor, package.id, grams)):
            self.weight.clear()
            self.say(f"Package {package.number}: {grams / 1000:g} kg")

    def finish(self) -> None:
        count = self._act(
            lambda s: packing.finish_and_print_slip(
                s, self.ctx.actor, self.ctx.workstation.workstation_name, self.state.order_id
            )
        )
        if count:
            self.ctx.jobs_queued()
            self.say(f"Packed in {count} package(s); the packing slip is printing.")
            self.tracking.setFocus()

    def ship(self) -> None:
        if self.state is None or self.state.status != "packed":
            self.say("Finish packing first (F10).", error=True)
            return
        carrier_id = self.carrier.currentData()
        if carrier_id is None:
            self.say("Add a carrier in Settings first.", error=True)
            return
        text = self.tracking.text().strip()
        numbers = [t for t in (p.strip() for p in text.split(",")) if t] if text else None
        number = self.state.number
        result = self._act(
            lambda s: shipping.ship(
                s,
                self.ctx.actor,
                self.state.order_id,
                carrier_id,
                numbers,
                self.ctx.workstation.workstation_name,
            )
        )
        if result:
            self.ctx.jobs_queued()
            self.tracking.clear()
            backorder = " Part of it is on backorder." if result.status != "shipped" else ""
            self.say(f"{number} shipped: {', '.join(result.tracking)}.{backorder}")
            self.prompt.setText("Scan the next order to pack")
