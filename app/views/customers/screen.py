"""Customers: one search field for a name, e-mail, phone, order number or parcel tracking
number (typed or scanned: "where is my order"), a paged result list, the chosen customer's
detail beside it, new customer and merge. Suppliers are the screen's second tab.

Every read and write goes through views/ops.py, off the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.auth import Permission
from app.core.changes import ChangeSet
from app.core.i18n import _
from app.services.sales import customers
from app.services.sales.customer_merge import merge_customers
from app.services.sales.customer_search import CustomerHit, find_customers
from app.views.context import AppContext
from app.views.customers.detail import CustomerPane
from app.views.customers.dialogs import CustomerDialog, MergeDialog
from app.views.customers.suppliers import SuppliersPage
from app.views.ops import op, query
from app.views.table_models import Column, RowsTableModel
from app.views.transfer.buttons import TransferButtons
from app.views.widgets import allow, make_table, say

PAGE = 50


def _name_text(row: CustomerHit) -> str:
    return _("{name} (company)").format(name=row.name) if row.is_company else row.name


class CustomersScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen_customers")
        self.ctx = ctx
        self.customers = CustomerSearch(ctx, self)
        self.suppliers = SuppliersPage(ctx, self)
        self.tabs = QTabWidget(objectName="parties_tabs")
        self.tabs.addTab(self.customers, _("Customers"))
        self.tabs.addTab(self.suppliers, _("Suppliers"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        ctx.bridge.changed.connect(self._on_changes)

    def handle_scan(self, code: str) -> bool:
        """A scan on the customers tab is a search (an order number or a parcel finds its
        customer); on the suppliers tab it is not taken."""
        if self.tabs.currentWidget() is not self.customers:
            return False
        self.customers.search_for(code)
        return True

    def _on_changes(self, change: ChangeSet) -> None:
        if "customers" in change.kinds or change.everything:
            self.customers.refresh()
        if self.isVisible() and ("customers" in change.kinds or change.touches_orders):
            self.customers.pane.reload()  # an order or a credit of theirs may have changed
        if "suppliers" in change.kinds or change.everything:
            self.suppliers.refresh()


class CustomerSearch(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.text = ""
        self.offset = 0
        self.dialog: QWidget | None = None
        self.search = QLineEdit(objectName="customer_search")
        self.search.setPlaceholderText(
            _("Name, e-mail, phone, order number or tracking number — or scan it")
        )
        self.search.setClearButtonEnabled(True)
        self.message = QLabel(objectName="customer_message", wordWrap=True)
        self.model = RowsTableModel(
            [
                Column(_("Name"), _name_text),
                Column(_("E-mail"), lambda r: r.email),
                Column(_("Phone"), lambda r: r.phone),
                Column(_("City"), lambda r: r.city),
            ],
            self,
        )
        self.table = make_table(self.model, "customer_results", stretch=1)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.pane = CustomerPane(ctx, self)
        self.pane.changed.connect(self.refresh)
        self.previous = self._button(_("◀ Previous"), "customer_previous", lambda: self.page(-1))
        self.next = self._button(_("Next ▶"), "customer_next", lambda: self.page(1))
        self.page_label = QLabel(objectName="customer_page")
        self.new = self._button(_("New customer…"), "customer_new", self.new_customer)
        self.merge = self._button(_("Merge selected…"), "customer_merge", self.merge_selected)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.apply_search)
        self.search.textEdited.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.apply_search)
        for key, action in (
            ("Ctrl+F", self.search.setFocus),
            ("Ctrl+N", self.new_customer),
            ("Ctrl+M", self.merge_selected),
            ("PgDown", lambda: self.page(1)),
            ("PgUp", lambda: self.page(-1)),
        ):
            QShortcut(QKeySequence(key), self, action)
        self._layout()
        self._allow()
        self.refresh()

    def _button(self, text: str, name: str, action) -> QPushButton:  # type: ignore[no-untyped-def]
        button = QPushButton(text, objectName=name)
        button.clicked.connect(action)
        return button

    def _layout(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.message)
        left_layout.addWidget(self.table, 1)
        for widgets in ((self.previous, self.page_label, self.next), (self.new, self.merge)):
            row = QHBoxLayout()  # two short rows: the screen fits a 1024-pixel window
            for widget in widgets:
                row.addWidget(widget)
            row.addStretch(1)
            left_layout.addLayout(row)
        self.transfer = TransferButtons(
            self, self.ctx, ("customers",), lambda t: say(self.message, t)
        )
        left_layout.addLayout(self.transfer.row())
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.pane)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # --- searching ----------------------------------------------------------------------
    def search_for(self, text: str) -> None:
        self.search.setText(text.strip())
        self.apply_search()

    def apply_search(self) -> None:
        self._debounce.stop()
        self.text = self.search.text().strip()
        self.offset = 0
        self.refresh()

    def page(self, step: int) -> None:
        if step > 0 and not self.next.isEnabled() or step < 0 and not self.offset:
            return
        self.offset = max(0, self.offset + step * PAGE)
        self.refresh()

    def refresh(self) -> None:
        actor, text, offset = self.ctx.actor, self.text, self.offset
        query(self, self.ctx, lambda s: find_customers(s, actor, text, offset, PAGE)).on_success(
            self._show
        ).message(self.say).run()

    def _show(self, hits: list[CustomerHit]) -> None:
        chosen = self.pane.detail.id if self.pane.detail else None
        self.model.set_rows(hits)
        start = self.offset + 1 if hits else 0
        self.page_label.setText(f"{start}–{self.offset + len(hits)}" if hits else "")
        allow(self.previous, "" if self.offset else _("this is the first page"))
        allow(self.next, "" if len(hits) >= PAGE else _("this is the last page"))
        if not hits:
            say(
                self.message,
                _("Nobody matches '{text}'.").format(text=self.text)
                if self.text
                else _("No customers yet."),
            )
        elif hits[0].matched:
            say(self.message, _("Found by {matched}.").format(matched=hits[0].matched))
        else:
            self.message.clear()
        ids = [h.id for h in hits]
        if chosen in ids:
            self.table.selectRow(ids.index(chosen))
        elif len(hits) == 1 or hits and hits[0].matched:
            self.table.selectRow(0)
        self._allow()

    def say(self, text: str) -> None:
        say(self.message, text, error=True)

    def selected(self) -> list[CustomerHit]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.model.row(r) for r in rows]

    def _selected(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        chosen = self.selected()
        if len(chosen) == 1 and (self.pane.detail is None or self.pane.detail.id != chosen[0].id):
            self.pane.show_customer(chosen[0].id)
        self._allow()

    def _allow(self) -> None:
        actor = self.ctx.actor
        allow(self.new, "" if actor.can(Permission.CUSTOMERS_EDIT) else _("needs customers.edit"))
        reason = "" if actor.can(Permission.CUSTOMERS_MERGE) else _("managers merge customers")
        if not reason and len(self.selected()) != 2:  # noqa: PLR2004
            reason = _("select the two records of one customer (Shift+Down)")
        allow(self.merge, reason)

    # --- writing ------------------------------------------------------------------------
    def new_customer(self) -> QWidget | None:
        if not self.new.isEnabled():
            return None
        actor = self.ctx.actor

        def submit(data, done, refuse) -> None:  # type: ignore[no-untyped-def]
            op(self, self.ctx, lambda s: customers.create_customer(s, actor, data)).on_success(
                lambda party_id: self._created(party_id, done)
            ).message(refuse).run()

        self.dialog = CustomerDialog(_("New customer"), submit, self)
        self.dialog.open()
        return self.dialog

    def _created(self, party_id: int, done) -> None:  # type: ignore[no-untyped-def]
        done()
        self.pane.show_customer(party_id)
        self.refresh()

    def merge_selected(self) -> QWidget | None:
        chosen = self.selected()
        if not self.merge.isEnabled() or len(chosen) != 2:  # noqa: PLR2004
            say(self.message, self.merge.toolTip() or _("Select two customers."), error=True)
            return None
        first, second = ((h.id, f"{h.name} <{h.email or _('no e-mail')}> #{h.id}") for h in chosen)
        actor = self.ctx.actor

        def submit(pair, done, refuse) -> None:  # type: ignore[no-untyped-def]
            keep, duplicate = pair
            op(self, self.ctx, lambda s: merge_customers(s, actor, keep, duplicate)).on_success(
                lambda result: self._merged(result, done)
            ).message(refuse).run()

        self.dialog = MergeDialog(first, second, submit, self)
        self.dialog.open()
        return self.dialog

    def _merged(self, result, done) -> None:  # type: ignore[no-untyped-def]
        done()
        say(
            self.pane.message,
            _(
                "Merged: {orders} orders, {addresses} addresses and {credit_entries} credit "
                "entries moved."
            ).format(
                orders=result.orders,
                addresses=result.addresses,
                credit_entries=result.credit_entries,
            ),
        )
        self.pane.show_customer(result.survivor_id)
        self.refresh()
