"""The acceptance queue (issue 17 item 2): new orders from every channel, oldest first, each
with what needs attention (sales/attention.py); accept one or many, reject with a reason,
fix the address or e-mail in place.

Accepting many is one transaction with a savepoint per order, so one order's refusal
(out of stock, no address) leaves that order as it was and the others go on; the result
names every order and what became of it. Rejecting is cancelling with the reason on the
order's timeline; fixing the address goes through the order-entry edit (version check,
timeline entry) as the order screen's edit does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import changes
from app.core.auth import Actor, Permission, require
from app.core.errors import (
    ConflictError,
    InvalidTransition,
    KestrelError,
    NotFound,
    ValidationError,
)
from app.core.i18n import _
from app.core.sentence import said
from app.core.validation import check_quantity, clean_text
from app.models import OrderSource, OrderStatus, SalesOrder, utcnow
from app.services.sales import entry, order_actions, order_detail, orders
from app.services.sales.attention import Flag, flags_for
from app.services.sales.customers import AddressInput, check_email

NEW = OrderStatus.NEW.value
PAGE = 50
MAX_PAGE = 500
MAX_ID = 2**31  # the id columns are 32-bit integers on PostgreSQL


@dataclass(frozen=True)
class QueueRow:
    """One new order as the queue shows it (frozen: a view keeps it, never the ORM row)."""

    id: int
    number: str
    version: int
    created_at: datetime
    channel: str
    source: str
    external_id: str
    customer_name: str
    email: str
    total: int
    currency: str
    flags: tuple[Flag, ...]
    ship_to: AddressInput  # what a fix starts from

    @property
    def clear(self) -> bool:
        return not self.flags


@dataclass(frozen=True)
class Outcome:
    """What became of one order asked to be accepted."""

    order_id: int
    number: str
    accepted: bool
    message: str


def _order_id(value: object, label: str = "Order") -> int:
    """An id as a caller passes it (a script, a page's last row): a whole number in range."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < MAX_ID:
        raise ValidationError(
            _("{label} {value!r} is not an order's number in Kestrel.").format(
                label=label, value=value
            ),
            "order",
        )
    return value


def _rows(session: Session, found: Sequence[SalesOrder]) -> list[QueueRow]:
    source_ids = {o.source_id for o in found if o.source_id is not None}
    names: dict[int, str] = {}
    if source_ids:
        names = dict(
            session.execute(
                select(OrderSource.id, OrderSource.name).where(OrderSource.id.in_(source_ids))
            ).tuples()
        )
    flags = flags_for(session, found)
    return [
        QueueRow(
            o.id,
            o.number,
            o.version,
            o.created_at,
            o.channel,
            names.get(o.source_id or 0, ""),
            o.external_id or "",
            o.customer_name,
            o.email,
            o.total,
            o.currency,
            tuple(flags.get(o.id, ())),
            AddressInput(
                o.ship_line1,
                o.ship_city,
                o.ship_postcode,
                o.ship_country,
                o.ship_name,
                o.ship_line2,
                o.ship_region,
            ),
        )
        for o in found
    ]


def queue_page(
    session: Session, actor: Actor, after_id: int = 0, limit: int = PAGE
) -> list[QueueRow]:
    """New orders after `after_id` (keyset on the status index), oldest first, flagged."""
    require(actor, Permission.ORDERS_VIEW)
    after_id = _order_id(after_id, "Position")
    limit = min(check_quantity(limit, "Page size"), MAX_PAGE)
    found = list(
        session.scalars(
            select(SalesOrder)
            .where(SalesOrder.status == NEW, SalesOrder.id > after_id)
            .order_by(SalesOrder.id)
            .limit(limit)
        )
    )
    return _rows(session, found)


def queue_rows(session: Session, actor: Actor, order_ids: Sequence[int]) -> list[QueueRow]:
    """These orders as queue rows, those still new only (in id order)."""
    require(actor, Permission.ORDERS_VIEW)
    wanted = sorted({_order_id(i) for i in order_ids})
    if not wanted:
        return []
    found = session.scalars(
        select(SalesOrder)
        .where(SalesOrder.id.in_(wanted), SalesOrder.status == NEW)
        .order_by(SalesOrder.id)
    )
    return _rows(session, list(found))


def queue_count(session: Session, actor: Actor) -> int:
    require(actor, Permission.ORDERS_VIEW)
    return int(
        session.scalar(select(func.count()).select_from(SalesOrder).where(SalesOrder.status == NEW))
        or 0
    )


def order_ids_by_number(session: Session, numbers: Sequence[str]) -> list[int]:
    """The ids of these order numbers, in the order given; an unknown one is NotFound."""
    found: list[int] = []
    for number in numbers:
        order_id = order_detail.find_order_id(session, number)
        if order_id is None:
            raise NotFound(_("There is no order {value}.").format(value=number.strip()))
        found.append(order_id)
    return found


def accept_many(
    session: Session, actor: Actor, order_ids: Sequence[int], *, only_clear: bool = False
) -> list[Outcome]:
    """Accept each order in its own savepoint; a refusal is that order's outcome, not the
    end of the others. `only_clear` leaves an order with any flag as it is."""
    require(actor, Permission.ORDERS_ACCEPT)
    outcomes: list[Outcome] = []
    for order_id in dict.fromkeys(_order_id(i) for i in order_ids):
        order = session.get(SalesOrder, order_id)
        if order is None:
            outcomes.append(Outcome(order_id, "", False, f"Order {order_id} does not exist."))
            continue
        number = order.number
        if only_clear and (flags := flags_for(session, [order]).get(order.id)):
            said = "; ".join(f.message for f in flags)
            outcomes.append(Outcome(order_id, number, False, f"needs attention: {said}"))
            continue
        try:
            with session.begin_nested():
                order_actions.accept(session, actor, order_id)
        except KestrelError as exc:
            outcomes.append(Outcome(order_id, number, False, exc.message))
        else:
            outcomes.append(Outcome(order_id, number, True, "accepted"))
    return outcomes


def clear_order_ids(session: Session, actor: Actor) -> list[int]:
    """Every new order without a flag, page by page (what `--all-clear` accepts)."""
    clear: list[int] = []
    after = 0
    while page := queue_page(session, actor, after, MAX_PAGE):
        clear += [row.id for row in page if row.clear]
        after = page[-1].id
    return clear


def reject(
    session: Session,
    actor: Actor,
    order_id: int,
    reason: str,
    expected_version: int | None = None,
) -> int:
    """Turn a new order away: it is cancelled with the reason on its timeline."""
    require(actor, Permission.ORDERS_CANCEL)
    reason = clean_text(reason, "Reason", max_length=250, required=True)
    order = session.get(SalesOrder, order_id)
    if order is None:
        raise NotFound(_("Order {order_id} does not exist.").format(order_id=order_id))
    if order.status != NEW:
        raise InvalidTransition(
            _(
                "Order {number} is {value}, no longer waiting for acceptance; cancel it "
                "from the order instead."
            ).format(number=order.number, value=orders.status_label(order.status).lower())
        )
    return order_actions.cancel(
        session, actor, order_id, f"rejected at acceptance: {reason}", expected_version
    )


def fix_order(
    session: Session,
    actor: Actor,
    order_id: int,
    expected_version: int,
    *,
    ship_to: AddressInput | None = None,
    email: str | None = None,
) -> int:
    """Correct a waiting order's ship-to address and/or e-mail (the customer's record is
    left as it is). Returns the order's new version."""
    require(actor, Permission.ORDERS_CREATE)
    version = expected_version
    if ship_to is not None:
        version = entry.edit_entry_order(
            session, actor, order_id, entry.EntryEdit(ship_to=ship_to), version
        )
    if email is not None:
        version = _set_email(session, actor, order_id, email, version)
    return version


def _set_email(session: Session, actor: Actor, order_id: int, email: str, version: int) -> int:
    address = check_email(email, required=True)
    order = session.get(SalesOrder, order_id, with_for_update=True, populate_existing=True)
    if order is None:
        raise NotFound(_("Order {order_id} does not exist.").format(order_id=order_id))
    if order.version != version:
        raise ConflictError(
            _("Order {number} was changed since you opened it. Reload it and try again.").format(
                number=order.number
            )
        )
    if order.status not in entry.EDITABLE:
        raise InvalidTransition(
            _("Order {number} is {value}; only a new or accepted order can be changed.").format(
                number=order.number, value=orders.status_label(order.status).lower()
            )
        )
    order.email = address
    order.updated_at = utcnow()
    words = said("Changed: e-mail {address}", address=address)
    orders.record_event(session, order, actor, "edited", words)
    session.flush()
    changes.note(session, orders=[order.id], kind="orders")
    return order.version
