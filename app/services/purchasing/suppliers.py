"""Suppliers: parties with the supplier role, their contacts, currency, lead time and
payment terms, and per product their own code, our cost (minor units), the minimum order
quantity and the pack size (supplier_products, one row per supplier and product).

Reading needs catalogue.view (everyone who sees products may see who sells them); changing
a supplier or its terms needs suppliers.edit (managers), since costs drive reordering.
Searching reuses the customers' word index (party_tokens): a supplier is a party.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound, ValidationError
from app.core.i18n import _
from app.core.money import format_money
from app.core.validation import check_money, check_quantity, clean_text
from app.models import Party, PartyToken, Product, SupplierProduct, utcnow
from app.services.sales.customers import (
    CustomerInput,
    attach_contact,
    check_email,
    live_party,
    reindex,
)
from app.services.stock.search import matching_ids

MAX_LEAD_DAYS = 365
PAGE = 50
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,20}$")


@dataclass(frozen=True)
class SupplierInput:
    name: str
    email: str = ""
    phone: str = ""
    currency: str = "EUR"
    lead_time_days: int = 0
    payment_terms: str = ""
    note: str = ""
    tax_id: str = ""
    # The short code buyers type (`kestrel po create --supplier ACME`); None leaves a
    # stored code as it is (a form that does not show it), "" clears it.
    code: str | None = None


@dataclass(frozen=True)
class SupplierRow:
    id: int
    name: str
    email: str
    phone: str
    currency: str
    lead_time_days: int
    payment_terms: str
    code: str = ""


@dataclass(frozen=True)
class TermsInput:
    """One supplier's terms for a product, the product named by its SKU."""

    sku: str
    supplier_sku: str = ""
    cost: int = 0
    min_order_qty: int = 1
    pack_size: int = 1


@dataclass(frozen=True)
class TermsRow:
    supplier_id: int
    supplier_name: str
    product_id: int
    sku: str
    product_name: str
    supplier_sku: str
    cost: int
    currency: str
    min_order_qty: int
    pack_size: int


def _clean(data: SupplierInput) -> dict[str, object]:
    currency = clean_text(data.currency, "Currency", max_length=3, required=True).upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationError(
            _("Currency is a three-letter code such as EUR, GBP or USD."), "currency"
        )
    lead = data.lead_time_days
    if isinstance(lead, bool) or not isinstance(lead, int) or not 0 <= lead <= MAX_LEAD_DAYS:
        raise ValidationError(
            _("Lead time is a whole number of days from 0 to {max_lead_days}.").format(
                max_lead_days=MAX_LEAD_DAYS
            ),
            "lead_time_days",
        )
    return {
        "name": clean_text(data.name, "Name", max_length=200, required=True),
        "email": check_email(data.email),
        "phone": clean_text(data.phone, "Phone", max_length=40),
        "currency": currency,
        "lead_time_days": lead,
        "payment_terms": clean_text(data.payment_terms, "Payment terms", max_length=100),
        "note": clean_text(data.note, "Notes", max_length=4000),
        "tax_id": clean_text(data.tax_id, "Tax id", max_length=40),
    }


def check_code(value: object) -> str | None:
    """A supplier code as stored: 1-20 letters, digits, '-' or '_', in capitals (codes are
    looked up without regard to case, so 'acme' and 'ACME' are one code); None for none."""
    code = clean_text(value, "Supplier code", max_length=20).strip().upper()
    if not code:
        return None
    if not CODE_PATTERN.match(code):
        raise ValidationError(
            _("A supplier code is 1 to 20 letters, digits, '-' or '_' (like ACME or BOLT-01)."),
            "code",
        )
    return code


def _claim_code(session: Session, code: str | None, supplier_id: int | None) -> None:
    if code is None:
        return
    holder = session.scalar(select(Party.id).where(func.upper(Party.code) == code).limit(1))
    if holder is not None and holder != supplier_id:
        name = session.scalar(select(Party.name).where(Party.id == holder))
        raise ValidationError(
            _("The supplier code {code} belongs to {name} already.").format(code=code, name=name),
            "code",
        )


def supplier_by_code(session: Session, ref: str | int) -> Party:
    """A supplier by its code (any case) or its id, or NotFound in words."""
    party: Party | None = None
    if isinstance(ref, int) and not isinstance(ref, bool):
        party = session.get(Party, ref)
    else:
        wanted = clean_text(ref, "Supplier", max_length=20, required=True).strip().upper()
        party = session.scalar(select(Party).where(func.upper(Party.code) == wanted))
        if party is None and wanted.isascii() and wanted.isdigit():
            party = session.get(Party, int(wanted))
    if party is None or not party.is_supplier or party.archived:
        raise NotFound(
            _("There is no supplier {ref!r} (give its code or its number).").format(ref=ref)
        )
    return party


def create_supplier(session: Session, actor: Actor, data: SupplierInput) -> int:
    require(actor, Permission.SUPPLIERS_EDIT)
    code = check_code(data.code or "")
    _claim_code(session, code, None)
    party = Party(**_clean(data), code=code, is_supplier=True, is_customer=False, is_company=True)
    session.add(party)
    session.flush()
    reindex(session, party)
    changes.note(session, kind="suppliers")
    return party.id


def update_supplier(session: Session, actor: Actor, supplier_id: int, data: SupplierInput) -> None:
    require(actor, Permission.SUPPLIERS_EDIT)
    party = _supplier(session, supplier_id)
    values = _clean(data)
    if data.code is not None:
        values["code"] = check_code(data.code)
        _claim_code(session, check_code(data.code), party.id)
    for key, value in values.items():
        setattr(party, key, value)
    session.flush()
    reindex(session, party)
    changes.note(session, kind="suppliers")


def add_supplier_contact(
    session: Session, actor: Actor, supplier_id: int, data: CustomerInput
) -> int:
    """A person at the supplier (sales desk, accounts) with their own e-mail and phone."""
    require(actor, Permission.SUPPLIERS_EDIT)
    _supplier(session, supplier_id)
    contact_id = attach_contact(session, supplier_id, data)
    changes.note(session, kind="suppliers")
    return contact_id


def _supplier(session: Session, supplier_id: int) -> Party:
    party = live_party(session, supplier_id)
    if not party.is_supplier:
        raise NotFound(_("{name} is not a supplier.").format(name=party.name))
    return party


def list_suppliers(
    session: Session, actor: Actor, text: str = "", offset: int = 0, limit: int = PAGE
) -> list[SupplierRow]:
    """A page of suppliers by name, or those whose name, e-mail or phone match `text`."""
    require(actor, Permission.CATALOGUE_VIEW)
    text = clean_text(text, "Search", max_length=200)
    stmt = select(Party).where(
        Party.is_supplier.is_(True), Party.archived.is_(False), Party.company_id.is_(None)
    )
    limit = min(max(1, int(limit)), 500)
    if text:
        ids = matching_ids(session, PartyToken.token, PartyToken.party_id, text, 0, 2000)
        stmt = stmt.where(Party.id.in_(ids))
    rows = session.scalars(stmt.order_by(Party.name, Party.id).offset(max(0, offset)).limit(limit))
    return [
        SupplierRow(
            p.id,
            p.name,
            p.email,
            p.phone,
            p.currency,
            p.lead_time_days,
            p.payment_terms,
            p.code or "",
        )
        for p in rows
    ]


def set_terms(session: Session, actor: Actor, supplier_id: int, data: TermsInput) -> int:
    """Add or change the supplier's terms for a product (one row per pair); audited, since a
    cost decides what reordering spends."""
    require(actor, Permission.SUPPLIERS_EDIT)
    supplier = _supplier(session, supplier_id)
    sku = clean_text(data.sku, "SKU", max_length=64, required=True)
    product = session.scalar(select(Product).where(Product.sku == sku))
    if product is None:
        raise ValidationError(_("There is no product with SKU {sku}.").format(sku=sku), "sku")
    cost = check_money(data.cost, "Cost")
    values = {
        "supplier_sku": clean_text(data.supplier_sku, "Supplier SKU", max_length=64),
        "cost": cost,
        "min_order_qty": check_quantity(data.min_order_qty, "Minimum order quantity"),
        "pack_size": check_quantity(data.pack_size, "Pack size"),
    }
    row = session.scalar(
        select(SupplierProduct).where(
            SupplierProduct.supplier_id == supplier.id, SupplierProduct.product_id == product.id
        )
    )
    if row is None:
        row = SupplierProduct(supplier_id=supplier.id, product_id=product.id)
        session.add(row)
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "supplier.terms",
        f"product {product.id}",
        f"{supplier.name}: {product.sku} costs "
        f"{format_money(cost, supplier.currency or 'EUR')}, "
        f"min {values['min_order_qty']}, pack {values['pack_size']}",
    )
    changes.note(session, products=[product.id], kind="suppliers")
    return row.id


def remove_terms(session: Session, actor: Actor, supplier_id: int, product_id: int) -> None:
    require(actor, Permission.SUPPLIERS_EDIT)
    row = session.scalar(
        select(SupplierProduct).where(
            SupplierProduct.supplier_id == supplier_id, SupplierProduct.product_id == product_id
        )
    )
    if row is None:
        raise NotFound(_("That supplier has no terms for that product."))
    session.delete(row)
    audit.record(session, actor, "supplier.terms", f"product {product_id}", "removed")
    changes.note(session, products=[product_id], kind="suppliers")


def _terms(session: Session, *where: object) -> list[TermsRow]:
    rows = session.execute(
        select(
            SupplierProduct.supplier_id,
            Party.name,
            SupplierProduct.product_id,
            Product.sku,
            Product.name,
            SupplierProduct.supplier_sku,
            SupplierProduct.cost,
            Party.currency,
            SupplierProduct.min_order_qty,
            SupplierProduct.pack_size,
        )
        .join(Party, Party.id == SupplierProduct.supplier_id)
        .join(Product, Product.id == SupplierProduct.product_id)
        .where(*where)  # type: ignore[arg-type]
        .order_by(Party.name, Product.sku)
        .limit(1000)
    )
    return [TermsRow(*tuple(row)) for row in rows]


def supplier_terms(session: Session, actor: Actor, supplier_id: int) -> list[TermsRow]:
    """What the supplier sells us, by SKU."""
    require(actor, Permission.CATALOGUE_VIEW)
    return _terms(session, SupplierProduct.supplier_id == supplier_id)


def product_suppliers(session: Session, actor: Actor, product_id: int) -> list[TermsRow]:
    """Who sells us the product, and on what terms (ix_supplier_products_product_id)."""
    require(actor, Permission.CATALOGUE_VIEW)
    return _terms(session, SupplierProduct.product_id == product_id)
