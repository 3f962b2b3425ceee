"""services/notify/templates.py: stored defaults per event, shop overrides refused with
the line of a syntax error, autoescaped HTML, and a preview from a real order."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import NotFound, ValidationError
from app.models import SalesOrder
from app.services import shop
from app.services.notify import events, mailbox, sender, templates
from app.services.notify.templates import PARTS
from tests.services.notify.conftest import new_order, outbox_rows


@pytest.mark.parametrize("event", sorted(events.EVENTS))
def test_every_event_has_its_three_parts(event):
    for part in PARTS:
        assert templates.default_source(event, part).strip()


def test_a_template_with_a_syntax_error_is_refused_with_its_line(database, admin):
    broken = "Hello {{ order.customer_name }}\nYour order\n{% if order.total %}\nno end"
    with database.write() as s, pytest.raises(ValidationError, match="line 4") as refused:
        templates.save_template(s, admin, "shipped", "txt", broken)
    assert refused.value.field == "template"
    with database.write() as s, pytest.raises(ValidationError, match="not a part"):
        templates.save_template(s, admin, "shipped", "pdf", "x")


def test_an_override_is_used_then_the_default_comes_back(database, admin, floor, mail_shop):
    with database.write() as s:
        templates.save_template(s, admin, "received", "subject", "Got it: {{ order.number }}")
    order_id = new_order(database, admin, floor)
    with database.read() as s:
        number = s.get(SalesOrder, order_id).number
        (listed,) = mailbox.order_emails(s, admin, order_id)  # not sent: rendered to list
    assert listed.subject == f"Got it: {number}"
    assert sender.drain(database, "test").sent == 1
    assert outbox_rows(database, order_id)[0].subject == f"Got it: {number}"  # kept when sent
    with database.write() as s:
        templates.save_template(s, admin, "received", "subject", "")
    second = new_order(database, admin, floor)
    assert sender.drain(database, "test").sent == 1
    assert outbox_rows(database, second)[0].subject.startswith("We have your order")
    assert outbox_rows(database, order_id)[0].subject == f"Got it: {number}"  # as it was sent


def test_preview_renders_a_real_order(database, admin, floor):
    with database.read() as s, pytest.raises(NotFound):
        templates.preview(s, admin, "shipped")
    order_id = new_order(database, admin, floor)
    with database.read() as s:
        shown = templates.preview(s, admin, "cancelled", order_id)
    assert "cancelled" in shown.subject and "Ines Moreau" in shown.text
    assert "Linen &lt;apron&gt;" in shown.html


def test_the_order_date_is_the_shops_local_day_in_its_language(database, admin, floor):
    """23:30 UTC on 30 November is 1 December in Berlin, written as German writes it."""
    order_id = new_order(database, admin, floor)
    with database.write() as s:
        details = shop.get_shop(s, admin).details
        shop.update_shop(s, admin, replace(details, locale="de_DE", timezone="Europe/Berlin"))
        order = s.get_one(SalesOrder, order_id)
        order.created_at = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    with database.read() as s:
        created = templates.context(s, s.get_one(SalesOrder, order_id), "received")["order"]
    assert created["created"] == "1. Dezember 2026"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(source=st.text(max_size=200))
def test_any_typed_template_is_stored_or_refused_in_words(sqlite_db, source):
    from app.core import auth

    with sqlite_db.write() as s:
        try:
            templates.save_template(s, auth.SYSTEM, "accepted", "html", source)
        except ValidationError as exc:
            assert exc.message and exc.field == "template"
