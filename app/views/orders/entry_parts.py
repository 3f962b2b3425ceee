"""The pieces of the New order form (entry.py): the draft lines the clerk builds before
anything is saved, and the small new-customer form."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLineEdit, QPushButton, QWidget

from app.core.i18n import N_, _
from app.services.sales.customers import AddressInput, CustomerInput
from app.services.sales.entry import EntryLine
from app.views.table_models import RIGHT, Column, RowsTableModel


@dataclass(frozen=True)
class DraftLine:
    """A line on the form: the catalogue's price, and the one typed over it, if any."""

    product_id: int
    sku: str
    name: str
    quantity: int
    list_price: int
    unit_price: int
    discount: int = 0

    @property
    def total(self) -> int:
        return self.quantity * self.unit_price - self.discount

    @property
    def overridden(self) -> bool:
        return self.unit_price != self.list_price or self.discount > 0

    def entry(self) -> EntryLine:
        price = self.unit_price if self.unit_price != self.list_price else None
        return EntryLine(self.sku, self.quantity, price, self.discount)


class DraftLines(RowsTableModel):
    """The form's lines; the same product at the same price adds up on one line."""

    def __init__(self, money: Callable[[int], str], parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(N_("SKU"), lambda r: r.sku),
                Column(N_("Product"), lambda r: r.name),
                Column(N_("Qty"), lambda r: str(r.quantity), align=RIGHT),
                Column(N_("Price"), lambda r: money(r.unit_price) + (" *" if r.overridden else "")),
                Column(
                    N_("Discount"), lambda r: money(r.discount) if r.discount else "", align=RIGHT
                ),
                Column(N_("Total"), lambda r: money(r.total), align=RIGHT),
            ],
            parent,
        )

    def add(self, line: DraftLine) -> int:
        """Add the line (or its quantity to a matching one); returns its row."""
        rows = self.rows()
        for number, row in enumerate(rows):
            same = (row.product_id, row.unit_price, row.discount)
            if same == (line.product_id, line.unit_price, line.discount):
                rows[number] = replace(row, quantity=row.quantity + line.quantity)
                self.set_rows(rows)
                return number
        self.set_rows([*rows, line])
        return len(rows)

    def remove(self, number: int) -> None:
        rows = self.rows()
        if 0 <= number < len(rows):
            del rows[number]
            self.set_rows(rows)

    def total(self) -> int:
        return sum(r.total for r in self.rows())

    def overridden(self) -> bool:
        return any(r.overridden for r in self.rows())


# The contact and address fields the order forms ask for, named once (marked here)
ADDRESS_LABELS = {
    "name": N_("Name"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
    "line1": N_("Street"),
    "line2": N_("Address line 2"),
    "city": N_("City"),
    "postcode": N_("Postcode"),
    "region": N_("Region"),
    "country": N_("Country (IE, DE…)"),
}


def address_rows(
    form: QFormLayout, keys: Sequence[str], prefix: str, values: object = None
) -> dict[str, QLineEdit]:
    """A labelled line edit per key (filled from `values`' attributes when given), each
    named `prefix_key`."""
    fields: dict[str, QLineEdit] = {}
    for key in keys:
        text = "" if values is None else str(getattr(values, key))
        fields[key] = QLineEdit(text, objectName=f"{prefix}_{key}")
        form.addRow(_(ADDRESS_LABELS[key]), fields[key])
    return fields


class NewCustomerBox(QGroupBox):
    """Name, e-mail, phone and a shipping address: enough for a phone order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("New customer"), parent, objectName="new_customer")
        layout = QFormLayout(self)
        keys = ("name", "email", "phone", "line1", "city", "postcode", "country")
        self.fields = address_rows(layout, keys, "customer")
        self.add_button = QPushButton(_("Add customer"), objectName="add_customer")
        layout.addRow(self.add_button)

    def value(self) -> CustomerInput:
        f = {key: field.text() for key, field in self.fields.items()}
        address = None
        if f["line1"].strip() or f["city"].strip():
            address = AddressInput(f["line1"], f["city"], f["postcode"], f["country"])
        return CustomerInput(f["name"], f["email"], f["phone"], address)

    def clear(self) -> None:
        for field in self.fields.values():
            field.clear()
