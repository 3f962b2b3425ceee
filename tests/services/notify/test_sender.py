"""The sender against a real SMTP server on loopback (aiosmtpd): headers and parts,
retries with the same Message-ID, 4xx back-off, 5xx failure, refused recipients, SMTP
down and back, and two senders on PostgreSQL that never send one message twice."""

from __future__ import annotations

import logging
import socket
import threading
from datetime import timedelta

import pytest
from sqlalchemy import update

from app.models import OutboxMessage, utcnow
from app.services.fulfilment import shipping
from app.services.notify import events, mailbox, outbox, sender
from app.services.sales import order_actions
from tests.services.notify.conftest import (
    FROM,
    REPLY_TO,
    SmtpServer,
    configure,
    email_events,
    free_port,
    new_order,
    order_number,
    outbox_rows,
    ship,
)


def _parts(message):
    return {part.get_content_type(): part for part in message.walk()}


def test_a_lifecycle_arrives_with_the_right_headers_parts_and_invoice(
    database, admin, floor, mail_shop
):
    with database.write() as s:
        events.set_attach_invoice(s, admin, True)
    order_id = new_order(database, admin, floor)
    ship(database, admin, floor, order_id)
    with database.write() as s:
        (shipment,) = shipping.shipments_of(s, order_id)
        shipping.mark_delivered(s, admin, shipment.id)
    rows = outbox_rows(database, order_id)
    result = sender.drain(database, "ws-1")
    assert (result.sent, result.retried, result.failed) == (4, 0, 0)
    got = mail_shop.recorder.received
    assert [r.message["Message-ID"] for r in got] == [r.message_id for r in rows]
    number = order_number(database, order_id)
    for mail in got:
        m = mail.message
        assert (m["From"], m["Reply-To"], m["To"]) == (FROM, REPLY_TO, "ines@example.com")
        assert number in m["Subject"]
        assert m["List-Unsubscribe"] is None  # transactional
        parts = _parts(m)
        assert "text/plain" in parts and "text/html" in parts
        assert "Ines Moreau" in parts["text/plain"].get_content()
    shipped = got[2].message
    (invoice,) = [p for p in shipped.iter_attachments()]
    assert invoice.get_content_type() == "application/pdf"
    assert invoice.get_filename() == f"Invoice {number}.pdf"
    assert invoice.get_content().startswith(b"%PDF")
    assert not list(got[0].message.iter_attachments())  # only "shipped" carries it
    assert "https://track.example/MP00000001" in _parts(shipped)["text/html"].get_content()
    assert {r.state for r in outbox_rows(database, order_id)} == {"sent"}
    assert sum(w.startswith("E-mail sent to") for w in email_events(database, order_id)) == 4


def test_marketing_carries_list_unsubscribe(database, admin, mail_shop):
    with database.write() as s:
        outbox.write(
            s, to="ines@example.com", subject="Spring sale", text="20 % off", kind=outbox.MARKETING
        )
    sender.drain(database, "ws-1")
    (mail,) = mail_shop.recorder.received
    assert mail.message["List-Unsubscribe"] == "<mailto:help@shop.example?subject=unsubscribe>"


def test_421_then_250_delivers_once_with_the_same_message_id(database, admin, floor, mail_shop):
    order_id = new_order(database, admin, floor)
    mail_shop.recorder.data_answers.append("421 4.3.0 Try again later")
    first = sender.drain(database, "ws-1")
    assert (first.sent, first.retried) == (0, 1)
    (row,) = outbox_rows(database, order_id)
    assert row.state == "queued" and row.attempts == 1 and "421" in row.last_error
    assert row.next_attempt_at > utcnow() + timedelta(seconds=20)  # backing off
    assert sender.drain(database, "ws-1").sent == 0  # not due yet
    assert sender.drain(database, "ws-1", now=utcnow() + timedelta(minutes=5)).sent == 1
    assert mail_shop.recorder.ids() == [row.message_id]
    (row,) = outbox_rows(database, order_id)
    assert (row.state, row.attempts, row.last_error) == ("sent", 2, "")


def test_550_fails_with_the_servers_words_and_is_not_retried(database, admin, floor, mail_shop):
    order_id = new_order(database, admin, floor)
    mail_shop.recorder.rcpt_answers["ines@example.com"] = "550 5.1.1 No such mailbox here"
    result = sender.drain(database, "ws-1")
    assert (result.sent, result.failed) == (0, 1)
    (row,) = outbox_rows(database, order_id)
    assert row.state == "failed" and "550 5.1.1 No such mailbox here" in row.last_error
    assert sender.drain(database, "ws-1", now=utcnow() + timedelta(days=1)).failed == 0
    assert mail_shop.recorder.received == []
    assert "No such mailbox" in email_events(database, order_id)[-1]


def test_a_partly_refused_send_is_not_sent(database, admin, mail_shop):
    with database.write() as s:
        outbox.write(s, to="a@example.com, b@example.com", subject="Two", text="x")
    mail_shop.recorder.rcpt_answers["b@example.com"] = "550 5.1.1 Unknown user"
    result = sender.drain(database, "ws-1")
    assert (result.sent, result.failed) == (0, 1)
    (row,) = outbox_rows(database)
    assert row.state == "failed"
    assert "a@example.com took it" in row.last_error and "550 5.1.1 Unknown user" in row.last_error


def test_smtp_down_during_100_changes_then_each_delivered_exactly_once(database, admin, floor):
    port = free_port()
    configure(database, admin, port, timeout=2)
    order_ids = [new_order(database, admin, floor) for _ in range(50)]
    for order_id in order_ids:
        with database.write() as s:
            order_actions.accept(s, admin, order_id)
    assert len(outbox_rows(database)) == 100  # received + accepted
    down = sender.drain(database, "ws-1")
    assert down.sent == 0 and "Cannot reach the mail server" in down.problem
    assert {r.state for r in outbox_rows(database)} == {"queued"}
    server = SmtpServer()
    server.port = port
    server.start()
    try:
        with database.write() as s:
            assert mailbox.retry_all(s, admin) == 100
        result = sender.drain(database, "ws-1")
        assert result.sent == 100
        ids = server.recorder.ids()
        assert len(ids) == 100 and len(set(ids)) == 100
        assert set(ids) == {r.message_id for r in outbox_rows(database)}
        assert sender.drain(database, "ws-1", now=utcnow() + timedelta(days=1)).sent == 0
    finally:
        server.stop()


def test_a_sender_killed_between_send_and_mark_duplicates_at_most_once(
    database, admin, floor, mail_shop
):
    order_id = new_order(database, admin, floor)
    with database.write() as s:
        assert len(sender.claim(s, "dead-ws")) == 1  # claimed, sent (say), never marked
    assert sender.drain(database, "ws-1").sent == 0  # its lease still holds
    later = utcnow() + sender.LEASE + timedelta(seconds=1)
    assert sender.drain(database, "ws-1", now=later).sent == 1
    (row,) = outbox_rows(database, order_id)
    assert (row.state, row.interrupted) == ("sent", 1)
    assert "may have gone out twice" in email_events(database, order_id)[-1]


class _NotSmtp:
    """A TCP server that answers like something else (an HTTP server on the port)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")

    def close(self) -> None:
        self.sock.close()


def test_a_server_that_is_not_smtp_is_said_and_nothing_is_lost(database, admin, floor):
    fake = _NotSmtp()
    try:
        configure(database, admin, fake.port, timeout=2)
        order_id = new_order(database, admin, floor)
        result = sender.drain(database, "ws-1")
    finally:
        fake.close()
    assert result.sent == 0 and "does not speak SMTP" in result.problem
    assert "400 Bad Request" in result.problem
    (row,) = outbox_rows(database, order_id)
    assert row.state == "queued" and "does not speak SMTP" in row.last_error


@pytest.mark.allow_log(logging.WARNING, logger="mail.log")  # aiosmtpd: AUTH without TLS on loopback
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_wrong_password_is_said_and_nothing_is_lost(database, admin, floor, monkeypatch):
    server = SmtpServer(password="right-password").start()
    try:
        configure(database, admin, server.port, user="shop")
        order_id = new_order(database, admin, floor)
        monkeypatch.setenv("KESTREL_SMTP_PASSWORD", "wrong-password")
        result = sender.drain(database, "ws-1")
        assert "refused the user name or password" in result.problem
        (row,) = outbox_rows(database, order_id)
        assert row.state == "queued" and row.attempts == 1
        monkeypatch.setenv("KESTREL_SMTP_PASSWORD", "right-password")
        with database.write() as s:
            mailbox.retry(s, admin, row.id)
        assert sender.drain(database, "ws-1").sent == 1
        assert server.recorder.ids() == [row.message_id]
    finally:
        server.stop()


def test_an_attachment_over_the_limit_fails_in_words_and_stays(database, admin, floor, mail_shop):
    from app.services.notify import smtp_settings

    with database.write() as s:
        events.set_attach_invoice(s, admin, True)
        current = smtp_settings.smtp_settings(s)
    with database.write() as s:
        smtp_settings.save_smtp_settings(
            s, admin, smtp_settings.SmtpSettings(**{**current.__dict__, "attachment_limit_kb": 1})
        )
    order_id = new_order(database, admin, floor)
    ship(database, admin, floor, order_id)
    sender.drain(database, "ws-1")
    shipped = next(r for r in outbox_rows(database, order_id) if r.event == "shipped")
    assert shipped.state == "failed" and "at most 1 KB may be attached" in shipped.last_error
    assert len(mail_shop.recorder.received) == 2  # received and accepted went
    assert any(
        w.startswith("E-mail failed") and "at most 1 KB" in w
        for w in email_events(database, order_id)
    )


@pytest.mark.postgres
def test_two_senders_on_postgresql_never_send_one_message_twice(pg_database, admin_pg, mail_pg):
    database = pg_database
    with database.write() as s:
        for n in range(200):
            outbox.write(s, to=f"c{n}@example.com", subject=f"Message {n}", text="x")
    results: list[sender.DrainResult] = []

    def run(name: str) -> None:
        results.append(sender.drain(database, name))

    threads = [threading.Thread(target=run, args=(f"ws-{n}",)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = mail_pg.recorder.ids()
    assert len(ids) == 200 and len(set(ids)) == 200
    assert sum(r.sent for r in results) == 200
    assert sum(1 for r in results if r.sent) >= 2  # they shared the work
    with database.read() as s:
        assert s.query(OutboxMessage).filter(OutboxMessage.state != "sent").count() == 0
    with database.write() as s:
        s.execute(update(OutboxMessage).values(state="sent"))
