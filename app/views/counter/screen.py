"""The counter: scan to fill the cart, F12 to pay, Enter for exact cash.

Everything is reachable from the keyboard: F2 quantity, F4 remove line, F9 open or close
the till, F12 pay. The cart is plain data (services/sales/counter.py); this screen shows it and
calls the services. A sale paid with exact cash is two key presses: F12, Enter.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.auth import Actor
from app.core.errors import (
    CommitUncertain,
    DatabaseUnavailable,
    KestrelError,
    PermissionDenied,
    ValidationError,
)
from app.core.money import parse_money, to_decimal
from app.services.sales import cart, counter, gift_cards, parking, refunds, store_credit, till
from app.services.sales.cart import Cart
from app.services.sales.counter import SaleResult, Tender
from app.services.stock import catalogue
from app.services.stock.lookup import CodeLookup
from app.services.stock.scanning import parse_scan
from app.views import sound
from app.views.context import AppContext
from app.views.errors import on_background_error
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.tasks import run_in_background
from app.views.theme import mark
from app.views.widgets import allow, count_rows, make_table, nonzero, ok_cancel, say

BIG = "font-size: 22pt; font-weight: 700"
SYNC_EVERY_MS = 5000  # while offline sales wait: how often to look for the server


CONFIRM_OVER = 10  # a tender above ten times what is due is asked about (a slip of the keys)


class PaymentDialog(QDialog):
    """Tender the sale: Enter pays in cash what was typed (the exact amount if nothing was),
    with the change due shown large as the amount is typed; quick-cash notes; card; split."""

    def __init__(
        self, ctx: AppContext, total: int, credit: int = 0, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Payment")
        self.ctx = ctx
        self.total = total
        self.credit = credit
        self.tenders: list[Tender] = []
        self.due_label = QLabel(objectName="due", styleSheet=BIG)
        self.change_label = QLabel(objectName="change_due", styleSheet=BIG)
        self.error = QLabel(objectName="payment_error", wordWrap=True)
        mark(self.error, "error")
        self.amount = QLineEdit(objectName="tendered")
        self.amount.setPlaceholderText("Amount handed over (empty: exact)")
        self.amount.textChanged.connect(self._show_change)
        self.reference = QLineEdit(objectName="card_reference")
        self.reference.setPlaceholderText("Card terminal reference")
        self.exact = QPushButton("Cash (Enter)", objectName="exact_cash")
        self.exact.setToolTip("Enter: cash as typed, or the exact amount if nothing is typed")
        self.exact.setDefault(True)
        self.exact.setAutoDefault(True)
        self.cash = QPushButton("&Cash", objectName="cash")
        self.card = QPushButton("C&ard", objectName="card")
        self.exact.clicked.connect(self.pay_entered_cash)
        self.cash.clicked.connect(lambda: self.pay("cash"))
        self.card.clicked.connect(lambda: self.pay("card"))
        self.store_credit = QPushButton(
            f"Store credit ({ctx.money(credit)})", objectName="store_credit"
        )
        self.store_credit.setEnabled(credit > 0)
        self.store_credit.clicked.connect(self.pay_with_credit)
        self.gift_code = QLineEdit(objectName="gift_card_code")
        self.gift_code.setPlaceholderText("Scan or type the gift card")
        self.gift_card = QPushButton("&Gift card", objectName="gift_card")
        self.gift_card.clicked.connect(lambda: self.pay_with_gift_card(self.gift_code.text()))
        quick = self._quick_cash_row()
        layout = QVBoxLayout(self)
        layout.addWidget(self.due_label)
        layout.addWidget(self.change_label)
        form = QFormLayout()
        form.addRow("Tendered", self.amount)
        form.addRow("Card ref.", self.reference)
        form.addRow("Gift card", self.gift_code)
        layout.addLayout(form)
        layout.addLayout(quick)
        buttons = QHBoxLayout()
        for button in (self.exact, self.cash, self.card, self.store_credit, self.gift_card):
            buttons.addWidget(button)
            # Enter always means "the rest in exact cash", whichever button was clicked last
            button.setAutoDefault(button is self.exact)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        self._show_due()

    def _quick_cash_row(self) -> QHBoxLayout:
        """A button per note the customer is likely to hand over."""
        quick = QHBoxLayout()
        for note in self.quick_amounts():
            button = QPushButton(self.ctx.money(note), objectName=f"quick_{note}")
            button.clicked.connect(lambda _=False, n=note: self.tender(Tender("cash", n)))
            button.setAutoDefault(False)
            quick.addWidget(button)
        return quick

    def quick_amounts(self) -> list[int]:
        """The next notes up from the amount due, as a cashier would offer."""
        due = self.due
        options = sorted({n for n in (500, 1000, 2000, 5000, 10000) if n >= due})
        rounded = -(-due // 500) * 500
        return sorted({rounded, *options[:3]} - {0})[:4]

    @property
    def due(self) -> int:
        return max(0, self.total - sum(t.amount for t in self.tenders))

    def _show_due(self) -> None:
        paid = " + ".join(f"{t.method} {self.ctx.money(t.amount)}" for t in self.tenders)
        self.due_label.setText(
            f"To pay: {self.ctx.money(self.due)}" + (f"   (paid {paid})" if paid else "")
        )

    def _show_change(self) -> None:
        """Live, as the amount is typed: the change to hand back, or what is still due."""
        text = self.amount.text().strip()
        try:
            typed = parse_money(text, self.ctx.currency) if text else None
        except ValidationError:
            typed = None
        if typed is None:
            self.change_label.clear()
        elif typed >= self.due:
            self.change_label.setText(f"Change: {self.ctx.money(typed - self.due)}")
        else:
            self.change_label.setText(f"Still due after this: {self.ctx.money(self.due - typed)}")

    def _typed(self) -> int | None:
        text = self.amount.text().strip()
        if not text:
            return None
        try:
            return parse_money(text, self.ctx.currency)
        except ValidationError as exc:
            self.error.setText(exc.message)
            sound.error()
            raise

    def pay_exact_cash(self) -> None:
        self.tender(Tender("cash", self.due))

    def pay_entered_cash(self) -> None:
        """Enter: the cash typed (with change), or the exact amount when nothing is typed."""
        if self.amount.text().strip():
            self.pay("cash")
        else:
            self.pay_exact_cash()

    def confirm_large(self, amount: int) -> bool:
        """More than ten times what is due is likely a slip (12000 for 12.00): ask."""
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        answer = QMessageBox.question(
            self,
            "Check the amount",
            f"{self.ctx.money(amount)} handed over for {self.ctx.money(self.due)} due "
            f"(change {self.ctx.money(amount - self.due)}). Is that right?",
            yes | no,
            no,  # a reflexive second Enter must not pay out the slip
        )
        return answer == QMessageBox.StandardButton.Yes

    def pay_with_credit(self) -> None:
        used = sum(t.amount for t in self.tenders if t.method == "store_credit")
        amount = min(self.credit - used, self.due)
        if amount > 0:
            self.tender(Tender("store_credit", amount))

    def handle_scan(self, code: str) -> bool:
        """A card scanned while paying pays with it."""
        self.gift_code.setText(code)
        self.pay_with_gift_card(code)
        return True

    def pay_with_gift_card(self, code: str) -> None:
        """As much of what is due as the card holds (or the amount typed, if less)."""
        try:
            typed = self._typed()
            with self.ctx.database.read() as session:
                info = gift_cards.card_info(session, code)
        except KestrelError as exc:
            self.error.setText(exc.message)
            sound.error()
            return
        used = sum(t.amount for t in self.tenders if t.reference == info.code)
        left = info.balance - used
        if not info.active or left <= 0:
            self.error.setText(f"Gift card {info.code} has nothing left on it.")
            sound.error()
            return
        amount = min(left, self.due if typed is None else typed, self.due)
        self.gift_code.clear()
        self.tender(Tender("gift_card", amount, info.code))

    def pay(self, method: str) -> None:
        try:
            amount = self._typed()
        except ValidationError:
            return  # the message is shown; the typed text stays to be corrected
        if amount is None:
            amount = self.due
        if amount == 0 and self.due > 0:
            self.error.setText("Type the amount handed over, or leave it empty for exact cash.")
            sound.error()
            return
        if method == "cash" and amount > CONFIRM_OVER * max(self.due, 1):
            if not self.confirm_large(amount):
                self.amount.selectAll()
                self.amount.setFocus()
                return
        self.tender(Tender(method, amount, self.reference.text()))

    def tender(self, tender: Tender) -> None:
        if tender.method != "cash" and tender.amount > self.due:
            self.error.setText("Only cash can be more than what is due.")
            sound.error()
            return
        self.amount.clear()
        self.tenders.append(tender)
        if sum(t.amount for t in self.tenders) >= self.total:
            self.accept()
            return
        self.error.clear()
        self._show_due()
        self.amount.setFocus()


class GiftCardDialog(QDialog):
    """Amount and code of a gift card being sold; a scan fills the code."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sell a gift card")
        self.amount = QLineEdit(objectName="gift_amount")
        self.code = QLineEdit(objectName="gift_code")
        self.code.setPlaceholderText("Scan the card, or leave empty for a new code")
        form = QFormLayout(self)
        form.addRow(f"Amount ({ctx.currency})", self.amount)
        form.addRow("Card code", self.code)
        ok_cancel(self, form)

    def handle_scan(self, code: str) -> bool:
        self.code.setText(code)
        return True


class CounterScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.till = ctx.workstation.workstation_name
        self.cart = Cart()
        self.lookup = CodeLookup(ctx.database.engine)
        from app import paths
        from app.services.sales.offline import OfflineJournal

        self.offline = False
        self.journal = OfflineJournal(
            paths.data_dir() / f"offline-{ctx.workstation.workstation_name}.sqlite"
        )
        self._sync_timer = QTimer(self, interval=SYNC_EVERY_MS)
        self._sync_timer.timeout.connect(self.try_sync)
        if self.journal.pending_count():
            self._sync_timer.start()
        self._cache_catalogue()
        self.last_sale: SaleResult | None = None
        self.z_report_path = ""
        self.till_label = QLabel(objectName="till_state")
        self.message = QLabel(objectName="counter_message", wordWrap=True)
        self.input = QLineEdit(objectName="counter_input")
        self.input.setPlaceholderText("Scan, type a barcode or SKU, or search a name — Enter")
        self.input.returnPressed.connect(self._typed_code)
        money = ctx.money
        self.model = RowsTableModel(
            [
                Column("Product", lambda ln: ln.name),
                Column("Qty", lambda ln: str(ln.quantity), align=RIGHT),
                Column("Price", lambda ln: money(ln.unit_price), align=RIGHT),
                Column(
                    "Discount",
                    lambda ln: money(-ln.discount) if ln.discount else "",
                    align=RIGHT,
                ),
                Column(
                    "Total",
                    lambda ln: money(ln.quantity * ln.unit_price - ln.discount),
                    align=RIGHT,
                ),
            ],
            self,
        )
        self.table = make_table(self.model, "cart", stretch=0)
        self.total_label = QLabel(objectName="cart_total", styleSheet=BIG)
        # The change of the last sale stays in sight until the next scan.
        self.change_label = QLabel(objectName="counter_change", styleSheet=BIG)
        self.till_open: bool | None = None
        self.buttons: dict[str, QPushButton] = {}
        keys = QGridLayout()
        for n, (name, label, key, slot) in enumerate(
            (
                ("quantity", "F2  Quantity", Qt.Key.Key_F2, self.change_quantity),
                ("price", "F3  Price", Qt.Key.Key_F3, self.change_price),
                ("remove", "F4  Remove line", Qt.Key.Key_F4, self.remove_line),
                ("customer", "F5  Customer", Qt.Key.Key_F5, self.choose_customer),
                ("park", "F6  Park sale", Qt.Key.Key_F6, self.park),
                ("resume", "F7  Resume sale", Qt.Key.Key_F7, self.resume),
                ("discount", "F8  Discount", Qt.Key.Key_F8, self.discount),
                ("till", "F9  Open / close till", Qt.Key.Key_F9, self.toggle_till),
                ("gift_card", "F10  Sell gift card", Qt.Key.Key_F10, self.sell_gift_card),
                ("pay", "F12  Pay", Qt.Key.Key_F12, self.pay),
            )
        ):
            button = QPushButton(label, objectName=f"counter_{name}")
            button.setMinimumHeight(48)
            button.clicked.connect(slot)
            QShortcut(QKeySequence(key), self, slot)
            keys.addWidget(button, n // 3, n % 3)
            self.buttons[name] = button
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
        self.refresh(till_changed=True)

    # --- showing -------------------------------------------------------------------
    def refresh(self, till_changed: bool = False) -> None:
        """Show the cart; read the till again only when something moved cash (a scan
        should cost no database round trip it does not need)."""
        self.model.set_rows(list(self.cart.lines))
        _net, tax, total = self.cart.totals()
        self.total_label.setText(f"Total {self.ctx.money(total)}  (tax {self.ctx.money(tax)})")
        if till_changed:
            self._show_till()
        if self.cart.lines:
            self.table.selectRow(len(self.cart.lines) - 1)
        self._allow_buttons()

    def _allow_buttons(self) -> None:
        """Buttons that cannot act now are greyed with the reason (their F-keys still
        answer, with the same reason in the message line)."""
        empty = "Scan an item first: the sale is empty." if not self.cart.lines else ""
        for name in ("quantity", "price", "remove", "discount", "pay"):
            allow(self.buttons[name], empty)
        allow(self.buttons["park"], "There is nothing to park." if not self.cart.lines else "")
        busy = "Pay or park the sale on the counter first." if self.cart.lines else ""
        allow(self.buttons["resume"], busy)

    def _show_till(self) -> None:
        if self.offline:
            self._show_offline()
            return
        try:
            with self.ctx.database.read() as session:
                state = till.state(session, self.till)
        except DatabaseUnavailable:
            self.go_offline()
            return
        self.till_open = state is not None
        if state is None:
            self.till_label.setText(f"Till {self.till} is closed — F9 opens it with a float.")
        else:
            self.till_label.setText(
                f"Till {self.till} open since {state.opened_at.astimezone():%H:%M}; "
                f"cash in drawer {self.ctx.money(state.expected_cash)}"
            )

    def say(self, text: str, error: bool = False) -> None:
        say(self.message, text, error)

    # --- scanning ------------------------------------------------------------------
    def handle_scan(self, code: str) -> bool:
        """A scan at the counter adds its product; an order number is left to the caller."""
        self.change_label.clear()
        scan = parse_scan(code)
        if scan.kind == "order":
            return self.start_refund(scan.order_number)
        if not scan.ok:
            self.say(scan.error, error=True)
            return True
        for candidate in scan.codes:
            hit = self._find(candidate)
            if hit is not None:
                try:
                    line = self.cart.add(hit, hit.pack_qty * scan.quantity)
                except ValidationError as exc:
                    self.say(exc.message, error=True)
                    return True
                if len(self.cart.lines) == 1 and not self._till_is_open():
                    self.say(
                        f"{line.name} is on the sale, but till {self.till} is closed: "
                        "F9 opens it with a float before you take the payment.",
                        error=True,
                    )
                else:
                    self._say_added(line)
                self.refresh()
                return True
        self.say(f"Unknown code {code}: no product has it.", error=True)
        return True

    def _till_is_open(self) -> bool:
        """Asked at the first scan of a sale, so a closed till is said before the cashier
        has scanned, discounted and counted the cash (offline sales need no open till)."""
        if self.offline:
            return True
        self._show_till()
        return self.till_open is not False

    def _find(self, code: str):  # type: ignore[no-untyped-def]
        """The scanner's lookup; from the journal's cached catalogue while offline (and
        every hit online is remembered there, so the cache follows what sells)."""
        if not self.offline:
            try:
                hit = self.lookup.find(code)
            except Exception:  # noqa: BLE001 (any driver error: the server is away)
                self.go_offline()
            else:
                if hit is not None:
                    self.journal.remember(code, hit)
                return hit
        return self.journal.find(code)

    def _say_added(self, line) -> None:  # type: ignore[no-untyped-def]
        """Tell at the scan, not at the payment, when the shop's stock cannot cover a line."""
        from app.services.stock import inventory

        if self.offline:
            self.say(f"{line.name}: {line.quantity}  (offline)")
            return
        with self.ctx.database.read() as session:
            tracked = catalogue.product_rows(session, [line.product_id])[0].track_stock
            free = inventory.free_in_warehouse(
                session, line.product_id, counter.counter_warehouse_id(session)
            )
        if tracked and free < line.quantity:
            self.say(
                f"{line.name}: {line.quantity} — but the shop's stock shows only {free}. "
                "Count the shelf or move stock to the shop before paying.",
                error=True,
            )
        else:
            self.say(f"{line.name}: {line.quantity}")

    def start_refund(self, number: str) -> bool:
        """A receipt scanned at the counter: take items back. Anything but a counter sale
        is left to the Orders screen."""
        from app.services.sales import order_detail

        with self.ctx.database.read() as session:
            order_id = order_detail.find_order_id(session, number)
            try:
                lines = refunds.refundable_lines(session, order_id) if order_id else []
            except ValidationError:
                return False
        if not lines:
            return False
        dialog = RefundDialog(number, lines, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return True
        from app.core import idempotency

        key, refunded = idempotency.new_key(), []  # a lost COMMIT answer: asked, not repeated
        try:
            idempotency.run_once(
                self.ctx.database,
                lambda session: refunded.append(
                    refunds.refund_sale(
                        session,
                        self.ctx.actor,
                        order_id,
                        dialog.quantities(),
                        self.till,
                        dialog.method(),
                        key,
                    )
                ),
            )
            amount = refunded[-1]
        except KestrelError as exc:
            self.say(exc.message, error=True)
            return True
        self.say(
            f"Refunded {self.ctx.money(amount)} for {number}; the items are back on the shelf."
        )
        self.refresh(till_changed=True)
        return True

    def _typed_code(self) -> None:
        """Typed text: a code if it is one, else words of a product's name to pick from."""
        text = self.input.text().strip()
        self.input.clear()
        if not text:
            return
        self.change_label.clear()
        scan = parse_scan(text)
        if scan.kind != "code" or any(self.lookup.find(code) for code in scan.codes):
            self.handle_scan(text)
            return
        with self.ctx.database.read() as session:
            found = catalogue.search_products(session, text, 0, 21)
        if not found:
            self.say(f"Nothing matches '{text}'.", error=True)
            return
        product = found[0] if len(found) == 1 else self.choose_product(found)
        if product is not None:
            self.handle_scan(product.sku)

    def choose_product(self, rows: list) -> object | None:  # type: ignore[type-arg]
        labels = [f"{r.name} — {self.ctx.money(r.price)} — {r.sku}" for r in rows[:20]]
        label, ok = QInputDialog.getItem(self, "Which product?", "Products:", labels, 0, False)
        return rows[labels.index(label)] if ok else None

    # --- cart ----------------------------------------------------------------------
    def _current(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else (len(self.cart.lines) - 1 if self.cart.lines else None)

    def ask_quantity(self, current: int, name: str = "") -> int | None:
        label = f"Quantity of {name}:" if name else "Quantity:"
        value, ok = QInputDialog.getInt(self, "Quantity", label, current, 1, 9999)
        return value if ok else None

    def change_quantity(self) -> None:
        row = self._current()
        if row is None:
            return
        line = self.cart.lines[row]
        value = self.ask_quantity(line.quantity, line.name)
        if value is not None:
            line.quantity = value
            self.refresh()

    def ask_price(self, current: int) -> str | None:
        text, ok = QInputDialog.getText(
            self, "Price", "New unit price:", text=str(to_decimal(current, self.ctx.currency))
        )
        return text if ok else None

    def ask_manager(self, reason: str = "") -> Actor | None:
        """A manager signs the approval here; `reason` says what needs it and why."""
        dialog = ManagerDialog(self.ctx, self, reason)
        return dialog.actor if dialog.exec() == QDialog.DialogCode.Accepted else None

    def change_price(self) -> None:
        """A price change; below cost it needs a manager, who signs it here."""
        row = self._current()
        if row is None:
            return
        line = self.cart.lines[row]
        text = self.ask_price(line.unit_price)
        if text is None:
            return
        approved_by = ""
        try:
            price = parse_money(text, self.ctx.currency)
            with self.ctx.database.read() as session:
                try:
                    cart.check_price(session, self.ctx.actor, line.product_id, price)
                except PermissionDenied as refused:
                    manager = self.ask_manager(
                        f"{line.name} at {self.ctx.money(price)}: {refused.message}"
                    )
                    if manager is None:
                        self.say("Price not changed: a manager did not approve it.", error=True)
                        return
                    cart.check_price(session, manager, line.product_id, price)
                    approved_by = manager.display_name
        except KestrelError as exc:
            self.say(exc.message, error=True)
            return
        line.unit_price = price
        line.approved_by = approved_by
        self.say(
            f"{line.name}: {self.ctx.money(price)}"
            + (f" (approved by {approved_by})" if approved_by else "")
        )
        self.refresh()

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self, title, label, text=text)
        return value if ok else None

    def discount(self) -> None:
        """F8: '10%' or '2.50' off the selected line; '*5%' or '*3.00' off the whole sale.
        Above 10 % a manager approves in place."""
        row = self._current()
        text = self.ask_text("Discount", "Off this line: 10% or 2.50 — off the sale: *10% or *5.00")
        if text is None or row is None:
            return
        whole = text.strip().startswith("*")
        text = text.strip().lstrip("*").strip()
        lines = self.cart.lines if whole else [self.cart.lines[row]]
        gross = sum(ln.quantity * ln.unit_price - ln.discount for ln in lines)
        try:
            if text.endswith("%"):
                from app.core.money import div_round_half_up, parse_tax_rate

                amount = div_round_half_up(gross * parse_tax_rate(text), 10_000)
            else:
                amount = parse_money(text, self.ctx.currency)
            try:
                cart.check_discount(self.ctx.actor, gross, amount)
            except PermissionDenied as refused:
                manager = self.ask_manager(
                    f"A discount of {self.ctx.money(amount)} on "
                    f"{'the sale' if whole else lines[0].name}: {refused.message}"
                )
                if manager is None:
                    self.say("No discount: a manager did not approve it.", error=True)
                    return
                cart.check_discount(manager, gross, amount)
            if whole:
                cart.spread_discount(self.cart, amount)
            else:
                lines[0].discount += amount
        except KestrelError as exc:
            self.say(exc.message, error=True)
            return
        self.say(f"Discount {self.ctx.money(amount)}" + (" on the sale." if whole else "."))
        self.refresh()

    def choose_customer(self) -> None:
        """F5: find the customer by name, e-mail or phone, or add them; walk-in otherwise."""
        from app.services.sales import customers

        text = self.ask_text("Customer", "Name, e-mail or phone (empty: walk-in):")
        if text is None:
            return
        if not text.strip():
            self.cart.customer_id = None
            self.say("Walk-in customer.")
            return
        with self.ctx.database.read() as session:
            found = customers.search_customers(session, text, 20)
        try:
            if not found:
                if not self.confirm_new_customer(text.strip()):
                    self.say(f"No customer matches '{text.strip()}'; none was added.")
                    return
                with self.ctx.database.write() as session:
                    self.cart.customer_id = customers.create_customer(
                        session, self.ctx.actor, customers.CustomerInput(name=text)
                    )
                self.say(f"New customer {text} added to this sale.")
                return
            labels = [f"{c.name} — {c.email or c.phone} — {c.city}" for c in found]
            label = labels[0]
            if len(found) > 1:
                label, ok = QInputDialog.getItem(self, "Customer", "Which one?", labels, 0, False)
                if not ok:
                    return
            chosen = found[labels.index(label)]
        except KestrelError as exc:
            self.say(exc.message, error=True)
            return
        self.cart.customer_id = chosen.id
        self.say(f"Customer: {chosen.name}.")

    def confirm_new_customer(self, text: str) -> bool:
        """F5 found nobody: a new customer only when the cashier says so (a typo in a
        name must not add a stranger to the customer list)."""
        answer = QMessageBox.question(
            self, "New customer?", f"No customer matches '{text}'. Add '{text}' as a new customer?"
        )
        return answer == QMessageBox.StandardButton.Yes

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        """Up and Down move between the cart's lines while the scan field keeps the focus,
        so F2, F3, F4 and F8 act on the line the cashier chose."""
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(event.key())
        if step is None or not self.cart.lines:
            super().keyPressEvent(event)
            return
        row = self._current()
        row = len(self.cart.lines) - 1 if row is None else row
        self.table.selectRow(max(0, min(len(self.cart.lines) - 1, row + step)))

    def remove_line(self) -> None:
        row = self._current()
        if row is not None:
            removed = self.cart.lines.pop(row)
            self.say(f"Removed {removed.name}.")
            self.refresh()

    def park(self) -> None:
        """Put the sale aside (the customer forgot something) and serve the next one.
        Parked sales live in the database: a restart or another till can resume them."""
        if not self.cart.lines:
            self.say("There is nothing to park.", error=True)
            return
        total = self.ctx.money(self.cart.totals()[2])
        items = sum(ln.quantity for ln in self.cart.lines)
        try:
            with self.ctx.database.write() as session:
                parking.park(session, self.ctx.actor, self.cart, self.till)
        except KestrelError as exc:
            self.say(exc.message, error=True)
            return
        self.cart = Cart()
        self.say(f"Sale parked ({items} item(s), {total}). F7 brings it back.")
        self.refresh()

    def choose_parked(self, rows: list[parking.ParkedRow]) -> int | None:
        if len(rows) == 1:
            return rows[0].id
        labels = [
            f"{r.created_at.astimezone():%H:%M}  {r.till}  {r.user}: "
            f"{r.lines} line(s), {self.ctx.money(r.total)}"
            for r in rows
        ]
        label, ok = QInputDialog.getItem(self, "Resume a sale", "Parked sales:", labels, 0, False)
        return rows[labels.index(label)].id if ok else None

    def resume(self) -> None:
        if self.cart.lines:
            self.say("Pay or park the sale on the counter first.", error=True)
            return
        with self.ctx.database.read() as session:
            rows = parking.parked(session)
        if not rows:
            self.say("No sale is parked.", error=True)
            return
        parked_id = self.choose_parked(rows)
        if parked_id is None:
            return
        try:
            with self.ctx.database.write() as session:
                self.cart = parking.resume(session, self.ctx.actor, parked_id)
        except KestrelError as exc:
            self.say(exc.message, error=True)
            return
        self.say("Sale resumed.")
        self.refresh()

    def sell_gift_card(self) -> None:
        """F10: a gift card on the cart. Scan a pre-printed card or leave the code empty for
        a new GC code; the receipt carries the code as a barcode."""
        dialog = GiftCardDialog(self.ctx, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            amount = parse_money(dialog.amount.text(), self.ctx.currency)
            with self.ctx.database.write() as session:
                code = dialog.code.text().strip() or gift_cards.new_code(session)
                code = gift_cards.check_new_card(session, code, amount)
                hit = gift_cards.gift_card_product(session)
            line = self.cart.add_gift_card(hit, code, amount)
        except KestrelError as exc:
            self.say(exc.message, error=True)
            return
        self.say(f"{line.name}: {self.ctx.money(amount)}")
        self.refresh()

    # --- till and payment ------------------------------------------------------------
    def toggle_till(self) -> None:
        with self.ctx.database.read() as session:
            open_now = till.current(session, self.till) is not None
        if open_now:
            self.close_till()
        else:
            text, ok = QInputDialog.getText(self, "Open the till", "Opening float:", text="100.00")
            if ok:
                self.open_till(text)

    def open_till(self, float_text: str) -> None:
        try:
            amount = parse_money(float_text, self.ctx.currency)
            with self.ctx.database.write() as session:
                till.open_session(
                    session,
                    self.ctx.actor,
                    self.till,
                    amount,
                    self.ctx.workstation.workstation_name,
                )
        except KestrelError as exc:
            self.say(exc.message, error=True)
            return
        self.say(f"Till open with {self.ctx.money(amount)}.")
        self.refresh(till_changed=True)

    def close_till(self, counted: dict[int, int] | None = None) -> None:
        if counted is None:
            dialog = CountDialog(self.ctx, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            counted = dialog.counted()
        from app.services.sales.closing import close_and_print_z

        try:
            with self.ctx.database.write() as session:
                report, self.z_report_path = close_and_print_z(
                    session,
                    self.ctx.actor,
                    self.till,
                    self.ctx.workstation.workstation_name,
                    counted,
                )
        except KestrelError as exc:
            self.say(exc.message, error=True)
            return
        money = self.ctx.money
        self.say(
            f"Till closed. Expected {money(report.expected_cash)}, counted "
            f"{money(report.counted_cash)}, difference {money(report.difference)}. "
            f"Z report printing; kept as {self.z_report_path}.",
            error=report.difference != 0,
        )
        self.ctx.jobs_queued()
        self.refresh(till_changed=True)

    def pay(self, tenders: list[Tender] | None = None) -> None:
        if not self.cart.lines:
            self.say("Scan something first.", error=True)
            return
        if tenders is None:
            credit = 0
            if not self.offline:
                try:
                    with self.ctx.database.read() as session:
                        credit = store_credit.credit_balance(session, self.cart.customer_id)
                except DatabaseUnavailable:
                    self.go_offline()
            dialog = PaymentDialog(self.ctx, self.cart.totals()[2], credit, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            tenders = dialog.tenders
        if self.offline:
            self.sell_offline(tenders)
            return
        from app.core import idempotency
        from app.services.sales import offline

        key = idempotency.new_key()  # the sale's one key, online or journaled
        try:  # deadlocks are retried; a lost COMMIT answer is asked about under the key
            sale = offline.sell_online(
                self.ctx.database,
                self.ctx.actor,
                self.cart,
                tenders,
                self.till,
                self.ctx.workstation.workstation_name,
                key,
            )
        except DatabaseUnavailable as exc:
            self.go_offline()
            self.sell_offline(tenders, key, uncertain=isinstance(exc, CommitUncertain))
            return
        except KestrelError as exc:
            self.say(exc.message, error=True)
            return
        self.last_sale = sale
        self.cart = Cart()
        change = f" Change {self.ctx.money(sale.change)}." if sale.change else ""
        self.change_label.setText(f"Change {self.ctx.money(sale.change)}" if sale.change else "")
        landed = " (the server had it after all: counted once)" if sale.replayed else ""
        self.say(
            f"{sale.number} paid: {self.ctx.money(sale.total)}.{change} Receipt printing.{landed}"
        )
        self.ctx.jobs_queued()
        self.refresh(till_changed=True)
        self.input.setFocus()

    # --- offline ------------------------------------------------------------------------
    def _cache_catalogue(self) -> None:
        """Refresh the journal's copy of the shop's catalogue, in the background (its own
        journal connection: sqlite3 connections are not shared across threads)."""
        from app.services.sales.offline import OfflineJournal

        path, database = self.journal.path, self.ctx.database
        workstation = self.ctx.workstation.workstation_name

        def work(_report):  # type: ignore[no-untyped-def]
            copy = OfflineJournal(path)
            try:
                with database.read() as session:
                    copy.cache_shop(session, workstation)
                    return copy.cache_catalogue(session)
            finally:
                copy.close()

        run_in_background(
            work, lambda _n: None, on_background_error("caching the catalogue"), owner=self
        )

    def go_offline(self) -> None:
        if not self.offline:
            self.offline = True
            self._sync_timer.start()
            self._show_offline()

    def _show_offline(self) -> None:
        waiting = self.journal.pending_count()
        text = ""
        if self.offline:
            text = f"OFFLINE — selling from this till's journal; {waiting} sale(s) wait"
        elif waiting:
            text = f"{waiting} offline sale(s) wait to be synced"
        parked = self.journal.parked_count()
        if parked:
            text += ("; " if text else "") + f"{parked} offline sale(s) parked for a manager"
        if text:
            self.till_label.setText(text)
        window = self.window()
        if isinstance(window, QMainWindow):  # the status bar says it on every screen
            window.statusBar().showMessage(text)

    def sell_offline(
        self, tenders: list[Tender], key: str | None = None, uncertain: bool = False
    ) -> None:
        """The server is away: the sale is kept in this till's journal and synced later,
        under the key its online attempt used (`uncertain`: that attempt may have landed)."""
        try:
            key = self.journal.record_sale(
                self.cart, tenders, self.till, self.ctx.workstation.workstation_name, key
            )
            payload, uri = self.journal.receipt(self.cart, tenders, key)
        except KestrelError as exc:
            self.say(exc.message, error=True)
            return
        self._print_offline(payload, uri, key)
        total = self.cart.totals()[2]
        change = sum(t.amount for t in tenders) - total
        change_text = f" Change {self.ctx.money(change)}." if change > 0 else ""
        self.change_label.setText(f"Change {self.ctx.money(change)}" if change > 0 else "")
        self.cart = Cart()
        if uncertain:
            self.say(
                f"The server stopped answering while saving: this sale may have been saved. "
                f"Kept on this till too: {self.ctx.money(total)}.{change_text} When the server "
                "is back it is counted once, never twice.",
                error=True,
            )
        else:
            self.say(
                f"Offline sale kept: {self.ctx.money(total)}.{change_text} It reaches the "
                "server when it is back."
            )
        self.refresh()
        self._show_offline()
        self.input.setFocus()

    def _print_offline(self, payload: bytes, uri: str, key: str) -> None:
        """Straight to the till's receipt printer (the queue is on the server), on a worker."""
        from app.printing.transports import parse_uri, send

        def work(_report):  # type: ignore[no-untyped-def]
            return send(parse_uri(uri), payload, "escpos", f"offline-{key[:8]}")

        def failed(exc: Exception) -> None:
            message = getattr(exc, "message", str(exc))
            self.say(f"The offline receipt did not print: {message}", error=True)

        run_in_background(work, lambda _d: None, failed, owner=self)

    def try_sync(self) -> None:
        """Is the server back? Then sync the waiting sales (every few seconds while sales
        wait, or when asked)."""
        if not self.journal.pending_count() and not self.offline:
            self._sync_timer.stop()
            return
        self._synced(_sync_journal(self.journal, self.ctx.database, self.ctx.actor))

    def _synced(self, report) -> None:  # type: ignore[no-untyped-def]
        if report is None or (report.failed and not (report.synced or report.already)):
            return  # still away, or the server refused every sale (kept, with reasons)
        self.offline = False
        self.lookup.close()  # a fresh connection for the scanner
        done = f"{report.synced} offline sale(s) synced."
        if report.already:
            done += f" {report.already} had reached the server already: counted once."
        if report.conflicts:
            done += (
                f" {len(report.conflicts)} stock conflict(s) listed for a manager "
                "(Audit log: offline.conflict)."
            )
        if report.failed:
            done += f" {len(report.failed)} could not be synced yet: {report.failed[0]}"
        if report.parked:
            done += f" {len(report.parked)} parked for a manager (Kestrel hit a bug; see the log)."
        self.say(done, error=bool(report.conflicts or report.failed or report.parked))
        self.refresh(till_changed=True)
        self._show_offline()
        if not self.journal.pending_count():
            self._sync_timer.stop()

    def shutdown(self) -> None:
        """The main window is closing: give the scanner's connection back."""
        self.lookup.close()
        self._sync_timer.stop()
        self.journal.close()


def _sync_journal(journal, database, actor):  # type: ignore[no-untyped-def]
    """The journal's sales onto the server if it answers (a cheap read first: with nothing
    waiting, sync alone would not notice the server is still away); None if it does not."""
    try:
        database.ping()
        return journal.sync(database, actor)
    except KestrelError:
        return None


class RefundDialog(QDialog):
    """Which items of a sale come back, and how the money goes back."""

    def __init__(
        self,
        number: str,
        lines: list,
        parent: QWidget | None = None,  # type: ignore[type-arg]
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Refund {number}")
        self.lines = lines
        form = QFormLayout(self)
        self.boxes = count_rows(
            form,
            (
                (
                    ln.line_id,
                    f"{ln.name} ({ln.refundable} of {ln.sold})",
                    ln.refundable,
                    f"refund_{ln.line_id}",
                )
                for ln in lines
            ),
        )
        self.how = QComboBox(objectName="refund_method")
        self.how.addItem("The way it was paid", None)
        self.how.addItem("Cash", "cash")
        self.how.addItem("Store credit for the customer", "store_credit")
        form.addRow("Money back", self.how)
        ok_cancel(self, form)

    def quantities(self) -> dict[int, int]:
        return nonzero(self.boxes)

    def method(self) -> str | None:
        return self.how.currentData()


class ManagerDialog(QDialog):
    """A manager's sign-in for one approval; the cashier stays signed in."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, reason: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Manager approval")
        self.ctx = ctx
        self.actor: Actor | None = None
        self.reason = QLabel(reason or "This needs a manager's approval.", objectName="why")
        self.reason.setWordWrap(True)
        self.username = QLineEdit(objectName="manager_user")
        self.password = QLineEdit(objectName="manager_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(objectName="manager_error", wordWrap=True)
        mark(self.error, "error")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.approve)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.reason)
        form.addRow("Manager", self.username)
        form.addRow("Password", self.password)
        form.addRow(self.error)
        form.addRow(buttons)

    def approve(self) -> None:
        from app.core import auth
        from app.services.access import login

        try:
            actor = login.sign_in(
                self.ctx.database,
                self.username.text(),
                self.password.text(),
                self.ctx.workstation.workstation_name,
            )
        except KestrelError as exc:
            self.error.setText(exc.message)
            return
        if not actor.can(auth.Permission.PRICE_OVERRIDE):
            self.error.setText(f"{actor.display_name} may not approve prices.")
            return
        self.actor = actor
        self.accept()


class CountDialog(QDialog):
    """Count the drawer per note and coin."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Count the drawer")
        form = QFormLayout(self)
        self.fields = count_rows(
            form,
            (
                (value, ctx.money(value), 100_000, f"count_{value}")
                for value in till.denominations(ctx.currency)
            ),
        )
        ok_cancel(self, form)

    def counted(self) -> dict[int, int]:
        return nonzero(self.fields)


__all__ = ["CounterScreen", "PaymentDialog"]
