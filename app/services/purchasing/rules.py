"""Reorder rules: per product and warehouse the minimum that triggers an order, the
maximum it orders up to, the multiple it rounds to, the supplier and the lead time.

Changing a rule needs purchasing.manage (a rule spends money on its own when the run
drafts orders from it); reading one needs catalogue.view. A rule names its supplier by
the supplier's code (or its name when it has none); a new rule without one takes the
product's only supplier, or the cheapest of several (supplier_products), or none: the run
then reports the rule instead of ordering.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound, ValidationError
from app.core.i18n import _
from app.core.validation import MAX_QUANTITY, clean_text
from app.models import Party, Product, ReorderRule, SupplierProduct, Warehouse

PAGE = 200
MAX_LEAD_DAYS = 365


@dataclass(frozen=True)
class RuleInput:
    """A rule as a person or a file gives it: SKU, warehouse code, supplier code."""

    sku: str
    warehouse: str
    min_qty: int
    max_qty: int
    multiple: int = 1
    supplier: str = ""  # code or name; "" = the product's only or cheapest supplier
    lead_time_days: int | None = None  # None = the supplier's lead time


@dataclass(frozen=True)
class RuleRow:
    id: int
    sku: str
    name: str
    warehouse: str
    min_qty: int
    max_qty: int
    multiple: int
    supplier: str  # the supplier's code, else its name; "" when the rule has none
    lead_time_days: int


def supplier_label(code: str | None, name: str | None) -> str:
    """How a supplier is written in lists, files and JSON: its code, else its name."""
    return code or name or ""


def whole(value: object, label: str, *, minimum: int, maximum: int = MAX_QUANTITY) -> int:
    """A whole number from minimum to maximum; bools, floats and text are refused."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(
            _("{label} must be a whole number, not {value!r}.").format(label=label, value=value),
            label.lower(),
        )
    if not minimum <= value <= maximum:
        raise ValidationError(
            _("{label} must be from {minimum:,} to {maximum:,} (got {value:,}).").format(
                label=label, minimum=minimum, maximum=maximum, value=value
            ),
            label.lower(),
        )
    return value


def find_product(session: Session, sku: object) -> Product:
    wanted = clean_text(sku, "SKU", max_length=64, required=True)
    product = session.scalar(select(Product).where(Product.sku == wanted))
    if product is None:
        product = session.scalar(select(Product).where(func.lower(Product.sku) == wanted.lower()))
    if product is None:
        raise ValidationError(
            _("There is no product with SKU {wanted}.").format(wanted=wanted), "sku"
        )
    return product


def find_warehouse(session: Session, code: object) -> Warehouse:
    wanted = clean_text(code, "Warehouse", max_length=20, required=True)
    found = session.scalar(select(Warehouse).where(func.lower(Warehouse.code) == wanted.lower()))
    if found is None:
        raise ValidationError(
            _("There is no warehouse {wanted}.").format(wanted=wanted), "warehouse"
        )
    return found


def find_supplier(session: Session, text: object) -> Party:
    """A supplier by its code, else by its exact name (case aside) when only one has it."""
    wanted = clean_text(text, "Supplier", max_length=200, required=True)
    suppliers = select(Party).where(Party.is_supplier.is_(True), Party.archived.is_(False))
    found = session.scalar(suppliers.where(func.lower(Party.code) == wanted.lower()))
    if found is None:
        named = session.scalars(suppliers.where(func.lower(Party.name) == wanted.lower()).limit(2))
        matches = list(named)
        if len(matches) > 1:
            raise ValidationError(
                _("Two suppliers are called {wanted}: name the supplier by its code.").format(
                    wanted=wanted
                ),
                "supplier",
            )
        found = matches[0] if matches else None
    if found is None:
        raise ValidationError(_("There is no supplier {wanted}.").format(wanted=wanted), "supplier")
    return found


def default_supplier(session: Session, product_id: int) -> int | None:
    """The product's only supplier, or the cheapest of several (the lowest id on a tie)."""
    return session.scalar(
        select(SupplierProduct.supplier_id)
        .join(Party, Party.id == SupplierProduct.supplier_id)
        .where(SupplierProduct.product_id == product_id, Party.archived.is_(False))
        .order_by(SupplierProduct.cost, SupplierProduct.supplier_id)
        .limit(1)
    )


@dataclass(frozen=True)
class CleanRule:
    product_id: int
    sku: str
    warehouse_id: int
    warehouse: str
    min_qty: int
    max_qty: int
    multiple: int
    supplier_id: int | None
    lead_time_days: int


def clean_rule(session: Session, data: RuleInput) -> CleanRule:
    """The rule checked in words (max at least min, multiple at least 1, whole numbers,
    known SKU, warehouse and supplier), with its ids resolved; writes nothing. Changing an
    existing rule without naming a supplier or a lead time keeps the rule's."""
    minimum = whole(data.min_qty, "Minimum", minimum=0)
    maximum = whole(data.max_qty, "Maximum", minimum=0)
    if maximum < minimum:
        raise ValidationError(
            _("The maximum ({maximum:,}) must be at least the minimum ({minimum:,}).").format(
                maximum=maximum, minimum=minimum
            ),
            "maximum",
        )
    multiple = whole(data.multiple, "Multiple", minimum=1)
    product = find_product(session, data.sku)
    warehouse = find_warehouse(session, data.warehouse)
    before = session.scalar(
        select(ReorderRule).where(
            ReorderRule.product_id == product.id, ReorderRule.warehouse_id == warehouse.id
        )
    )
    supplier: Party | None = None
    if str(data.supplier or "").strip():
        supplier = find_supplier(session, data.supplier)
    else:  # an existing rule keeps its supplier; a new one takes the only or cheapest
        supplier_id = before.supplier_id if before else default_supplier(session, product.id)
        supplier = session.get(Party, supplier_id) if supplier_id is not None else None
    if data.lead_time_days is None and before is not None:
        lead = before.lead_time_days
    elif data.lead_time_days is None:
        lead = supplier.lead_time_days if supplier is not None else 0
    else:
        lead = whole(data.lead_time_days, "Lead time", minimum=0, maximum=MAX_LEAD_DAYS)
    return CleanRule(
        product.id,
        product.sku,
        warehouse.id,
        warehouse.code,
        minimum,
        maximum,
        multiple,
        supplier.id if supplier is not None else None,
        lead,
    )


def store_rule(session: Session, rule: CleanRule) -> tuple[int, bool]:
    """Insert or update the one rule of (product, warehouse); (id, whether it changed)."""
    row = session.scalar(
        select(ReorderRule).where(
            ReorderRule.product_id == rule.product_id,
            ReorderRule.warehouse_id == rule.warehouse_id,
        )
    )
    if row is None:
        row = ReorderRule(product_id=rule.product_id, warehouse_id=rule.warehouse_id)
        session.add(row)
    values = {
        "min_qty": rule.min_qty,
        "max_qty": rule.max_qty,
        "multiple": rule.multiple,
        "supplier_id": rule.supplier_id,
        "lead_time_days": rule.lead_time_days,
        "active": True,
    }
    changed = row.id is None or any(getattr(row, k) != v for k, v in values.items())
    for key, value in values.items():
        setattr(row, key, value)
    session.flush()
    return row.id, changed


def set_rule(session: Session, actor: Actor, data: RuleInput) -> int:
    """Add or change the rule for the product in the warehouse (one per pair); audited."""
    require(actor, Permission.PURCHASING)
    rule = clean_rule(session, data)
    rule_id, changed = store_rule(session, rule)
    if changed:
        audit.record(
            session,
            actor,
            "reorder.rule",
            f"product {rule.product_id}",
            f"{rule.sku} in {rule.warehouse}: min {rule.min_qty}, max {rule.max_qty}, "
            f"multiple {rule.multiple}, supplier {rule.supplier_id or 'none'}",
        )
        changes.note(session, products=[rule.product_id], kind="reorder_rules")
    return rule_id


def remove_rule(session: Session, actor: Actor, sku: str, warehouse: str) -> None:
    require(actor, Permission.PURCHASING)
    product = find_product(session, sku)
    place = find_warehouse(session, warehouse)
    row = session.scalar(
        select(ReorderRule).where(
            ReorderRule.product_id == product.id, ReorderRule.warehouse_id == place.id
        )
    )
    if row is None:
        raise NotFound(
            _("{sku} has no reorder rule in {code}.").format(sku=product.sku, code=place.code)
        )
    session.delete(row)
    audit.record(
        session, actor, "reorder.rule", f"product {product.id}", f"removed in {place.code}"
    )
    changes.note(session, products=[product.id], kind="reorder_rules")


def list_rules(
    session: Session, actor: Actor, warehouse: str = "", offset: int = 0, limit: int = PAGE
) -> list[RuleRow]:
    """A page of rules by warehouse code and SKU (optionally of one warehouse)."""
    require(actor, Permission.CATALOGUE_VIEW)
    stmt = (
        select(
            ReorderRule.id,
            Product.sku,
            Product.name,
            Warehouse.code,
            ReorderRule.min_qty,
            ReorderRule.max_qty,
            ReorderRule.multiple,
            Party.code,
            Party.name,
            ReorderRule.lead_time_days,
        )
        .join(Product, Product.id == ReorderRule.product_id)
        .join(Warehouse, Warehouse.id == ReorderRule.warehouse_id)
        .outerjoin(Party, Party.id == ReorderRule.supplier_id)
    )
    if warehouse:
        stmt = stmt.where(Warehouse.id == find_warehouse(session, warehouse).id)
    limit = min(max(1, int(limit)), 1000)
    rows = session.execute(
        stmt.order_by(Warehouse.code, Product.sku).offset(max(0, int(offset))).limit(limit)
    )
    return [
        RuleRow(rid, sku, name, wh, lo, hi, mult, supplier_label(code, sname), lead)
        for rid, sku, name, wh, lo, hi, mult, code, sname, lead in rows
    ]
