"""Why each of the Orders tab's buttons cannot act now, in words for its tooltip: the
order's status or the right the person lacks. The services check the same again; this
only keeps a button from looking alive when it would be refused."""

from __future__ import annotations

from app.core.auth import Actor, Permission
from app.services.purchasing.order_status import S  # the PurchaseStatus enum
from app.services.purchasing.orders import OrderView, words

NO_BUY = "Buying needs the purchasing.manage right (managers and administrators)."
NO_RECEIVE = "Receiving needs the stock.receive right."
CHOOSE = "Choose a purchase order first."


def _status(order: OrderView, allowed: tuple[S, ...], what: str) -> str:
    if order.status in allowed:
        return ""
    return f"{order.number} is {words(order.status)}: {what}"


def reasons(actor: Actor, order: OrderView | None) -> dict[str, str]:
    """Button key -> the reason it is greyed ('' or missing: it may act)."""
    buy = "" if actor.can(Permission.PURCHASING) else NO_BUY
    receive = "" if actor.can(Permission.STOCK_RECEIVE) else NO_RECEIVE
    if order is None:
        return {
            "new": buy,
            **{k: buy or CHOOSE for k in ("send", "email", "pdf", "cancel", "close")},
            **{k: receive or CHOOSE for k in ("receive", "putaway")},
        }
    received = any(line.received for line in order.lines)
    cancel = _status(order, (S.DRAFT, S.SENT), "only a draft or a sent order is cancelled.")
    if order.status == S.PARTLY_RECEIVED or (not cancel and received):
        cancel = f"Goods were received on {order.number}: close it short instead."
    return {
        "new": buy,
        "send": buy or _status(order, (S.DRAFT,), "only a draft is sent."),
        "email": buy
        or _status(order, (S.DRAFT, S.SENT, S.PARTLY_RECEIVED), "only an open order is e-mailed."),
        "pdf": buy,
        "cancel": buy or cancel,
        "close": buy
        or _status(order, (S.PARTLY_RECEIVED,), "only a partly received order is closed short."),
        "receive": receive
        or _status(order, (S.SENT, S.PARTLY_RECEIVED), "only a sent order is received."),
        "putaway": receive,
    }
