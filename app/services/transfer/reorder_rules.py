"""Importing reorder rules: `sku, warehouse, min, max, multiple, supplier` per row, one rule
per product and warehouse (a row for an existing pair changes it).

The supplier is written by its code (or its name when it has none), as the export writes
it. An empty multiple means 1 for a new rule and leaves an existing rule's as it is; an
empty supplier leaves an existing rule's supplier, and gives a new rule the product's
only or cheapest supplier (as `kestrel reorder-rule set` does). So a file exported and
imported again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from app.core import changes
from app.core.auth import Actor, Permission, require
from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.money import parse_quantity
from app.core.number_format import PLAIN, NumberFormat
from app.core.validation import MAX_QUANTITY
from app.models import Party, Product, ReorderRule, SupplierProduct, Warehouse
from app.services.transfer.common import ADD, UNCHANGED, UPDATE, Plan, RowView
from app.services.transfer.products import check_sku

MAX_DECIMALS = 9  # "12.000000": still whole
_STORED = ("min_qty", "max_qty", "multiple", "supplier_id")


def parse_whole(text: str, number: NumberFormat = PLAIN) -> int:
    """A whole number of units from 0 to a million ('12', '12.0', '1.000' in a file that
    groups with '.'); never a fraction."""
    if text.strip().startswith(("-", "\u2212")):
        raise ValidationError(_("{text} is below zero.").format(text=text))
    value = parse_quantity(text, number, max_decimals=MAX_DECIMALS)
    if value != value.to_integral_value():
        raise ValidationError(_("'{text}' is not a whole number.").format(text=text))
    if value > MAX_QUANTITY:
        raise ValidationError(
            _("{value:,} is more than {max_quantity:,}.").format(
                value=value, max_quantity=MAX_QUANTITY
            )
        )
    return int(value)


@dataclass(frozen=True)
class RuleData:
    rule_id: int | None
    product_id: int
    warehouse_id: int
    min_qty: int
    max_qty: int
    multiple: int
    supplier_id: int | None
    lead_time_days: int


def _numbers(view: RowView) -> tuple[int | None, int | None, int | None]:
    """Min, max and multiple, each checked, and max at least min, multiple at least 1."""
    minimum = view.read_number("min", parse_whole)
    maximum = view.read_number("max", parse_whole)
    multiple = view.read_number("multiple", parse_whole)
    if multiple is not None and multiple < 1:
        view.refuse("multiple", "The multiple must be at least 1")
    if minimum is not None and maximum is not None and maximum < minimum:
        view.refuse("max", f"The maximum ({maximum}) must be at least the minimum ({minimum})")
    return minimum, maximum, multiple


class ReorderRuleImporter:
    def __init__(self, session: Session) -> None:
        self.warehouses = {
            code.upper(): wid for wid, code in session.execute(select(Warehouse.id, Warehouse.code))
        }
        self.codes: dict[str, int] = {}  # casefolded code -> id
        self.names: dict[str, list[int]] = {}  # casefolded name -> ids
        self.lead: dict[int, int] = {}
        rows = session.execute(
            select(Party.id, Party.code, Party.name, Party.lead_time_days).where(
                Party.is_supplier.is_(True), Party.archived.is_(False)
            )
        )
        for pid, code, name, lead in rows:
            self.lead[pid] = lead
            if code:
                self.codes[code.casefold()] = pid
            self.names.setdefault(name.casefold(), []).append(pid)
        self.seen: dict[tuple[int, int], int] = {}

    def plan(self, session: Session, views: list[RowView]) -> list[Plan]:
        skus = {v.text("sku") for v in views} - {""}
        products: dict[str, int] = {
            sku: pid
            for sku, pid in session.execute(
                select(Product.sku, Product.id).where(Product.sku.in_(skus))
            )
        }
        ids = list(products.values())
        existing: dict[tuple[int, int], RuleData] = {}
        for r in session.scalars(select(ReorderRule).where(ReorderRule.product_id.in_(ids))):
            existing[(r.product_id, r.warehouse_id)] = RuleData(
                r.id,
                r.product_id,
                r.warehouse_id,
                r.min_qty,
                r.max_qty,
                r.multiple,
                r.supplier_id,
                r.lead_time_days,
            )
        cheapest: dict[int, int] = {}
        for product_id, supplier_id in session.execute(
            select(SupplierProduct.product_id, SupplierProduct.supplier_id)
            .where(SupplierProduct.product_id.in_(ids))
            .order_by(SupplierProduct.cost.desc(), SupplierProduct.supplier_id.desc())
        ):
            if supplier_id in self.lead:  # not archived
                cheapest[product_id] = supplier_id  # the last written is the cheapest
        return [self._plan(view, products, existing, cheapest) for view in views]

    def _supplier(self, view: RowView) -> int | None:
        text = view.text("supplier")
        code = self.codes.get(text.casefold())
        found = [code] if code is not None else self.names.get(text.casefold(), [])
        if len(found) > 1:
            view.refuse("supplier", f"Two suppliers are called {text}: use the supplier's code")
        elif not found:
            view.refuse("supplier", f"There is no supplier {text}")
        return found[0] if len(found) == 1 else None

    def _plan(
        self,
        view: RowView,
        products: dict[str, int],
        existing: dict[tuple[int, int], RuleData],
        cheapest: dict[int, int],
    ) -> Plan:
        plan = view.plan
        sku = view.read("sku", check_sku)
        for needed in ("sku", "warehouse", "min", "max"):
            if not view.text(needed):
                view.refuse(needed, f"{view.column(needed)} is required")
        product = products.get(sku) if sku else None
        if sku and product is None:
            view.refuse("sku", f"There is no product {sku}: import the products first")
        warehouse = self.warehouses.get(view.text("warehouse").upper())
        if view.text("warehouse") and warehouse is None:
            view.refuse("warehouse", f"There is no warehouse {view.text('warehouse')}")
        minimum, maximum, multiple = _numbers(view)
        supplier = self._supplier(view) if view.text("supplier") else None
        if not view.ok or product is None or warehouse is None:
            return plan
        assert minimum is not None and maximum is not None
        pair = (product, warehouse)
        if pair in self.seen:
            where = view.text("warehouse")
            view.refuse("sku", f"{sku} in {where} is also on row {self.seen[pair]}")
            return plan
        self.seen[pair] = view.row.number
        before = existing.get(pair)
        if supplier is None:
            supplier = before.supplier_id if before is not None else cheapest.get(product)
        lead = before.lead_time_days if before is not None else self.lead.get(supplier or 0, 0)
        if multiple is None:
            multiple = before.multiple if before is not None else 1
        data = RuleData(
            before.rule_id if before else None,
            product,
            warehouse,
            minimum,
            maximum,
            multiple,
            supplier,
            lead,
        )
        plan.data = data
        if before is None:
            plan.action = ADD
        elif changed := tuple(k for k in _STORED if getattr(before, k) != getattr(data, k)):
            plan.action, plan.changed = UPDATE, changed
        else:
            plan.action = UNCHANGED
        return plan

    def write(self, session: Session, actor: Actor, plans: list[Plan]) -> None:
        require(actor, Permission.PURCHASING)
        adds: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for plan in plans:
            data: RuleData = plan.data
            values = {k: getattr(data, k) for k in _STORED}
            if plan.action == ADD:
                adds.append(
                    {
                        **values,
                        "product_id": data.product_id,
                        "warehouse_id": data.warehouse_id,
                        "lead_time_days": data.lead_time_days,
                        "active": True,
                    }
                )
            elif plan.action == UPDATE:
                updates.append({f"new_{k}": v for k, v in values.items()} | {"rid": data.rule_id})
        if adds:
            session.execute(insert(ReorderRule), adds)
        if updates:
            stmt = (
                update(ReorderRule)
                .where(ReorderRule.id == bindparam("rid"))
                .values({k: bindparam(f"new_{k}") for k in _STORED})
            )
            session.connection().execute(stmt, updates)
        if adds or updates:
            changes.note(session, kind="reorder_rules")
