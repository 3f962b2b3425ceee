"""The reorder run: every active rule whose projected stock is below its minimum becomes a
line of a draft purchase order, one order per supplier and warehouse.

projected = on_hand - reserved (summed over the warehouse's internal bins, from the
stock-level cache) + incoming (ordered minus received, never below 0, on the draft, sent
and partly received orders for that product and warehouse). Below the minimum it orders
`order_quantity(...)`. The drafts it makes count as incoming, so a second run right after
orders nothing; a lock (the `reorder.last_run` settings row, FOR UPDATE on PostgreSQL;
SQLite's writers queue anyway) makes two workstations' runs take turns, so they cannot
both order. Rules above their maximum are listed as overstock; rules below the minimum
that have no supplier are listed as skipped, with the reason, and ordered nowhere.

One statement reads the projection of every rule (set-based: two grouped joins, levels
and incoming, keyed by rule), so the run takes the same few queries for 10 rules as for
100,000.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.core import audit, changes
from app.core.auth import Actor, Permission, require
from app.core.numbering import PURCHASE_SERIES, next_number
from app.core.settings import get_setting
from app.models import (
    OPEN_PURCHASE_STATUSES,
    Location,
    LocationKind,
    Party,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseStatus,
    ReorderRule,
    Setting,
    StockLevel,
    SupplierProduct,
    Warehouse,
    utcnow,
)
from app.services.notify import alerts
from app.services.purchasing.rules import find_warehouse, supplier_label

LAST_RUN_KEY = "reorder.last_run"
ORIGIN = "reorder"
NO_SUPPLIER = "no supplier: name one on the rule, or give the product supplier terms"


@dataclass(frozen=True)
class DraftLine:
    sku: str
    quantity: int
    unit_cost: int
    supplier_sku: str


@dataclass(frozen=True)
class DraftOrder:
    number: str | None  # None in a dry run
    supplier: str  # code, else name
    warehouse: str
    lines: tuple[DraftLine, ...]


@dataclass(frozen=True)
class Overstock:
    sku: str
    warehouse: str
    projected: int
    max: int
    excess: int


@dataclass(frozen=True)
class Skipped:
    sku: str
    warehouse: str
    reason: str


@dataclass(frozen=True)
class ReorderResult:
    purchase_orders: tuple[DraftOrder, ...]
    overstock: tuple[Overstock, ...]
    skipped: tuple[Skipped, ...]
    dry_run: bool

    @property
    def line_count(self) -> int:
        return sum(len(order.lines) for order in self.purchase_orders)

    def as_dict(self) -> dict[str, Any]:
        """What `kestrel reorder --json` prints (the contract of issue 16)."""
        return {
            "purchase_orders": [
                {
                    "number": o.number,
                    "supplier": o.supplier,
                    "warehouse": o.warehouse,
                    "lines": [{"sku": ln.sku, "quantity": ln.quantity} for ln in o.lines],
                }
                for o in self.purchase_orders
            ],
            "overstock": [
                {
                    "sku": o.sku,
                    "warehouse": o.warehouse,
                    "projected": o.projected,
                    "max": o.max,
                    "excess": o.excess,
                }
                for o in self.overstock
            ],
            "skipped": [
                {"sku": s.sku, "warehouse": s.warehouse, "reason": s.reason} for s in self.skipped
            ],
        }


def round_up(quantity: int, step: int) -> int:
    return -(-quantity // step) * step


def order_quantity(
    projected: int, max_qty: int, multiple: int, min_order_qty: int = 1, pack_size: int = 1
) -> int:
    """What to order for a rule below its minimum: `max - projected` rounded up to the
    rule's multiple, then at least the supplier's minimum order quantity, then (when the
    supplier sells in packs of more than one) rounded up to whole packs as well. The pack
    comes last because the supplier cannot ship less; so with a multiple of 4 and packs
    of 6 the order is a multiple of 6, not necessarily of 4."""
    quantity = max(round_up(max_qty - projected, max(multiple, 1)), min_order_qty, 1)
    if pack_size > 1:
        quantity = round_up(quantity, pack_size)
    return quantity


def _projection(warehouse_id: int | None) -> Any:
    """Every active rule with its projected stock and what ordering needs, for the rules
    outside [min, max] only: one statement, levels and incoming grouped per rule."""
    rule = ReorderRule
    scope: list[ColumnElement[bool]] = [rule.active.is_(True)]
    if warehouse_id is not None:
        scope.append(rule.warehouse_id == warehouse_id)
    levels = (
        select(
            rule.id.label("rule_id"),
            func.sum(StockLevel.on_hand - StockLevel.reserved).label("qty"),
        )
        .select_from(rule)
        .join(StockLevel, StockLevel.product_id == rule.product_id)
        .join(
            Location,
            and_(
                Location.id == StockLevel.location_id,
                Location.warehouse_id == rule.warehouse_id,
                Location.kind == LocationKind.INTERNAL.value,
            ),
        )
        .where(*scope)
        .group_by(rule.id)
        .subquery("levels")
    )
    line = PurchaseOrderLine
    outstanding = case((line.ordered > line.received, line.ordered - line.received), else_=0)
    incoming = (
        select(rule.id.label("rule_id"), func.sum(outstanding).label("qty"))
        .select_from(rule)
        .join(line, line.product_id == rule.product_id)
        .join(
            PurchaseOrder,
            and_(
                PurchaseOrder.id == line.order_id,
                PurchaseOrder.warehouse_id == rule.warehouse_id,
                PurchaseOrder.status.in_([s.value for s in OPEN_PURCHASE_STATUSES]),
            ),
        )
        .where(*scope)
        .group_by(rule.id)
        .subquery("incoming")
    )
    projected = func.coalesce(levels.c.qty, 0) + func.coalesce(incoming.c.qty, 0)
    terms = SupplierProduct
    return (
        select(
            rule.product_id,
            rule.warehouse_id,
            rule.min_qty,
            rule.max_qty,
            rule.multiple,
            rule.supplier_id,
            rule.lead_time_days,
            projected.label("projected"),
            Product.sku,
            Product.cost,
            Product.active,
            Warehouse.code,
            Party.code.label("supplier_code"),
            Party.name.label("supplier_name"),
            Party.archived,
            Party.currency,
            terms.id.label("terms_id"),
            terms.cost.label("terms_cost"),
            terms.supplier_sku,
            terms.min_order_qty,
            terms.pack_size,
        )
        .outerjoin(levels, levels.c.rule_id == rule.id)
        .outerjoin(incoming, incoming.c.rule_id == rule.id)
        .join(Product, Product.id == rule.product_id)
        .join(Warehouse, Warehouse.id == rule.warehouse_id)
        .outerjoin(Party, Party.id == rule.supplier_id)
        .outerjoin(
            terms, and_(terms.supplier_id == rule.supplier_id, terms.product_id == rule.product_id)
        )
        .where(*scope, or_(projected < rule.min_qty, projected > rule.max_qty))
    )


@dataclass
class _Group:
    supplier_id: int
    warehouse_id: int
    supplier: str
    warehouse: str
    currency: str
    lead_days: int = 0
    lines: list[tuple[int, DraftLine]] = field(default_factory=list)  # (product id, line)


def _plan(
    session: Session, warehouse_id: int | None
) -> tuple[list[_Group], list[Overstock], list[Skipped]]:
    groups: dict[tuple[int, int], _Group] = {}
    overstock: list[Overstock] = []
    skipped: list[Skipped] = []
    # Through the connection: a Core result, without the ORM's per-row loading work.
    for r in session.connection().execute(_projection(warehouse_id)):
        projected = int(r.projected)
        if projected > r.max_qty:
            overstock.append(Overstock(r.sku, r.code, projected, r.max_qty, projected - r.max_qty))
            continue
        reason = ""
        if r.supplier_id is None:
            reason = NO_SUPPLIER
        elif r.archived:
            reason = f"the supplier {supplier_label(r.supplier_code, r.supplier_name)} is archived"
        elif not r.active:
            reason = "the product is archived"
        if reason:
            skipped.append(Skipped(r.sku, r.code, reason))
            continue
        has_terms = r.terms_id is not None
        quantity = order_quantity(
            projected,
            r.max_qty,
            r.multiple,
            r.min_order_qty if has_terms else 1,
            r.pack_size if has_terms else 1,
        )
        group = groups.get((r.supplier_id, r.warehouse_id))
        if group is None:
            group = _Group(
                r.supplier_id,
                r.warehouse_id,
                supplier_label(r.supplier_code, r.supplier_name),
                r.code,
                r.currency,
            )
            groups[(r.supplier_id, r.warehouse_id)] = group
        group.lead_days = max(group.lead_days, r.lead_time_days)
        cost = r.terms_cost if has_terms and r.terms_cost else r.cost
        group.lines.append(
            (r.product_id, DraftLine(r.sku, quantity, cost, r.supplier_sku if has_terms else ""))
        )
    ordered = sorted(groups.values(), key=lambda g: (g.supplier, g.warehouse, g.supplier_id))
    for group in ordered:
        group.lines.sort(key=lambda pair: pair[1].sku)
    overstock.sort(key=lambda o: (o.warehouse, o.sku))
    skipped.sort(key=lambda s: (s.warehouse, s.sku))
    return ordered, overstock, skipped


def _write(session: Session, actor: Actor, groups: list[_Group], today: date) -> list[str]:
    """One draft order per group (numbered from the purchase series), its lines inserted
    in one executemany."""
    default_currency = str(get_setting(session, "currency"))
    numbers: list[str] = []
    orders: list[PurchaseOrder] = []
    for group in groups:
        number = next_number(session, PURCHASE_SERIES)
        numbers.append(number)
        orders.append(
            PurchaseOrder(
                number=number,
                supplier_id=group.supplier_id,
                warehouse_id=group.warehouse_id,
                status=PurchaseStatus.DRAFT.value,
                currency=group.currency or default_currency,
                origin=ORIGIN,
                note="Drafted by the reorder run",
                expected_on=today + timedelta(days=group.lead_days),
                created_by=actor.user_id,
            )
        )
    session.add_all(orders)
    session.flush()
    rows = [
        {
            "order_id": order.id,
            "product_id": product_id,
            "supplier_sku": ln.supplier_sku,
            "ordered": ln.quantity,
            "received": 0,
            "unit_cost": ln.unit_cost,
        }
        for order, group in zip(orders, groups, strict=True)
        for product_id, ln in group.lines
    ]
    if rows:  # a Core executemany: no ORM bulk bookkeeping for tens of thousands of lines
        session.connection().execute(insert(PurchaseOrderLine.__table__), rows)
    return numbers


def _lock(session: Session) -> dict[str, Any]:
    """Take the run's lock (the settings row, made if missing) and return what it holds."""
    dialect = session.get_bind().dialect.name
    upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(upsert(Setting).values(key=LAST_RUN_KEY, value="{}").on_conflict_do_nothing())
    value = session.execute(
        select(Setting.value).where(Setting.key == LAST_RUN_KEY).with_for_update()
    ).scalar_one()
    try:
        stored = json.loads(value)
    except ValueError:
        stored = {}
    return stored if isinstance(stored, dict) else {}


def shop_today() -> date:
    """The date at the shop (this workstation's local time zone)."""
    return datetime.now().astimezone().date()


def run_reorder(
    session: Session,
    actor: Actor,
    warehouse: str = "",
    *,
    dry_run: bool = False,
    today: date | None = None,
) -> ReorderResult:
    """Draft the purchase orders every rule below its minimum calls for (of one warehouse,
    given its code). A dry run returns the same result with null numbers and writes
    nothing (it takes no lock either). Published as a "purchase_orders" change; audited."""
    require(actor, Permission.PURCHASING)
    warehouse_id = find_warehouse(session, warehouse).id if warehouse else None
    day = today or shop_today()
    if not dry_run:
        _lock(session)
    groups, overstock, skipped = _plan(session, warehouse_id)
    numbers: list[str | None] = [None] * len(groups)
    if not dry_run:
        numbers = list(_write(session, actor, groups, day))
        _remember(session, day)
        lines = sum(len(g.lines) for g in groups)
        audit.record(
            session,
            actor,
            "reorder.run",
            warehouse or "all warehouses",
            f"{len(groups)} draft purchase order(s), {lines} line(s); "
            f"{len(overstock)} overstock, {len(skipped)} skipped",
        )
        if groups:
            changes.note(session, kind="purchase_orders")
    drafts = tuple(
        DraftOrder(number, g.supplier, g.warehouse, tuple(ln for _, ln in g.lines))
        for number, g in zip(numbers, groups, strict=True)
    )
    if not dry_run:
        _alert(session, day, warehouse or "all", drafts, skipped)
    return ReorderResult(drafts, tuple(overstock), tuple(skipped), dry_run)


def _alert(
    session: Session, day: date, scope: str, drafts: tuple[DraftOrder, ...], skipped: list[Skipped]
) -> None:
    """The staff alert for what is below its minimum (notify/alerts.py: once per day)."""
    ordered = [
        f"{ln.sku} in {d.warehouse}: {ln.quantity} on {d.number} ({d.supplier})"
        for d in drafts
        for ln in d.lines
    ]
    not_ordered = [f"{s.sku} in {s.warehouse}: {s.reason}" for s in skipped]
    alerts.queue_low_stock(session, day, scope, ordered, not_ordered)


def _remember(session: Session, day: date) -> None:
    value = json.dumps({"day": day.isoformat(), "at": utcnow().isoformat()})
    session.execute(update(Setting).where(Setting.key == LAST_RUN_KEY).values(value=value))


def run_if_first_today(
    session: Session, actor: Actor, today: date | None = None
) -> ReorderResult | None:
    """The run at the first sign-in of the shop's day: None if a run (this one or anyone's)
    already happened today. The lock is taken before the date is read, so two
    workstations signing in at once run it once."""
    require(actor, Permission.PURCHASING)
    day = today or shop_today()
    if _lock(session).get("day") == day.isoformat():
        return None
    return run_reorder(session, actor, today=day)
