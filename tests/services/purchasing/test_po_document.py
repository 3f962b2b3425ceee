"""The purchase order's PDF (po_document.py): the supplier's codes and ours, quantities,
costs and the total in the supplier's currency, the supplier's address, and the PO number
as a barcode that scans; only a buyer may draw it."""

from __future__ import annotations

import pytest

from app.core.auth import Role
from app.core.errors import PermissionDenied
from app.models import Address
from app.services.purchasing import order_status, orders, po_document
from app.services.purchasing.orders import LineInput
from tests.conftest import role_actor
from tests.services.printing.test_documents import pdf_codes, pdf_text


def test_the_pdf_a_supplier_gets(database, admin, buying):
    with database.write() as s:
        s.add(Address(party_id=buying.supplier_id, line1="4 Dock Road", city="Cork", country="IE"))
        number = orders.create_order(
            s,
            admin,
            "ACME",
            "MAIN",
            [LineInput(buying.plain_sku, 12), LineInput(buying.lotted_sku, 3, 1999)],
            note="Deliver before noon, gate B.",
        )
        sent = order_status.send(s, admin, number)
    text = pdf_text(sent.pdf)
    for words in (
        "Purchase order PO-000001",
        "Acme Supplies",
        "4 Dock Road",
        "ACME-P",
        buying.plain_sku,
        buying.lotted_sku,
        "€2.50",  # the supplier's cost for the plain product
        "€30.00",  # 12 x 2.50
        "€59.97",  # 3 x 19.99
        "€89.97",  # the total
        "Deliver before noon",
        "MAIN",
    ):
        assert words in text, words
    assert "PO-000001" in pdf_codes(sent.pdf)
    with database.read() as s:
        assert pdf_text(po_document.purchase_order_pdf(s, admin, number)) == text
    with pytest.raises(PermissionDenied), database.read() as s:
        po_document.purchase_order_pdf(s, role_actor(Role.PICKER), number)
