"""The Inventory screen's Stock list: one row per product and bin with its levels, what is
on order for that warehouse and the value at average cost, a page at a time.

Filter first, then page: with no search the page walks stock_levels in primary-key order
(product, bin), so page one of a million products reads fifty index entries; a search
first narrows to the products it names (a scanned code: one; words: the token index, at
most MAX_MATCHES products), and only their levels are paged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Row, case, func, select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.validation import check_quantity, clean_text
from app.models import (
    OPEN_PURCHASE_STATUSES,
    Location,
    LocationKind,
    Product,
    ProductToken,
    PurchaseOrder,
    PurchaseOrderLine,
    StockLevel,
    Warehouse,
)
from app.services.stock.catalogue import find_by_code
from app.services.stock.search import matching_ids

MAX_MATCHES = 500  # products a word search pages through; more words narrow it
MAX_PAGE = 500


@dataclass(frozen=True)
class StockLine:
    """One product in one bin. `incoming` is what open purchase orders will bring to the
    bin's warehouse (it belongs to the warehouse, so every bin row of it shows the same);
    `value` is on hand at the product's average cost, in minor units."""

    product_id: int
    location_id: int
    sku: str
    name: str
    warehouse: str
    bin: str
    on_hand: int
    reserved: int
    incoming: int
    value: int

    @property
    def id(self) -> tuple[int, int]:
        return (self.product_id, self.location_id)

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


def matching_products(session: Session, text: str) -> list[int] | None:
    """The product ids a search names (a code: its product), or None: no search at all."""
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        return None
    hit = find_by_code(session, text)
    if hit is not None:
        return [hit.product_id]
    return matching_ids(session, ProductToken.token, ProductToken.product_id, text, 0, MAX_MATCHES)


def stock_page(
    session: Session,
    actor: Actor,
    text: str = "",
    offset: int = 0,
    limit: int = 50,
    warehouse_code: str = "",
) -> list[StockLine]:
    """One page of stock rows (bins holding or reserving something), by product then bin;
    a search by code, SKU or words of the name, a warehouse by its code."""
    require(actor, Permission.CATALOGUE_VIEW)
    limit = min(check_quantity(limit, "Page size"), MAX_PAGE)
    offset = check_quantity(offset, "Page start", allow_zero=True)
    ids = matching_products(session, text)
    if ids == []:
        return []
    stmt = (
        select(
            StockLevel.product_id,
            StockLevel.location_id,
            StockLevel.on_hand,
            StockLevel.reserved,
            Location.code,
            Location.warehouse_id,
        )
        .join(Location, Location.id == StockLevel.location_id)
        .where(
            # coalesce() keeps the planner off the index on locations.kind: walking the few
            # bins first and sorting every level of them took 2.9 s for page one of a
            # million (bench/inventory.py); the primary-key walk takes a fraction of a ms.
            func.coalesce(Location.kind, "") == LocationKind.INTERNAL.value,
            (StockLevel.on_hand != 0) | (StockLevel.reserved != 0),
        )
        .order_by(StockLevel.product_id, StockLevel.location_id)
        .offset(offset)
        .limit(limit)
    )
    if ids is not None:
        stmt = stmt.where(StockLevel.product_id.in_(ids))
    if warehouse_code:
        wanted = clean_text(warehouse_code, "Warehouse", max_length=20).upper()
        warehouse_id = session.scalar(select(Warehouse.id).where(Warehouse.code == wanted))
        if warehouse_id is None:
            return []
        stmt = stmt.where(func.coalesce(Location.warehouse_id, 0) == warehouse_id)
    levels = session.execute(stmt).all()
    return _lines(session, levels)


def _lines(
    session: Session, levels: Sequence[Row[int, int, int, int, str, int | None]]
) -> list[StockLine]:
    if not levels:
        return []
    product_ids = sorted({row.product_id for row in levels})
    products = {
        r.id: r
        for r in session.execute(
            select(Product.id, Product.sku, Product.name, Product.cost).where(
                Product.id.in_(product_ids)
            )
        )
    }
    warehouses = {wid: code for wid, code in session.execute(select(Warehouse.id, Warehouse.code))}
    incoming = incoming_for(session, product_ids)
    out = []
    for pid, lid, on_hand, reserved, bin_code, wid in levels:
        product = products[pid]
        out.append(
            StockLine(
                pid,
                lid,
                product.sku,
                product.name,
                warehouses.get(wid, "") if wid is not None else "",
                bin_code,
                on_hand,
                reserved,
                incoming.get((pid, wid), 0) if wid is not None else 0,
                on_hand * product.cost,
            )
        )
    return out


def incoming_for(session: Session, product_ids: list[int]) -> dict[tuple[int, int], int]:
    """(product, warehouse) -> units ordered and not yet received on open purchase
    orders, for the products of one page only."""
    outstanding = func.sum(
        case(
            (
                PurchaseOrderLine.ordered > PurchaseOrderLine.received,
                PurchaseOrderLine.ordered - PurchaseOrderLine.received,
            ),
            else_=0,
        )
    )
    rows = session.execute(
        select(PurchaseOrderLine.product_id, PurchaseOrder.warehouse_id, outstanding)
        .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.order_id)
        .where(
            PurchaseOrderLine.product_id.in_(product_ids),
            PurchaseOrder.status.in_([s.value for s in OPEN_PURCHASE_STATUSES]),
        )
        .group_by(PurchaseOrderLine.product_id, PurchaseOrder.warehouse_id)
    ).all()
    return {(pid, wid): int(qty or 0) for pid, wid, qty in rows if qty}
