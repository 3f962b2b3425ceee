"""The Orders tab's "E-mail to supplier": refused in words while the supplier has no
address; then queued (the draft sent on the way), delivered with its PDF to a real SMTP
server on loopback by the sender, and the tab shows the e-mail as sent."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Party, PurchaseOrder
from app.services.notify import sender
from tests.services.notify.conftest import SmtpServer, configure
from tests.views.purchasing.test_orders_tab import _choose


def test_email_a_po_to_its_supplier(qtbot, purchasing, ctx, settle, draft):
    _window, screen = purchasing
    tab = screen.orders
    server = SmtpServer().start()
    try:
        configure(ctx.database, ctx.actor, server.port)
        _choose(tab, settle, draft.number)
        assert tab.buttons["email"].isEnabled()
        tab.buttons["email"].click()
        settle()
        assert "has no e-mail address" in tab.message.text()
        with ctx.database.write() as s:
            supplier = s.scalar(select(Party).where(Party.code == "GUI"))
            supplier.email = "orders@goods-in.example"
        tab.buttons["email"].click()
        settle()
        assert tab.message.text().startswith(f"{draft.number} queued to orders@goods-in.example")
        with ctx.database.read() as s:
            status = s.scalar(
                select(PurchaseOrder.status).where(PurchaseOrder.number == draft.number)
            )
        assert status == "sent"
        qtbot.waitUntil(lambda: "waiting to orders@goods-in.example" in tab.emails.text())
        sender.drain(ctx.database, "till-1")
        qtbot.waitUntil(lambda: "sent to orders@goods-in.example" in tab.emails.text())
        assert not tab.buttons["send"].isEnabled()  # sent already
    finally:
        server.stop()
    mails = [r for r in server.recorder.received if draft.number in r.message["Subject"]]
    assert len(mails) == 1
    [pdf] = list(mails[0].message.iter_attachments())
    assert pdf.get_content().startswith(b"%PDF")
