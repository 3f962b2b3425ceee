"""Packing: the picked units of an order go into boxes, scanned one by one, each box
weighed. Nothing moves in the ledger here — the units stay reserved at the packing bench
until the order ships — but every unit is accounted to a package."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import changes
from app.core.auth import Actor, Permission, require
from app.core.errors import InvalidTransition, NotFound, ValidationError
from app.core.i18n import _
from app.core.sentence import said_n
from app.models import (
    OrderStatus,
    Package,
    PackageItem,
    PickLine,
    SalesOrder,
    StockMove,
)
from app.services.fulfilment.waves import packing_location_id
from app.services.sales import order_detail, orders
from app.services.stock import catalogue
from app.services.stock.scanning import parse_scan

MAX_WEIGHT_G = 1_000_000  # a tonne: more is a typing error
S = OrderStatus


@dataclass(frozen=True)
class PackLine:
    order_line_id: int
    product_id: int
    sku: str
    name: str
    ordered: int
    shipped: int
    at_bench: int  # picked and waiting at the packing bench
    packed: int  # in this shipment's packages

    @property
    def to_pack(self) -> int:
        return self.at_bench - self.packed


@dataclass(frozen=True)
class PackageRow:
    id: int
    number: int
    weight_g: int
    items: int
    tracking_number: str
    status: str


@dataclass(frozen=True)
class PackState:
    order_id: int
    number: str
    status: str
    lines: tuple[PackLine, ...]
    packages: tuple[PackageRow, ...]

    @property
    def to_pack(self) -> int:
        return sum(ln.to_pack for ln in self.lines)

    @property
    def current_package(self) -> PackageRow | None:
        open_ = [p for p in self.packages if p.status == "open"]
        return open_[-1] if open_ else None


def state(session: Session, order_id: int) -> PackState:
    order = session.get(SalesOrder, order_id)
    if order is None:
        raise NotFound(_("Order {order_id} does not exist.").format(order_id=order_id))
    line_ids = [ln.id for ln in order.lines]
    at_bench: dict[int | None, int] = {}  # by order line (origin_id is nullable)
    pack = (
        packing_location_id(session, order.warehouse_id, create=False)
        if order.warehouse_id is not None
        else None
    )
    if pack is not None and line_ids:  # no bench yet: nothing has been picked
        at_bench = dict(
            session.execute(
                select(StockMove.origin_id, func.sum(StockMove.quantity))
                .where(
                    StockMove.origin_type == orders.LINE_REF,
                    StockMove.origin_id.in_(line_ids),
                    StockMove.state == "reserved",
                    StockMove.from_location_id == pack,
                )
                .group_by(StockMove.origin_id)
            ).all()
        )
    packed = dict(
        session.execute(
            select(PackageItem.order_line_id, func.sum(PackageItem.quantity))
            .join(Package, Package.id == PackageItem.package_id)
            .where(Package.order_id == order_id, Package.status != "shipped")
            .group_by(PackageItem.order_line_id)
        ).all()
    )
    packages = session.execute(
        select(
            Package.id,
            Package.number,
            Package.weight_g,
            func.coalesce(func.sum(PackageItem.quantity), 0),
            Package.tracking_number,
            Package.status,
        )
        .outerjoin(PackageItem, PackageItem.package_id == Package.id)
        .where(Package.order_id == order_id)
        .group_by(Package.id)
        .order_by(Package.number)
    ).all()
    return PackState(
        order.id,
        order.number,
        order.status,
        tuple(
            PackLine(
                ln.id,
                ln.product_id,
                ln.sku,
                ln.name,
                ln.quantity,
                ln.shipped,
                int(at_bench.get(ln.id, 0)),
                int(packed.get(ln.id, 0)),
            )
            for ln in order.lines
        ),
        tuple(PackageRow(*row) for row in packages),
    )


def open_for_packing(session: Session, code: str) -> int:
    """The order a scanned order number (pick list or tote label) stands for, if it is
    ready to pack."""
    scan = parse_scan(code)
    if scan.kind != "order":
        raise ValidationError(
            _("'{value}' is not an order number: scan the order's barcode.").format(
                value=code.strip()
            )
        )
    order_id = order_detail.find_order_id(session, scan.order_number)
    if order_id is None:
        raise NotFound(
            _("There is no order {order_number}.").format(order_number=scan.order_number)
        )
    order = session.get(SalesOrder, order_id)
    assert order is not None
    if order.status != S.PICKING:
        raise InvalidTransition(
            _("{number} is {value}: only orders being picked are packed.").format(
                number=order.number, value=orders.status_label(order.status).lower()
            )
        )
    open_picks = session.scalar(
        select(func.count())
        .select_from(PickLine)
        .where(PickLine.order_id == order_id, PickLine.status == "open")
    )
    if open_picks:
        raise InvalidTransition(
            _("{number} is still being picked ({open_picks} line(s) open).").format(
                number=order.number, open_picks=open_picks
            )
        )
    return order_id


def open_for_packing_or_shipping(session: Session, code: str) -> int:
    """At the bench an order is scanned to pack it, or (once packed) to ship it."""
    scan = parse_scan(code)
    if scan.kind == "order":
        order_id = order_detail.find_order_id(session, scan.order_number)
        status = session.scalar(select(SalesOrder.status).where(SalesOrder.id == order_id))
        if order_id is not None and status == S.PACKED:
            return order_id
    return open_for_packing(session, code)


def _order_for_packing(session: Session, order_id: int) -> SalesOrder:
    order = session.get(SalesOrder, order_id, with_for_update=True)
    if order is None:
        raise NotFound(_("Order {order_id} does not exist.").format(order_id=order_id))
    if order.status != S.PICKING:
        raise InvalidTransition(
            _("{number} is {value}; it cannot be packed.").format(
                number=order.number, value=orders.status_label(order.status).lower()
            )
        )
    return order


def _current_package(session: Session, actor: Actor, order: SalesOrder) -> Package:
    package = session.scalar(
        select(Package)
        .where(Package.order_id == order.id, Package.status == "open")
        .order_by(Package.number.desc())
        .limit(1)
    )
    if package is None:
        last = session.scalar(select(func.max(Package.number)).where(Package.order_id == order.id))
        package = Package(order_id=order.id, number=(last or 0) + 1, user_id=actor.user_id)
        session.add(package)
        session.flush()
    return package


def pack_item(session: Session, actor: Actor, order_id: int, code: str) -> tuple[PackLine, int]:
    """A scanned item goes into the current package. Returns the line and package number."""
    require(actor, Permission.STOCK_TRANSFER)
    order = _order_for_packing(session, order_id)
    hit, units = catalogue.scanned_item(session, code)
    lines = [ln for ln in state(session, order_id).lines if ln.product_id == hit.product_id]
    if not lines:
        raise ValidationError(
            _("{sku} '{name}' is not part of {number}.").format(
                sku=hit.sku, name=hit.name, number=order.number
            )
        )
    line = next((ln for ln in lines if ln.to_pack >= units), None)
    if line is None:
        waiting = sum(ln.to_pack for ln in lines)
        if waiting == 0 and not any(ln.at_bench for ln in lines):
            raise ValidationError(
                _("{sku} has not been picked for {number}.").format(
                    sku=hit.sku, number=order.number
                )
            )
        raise ValidationError(
            _(
                "Too many {sku}: {waiting} left to pack for {number}, that scan counts {units}."
            ).format(sku=hit.sku, waiting=waiting, number=order.number, units=units)
        )
    package = _current_package(session, actor, order)
    item = session.scalar(
        select(PackageItem).where(
            PackageItem.package_id == package.id, PackageItem.order_line_id == line.order_line_id
        )
    )
    if item is None:
        session.add(
            PackageItem(package_id=package.id, order_line_id=line.order_line_id, quantity=units)
        )
    else:
        item.quantity += units
    session.flush()
    changes.note(session, kind="packing", orders=[order_id])
    updated = next(
        ln for ln in state(session, order_id).lines if ln.order_line_id == line.order_line_id
    )
    return updated, package.number


def new_package(session: Session, actor: Actor, order_id: int) -> int:
    """Close the current box and start the next; returns the new package's number."""
    require(actor, Permission.STOCK_TRANSFER)
    order = _order_for_packing(session, order_id)
    current = _current_package(session, actor, order)
    items = session.scalar(
        select(func.count()).select_from(PackageItem).where(PackageItem.package_id == current.id)
    )
    if not items:
        raise ValidationError(
            _("Package {number} is empty: put something in it first.").format(number=current.number)
        )
    current.status = "closed"
    session.flush()
    return _current_package(session, actor, order).number


def set_weight(session: Session, actor: Actor, package_id: int, weight_g: int) -> None:
    require(actor, Permission.STOCK_TRANSFER)
    if isinstance(weight_g, bool) or not isinstance(weight_g, int) or weight_g <= 0:
        raise ValidationError(_("A package's weight is a whole number of grams above zero."))
    if weight_g > MAX_WEIGHT_G:
        raise ValidationError(
            _("{value:g} kg is not a parcel: check the weight.").format(value=weight_g / 1000)
        )
    package = session.get(Package, package_id)
    if package is None:
        raise NotFound(_("Package {package_id} does not exist.").format(package_id=package_id))
    if package.status == "shipped":
        raise InvalidTransition(
            _("Package {number} has shipped already.").format(number=package.number)
        )
    package.weight_g = weight_g
    session.flush()


def finish(session: Session, actor: Actor, order_id: int) -> int:
    """Everything picked is in a weighed package: the order is packed. Returns the number
    of packages."""
    require(actor, Permission.STOCK_TRANSFER)
    order = _order_for_packing(session, order_id)
    now = state(session, order_id)
    if now.to_pack:
        raise ValidationError(
            _("{to_pack} picked unit(s) of {number} are not in a package yet.").format(
                to_pack=now.to_pack, number=order.number
            )
        )
    packages = [p for p in now.packages if p.status != "shipped"]
    for package in packages:
        if package.items == 0:
            session.delete(session.get(Package, package.id))
    packages = [p for p in packages if p.items]
    if not packages:
        raise ValidationError(_("Nothing of {number} is packed.").format(number=order.number))
    unweighed = [str(p.number) for p in packages if p.weight_g <= 0]
    if unweighed:
        raise ValidationError(
            _("Enter the weight of package {value}.").format(value=", ".join(unweighed))
        )
    for package in packages:
        row = session.get(Package, package.id)
        assert row is not None
        row.status = "closed"
    kilos = sum(p.weight_g for p in packages) / 1000
    orders.change_status(
        session,
        actor,
        order,
        S.PACKED,
        "packed",
        said_n(
            "Packed in {count} package, {weight} kg",
            "Packed in {count} packages, {weight} kg",
            len(packages),
            weight=f"{kilos:g}",
        ),
    )
    session.flush()
    changes.note(session, kind="packing", orders=[order_id])
    return len(packages)


def finish_and_print_slip(session: Session, actor: Actor, workstation: str, order_id: int) -> int:
    """F10 at the bench: finish packing and queue the packing slip, in the caller's one
    transaction (no slip without the packed order, no packed order without its slip).
    Returns the number of packages."""
    from app.services.printing.documents import print_document

    count = finish(session, actor, order_id)
    print_document(session, actor, workstation, order_id, "packing-slip")
    return count


def line_quantities(session: Session, order_id: int) -> dict[int, int]:
    """Units per order line in the order's closed (not yet shipped) packages."""
    return dict(
        session.execute(
            select(PackageItem.order_line_id, func.sum(PackageItem.quantity))
            .join(Package, Package.id == PackageItem.package_id)
            .where(Package.order_id == order_id, Package.status == "closed")
            .group_by(PackageItem.order_line_id)
        ).all()
    )
