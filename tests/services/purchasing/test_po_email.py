"""services/purchasing/po_email.py: a PO e-mailed to its supplier through the outbox —
delivered once with its PDF to a real SMTP server on loopback, a draft sent on the way,
on the PO's history (audit) and its e-mail list; refused in words when it cannot go."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.auth import Role
from app.core.errors import InvalidTransition, PermissionDenied, ValidationError
from app.models import AuditEntry, OutboxMessage, Party
from app.services.notify import sender
from app.services.purchasing import order_status, orders, po_email
from app.services.purchasing.orders import LineInput
from tests.conftest import role_actor
from tests.services.notify.conftest import SmtpServer, configure


@pytest.fixture
def smtp_server():
    server = SmtpServer().start()
    yield server
    server.stop()


def _draft(database, admin, buying) -> str:
    with database.write() as s:
        return orders.create_order(s, admin, "ACME", "main", [LineInput(buying.plain_sku, 12)])


def _history(database, number: str) -> list[str]:
    with database.read() as s:
        return list(
            s.scalars(
                select(AuditEntry.detail)
                .where(AuditEntry.action == "purchase.email", AuditEntry.subject == number)
                .order_by(AuditEntry.id)
            )
        )


def test_a_draft_is_sent_and_its_pdf_delivered_once(database, admin, buying, smtp_server):
    configure(database, admin, smtp_server.port)
    number = _draft(database, admin, buying)
    with database.write() as s:
        queued = po_email.email_to_supplier(s, admin, number)
    assert queued.to == "orders@acme.example"
    with database.read() as s:
        assert orders.show(s, admin, number).status == "sent"
    with database.write() as s, pytest.raises(InvalidTransition, match="already waits"):
        po_email.email_to_supplier(s, admin, number)  # a second click doubles nothing
    result = sender.drain(database, "ws-1")
    assert (result.sent, result.failed) == (1, 0)
    assert sender.drain(database, "ws-1").sent == 0
    [got] = smtp_server.recorder.received
    assert got.recipients == ["orders@acme.example"]
    assert got.message["Message-ID"] == queued.message_id
    assert number in got.message["Subject"]
    [pdf] = [part for part in got.message.iter_attachments()]
    assert pdf.get_filename() == f"Purchase order {number}.pdf"
    assert pdf.get_content().startswith(b"%PDF")
    assert number in got.message.get_body(("plain",)).get_content()
    history = _history(database, number)
    assert history[0] == "queued to orders@acme.example"
    assert history[1].startswith("E-mail sent to orders@acme.example")
    with database.read() as s:
        [listed] = po_email.emails(s, admin, number)
    assert (listed.state, listed.to, listed.attempts) == ("sent", "orders@acme.example", 1)


def test_a_refused_send_is_on_the_history_with_the_servers_words(
    database, admin, buying, smtp_server
):
    configure(database, admin, smtp_server.port)
    smtp_server.recorder.rcpt_answers["buyer@acme.example"] = "550 5.1.1 No such mailbox here"
    number = _draft(database, admin, buying)
    with database.write() as s:
        order_status.send(s, admin, number)
        po_email.email_to_supplier(s, admin, number, to="buyer@acme.example")
    assert sender.drain(database, "ws-1").failed == 1
    assert "No such mailbox here" in _history(database, number)[-1]
    with database.read() as s:
        [listed] = po_email.emails(s, admin, number)
    assert listed.state == "failed" and "550" in listed.last_error


def test_refusals_in_words(database, admin, buying):
    number = _draft(database, admin, buying)
    with database.write() as s:
        s.get(Party, buying.supplier_id).email = ""
    with database.write() as s, pytest.raises(ValidationError, match="no e-mail address"):
        po_email.email_to_supplier(s, admin, number)
    with database.write() as s, pytest.raises(ValidationError, match="not a valid"):
        po_email.email_to_supplier(s, admin, number, to="not-an-address")
    with database.write() as s, pytest.raises(PermissionDenied):
        po_email.email_to_supplier(s, role_actor(Role.CASHIER), number, to="a@b.example")
    with database.write() as s:
        order_status.cancel(s, admin, number, "not needed")
    with database.write() as s, pytest.raises(InvalidTransition, match="cancelled"):
        po_email.email_to_supplier(s, admin, number, to="a@b.example")
    with database.read() as s:
        assert s.scalar(select(OutboxMessage.id)) is None  # nothing queued by a refusal
        assert orders.show(s, admin, number).status == "cancelled"
