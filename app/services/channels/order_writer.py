"""One checked ExternalOrder written as a Kestrel order of its source (status new).

Prices are kept as the source charged them: each line's amount (with tax where the shop
prices with tax, without where it does not) becomes the line's unit price times its
quantity, any rest of a cent as the line's discount, so the line comes to exactly what
the customer was charged. Tax is then Kestrel's own, from the product's rate. Shipping
and fees are lines of the shipping item; an order-level discount is taken off the lines
in order.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.sentence import Sentence, said
from app.core.settings import get_setting
from app.models import OrderSource, Party, Product, SalesOrder
from app.services.channels.external import ExternalOrder
from app.services.sales import order_entry
from app.services.sales.customers import AddressInput, CustomerInput, new_party
from app.services.sales.entry import shipping_product
from app.services.sales.order_entry import LineInput, OrderInput
from app.services.sales.orders import record_event


def _customer(session: Session, order: ExternalOrder) -> int:
    """The customer with this e-mail address, else a new one with the ship-to address."""
    if order.email:
        found = session.scalar(
            select(Party.id)
            .where(
                func.lower(Party.email) == order.email.lower(),
                Party.is_customer.is_(True),
                Party.merged_into_id.is_(None),
            )
            .order_by(Party.id)
            .limit(1)
        )
        if found is not None:
            return found
    return new_party(session, customer_input(order))


def customer_input(order: ExternalOrder) -> CustomerInput:
    """The customer an order makes when its e-mail finds none: named as the order is."""
    ship = order.ship_to
    return CustomerInput(
        name=order.customer_name or ship.name or order.email or f"{order.number} customer",
        email=order.email,
        phone=order.phone[:40],
        address=ship_address(order),
    )


def ship_address(order: ExternalOrder) -> AddressInput:
    ship = order.ship_to
    return AddressInput(
        line1=ship.line1,
        line2=ship.line2,
        city=ship.city,
        postcode=ship.postcode,
        country=ship.country,
        region=ship.region,
        name=ship.name or order.customer_name,
    )


def _priced(product_id: int, quantity: int, amount: int, name: str = "") -> LineInput:
    unit = -(-amount // quantity)  # rounded up: the rest is a discount of under one unit
    return LineInput(product_id, quantity, unit, unit * quantity - amount, name)


def priced_lines(
    order: ExternalOrder, products: dict[str, Product], inclusive: bool, shipping: Product
) -> list[LineInput]:
    """The order's lines as charged, then its shipping and fees on the shipping item."""
    lines: list[LineInput] = []
    rest = order.discount
    for line in order.lines:
        amount = line.net + line.tax if inclusive else line.net
        off = min(rest, amount)
        rest -= off
        lines.append(_priced(products[line.sku.lower()].id, line.quantity, amount - off))
    extra = (order.shipping + order.shipping_tax if inclusive else order.shipping) + order.fees
    if extra > 0:
        label = f"Shipping: {order.shipping_method}" if order.shipping_method else "Shipping"
        lines.append(_priced(shipping.id, 1, extra, label[:200]))
    return lines


def write_order(
    session: Session,
    actor: Actor,
    source: OrderSource,
    order: ExternalOrder,
    products: dict[str, Product],
    printed: str,
) -> str:
    """The order, its customer (found by e-mail or made) and a timeline entry naming the
    source; returns Kestrel's number for it."""
    require(actor, Permission.ORDERS_CREATE)
    inclusive = bool(get_setting(session, "prices_include_tax"))
    ref = order_entry.create_order(
        session,
        actor,
        OrderInput(
            channel=source.channel,
            lines=tuple(priced_lines(order, products, inclusive, shipping_product(session))),
            customer_id=_customer(session, order),
            email=order.email,
            phone=order.phone[:40],
            ship_to=ship_address(order),
            note=order_note(order)[:5000],
            external_ref=order.number[:100],
        ),
    )
    row = session.get(SalesOrder, ref.id)
    assert row is not None
    row.source_id = source.id
    row.external_id = order.external_id
    row.source_fingerprint = printed
    if order.created_at is not None:
        row.created_at = order.created_at
    session.flush()
    record_event(session, row, actor, "imported", imported_message(source, order), "", "")
    return ref.number


def imported_message(source: OrderSource, order: ExternalOrder) -> Sentence:
    """The timeline's words for an imported order, naming its source and what it said."""
    where = {"source": source.name, "format": order.source_format, "number": order.number}
    if order.total is None:
        return said("Imported from {source} ({format}) as {number}", **where)
    return said(
        "Imported from {source} ({format}) as {number}; the source's total {total}",
        total=str(order.total),
        **where,
    )


def order_note(order: ExternalOrder) -> str:
    """The order's notes, with how it was paid at the source."""
    parts = [p for p in (order.payment_status, order.payment_method) if p]
    payment = f"Payment at {order.source_format}: {', '.join(parts)}" if parts else ""
    return "\n".join(p for p in (order.notes, payment) if p)
