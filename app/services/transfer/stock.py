"""Importing opening stock levels: the quantity on hand of an SKU in a bin.

A row names the bin, or only the warehouse (then its first bin in walking order). The
quantity is what should be on hand there; the difference from what is there is written
as an adjustment through the inventory ledger (never by editing a level), so the ledger
and the levels agree and `kestrel check` stays clean. A quantity below what orders have
reserved there is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import money
from app.core.auth import Actor, Permission, require
from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.number_format import PLAIN, NumberFormat
from app.core.validation import MAX_QUANTITY
from app.models import Location, LocationKind, Product, StockLevel, Warehouse
from app.services.stock import inventory
from app.services.transfer.common import ADD, UNCHANGED, UPDATE, Plan, RowView
from app.services.transfer.products import check_sku

REASON = "Opening stock (import)"


def parse_quantity(text: str, number: NumberFormat = PLAIN) -> int:
    """A whole number of units, 0 to a million ('12', '12.0', '1.000' in a file that
    groups with '.'), in the file's number format; never a fraction."""
    if text.strip().startswith(("-", "\u2212")):
        raise ValidationError(_("A quantity on hand cannot be negative."))
    value = money.parse_quantity(text, number, max_decimals=9)
    if value != value.to_integral_value():
        raise ValidationError(_("'{text}' is not a whole number of units.").format(text=text))
    if value > MAX_QUANTITY:
        raise ValidationError(
            _("{value:,} is more than {max_quantity:,} units.").format(
                value=value, max_quantity=MAX_QUANTITY
            )
        )
    return int(value)


@dataclass
class LevelData:
    product_id: int
    location_id: int
    delta: int


class StockImporter:
    def __init__(self, session: Session) -> None:
        self.bins: dict[str, tuple[int, int | None]] = {}  # CODE -> (id, warehouse id)
        self.first_bin: dict[int, int] = {}
        rows = session.execute(
            select(Location.id, Location.code, Location.warehouse_id)
            .where(Location.kind == LocationKind.INTERNAL, Location.active.is_(True))
            .order_by(Location.pick_sequence, Location.code)
        )
        for lid, code, warehouse_id in rows:
            self.bins[code.upper()] = (lid, warehouse_id)
            if warehouse_id is not None:
                self.first_bin.setdefault(warehouse_id, lid)
        self.warehouses = {
            code.upper(): wid for wid, code in session.execute(select(Warehouse.id, Warehouse.code))
        }
        self.seen: dict[tuple[str, int], int] = {}

    def plan(self, session: Session, views: list[RowView]) -> list[Plan]:
        skus = {v.text("sku") for v in views} - {""}
        products = {
            sku: (pid, tracked)
            for pid, sku, tracked in session.execute(
                select(Product.id, Product.sku, Product.track_stock).where(Product.sku.in_(skus))
            )
        }
        levels = {
            (pid, lid): (on_hand, reserved)
            for pid, lid, on_hand, reserved in session.execute(
                select(
                    StockLevel.product_id,
                    StockLevel.location_id,
                    StockLevel.on_hand,
                    StockLevel.reserved,
                ).where(StockLevel.product_id.in_([p for p, _ in products.values()]))
            )
        }
        return [self._plan(view, products, levels) for view in views]

    def _location(self, view: RowView) -> int | None:
        """The bin a row names, or its warehouse's first bin; None (refused) if neither."""
        bin_code, warehouse_code = view.text("bin").upper(), view.text("warehouse").upper()
        warehouse = self.warehouses.get(warehouse_code) if warehouse_code else None
        found = self.bins.get(bin_code) if bin_code else None
        problem = ("", "")
        if warehouse_code and warehouse is None:
            problem = ("warehouse", f"There is no warehouse {view.text('warehouse')}")
        elif bin_code and found is None:
            problem = ("bin", f"There is no bin {view.text('bin')} that holds stock")
        elif found is not None and warehouse is not None and found[1] != warehouse:
            where = f"{view.text('bin')} is not in warehouse {view.text('warehouse')}"
            problem = ("bin", f"Bin {where}")
        elif found is None and warehouse is None:
            problem = ("bin", "Name the bin or the warehouse the stock is in")
        elif found is None and warehouse not in self.first_bin:
            problem = ("warehouse", f"Warehouse {view.text('warehouse')} has no bin for stock")
        if problem[0]:
            view.refuse(*problem)
            return None
        if found is not None:
            return found[0]
        return self.first_bin[warehouse] if warehouse is not None else None

    def _plan(
        self,
        view: RowView,
        products: dict[str, tuple[int, bool]],
        levels: dict[tuple[int, int], tuple[int, int]],
    ) -> Plan:
        plan = view.plan
        sku = view.read("sku", check_sku)
        if not view.text("sku"):
            view.refuse("sku", "SKU is required")
        quantity = view.read_number("quantity", parse_quantity)
        if not view.text("quantity"):
            view.refuse("quantity", "Quantity is required")
        location = self._location(view)
        product = products.get(sku) if sku else None
        if sku and product is None:
            view.refuse("sku", f"There is no product {sku}: import the products first")
        elif product is not None and not product[1]:
            view.refuse("sku", f"{sku} is not a stock-tracked product")
        if not view.ok or product is None or location is None or quantity is None:
            return plan
        key = (sku or "", location)
        if key in self.seen:
            view.refuse("sku", f"{sku} in this bin is also on row {self.seen[key]}")
            return plan
        self.seen[key] = view.row.number
        on_hand, reserved = levels.get((product[0], location), (0, 0))
        if quantity < reserved:
            view.refuse(
                "quantity",
                f"{reserved} of {sku} are reserved for orders there; at least that "
                "many must stay on hand",
            )
            return plan
        plan.data = LevelData(product[0], location, quantity - on_hand)
        if quantity == on_hand:
            plan.action = UNCHANGED
        else:
            plan.action = ADD if on_hand == 0 else UPDATE
            plan.changed = ("quantity",)
        return plan

    def write(self, session: Session, actor: Actor, plans: list[Plan]) -> None:
        require(actor, Permission.STOCK_ADJUST)
        for plan in plans:
            data: LevelData = plan.data
            if data.delta:
                inventory.adjust(
                    session, actor, data.product_id, data.location_id, data.delta, REASON
                )
