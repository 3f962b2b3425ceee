"""views/app.py start_mail: with the app's context running, a status change's e-mail
reaches a real SMTP server on loopback, and quitting gives the sender's lease up."""

from __future__ import annotations

import time

from sqlalchemy import select

from app.models import Party, SalesOrder
from app.services.sales import order_actions
from app.views.app import start_mail
from tests.services.notify.conftest import SmtpServer, configure


def test_the_app_sends_what_a_status_change_queued(ctx):
    server = SmtpServer().start()
    configure(ctx.database, ctx.actor, server.port)
    with ctx.database.write() as s:
        order = s.scalars(
            select(SalesOrder)
            .join(Party, Party.id == SalesOrder.customer_id)
            .where(SalesOrder.status == "new", SalesOrder.channel != "counter")
            .where(Party.email != "", Party.email_opt_out.is_(False))
            .order_by(SalesOrder.id)
            .limit(1)
        ).one()
        order_id, number = order.id, order.number
    mail = start_mail(ctx, interval=0.1)
    try:
        with ctx.database.write() as s:
            order_actions.accept(s, ctx.actor, order_id)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(
            number in r.message["Subject"] for r in server.recorder.received
        ):
            time.sleep(0.05)
        assert mail.holds_lease()
    finally:
        mail.stop()
        server.stop()
    subjects = [r.message["Subject"] for r in server.recorder.received]
    assert any(number in subject for subject in subjects), subjects
    assert not mail.holds_lease()  # given up on the way out
