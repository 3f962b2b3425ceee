"""Why each of the Orders tab's buttons cannot act now, in words for its tooltip: the
order's status or the right the person lacks. The services check the same again; this
only keeps a button from looking alive when it would be refused."""

from __future__ import annotations

from app.core.auth import Actor, Permission
from app.core.i18n import N_, _
from app.services.purchasing.order_status import S  # the PurchaseStatus enum
from app.services.purchasing.orders import OrderView, words

NO_BUY = N_("Buying needs the purchasing.manage right (managers and administrators).")
NO_RECEIVE = N_("Receiving needs the stock.receive right.")
CHOOSE = N_("Choose a purchase order first.")


def _status(order: OrderView, allowed: tuple[S, ...], what: str) -> str:
    if order.status in allowed:
        return ""
    return _("{number} is {status}: {what}").format(
        number=order.number, status=words(order.status), what=_(what)
    )


def reasons(actor: Actor, order: OrderView | None) -> dict[str, str]:
    """Button key -> the reason it is greyed ('' or missing: it may act)."""
    buy = "" if actor.can(Permission.PURCHASING) else _(NO_BUY)
    receive = "" if actor.can(Permission.STOCK_RECEIVE) else _(NO_RECEIVE)
    if order is None:
        return {
            "new": buy,
            **{k: buy or _(CHOOSE) for k in ("send", "email", "pdf", "cancel", "close")},
            **{k: receive or _(CHOOSE) for k in ("receive", "putaway")},
        }
    received = any(line.received for line in order.lines)
    cancel = _status(order, (S.DRAFT, S.SENT), N_("only a draft or a sent order is cancelled."))
    if order.status == S.PARTLY_RECEIVED or (not cancel and received):
        cancel = _("Goods were received on {number}: close it short instead.").format(
            number=order.number
        )
    return {
        "new": buy,
        "send": buy or _status(order, (S.DRAFT,), N_("only a draft is sent.")),
        "email": buy
        or _status(
            order, (S.DRAFT, S.SENT, S.PARTLY_RECEIVED), N_("only an open order is e-mailed.")
        ),
        "pdf": buy,
        "cancel": buy or cancel,
        "close": buy
        or _status(
            order, (S.PARTLY_RECEIVED,), N_("only a partly received order is closed short.")
        ),
        "receive": receive
        or _status(order, (S.SENT, S.PARTLY_RECEIVED), N_("only a sent order is received.")),
        "putaway": receive,
    }
