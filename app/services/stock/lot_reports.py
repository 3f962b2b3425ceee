"""What the lot books answer: which lots run out of date soon (`kestrel lot expiring`),
and where one lot came from, which orders it went to and where it is now (`kestrel lot
trace`, the question a recall asks). Reads only; each is a few indexed queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound, ValidationError
from app.core.i18n import _
from app.core.validation import clean_text
from app.models import (
    Location,
    LocationKind,
    Lot,
    LotLevel,
    OrderLine,
    Party,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    SalesOrder,
    StockMove,
    Warehouse,
)
from app.services.stock.lots import today
from app.services.stock.overview import product_by_sku

PAGE = 100
MAX_DAYS = 3650
PURCHASE_LINE_REF = "purchase_line"  # origin_type of a purchase-order receipt move
ORDER_LINE_REF = "order_line"  # origin_type of a sale's move (sales/orders.LINE_REF)


@dataclass(frozen=True)
class ExpiringRow:
    sku: str
    name: str
    lot: str
    expires_on: date
    bin: str
    on_hand: int


def expiring(
    session: Session,
    actor: Actor,
    within_days: int,
    warehouse: str | None = None,
    *,
    offset: int = 0,
    limit: int = PAGE,
) -> list[ExpiringRow]:
    """Lots on a shelf whose expiry falls within `within_days` from today (expired ones
    first: they are the most urgent), by expiry, then SKU and bin; one page."""
    require(actor, Permission.CATALOGUE_VIEW)
    if isinstance(within_days, bool) or not isinstance(within_days, int):
        raise ValidationError(_("Give the number of days as a whole number."), "days")
    if not 0 <= within_days <= MAX_DAYS:
        raise ValidationError(
            _("Look between 0 and {max_days} days ahead.").format(max_days=MAX_DAYS), "days"
        )
    for value, name in ((offset, "offset"), (limit, "limit")):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**9:
            raise ValidationError(_("A page is given by whole numbers, zero or more."), name)
    query = (
        select(Product.sku, Product.name, Lot.code, Lot.expires_on, Location.code, LotLevel.on_hand)
        .join(LotLevel, LotLevel.lot_id == Lot.id)
        .join(Product, Product.id == Lot.product_id)
        .join(Location, Location.id == LotLevel.location_id)
        .where(
            Lot.expires_on.is_not(None),
            Lot.expires_on <= today() + timedelta(days=within_days),
            LotLevel.on_hand > 0,
            Location.kind == LocationKind.INTERNAL,
        )
        .order_by(Lot.expires_on, Product.sku, Location.code)
        .offset(offset)
        .limit(min(max(limit, 1), 1000))
    )
    if warehouse:
        code = clean_text(warehouse, "Warehouse", max_length=20).upper()
        warehouse_id = session.scalar(select(Warehouse.id).where(Warehouse.code == code))
        if warehouse_id is None:
            raise NotFound(_("There is no warehouse {code}.").format(code=code))
        query = query.where(Location.warehouse_id == warehouse_id)
    rows = []
    for sku, name, code, expires_on, bin_code, on_hand in session.execute(query):
        assert expires_on is not None  # the WHERE says so
        rows.append(ExpiringRow(sku, name, code, expires_on, bin_code, on_hand))
    return rows


@dataclass(frozen=True)
class Receipt:
    at: datetime | None
    quantity: int
    bin: str
    origin: str  # "purchase_line", "receipt", "return" ...
    purchase_order: str  # PO-000012, or "" when the receipt had no purchase order
    supplier: str


@dataclass(frozen=True)
class Delivery:
    at: datetime | None
    quantity: int
    order: str  # SO-000123, or "" for a move without an order line
    customer: str


@dataclass(frozen=True)
class LotTrace:
    sku: str
    name: str
    lot: str
    expires_on: date | None
    received: tuple[Receipt, ...]
    delivered: tuple[Delivery, ...]
    on_hand: tuple[tuple[str, int], ...]  # (bin, units) where it is now


def trace(session: Session, actor: Actor, sku: str, lot: str) -> LotTrace:
    """One lot's whole story: the receipts it came in on (with purchase order and supplier
    when the receipt was against a purchase order line), the orders it went out on (with
    customer), and the bins holding it now."""
    require(actor, Permission.ORDERS_VIEW)
    product = product_by_sku(session, sku)
    code = clean_text(lot, "Lot", max_length=40, required=True)
    found = session.scalar(select(Lot).where(Lot.product_id == product.id, Lot.code == code))
    if found is None:
        raise NotFound(_("{sku} has no lot or serial {code}.").format(sku=product.sku, code=code))
    return LotTrace(
        product.sku,
        product.name,
        found.code,
        found.expires_on,
        _receipts(session, found.id),
        _deliveries(session, found.id),
        _where_now(session, found.id),
    )


def _receipts(session: Session, lot_id: int) -> tuple[Receipt, ...]:
    source, into = aliased(Location), aliased(Location)
    supplier = aliased(Party)
    rows = session.execute(
        select(
            StockMove.done_at,
            StockMove.quantity,
            into.code,
            StockMove.origin_type,
            PurchaseOrder.number,
            supplier.name,
        )
        .join(source, source.id == StockMove.from_location_id)
        .join(into, into.id == StockMove.to_location_id)
        .outerjoin(
            PurchaseOrderLine,
            (StockMove.origin_type == PURCHASE_LINE_REF)
            & (PurchaseOrderLine.id == StockMove.origin_id),
        )
        .outerjoin(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.order_id)
        .outerjoin(supplier, supplier.id == PurchaseOrder.supplier_id)
        .where(
            StockMove.lot_id == lot_id,
            StockMove.state == "done",
            source.kind == LocationKind.SUPPLIER,
        )
        .order_by(StockMove.id)
    ).all()
    return tuple(Receipt(r[0], r[1], r[2], r[3] or "receipt", r[4] or "", r[5] or "") for r in rows)


def _deliveries(session: Session, lot_id: int) -> tuple[Delivery, ...]:
    target = aliased(Location)
    customer = aliased(Party)
    rows = session.execute(
        select(StockMove.done_at, StockMove.quantity, SalesOrder.number, customer.name)
        .join(target, target.id == StockMove.to_location_id)
        .outerjoin(
            OrderLine,
            (StockMove.origin_type == ORDER_LINE_REF) & (OrderLine.id == StockMove.origin_id),
        )
        .outerjoin(SalesOrder, SalesOrder.id == OrderLine.order_id)
        .outerjoin(customer, customer.id == SalesOrder.customer_id)
        .where(
            StockMove.lot_id == lot_id,
            StockMove.state == "done",
            target.kind == LocationKind.CUSTOMER,
        )
        .order_by(StockMove.id)
    ).all()
    return tuple(Delivery(r[0], r[1], r[2] or "", r[3] or "") for r in rows)


def _where_now(session: Session, lot_id: int) -> tuple[tuple[str, int], ...]:
    rows = session.execute(
        select(Location.code, LotLevel.on_hand)
        .join(Location, Location.id == LotLevel.location_id)
        .where(LotLevel.lot_id == lot_id, LotLevel.on_hand > 0)
        .order_by(Location.code)
    ).all()
    return tuple((code, on_hand) for code, on_hand in rows)
