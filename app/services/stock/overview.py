"""One product's stock per warehouse and bin (on hand, reserved, available, incoming):
what `kestrel stock SKU` prints and the Inventory screen shows.

Read from the StockLevel cache, which the ledger keeps equal to its moves.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound
from app.core.validation import clean_text
from app.models import Location, LocationKind, Product, StockLevel, Warehouse


def incoming_by_warehouse(session: Session, product_id: int) -> dict[int, int]:  # noqa: ARG001
    """Units on open purchase orders per warehouse id. Purchase orders do not exist yet:
    every warehouse has 0 incoming until the purchasing work fills this one function."""
    return {}


def product_by_sku(session: Session, sku: str) -> Product:
    """The product whose SKU this is (case-insensitive), or NotFound in words."""
    wanted = clean_text(sku, "SKU", max_length=64, required=True)
    product = session.scalar(select(Product).where(func.lower(Product.sku) == wanted.lower()))
    if product is None:
        raise NotFound(f"There is no product with SKU {wanted!r}.")
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
    return {"sku": product.sku, "name": product.name, "warehouses": list(warehouses.values())}
