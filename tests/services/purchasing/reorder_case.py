"""The hand-built reorder case the service and CLI tests share, with its hand-computed
answer (EXPECTED) worked out line by line below."""

from __future__ import annotations

from sqlalchemy import select

from app import db
from app.core.auth import Actor
from app.core.bootstrap import default_warehouse_id
from app.models import Location, Party, PurchaseOrder, PurchaseOrderLine, Warehouse
from app.services.purchasing import rules, suppliers
from app.services.purchasing.rules import RuleInput
from app.services.purchasing.suppliers import SupplierInput, TermsInput
from app.services.stock import catalogue, inventory
from app.services.stock.catalogue import ProductInput
from app.services.stock.inventory import MoveRef

# A-1 MAIN: on hand 3 + 2 (two bins) - 1 reserved + incoming 6 (sent PO: 10 ordered, 4 in;
#   a cancelled PO's 50 do not count) = 10 < min 12: 30 - 10 = 20, up to multiple 6 -> 24.
#   No supplier named: ACME is the cheaper of its two suppliers.
# A-2 MAIN: nothing on hand; a partly received PO got 8 of 5 (adds 0, not -3): projected 0
#   < 5: 8 - 0 = 8, but ACME's minimum order is 20 -> 20.
# A-3 MAIN: 1 on hand < 2: 10 - 1 = 9, multiple 4 -> 12, ACME's packs of 5 -> 15.
# B-1 WEST: 100 on hand in MAIN and 40 incoming to MAIN count nothing in WEST: 0 < 3:
#   7 - 0 = 7 from Bolt Ltd (no code: written by name), no terms: the product's cost.
# O-1 MAIN: 50 on hand > max 20: overstock by 30.   K-1 MAIN: 10 within [5, 20]: nothing.
# N-1 MAIN: 0 < 1 and nobody sells it: skipped.
EXPECTED = [
    {
        "number": "PO-000001",
        "supplier": "ACME",
        "warehouse": "MAIN",
        "lines": [
            {"sku": "A-1", "quantity": 24},
            {"sku": "A-2", "quantity": 20},
            {"sku": "A-3", "quantity": 15},
        ],
    },
    {
        "number": "PO-000002",
        "supplier": "Bolt Ltd",
        "warehouse": "WEST",
        "lines": [{"sku": "B-1", "quantity": 7}],
    },
]
OVERSTOCK = [{"sku": "O-1", "warehouse": "MAIN", "projected": 50, "max": 20, "excess": 30}]
SKIPPED = [{"sku": "N-1", "warehouse": "MAIN", "reason": "no supplier"}]


def _manual_po(s, number, supplier, warehouse, product, ordered, received, status):  # type: ignore[no-untyped-def]
    order = PurchaseOrder(
        number=number, supplier_id=supplier, warehouse_id=warehouse, status=status
    )
    s.add(order)
    s.flush()
    s.add(
        PurchaseOrderLine(order_id=order.id, product_id=product, ordered=ordered, received=received)
    )


def build(database: db.Database, actor: Actor) -> dict[str, int]:
    """The case above, through the real services; returns the product ids by SKU."""
    with database.write() as s:
        main = default_warehouse_id(s)
        bin1 = s.scalar(
            select(Location.id).where(Location.warehouse_id == main, Location.kind == "internal")
        )
        root = s.scalar(select(Location.parent_id).where(Location.id == bin1))
        bin2 = Location(
            code="MAIN-B2", name="B2", kind="internal", warehouse_id=main, parent_id=root
        )
        west = Warehouse(code="WEST", name="West depot")
        s.add_all([bin2, west])
        s.flush()
        west_bin = Location(code="WEST-STOCK", name="Stock", kind="internal", warehouse_id=west.id)
        s.add(west_bin)
        s.flush()
        costs = {"A-1": 100, "A-2": 100, "A-3": 100, "B-1": 999, "O-1": 100, "K-1": 100, "N-1": 1}
        ids = {
            sku: catalogue.create_product(
                s, actor, ProductInput(sku, f"Item {sku}", 500, cost=cost)
            )
            for sku, cost in costs.items()
        }
        acme = suppliers.create_supplier(s, actor, SupplierInput("Acme Supplies", lead_time_days=5))
        bolt = suppliers.create_supplier(s, actor, SupplierInput("Bolt Ltd"))
        s.get(Party, acme).code = "ACME"  # type: ignore[union-attr]
        s.flush()
        suppliers.set_terms(s, actor, acme, TermsInput("A-1", "AC-A1", 250))
        suppliers.set_terms(s, actor, bolt, TermsInput("A-1", "BO-A1", 300))
        suppliers.set_terms(s, actor, acme, TermsInput("A-2", "AC-A2", 120, min_order_qty=20))
        suppliers.set_terms(s, actor, acme, TermsInput("A-3", "AC-A3", 80, pack_size=5))
        suppliers.set_terms(s, actor, acme, TermsInput("O-1", "", 80))
        suppliers.set_terms(s, actor, acme, TermsInput("K-1", "", 80))
        for sku, where, qty in (
            ("A-1", bin1, 3),
            ("A-1", bin2.id, 2),
            ("A-3", bin1, 1),
            ("B-1", bin1, 100),
            ("O-1", bin1, 50),
            ("K-1", bin1, 10),
        ):
            inventory.receive(s, actor, ids[sku], where, qty)
        inventory.reserve(s, actor, ids["A-1"], bin1, 1, MoveRef("order"))
        _manual_po(s, "M-1", acme, main, ids["A-1"], 10, 4, "sent")
        _manual_po(s, "M-2", acme, main, ids["A-1"], 50, 0, "cancelled")
        _manual_po(s, "M-3", acme, main, ids["A-2"], 5, 8, "partly_received")
        _manual_po(s, "M-4", bolt, main, ids["B-1"], 40, 0, "draft")
        for sku, warehouse, lo, hi, mult, supplier in (
            ("A-1", "MAIN", 12, 30, 6, ""),
            ("A-2", "MAIN", 5, 8, 1, "acme"),
            ("A-3", "MAIN", 2, 10, 4, "ACME"),
            ("B-1", "WEST", 3, 7, 1, "Bolt Ltd"),
            ("O-1", "MAIN", 5, 20, 1, ""),
            ("K-1", "MAIN", 5, 20, 1, ""),
            ("N-1", "MAIN", 1, 4, 1, ""),
        ):
            rules.set_rule(s, actor, RuleInput(sku, warehouse, lo, hi, mult, supplier))
    return ids
