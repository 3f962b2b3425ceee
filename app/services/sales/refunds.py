"""Refunds at the counter: items of a completed sale come back onto the shop's shelves and
the money goes back by the sale's own method (or cash), in the open till, once per
idempotency key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import changes, idempotency
from app.core.auth import Actor, Permission, require
from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.money import format_money
from app.core.sentence import said
from app.core.validation import check_quantity
from app.models import OrderStatus, Payment, Product, SalesOrder
from app.services.sales import gift_cards, orders, till
from app.services.sales.counter import METHODS, counter_warehouse_id
from app.services.sales.store_credit import give_credit
from app.services.stock import inventory


@dataclass(frozen=True)
class RefundableLine:
    line_id: int
    product_id: int
    name: str
    sold: int
    refunded: int
    line_total: int  # what the line cost, tax included, after its discount

    @property
    def refundable(self) -> int:
        return self.sold - self.refunded

    def amount_for(self, quantity: int) -> int:
        """The money for `quantity` more units back: partial refunds add up to the line's
        total exactly, whatever its discount's cents."""
        before = self.line_total * self.refunded // self.sold
        return self.line_total * (self.refunded + quantity) // self.sold - before


def refundable_lines(session: Session, order_id: int) -> list[RefundableLine]:
    """What of a counter sale can still come back: sold minus already returned, per line."""
    from sqlalchemy import func

    from app.models import OrderEvent, OrderLine, StockMove

    order = session.get(SalesOrder, order_id)
    if order is not None and order.status == OrderStatus.REFUNDED:
        raise ValidationError(
            _("{number} has been refunded in full already.").format(number=order.number)
        )
    if order is None or order.status not in REFUNDABLE:
        raise ValidationError(_("Only a completed counter sale can be refunded here."))
    from_events: dict[int, int] = {}
    returned = dict(
        session.execute(
            select(StockMove.origin_id, func.sum(StockMove.quantity))
            .where(StockMove.origin_type == REFUND_REF, StockMove.state == "done")
            .where(StockMove.origin_id.in_([ln.id for ln in order.lines]))
            .group_by(StockMove.origin_id)
        ).all()
    )
    # Untracked items (a service, a loose item) move no stock: their refunds are counted
    # from the refund events, which name every line and quantity that came back.
    for data in session.scalars(
        select(OrderEvent.data).where(
            OrderEvent.order_id == order_id, OrderEvent.kind == "refunded", OrderEvent.data != ""
        )
    ):
        counted: dict[int, int] = {}
        for key, quantity in json.loads(data).get("lines", {}).items():
            counted[int(key)] = counted.get(int(key), 0) + int(quantity)
        for line_id, quantity in counted.items():
            from_events[line_id] = from_events.get(line_id, 0) + quantity
    notes = dict(
        session.execute(
            select(OrderLine.id, OrderLine.total).where(OrderLine.order_id == order_id)
        ).all()
    )
    return [
        RefundableLine(
            ln.id,
            ln.product_id,
            ln.name,
            ln.quantity,
            max(int(returned.get(ln.id, 0)), from_events.get(ln.id, 0)),
            notes[ln.id],
        )
        for ln in order.lines
    ]


REFUND_REF = "refund_line"
REFUNDABLE = frozenset({OrderStatus.COMPLETED, OrderStatus.PARTLY_REFUNDED})
REFUND_KEY_KIND = "refund"


def refund_sale(
    session: Session,
    actor: Actor,
    order_id: int,
    quantities: dict[int, int],
    till_name: str,
    method: str | None = None,
    key: str | None = None,
) -> int:
    """Take items back at the counter: they go back on the shop's shelves, the money goes
    back by the sale's own method (or cash), in the open till. Returns the amount refunded.
    `key`: the refund's idempotency key; a refund whose key landed answers its amount again
    and changes nothing (a retry after a lost COMMIT answer pays out once)."""
    require(actor, Permission.SALE_COMPLETE)
    earlier = idempotency.landed(session, key) if key is not None else None
    if earlier is not None:
        if earlier.kind != REFUND_KEY_KIND or earlier.order_id != order_id:
            raise ValidationError(_("This retry key belongs to another action, not this refund."))
        return int(earlier.result["amount"])
    amount = _refund(session, actor, order_id, quantities, till_name, method)
    if key is not None:
        idempotency.claim(session, key, REFUND_KEY_KIND, order_id, till_name, {"amount": amount})
    return amount


def _refund(
    session: Session,
    actor: Actor,
    order_id: int,
    quantities: dict[int, int],
    till_name: str,
    method: str | None,
) -> int:
    cash_session = till.require_open(session, till_name)
    lines = {ln.line_id: ln for ln in refundable_lines(session, order_id)}
    order = session.get(SalesOrder, order_id)
    assert order is not None
    gift_card_id = session.scalar(select(Product.id).where(Product.sku == gift_cards.GIFT_CARD_SKU))
    slip_lines = _take_back(session, actor, order, lines, quantities, gift_card_id)
    amount = sum(back for _q, _n, back in slip_lines)
    if amount == 0:
        raise ValidationError(_("Choose what comes back."))
    method = _pay_back(session, actor, order, cash_session.id, amount, method)
    currency = order.currency
    left = sum(
        ln.refundable - quantities.get(ln.line_id, 0)
        for ln in lines.values()
        if ln.product_id != gift_card_id
    )
    orders.change_status(
        session,
        actor,
        order,
        OrderStatus.REFUNDED if left == 0 else OrderStatus.PARTLY_REFUNDED,
        "refunded",
        said(
            "Refunded {amount} by {method} at {till}",
            amount=format_money(amount, currency),
            method=method,
            till=till_name,
        ),
        data={"lines": {str(k): v for k, v in quantities.items() if v}},
    )
    session.flush()
    from app.services.printing.documents import print_refund_slip

    print_refund_slip(session, actor, order_id, slip_lines, amount, method)
    changes.note(session, orders=[order_id], kind="sale")
    return amount


def _take_back(
    session: Session,
    actor: Actor,
    order: SalesOrder,
    lines: dict[int, RefundableLine],
    quantities: dict[int, int],
    gift_card_id: int | None,
) -> list[tuple[int, str, int]]:
    """Each line's units checked against what may still come back and put on the shop's
    shelf (tracked items only); returns the slip's (quantity, name, money back) lines."""
    warehouse_id = order.warehouse_id or counter_warehouse_id(session)
    shelf = _counter_shelf(session, warehouse_id)
    tracked = set(
        session.scalars(
            select(Product.id).where(
                Product.id.in_({ln.product_id for ln in lines.values()}),
                Product.track_stock.is_(True),
            )
        )
    )
    slip_lines: list[tuple[int, str, int]] = []
    for line_id, quantity in quantities.items():
        if quantity == 0:
            continue
        line = lines.get(line_id)
        if line is None:
            raise ValidationError(
                _("Line {line_id} is not part of {number}.").format(
                    line_id=line_id, number=order.number
                )
            )
        check_quantity(quantity)
        if line.product_id == gift_card_id:
            raise ValidationError(_("A sold gift card is not refunded at the counter."))
        if quantity > line.refundable:
            raise ValidationError(
                _("Only {refundable} of {name} can come back ({refunded} already did).").format(
                    refundable=line.refundable, name=line.name, refunded=line.refunded
                )
            )
        if line.product_id in tracked:
            inventory.receive_return(
                session,
                actor,
                line.product_id,
                shelf,
                quantity,
                inventory.MoveRef(REFUND_REF, line_id),
            )
        slip_lines.append((quantity, line.name, line.amount_for(quantity)))
    return slip_lines


def _pay_back(
    session: Session,
    actor: Actor,
    order: SalesOrder,
    cash_session_id: int,
    amount: int,
    method: str | None,
) -> str:
    """The money back by `method` (default: the sale's largest payment's), as a refund
    Payment in the open till; returns the method used."""
    order_id = order.id
    original = session.execute(
        select(Payment.method, Payment.reference)
        .where(Payment.order_id == order_id, Payment.kind == "payment")
        .order_by(Payment.amount.desc())
        .limit(1)
    ).first()
    method = method or (original.method if original else "cash")
    reference = ""
    if method == "gift_card":
        card = session.scalar(
            select(Payment.reference).where(
                Payment.order_id == order_id, Payment.method == "gift_card"
            )
        )
        if not card:
            raise ValidationError(
                _("{number} was not paid with a gift card.").format(number=order.number)
            )
        reference = card
        gift_cards.top_up(session, actor, card, amount, order.id, f"Refund of {order.number}")
    if method not in METHODS:
        raise ValidationError(_("'{method}' is not a way to refund here.").format(method=method))
    if method == "store_credit":
        give_credit(
            session, actor, order.customer_id, amount, order.id, f"Refund of {order.number}"
        )
    if method == "cash" and amount > till.expected_cash(session, cash_session_id):
        raise ValidationError(_("There is not enough cash in the drawer for this refund."))
    session.add(
        Payment(
            order_id=order_id,
            cash_session_id=cash_session_id,
            method=method,
            kind="refund",
            amount=amount,
            reference=reference,
            user_id=actor.user_id,
        )
    )
    return method


def _counter_shelf(session: Session, warehouse_id: int) -> int:
    from app.models import Location

    shelf = session.scalar(
        select(Location.id)
        .where(
            Location.warehouse_id == warehouse_id,
            Location.kind == "internal",
            Location.active.is_(True),
        )
        .order_by(Location.pick_sequence, Location.id)
        .limit(1)
    )
    if shelf is None:
        raise ValidationError(_("The shop has no shelf to put returned items on."))
    return shelf
