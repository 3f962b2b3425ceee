"""New order: a phone or e-mail order typed while the customer is on the line (issue 15).

Keyboard first: type a name, e-mail or phone and Enter to find the customer (or fill the
new-customer box), then a SKU, a barcode or words and Enter to add a product (a scan adds
it from anywhere in the form), Delete removes the selected line, Ctrl+Return saves. An
advance payment is taken with the order. A price or discount other than the catalogue's
needs price.override and a reason: without the permission those fields stay locked, and
the service refuses it anyway. Every read and the save go through the operation helper,
off the GUI thread.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.auth import Permission
from app.core.errors import ValidationError
from app.core.i18n import _, ngettext
from app.core.money import parse_money
from app.db import ServiceSession as Session
from app.services.fulfilment import shipping
from app.services.sales import accounts, customers, entry
from app.services.sales.order_entry import OrderRef
from app.services.stock import catalogue
from app.services.stock.catalogue import ProductRow
from app.views.context import AppContext
from app.views.ops import op, query
from app.views.orders.entry_parts import DraftLine, DraftLines, NewCustomerBox
from app.views.widgets import make_table

MATCHES = 20  # products a search by words offers


def _typed(session: Session, text: str) -> list[ProductRow]:
    """A SKU or barcode exactly, else products by words."""
    hit = catalogue.find_by_code(session, text)
    if hit is not None:
        return catalogue.product_rows(session, [hit.product_id])
    return catalogue.search_products(session, text, 0, MATCHES)


def _scanned(session: Session, code: str) -> tuple[ProductRow, int]:
    hit, units = catalogue.scanned_item(session, code)
    return catalogue.product_rows(session, [hit.product_id])[0], units


class NewOrderDialog(QDialog):
    created = Signal(int)  # the new order's id

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="new_order")
        self.ctx = ctx
        self.ref: OrderRef | None = None
        self.setWindowTitle(_("New order"))
        self.message = QLabel(objectName="message", wordWrap=True)
        self.lines = DraftLines(ctx.money, self)
        self._build_customer()
        self._build_products()
        self._build_shipping()
        self.save_button = QPushButton(_("Save order (Ctrl+Return)"), objectName="save")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.save)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(self.customer_row)
        layout.addWidget(self.new_customer)
        layout.addLayout(self.product_row)
        layout.addWidget(self.lines_view, 1)
        layout.addWidget(self.total_label)
        layout.addLayout(self.shipping_form)
        layout.addWidget(self.message)
        layout.addWidget(self.save_button)
        self._load_carriers()
        self.customer_search.setFocus()

    # --- building -------------------------------------------------------------------

    def _build_customer(self) -> None:
        self.customer_search = QLineEdit(objectName="customer_search")
        self.customer_search.setPlaceholderText(_("Customer: name, e-mail or phone, then Enter"))
        self.customer_search.returnPressed.connect(self.find_customer)
        self.customer_choice = QComboBox(objectName="customer_choice")
        self.customer_choice.setMinimumContentsLength(30)
        self.customer_row = QHBoxLayout()
        self.customer_row.addWidget(self.customer_search, 1)
        self.customer_row.addWidget(self.customer_choice, 1)
        self.new_customer = NewCustomerBox(self)
        self.new_customer.add_button.clicked.connect(self.add_customer)

    def _build_products(self) -> None:
        may_override = self.ctx.actor.can(Permission.PRICE_OVERRIDE)
        self.product_input = QLineEdit(objectName="product_input")
        self.product_input.setPlaceholderText(_("Product: SKU, barcode or words, then Enter"))
        self.product_input.returnPressed.connect(self.find_product)
        self.matches = QComboBox(objectName="matches")
        self.matches.setVisible(False)
        self.matches.activated.connect(lambda _i: self._add_chosen())
        self.quantity = QSpinBox(objectName="quantity", minimum=1, maximum=99_999)
        self.price = QLineEdit(objectName="price", placeholderText=_("list price"))
        self.discount = QLineEdit(objectName="discount", placeholderText=_("no discount"))
        self.reason = QLineEdit(objectName="reason", placeholderText=_("why (override)"))
        for field in (self.price, self.discount, self.reason):
            field.setEnabled(may_override)
            if not may_override:
                field.setToolTip(_("Overrides need the price.override permission."))
        self.product_row = QHBoxLayout()
        for label, widget in (
            ("", self.product_input),
            ("", self.matches),
            (_("Qty"), self.quantity),
            (_("Price"), self.price),
            (_("Discount"), self.discount),
            (_("Reason"), self.reason),
        ):
            if label:
                self.product_row.addWidget(QLabel(label))
            self.product_row.addWidget(widget, 2 if widget is self.product_input else 0)
        self.lines_view = make_table(self.lines, "entry_lines", stretch=1)
        QShortcut(QKeySequence.StandardKey.Delete, self.lines_view, self.remove_selected)
        self.total_label = QLabel(objectName="total")
        self.lines.modelReset.connect(self._show_total)
        self._show_total()

    def _build_shipping(self) -> None:
        self.channel = QComboBox(objectName="channel")
        self.channel.addItem(_("Phone"), "phone")
        self.channel.addItem(_("E-mail"), "email")
        self.carrier = QComboBox(objectName="carrier")
        self.carrier.addItem(_("(any carrier)"), "")
        self.shipping_cost = QLineEdit(objectName="shipping_cost", placeholderText="0.00")
        self.terms = QComboBox(objectName="terms")
        for terms, label in accounts.TERMS_LABELS.items():
            self.terms.addItem(_(label), terms.value)
        self.deliver_by_set = QCheckBox(_("Requested delivery"), objectName="deliver_by_set")
        self.deliver_by = QDateEdit(QDate.currentDate().addDays(2), objectName="deliver_by")
        self.deliver_by.setCalendarPopup(True)
        self.deliver_by.setEnabled(False)
        self.deliver_by_set.toggled.connect(self.deliver_by.setEnabled)
        self.advance = QLineEdit(objectName="advance", placeholderText=_("nothing paid yet"))
        self.advance_method = QComboBox(objectName="advance_method")
        self.advance_method.addItem(_("Card"), "card")
        self.advance_method.addItem(_("Bank transfer"), "bank_transfer")
        self.advance_reference = QLineEdit(objectName="advance_reference")
        self.advance_reference.setPlaceholderText(_("card authorisation or transfer reference"))
        paid = QHBoxLayout()
        for widget in (self.advance, self.advance_method, self.advance_reference):
            paid.addWidget(widget)
        self.note = QPlainTextEdit(objectName="note")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(self.fontMetrics().height() * 4)
        self.shipping_form = QFormLayout()
        self.shipping_form.addRow(_("Channel"), self.channel)
        self.shipping_form.addRow(_("Shipping"), self.carrier)
        self.shipping_form.addRow(_("Shipping cost"), self.shipping_cost)
        self.shipping_form.addRow(_("Payment"), self.terms)
        self.shipping_form.addRow(_("Paid now"), paid)
        self.shipping_form.addRow(self.deliver_by_set, self.deliver_by)
        self.shipping_form.addRow(_("Notes"), self.note)

    def _load_carriers(self) -> None:
        query(self, self.ctx, shipping.carriers).on_success(self._show_carriers).message(
            self.say
        ).run()

    def _show_carriers(self, rows: list[shipping.CarrierRow]) -> None:
        for row in rows:
            self.carrier.addItem(f"{row.code} — {row.label}", row.code)

    # --- customer -------------------------------------------------------------------

    def say(self, text: str) -> None:
        self.message.setText(text)

    def find_customer(self) -> None:
        text = self.customer_search.text().strip()
        if not text:
            return
        query(self, self.ctx, lambda s: customers.search_customers(s, text)).on_success(
            self._show_customers
        ).message(self.say).run()

    def _show_customers(self, rows: list[customers.CustomerRow]) -> None:
        self.customer_choice.clear()
        for row in rows:
            where = f", {row.city}" if row.city else ""
            self.customer_choice.addItem(f"{row.name} <{row.email}>{where}", row.id)
        if rows:
            self.say(
                ngettext("{count} customer found.", "{count} customers found.", len(rows)).format(
                    count=len(rows)
                )
            )
            self.product_input.setFocus()
        else:
            self.say(_("No customer matches: fill in the new customer below."))
            self.new_customer.fields["name"].setFocus()

    def add_customer(self) -> None:
        data, actor = self.new_customer.value(), self.ctx.actor
        op(self, self.ctx, lambda s: customers.create_customer(s, actor, data)).busy(
            self.new_customer.add_button
        ).on_success(lambda party_id: self._customer_added(party_id, data.name)).message(
            self.say
        ).run()

    def for_customer(self, party_id: int, name: str) -> None:
        """Opened from a customer's page: that customer is chosen, the products are next."""
        self.customer_choice.clear()
        self.customer_choice.addItem(name, party_id)
        self.say(_("New order for {name}: add the products.").format(name=name))
        self.product_input.setFocus()

    def _customer_added(self, party_id: int, name: str) -> None:
        self.customer_choice.clear()
        self.customer_choice.addItem(name.strip(), party_id)
        self.new_customer.clear()
        self.say(_("Customer {name} added.").format(name=name.strip()))
        self.product_input.setFocus()

    # --- products -------------------------------------------------------------------

    def find_product(self) -> None:
        text = self.product_input.text().strip()
        if not text:
            return
        query(self, self.ctx, lambda s: _typed(s, text)).on_success(
            lambda rows: self._show_matches(text, rows)
        ).message(self.say).run()

    def _show_matches(self, text: str, rows: list[ProductRow]) -> None:
        rows = [r for r in rows if r.active] or rows
        if not rows:
            self.say(_("No product matches '{text}'.").format(text=text))
            return
        if len(rows) == 1:
            self._add(rows[0], self.quantity.value())
            return
        self.matches.clear()
        for row in rows:
            self.matches.addItem(f"{row.sku} — {row.name}", row)
        self.matches.setVisible(True)
        self.matches.setFocus()
        self.matches.showPopup()
        self.say(_("{count} products match: choose one and press Enter.").format(count=len(rows)))

    def _add_chosen(self) -> None:
        row = self.matches.currentData()
        if isinstance(row, ProductRow):
            self.matches.hidePopup()
            self.matches.setVisible(False)
            self._add(row, self.quantity.value())

    def handle_scan(self, code: str) -> bool:
        """A scan adds the product (a case code its pack quantity) wherever the focus is."""
        query(self, self.ctx, lambda s: _scanned(s, code)).on_success(
            lambda found: self._add(found[0], found[1])
        ).message(self.say).run()
        return True

    def _add(self, row: ProductRow, quantity: int) -> None:
        if not row.active:
            self.say(
                _("{sku} '{name}' is archived and no longer sold.").format(
                    sku=row.sku, name=row.name
                )
            )
            return
        try:
            price = self._money(self.price.text(), row.price)
            discount = self._money(self.discount.text(), 0)
        except ValidationError as exc:
            self.say(exc.message)
            return
        line = DraftLine(row.id, row.sku, row.name, quantity, row.price, price, discount)
        self.lines_view.selectRow(self.lines.add(line))
        self.say(
            _("Added {quantity} x {sku} '{name}'.").format(
                quantity=quantity, sku=row.sku, name=row.name
            )
        )
        for field in (self.product_input, self.price, self.discount):
            field.clear()
        self.quantity.setValue(1)
        self.product_input.setFocus()

    def _money(self, text: str, default: int) -> int:
        return parse_money(text, self.ctx.currency, self.ctx.locale) if text.strip() else default

    def remove_selected(self) -> None:
        rows = self.lines_view.selectionModel().selectedRows()
        if rows:
            self.lines.remove(rows[0].row())

    def _show_total(self) -> None:
        count = self.lines.rowCount()
        self.total_label.setText(
            ngettext("{count} line, {total}", "{count} lines, {total}", count).format(
                count=count, total=self.ctx.money(self.lines.total())
            )
        )

    # --- saving ---------------------------------------------------------------------

    def form(self) -> entry.EntryInput:
        """What the form says, for the service (a bad amount is a ValidationError)."""
        customer_id = self.customer_choice.currentData()
        if customer_id is None:
            raise ValidationError(_("Find or add the customer first."), "customer")
        requested: date | None = None
        if self.deliver_by_set.isChecked():
            requested = self.deliver_by.date().toPython()  # type: ignore[assignment]
        return entry.EntryInput(
            lines=tuple(line.entry() for line in self.lines.rows()),
            customer_id=int(customer_id),
            channel=str(self.channel.currentData()),
            carrier_code=str(self.carrier.currentData() or ""),
            shipping_cost=self._money(self.shipping_cost.text(), 0),
            note=self.note.toPlainText(),
            requested_delivery=requested,
            payment_terms=str(self.terms.currentData()),
            override_reason=self.reason.text(),
            advance=self._money(self.advance.text(), 0),
            advance_method=str(self.advance_method.currentData()),
            advance_reference=self.advance_reference.text(),
        )

    def save(self) -> None:
        try:
            data = self.form()
        except ValidationError as exc:
            self.say(exc.message)
            return
        actor = self.ctx.actor
        op(self, self.ctx, lambda s: entry.create_entry_order(s, actor, data)).busy(
            self.save_button
        ).on_success(self._saved).message(self.say).run()

    def _saved(self, ref: OrderRef) -> None:
        self.ref = ref
        self.say(_("{number} saved.").format(number=ref.number))
        self.created.emit(ref.id)
        self.accept()

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        """Enter in a field must not press a default button: it finds or adds instead."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            return
        super().keyPressEvent(event)
