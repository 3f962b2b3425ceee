"""A customer's detail pane: who they are (and their flags), then tabs for addresses,
contacts, the order history (a page at a time), open orders, returns, and store credit
with gift cards. Edits open dialogs (dialogs.py) and go through services as operations."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.auth import Permission
from app.core.i18n import _, ngettext
from app.services.sales import accounts, customers, orders
from app.services.sales.customer_detail import (
    AddressRow,
    CustomerDetail,
    HistoryRow,
    get_customer,
    order_history,
)
from app.views.context import AppContext, local_time
from app.views.customers.dialogs import AddressDialog, CustomerDialog, address_kind
from app.views.fulfilment.states import state_label
from app.views.ops import op, query
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.widgets import allow, make_table, say

HISTORY_PAGE = 50


class CustomerPane(QWidget):
    """Shows one customer; `changed` tells the screen a write went through."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: CustomerDetail | None = None
        self.dialog: QWidget | None = None  # the open dialog (tests answer it)
        money = ctx.money
        self.title = QLabel(objectName="customer_title")
        self.title.setStyleSheet("font-size: 14pt; font-weight: 600")
        self.info = QLabel(objectName="customer_info", wordWrap=True)
        self.message = QLabel(objectName="customer_pane_message", wordWrap=True)
        self.addresses = RowsTableModel(
            [
                Column(_("Kind"), lambda r: address_kind(r.kind)),
                Column(_("Default"), lambda r: "default" if r.is_default else ""),
                Column(_("Address"), lambda r: r.one_line()),
            ],
            self,
        )
        self.contacts = RowsTableModel(
            [
                Column(_("Name"), lambda r: r.name),
                Column(_("E-mail"), lambda r: r.email),
                Column(_("Phone"), lambda r: r.phone),
            ],
            self,
        )
        order_columns = [
            Column(_("Order"), lambda r: r.number),
            Column(_("When"), lambda r: local_time(r.created_at)),
            Column(_("Status"), lambda r: orders.status_label(r.status)),
            Column(_("Total"), lambda r: money(r.total, r.currency), align=RIGHT),
        ]
        self.history = RowsTableModel(order_columns, self)
        self.open_orders = RowsTableModel(order_columns, self)
        self.returns = RowsTableModel(
            [
                Column(_("Return"), lambda r: r.number),
                Column(_("Order"), lambda r: r.order_number),
                Column(_("State"), lambda r: state_label(r.status)),
                Column(_("Refunded"), lambda r: money(r.refunded), align=RIGHT),
            ],
            self,
        )
        self.cards = RowsTableModel(
            [
                Column(_("Gift card"), lambda r: r.code),
                Column(_("Balance"), lambda r: money(r.balance), align=RIGHT),
                Column(_("Bought on"), lambda r: r.order_number),
            ],
            self,
        )
        self.credit = QLabel(objectName="customer_credit")
        self.tabs = self._tabs()
        self.edit = self._button(_("Edit…"), "customer_edit", self.edit_customer)
        self.add_contact = self._button(_("Add contact…"), "customer_add_contact", self.new_contact)
        self.new_order = self._button(_("New order…"), "customer_new_order", self.start_order)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit)
        buttons.addWidget(self.add_contact)
        buttons.addWidget(self.new_order)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.info)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self._show(None)

    def _tabs(self) -> QTabWidget:
        self.address_table = make_table(self.addresses, "customer_addresses", stretch=2)
        self.history_table = make_table(self.history, "customer_history", stretch=0)
        self.history_table.activated.connect(lambda i: self.open_order(self.history, i.row()))
        self.more = QPushButton(_("More orders"), objectName="customer_more_orders")
        self.more.clicked.connect(self.load_more_history)
        tabs = QTabWidget(objectName="customer_tabs")
        tabs.addTab(self._addresses_tab(), _("&Addresses"))
        tabs.addTab(make_table(self.contacts, "customer_contacts", stretch=0), _("Co&ntacts"))
        history = QWidget()
        history_layout = QVBoxLayout(history)
        history_layout.addWidget(self.history_table)
        history_layout.addWidget(self.more)
        tabs.addTab(history, _("&History"))
        open_table = make_table(self.open_orders, "customer_open", stretch=0)
        open_table.activated.connect(lambda i: self.open_order(self.open_orders, i.row()))
        tabs.addTab(open_table, _("O&pen orders"))
        tabs.addTab(make_table(self.returns, "customer_returns", stretch=0), _("Re&turns"))
        credit = QWidget()
        credit_layout = QVBoxLayout(credit)
        credit_layout.addWidget(self.credit)
        self.account = QLabel(objectName="customer_account")
        self.set_limit = self._button(
            _("Set credit limit…"), "customer_credit_limit", self.ask_limit
        )
        credit_layout.addWidget(self.account)
        credit_layout.addWidget(self.set_limit)
        credit_layout.addWidget(make_table(self.cards, "customer_cards", stretch=0))
        tabs.addTab(credit, _("Cre&dit and cards"))
        return tabs

    def _button(self, text: str, name: str, action: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, objectName=name)
        button.clicked.connect(action)
        return button

    def _addresses_tab(self) -> QWidget:
        tab = QWidget()
        self.add_address = self._button(_("New…"), "address_add", self.new_address)
        self.edit_address = self._button(_("Edit…"), "address_edit", self.change_address)
        self.make_default = self._button(_("Make default"), "address_default", self.set_default)
        self.address_table.doubleClicked.connect(lambda _i: self.change_address())
        row = QHBoxLayout()
        for button in (self.add_address, self.edit_address, self.make_default):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.address_table)
        layout.addLayout(row)
        return tab

    # --- reading ------------------------------------------------------------------------
    def show_customer(self, party_id: int | None) -> None:
        if party_id is None:
            self._show(None)
            return
        actor = self.ctx.actor
        query(self, self.ctx, lambda s: get_customer(s, actor, party_id)).on_success(
            self._show
        ).message(self.say).run()
        query(
            self, self.ctx, lambda s: order_history(s, actor, party_id, 0, HISTORY_PAGE)
        ).on_success(self._history).message(self.say).run()

    def reload(self) -> None:
        self.show_customer(self.detail.id if self.detail else None)

    def _show(self, detail: CustomerDetail | None) -> None:
        self.detail = detail
        editable = (
            "" if self.ctx.actor.can(Permission.CUSTOMERS_EDIT) else _("needs customers.edit")
        )
        if detail is None:
            self.title.setText(_("No customer chosen"))
            self.info.setText(_("Search on the left, or scan an order number or a parcel."))
            for model in (self.addresses, self.contacts, self.open_orders, self.returns):
                model.set_rows([])
            self.cards.set_rows([])
            self.history.set_rows([])
            self.credit.clear()
            self.account.clear()
        else:
            self.title.setText(detail.name)
            self.info.setText(_describe(detail))
            self.addresses.set_rows(detail.addresses)
            self.contacts.set_rows(detail.contacts)
            self.open_orders.set_rows(detail.open_orders)
            self.returns.set_rows(detail.returns)
            self.cards.set_rows(detail.gift_cards)
            self.credit.setText(
                _("Store credit: {amount}").format(amount=self.ctx.money(detail.store_credit))
            )
            self.account.setText(_account(detail, self.ctx.money))
            if detail.merged_into_id is not None:
                editable = _("merged into customer {id}").format(id=detail.merged_into_id)
        none = _("choose a customer first") if detail is None else ""
        for button in (self.edit, self.add_contact, self.add_address):
            allow(button, none or editable)
        may_grant = "" if self.ctx.actor.can(Permission.CREDIT_GRANT) else _("needs credit.grant")
        allow(self.set_limit, none or may_grant)
        may_order = "" if self.ctx.actor.can(Permission.ORDERS_CREATE) else _("needs orders.create")
        merged = "" if detail is None or detail.merged_into_id is None else editable
        allow(self.new_order, none or may_order or merged)
        chosen = "" if self.addresses.rowCount() else _("the customer has no address yet")
        for button in (self.edit_address, self.make_default):
            allow(button, none or editable or chosen)

    def _history(self, rows: list[HistoryRow]) -> None:
        self.history.set_rows(rows)
        allow(self.more, "" if len(rows) >= HISTORY_PAGE else _("that is every order"))

    def load_more_history(self) -> None:
        if self.detail is None:
            return
        actor, party_id, shown = self.ctx.actor, self.detail.id, self.history.rows()
        query(
            self, self.ctx, lambda s: order_history(s, actor, party_id, len(shown), HISTORY_PAGE)
        ).on_success(lambda rows: self._history([*shown, *rows])).message(self.say).run()

    def say(self, text: str) -> None:
        say(self.message, text, error=True)

    def open_order(self, model: RowsTableModel, row: int) -> None:
        """Enter or a double click on an order opens it on the Orders screen."""
        show_screen = getattr(self.window(), "show_screen", None)
        if show_screen is not None and 0 <= row < model.rowCount():
            show_screen("Orders").open_order(model.row(row).id)

    def ask_limit(self) -> None:
        """How much the customer may owe on account; empty: no account."""
        detail = self.detail
        if detail is None:
            return
        limit = detail.credit_limit
        current = "" if limit is None else f"{limit // 100}.{limit % 100:02d}"  # no floats
        dialog = QInputDialog(self, objectName="credit_limit_dialog")
        dialog.setWindowTitle(_("Credit limit"))
        dialog.setLabelText(
            _("Credit limit for {name} (empty: no account):").format(name=detail.name)
        )
        dialog.setTextValue(current)
        self.dialog = dialog
        if dialog.exec() != QInputDialog.DialogCode.Accepted:
            return
        typed, actor, party_id = dialog.textValue(), self.ctx.actor, detail.id
        op(
            self, self.ctx, lambda s: accounts.set_credit_limit_typed(s, actor, party_id, typed)
        ).on_success(lambda _none: self.reload()).message(self.say).run()

    def start_order(self) -> None:
        """A phone order for the customer on screen: the order form with them chosen."""
        show_screen = getattr(self.window(), "show_screen", None)
        if self.detail is not None and show_screen is not None:
            show_screen("Orders").new_order((self.detail.id, self.detail.name))

    # --- writing ------------------------------------------------------------------------
    def _submit(self, work: Callable[[object], Callable[..., object]]) -> Callable[..., None]:
        """A dialog's submit: run the service write, then close the dialog and re-read."""

        def submit(data: object, done: Callable[[], None], refuse: Callable[[str], None]) -> None:
            call = work(data)
            op(self, self.ctx, call).on_success(lambda _r: self._written(done)).message(
                refuse
            ).run()

        return submit

    def _written(self, done: Callable[[], None]) -> None:
        done()
        self.message.clear()
        self.reload()
        self.changed.emit()

    def _open(self, dialog: QWidget) -> QWidget:
        self.dialog = dialog
        dialog.open()  # type: ignore[attr-defined]
        return dialog

    def edit_customer(self) -> QWidget | None:
        if self.detail is None:
            return None
        actor, party_id = self.ctx.actor, self.detail.id
        submit = self._submit(
            lambda data: lambda s: customers.save_customer(s, actor, party_id, data)
        )
        return self._open(
            CustomerDialog(
                _("Edit {name}").format(name=self.detail.name), submit, self, self.detail
            )
        )

    def new_contact(self) -> QWidget | None:
        if self.detail is None:
            return None
        actor, party_id = self.ctx.actor, self.detail.id
        submit = self._submit(
            lambda data: lambda s: customers.add_contact(s, actor, party_id, data)
        )
        return self._open(
            CustomerDialog(
                _("New contact at {name}").format(name=self.detail.name),
                submit,
                self,
                contact=True,
            )
        )

    def selected_address(self) -> AddressRow | None:
        rows = self.address_table.selectionModel().selectedRows()
        if rows:
            return self.addresses.row(rows[0].row())  # type: ignore[no-any-return]
        return self.addresses.row(0) if self.addresses.rowCount() == 1 else None

    def new_address(self) -> QWidget | None:
        if self.detail is None:
            return None
        actor, party_id = self.ctx.actor, self.detail.id
        submit = self._submit(
            lambda data: lambda s: customers.add_address(s, actor, party_id, data)
        )
        return self._open(AddressDialog(_("New address"), submit, self))

    def change_address(self) -> QWidget | None:
        row = self.selected_address()
        if row is None:
            self.say(_("Choose the address to change first."))
            return None
        actor = self.ctx.actor
        submit = self._submit(
            lambda data: lambda s: customers.update_address(s, actor, row.id, data)
        )
        return self._open(AddressDialog(_("Edit address"), submit, self, row))

    def set_default(self) -> None:
        row = self.selected_address()
        if row is None:
            self.say(_("Choose the address to make the default first."))
            return
        actor = self.ctx.actor
        op(self, self.ctx, lambda s: customers.set_default_address(s, actor, row.id)).on_success(
            lambda _r: self._written(lambda: None)
        ).message(self.say).run()


def _describe(detail: CustomerDetail) -> str:
    parts = [p for p in (detail.email, detail.phone) if p]
    if detail.tax_id:
        parts.append(_("tax id {tax_id}").format(tax_id=detail.tax_id))
    if detail.company is not None:
        parts.append(_("contact at {company}").format(company=detail.company.name))
    if detail.is_company:
        contacts = len(detail.contacts)
        parts.append(
            ngettext("company, {count} contact", "company, {count} contacts", contacts).format(
                count=contacts
            )
        )
    count = detail.order_count
    parts.append(ngettext("{count} order", "{count} orders", count).format(count=count))
    if detail.marketing_opt_out:
        parts.append(_("no marketing e-mail"))
    if detail.email_opt_out:
        parts.append(_("no order e-mail"))
    if detail.merged_into_id is not None:
        parts.append(_("MERGED into customer {id}").format(id=detail.merged_into_id))
    text = " · ".join(parts)
    return f"{text}\n{detail.note}" if detail.note else text


def _account(detail: CustomerDetail, money: Callable[[int], str]) -> str:
    if detail.credit_limit is None:
        return _("No account: orders on account are refused.")
    left = detail.credit_limit - detail.owed_on_account
    return _("On account: {owed} owed of a {limit} limit ({left} left).").format(
        owed=money(detail.owed_on_account), limit=money(detail.credit_limit), left=money(left)
    )
