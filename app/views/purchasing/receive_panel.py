"""Receive mode of the Orders tab: while it is on, the scanner's codes go to the chosen
purchase order (services/purchasing/receive_scan.py, one call and one transaction per
scan) and each scan's feedback is shown large: the product, how many of how many are
in, an over-receipt warning, or the refusal in words with the error sound."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.core.i18n import N_, _
from app.services.purchasing import receive_scan
from app.services.purchasing.orders import words
from app.services.purchasing.receive_scan import ScanFeedback
from app.views import sound
from app.views.context import AppContext
from app.views.ops import op
from app.views.theme import mark

IDLE = N_("Receiving {number}: scan the items as they come off the pallet.")


class ReceivePanel(QWidget):
    """Shown under the lines while receiving; `received` fires after each booked scan."""

    received = Signal(object)  # the ScanFeedback

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="po_receive_panel")
        self.ctx = ctx
        self.order_id: int | None = None
        self.number = ""
        self.feedback = QLabel(objectName="po_receive_feedback")
        self.feedback.setWordWrap(True)
        self.feedback.setStyleSheet("font-size: 20pt; font-weight: 600")
        self.detail = QLabel(objectName="po_receive_detail")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.feedback)
        layout.addWidget(self.detail)
        self.hide()

    def start(self, order_id: int, number: str) -> None:
        self.order_id, self.number = order_id, number
        self._show(_(IDLE).format(number=number), "")
        self.detail.setText("")
        self.show()

    def stop(self) -> None:
        self.order_id = None
        self.hide()

    @property
    def active(self) -> bool:
        return self.order_id is not None

    def handle_scan(self, code: str) -> bool:
        """Every code is this order's while receiving (a sales order number is refused
        in words by the service, not opened: the clerk is at goods-in)."""
        order_id, actor = self.order_id, self.ctx.actor
        if order_id is None:
            return False
        op(
            self, self.ctx, lambda s: receive_scan.scan_receipt(s, actor, order_id, code)
        ).on_success(self._scanned).message(self._refused).run()
        return True

    def _scanned(self, fb: ScanFeedback) -> None:
        self._show(fb.message, "error" if fb.over_receipt else "ok")
        self.detail.setText(
            _("+{added} into {location}; {number} is now {status}.").format(
                added=fb.added, location=fb.location, number=fb.number, status=words(fb.status)
            )
        )
        if fb.over_receipt:
            sound.error()
        self.received.emit(fb)

    def _refused(self, text: str) -> None:
        self._show(text, "error")
        self.detail.setText(_("Nothing was booked for that scan."))
        sound.error()

    def _show(self, text: str, state: str) -> None:
        mark(self.feedback, state)
        self.feedback.setText(text)
