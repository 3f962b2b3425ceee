"""Merging two records of one customer (a duplicate made at the counter, an import that
missed an e-mail): everything the duplicate owns follows the survivor, the duplicate stays
as an archived row that says where it went.

Orders (and with them their returns, gift cards bought on them and their timelines),
addresses, store-credit entries, a company's contacts and a supplier's product terms move
in one transaction; each
moved order's version goes up, so a workstation holding the old copy gets a conflict
instead of writing the old customer back. The audit log records the merge and its counts,
and `kestrel check` (stock/integrity.py) proves nothing still points at the duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, require
from app.core.errors import ValidationError
from app.core.i18n import _
from app.models import (
    Address,
    Base,
    CreditEntry,
    Party,
    PartyToken,
    SalesOrder,
    SupplierProduct,
)
from app.services.sales.customers import live_party, reindex


@dataclass(frozen=True)
class MergeResult:
    survivor_id: int
    merged_id: int
    orders: int
    addresses: int
    credit_entries: int
    contacts: int
    supplier_terms: int


def merge_customers(
    session: Session, actor: Actor, survivor_id: int, duplicate_id: int
) -> MergeResult:
    """Fold `duplicate_id` into `survivor_id`. The survivor keeps its own fields; a blank
    e-mail, phone or tax id is filled from the duplicate, notes are joined."""
    require(actor, Permission.CUSTOMERS_MERGE)
    if survivor_id == duplicate_id:
        raise ValidationError(_("Choose two different customers to merge."), "duplicate")
    survivor = live_party(session, survivor_id)
    duplicate = live_party(session, duplicate_id)
    for party in (survivor, duplicate):
        if party.is_walk_in:
            raise ValidationError(_("The walk-in customer cannot be merged."), "duplicate")
    if duplicate.id == survivor.company_id:
        raise ValidationError(
            _("{name} is a contact of {name2}.").format(name=survivor.name, name2=duplicate.name),
            "duplicate",
        )
    moved_orders = list(
        session.scalars(select(SalesOrder.id).where(SalesOrder.customer_id == duplicate.id))
    )
    session.execute(
        update(SalesOrder)
        .where(SalesOrder.customer_id == duplicate.id)
        .values(customer_id=survivor.id, version=SalesOrder.version + 1)
        .execution_options(synchronize_session=False)
    )
    counts = {
        "addresses": _move(session, Address, "party_id", duplicate.id, survivor.id),
        "credit_entries": _move(session, CreditEntry, "party_id", duplicate.id, survivor.id),
        "contacts": _move(session, Party, "company_id", duplicate.id, survivor.id),
    }
    counts["supplier_terms"] = _move_terms(session, duplicate.id, survivor.id)
    _single_defaults(session, survivor.id)
    _fill_blanks(survivor, duplicate)
    survivor.is_company = survivor.is_company or counts["contacts"] > 0 or duplicate.is_company
    survivor.is_supplier = survivor.is_supplier or duplicate.is_supplier
    duplicate.archived = True
    duplicate.merged_into_id = survivor.id
    session.flush()
    session.execute(delete(PartyToken).where(PartyToken.party_id == duplicate.id))
    reindex(session, survivor)
    session.expire_all()
    audit.record(
        session,
        actor,
        "customer.merge",
        f"customer {survivor.id}",
        f"{duplicate.name} (customer {duplicate.id}) merged in: {len(moved_orders)} orders, "
        f"{counts['addresses']} addresses, {counts['credit_entries']} credit entries, "
        f"{counts['contacts']} contacts, {counts['supplier_terms']} supplier terms",
    )
    changes.note(session, orders=moved_orders, kind="customers")
    return MergeResult(survivor.id, duplicate.id, len(moved_orders), **counts)


def _move(session: Session, model: type[Base], key: str, old: int, new: int) -> int:
    """Point `model.key` from the duplicate to the survivor; how many rows moved."""
    column = getattr(model, key)
    moved = session.scalar(select(func.count()).select_from(model).where(column == old)) or 0
    session.execute(
        update(model)
        .where(column == old)
        .values({key: new})
        .execution_options(synchronize_session=False)
    )
    return int(moved)


def _move_terms(session: Session, old: int, new: int) -> int:
    """A supplier's product terms move unless the survivor has its own for that product
    (the survivor's stay; the duplicate's are left on the archived row, for the record)."""
    theirs = select(SupplierProduct.product_id).where(SupplierProduct.supplier_id == new)
    movable = (SupplierProduct.supplier_id == old, SupplierProduct.product_id.not_in(theirs))
    moved = session.scalar(select(func.count()).select_from(SupplierProduct).where(*movable))
    session.execute(
        update(SupplierProduct)
        .where(*movable)
        .values(supplier_id=new)
        .execution_options(synchronize_session=False)
    )
    return int(moved or 0)


def _single_defaults(session: Session, party_id: int) -> None:
    """After a merge two addresses of a kind may both be the default: the survivor's own
    (the lowest id) stays it."""
    for kind in ("shipping", "billing"):
        first = session.scalar(
            select(func.min(Address.id)).where(
                Address.party_id == party_id, Address.kind == kind, Address.is_default.is_(True)
            )
        )
        if first is not None:
            session.execute(
                update(Address)
                .where(Address.party_id == party_id, Address.kind == kind, Address.id != first)
                .values(is_default=False)
                .execution_options(synchronize_session=False)
            )


def _fill_blanks(survivor: Party, duplicate: Party) -> None:
    for field in ("email", "phone", "tax_id"):
        if not getattr(survivor, field) and getattr(duplicate, field):
            setattr(survivor, field, getattr(duplicate, field))
    if duplicate.note and duplicate.note not in survivor.note:
        joined = f"{survivor.note}\n{duplicate.note}".strip()
        survivor.note = joined[:4000]
    survivor.marketing_opt_out = survivor.marketing_opt_out or duplicate.marketing_opt_out
    survivor.email_opt_out = survivor.email_opt_out or duplicate.email_opt_out
