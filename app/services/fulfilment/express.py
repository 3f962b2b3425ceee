"""Ship an order without the bench (`kestrel order ship`, for administrators and scripts):
what is reserved for it is picked and packed into one package through the same picking,
packing and shipping services the bench uses, each unit entered as if scanned, but with
nobody checking the shelf or the box. The order's timeline and the audit log say so.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import InvalidTransition, NotFound, ValidationError
from app.core.i18n import _
from app.core.sentence import said
from app.models import Barcode, Carrier, OrderStatus, Product, SalesOrder
from app.services.fulfilment import packing, picking, shipping, waves
from app.services.sales import orders

S = OrderStatus


def _code(session: Session, product_id: int) -> str:
    """What a scan of one unit of the product would read: a single-unit barcode, else the SKU."""
    code = session.scalar(
        select(Barcode.code)
        .where(Barcode.product_id == product_id, Barcode.pack_qty == 1)
        .order_by(Barcode.id)
        .limit(1)
    )
    if code is not None:
        return code
    sku = session.scalar(select(Product.sku).where(Product.id == product_id))
    assert sku is not None
    return sku


def _pick(session: Session, actor: Actor, order: SalesOrder) -> int:
    """Pick every open line of the order (making its wave if it is only confirmed)."""
    if order.status == S.CONFIRMED:
        waves.create_wave(session, actor, [order.id])
        session.refresh(order)  # the wave moved it to picking in one UPDATE (move_orders)
    elif order.status != S.PICKING:
        raise InvalidTransition(
            _(
                "{number} is {value}: only a confirmed order (or one being picked) is "
                "shipped this way."
            ).format(number=order.number, value=orders.status_label(order.status).lower())
        )
    list_id = picking.open_list_of(session, order.id)
    units = 0
    if list_id is None:
        return units
    for row in picking.lines(session, list_id):
        if row.order_id != order.id or not row.open:
            continue
        code = _code(session, row.product_id)
        for _unit in range(row.quantity - row.picked):
            units += picking.pick_item(session, actor, row.id, code, row.bin_code).units
    return units


def _pack(session: Session, actor: Actor, order: SalesOrder, weight_g: int | None) -> int:
    """Everything picked into one package, weighed (or the products' weights summed)."""
    units = 0
    state = packing.state(session, order.id)
    for line in state.lines:
        code = _code(session, line.product_id)
        for _unit in range(line.to_pack):
            packing.pack_item(session, actor, order.id, code)
            units += 1
    package = packing.state(session, order.id).current_package
    if package is None:
        raise ValidationError(
            _("Nothing of {number} is reserved to ship.").format(number=order.number)
        )
    if weight_g is None:
        weights = dict(
            session.execute(
                select(Product.id, Product.weight_g).where(
                    Product.id.in_({ln.product_id for ln in state.lines})
                )
            ).all()
        )
        weight_g = sum(weights.get(ln.product_id, 0) * ln.to_pack for ln in state.lines)
        if weight_g <= 0:
            raise ValidationError(
                _("The products of {number} have no weight: give the parcel's weight.").format(
                    number=order.number
                )
            )
    packing.set_weight(session, actor, package.id, weight_g)
    packing.finish(session, actor, order.id)
    return units


def ship_unverified(
    session: Session,
    actor: Actor,
    order_id: int,
    carrier_code: str,
    tracking: str = "",
    weight_g: int | None = None,
) -> shipping.ShipResult:
    """Pick, pack (one package) and ship a confirmed order with no scan checking anything.
    Administrators only; written on the timeline and in the audit log as unverified."""
    require(actor, Permission.SHIP_UNVERIFIED)
    code = carrier_code.strip().upper() if isinstance(carrier_code, str) else ""
    carrier_id = session.scalar(select(Carrier.id).where(Carrier.code == code)) if code else None
    if carrier_id is None:
        raise NotFound(_("There is no carrier {code}.").format(code=code or "(none given)"))
    order = session.get(SalesOrder, order_id)
    if order is None:
        raise NotFound(_("Order {order_id} does not exist.").format(order_id=order_id))
    picked = _pick(session, actor, order)
    packed = _pack(session, actor, order, weight_g)
    orders.record_event(
        session,
        order,
        actor,
        "unverified",
        said(
            "Picked ({picked}) and packed ({packed}) without scan verification",
            picked=picked,
            packed=packed,
        ),
    )
    numbers = [tracking] if tracking else None
    return shipping.ship(session, actor, order.id, carrier_id, numbers, print_labels=False)


def deliver(session: Session, actor: Actor, order_id: int) -> int:
    """Every shipment of the order that is on its way is delivered. Returns how many."""
    require(actor, Permission.ORDERS_ACCEPT)
    order = session.get(SalesOrder, order_id)
    if order is None:
        raise NotFound(_("Order {order_id} does not exist.").format(order_id=order_id))
    open_ = [s for s in shipping.shipments_of(session, order.id) if s.status != "delivered"]
    if not open_:
        raise InvalidTransition(
            _("{number} is {value}: it has no shipment on its way.").format(
                number=order.number, value=orders.status_label(order.status).lower()
            )
        )
    for shipment in open_:
        shipping.mark_delivered(session, actor, shipment.id)
    return len(open_)
