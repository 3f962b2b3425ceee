"""Shipping: carriers as data, tracking numbers checked against the carrier's pattern (or
made from its template), and the shipment that moves the packed units to the customer.

Whatever was picked and packed ships; if lines still miss units (a short pick that was
backordered), the order becomes 'partly shipped' and stays open for the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.core import changes
from app.core.auth import Actor, Permission, require
from app.core.errors import InvalidTransition, NotFound, ValidationError
from app.core.i18n import _
from app.core.sentence import said, said_n
from app.core.validation import clean_text
from app.models import (
    Carrier,
    NumberSequence,
    OrderStatus,
    Package,
    SalesOrder,
    Shipment,
    StockMove,
    utcnow,
)
from app.services.fulfilment.packing import line_quantities
from app.services.fulfilment.waves import packing_location_id
from app.services.sales import orders
from app.services.stock import catalogue, inventory, lots

S = OrderStatus
SERIES_PREFIX = "tracking:"


@dataclass(frozen=True)
class CarrierInput:
    code: str
    name: str
    service: str = ""
    tracking_pattern: str = ""
    tracking_template: str = ""
    tracking_url: str = ""
    label_format: str = "zpl"


@dataclass(frozen=True)
class CarrierRow:
    id: int
    code: str
    name: str
    service: str
    tracking_pattern: str
    tracking_template: str
    tracking_url: str

    @property
    def label(self) -> str:
        return f"{self.name} {self.service}".strip()


@dataclass(frozen=True)
class ShipResult:
    shipment_id: int
    tracking: tuple[str, ...]
    status: str
    label_jobs: tuple[int, ...]


def add_carrier(session: Session, actor: Actor, data: CarrierInput) -> int:
    require(actor, Permission.SETTINGS_MANAGE)
    code = clean_text(data.code, "Code", max_length=20, required=True).upper()
    if session.scalar(select(Carrier.id).where(Carrier.code == code)) is not None:
        raise ValidationError(_("A carrier with code {code} exists already.").format(code=code))
    if data.tracking_pattern:
        try:
            re.compile(data.tracking_pattern)
        except re.error as exc:
            raise ValidationError(
                _("The tracking pattern is not a valid pattern: {exc}.").format(exc=exc)
            ) from None
    if data.tracking_template:
        try:
            data.tracking_template.format(n=1)
        except (KeyError, ValueError, IndexError) as exc:
            raise ValidationError(
                _("The tracking template must use {{n}}, like KS{{n:09d}}NL ({exc}).").format(
                    exc=exc
                )
            ) from None
    if data.tracking_url and "{tracking}" not in data.tracking_url:
        raise ValidationError(_("The tracking address needs {tracking} where the number goes."))
    carrier = Carrier(
        code=code,
        name=clean_text(data.name, "Name", max_length=100, required=True),
        service=clean_text(data.service, "Service", max_length=100),
        tracking_pattern=data.tracking_pattern,
        tracking_template=data.tracking_template,
        tracking_url=data.tracking_url,
        label_format=data.label_format,
    )
    session.add(carrier)
    session.flush()
    return carrier.id


def carriers(session: Session) -> list[CarrierRow]:
    rows = session.execute(
        select(
            Carrier.id,
            Carrier.code,
            Carrier.name,
            Carrier.service,
            Carrier.tracking_pattern,
            Carrier.tracking_template,
            Carrier.tracking_url,
        )
        .where(Carrier.active.is_(True))
        .order_by(Carrier.name, Carrier.service)
    ).all()
    return [CarrierRow(*r) for r in rows]


def _carrier(session: Session, carrier_id: int) -> Carrier:
    carrier = session.get(Carrier, carrier_id)
    if carrier is None or not carrier.active:
        raise NotFound(
            _("Carrier {carrier_id} does not exist or is not in use.").format(carrier_id=carrier_id)
        )
    return carrier


def check_tracking(carrier: Carrier | CarrierRow, number: str) -> str:
    value = "".join(number.split()).upper()
    if not value:
        raise ValidationError(_("Scan or type the tracking number."))
    if len(value) > 60:
        raise ValidationError(_("That is too long to be a tracking number."))
    if carrier.tracking_pattern and not re.fullmatch(carrier.tracking_pattern, value):
        example = carrier.tracking_template.format(n=123456789) if carrier.tracking_template else ""
        raise ValidationError(
            f"{value} is not a {carrier.name} tracking number"
            + (f" (they look like {example})." if example else ".")
        )
    return value


def generate_tracking(session: Session, carrier: Carrier) -> str:
    """The carrier's next number from its template, counted in the database."""
    if not carrier.tracking_template:
        raise ValidationError(
            _("{name} has no template to make tracking numbers: scan or type them.").format(
                name=carrier.name
            )
        )
    series = f"{SERIES_PREFIX}{carrier.code}"[:40]
    table = NumberSequence.__table__
    stmt = (
        update(table)
        .where(table.c.name == series)
        .values(next_value=table.c.next_value + 1)
        .returning(table.c.next_value)
    )
    value = session.execute(stmt).scalar()
    if value is None:
        with session.begin_nested():
            session.add(NumberSequence(name=series, prefix="", width=0, next_value=1))
        value = session.execute(stmt).scalar_one()
    return check_tracking(carrier, carrier.tracking_template.format(n=value - 1))


def ship(
    session: Session,
    actor: Actor,
    order_id: int,
    carrier_id: int,
    tracking: list[str] | None = None,
    workstation: str = "",
    print_labels: bool = True,
) -> ShipResult:
    """Ship every packed package of a packed order. `tracking` gives one number per package
    (in package order); None makes them from the carrier's template."""
    require(actor, Permission.STOCK_TRANSFER)
    order = orders.locked_with_customer(session, order_id)  # the e-mail needs the customer
    if order is None:
        raise NotFound(_("Order {order_id} does not exist.").format(order_id=order_id))
    if order.status != S.PACKED:
        raise InvalidTransition(
            _("{number} is {value}: only a packed order ships.").format(
                number=order.number, value=orders.status_label(order.status).lower()
            )
        )
    carrier = _carrier(session, carrier_id)
    packages = list(
        session.scalars(
            select(Package)
            .where(Package.order_id == order_id, Package.status == "closed")
            .order_by(Package.number)
        )
    )
    if not packages:
        raise InvalidTransition(
            _("{number} has no packed package to ship.").format(number=order.number)
        )
    if tracking is None:
        numbers = [generate_tracking(session, carrier) for _ in packages]
    else:
        if len(tracking) != len(packages):
            raise ValidationError(
                _("{number} has {count} package(s): give a tracking number for each.").format(
                    number=order.number, count=len(packages)
                )
            )
        numbers = [check_tracking(carrier, t) for t in tracking]
        if len(set(numbers)) != len(numbers):
            raise ValidationError(_("Each package needs its own tracking number."))
    _move_to_customer(session, actor, order)
    shipment = Shipment(
        order_id=order.id, carrier_id=carrier.id, user_id=actor.user_id, shipped_at=utcnow()
    )
    session.add(shipment)
    session.flush()
    for package, number in zip(packages, numbers, strict=True):
        package.status, package.shipment_id, package.tracking_number = (
            "shipped",
            shipment.id,
            number,
        )
    complete = all(ln.shipped >= ln.quantity for ln in order.lines)
    to = S.SHIPPED if complete else S.PARTLY_SHIPPED
    message = said_n(
        "Shipped {count} package with {carrier}: {numbers}",
        "Shipped {count} packages with {carrier}: {numbers}",
        len(packages),
        carrier=carrier.name,
        numbers=", ".join(numbers),
    )
    if not complete:
        missing = sum(ln.quantity - ln.shipped for ln in order.lines)
        backorder = said_n("{count} unit on backorder", "{count} units on backorder", missing)
        message = said("{shipped}; {backorder}", shipped=message, backorder=backorder)
    order.carrier_id = carrier.id
    orders.change_status(session, actor, order, to, "shipped", message)
    session.flush()
    jobs: tuple[int, ...] = ()
    if print_labels:
        from app.services.printing.documents import print_document

        jobs = (print_document(session, actor, workstation, order.id, "shipping-label"),)
    changes.note(session, orders=[order.id], kind="orders")
    return ShipResult(shipment.id, tuple(numbers), to.value, jobs)


def _move_to_customer(session: Session, actor: Actor, order: SalesOrder) -> None:
    """The packed units leave the packing bench for the customer; untracked lines (services,
    gift cards) count as shipped with the first shipment."""
    packed = line_quantities(session, order.id)
    assert order.warehouse_id is not None
    pack = packing_location_id(session, order.warehouse_id)
    tracked = catalogue.tracked_ids(session, (ln.product_id for ln in order.lines))
    for line in order.lines:
        if line.product_id not in tracked:
            line.shipped = line.quantity
            continue
        units = int(packed.get(line.id, 0))
        if not units:
            continue
        moves = session.scalars(
            select(StockMove)
            .where(
                StockMove.origin_type == orders.LINE_REF,
                StockMove.origin_id == line.id,
                StockMove.state == "reserved",
                StockMove.from_location_id == pack,
            )
            .order_by(StockMove.id)
        ).all()
        if sum(m.quantity for m in moves) != units:
            raise ValidationError(
                _(
                    "The packages of {number} do not match what was picked for {sku}: repack it."
                ).format(number=order.number, sku=line.sku)
            )
        for move in moves:
            inventory.consume(session, actor, move.id)
            lots.consumed(session, move.lot_id, move.from_location_id, move.quantity)
        line.shipped += units


def _shipment(session: Session, shipment_id: int) -> Shipment:
    shipment = session.get(Shipment, shipment_id, with_for_update=True)
    if shipment is None:
        raise NotFound(_("Shipment {shipment_id} does not exist.").format(shipment_id=shipment_id))
    return shipment


def mark_delivered(session: Session, actor: Actor, shipment_id: int) -> None:
    require(actor, Permission.ORDERS_ACCEPT)
    shipment = _shipment(session, shipment_id)
    shipment.status, shipment.delivered_at = "delivered", utcnow()
    order = orders.locked_with_customer(session, shipment.order_id)
    assert order is not None
    open_shipments = session.scalar(
        select(func.count())
        .select_from(Shipment)
        .where(Shipment.order_id == order.id, Shipment.status != "delivered")
    )
    if order.status == S.SHIPPED and not open_shipments:
        orders.change_status(session, actor, order, S.DELIVERED, "delivered", said("Delivered"))
    else:
        words = said("Shipment {id} delivered", id=shipment.id)
        orders.record_event(session, order, actor, "delivered", words)
    session.flush()
    changes.note(session, orders=[order.id], kind="orders")


def mark_exception(session: Session, actor: Actor, shipment_id: int, note: str) -> None:
    """The carrier reports a problem (damaged, address unknown, lost)."""
    require(actor, Permission.ORDERS_ACCEPT)
    note = clean_text(note, "Note", max_length=500, required=True)
    shipment = _shipment(session, shipment_id)
    shipment.status, shipment.note = "exception", note
    order = orders.locked_with_customer(session, shipment.order_id)
    assert order is not None
    words = said("Shipping exception: {note}", note=note)
    orders.record_event(session, order, actor, "exception", words)
    session.flush()
    changes.note(session, orders=[order.id], kind="orders")


@dataclass(frozen=True)
class ShipmentRow:
    id: int
    carrier: str
    status: str
    tracking: tuple[str, ...]
    links: tuple[str, ...]
    note: str


def shipments_of(session: Session, order_id: int) -> list[ShipmentRow]:
    """An order's shipments, oldest first, with their tracking numbers and links."""
    rows = session.execute(
        select(Shipment, Carrier)
        .outerjoin(Carrier, Carrier.id == Shipment.carrier_id)
        .where(Shipment.order_id == order_id)
        .order_by(Shipment.id)
    ).all()
    result = []
    for shipment, carrier in rows:
        numbers = tuple(
            session.scalars(
                select(Package.tracking_number)
                .where(Package.shipment_id == shipment.id)
                .order_by(Package.number)
            )
        )
        result.append(
            ShipmentRow(
                shipment.id,
                f"{carrier.name} {carrier.service}".strip() if carrier else "",
                shipment.status,
                numbers,
                tuple(tracking_link(carrier, n) for n in numbers) if carrier else (),
                shipment.note,
            )
        )
    return result


def tracking_link(carrier: Carrier | CarrierRow, number: str) -> str:
    return carrier.tracking_url.replace("{tracking}", number) if carrier.tracking_url else ""
