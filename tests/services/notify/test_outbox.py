"""The outbox row is written in the status change's transaction (services/notify/outbox.py),
with its Message-ID then; no change, no e-mail; every e-mail on the order's timeline."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select, update

from app.core.errors import ValidationError
from app.models import OrderEvent, OutboxMessage, Party, SalesOrder
from app.services.fulfilment import shipping
from app.services.notify import events, mailbox, sender
from app.services.sales import order_actions
from tests.services.notify.conftest import (
    email_events,
    new_order,
    outbox_rows,
    pack,
    ship,
)


def test_a_lifecycle_queues_one_message_per_customer_event(database, admin, floor, mail_shop):
    order_id = new_order(database, admin, floor)
    ship(database, admin, floor, order_id)
    with database.write() as s:
        (shipment,) = shipping.shipments_of(s, order_id)
        shipping.mark_delivered(s, admin, shipment.id)
    rows = outbox_rows(database, order_id)
    assert [r.event for r in rows] == ["received", "accepted", "shipped", "delivered"]
    assert all(r.state == "queued" and r.to_address == "ines@example.com" for r in rows)
    assert len({r.message_id for r in rows}) == 4
    assert all(r.message_id.endswith("@shop.example>") for r in rows)
    assert all(r.body == "" and r.subject == "" for r in rows)  # rendered when sent
    said = email_events(database, order_id)
    assert len(said) == 4 and all(w.startswith("E-mail queued to ines@example.com") for w in said)
    with database.read() as s:  # each entry names its message: the timeline links to its state
        linked = s.scalars(
            select(OrderEvent.data).where(
                OrderEvent.order_id == order_id, OrderEvent.kind == "email"
            )
        ).all()
    assert [json.loads(d)["message_id"] for d in linked] == [r.message_id for r in rows]
    assert sender.drain(database, "test").sent == 4
    rows = outbox_rows(database, order_id)  # the words the sender rendered, kept on the row
    assert [r.message_id for r in rows] == [m["Message-ID"] for m in _messages(mail_shop)]
    shipped = rows[2]
    assert "MP00000001" in shipped.body and "https://track.example/MP00000001" in shipped.html_body
    assert "Linen &lt;apron&gt;" in shipped.html_body  # autoescaped
    assert "Linen <apron>" in shipped.body  # the text part is not HTML


def _messages(server):
    return [r.message for r in server.recorder.received]


def test_a_rolled_back_status_change_queues_nothing(database, admin, floor, mail_shop):
    order_id = new_order(database, admin, floor)
    before = len(outbox_rows(database))
    with pytest.raises(RuntimeError), database.write() as s:
        order_actions.accept(s, admin, order_id)
        assert len(s.query(OutboxMessage).all()) == before + 1  # written in the transaction
        raise RuntimeError("the workstation lost power")
    assert len(outbox_rows(database)) == before
    result = sender.drain(database, "test")
    assert result.sent == before, outbox_rows(database)[0].last_error
    assert [r.message["Subject"] for r in mail_shop.recorder.received] == [
        r.subject for r in outbox_rows(database, order_id)
    ]


def test_no_change_no_email(database, admin, floor, mail_shop):
    order_id = new_order(database, admin, floor)
    with database.write() as s:
        order_actions.add_note(s, admin, order_id, "Customer phoned")
    assert [r.event for r in outbox_rows(database, order_id)] == ["received"]


@pytest.mark.parametrize(
    ("email", "opted_out", "why"),
    [
        ("", False, "the order has no e-mail address"),
        ("ines at example", False, "is not a valid e-mail address"),
        ("ines@example.com", True, "the customer asked for no e-mails"),
    ],
)
def test_no_message_without_a_usable_address_and_the_timeline_says_why(
    database, admin, floor, mail_shop, email, opted_out, why
):
    order_id = new_order(database, admin, floor)
    with database.write() as s:
        order = s.get(SalesOrder, order_id)
        s.execute(
            update(Party)
            .where(Party.id == order.customer_id)
            .values(email=email, email_opt_out=opted_out)
        )
        s.execute(update(SalesOrder).where(SalesOrder.id == order_id).values(email=email))
    with database.write() as s:
        order_actions.hold(s, admin, order_id, "waiting")
        order_actions.release(s, admin, order_id)
        order_actions.cancel(s, admin, order_id, "customer changed their mind")
    assert [r.event for r in outbox_rows(database, order_id)] == ["received"]
    said = email_events(database, order_id)[-1]
    assert said.startswith("No e-mail sent (Order cancelled):") and why in said


def test_the_shop_turns_an_event_off(database, admin, floor, mail_shop):
    with database.write() as s:
        events.set_switch(s, admin, "accepted", False)
        with pytest.raises(ValidationError, match="not an e-mail event"):
            events.set_switch(s, admin, "birthday", True)
    order_id = new_order(database, admin, floor)
    with database.write() as s:
        order_actions.accept(s, admin, order_id)
    assert [r.event for r in outbox_rows(database, order_id)] == ["received"]


def test_resend_writes_a_new_message_and_says_so(database, admin, floor, mail_shop):
    order_id = new_order(database, admin, floor)
    (first,) = outbox_rows(database, order_id)
    with database.write() as s:
        again = mailbox.resend(s, admin, first.id)
    rows = outbox_rows(database, order_id)
    assert [r.id for r in rows] == [first.id, again]
    assert rows[1].message_id != first.message_id and rows[1].body == first.body
    assert email_events(database, order_id)[-1].startswith("E-mail queued again")
    with database.read() as s:
        assert [m.state for m in mailbox.order_emails(s, admin, order_id)] == ["queued"] * 2


def test_a_delivery_problem_and_a_cancel_tell_the_customer(database, admin, floor, mail_shop):
    order_id = new_order(database, admin, floor)
    ship(database, admin, floor, order_id)
    with database.write() as s:
        (shipment,) = shipping.shipments_of(s, order_id)
        shipping.mark_exception(s, admin, shipment.id, "Parcel damaged <in transit>")
    assert sender.drain(database, "test").failed == 0
    problem = outbox_rows(database, order_id)[-1]
    assert problem.event == "exception" and "delay" in problem.subject.lower()
    assert "Parcel damaged <in transit>" in problem.body
    assert "Parcel damaged &lt;in transit&gt;" in problem.html_body
    other = new_order(database, admin, floor)
    with database.write() as s:
        order_actions.cancel(s, admin, other, "out of stock")
    assert [r.event for r in outbox_rows(database, other)] == ["received", "cancelled"]


def test_a_status_change_reads_no_template_nor_setting_once_they_are_kept(
    database, admin, floor, mail_shop
):
    """The row and its timeline entry, nothing rendered: the e-mail settings are kept
    across transactions, the shop's details and the templates are the sender's to read."""
    first, second = new_order(database, admin, floor), new_order(database, admin, floor)
    with database.write() as s:
        order_actions.accept(s, admin, first)  # the settings are read (and kept) here
    seen: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many):
        seen.append(statement.lower())

    sa_event.listen(database.engine, "before_cursor_execute", record)
    try:
        with database.write() as s:
            order_actions.accept(s, admin, second)
    finally:
        sa_event.remove(database.engine, "before_cursor_execute", record)
    assert any("insert into outbox_messages" in q for q in seen)
    assert not [q for q in seen if "from settings" in q]
    (row,) = [r for r in outbox_rows(database, second) if r.event == "accepted"]
    assert row.body == row.html_body == row.subject == ""
    assert json.loads(row.headers)["Content-Language"] == "en-IE"


def _statements(database, work):
    seen: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many):
        seen.append(statement.lower())

    sa_event.listen(database.engine, "before_cursor_execute", record)
    try:
        with database.write() as s:
            work(s)
    finally:
        sa_event.remove(database.engine, "before_cursor_execute", record)
    return seen


def test_the_email_adds_one_statement_to_a_status_change(database, admin, floor, mail_shop):
    """The customer comes with the locked order, the timeline entry and the e-mail's
    entry share one INSERT: the outbox row is the one statement more (bench/outbox.py)."""
    warm_on, on, warm_off, off = (new_order(database, admin, floor) for _n in range(4))
    counted = {}
    for switch, warm, order_id in ((True, warm_on, on), (False, warm_off, off)):
        with database.write() as s:
            events.set_switch(s, admin, "accepted", switch)
        with database.write() as s:
            order_actions.accept(s, admin, warm)  # the e-mail settings are read (and kept)
        counted[switch] = _statements(
            database, lambda s, i=order_id: order_actions.accept(s, admin, i)
        )
    with_email, without = counted[True], counted[False]
    assert len(with_email) == len(without) + 1
    extra = [q for q in with_email if q.startswith("insert into outbox_messages")]
    assert len(extra) == 1 and not [q for q in without if q.startswith("insert into outbox")]
    assert not [q for q in with_email if "from parties" in q and "sales_orders" not in q]
    (entry,) = [r for r in outbox_rows(database, on) if r.event == "accepted"]
    assert entry.state == "queued" and email_events(database, on)[-1].startswith("E-mail queued")


def test_ship_deliver_and_exception_read_the_customer_with_the_locked_order(
    database, admin, floor, mail_shop
):
    """As accept does: no statement of their own for the customer the e-mail needs."""
    first, second = new_order(database, admin, floor), new_order(database, admin, floor)
    pack(database, admin, first)
    ship(database, admin, floor, second)
    shipped = _statements(database, lambda s: shipping.ship(s, admin, first, floor.carrier))
    with database.read() as s:
        (one,) = shipping.shipments_of(s, first)
        (other,) = shipping.shipments_of(s, second)
    late = _statements(database, lambda s: shipping.mark_exception(s, admin, other.id, "Lost"))
    delivered = _statements(database, lambda s: shipping.mark_delivered(s, admin, one.id))
    for seen in (shipped, late, delivered):
        assert [q for q in seen if q.startswith("insert into outbox_messages")]
        locked = [q for q in seen if "from sales_orders left outer join parties" in q]
        assert len(locked) == 1 and not [q for q in seen if "from parties" in q and q not in locked]
    assert {r.event for r in outbox_rows(database, first)} >= {"shipped", "delivered"}
    assert "exception" in {r.event for r in outbox_rows(database, second)}
