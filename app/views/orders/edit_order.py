"""Edit order: the New order form opened on an order that is still new or accepted, filled
with its lines, shipping and ship-to address (issue 15).

What an edit may change is what entry.edit_entry_order takes: the lines (scan, SKU or
words, Delete), the carrier and shipping cost, the ship-to address, with an override reason
where a price or discount is new. The customer, channel, payment terms and notes belong to
the order as taken and are not shown. The save hands back the version the form was opened
on, so an edit made meanwhile on another workstation is refused (ConflictError) in words,
and this form stays as typed.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QWidget

from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.money import to_decimal
from app.services.fulfilment import shipping
from app.services.sales import entry, order_editing
from app.services.sales.customers import AddressInput
from app.services.sales.order_editing import EditableOrder
from app.views.context import AppContext
from app.views.ops import op, query
from app.views.orders.entry import NewOrderDialog
from app.views.orders.entry_parts import DraftLine, address_rows

SHIP_FIELDS = ("name", "line1", "line2", "city", "postcode", "region", "country")


class ShipToBox(QGroupBox):
    """The order's ship-to address, as it is on the order (not the customer's book)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Ship to"), parent, objectName="ship_to_box")
        self.fields = address_rows(QFormLayout(self), SHIP_FIELDS, "ship")

    def fill(self, address: AddressInput) -> None:
        for key, field in self.fields.items():
            field.setText(str(getattr(address, key)))

    def value(self) -> AddressInput:
        f = {key: field.text() for key, field in self.fields.items()}
        return AddressInput(
            f["line1"],
            f["city"],
            f["postcode"],
            f["country"],
            name=f["name"],
            line2=f["line2"],
            region=f["region"],
        )


class EditOrderDialog(NewOrderDialog):
    edited = Signal(int)  # the order's id, once the change has committed

    def __init__(self, ctx: AppContext, order_id: int, parent: QWidget | None = None) -> None:
        self.order: EditableOrder | None = None
        self._carriers_shown = False
        super().__init__(ctx, parent)
        self.setObjectName("edit_order")
        self.setWindowTitle(_("Edit order"))
        self.order_id = order_id
        self.save_button.setText(_("Save changes (Ctrl+Return)"))
        self.save_button.setEnabled(False)  # until the order is read
        self.customer_search.setEnabled(False)
        self.customer_choice.setEnabled(False)
        self.new_customer.hide()
        self._hide_what_an_edit_keeps()
        self.ship_box = ShipToBox(self)
        layout = self.layout()
        layout.insertWidget(layout.indexOf(self.message), self.ship_box)  # type: ignore[attr-defined]
        actor = ctx.actor
        query(self, ctx, lambda s: order_editing.editable_order(s, actor, order_id)).on_success(
            self._fill
        ).message(self.say).run()

    def _hide_what_an_edit_keeps(self) -> None:
        """Channel, payment terms, the advance, the delivery date and notes: as taken."""
        form = self.shipping_form
        for widget in (self.channel, self.terms, self.deliver_by, self.note):
            form.setRowVisible(widget, False)
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            held = item.layout() if item is not None else None
            if held is not None and held.indexOf(self.advance) >= 0:
                form.setRowVisible(row, False)

    def _fill(self, order: EditableOrder) -> None:
        self.order = order
        self.setWindowTitle(_("Edit order {number}").format(number=order.number))
        self.customer_choice.clear()
        self.customer_choice.addItem(order.customer_name, order.customer_id)
        self.lines.set_rows([self._draft(line) for line in order.lines])
        cost = order.shipping_cost
        self.shipping_cost.setText(str(to_decimal(cost, self.ctx.currency)) if cost else "")
        self.ship_box.fill(order.ship_to)
        self._choose_carrier()
        self.save_button.setEnabled(True)
        self.say(
            _("{number}: change the lines, shipping or address, then save.").format(
                number=order.number
            )
        )
        self.product_input.setFocus()

    @staticmethod
    def _draft(line: order_editing.EditLine) -> DraftLine:
        return DraftLine(
            line.product_id,
            line.sku,
            line.name,
            line.quantity,
            line.list_price,
            line.unit_price,
            line.discount,
        )

    def _show_carriers(self, rows: list[shipping.CarrierRow]) -> None:
        super()._show_carriers(rows)
        self._carriers_shown = True
        self._choose_carrier()

    def _choose_carrier(self) -> None:
        """The order's carrier, once both the order and the carriers are read."""
        if self.order is not None and self._carriers_shown:
            self.carrier.setCurrentIndex(max(self.carrier.findData(self.order.carrier_code), 0))

    def change(self) -> entry.EntryEdit:
        """What differs from the order as it was read (None: left as it is)."""
        order = self.order
        if order is None:
            raise ValidationError(_("The order is still being read."))
        lines = tuple(line.entry() for line in self.lines.rows())
        before = tuple(self._draft(line).entry() for line in order.lines)
        cost = self._money(self.shipping_cost.text(), 0)
        same_lines = lines == before and cost == order.shipping_cost
        carrier = str(self.carrier.currentData() or "")
        ship_to = self.ship_box.value()
        return entry.EntryEdit(
            lines=None if same_lines else lines,
            shipping_cost=None if same_lines else cost,
            carrier_code=None if carrier == order.carrier_code else carrier,
            ship_to=None if ship_to == order.ship_to else ship_to,
            override_reason=self.reason.text(),
        )

    def save(self) -> None:
        order = self.order
        if order is None or not self.save_button.isEnabled():
            return
        try:
            change = self.change()
        except ValidationError as exc:
            self.say(exc.message)
            return
        actor, version = self.ctx.actor, order.version
        op(
            self,
            self.ctx,
            lambda s: entry.edit_entry_order(s, actor, order.id, change, version),
        ).busy(self.save_button).on_success(lambda _v: self._edited(order)).message(self.say).run()

    def _edited(self, order: EditableOrder) -> None:
        self.say(_("{number} changed.").format(number=order.number))
        self.edited.emit(order.id)
        self.accept()
