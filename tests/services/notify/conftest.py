"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives and answers as
a test tells it to, the shop's mail settings pointing at it, and an order to take
through its lifecycle."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections import deque
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select

from app.models import Barcode, Location, OrderEvent, OutboxMessage, SalesOrder
from app.services.fulfilment import packing, picking, shipping, waves
from app.services.fulfilment.shipping import CarrierInput
from app.services.notify import smtp_settings
from app.services.notify.smtp_settings import SmtpSettings
from app.services.sales import order_actions, order_entry
from app.services.sales.order_entry import LineInput, OrderInput
from app.services.stock import inventory
from tests import factories

FROM = "Kestrel Shop <orders@shop.example>"
REPLY_TO = "help@shop.example"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class Recorder:
    """The handler: keeps every accepted message; `data_answers` / `rcpt_answers` are
    answers to give first (then 250), e.g. "421 4.3.0 Try later"."""

    received: list[Received] = field(default_factory=list)
    data_answers: deque[str] = field(default_factory=deque)
    rcpt_answers: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, _server, _session, envelope, address, _options):  # noqa: N802
        answer = self.rcpt_answers.get(address)
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server, _session, envelope):  # noqa: N802
        with self.lock:
            if self.data_answers:
                return self.data_answers.popleft()
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted"

    def ids(self) -> list[str]:
        return [r.message["Message-ID"] for r in self.received]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpServer:
    def __init__(self, password: str | None = None) -> None:
        self.recorder = Recorder()
        self.port = free_port()
        self.password = password
        self.controller: Controller | None = None

    def _auth(self, server, session, envelope, mechanism, auth_data):  # noqa: ARG002
        ok = auth_data.login == b"shop" and auth_data.password == (self.password or "").encode()
        return AuthResult(success=ok, handled=False)

    def start(self) -> SmtpServer:
        extra = {}
        if self.password is not None:
            extra = {"authenticator": self._auth, "auth_require_tls": False, "auth_required": True}
        self.controller = Controller(
            self.recorder, hostname="127.0.0.1", port=self.port, ready_timeout=10, **extra
        )
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server():
    server = SmtpServer().start()
    yield server
    server.stop()


def configure(database, actor, port: int, user: str = "", timeout: float = 5.0) -> None:
    with database.write() as s:
        smtp_settings.save_smtp_settings(
            s,
            actor,
            SmtpSettings(
                host="127.0.0.1",
                port=port,
                security="plain",
                user=user,
                from_address=FROM,
                reply_to=REPLY_TO,
                timeout=timeout,
            ),
        )


@pytest.fixture
def mail_shop(database, admin, smtp_server):
    configure(database, admin, smtp_server.port)
    return smtp_server


@dataclass
class ShopFloor:
    products: tuple[int, int]
    customer: int
    carrier: int
    warehouse_id: int


@pytest.fixture
def floor(database, admin) -> ShopFloor:
    first = factories.product(database, admin, name="Blue enamel mug")
    second = factories.product(database, admin, name="Linen <apron>")
    customer = factories.customer(database, admin, "Ines Moreau")
    with database.write() as s:
        bin_a = factories.bin_beside_main(s, "ML-A-01", 1)
        inventory.receive(s, admin, first, bin_a, 500)
        inventory.receive(s, admin, second, bin_a, 500)
        carrier = shipping.add_carrier(
            s,
            admin,
            CarrierInput(
                "MLP",
                "Mail Post",
                tracking_template="MP{n:08d}",
                tracking_url="https://track.example/{tracking}",
            ),
        )
        warehouse_id = s.get(Location, bin_a).warehouse_id
    return ShopFloor((first, second), customer, carrier, warehouse_id)


def new_order(database, admin, floor: ShopFloor, customer: int | None = None) -> int:
    with database.write() as s:
        lines = (LineInput(floor.products[0], 2), LineInput(floor.products[1], 1))
        ref = order_entry.create_order(
            s, admin, OrderInput("phone", lines, customer_id=customer or floor.customer)
        )
        order_actions.set_warehouse(s, admin, ref.id, floor.warehouse_id)
    return ref.id


def _code(s, product_id):
    return s.scalar(select(Barcode.code).where(Barcode.product_id == product_id))


def ship(database, admin, floor: ShopFloor, order_id: int) -> None:
    """Accept, pick, pack and ship the whole order."""
    pack(database, admin, order_id)
    with database.write() as s:
        shipping.ship(s, admin, order_id, floor.carrier)


def pack(database, admin, order_id: int) -> None:
    """Accept, pick and pack the whole order, ready to ship."""
    with database.write() as s:
        order_actions.accept(s, admin, order_id)
        order_actions.confirm(s, admin, order_id)
        wave = waves.create_wave(s, admin, [order_id])
    with database.write() as s:
        for ln in picking.lines(s, wave.id):
            for _ in range(ln.quantity):
                picking.pick_item(s, admin, ln.id, _code(s, ln.product_id), ln.bin_code)
    with database.write() as s:
        for line in packing.state(s, order_id).lines:
            for _ in range(line.at_bench):
                packing.pack_item(s, admin, order_id, _code(s, line.product_id))
        for package in packing.state(s, order_id).packages:
            packing.set_weight(s, admin, package.id, 500)
        packing.finish(s, admin, order_id)


def outbox_rows(database, order_id: int | None = None) -> list[OutboxMessage]:
    with database.read() as s:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if order_id is not None:
            query = query.where(OutboxMessage.order_id == order_id)
        return list(s.scalars(query))


def email_events(database, order_id: int) -> list[str]:
    with database.read() as s:
        return list(
            s.scalars(
                select(OrderEvent.message)
                .where(OrderEvent.order_id == order_id, OrderEvent.kind == "email")
                .order_by(OrderEvent.id)
            )
        )


def order_number(database, order_id: int) -> str:
    with database.read() as s:
        return s.get(SalesOrder, order_id).number


@pytest.fixture
def admin_pg(pg_database):
    from app.core import auth
    from app.core.bootstrap import ensure_base_data
    from tests.conftest import _empty_pg

    _empty_pg(pg_database)
    with pg_database.write() as s:
        ensure_base_data(s)
        actor = auth.create_user(s, None, "admin", "admin-pass", auth.Role.ADMIN, "Ada Admin")
    return auth.Actor(actor.user_id, actor.username, actor.display_name, actor.role, "ws")


@pytest.fixture
def mail_pg(pg_database, admin_pg, smtp_server):
    configure(pg_database, admin_pg, smtp_server.port)
    return smtp_server
