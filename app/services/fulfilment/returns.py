"""Returns (RMA): a customer sends shipped items back.

requested -> received (scanned in: customer -> returns area) -> inspected line by line
(restock: returns area -> a bin; scrap: returns area -> loss) -> refunded (a Payment of
kind 'refund'). Each step is on the order's timeline; nothing can come back that was not
shipped, and nothing is refunded twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import changes, numbering
from app.core.auth import Actor, Permission, require
from app.core.bootstrap import virtual_location_id
from app.core.errors import InvalidTransition, NotFound, ValidationError
from app.core.i18n import _
from app.core.money import format_money
from app.core.sentence import said, said_n
from app.core.validation import check_quantity, clean_text
from app.models import (
    LocationKind,
    OrderLine,
    Payment,
    ReturnLine,
    ReturnOrder,
    SalesOrder,
    StockMove,
)
from app.services.fulfilment import return_lots
from app.services.sales import orders
from app.services.stock import catalogue, inventory, lots

RETURN_REF = "return_line"
REFUND_METHODS = ("card", "bank_transfer", "cash", "store_credit")


@dataclass(frozen=True)
class ReturnableLine:
    order_line_id: int
    sku: str
    name: str
    shipped: int
    returned: int  # already on a return

    @property
    def returnable(self) -> int:
        return self.shipped - self.returned


@dataclass(frozen=True)
class ReturnLineRow:
    id: int
    order_line_id: int
    product_id: int
    sku: str
    name: str
    quantity: int
    reason: str
    received: int
    restocked: int
    scrapped: int


@dataclass(frozen=True)
class ReturnRow:
    id: int
    number: str
    order_id: int
    order_number: str
    status: str
    reason: str
    refunded: int
    lines: tuple[ReturnLineRow, ...]

    @property
    def refund_due(self) -> bool:
        return self.status == "received" and all(
            ln.restocked + ln.scrapped == ln.received for ln in self.lines
        )


def returnable_lines(session: Session, order_id: int) -> list[ReturnableLine]:
    order = session.get(SalesOrder, order_id)
    if order is None:
        raise NotFound(_("Order {order_id} does not exist.").format(order_id=order_id))
    returned = dict(
        session.execute(
            select(ReturnLine.order_line_id, func.sum(ReturnLine.quantity))
            .join(ReturnOrder, ReturnOrder.id == ReturnLine.return_id)
            .where(ReturnOrder.order_id == order_id, ReturnOrder.status != "cancelled")
            .group_by(ReturnLine.order_line_id)
        ).all()
    )
    return [
        ReturnableLine(ln.id, ln.sku, ln.name, ln.shipped, int(returned.get(ln.id, 0)))
        for ln in order.lines
    ]


def create(
    session: Session, actor: Actor, order_id: int, quantities: dict[int, int], reason: str
) -> int:
    """A return of these order lines and quantities; returns its id."""
    require(actor, Permission.ORDERS_ACCEPT)
    reason = clean_text(reason, "Reason", max_length=300, required=True)
    order = session.get(SalesOrder, order_id, with_for_update=True)
    if order is None:
        raise NotFound(_("Order {order_id} does not exist.").format(order_id=order_id))
    lines = {ln.order_line_id: ln for ln in returnable_lines(session, order_id)}
    wanted = {k: v for k, v in quantities.items() if v}
    if not wanted:
        raise ValidationError(_("Choose what comes back."))
    new_lines = []
    for line_id, quantity in wanted.items():
        line = lines.get(line_id)
        if line is None:
            raise ValidationError(
                _("Line {line_id} is not part of {number}.").format(
                    line_id=line_id, number=order.number
                )
            )
        check_quantity(quantity)
        if quantity > line.returnable:
            raise ValidationError(
                _(
                    "Only {returnable} of {sku} can come back: {shipped} shipped, "
                    "{returned} on returns already."
                ).format(
                    returnable=line.returnable,
                    sku=line.sku,
                    shipped=line.shipped,
                    returned=line.returned,
                )
            )
        product_id = session.scalar(select(OrderLine.product_id).where(OrderLine.id == line_id))
        new_lines.append(
            ReturnLine(
                order_line_id=line_id, product_id=product_id, quantity=quantity, reason=reason
            )
        )
    rma = ReturnOrder(
        number=numbering.next_number(session, numbering.RETURN_SERIES),
        order_id=order_id,
        reason=reason,
        user_id=actor.user_id,
        lines=new_lines,
    )
    session.add(rma)
    session.flush()
    orders.record_event(
        session,
        order,
        actor,
        "return",
        said_n(
            "Return {number} requested: {count} unit — {reason}",
            "Return {number} requested: {count} units — {reason}",
            sum(wanted.values()),
            number=rma.number,
            reason=reason,
        ),
    )
    changes.note(session, orders=[order_id], kind="returns")
    return rma.id


def get(session: Session, return_id: int) -> ReturnRow:
    rma = session.get(ReturnOrder, return_id)
    if rma is None:
        raise NotFound(_("Return {return_id} does not exist.").format(return_id=return_id))
    order = session.get(SalesOrder, rma.order_id)
    assert order is not None
    names = {ln.id: (ln.sku, ln.name) for ln in order.lines}
    return ReturnRow(
        rma.id,
        rma.number,
        rma.order_id,
        order.number,
        rma.status,
        rma.reason,
        rma.refunded,
        tuple(
            ReturnLineRow(
                ln.id,
                ln.order_line_id,
                ln.product_id,
                *names[ln.order_line_id],
                ln.quantity,
                ln.reason,
                ln.received,
                ln.restocked,
                ln.scrapped,
            )
            for ln in rma.lines
        ),
    )


def find(session: Session, code: str) -> int:
    text = clean_text(code, "Return number", max_length=40).upper()
    found = session.scalar(select(ReturnOrder.id).where(ReturnOrder.number == text))
    if found is None:
        raise NotFound(_("There is no return {text}.").format(text=text))
    return found


def _open(session: Session, return_id: int, *states: str) -> ReturnOrder:
    rma = session.get(ReturnOrder, return_id, with_for_update=True)
    if rma is None:
        raise NotFound(_("Return {return_id} does not exist.").format(return_id=return_id))
    if rma.status not in states:
        raise InvalidTransition(
            _("Return {number} is {status}.").format(number=rma.number, status=rma.status)
        )
    return rma


def receive_scan(session: Session, actor: Actor, return_id: int, code: str) -> ReturnLineRow:
    """A returned item scanned at the goods-in desk: customer -> returns area."""
    require(actor, Permission.STOCK_RECEIVE)
    rma = _open(session, return_id, "requested", "receiving", "received")
    hit, units = catalogue.scanned_item(session, code)
    line = next(
        (
            ln
            for ln in rma.lines
            if ln.product_id == hit.product_id and ln.received + units <= ln.quantity
        ),
        None,
    )
    if line is None:
        if any(ln.product_id == hit.product_id for ln in rma.lines):
            raise ValidationError(
                _("All of {sku} on {number} are received already.").format(
                    sku=hit.sku, number=rma.number
                )
            )
        raise ValidationError(
            _("{sku} '{name}' is not on return {number}.").format(
                sku=hit.sku, name=hit.name, number=rma.number
            )
        )
    lot = return_lots.scanned_lot(session, hit.product_id, code)
    move_id = inventory.record_virtual_move(
        session,
        actor,
        hit.product_id,
        units,
        LocationKind.CUSTOMER,
        LocationKind.RETURNS,
        inventory.MoveRef(RETURN_REF, line.id),
    )
    lots.tag_move(session, move_id, lot)
    line.received += units
    rma.status = "received" if all(ln.received == ln.quantity for ln in rma.lines) else "receiving"
    session.flush()
    if rma.status == "received":
        order = session.get(SalesOrder, rma.order_id)
        assert order is not None
        orders.record_event(
            session,
            order,
            actor,
            "return",
            said("Return {number} received", number=rma.number),
            data={"return_received": rma.number},
        )
    changes.note(session, orders=[rma.order_id], kind="returns")
    return next(ln for ln in get(session, return_id).lines if ln.id == line.id)


def inspect(
    session: Session,
    actor: Actor,
    return_line_id: int,
    restock: int,
    scrap: int,
    bin_id: int | None = None,
) -> None:
    """Decide what becomes of received units: back on a shelf, or written off."""
    require(actor, Permission.STOCK_RECEIVE)
    line = session.get(ReturnLine, return_line_id, with_for_update=True)
    if line is None:
        raise NotFound(
            _("Return line {return_line_id} does not exist.").format(return_line_id=return_line_id)
        )
    rma = _open(session, line.return_id, "receiving", "received")
    for value in (restock, scrap):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(_("Restock and scrap are whole numbers, zero or more."))
    if restock + scrap == 0:
        raise ValidationError(_("Say how many go back on the shelf and how many are scrapped."))
    waiting = line.received - line.restocked - line.scrapped
    if restock + scrap > waiting:
        raise ValidationError(
            _("Only {waiting} received unit(s) of this line wait for a decision.").format(
                waiting=waiting
            )
        )
    ref = inventory.MoveRef(RETURN_REF, line.id)
    if restock:
        if bin_id is None:
            raise ValidationError(_("Choose the bin the restocked units go to."))
        return_lots.restock(session, actor, line.product_id, bin_id, restock, ref)
        line.restocked += restock
    if scrap:
        return_lots.scrap(session, actor, line.product_id, scrap, ref)
        line.scrapped += scrap
    session.flush()
    order = session.get(SalesOrder, rma.order_id)
    assert order is not None
    words = (
        said(
            "Return {number}: {restocked} restocked to {bin}, {scrapped} scrapped",
            number=rma.number,
            restocked=restock,
            bin=inventory.location_code(session, bin_id),
            scrapped=scrap,
        )
        if restock and bin_id
        else said(
            "Return {number}: {restocked} restocked, {scrapped} scrapped",
            number=rma.number,
            restocked=restock,
            scrapped=scrap,
        )
    )
    orders.record_event(session, order, actor, "return", words)
    changes.note(session, orders=[rma.order_id], kind="returns")


def refund_amount(session: Session, return_id: int) -> int:
    """What the returned units cost the customer: each line's share of its total, exact
    to the cent across several returns of the same line."""
    rma = session.get(ReturnOrder, return_id)
    if rma is None:
        raise NotFound(_("Return {return_id} does not exist.").format(return_id=return_id))
    amount = 0
    for ln in rma.lines:
        order_line = session.get(OrderLine, ln.order_line_id)
        assert order_line is not None
        before = (
            session.scalar(
                select(func.coalesce(func.sum(ReturnLine.received), 0))
                .join(ReturnOrder, ReturnOrder.id == ReturnLine.return_id)
                .where(
                    ReturnLine.order_line_id == ln.order_line_id,
                    ReturnOrder.status == "refunded",
                )
            )
            or 0
        )
        total, qty = order_line.total, order_line.quantity
        amount += total * (before + ln.received) // qty - total * before // qty
    return amount


def refund(session: Session, actor: Actor, return_id: int, method: str = "card") -> int:
    """Pay back what was received and inspected. Returns the amount."""
    require(actor, Permission.ORDERS_CANCEL)
    if method not in REFUND_METHODS:
        raise ValidationError(_("'{method}' is not a way to refund.").format(method=method))
    rma = _open(session, return_id, "received")
    row = get(session, return_id)
    if not row.refund_due:
        raise InvalidTransition(
            _("Inspect every unit of {number} before refunding it.").format(number=rma.number)
        )
    amount = refund_amount(session, return_id)
    order = session.get(SalesOrder, rma.order_id)
    assert order is not None
    if method == "store_credit":
        from app.services.sales.store_credit import give_credit

        give_credit(session, actor, order.customer_id, amount, order.id, f"Return {rma.number}")
    session.add(
        Payment(
            order_id=order.id,
            method=method,
            kind="refund",
            amount=amount,
            reference=rma.number,
            user_id=actor.user_id,
        )
    )
    rma.status, rma.refunded = "refunded", amount
    session.flush()
    orders.record_event(
        session,
        order,
        actor,
        "refunded",
        said(
            "Return {number} refunded: {amount} by {method}",
            number=rma.number,
            amount=format_money(amount, order.currency),
            method=method,
        ),
    )
    changes.note(session, orders=[order.id], kind="returns")
    return amount


def moves_of(session: Session, return_id: int) -> list[tuple[str, int]]:
    """(to-location kind, units) of a return's ledger lines, for the timeline and tests."""
    from app.models import Location

    rows = session.execute(
        select(Location.kind, func.sum(StockMove.quantity))
        .join(Location, Location.id == StockMove.to_location_id)
        .join(ReturnLine, ReturnLine.id == StockMove.origin_id)
        .where(StockMove.origin_type == RETURN_REF, ReturnLine.return_id == return_id)
        .group_by(Location.kind)
    ).all()
    return [(k, int(q)) for k, q in rows]


def return_location_id(session: Session) -> int:
    return virtual_location_id(session, LocationKind.RETURNS)
