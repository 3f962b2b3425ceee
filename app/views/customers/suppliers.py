"""Suppliers (the Customers screen's second tab): the list with search, a supplier's
currency, lead time and payment terms, its contacts, and its terms per product (supplier
SKU, cost, minimum order quantity, pack size). Managers change them; others read."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.auth import Permission
from app.core.i18n import _, pgettext
from app.core.money import parse_money, to_decimal
from app.services.purchasing import suppliers
from app.services.purchasing.suppliers import SupplierInput, SupplierRow, TermsInput, TermsRow
from app.services.sales.customer_detail import get_customer
from app.views.context import AppContext
from app.views.customers.dialogs import CustomerDialog, FormDialog, Submit
from app.views.ops import op, query
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.transfer.buttons import TransferButtons
from app.views.widgets import allow, make_table, say


class SupplierDialog(FormDialog):
    def __init__(self, title: str, submit: Submit, parent: QWidget | None, row: SupplierRow | None):
        super().__init__(title, submit, parent)
        self.fields = {
            key: QLineEdit(objectName=f"supplier_{key}")
            for key in ("name", "email", "phone", "currency", "terms")
        }
        self.lead = QSpinBox(objectName="supplier_lead_time")
        self.lead.setRange(0, suppliers.MAX_LEAD_DAYS)
        self.lead.setSuffix(_(" days"))
        self.fields["currency"].setText("EUR")
        self.fields["terms"].setPlaceholderText(_("e.g. 30 days net"))
        for label, key in ((_("&Name"), "name"), (_("&E-mail"), "email"), (_("&Phone"), "phone")):
            self.form.addRow(label, self.fields[key])
        self.form.addRow(_("&Currency"), self.fields["currency"])
        self.form.addRow(_("&Lead time"), self.lead)
        self.form.addRow(_("Payment &terms"), self.fields["terms"])
        self.finish_form()
        if row is not None:
            for key, value in (
                ("name", row.name),
                ("email", row.email),
                ("phone", row.phone),
                ("currency", row.currency),
                ("terms", row.payment_terms),
            ):
                self.fields[key].setText(value)
            self.lead.setValue(row.lead_time_days)
        self.fields["name"].setFocus()

    def data(self) -> SupplierInput:
        f = {key: edit.text() for key, edit in self.fields.items()}
        return SupplierInput(
            f["name"], f["email"], f["phone"], f["currency"], self.lead.value(), f["terms"]
        )


class TermsDialog(FormDialog):
    """A product's terms with this supplier; the cost is typed as money ("4.50")."""

    def __init__(self, submit: Submit, parent: QWidget | None, row: TermsRow | None) -> None:
        super().__init__(_("Product terms"), submit, parent)
        self.sku = QLineEdit(objectName="terms_sku")
        self.supplier_sku = QLineEdit(objectName="terms_supplier_sku")
        self.cost = QLineEdit(objectName="terms_cost")
        self.min_qty = QSpinBox(objectName="terms_min_qty")
        self.pack = QSpinBox(objectName="terms_pack")
        for spin in (self.min_qty, self.pack):
            spin.setRange(1, 1_000_000)
        self.form.addRow(_("Our &SKU"), self.sku)
        self.form.addRow(_("Su&pplier SKU"), self.supplier_sku)
        self.form.addRow(_("&Cost"), self.cost)
        self.form.addRow(_("&Minimum order"), self.min_qty)
        self.form.addRow(_("Pac&k size"), self.pack)
        self.finish_form()
        if row is not None:
            self.sku.setText(row.sku)
            self.supplier_sku.setText(row.supplier_sku)
            self.cost.setText(str(to_decimal(row.cost, row.currency or "EUR")))
            self.min_qty.setValue(row.min_order_qty)
            self.pack.setValue(row.pack_size)
        self.sku.setFocus()

    def data(self) -> tuple[str, str, str, int, int]:
        return (
            self.sku.text(),
            self.supplier_sku.text(),
            self.cost.text(),
            self.min_qty.value(),
            self.pack.value(),
        )


class SuppliersPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: QWidget | None = None
        self.current: SupplierRow | None = None
        money = ctx.money
        self.search = QLineEdit(objectName="supplier_search")
        self.search.setPlaceholderText(_("Supplier name, e-mail or phone"))
        self.search.returnPressed.connect(self.refresh)
        self.message = QLabel(objectName="supplier_message", wordWrap=True)
        self.model = RowsTableModel(
            [
                Column(_("Name"), lambda r: r.name),
                Column(_("Currency"), lambda r: r.currency),
                Column(_("Lead time"), lambda r: f"{r.lead_time_days} d", align=RIGHT),
                Column(_("Payment terms"), lambda r: r.payment_terms),
            ],
            self,
        )
        self.terms = RowsTableModel(
            [
                Column(_("SKU"), lambda r: r.sku),
                Column(_("Product"), lambda r: r.product_name),
                Column(_("Supplier SKU"), lambda r: r.supplier_sku),
                Column(
                    pgettext("purchase price", "Cost"),
                    lambda r: money(r.cost, r.currency or None),
                    align=RIGHT,
                ),
                Column(_("Min"), lambda r: str(r.min_order_qty), align=RIGHT),
                Column(_("Pack"), lambda r: str(r.pack_size), align=RIGHT),
            ],
            self,
        )
        self.contacts = QLabel(objectName="supplier_contacts", wordWrap=True)
        self.table = make_table(self.model, "supplier_list", stretch=0)
        self.terms_table = make_table(self.terms, "supplier_terms", stretch=1)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._chosen())
        self.terms_table.doubleClicked.connect(lambda _i: self.edit_terms())
        self.terms_table.selectionModel().selectionChanged.connect(lambda *_a: self._allow())
        self.buttons = {
            "new": self._button(_("New…"), "supplier_new", self.new_supplier),
            "edit": self._button(_("Edit…"), "supplier_edit", self.edit_supplier),
            "contact": self._button(_("Add contact…"), "supplier_add_contact", self.add_contact),
            "terms": self._button(_("Add terms…"), "terms_add", self.add_terms),
            "change": self._button(_("Change…"), "terms_edit", self.edit_terms),
            "remove": self._button(_("Remove"), "terms_remove", self.remove_terms),
        }
        self._layout()
        self._allow()
        self.refresh()

    def _button(self, text: str, name: str, action: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, objectName=name)
        button.clicked.connect(action)
        return button

    def _layout(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.search, self.message, self.table):
            left_layout.addWidget(widget)
        row = QHBoxLayout()
        for key in ("new", "edit", "contact"):
            row.addWidget(self.buttons[key])
        row.addStretch(1)
        left_layout.addLayout(row)
        self.transfer = TransferButtons(
            self, self.ctx, ("suppliers",), lambda t: say(self.message, t)
        )
        left_layout.addLayout(self.transfer.row())
        right = QWidget()
        right_layout = QFormLayout(right)
        right_layout.addRow(_("Contacts"), self.contacts)
        right_layout.addRow(self.terms_table)
        terms_row = QHBoxLayout()
        for key in ("terms", "change", "remove"):
            terms_row.addWidget(self.buttons[key])
        terms_row.addStretch(1)
        right_layout.addRow(terms_row)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def _allow(self) -> None:
        may = "" if self.ctx.actor.can(Permission.SUPPLIERS_EDIT) else _("managers edit suppliers")
        allow(self.buttons["new"], may)
        chosen = may or ("" if self.current else _("choose a supplier first"))
        for key in ("edit", "contact", "terms"):
            allow(self.buttons[key], chosen)
        picked = chosen or ("" if self._selected_terms() else _("choose a product's terms first"))
        for key in ("change", "remove"):
            allow(self.buttons[key], picked)

    def say(self, text: str) -> None:
        say(self.message, text, error=True)

    # --- reading ------------------------------------------------------------------------
    def refresh(self) -> None:
        actor, text = self.ctx.actor, self.search.text()
        query(self, self.ctx, lambda s: suppliers.list_suppliers(s, actor, text)).on_success(
            self._listed
        ).message(self.say).run()

    def _listed(self, rows: list[SupplierRow]) -> None:
        chosen = self.current.id if self.current else None
        self.model.set_rows(rows)
        self.message.setText("" if rows else _("No suppliers yet."))
        ids = [r.id for r in rows]
        if chosen in ids:
            self.table.selectRow(ids.index(chosen))
        self._allow()

    def _chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.current = self.model.row(rows[0].row()) if rows else None
        self._allow()
        if self.current is None:
            self.terms.set_rows([])
            return
        actor, supplier_id = self.ctx.actor, self.current.id
        query(self, self.ctx, lambda s: suppliers.supplier_terms(s, actor, supplier_id)).on_success(
            self._terms
        ).message(self.say).run()
        query(self, self.ctx, lambda s: get_customer(s, actor, supplier_id)).on_success(
            lambda d: self.contacts.setText(
                "; ".join(f"{c.name} {c.email} {c.phone}".strip() for c in d.contacts) or _("none")
            )
        ).message(self.say).run()

    def _terms(self, rows: list[TermsRow]) -> None:
        self.terms.set_rows(rows)
        self._allow()

    def _selected_terms(self) -> TermsRow | None:
        rows = self.terms_table.selectionModel().selectedRows()
        return self.terms.row(rows[0].row()) if rows else None  # type: ignore[no-any-return]

    # --- writing ------------------------------------------------------------------------
    def _write(self, call, done, refuse) -> None:  # type: ignore[no-untyped-def]
        def written(_result: object) -> None:
            done()
            self.refresh()
            self._chosen()

        op(self, self.ctx, call).on_success(written).message(refuse).run()

    def _open(self, dialog: QWidget) -> QWidget:
        self.dialog = dialog
        dialog.open()  # type: ignore[attr-defined]
        return dialog

    def new_supplier(self) -> QWidget:
        actor = self.ctx.actor
        return self._open(
            SupplierDialog(
                _("New supplier"),
                lambda data, done, refuse: self._write(
                    lambda s: suppliers.create_supplier(s, actor, data), done, refuse
                ),
                self,
                None,
            )
        )

    def edit_supplier(self) -> QWidget | None:
        if self.current is None:
            return None
        actor, supplier_id = self.ctx.actor, self.current.id
        return self._open(
            SupplierDialog(
                _("Edit {name}").format(name=self.current.name),
                lambda data, done, refuse: self._write(
                    lambda s: suppliers.update_supplier(s, actor, supplier_id, data), done, refuse
                ),
                self,
                self.current,
            )
        )

    def add_contact(self) -> QWidget | None:
        if self.current is None:
            return None
        actor, supplier_id = self.ctx.actor, self.current.id
        return self._open(
            CustomerDialog(
                _("New contact at {name}").format(name=self.current.name),
                lambda data, done, refuse: self._write(
                    lambda s: suppliers.add_supplier_contact(s, actor, supplier_id, data),
                    done,
                    refuse,
                ),
                self,
                contact=True,
            )
        )

    def _terms_submit(self, supplier_id: int, currency: str) -> Submit:
        actor, locale = self.ctx.actor, self.ctx.locale

        def submit(data, done, refuse) -> None:  # type: ignore[no-untyped-def]
            sku, supplier_sku, cost, min_qty, pack = data

            def work(s):  # type: ignore[no-untyped-def]
                minor = parse_money(cost or "0", currency or "EUR", locale)
                return suppliers.set_terms(
                    s, actor, supplier_id, TermsInput(sku, supplier_sku, minor, min_qty, pack)
                )

            self._write(work, done, refuse)

        return submit

    def add_terms(self) -> QWidget | None:
        if self.current is None:
            return None
        submit = self._terms_submit(self.current.id, self.current.currency)
        return self._open(TermsDialog(submit, self, None))

    def edit_terms(self) -> QWidget | None:
        row = self._selected_terms()
        if self.current is None or row is None:
            return None
        return self._open(TermsDialog(self._terms_submit(row.supplier_id, row.currency), self, row))

    def remove_terms(self) -> None:
        row = self._selected_terms()
        if row is None:
            return
        actor = self.ctx.actor
        self._write(
            lambda s: suppliers.remove_terms(s, actor, row.supplier_id, row.product_id),
            lambda: None,
            self.say,
        )
