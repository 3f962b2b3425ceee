"""Purchase orders (orders.py, order_status.py): created with the supplier's terms, lines
changed only while draft, sent with a PDF, cancelled or closed short, a stale copy
refused; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from app.core.auth import Role
from app.core.errors import (
    ConflictError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from app.models import PrintJob, PurchaseOrder
from app.services.purchasing import order_status, orders, receiving
from app.services.purchasing.orders import LineInput
from app.services.purchasing.receiving import ReceiptInput
from app.services.stock.overview import incoming_by_warehouse
from tests.conftest import role_actor


def _create(database, admin, buying, *lines):
    with database.write() as s:
        return orders.create_order(s, admin, "ACME", "main", list(lines))


def test_create_fills_terms_then_product_cost(database, admin, buying):
    number = _create(
        database,
        admin,
        buying,
        LineInput(buying.plain_sku, 10),
        LineInput(buying.lotted_sku.lower(), 4),
        LineInput(buying.plain_sku, 2),  # the same SKU again adds to its line
        LineInput(buying.lotted_sku, 1, 999),
    )
    assert number == "PO-000001"
    with database.read() as s:
        po = orders.show(s, admin, "po-1")
        assert po.status == "draft" and po.supplier_code == "ACME" and po.warehouse == "MAIN"
        lines = {ln.sku: ln for ln in po.lines}
        assert (lines[buying.plain_sku].ordered, lines[buying.plain_sku].unit_cost) == (12, 250)
        assert lines[buying.plain_sku].supplier_sku == "ACME-P"
        # no terms for the lotted product: its own cost; a second line of it adds its
        # quantity and keeps the first line's cost
        assert (lines[buying.lotted_sku].ordered, lines[buying.lotted_sku].unit_cost) == (5, 400)
        assert lines[buying.lotted_sku].supplier_sku == ""
        assert orders.as_json(po)["lines"][0] == {
            "sku": buying.plain_sku,
            "supplier_sku": "ACME-P",
            "ordered": 12,
            "received": 0,
            "unit_cost": 250,
        }
        # a draft's lines count as incoming
        assert incoming_by_warehouse(s, buying.plain) == {po.warehouse_id: 12}


def test_lines_change_while_draft_only(database, admin, buying):
    number = _create(database, admin, buying, LineInput(buying.plain_sku, 5))
    with database.write() as s:
        orders.add_line(s, admin, number, LineInput(buying.lotted_sku, 3, 410))
        orders.change_line(s, admin, number, buying.plain_sku, 7, 260)
        orders.remove_line(s, admin, number, buying.lotted_sku)
        with pytest.raises(ValidationError, match="cancel it instead"):
            orders.remove_line(s, admin, number, buying.plain_sku)
    with database.read() as s:
        po = orders.show(s, admin, number)
        assert [(ln.sku, ln.ordered, ln.unit_cost) for ln in po.lines] == [
            (buying.plain_sku, 7, 260)
        ]
    with database.write() as s:
        sent = order_status.send(s, admin, number)
        assert sent.pdf.startswith(b"%PDF") and sent.job_id is None
    with pytest.raises(InvalidTransition, match="only a draft"), database.write() as s:
        orders.change_line(s, admin, number, buying.plain_sku, 9)
    with pytest.raises(InvalidTransition, match="not a draft"), database.write() as s:
        order_status.send(s, admin, number)


def test_a_stale_version_is_refused_and_changes_nothing(database, admin, buying):
    number = _create(database, admin, buying, LineInput(buying.plain_sku, 5))
    with database.read() as s:
        seen = orders.show(s, admin, number).version
    with database.write() as s:  # another workstation changes it first
        orders.change_line(s, admin, number, buying.plain_sku, 6, seen_version=seen)
    with pytest.raises(ConflictError, match="another workstation"), database.write() as s:
        orders.change_line(s, admin, number, buying.plain_sku, 8, seen_version=seen)
    with database.read() as s:
        po = orders.show(s, admin, number)
        assert po.lines[0].ordered == 6 and po.version == seen + 1


def test_send_can_queue_the_pdf(database, admin, buying):
    number = _create(database, admin, buying, LineInput(buying.plain_sku, 5))
    with database.write() as s:
        sent = order_status.send(s, admin, number, print_copy=True)
        job = s.get(PrintJob, sent.job_id)
        assert job.document == "purchase-order" and job.payload == sent.pdf


def test_cancel_and_close_short(database, admin, buying):
    first = _create(database, admin, buying, LineInput(buying.plain_sku, 5))
    second = _create(database, admin, buying, LineInput(buying.plain_sku, 5))
    with database.write() as s:
        order_status.cancel(s, admin, first, "supplier out of business")
        order_status.send(s, admin, second)
        receiving.receive(s, admin, second, [ReceiptInput(buying.plain_sku, 2)])
    with pytest.raises(InvalidTransition, match="cancelled"), database.write() as s:
        order_status.send(s, admin, first)
    with pytest.raises(InvalidTransition, match="close it short"), database.write() as s:
        order_status.cancel(s, admin, second)
    with database.write() as s:
        assert order_status.close_short(s, admin, second) == 3
    with database.read() as s:
        po = orders.show(s, admin, second)
        assert po.status == "received" and po.lines[0].received == 2
        assert incoming_by_warehouse(s, buying.plain) == {}
        assert [r.number for r in orders.list_orders(s, admin, "cancelled")] == [first]
        assert [r.number for r in orders.list_orders(s, admin)] == [second, first]
    with pytest.raises(InvalidTransition, match="fully received"), database.write() as s:
        order_status.close_short(s, admin, second)


@pytest.mark.parametrize(
    ("supplier", "warehouse", "lines", "error", "words"),
    [
        ("NOPE", "MAIN", [LineInput("X", 1)], NotFound, "no supplier"),
        ("ACME", "NOWHERE", [LineInput("X", 1)], NotFound, "no warehouse"),
        ("ACME", "MAIN", [], ValidationError, "at least one line"),
        ("ACME", "MAIN", [LineInput("NO-SKU", 1)], NotFound, "no product"),
        ("ACME", "MAIN", [LineInput("{plain}", 0)], ValidationError, "Quantity"),
        ("ACME", "MAIN", [LineInput("{plain}", 1, -5)], ValidationError, "Cost"),
    ],
)
def test_bad_orders_are_refused_in_words(
    database, admin, buying, supplier, warehouse, lines, error, words
):
    lines = [LineInput(ln.sku.format(plain=buying.plain_sku), ln.quantity, ln.cost) for ln in lines]
    with pytest.raises(error, match=words), database.write() as s:
        orders.create_order(s, admin, supplier, warehouse, lines)
    with database.read() as s:
        assert s.query(PurchaseOrder).count() == 0


def test_a_picker_receives_but_does_not_buy(database, admin, buying):
    picker = role_actor(Role.PICKER)
    with pytest.raises(PermissionDenied), database.write() as s:
        orders.create_order(s, picker, "ACME", "MAIN", [LineInput(buying.plain_sku, 1)])
    number = _create(database, admin, buying, LineInput(buying.plain_sku, 1))
    with database.write() as s:
        order_status.send(s, admin, number)
        assert orders.show(s, picker, number).number == number
        receiving.receive(s, picker, number, [ReceiptInput(buying.plain_sku, 1)])
