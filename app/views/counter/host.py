"""What the counter's controllers (payment, edits, till, refund, offline, scan) see of
the screen: its widgets, the cart and the questions it asks the cashier. The screen is
built on this class, so the controllers need not import the screen (no import circle).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QMessageBox, QPushButton, QWidget

from app.core.auth import Actor
from app.core.i18n import _, ngettext
from app.core.money import format_amount
from app.services.sales import parking
from app.services.sales.cart import Cart
from app.services.sales.counter import SaleResult, Tender
from app.services.sales.offline import OfflineJournal
from app.services.stock.catalogue import ProductRow
from app.services.stock.lookup import CodeLookup
from app.views.context import AppContext
from app.views.widgets import say


class OfflineMode(Protocol):
    active: bool

    def go_offline(self) -> None: ...
    def show(self) -> None: ...
    def sell(
        self, tenders: list[Tender], key: str | None = None, uncertain: bool = False
    ) -> None: ...


class Drawer(Protocol):
    is_open: bool | None

    def show(self, then: Callable[[], None] | None = None) -> None: ...


class CounterHost(QWidget):
    """The screen's shared state; CounterScreen fills it in and lays it out."""

    ctx: AppContext
    till: str  # this workstation's till
    cart: Cart
    saving: bool  # a sale or a park is on its way to the server: the cart waits
    lookup: CodeLookup
    journal: OfflineJournal
    last_sale: SaleResult | None
    z_report_path: str
    till_label: QLabel
    message: QLabel
    input: QLineEdit
    change_label: QLabel
    buttons: dict[str, QPushButton]
    offline_mode: OfflineMode
    drawer: Drawer

    @property
    def offline(self) -> bool:
        return self.offline_mode.active

    def refresh(self, till_changed: bool = False) -> None:
        raise NotImplementedError

    def handle_scan(self, code: str) -> bool:
        raise NotImplementedError

    def start_refund(self, number: str) -> bool:
        raise NotImplementedError

    def ask_manager(self, reason: str = "") -> Actor | None:
        raise NotImplementedError

    def current_row(self) -> int | None:
        """The selected line of the cart (the last one when none is selected)."""
        raise NotImplementedError

    def say(self, text: str, error: bool = False) -> None:
        say(self.message, text, error)

    def say_error(self, text: str) -> None:
        say(self.message, text, True)

    def saved(self) -> None:
        """The sale (or park) that held the cart has answered."""
        self.saving = False

    # --- asking the cashier (one place, so tests can answer) ---------------------------
    def ask_quantity(self, current: int, name: str = "") -> int | None:
        label = _("Quantity of {product}:").format(product=name) if name else _("Quantity:")
        value, ok = QInputDialog.getInt(self, _("Quantity"), label, current, 1, 9999)
        return value if ok else None

    def ask_price(self, current: int) -> str | None:
        text, ok = QInputDialog.getText(
            self,
            _("Price"),
            _("New unit price:"),
            text=format_amount(current, self.ctx.currency, self.ctx.locale),
        )
        return text if ok else None

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self, title, label, text=text)
        return value if ok else None

    def confirm_new_customer(self, text: str) -> bool:
        """F5 found nobody: a new customer only when the cashier says so (a typo in a
        name must not add a stranger to the customer list)."""
        answer = QMessageBox.question(
            self,
            _("New customer?"),
            _("No customer matches '{text}'. Add '{text}' as a new customer?").format(text=text),
        )
        return answer == QMessageBox.StandardButton.Yes

    def choose_product(self, rows: list[ProductRow]) -> ProductRow | None:
        labels = [f"{r.name} — {self.ctx.money(r.price)} — {r.sku}" for r in rows[:20]]
        label, ok = QInputDialog.getItem(
            self, _("Which product?"), _("Products:"), labels, 0, False
        )
        return rows[labels.index(label)] if ok else None

    def choose_parked(self, rows: list[parking.ParkedRow]) -> int | None:
        if len(rows) == 1:
            return rows[0].id
        labels = [
            ngettext(
                "{time}  {till}  {user}: {lines} line, {total}",
                "{time}  {till}  {user}: {lines} lines, {total}",
                r.lines,
            ).format(
                time=f"{r.created_at.astimezone():%H:%M}",
                till=r.till,
                user=r.user,
                lines=r.lines,
                total=self.ctx.money(r.total),
            )
            for r in rows
        ]
        label, ok = QInputDialog.getItem(
            self, _("Resume a sale"), _("Parked sales:"), labels, 0, False
        )
        return rows[labels.index(label)].id if ok else None
