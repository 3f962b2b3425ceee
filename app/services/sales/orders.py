"""The sales order lifecycle: create, accept, confirm, hold/release, cancel.

Every transition checks the permission and the state, writes its stock moves and its
timeline event in the caller's transaction, and raises a domain error otherwise. A caller
passes the version it showed the user; if another workstation changed the order since,
the call raises ConflictError naming who did it, and nothing is written.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.core import audit, changes, session_cache
from app.core.auth import Actor, Permission, require
from app.core.bootstrap import default_warehouse_id, walk_in_customer_id
from app.core.errors import (
    ConflictError,
    InvalidTransition,
    NotFound,
    OutOfStock,
    ValidationError,
)
from app.core.money import line_amounts
from app.core.numbering import next_number
from app.core.settings import get_setting
from app.core.validation import check_money, check_quantity, clean_text
from app.models import (
    Channel,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Party,
    Product,
    SalesOrder,
    utcnow,
)
from app.services.fulfilment.pick_lines import cancel_order_lines
from app.services.sales.customers import AddressInput, check_email, clean_address, default_address
from app.services.stock import inventory

S = OrderStatus
MAX_LINES = 500
SHIPPING_CHANNELS = {Channel.PHONE, Channel.EMAIL, Channel.WEB, Channel.MARKETPLACE}
EMAIL_CHANNELS = {Channel.EMAIL, Channel.WEB, Channel.MARKETPLACE}
LINE_REF = "order_line"

# action -> (states it may start from, permission)
ACTIONS: dict[str, tuple[frozenset[OrderStatus], Permission]] = {
    "accept": (frozenset({S.NEW}), Permission.ORDERS_ACCEPT),
    "confirm": (frozenset({S.NEW, S.ACCEPTED, S.PARTLY_SHIPPED}), Permission.ORDERS_ACCEPT),
    "hold": (frozenset({S.NEW, S.ACCEPTED, S.CONFIRMED}), Permission.ORDERS_HOLD),
    "release": (frozenset({S.ON_HOLD}), Permission.ORDERS_HOLD),
    "cancel": (
        frozenset({S.NEW, S.ACCEPTED, S.CONFIRMED, S.PICKING, S.ON_HOLD}),
        Permission.ORDERS_CANCEL,
    ),
}
# The state machine: every status an order may go to from each status. Every status
# change goes through change_status (or move_orders for many at once), which checks it here.
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.NEW: frozenset({S.ACCEPTED, S.CONFIRMED, S.ON_HOLD, S.CANCELLED, S.COMPLETED}),
    S.ACCEPTED: frozenset({S.CONFIRMED, S.ON_HOLD, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.PICKING, S.ON_HOLD, S.CANCELLED}),
    S.ON_HOLD: frozenset({S.NEW, S.ACCEPTED, S.CONFIRMED, S.CANCELLED}),  # release: back
    S.PICKING: frozenset({S.PACKED, S.CANCELLED}),
    S.PACKED: frozenset({S.SHIPPED, S.PARTLY_SHIPPED}),
    S.PARTLY_SHIPPED: frozenset({S.CONFIRMED}),  # the backorder
    S.SHIPPED: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset(),
    S.CANCELLED: frozenset(),
    S.COMPLETED: frozenset({S.PARTLY_REFUNDED, S.REFUNDED}),  # a counter sale
    S.PARTLY_REFUNDED: frozenset({S.PARTLY_REFUNDED, S.REFUNDED}),
    S.REFUNDED: frozenset(),
}
# Status changes made for many orders at once (move_orders), and who may make them.
BULK_MOVES: dict[tuple[OrderStatus, OrderStatus], Permission] = {
    (S.CONFIRMED, S.PICKING): Permission.STOCK_TRANSFER,
}
STATUS_LABELS = {
    S.NEW: "New",
    S.ACCEPTED: "Accepted",
    S.CONFIRMED: "Confirmed",
    S.PICKING: "Picking",
    S.PARTLY_SHIPPED: "Partly shipped",
    S.PACKED: "Packed",
    S.SHIPPED: "Shipped",
    S.DELIVERED: "Delivered",
    S.ON_HOLD: "On hold",
    S.CANCELLED: "Cancelled",
    S.COMPLETED: "Completed",
    S.PARTLY_REFUNDED: "Partly refunded",
    S.REFUNDED: "Refunded",
}


@dataclass(frozen=True)
class LineInput:
    product_id: int
    quantity: int
    unit_price: int | None = None  # None: the product's price
    discount: int = 0
    name: str = ""  # instead of the product's name (a gift card line names its code)


@dataclass(frozen=True)
class OrderInput:
    channel: str
    lines: tuple[LineInput, ...]
    customer_id: int | None = None
    email: str = ""
    phone: str = ""
    ship_to: AddressInput | None = None
    note: str = ""
    external_ref: str = ""
    warehouse_id: int | None = None
    carrier_id: int | None = None  # the customer's choice of carrier, if any
    priority: int = 0  # above 0: urgent, picked first
    due_at: datetime | None = None  # when it must leave


@dataclass(frozen=True)
class OrderRef:
    id: int
    number: str
    version: int


@dataclass(frozen=True)
class LineRow:
    id: int
    line_no: int
    product_id: int
    sku: str
    name: str
    quantity: int
    unit_price: int
    discount: int
    tax_rate_bp: int
    net: int
    tax: int
    total: int


@dataclass(frozen=True)
class EventRow:
    id: int
    at: object
    user_name: str
    workstation: str
    kind: str
    from_status: str
    to_status: str
    message: str
    data: str = ""

    @property
    def print_job_id(self) -> int | None:
        """The print job behind a 'printed' entry, for reprinting from the timeline."""
        if self.kind != "printed" or not self.data:
            return None
        value = json.loads(self.data).get("job_id")
        return int(value) if value is not None else None


@dataclass(frozen=True)
class OrderDetail:
    id: int
    number: str
    channel: str
    status: str
    customer_id: int
    customer_name: str
    email: str
    phone: str
    ship_to: tuple[str, ...]
    warehouse_id: int | None
    currency: str
    subtotal: int
    tax_total: int
    total: int
    note: str
    created_at: object
    updated_at: object
    version: int
    lines: tuple[LineRow, ...] = field(default_factory=tuple)
    events: tuple[EventRow, ...] = field(default_factory=tuple)
    actions: tuple[str, ...] = field(default_factory=tuple)
    warehouse_code: str = ""


def status_label(status: str) -> str:
    try:
        return STATUS_LABELS[OrderStatus(status)]
    except ValueError:
        return status


def allowed_actions(status: str, actor: Actor | None = None) -> tuple[str, ...]:
    return tuple(
        name
        for name, (sources, permission) in ACTIONS.items()
        if status in sources and (actor is None or actor.can(permission))
    )


def check_transition(order_number: str, source: str, to: OrderStatus) -> None:
    """Raises InvalidTransition, in words, unless TRANSITIONS lets `source` go to `to`."""
    try:
        allowed = TRANSITIONS[OrderStatus(source)]
    except ValueError:
        allowed = frozenset()
    if to not in allowed:
        raise InvalidTransition(
            f"Order {order_number} is {status_label(source).lower()}; "
            f"it cannot become {status_label(to).lower()}."
        )


def change_status(
    session: Session,
    actor: Actor,
    order: SalesOrder,
    to: OrderStatus,
    kind: str,
    message: str,
    data: dict[str, object] | None = None,
) -> None:
    """The one place an order's status changes: checked against TRANSITIONS, with its
    timeline event (from and to status). The caller checked the permission, flushes and
    notes the change, in its own transaction."""
    before = order.status
    check_transition(order.number, before, to)
    order.status = to.value
    order.updated_at = utcnow()
    record_event(session, order, actor, kind, message, before, to.value, data)
    changes.note(session, orders=[order.id], kind=changes.ORDER_STATUS)


def _event_fields(
    actor: Actor,
    kind: str,
    message: str,
    from_status: str,
    to_status: str,
    data: dict[str, object] | None,
) -> dict[str, object]:
    return {
        "user_id": actor.user_id,
        "user_name": actor.display_name or actor.username,
        "workstation": actor.workstation,
        "kind": kind,
        "from_status": from_status,
        "to_status": to_status,
        "message": message[:500],
        "data": json.dumps(data) if data else "",
    }


def record_event(
    session: Session,
    order: SalesOrder,
    actor: Actor,
    kind: str,
    message: str = "",
    from_status: str = "",
    to_status: str = "",
    data: dict[str, object] | None = None,
    audited: bool = True,
) -> None:
    """The only writer of an order's timeline (move_orders writes many through
    _record_events, the same fields). `audited=False`: the caller writes its own audit
    line (a print job)."""
    session.add(
        OrderEvent(
            order_id=order.id, **_event_fields(actor, kind, message, from_status, to_status, data)
        )
    )
    if audited:
        audit.record(session, actor, f"order.{kind}", order.number, message)


def _record_events(
    session: Session,
    actor: Actor,
    orders: list[tuple[int, str]],
    kind: str,
    message: str,
    from_status: str,
    to_status: str,
    at: datetime,
) -> None:
    """record_event for many orders (id, number) in two statements."""
    fields = _event_fields(actor, kind, message, from_status, to_status, None)
    session.execute(
        insert(OrderEvent.__table__),
        [{"order_id": order_id, "at": at, **fields} for order_id, _number in orders],
    )
    audit.record_many(session, actor, [(f"order.{kind}", number, message) for _i, number in orders])


def move_orders(
    session: Session,
    actor: Actor,
    order_ids: list[int],
    source: OrderStatus,
    to: OrderStatus,
    message: str,
) -> None:
    """Many orders from one status to the next in two statements (a wave of a thousand
    orders must not flush a thousand ORM objects). Raises ConflictError, changing nothing,
    if any of them is no longer in `source`. Only the moves in BULK_MOVES are allowed, each
    with its permission: a bulk move never skips the steps (and reservations) in between."""
    permission = BULK_MOVES.get((source, to))
    if permission is None:
        raise InvalidTransition(
            f"Orders cannot go from {status_label(source).lower()} to "
            f"{status_label(to).lower()} in one step."
        )
    require(actor, permission)
    check_transition("", source.value, to)  # BULK_MOVES holds only moves of the table
    if not order_ids:
        return
    table = SalesOrder.__table__
    now = utcnow()
    done = session.execute(
        update(table)
        .where(table.c.id.in_(order_ids), table.c.status == source.value)
        .values(status=to.value, version=table.c.version + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if done != len(set(order_ids)):
        raise ConflictError(
            "Another workstation changed some of these orders a moment ago. Reload and try again."
        )
    numbers = {
        order_id: number
        for order_id, number in session.execute(
            select(SalesOrder.id, SalesOrder.number).where(SalesOrder.id.in_(order_ids))
        )
    }
    moved = [(order_id, numbers.get(order_id, str(order_id))) for order_id in order_ids]
    _record_events(session, actor, moved, to.value, message, source.value, to.value, now)
    changes.note(session, orders=order_ids, kind="orders")
    changes.note(session, kind=changes.ORDER_STATUS)


def _check_channel(channel: str) -> Channel:
    try:
        return Channel(channel)
    except ValueError:
        raise ValidationError(f"'{channel}' is not a sales channel.", "channel") from None


def create_order(session: Session, actor: Actor, data: OrderInput) -> OrderRef:
    """A new order with its lines; prices, tax and totals are computed here, exactly."""
    require(actor, Permission.ORDERS_CREATE)
    channel = _check_channel(data.channel)
    if not data.lines:
        raise ValidationError("An order needs at least one line.", "lines")
    if len(data.lines) > MAX_LINES:
        raise ValidationError(f"An order holds at most {MAX_LINES} lines.", "lines")
    customer_id = data.customer_id or walk_in_customer_id(session)
    customer = session.get(Party, customer_id)
    if customer is None:
        raise NotFound(f"Customer {customer_id} does not exist.")
    inclusive = bool(get_setting(session, "prices_include_tax"))
    order = SalesOrder(
        number="",
        channel=channel.value,
        status=S.NEW.value,
        customer_id=customer.id,
        customer_name=customer.name,
        email=check_email(data.email or customer.email),
        phone=clean_text(data.phone or customer.phone, "Phone", max_length=40),
        note=clean_text(data.note, "Note", max_length=5000),
        external_ref=clean_text(data.external_ref, "External reference", max_length=100),
        warehouse_id=data.warehouse_id,  # None: assigned when accepted (assignment.py)
        carrier_id=data.carrier_id,
        priority=max(0, min(int(data.priority), 9)),
        due_at=data.due_at,
        currency=str(get_setting(session, "currency")),
        created_by_id=actor.user_id,
    )
    if channel is not Channel.COUNTER or data.ship_to is not None:
        _set_ship_to(session, order, data.ship_to, customer.id)
    products = {
        p.id: session_cache.keep(session, p)  # the stock moves that follow reuse them
        for p in session.scalars(
            select(Product).where(Product.id.in_({ln.product_id for ln in data.lines}))
        )
    }
    for number, line in enumerate(data.lines, start=1):
        product = products.get(line.product_id)
        if product is None:
            raise NotFound(f"Line {number}: product {line.product_id} does not exist.")
        if not product.active:
            raise ValidationError(f"Line {number}: {product.sku} is no longer sold.", "lines")
        quantity = check_quantity(line.quantity, f"Line {number} quantity")
        price = product.price if line.unit_price is None else check_money(line.unit_price, "Price")
        discount = check_money(line.discount, "Discount")
        amounts = line_amounts(quantity, price, discount, product.tax_rate_bp, inclusive)
        order.lines.append(
            OrderLine(
                line_no=number,
                product_id=product.id,
                sku=product.sku,
                name=clean_text(line.name, "Line name", max_length=200) or product.name,
                quantity=quantity,
                unit_price=price,
                discount=discount,
                tax_rate_bp=product.tax_rate_bp,
                net=amounts.net,
                tax=amounts.tax,
                total=amounts.total,
            )
        )
    order.subtotal = sum(ln.net for ln in order.lines)
    order.tax_total = sum(ln.tax for ln in order.lines)
    order.total = sum(ln.total for ln in order.lines)
    check_money(order.total, "The order's total")  # bounds every line's amounts too
    order.number = next_number(session)
    session.add(order)
    session.flush()
    record_event(
        session, order, actor, "created", f"Order created ({channel.value})", "", S.NEW.value
    )
    changes.note(session, orders=[order.id], kind="orders")
    changes.note(session, kind=changes.ORDER_CREATED)
    return OrderRef(order.id, order.number, order.version)


def _set_ship_to(
    session: Session, order: SalesOrder, ship_to: AddressInput | None, customer_id: int
) -> None:
    if ship_to is not None:
        fields = clean_address(ship_to)
    else:
        address = default_address(session, customer_id)
        if address is None:
            return
        fields = {
            k: getattr(address, k)
            for k in ("name", "line1", "line2", "city", "postcode", "region", "country")
        }
    order.ship_name = fields["name"] or order.customer_name
    order.ship_line1 = fields["line1"]
    order.ship_line2 = fields["line2"]
    order.ship_city = fields["city"]
    order.ship_postcode = fields["postcode"]
    order.ship_region = fields["region"]
    order.ship_country = fields["country"]


def _load(session: Session, order_id: int, expected_version: int | None) -> SalesOrder:
    order = session.get(SalesOrder, order_id, with_for_update=True, populate_existing=True)
    if order is None:
        raise NotFound(f"Order {order_id} does not exist.")
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
            f"Order {order.number} is {status_label(order.status).lower()}; "
            f"it cannot be {_PAST[action]} now."
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
    session: Session, actor: Actor, order: SalesOrder, to: OrderStatus, kind: str, message: str
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
    _set_status(session, actor, order, S.ACCEPTED, "accepted", "Verified and accepted")
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
    message = "Backorder confirmed; stock reserved" if backorder else "Confirmed; stock reserved"
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
    record_event(session, order, actor, "assigned", f"Ships from {choice.reason}")


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
            f"Order {order.number} has stock reserved already; cancel it to change its warehouse."
        )
    warehouse = session.get(Warehouse, warehouse_id)
    if warehouse is None or not warehouse.active:
        raise NotFound(f"Warehouse {warehouse_id} does not exist or is not in use.")
    order.warehouse_id = warehouse.id
    order.updated_at = utcnow()
    record_event(session, order, actor, "assigned", f"Ships from {warehouse.code} (chosen by hand)")
    _flush(session, order)
    changes.note(session, orders=[order.id], kind="orders")
    return order.version


def hold(
    session: Session, actor: Actor, order_id: int, reason: str, expected_version: int | None = None
) -> int:
    order = _transition(session, actor, order_id, "hold", expected_version)
    reason = clean_text(reason, "Reason", max_length=300, required=True)
    order.held_from = order.status
    _set_status(session, actor, order, S.ON_HOLD, "held", f"Put on hold: {reason}")
    return order.version


def release(
    session: Session, actor: Actor, order_id: int, expected_version: int | None = None
) -> int:
    order = _transition(session, actor, order_id, "release", expected_version)
    back = OrderStatus(order.held_from or S.NEW)
    order.held_from = ""
    _set_status(
        session, actor, order, back, "released", f"Released from hold ({status_label(back)})"
    )
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
    message = f"Cancelled: {reason}" + (f"; {len(moves)} reservation(s) released" if moves else "")
    _set_status(session, actor, order, S.CANCELLED, "cancelled", message)
    return order.version


def add_note(
    session: Session, actor: Actor, order_id: int, text: str, expected_version: int | None = None
) -> int:
    require(actor, Permission.ORDERS_VIEW)
    text = clean_text(text, "Note", max_length=500, required=True)
    order = _load(session, order_id, expected_version)
    order.updated_at = utcnow()
    record_event(session, order, actor, "note", text)
    _flush(session, order)
    changes.note(session, orders=[order.id], kind="orders")
    return order.version


def get_order(session: Session, order_id: int, actor: Actor | None = None) -> OrderDetail:
    """Everything the order screen shows, as frozen rows."""
    if actor is not None:
        require(actor, Permission.ORDERS_VIEW)
    order = session.get(SalesOrder, order_id, populate_existing=True)
    if order is None:
        raise NotFound(f"Order {order_id} does not exist.")
    lines = tuple(
        LineRow(
            ln.id,
            ln.line_no,
            ln.product_id,
            ln.sku,
            ln.name,
            ln.quantity,
            ln.unit_price,
            ln.discount,
            ln.tax_rate_bp,
            ln.net,
            ln.tax,
            ln.total,
        )
        for ln in session.scalars(
            select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.line_no)
        )
    )
    events = tuple(
        EventRow(*row)
        for row in session.execute(
            select(
                OrderEvent.id,
                OrderEvent.at,
                OrderEvent.user_name,
                OrderEvent.workstation,
                OrderEvent.kind,
                OrderEvent.from_status,
                OrderEvent.to_status,
                OrderEvent.message,
                OrderEvent.data,
            )
            .where(OrderEvent.order_id == order.id)
            .order_by(OrderEvent.id)
        )
    )
    ship_to = tuple(
        part
        for part in (
            order.ship_name,
            order.ship_line1,
            order.ship_line2,
            " ".join(p for p in (order.ship_postcode, order.ship_city) if p),
            order.ship_region,
            order.ship_country,
        )
        if part
    )
    return OrderDetail(
        id=order.id,
        number=order.number,
        channel=order.channel,
        status=order.status,
        customer_id=order.customer_id,
        customer_name=order.customer_name,
        email=order.email,
        phone=order.phone,
        ship_to=ship_to,
        warehouse_id=order.warehouse_id,
        warehouse_code=_warehouse_code(session, order.warehouse_id),
        currency=order.currency,
        subtotal=order.subtotal,
        tax_total=order.tax_total,
        total=order.total,
        note=order.note,
        created_at=order.created_at,
        updated_at=order.updated_at,
        version=order.version,
        lines=lines,
        events=events,
        actions=allowed_actions(order.status, actor),
    )


def _warehouse_code(session: Session, warehouse_id: int | None) -> str:
    from app.models import Warehouse

    if warehouse_id is None:
        return ""
    return session.scalar(select(Warehouse.code).where(Warehouse.id == warehouse_id)) or ""


def find_order_id(session: Session, number: str) -> int | None:
    number = clean_text(number, "Order number", max_length=40).upper()
    return session.scalar(select(SalesOrder.id).where(SalesOrder.number == number))
