"""The customer's view of an order: a random token per order (made lazily for an order
from before tokens), the link from the shop's public_url, a timeline of status changes
only (no notes, no staff names), an unknown or malformed token NotFound. Both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.errors import NotFound
from app.core.settings import set_setting
from app.models import SalesOrder
from app.services.channels import tracking
from app.services.sales import order_actions, order_entry
from app.services.sales.order_entry import LineInput, OrderInput
from tests import factories


@pytest.fixture
def order_id(database, admin):
    product = factories.product(database, admin, stock=5)
    customer = factories.customer(database, admin)
    with database.write() as s:
        ref = order_entry.create_order(
            s, admin, OrderInput("phone", (LineInput(product, 1),), customer)
        )
        order_actions.add_note(s, admin, ref.id, "Owes us money, be firm")
        order_actions.accept(s, admin, ref.id)
    return ref.id


def test_the_link_and_the_page(database, admin, order_id):
    with database.write() as s:
        set_setting(s, admin, "public_url", "https://shop.example/")
        url = tracking.tracking_url_of(s, order_id)
        token = s.get(SalesOrder, order_id).tracking_token
    assert url == f"https://shop.example/track/{token}" and len(token) == 43
    with database.read() as s:
        view = tracking.page(s, token)
    assert view.status_text == "Accepted" and view.shipments == ()
    assert [step.text for step in view.timeline] == ["Received", "Accepted"]
    assert "firm" not in repr(view) and "Ada" not in repr(view)


def test_an_order_from_before_tokens_gets_one_when_asked(database, admin, order_id):
    with database.write() as s:
        s.get(SalesOrder, order_id).tracking_token = None
    with database.write() as s:
        first = tracking.tracking_url_of(s, order_id)
    with database.write() as s:
        assert tracking.tracking_url_of(s, order_id) == first
        assert s.scalar(select(SalesOrder.tracking_token)) == first.rsplit("/", 1)[1]


def test_unknown_or_malformed_tokens_are_not_found(database, admin, order_id):
    with database.read() as s:
        number = s.get(SalesOrder, order_id).number
        for token in (number, "", "A" * 43, "../../etc/passwd", "x" * 1000):
            with pytest.raises(NotFound, match="no order behind this link"):
                tracking.page(s, token)
