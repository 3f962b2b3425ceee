"""Purchase orders: drafted for one supplier and one warehouse, lines changed while draft,
read back as the buyer and the goods-in desk see them.

A PO is named by its number (PO-000123) or its id. Every change bumps `version` with one
conditional UPDATE (`WHERE version = :seen` when the caller says which version it saw):
on PostgreSQL that UPDATE also takes the row lock, so two workstations changing or
receiving one PO queue instead of overwriting each other, and one that edited a stale
copy gets ConflictError in words. Status changes are in order_status.py, receipts in
receiving.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.core import audit, changes
from app.core.auth import Actor, Permission, require, require_any
from app.core.errors import ConflictError, InvalidTransition, NotFound, ValidationError
from app.core.i18n import N_, _
from app.core.money import format_money
from app.core.numbering import PURCHASE_SERIES, next_number
from app.core.validation import check_money, check_quantity, clean_text
from app.models import (
    NumberSequence,
    Party,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseStatus,
    SupplierProduct,
    Warehouse,
)
from app.services.purchasing.suppliers import supplier_by_code
from app.services.stock.overview import product_by_sku

MAX_LINES = 1000
PAGE = 50
STATUS_WORDS = {
    PurchaseStatus.DRAFT: N_("a draft"),
    PurchaseStatus.SENT: N_("sent"),
    PurchaseStatus.PARTLY_RECEIVED: N_("partly received"),
    PurchaseStatus.RECEIVED: N_("fully received"),
    PurchaseStatus.CANCELLED: N_("cancelled"),
}


@dataclass(frozen=True)
class LineInput:
    """One line as a buyer types it: SKU, quantity, and a cost in minor units or None for
    the supplier's terms (then the product's cost)."""

    sku: str
    quantity: int
    cost: int | None = None


@dataclass(frozen=True)
class LineView:
    id: int
    product_id: int
    sku: str
    name: str
    supplier_sku: str
    ordered: int
    received: int
    unit_cost: int

    @property
    def outstanding(self) -> int:
        return max(self.ordered - self.received, 0)


@dataclass(frozen=True)
class OrderView:
    id: int
    number: str
    status: str
    supplier_id: int
    supplier: str
    supplier_code: str
    warehouse_id: int
    warehouse: str
    currency: str
    version: int
    created_at: datetime
    sent_at: datetime | None
    note: str
    lines: tuple[LineView, ...]

    @property
    def total(self) -> int:
        return sum(ln.unit_cost * ln.ordered for ln in self.lines)


@dataclass(frozen=True)
class OrderRow:
    id: int
    number: str
    status: str
    supplier: str
    warehouse: str
    lines: int
    ordered: int
    received: int
    created_at: datetime


def words(status: str) -> str:
    """A purchase order's status as it stands in a sentence, in the user's language."""
    known = STATUS_WORDS.get(PurchaseStatus(status))
    return _(known) if known else status


def order_id(session: Session, ref: int | str) -> int:
    """The id of a PO given by id or number ('PO-000012', 'po-12', '12'), or NotFound."""
    if isinstance(ref, int) and not isinstance(ref, bool):
        found = session.scalar(select(PurchaseOrder.id).where(PurchaseOrder.id == ref))
    else:
        text = clean_text(ref, "Purchase order", max_length=20, required=True).strip().upper()
        found = session.scalar(select(PurchaseOrder.id).where(PurchaseOrder.number == text))
        digits = text.removeprefix("PO").lstrip("-")
        if found is None and digits.isascii() and digits.isdigit() and len(digits) <= 12:
            number = next_number_like(session, int(digits))
            found = session.scalar(select(PurchaseOrder.id).where(PurchaseOrder.number == number))
    if found is None:
        raise NotFound(_("There is no purchase order {ref}.").format(ref=ref))
    return found


def next_number_like(session: Session, value: int) -> str:
    """'12' as the series writes it (PO-000012), for a number typed short."""
    row = session.get(NumberSequence, PURCHASE_SERIES)
    prefix, width = (row.prefix, row.width) if row else ("PO-", 6)
    return f"{prefix}{value:0{width}d}"


def locked(session: Session, ref: int | str, seen_version: int | None = None) -> PurchaseOrder:
    """The PO, its version bumped (and its row locked) before anything is read from it, so
    the status and lines read next are the latest; ConflictError if `seen_version` is
    given and another workstation changed the PO since."""
    oid = order_id(session, ref)
    table = PurchaseOrder.__table__
    stmt = update(table).where(table.c.id == oid)
    if seen_version is not None:
        stmt = stmt.where(table.c.version == seen_version)
    new = session.execute(
        stmt.values(version=table.c.version + 1).returning(table.c.version)
    ).scalar()
    order = session.get(PurchaseOrder, oid, populate_existing=True)
    assert order is not None
    if new is None:
        raise ConflictError(
            _(
                "{number} was changed on another workstation while you had it open: "
                "look at it again and redo your change."
            ).format(number=order.number)
        )
    set_committed_value(order, "version", new)
    return order


def order_lines(session: Session, order_id_: int) -> list[PurchaseOrderLine]:
    return list(
        session.scalars(
            select(PurchaseOrderLine)
            .where(PurchaseOrderLine.order_id == order_id_)
            .order_by(PurchaseOrderLine.id)
        )
    )


def _warehouse(session: Session, code: str) -> Warehouse:
    wanted = clean_text(code, "Warehouse", max_length=20, required=True).strip()
    warehouse = session.scalar(
        select(Warehouse).where(func.upper(Warehouse.code) == wanted.upper())
    )
    if warehouse is None or not warehouse.active:
        raise NotFound(_("There is no warehouse {wanted!r} in use.").format(wanted=wanted))
    return warehouse


def _terms(session: Session, supplier_id: int, product_id: int) -> SupplierProduct | None:
    return session.scalar(
        select(SupplierProduct).where(
            SupplierProduct.supplier_id == supplier_id, SupplierProduct.product_id == product_id
        )
    )


def _new_line(session: Session, order: PurchaseOrder, data: LineInput) -> PurchaseOrderLine:
    """A line with the supplier's code and cost filled from its terms (else our cost)."""
    quantity = check_quantity(data.quantity, "Quantity ordered")
    product = product_by_sku(session, data.sku)
    if not product.track_stock:
        raise ValidationError(
            _("{sku} is not a stock-tracked product.").format(sku=product.sku), "sku"
        )
    terms = _terms(session, order.supplier_id, product.id)
    if data.cost is not None:
        cost = check_money(data.cost, "Cost")
    else:
        cost = terms.cost if terms is not None and terms.cost else product.cost
    return PurchaseOrderLine(
        order_id=order.id,
        product_id=product.id,
        supplier_sku=terms.supplier_sku if terms is not None else "",
        ordered=quantity,
        unit_cost=cost,
    )


def _line_text(session: Session, line: PurchaseOrderLine, currency: str) -> str:
    sku = session.scalar(select(Product.sku).where(Product.id == line.product_id))
    return f"{line.ordered} x {sku} at {format_money(line.unit_cost, currency)}"


def create_order(
    session: Session,
    actor: Actor,
    supplier: str | int,
    warehouse_code: str,
    lines: Sequence[LineInput],
    note: str = "",
) -> str:
    """A draft PO for a supplier (code or id) and a warehouse (code); returns its number.
    Each SKU once: two lines of one product are one line of their sum, at the first
    line's cost."""
    require(actor, Permission.PURCHASING)
    party = supplier_by_code(session, supplier)
    warehouse = _warehouse(session, warehouse_code)
    if not lines:
        raise ValidationError(_("A purchase order needs at least one line."), "lines")
    if len(lines) > MAX_LINES:
        raise ValidationError(
            _("A purchase order has at most {max_lines} lines.").format(max_lines=MAX_LINES),
            "lines",
        )
    order = PurchaseOrder(
        number=next_number(session, PURCHASE_SERIES),
        supplier_id=party.id,
        warehouse_id=warehouse.id,
        status=PurchaseStatus.DRAFT.value,
        currency=party.currency or "EUR",
        note=clean_text(note, "Note", max_length=2000),
        created_by=actor.user_id,
    )
    session.add(order)
    session.flush()
    made: dict[int, PurchaseOrderLine] = {}
    for data in lines:
        line = _new_line(session, order, data)
        if line.product_id in made:
            made[line.product_id].ordered += line.ordered
        else:
            made[line.product_id] = line
            session.add(line)
    session.flush()
    detail = "; ".join(_line_text(session, ln, order.currency) for ln in made.values())
    audit.record(
        session,
        actor,
        "purchase.create",
        order.number,
        f"{party.name} to {warehouse.code}: " + detail,
    )
    changes.note(session, products=list(made), kind="purchasing")
    return order.number


def _draft(session: Session, ref: int | str, seen_version: int | None) -> PurchaseOrder:
    order = locked(session, ref, seen_version)
    if order.status != PurchaseStatus.DRAFT:
        raise InvalidTransition(
            _("{number} is {value}: only a draft's lines can change.").format(
                number=order.number, value=words(order.status)
            )
        )
    return order


def _line_of(session: Session, order: PurchaseOrder, sku: str) -> PurchaseOrderLine:
    product = product_by_sku(session, sku)
    for line in order_lines(session, order.id):
        if line.product_id == product.id:
            return line
    raise NotFound(_("{sku} is not on {number}.").format(sku=product.sku, number=order.number))


def add_line(
    session: Session,
    actor: Actor,
    ref: int | str,
    data: LineInput,
    seen_version: int | None = None,
) -> int:
    """Add a product to a draft (or add to its quantity if it is on it); the line's id."""
    require(actor, Permission.PURCHASING)
    order = _draft(session, ref, seen_version)
    line = _new_line(session, order, data)
    existing = next(
        (ln for ln in order_lines(session, order.id) if ln.product_id == line.product_id), None
    )
    if existing is not None:
        check_quantity(existing.ordered + line.ordered, "Quantity ordered")
        existing.ordered += line.ordered
        line = existing
    else:
        if len(order_lines(session, order.id)) >= MAX_LINES:
            raise ValidationError(
                _("A purchase order has at most {max_lines} lines.").format(max_lines=MAX_LINES),
                "lines",
            )
        session.add(line)
    session.flush()
    audit.record(
        session,
        actor,
        "purchase.line",
        order.number,
        "add " + _line_text(session, line, order.currency),
    )
    changes.note(session, products=[line.product_id], kind="purchasing")
    return line.id


def change_line(
    session: Session,
    actor: Actor,
    ref: int | str,
    sku: str,
    quantity: int,
    cost: int | None = None,
    seen_version: int | None = None,
) -> None:
    """A draft line's quantity (and cost, if given) changes."""
    require(actor, Permission.PURCHASING)
    order = _draft(session, ref, seen_version)
    line = _line_of(session, order, sku)
    line.ordered = check_quantity(quantity, "Quantity ordered")
    if cost is not None:
        line.unit_cost = check_money(cost, "Cost")
    session.flush()
    audit.record(
        session,
        actor,
        "purchase.line",
        order.number,
        "now " + _line_text(session, line, order.currency),
    )
    changes.note(session, products=[line.product_id], kind="purchasing")


def remove_line(
    session: Session, actor: Actor, ref: int | str, sku: str, seen_version: int | None = None
) -> None:
    """A product leaves a draft; the last line cannot (cancel the PO instead)."""
    require(actor, Permission.PURCHASING)
    order = _draft(session, ref, seen_version)
    line = _line_of(session, order, sku)
    if len(order_lines(session, order.id)) == 1:
        raise ValidationError(
            _("{number} would have no lines left: cancel it instead.").format(number=order.number),
            "lines",
        )
    session.delete(line)
    session.flush()
    audit.record(session, actor, "purchase.line", order.number, f"removed {sku}")
    changes.note(session, products=[line.product_id], kind="purchasing")


def view(session: Session, oid: int) -> OrderView:
    """The PO as it is now (no permission check: for the services that checked one)."""
    order = session.get(PurchaseOrder, oid)
    if order is None:
        raise NotFound(_("There is no purchase order {oid}.").format(oid=oid))
    party = session.get(Party, order.supplier_id)
    warehouse = session.get(Warehouse, order.warehouse_id)
    assert party is not None and warehouse is not None
    rows = session.execute(
        select(
            PurchaseOrderLine.id,
            PurchaseOrderLine.product_id,
            Product.sku,
            Product.name,
            PurchaseOrderLine.supplier_sku,
            PurchaseOrderLine.ordered,
            PurchaseOrderLine.received,
            PurchaseOrderLine.unit_cost,
        )
        .join(Product, Product.id == PurchaseOrderLine.product_id)
        .where(PurchaseOrderLine.order_id == oid)
        .order_by(PurchaseOrderLine.id)
    ).all()
    return OrderView(
        order.id,
        order.number,
        order.status,
        party.id,
        party.name,
        party.code or "",
        warehouse.id,
        warehouse.code,
        order.currency,
        order.version,
        order.created_at,
        order.sent_at,
        order.note,
        tuple(LineView(**r._mapping) for r in rows),
    )


def show(session: Session, actor: Actor, ref: int | str) -> OrderView:
    """A PO with its lines: for the buyer (purchasing) and for goods-in (receiving)."""
    require_any(actor, Permission.PURCHASING, Permission.STOCK_RECEIVE)
    return view(session, order_id(session, ref))


def as_json(order: OrderView) -> dict[str, object]:
    """The documented shape of `kestrel po show --json`."""
    return {
        "number": order.number,
        "status": order.status,
        "supplier": order.supplier_code or order.supplier,
        "warehouse": order.warehouse,
        "currency": order.currency,
        "lines": [
            {
                "sku": ln.sku,
                "supplier_sku": ln.supplier_sku,
                "ordered": ln.ordered,
                "received": ln.received,
                "unit_cost": ln.unit_cost,
            }
            for ln in order.lines
        ],
    }


def list_orders(
    session: Session,
    actor: Actor,
    status: str = "",
    offset: int = 0,
    limit: int = PAGE,
) -> list[OrderRow]:
    """A page of POs, newest first, optionally of one status."""
    require_any(actor, Permission.PURCHASING, Permission.STOCK_RECEIVE)
    status = clean_text(status, "Status", max_length=20).strip().lower()
    known = [s.value for s in PurchaseStatus]
    if status and status not in known:
        raise ValidationError(
            _("Status {status!r} is not one of: {value}.").format(
                status=status, value=", ".join(known)
            ),
            "status",
        )
    line = PurchaseOrderLine
    stmt = (
        select(
            PurchaseOrder.id,
            PurchaseOrder.number,
            PurchaseOrder.status,
            Party.name.label("supplier"),
            Warehouse.code.label("warehouse"),
            func.count(line.id).label("lines"),
            func.coalesce(func.sum(line.ordered), 0).label("ordered"),
            func.coalesce(func.sum(line.received), 0).label("received"),
            PurchaseOrder.created_at,
        )
        .join(Party, Party.id == PurchaseOrder.supplier_id)
        .join(Warehouse, Warehouse.id == PurchaseOrder.warehouse_id)
        .outerjoin(line, line.order_id == PurchaseOrder.id)
        .group_by(PurchaseOrder.id, Party.name, Warehouse.code)
        .order_by(PurchaseOrder.id.desc())
        .offset(check_quantity(offset, "Offset", allow_zero=True))
        .limit(min(check_quantity(limit, "Page size"), 500))
    )
    if status:
        stmt = stmt.where(PurchaseOrder.status == status)
    return [OrderRow(**r._mapping) for r in session.execute(stmt)]
