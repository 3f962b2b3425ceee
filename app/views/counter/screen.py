"""The counter: scan to fill the cart, F12 to pay, Enter for exact cash.

Everything is reachable from the keyboard: F2 quantity, F4 remove line, F9 open or close
the till, F12 pay. The cart is plain data (services/sales/counter.py); this screen shows it
and hands each F-key to its controller: payment.py (the tender flow), edits.py (changing
the sale), till.py, refund.py and offline.py. A sale paid with exact cash is two key
presses: F12, Enter.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.auth import Actor
from app.core.i18n import N_, _
from app.services.sales.cart import Cart
from app.services.sales.counter import SaleResult, Tender
from app.services.sales.offline import OfflineJournal
from app.services.sales.shown_prices import cart_lines
from app.services.stock.lookup import CodeLookup
from app.views.context import AppContext
from app.views.counter.edits import CartEdits
from app.views.counter.host import CounterHost
from app.views.counter.offline import OfflineController
from app.views.counter.payment import BIG, Checkout
from app.views.counter.refund import Refunds
from app.views.counter.scan import Scans
from app.views.counter.till import ManagerDialog, TillController
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.widgets import allow, make_table


class CounterScreen(CounterHost):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from app import paths

        self.ctx = ctx
        self.till = ctx.workstation.workstation_name
        self.cart = Cart()
        self.saving = False  # a sale or a park is on its way to the server: the cart waits
        self.lookup = CodeLookup(ctx.database.engine)
        self.journal = OfflineJournal(paths.data_dir() / f"offline-{self.till}.sqlite")
        self.last_sale: SaleResult | None = None
        self.z_report_path = ""
        self.till_label = QLabel(objectName="till_state")
        self.message = QLabel(objectName="counter_message", wordWrap=True)
        self.input = QLineEdit(objectName="counter_input")
        self.input.setPlaceholderText(_("Scan, type a barcode or SKU, or search a name — Enter"))
        self.model = self._cart_model()
        self.table = make_table(self.model, "cart", stretch=0)
        self.total_label = QLabel(objectName="cart_total", styleSheet=BIG)
        # The change of the last sale stays in sight until the next scan.
        self.change_label = QLabel(objectName="counter_change", styleSheet=BIG)
        self.offline_control = OfflineController(self, self.journal)
        self.till_control = TillController(self)
        self.offline_mode, self.drawer = self.offline_control, self.till_control
        self.checkout = Checkout(self)
        self.edits = CartEdits(self)
        self.refunds = Refunds(self)
        self.scans = Scans(self)
        self.input.returnPressed.connect(self.scans.typed_code)
        self.buttons: dict[str, QPushButton] = {}
        self._lay_out(self._keys())
        self.offline_control.cache_catalogue()
        self.refresh(till_changed=True)

    def _cart_model(self) -> RowsTableModel:
        money = self.ctx.money
        return RowsTableModel(
            [
                Column(N_("Product"), lambda ln: ln.name),
                Column(N_("Qty"), lambda ln: str(ln.quantity), align=RIGHT),
                Column(N_("Price"), lambda ln: money(ln.unit_price), align=RIGHT),
                Column(
                    N_("Discount"),
                    lambda ln: money(-ln.discount) if ln.discount else "",
                    align=RIGHT,
                ),
                Column(
                    N_("Total"),
                    lambda ln: money(ln.total),
                    align=RIGHT,
                ),
            ],
            self,
        )

    def _keys(self) -> QGridLayout:
        keys = QGridLayout()
        edits = self.edits
        for n, (name, label, key, slot) in enumerate(
            (
                ("quantity", N_("F2  Quantity"), Qt.Key.Key_F2, edits.change_quantity),
                ("price", N_("F3  Price"), Qt.Key.Key_F3, edits.change_price),
                ("remove", N_("F4  Remove line"), Qt.Key.Key_F4, edits.remove_line),
                ("customer", N_("F5  Customer"), Qt.Key.Key_F5, edits.choose_customer),
                ("park", N_("F6  Park sale"), Qt.Key.Key_F6, edits.park),
                ("resume", N_("F7  Resume sale"), Qt.Key.Key_F7, edits.resume),
                ("discount", N_("F8  Discount"), Qt.Key.Key_F8, edits.discount),
                ("till", N_("F9  Open / close till"), Qt.Key.Key_F9, self.till_control.toggle),
                ("gift_card", N_("F10  Sell gift card"), Qt.Key.Key_F10, edits.sell_gift_card),
                ("pay", N_("F12  Pay"), Qt.Key.Key_F12, self.pay),
            )
        ):
            button = QPushButton(_(label), objectName=f"counter_{name}")
            button.setMinimumHeight(48)
            button.clicked.connect(slot)
            QShortcut(QKeySequence(key), self, slot)
            keys.addWidget(button, n // 3, n % 3)
            self.buttons[name] = button
        return keys

    def _lay_out(self, keys: QGridLayout) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.till_label)
        layout.addWidget(self.input)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        totals = QHBoxLayout()
        totals.addWidget(self.change_label)
        totals.addStretch(1)
        totals.addWidget(self.total_label)
        layout.addLayout(totals)
        layout.addLayout(keys)

    # --- showing -------------------------------------------------------------------
    def refresh(self, till_changed: bool = False) -> None:
        """Show the cart; read the till again only when something moved cash (a scan
        should cost no database round trip it does not need)."""
        ctx = self.ctx  # rows as the shop shows prices: with tax or net
        self.model.set_rows(cart_lines(self.cart, ctx.prices, ctx.prices_include_tax))
        _net, tax, total = self.cart.totals()
        self.total_label.setText(
            _("Total {total}  (tax {tax})").format(
                total=self.ctx.money(total), tax=self.ctx.money(tax)
            )
        )
        if till_changed:
            self.drawer.show()
        if self.cart.lines:
            self.table.selectRow(len(self.cart.lines) - 1)
        self._allow_buttons()

    def _allow_buttons(self) -> None:
        """Buttons that cannot act now are greyed with the reason (their F-keys still
        answer, with the same reason in the message line)."""
        empty = _("Scan an item first: the sale is empty.") if not self.cart.lines else ""
        for name in ("quantity", "price", "remove", "discount", "pay"):
            allow(self.buttons[name], empty)
        allow(self.buttons["park"], _("There is nothing to park.") if not self.cart.lines else "")
        busy = _("Pay or park the sale on the counter first.") if self.cart.lines else ""
        allow(self.buttons["resume"], busy)

    # --- what the keys and the scanner call ------------------------------------------
    def handle_scan(self, code: str) -> bool:
        return self.scans.handle(code)

    def start_refund(self, number: str) -> bool:
        return self.refunds.start(number)

    def pay(self, tenders: list[Tender] | None = None) -> None:
        self.checkout.pay(tenders)

    def open_till(self, float_text: str) -> None:
        self.till_control.open_till(float_text)

    def close_till(self, counted: dict[int, int] | None = None) -> None:
        self.till_control.close_till(counted)

    def try_sync(self) -> None:
        self.offline_control.try_sync()

    def current_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else (len(self.cart.lines) - 1 if self.cart.lines else None)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Up and Down move between the cart's lines while the scan field keeps the focus,
        so F2, F3, F4 and F8 act on the line the cashier chose."""
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
        if step is None or not self.cart.lines:
            super().keyPressEvent(event)
            return
        row = self.current_row()
        row = len(self.cart.lines) - 1 if row is None else row
        self.table.selectRow(max(0, min(len(self.cart.lines) - 1, row + step)))

    def ask_manager(self, reason: str = "") -> Actor | None:
        """A manager signs the approval here; `reason` says what needs it and why."""
        dialog = ManagerDialog(self.ctx, self, reason)
        return dialog.actor if dialog.exec() == QDialog.DialogCode.Accepted else None

    def shutdown(self) -> None:
        """The main window is closing: give the scanner's connection back."""
        self.lookup.close()
        self.offline_control.shutdown()
