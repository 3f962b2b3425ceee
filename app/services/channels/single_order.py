"""One order from the push API or a webhook, judged and written in a handful of
statements: the same verdicts, rows, timeline, e-mail and audit lines as
order_import.import_parsed gives a body of one order, without its batch machinery.

import_parsed is built for files of thousands: it reads the products three times, the
customers and the known orders per batch through the ORM and takes ids ahead, about 25
statements and 17 ms of CPU for one order. Here: the products of the order and the
shipping item in one query (`products`, which the API's field checks share), the
customer by e-mail in one, the order number in one, then on PostgreSQL the order
inserted with ON CONFLICT DO NOTHING on the unique (source, external id) index, so the
index itself is the duplicate check (a known order costs one more read, for its number
and fingerprint, and leaves a gap in the order numbers' sequence, as a rolled-back sale
does); lines, timeline and outbox row in one executemany each. A new customer is made
in the same transaction after a read of (source, external id): a concurrent call making
the same order then fails on the index and the caller's retry finds it
(calls.once_more_on_a_race). On SQLite (one writer at a time, statements in-process and
cheap) that read comes first always, so a repeated order takes no number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import bindparam, func, insert, or_, select
from sqlalchemy.orm import Session

from app.core import changes, session_cache
from app.core.auth import Actor, Permission, require
from app.core.errors import KestrelError
from app.core.numbering import next_order_number
from app.core.settings import get_setting
from app.models import (
    Channel,
    OrderLine,
    OrderSource,
    Party,
    PartyToken,
    Product,
    SalesOrder,
    utcnow,
)
from app.services.channels import bulk_writer
from app.services.channels.external import CANCELLED, REFUNDED, ExternalOrder
from app.services.channels.order_import import (
    CHANGED,
    DUPLICATE,
    NEW,
    REFUSED,
    SKIPPED,
    OrderImport,
    Verdict,
    fingerprint,
    problems,
    record_import,
)
from app.services.notify import outbox
from app.services.sales.customers import party_tokens
from app.services.sales.entry import SHIPPING_SKU, shipping_product
from app.services.sales.orders import insert_new_order, insert_timeline

_P = Product.__table__.c
_PRODUCTS = select(_P.id, _P.sku, _P.name, _P.price, _P.tax_rate_bp, _P.active).where(
    or_(func.lower(_P.sku).in_(bindparam("skus", expanding=True)), _P.sku == SHIPPING_SKU)
)
_PARTIES = Party.__table__
_CUSTOMER = (
    select(_PARTIES)
    .where(
        func.lower(_PARTIES.c.email) == bindparam("email"),
        _PARTIES.c.is_customer.is_(True),
        _PARTIES.c.merged_into_id.is_(None),
    )
    .order_by(_PARTIES.c.id)
    .limit(1)
)
_KNOWN = select(
    SalesOrder.id,
    SalesOrder.number,
    SalesOrder.status,
    SalesOrder.tracking_token,
    SalesOrder.source_fingerprint,
).where(
    SalesOrder.source_id == bindparam("source_id"),
    SalesOrder.external_id == bindparam("external_id"),
)
_INSERT_PARTY = insert(_PARTIES).returning(_PARTIES.c.id)
_INSERT_ADDRESS = bulk_writer.ADDRESSES
_INSERT_TOKENS = insert(PartyToken.__table__)
_INSERT_LINES = insert(OrderLine.__table__)


@dataclass(frozen=True)
class Taken:
    """The import of one order, and what the API answers about it."""

    result: OrderImport
    order_id: int | None = None
    status: str = ""
    tracking_token: str = ""

    @property
    def verdict(self) -> Verdict:
        return self.result.verdicts[0]


def products(session: Session, skus: set[str]) -> dict[str, Product]:
    """The products of these (lower-case) SKUs and the shipping item, by lower-case SKU,
    in one query: plain rows with the columns pricing and judging read."""
    rows = session.execute(_PRODUCTS, {"skus": sorted(skus)})
    found = {str(row.sku).lower(): cast(Product, row) for row in rows}
    if SHIPPING_SKU.lower() not in found:  # made on first use, as shipping_product does
        found[SHIPPING_SKU.lower()] = shipping_product(session)
    return found


def _customer(session: Session, email: str) -> bulk_writer.Customer | None:
    if not email:
        return None
    row = session.execute(_CUSTOMER, {"email": email.lower()}).mappings().first()
    if row is None:
        return None
    party = cast(Party, SimpleNamespace(**row))  # held for the e-mail's opt-out and language
    session_cache.keep(session, party, Party)
    return bulk_writer.Customer(party.id, party.name, party.email, party.phone, party=party)


def _known(session: Session, source: OrderSource, order: ExternalOrder) -> Any:
    return session.execute(
        _KNOWN, {"source_id": source.id, "external_id": order.external_id}
    ).first()


def _known_verdict(verdict: Verdict, known: Any, order: ExternalOrder) -> None:
    """judge's verdict on an order imported before."""
    verdict.number = known.number
    verdict.reasons = []
    if known.source_fingerprint == fingerprint(order):
        verdict.outcome = DUPLICATE
    else:
        verdict.outcome = CHANGED
        verdict.reasons.append(
            f"imported before as {known.number}; the source changed it since: "
            f"check it by hand (Kestrel did not change {known.number})"
        )


def take(
    session: Session,
    actor: Actor,
    source: OrderSource,
    fmt: str,
    order: ExternalOrder,
    found: dict[str, Product] | None = None,
) -> Taken:
    """import_parsed for one order (all or nothing): the verdict, and the order written
    when it is new. `found` are the order's products from `products`, if read already."""
    require(actor, Permission.DATA_IMPORT)
    currency = str(get_setting(session, "currency"))
    if found is None:
        found = products(session, {x.sku.lower() for x in order.lines if x.sku})
    result = OrderImport(source.name, fmt, [Verdict(order.external_id, order.number, [], NEW)])
    verdict = result.verdicts[0]
    verdict.rows = list(order.rows)
    emails: dict[str, str] = {}
    if order.state in (CANCELLED, REFUNDED):
        verdict.outcome = SKIPPED
        verdict.reasons.append(f"{order.state} at the source before it was imported")
    elif reasons := problems(order, found, currency, emails):
        verdict.outcome, verdict.reasons = REFUSED, reasons
    planned: bulk_writer.Planned | None = None
    if verdict.outcome == NEW:
        try:
            planned = _plan(session, source, order, found, currency, emails)
        except KestrelError as exc:
            verdict.outcome, verdict.reasons = REFUSED, [str(exc)]
    taken = Taken(result)
    if planned is None:  # a known order is a duplicate whatever else is wrong with it
        if (known := _known(session, source, order)) is not None:
            _known_verdict(verdict, known, order)
            taken = Taken(result, known.id, known.status, known.tracking_token or "")
        elif verdict.outcome == REFUSED:
            return taken
    else:
        taken = _write(session, actor, source, planned, result)
    result.written = True
    record_import(session, actor, source.name, result, fmt)
    return taken


def _plan(
    session: Session,
    source: OrderSource,
    order: ExternalOrder,
    found: dict[str, Product],
    currency: str,
    emails: dict[str, str],
) -> bulk_writer.Planned:
    shipping = found[SHIPPING_SKU.lower()]
    shop = bulk_writer.Shop(
        channel=Channel(source.channel).value,
        currency=currency,
        inclusive=bool(get_setting(session, "prices_include_tax")),
        shipping=shipping,
        products=found,
        by_id={p.id: p for p in found.values()},
        emails=emails,
    )
    customers = bulk_writer.Customers(session)
    customers.by_email[order.email.lower()] = _customer(session, order.email)
    return bulk_writer.plan_one(shop, customers, source, order, fingerprint(order))


def _write(
    session: Session,
    actor: Actor,
    source: OrderSource,
    planned: bulk_writer.Planned,
    result: OrderImport,
) -> Taken:
    require(actor, Permission.ORDERS_CREATE)
    verdict = result.verdicts[0]
    now = utcnow()
    customer = planned.customer
    # a known customer on PostgreSQL: the unique index decides (see the module's docstring)
    once = customer.id is not None and session.get_bind().dialect.name == "postgresql"
    if not once:
        if (known := _known(session, source, planned.order)) is not None:
            _known_verdict(verdict, known, planned.order)
            return Taken(result, known.id, known.status, known.tracking_token or "")
        if customer.id is None:
            _write_customer(session, customer)
    row = {
        **planned.values,
        "number": next_order_number(session),
        "customer_id": customer.id,
        "created_at": planned.values["created_at"] or now,
        "updated_at": now,
        "created_by_id": actor.user_id,
    }
    order_id = insert_new_order(session, row, once=once)
    if order_id is None:
        known = _known(session, source, planned.order)
        _known_verdict(verdict, known, planned.order)
        return Taken(result, known.id, known.status, known.tracking_token or "")
    session.execute(_INSERT_LINES, [{**line, "order_id": order_id} for line in planned.lines])
    _timeline(session, actor, source, planned, row, order_id, now)
    changes.note(session, orders=[order_id], kind="orders")
    changes.note(session, kind=changes.ORDER_CREATED)
    verdict.number = str(row["number"])
    return Taken(result, order_id, str(row["status"]), str(row["tracking_token"]))


def _timeline(
    session: Session,
    actor: Actor,
    source: OrderSource,
    planned: bulk_writer.Planned,
    row: dict[str, Any],
    order_id: int,
    now: datetime,
) -> None:
    with outbox.held(session):
        events = bulk_writer.timeline(session, actor, source, planned, row, order_id, now)
    insert_timeline(session, events)


def _write_customer(session: Session, customer: bulk_writer.Customer) -> None:
    """bulk_writer's new customer, alone: the party, its address and its search words."""
    fields = customer.fields or {}
    party_id = int(session.execute(_INSERT_PARTY, fields).scalar_one())
    customer.id = party_id
    party = cast(Party, SimpleNamespace(id=party_id, **fields))
    customer.party = session_cache.keep(session, party, Party)
    session.execute(_INSERT_ADDRESS, {**(customer.address or {}), "party_id": party_id})
    words = sorted(party_tokens(customer.name, customer.email, customer.phone))
    if words:
        session.execute(_INSERT_TOKENS, [{"token": w, "party_id": party_id} for w in words])
    changes.note(session, kind="customers")
