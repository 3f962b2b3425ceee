"""The purchase order as a PDF for the supplier: the same document whether it is queued
on the office printer when the PO is sent, written to a file by `kestrel po send --pdf`,
or drawn again later for a reprint."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.settings import get_setting
from app.models import Address, Party, Warehouse
from app.printing.doc_data import PurchaseDoc, PurchaseDocLine
from app.services.printing.document_data import company
from app.services.purchasing.orders import OrderView, order_id, view

DOCUMENT = "purchase-order"


def _supplier_lines(session: Session, supplier_id: int) -> tuple[str, ...]:
    party = session.get(Party, supplier_id)
    assert party is not None
    address = session.scalar(
        select(Address)
        .where(Address.party_id == supplier_id)
        .order_by(Address.is_default.desc(), Address.id)
        .limit(1)
    )
    lines = [party.name]
    if address is not None:
        lines += [address.line1, address.line2, f"{address.postcode} {address.city}".strip()]
        lines += [address.region, address.country]
    lines.append(party.email)
    return tuple(line for line in lines if line and line.strip())


def render(session: Session, order: OrderView) -> bytes:
    """The PDF bytes of a PO as it stands (lines, costs, the supplier's own codes)."""
    shop = company(session)
    warehouse = session.get(Warehouse, order.warehouse_id)
    assert warehouse is not None
    doc = PurchaseDoc(
        number=order.number,
        date=order.sent_at or order.created_at,
        supplier=_supplier_lines(session, order.supplier_id),
        deliver_to=(shop.name, f"{warehouse.name} ({warehouse.code})"),
        currency=order.currency,
        lines=tuple(
            PurchaseDocLine(ln.sku, ln.supplier_sku, ln.name, ln.ordered, ln.unit_cost)
            for ln in order.lines
        ),
        note=order.note,
    )
    paper = str(get_setting(session, "document_paper"))
    from app.printing import pdf  # ReportLab only when a PDF is drawn

    return pdf.purchase_order(shop, doc, paper, shop.locale)


def purchase_order_pdf(session: Session, actor: Actor, ref: int | str) -> bytes:
    """The PO's PDF, for a file or a preview (the buyer's: it shows our costs)."""
    require(actor, Permission.PURCHASING)
    return render(session, view(session, order_id(session, ref)))
