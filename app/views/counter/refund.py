"""Taking items back at the counter: a scanned receipt opens the refund dialog, and the
refund runs as one keyed operation (a lost COMMIT answer is asked about, not repeated)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QMainWindow, QWidget

from app.core import idempotency
from app.core.errors import KestrelError
from app.core.i18n import _
from app.services.sales import refunds
from app.services.sales.checkout import RefundLookup, refund_lookup
from app.services.sales.refunds import RefundableLine
from app.views.counter.host import CounterHost
from app.views.counter.keyed import run_keyed
from app.views.ops import query
from app.views.widgets import count_rows, nonzero, ok_cancel


class RefundDialog(QDialog):
    """Which items of a sale come back, and how the money goes back."""

    def __init__(
        self, number: str, lines: list[RefundableLine], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Refund {number}").format(number=number))
        self.lines = lines
        form = QFormLayout(self)
        self.boxes = count_rows(
            form,
            (
                (
                    ln.line_id,
                    _("{product} ({refundable} of {sold})").format(
                        product=ln.name, refundable=ln.refundable, sold=ln.sold
                    ),
                    ln.refundable,
                    f"refund_{ln.line_id}",
                )
                for ln in lines
            ),
        )
        self.how = QComboBox(objectName="refund_method")
        self.how.addItem(_("The way it was paid"), None)
        self.how.addItem(_("Cash"), "cash")
        self.how.addItem(_("Store credit for the customer"), "store_credit")
        form.addRow(_("Money back"), self.how)
        ok_cancel(self, form)

    def quantities(self) -> dict[int, int]:
        return nonzero(self.boxes)

    def method(self) -> str | None:
        method: str | None = self.how.currentData()
        return method


class Refunds:
    """The counter's refund flow; it owns nothing but the screen it speaks through."""

    def __init__(self, screen: CounterHost) -> None:
        self.screen = screen

    def start(self, number: str) -> bool:
        """A receipt scanned at the counter: look it up off the GUI thread. A counter sale
        opens the refund dialog; any other order opens on the Orders screen."""
        screen = self.screen
        query(screen, screen.ctx, lambda s: refund_lookup(s, number)).on_success(
            lambda found: self._found(number, found)
        ).message(screen.say_error).run()
        return True

    def _found(self, number: str, found: RefundLookup) -> None:
        if not found.lines:
            self._not_here(number, found.order_id)
            return
        assert found.order_id is not None
        dialog = RefundDialog(number, found.lines, self.screen)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._refund(number, found.order_id, dialog.quantities(), dialog.method())

    def _not_here(self, number: str, order_id: int | None) -> None:
        """Anything but a counter sale is the Orders screen's (as a scan anywhere else)."""
        window = self.screen.window()
        show_screen = getattr(window, "show_screen", None)
        if order_id is not None and show_screen is not None:
            show_screen("Orders").open_order(order_id)
            if isinstance(window, QMainWindow):
                window.statusBar().showMessage(_("Opened {number}").format(number=number), 4000)
            return
        self.screen.say_error(_("There is no order {number}.").format(number=number))

    def _refund(
        self, number: str, order_id: int, quantities: dict[int, int], method: str | None
    ) -> None:
        screen, ctx = self.screen, self.screen.ctx
        key = idempotency.new_key()  # a lost COMMIT answer: asked, not repeated
        actor, till = ctx.actor, screen.till

        def refunded(amount: int) -> None:
            screen.say(
                _("Refunded {amount} for {number}; the items are back on the shelf.").format(
                    amount=ctx.money(amount), number=number
                )
            )
            screen.refresh(till_changed=True)

        def failed(exc: KestrelError) -> None:
            screen.say_error(exc.message)

        run_keyed(
            screen,
            ctx,
            lambda s: refunds.refund_sale(s, actor, order_id, quantities, till, method, key),
            busy=(),
            on_success=refunded,
            on_failure=failed,
        )
