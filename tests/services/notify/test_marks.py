"""services/notify/marks.py: a sent e-mail's mark, one statement of its own on PostgreSQL
(synchronous_commit off for that transaction alone), a transaction on SQLite; neither
writes anything once the claim is no longer this sender's."""

from __future__ import annotations

import json
from email.message import Message

from sqlalchemy import event as sa_event
from sqlalchemy import select, text, update

from app.models import OrderEvent, OutboxMessage
from app.services.notify import marks, sender
from tests.services.notify.conftest import email_events, new_order


def _claimed_by(database, message_id: int, worker: str) -> None:
    with database.write() as s:
        s.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id).values(claimed_by=worker)
        )


def _mark(database, outgoing: marks.Outgoing) -> list[str]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many):
        seen.append(statement.lower())

    sa_event.listen(database.engine, "before_cursor_execute", record)
    try:
        with marks.Marks(database, "ws-1") as marking:
            marking.sent(outgoing)
    finally:
        sa_event.remove(database.engine, "before_cursor_execute", record)
    return seen


def test_a_mark_is_written_only_while_the_claim_is_this_senders(database, admin, floor, mail_shop):
    order_id = new_order(database, admin, floor)
    with database.write() as s:
        (message_id,) = sender.claim(s, "ws-1")
    message = Message()
    message["Subject"], message["Message-ID"] = "Your order", "<m-1@shop.example>"
    outgoing = marks.Outgoing(message_id, order_id, ["ines@example.com"], "o@shop", message, 0)
    before = email_events(database, order_id)
    _claimed_by(database, message_id, "ws-2")  # its lease lapsed and another took it
    _mark(database, outgoing)
    with database.read() as s:
        assert s.get(OutboxMessage, message_id).state == "sending"
    assert email_events(database, order_id) == before
    _claimed_by(database, message_id, "ws-1")
    database.engine.dispose()  # the pool then holds only the connection the mark used
    seen = _mark(database, outgoing)
    with database.read() as s:
        row = s.get(OutboxMessage, message_id)
        entry = s.scalars(
            select(OrderEvent).where(OrderEvent.order_id == order_id).order_by(OrderEvent.id)
        ).all()[-1]
        shared = database.is_shared
        synchronous = s.scalar(text("SHOW synchronous_commit")) if shared else None
    assert (row.state, row.attempts, row.claimed_at) == ("sent", 1, None)
    assert entry.kind == "email" and entry.message == "E-mail sent to ines@example.com: Your order"
    assert json.loads(entry.data)["message_id"] == "<m-1@shop.example>"
    if database.is_shared:  # one statement, and the pooled connection as it was
        assert len(seen) == 1 and seen[0].startswith("with done as")
        assert "set_config" in seen[0] and "insert into order_events" in seen[0]
        assert synchronous == "on"
    else:
        assert [q.split()[0] for q in seen] == ["begin", "update", "insert"]
