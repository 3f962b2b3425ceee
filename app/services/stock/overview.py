"""One product's stock per warehouse and bin (on hand, reserved, available, incoming):
what `kestrel stock SKU` prints and the Inventory screen shows.

Read from the StockLevel cache, which the ledger keeps equal to its moves.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound
from app.core.i18n import _
from app.core.validation import clean_text
from app.models import (
    OPEN_PURCHASE_STATUSES,
    Location,
    LocationKind,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    StockLevel,
    Warehouse,
)


def incoming_by_warehouse(session: Session, product_id: int) -> dict[int, int]:
    """Units ordered and not yet received on open (draft, sent, partly received) purchase
    orders, per warehouse id; a line received beyond what was ordered adds nothing."""
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
        select(PurchaseOrder.warehouse_id, outstanding)
        .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.order_id)
        .where(
            PurchaseOrderLine.product_id == product_id,
            PurchaseOrder.status.in_([s.value for s in OPEN_PURCHASE_STATUSES]),
        )
        .group_by(PurchaseOrder.warehouse_id)
    ).all()
    return {warehouse_id: int(qty or 0) for warehouse_id, qty in rows if qty}


def product_by_sku(session: Session, sku: str) -> Product:
    """The product whose SKU this is (case-insensitive), or NotFound in words."""
    wanted = clean_text(sku, "SKU", max_length=64, required=True)
    product = session.scalar(select(Product).where(func.lower(Product.sku) == wanted.lower()))
    if product is None:
        raise NotFound(_("There is no product with SKU {wanted!r}.").format(wanted=wanted))
    return product


def stock_for_sku(session: Session, actor: Actor, sku: str) -> dict[str, Any]:
    """{"sku", "name", "warehouses": [{"code", "on_hand", "reserved", "available",
    "incoming", "bins": [{"code", "on_hand", "reserved"}]}]}; warehouses by code, bins
    in pick order, bins with nothing on hand or reserved left out."""
    require(actor, Permission.CATALOGUE_VIEW)
    product = product_by_sku(session, sku)
    rows = session.execute(
        select(Warehouse.id, Warehouse.code, Location.code, StockLevel.on_hand, StockLevel.reserved)
        .join(Location, Location.id == StockLevel.location_id)
        .join(Warehouse, Warehouse.id == Location.warehouse_id)
        .where(
            StockLevel.product_id == product.id,
            Location.kind == LocationKind.INTERNAL,
            (StockLevel.on_hand != 0) | (StockLevel.reserved != 0),
        )
        .order_by(Warehouse.code, Location.pick_sequence, Location.code)
    ).all()
    incoming = incoming_by_warehouse(session, product.id)
    warehouses: dict[str, dict[str, Any]] = {}
    for warehouse_id, code, bin_code, on_hand, reserved in rows:
        entry = warehouses.setdefault(
            code,
            {
                "code": code,
                "on_hand": 0,
                "reserved": 0,
                "available": 0,
                "incoming": incoming.get(warehouse_id, 0),
                "bins": [],
            },
        )
        entry["on_hand"] += on_hand
        entry["reserved"] += reserved
        entry["available"] = entry["on_hand"] - entry["reserved"]
        entry["bins"].append({"code": bin_code, "on_hand": on_hand, "reserved": reserved})
    codes = {row.id: row.code for row in session.execute(select(Warehouse.id, Warehouse.code))}
    for warehouse_id, qty in incoming.items():
        code = codes[warehouse_id]
        if code not in warehouses:
            warehouses[code] = {
                "code": code,
                "on_hand": 0,
                "reserved": 0,
                "available": 0,
                "incoming": qty,
                "bins": [],
            }
    ordered = sorted(warehouses.values(), key=lambda w: str(w["code"]))
    return {"sku": product.sku, "name": product.name, "warehouses": ordered}
