"""Tendering a sale: the payment dialog (cash as typed or exact, quick-cash notes, card,
store credit, gift cards, split) and the dialog that sells a gift card.

The rules (what is due, which tender is allowed, the notes offered) are
services/sales/tendering.py; this module shows them and asks the cashier.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core import idempotency
from app.core.errors import CommitUncertain, DatabaseUnavailable, KestrelError, ValidationError
from app.core.i18n import _
from app.core.money import parse_money
from app.printing.documents import method_name
from app.services.sales import checkout, gift_cards, store_credit, tendering
from app.services.sales.cart import Cart
from app.services.sales.counter import SaleResult, Tender
from app.services.sales.gift_cards import GiftCardInfo
from app.views import sound
from app.views.context import AppContext
from app.views.counter.host import CounterHost
from app.views.counter.keyed import run_keyed
from app.views.ops import query
from app.views.theme import mark
from app.views.widgets import ok_cancel

BIG = "font-size: 22pt; font-weight: 700"


def large_amount_question(money: Callable[[int], str], amount: int, due: int) -> tuple[str, str]:
    """The title and question when far more is handed over than is due (a likely slip)."""
    return _("Check the amount"), _(
        "{amount} handed over for {due} due (change {change}). Is that right?"
    ).format(amount=money(amount), due=money(due), change=money(amount - due))


class PaymentDialog(QDialog):
    """Tender the sale: Enter pays in cash what was typed (the exact amount if nothing was),
    with the change due shown large as the amount is typed; quick-cash notes; card; split."""

    def __init__(
        self, ctx: AppContext, total: int, credit: int = 0, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Payment"))
        self.ctx = ctx
        self.total = total
        self.credit = credit
        self.tenders: list[Tender] = []
        self.due_label = QLabel(objectName="due", styleSheet=BIG)
        self.change_label = QLabel(objectName="change_due", styleSheet=BIG)
        self.error = QLabel(objectName="payment_error", wordWrap=True)
        mark(self.error, "error")
        self.amount = QLineEdit(objectName="tendered")
        self.amount.setPlaceholderText(_("Amount handed over (empty: exact)"))
        self.amount.textChanged.connect(self._show_change)
        self.reference = QLineEdit(objectName="card_reference")
        self.reference.setPlaceholderText(_("Card terminal reference"))
        self.exact = QPushButton(_("Cash (Enter)"), objectName="exact_cash")
        self.exact.setToolTip(_("Enter: cash as typed, or the exact amount if nothing is typed"))
        self.exact.setDefault(True)
        self.exact.setAutoDefault(True)
        self.cash = QPushButton(_("&Cash"), objectName="cash")
        self.card = QPushButton(_("C&ard"), objectName="card")
        self.exact.clicked.connect(self.pay_entered_cash)
        self.cash.clicked.connect(lambda: self.pay("cash"))
        self.card.clicked.connect(lambda: self.pay("card"))
        self.store_credit = QPushButton(
            _("Store credit ({amount})").format(amount=ctx.money(credit)),
            objectName="store_credit",
        )
        self.store_credit.setEnabled(credit > 0)
        self.store_credit.clicked.connect(self.pay_with_credit)
        self.gift_code = QLineEdit(objectName="gift_card_code")
        self.gift_code.setPlaceholderText(_("Scan or type the gift card"))
        self.gift_card = QPushButton(_("&Gift card"), objectName="gift_card")
        self.gift_card.clicked.connect(lambda: self.pay_with_gift_card(self.gift_code.text()))
        self._lay_out()
        self._show_due()

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.due_label)
        layout.addWidget(self.change_label)
        form = QFormLayout()
        form.addRow(_("Tendered"), self.amount)
        form.addRow(_("Card ref."), self.reference)
        form.addRow(_("Gift card"), self.gift_code)
        layout.addLayout(form)
        layout.addLayout(self._quick_cash_row())
        buttons = QHBoxLayout()
        for button in (self.exact, self.cash, self.card, self.store_credit, self.gift_card):
            buttons.addWidget(button)
            # Enter always means "the rest in exact cash", whichever button was clicked last
            button.setAutoDefault(button is self.exact)
        layout.addLayout(buttons)
        layout.addWidget(self.error)

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
        return tendering.quick_amounts(self.due)

    @property
    def due(self) -> int:
        return tendering.due(self.total, self.tenders)

    def _show_due(self) -> None:
        money = self.ctx.money
        paid = " + ".join(f"{method_name(t.method, _)} {money(t.amount)}" for t in self.tenders)
        due = money(self.due)
        self.due_label.setText(
            _("To pay: {due}   (paid {paid})").format(due=due, paid=paid)
            if paid
            else _("To pay: {due}").format(due=due)
        )

    def _show_change(self) -> None:
        """Live, as the amount is typed: the change to hand back, or what is still due."""
        text = self.amount.text().strip()
        try:
            typed = parse_money(text, self.ctx.currency, self.ctx.locale) if text else None
        except ValidationError:
            typed = None
        if typed is None:
            self.change_label.clear()
        elif typed >= self.due:
            self.change_label.setText(
                _("Change: {amount}").format(amount=self.ctx.money(typed - self.due))
            )
        else:
            self.change_label.setText(
                _("Still due after this: {amount}").format(amount=self.ctx.money(self.due - typed))
            )

    def _refuse(self, text: str) -> None:
        self.error.setText(text)
        sound.error()

    def _typed(self) -> int | None:
        text = self.amount.text().strip()
        if not text:
            return None
        try:
            return parse_money(text, self.ctx.currency, self.ctx.locale)
        except ValidationError as exc:
            self._refuse(exc.message)
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
        title, text = large_amount_question(self.ctx.money, amount, self.due)
        answer = QMessageBox.question(
            self,
            title,
            text,
            yes | no,
            no,  # a reflexive second Enter must not pay out the slip
        )
        return answer == QMessageBox.StandardButton.Yes

    def pay_with_credit(self) -> None:
        amount = tendering.credit_to_use(self.credit, self.tenders, self.due)
        if amount > 0:
            self.tender(Tender("store_credit", amount))

    def handle_scan(self, code: str) -> bool:
        """A card scanned while paying pays with it."""
        self.gift_code.setText(code)
        self.pay_with_gift_card(code)
        return True

    def pay_with_gift_card(self, code: str) -> None:
        """As much of what is due as the card holds (or the amount typed, if less); the
        card's balance is read off the GUI thread."""
        try:
            typed = self._typed()
        except ValidationError:
            return
        query(self, self.ctx, lambda s: gift_cards.card_info(s, code)).on_success(
            lambda info: self._pay_with_card(info, typed)
        ).message(self._refuse).busy(self.gift_card).run()

    def _pay_with_card(self, info: GiftCardInfo, typed: int | None) -> None:
        try:
            tender = tendering.gift_card_tender(info, self.tenders, self.due, typed)
        except ValidationError as exc:
            self._refuse(exc.message)
            return
        self.gift_code.clear()
        self.tender(tender)

    def pay(self, method: str) -> None:
        try:
            amount = self._typed()
        except ValidationError:
            return  # the message is shown; the typed text stays to be corrected
        if amount is None:
            amount = self.due
        try:
            tendering.check_amount(amount, self.due)
        except ValidationError as exc:
            self._refuse(exc.message)
            return
        if tendering.needs_confirmation(method, amount, self.due):
            if not self.confirm_large(amount):
                self.amount.selectAll()
                self.amount.setFocus()
                return
        self.tender(Tender(method, amount, self.reference.text()))

    def tender(self, tender: Tender) -> None:
        try:
            tendering.check_tender(tender, self.due)
        except ValidationError as exc:
            self._refuse(exc.message)
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
        self.setWindowTitle(_("Sell a gift card"))
        self.amount = QLineEdit(objectName="gift_amount")
        self.code = QLineEdit(objectName="gift_code")
        self.code.setPlaceholderText(_("Scan the card, or leave empty for a new code"))
        form = QFormLayout(self)
        form.addRow(_("Amount ({currency})").format(currency=ctx.currency), self.amount)
        form.addRow(_("Card code"), self.code)
        ok_cancel(self, form)

    def handle_scan(self, code: str) -> bool:
        self.code.setText(code)
        return True


class Checkout:
    """F12: the customer's credit is read, the payment dialog asks, and the sale is one
    keyed write (`.busy` on the pay key: a double press cannot sell twice). A refused sale
    keeps the cart; a server that is away, or a lost COMMIT answer, sells offline under
    the same key (the sync then counts it once)."""

    def __init__(self, screen: CounterHost) -> None:
        self.screen = screen
        self._in_flight = False  # the sale's write is on its way (it ends the wait itself)

    def pay(self, tenders: list[Tender] | None = None) -> None:
        """F12 (or the tenders given): one payment at a time, from the press to the answer;
        a second press meanwhile is told to wait, so it can never sell twice."""
        screen = self.screen
        if screen.saving:
            screen.say_error(_("One moment: the sale is being saved."))
            return
        if not screen.cart.lines:
            screen.say_error(_("Scan something first."))
            return
        screen.saving = True
        if tenders is not None:
            self._sell(tenders)
        elif screen.offline:
            self._ask(0)
        else:
            customer = screen.cart.customer_id
            query(
                screen, screen.ctx, lambda s: store_credit.credit_balance(s, customer)
            ).on_success(self._ask).on_failure(self._no_credit).busy(
                screen.buttons["pay"]
            ).finally_(self._unless_selling).run()
            return
        self._unless_selling()

    def _unless_selling(self) -> None:
        """The payment ended without a sale on its way (cancelled, refused, offline)."""
        if not self._in_flight:
            self.screen.saved()

    def _no_credit(self, exc: KestrelError) -> None:
        if isinstance(exc, DatabaseUnavailable):
            self.screen.offline_mode.go_offline()
            self._ask(0)
        else:
            self.screen.say_error(exc.message)

    def _ask(self, credit: int) -> None:
        screen = self.screen
        dialog = PaymentDialog(screen.ctx, screen.cart.totals()[2], credit, screen)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._sell(dialog.tenders)

    def _sell(self, tenders: list[Tender]) -> None:
        screen, ctx = self.screen, self.screen.ctx
        if screen.offline:
            screen.offline_mode.sell(tenders)
            return
        key = idempotency.new_key()  # the sale's one key, online or journaled
        cart = _frozen(screen.cart)
        actor, till, workstation = ctx.actor, screen.till, ctx.workstation.workstation_name
        self._in_flight = True
        run_keyed(
            screen,
            ctx,
            lambda s: checkout.sell(s, actor, cart, tenders, till, workstation, key),
            busy=(screen.buttons["pay"],),
            on_success=self._sold,
            on_failure=lambda exc: self._not_sold(exc, tenders, key),
            on_done=self._answered,
        )

    def _answered(self) -> None:
        self._in_flight = False
        self.screen.saved()

    def _not_sold(self, exc: KestrelError, tenders: list[Tender], key: str) -> None:
        """Refused in words: the cart stays. The server away: sold offline, same key."""
        screen = self.screen
        if isinstance(exc, DatabaseUnavailable):
            screen.offline_mode.go_offline()
            screen.offline_mode.sell(tenders, key, uncertain=isinstance(exc, CommitUncertain))
            return
        screen.say_error(exc.message)

    def _sold(self, sale: SaleResult) -> None:
        screen, money = self.screen, self.screen.ctx.money
        screen.last_sale = sale
        screen.cart = Cart()
        change = money(sale.change)
        screen.change_label.setText(
            _("Change {amount}").format(amount=change) if sale.change else ""
        )
        said = _("{number} paid: {total}. Receipt printing.")
        if sale.change:
            said = _("{number} paid: {total}. Change {change}. Receipt printing.")
        if sale.replayed:
            said += " " + _("(The server had it after all: counted once.)")
        screen.say(said.format(number=sale.number, total=money(sale.total), change=change))
        screen.ctx.jobs_queued()
        screen.refresh(till_changed=True)
        screen.input.setFocus()


def _frozen(cart: Cart) -> Cart:
    """The worker's own copy of the cart: the GUI keeps its cart, untouched, till the sale
    is saved (and keeps it when the sale is refused)."""
    import copy

    return copy.deepcopy(cart)
