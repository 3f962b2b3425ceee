"""What a clerk does to an order: accept, confirm, hold/release, cancel, choose its
warehouse, add a note.

Every action checks the permission and the state, writes its stock moves and its timeline
event in the caller's transaction, and raises a domain error otherwise. A caller passes the
version it showed the user; if another workstation changed the order since, the call raises
ConflictError naming who did it, and nothing is written.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.core import changes
from app.core.auth import Actor, Permission, require
from app.core.bootstrap import default_warehouse_id
from app.core.errors import (
    ConflictError,
    InvalidTransition,
    NotFound,
    OutOfStock,
    ValidationError,
)
from app.core.i18n import _
from app.core.sentence import Sentence, said, said_n, term, verbatim
from app.core.validation import clean_text
from app.models import (
    Channel,
    OrderEvent,
    OrderStatus,
    SalesOrder,
    utcnow,
)
from app.services.fulfilment.pick_lines import cancel_order_lines
from app.services.sales.customers import check_email
from app.services.sales.orders import (
    ACTIONS,
    LINE_REF,
    STATUS_LABELS,
    change_status,
    locked_with_customer,
    record_event,
    status_label,
)
from app.services.stock import inventory

S = OrderStatus

SHIPPING_CHANNELS = {Channel.PHONE, Channel.EMAIL, Channel.WEB, Channel.MARKETPLACE}
EMAIL_CHANNELS = {Channel.EMAIL, Channel.WEB, Channel.MARKETPLACE}


def _load(session: Session, order_id: int, expected_version: int | None) -> SalesOrder:
    order = locked_with_customer(session, order_id)
    if order is None:
        raise NotFound(_("Order {order_id} does not exist.").format(order_id=order_id))
    if expected_version is not None and order.version != expected_version:
        raise _conflict(session, order)
    return order


def _conflict(session: Session, order: SalesOrder) -> ConflictError:
    last = session.execute(
        select(OrderEvent.user_name, OrderEvent.workstation, OrderEvent.at, OrderEvent.message)
        .where(OrderEvent.order_id == order.id)
        .order_by(OrderEvent.id.desc())
        .limit(1)
    ).first()
    who = ""
    if last is not None:
        where = f" on {last.workstation}" if last.workstation else ""
        who = f" by {last.user_name}{where} ({last.message})"
    return ConflictError(
        f"Order {order.number} was changed{who} since you opened it. Reload it and try again."
    )


def _flush(session: Session, order: SalesOrder) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise _conflict(session, order) from None


def _transition(
    session: Session, actor: Actor, order_id: int, action: str, expected_version: int | None
) -> SalesOrder:
    sources, permission = ACTIONS[action]
    require(actor, permission)
    order = _load(session, order_id, expected_version)
    if order.status not in sources:
        raise InvalidTransition(
            _("Order {number} is {value}; it cannot be {past} now.").format(
                number=order.number, value=status_label(order.status).lower(), past=_PAST[action]
            )
        )
    return order


_PAST = {
    "accept": "accepted",
    "confirm": "confirmed",
    "hold": "put on hold",
    "release": "released from hold",
    "cancel": "cancelled",
}


def _tracked_products(session: Session, order: SalesOrder) -> set[int]:
    """The order's products whose stock is counted (services and gift cards are not)."""
    from app.services.stock.catalogue import tracked_ids

    return tracked_ids(session, (ln.product_id for ln in order.lines))


def verification_problems(session: Session, order: SalesOrder) -> tuple[list[str], list[str]]:
    """(problems, stock problems) that stop an order from being accepted."""
    problems: list[str] = []
    channel = Channel(order.channel)
    if not order.lines:
        problems.append("it has no lines")
    if channel in SHIPPING_CHANNELS and not (
        order.ship_line1 and order.ship_city and order.ship_country
    ):
        problems.append("the ship-to address needs a street, a city and a country")
    if channel in EMAIL_CHANNELS and not order.email:
        problems.append("it needs the customer's e-mail address")
    if order.email:
        try:
            check_email(order.email)
        except ValidationError as exc:
            problems.append(exc.message)
    stock: list[str] = []
    needed: dict[int, int] = defaultdict(int)
    names: dict[int, str] = {}
    tracked = _tracked_products(session, order)
    for line in order.lines:
        if line.product_id in tracked:
            needed[line.product_id] += line.quantity
            names[line.product_id] = f"{line.sku} '{line.name}'"
    warehouse_id = order.warehouse_id or default_warehouse_id(session)
    for product_id, quantity in needed.items():
        free = inventory.free_in_warehouse(session, product_id, warehouse_id)
        if free < quantity:
            stock.append(f"only {free} of {names[product_id]} free, {quantity} ordered")
    return problems, stock


def _verify(session: Session, order: SalesOrder) -> None:
    problems, stock = verification_problems(session, order)
    if problems or stock:
        text = f"Order {order.number} cannot be accepted: " + "; ".join(problems + stock) + "."
        raise (OutOfStock if stock and not problems else ValidationError)(text)


def _set_status(
    session: Session, actor: Actor, order: SalesOrder, to: OrderStatus, kind: str, message: Sentence
) -> None:
    change_status(session, actor, order, to, kind, message)
    _flush(session, order)
    changes.note(session, orders=[order.id], kind="orders")


def accept(
    session: Session, actor: Actor, order_id: int, expected_version: int | None = None
) -> int:
    """Verify stock, address and e-mail; the order is then accepted. Returns the new version."""
    order = _transition(session, actor, order_id, "accept", expected_version)
    _assign(session, actor, order)
    _verify(session, order)
    _set_status(session, actor, order, S.ACCEPTED, "accepted", said("Verified and accepted"))
    return order.version


def confirm(
    session: Session, actor: Actor, order_id: int, expected_version: int | None = None
) -> int:
    """Reserve the stock of every line (verifying first if the order was not accepted yet)."""
    order = _transition(session, actor, order_id, "confirm", expected_version)
    backorder = order.status == S.PARTLY_SHIPPED
    if order.status == S.NEW:
        _assign(session, actor, order)
        _verify(session, order)
    warehouse_id = order.warehouse_id or default_warehouse_id(session)
    order.warehouse_id = warehouse_id
    tracked = _tracked_products(session, order)
    held = _reserved_per_line(session, order)
    for line in order.lines:
        missing = line.quantity - line.shipped - held.get(line.id, 0)
        if line.product_id in tracked and missing > 0:
            inventory.reserve_in_warehouse(
                session,
                actor,
                line.product_id,
                warehouse_id,
                missing,
                inventory.MoveRef(LINE_REF, line.id),
            )
    message = (
        said("Backorder confirmed; stock reserved")
        if backorder
        else said("Confirmed; stock reserved")
    )
    _set_status(session, actor, order, S.CONFIRMED, "confirmed", message)
    return order.version


def _reserved_per_line(session: Session, order: SalesOrder) -> dict[int, int]:
    moves = inventory.reserved_moves_for(session, LINE_REF, [ln.id for ln in order.lines])
    held: dict[int, int] = defaultdict(int)
    for move in moves:
        held[move.origin_id or 0] += move.quantity
    return held


def _assign(session: Session, actor: Actor, order: SalesOrder) -> None:
    """Choose the warehouse, unless a person (or the counter) already did."""
    from app.services.fulfilment import assignment

    if order.warehouse_id is not None or not order.lines:
        return
    choice = assignment.choose(session, order)
    order.warehouse_id = choice.warehouse_id
    record_event(
        session, order, actor, "assigned", said("Ships from {reason}", reason=choice.reason)
    )


def set_warehouse(
    session: Session,
    actor: Actor,
    order_id: int,
    warehouse_id: int,
    expected_version: int | None = None,
) -> int:
    """A person overrides the assignment; only before stock is reserved."""
    from app.models import Warehouse

    require(actor, Permission.ORDERS_ACCEPT)
    order = _load(session, order_id, expected_version)
    if order.status not in (S.NEW, S.ACCEPTED, S.ON_HOLD) or _reserved_per_line(session, order):
        raise InvalidTransition(
            _(
                "Order {number} has stock reserved already; cancel it to change its warehouse."
            ).format(number=order.number)
        )
    warehouse = session.get(Warehouse, warehouse_id)
    if warehouse is None or not warehouse.active:
        raise NotFound(
            _("Warehouse {warehouse_id} does not exist or is not in use.").format(
                warehouse_id=warehouse_id
            )
        )
    order.warehouse_id = warehouse.id
    order.updated_at = utcnow()
    words = said("Ships from {warehouse} (chosen by hand)", warehouse=warehouse.code)
    record_event(session, order, actor, "assigned", words)
    _flush(session, order)
    changes.note(session, orders=[order.id], kind="orders")
    return order.version


def hold(
    session: Session, actor: Actor, order_id: int, reason: str, expected_version: int | None = None
) -> int:
    order = _transition(session, actor, order_id, "hold", expected_version)
    reason = clean_text(reason, "Reason", max_length=300, required=True)
    order.held_from = order.status
    _set_status(
        session, actor, order, S.ON_HOLD, "held", said("Put on hold: {reason}", reason=reason)
    )
    return order.version


def release(
    session: Session, actor: Actor, order_id: int, expected_version: int | None = None
) -> int:
    order = _transition(session, actor, order_id, "release", expected_version)
    back = OrderStatus(order.held_from or S.NEW)
    order.held_from = ""
    words = said("Released from hold ({status})", status=term(STATUS_LABELS, back))
    _set_status(session, actor, order, back, "released", words)
    return order.version


def cancel(
    session: Session, actor: Actor, order_id: int, reason: str, expected_version: int | None = None
) -> int:
    """Cancel and give every reservation back to free stock."""
    order = _transition(session, actor, order_id, "cancel", expected_version)
    reason = clean_text(reason, "Reason", max_length=300, required=True)
    cancel_order_lines(session, actor, order.id)
    moves = inventory.reserved_moves_for(session, LINE_REF, [ln.id for ln in order.lines])
    for move in moves:
        inventory.release(session, actor, move.id)
    order.held_from = ""
    message = (
        said_n(
            "Cancelled: {reason}; {count} reservation released",
            "Cancelled: {reason}; {count} reservations released",
            len(moves),
            reason=reason,
        )
        if moves
        else said("Cancelled: {reason}", reason=reason)
    )
    _set_status(session, actor, order, S.CANCELLED, "cancelled", message)
    return order.version


def add_note(
    session: Session, actor: Actor, order_id: int, text: str, expected_version: int | None = None
) -> int:
    require(actor, Permission.ORDERS_VIEW)
    text = clean_text(text, "Note", max_length=500, required=True)
    order = _load(session, order_id, expected_version)
    order.updated_at = utcnow()
    record_event(session, order, actor, "note", verbatim(text))
    _flush(session, order)
    changes.note(session, orders=[order.id], kind="orders")
    return order.version
