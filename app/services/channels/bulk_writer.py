"""A file's new orders written in batches, the same rows as order_writer.write_order.

write_order makes one order through the ORM (flushes, the customer made and indexed one
by one, two timeline entries): about 7 ms an order, 72 s for 10,000 web orders. Here
every new order of the file is first worked out and checked (`plan`: its lines priced by
order_entry.line_values, its customer found by e-mail, one query per batch, or planned
with the order's ship-to), so an order Kestrel cannot store is refused with its rows
before anything is written; then `write` inserts each batch with prebuilt Core
statements (executemany): customers, addresses, search words, orders, lines, and the
timeline from orders.timeline_rows, the writer record_event uses (audit lines and the
customer's e-mail included). The batch is checked against (source, external id) in one
query first: an order another import or webhook wrote meanwhile is a duplicate, never a
second order. New orders reserve no stock (that happens when they are accepted).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import func, insert, inspect, select
from sqlalchemy.orm import Session

from app.core import changes, session_cache
from app.core.auth import Actor, Permission, require
from app.core.bulk_insert import insert_with_ids
from app.core.errors import KestrelError, ValidationError
from app.core.i18n import _
from app.core.numbering import next_order_numbers
from app.core.sentence import said
from app.core.settings import get_setting
from app.core.validation import check_money, clean_text
from app.models import (
    Address,
    Channel,
    OrderLine,
    OrderSource,
    OrderStatus,
    Party,
    PartyToken,
    Product,
    SalesOrder,
    utcnow,
)
from app.services.channels.external import ExternalOrder
from app.services.channels.order_writer import (
    customer_input,
    imported_message,
    order_note,
    priced_lines,
    ship_address,
)
from app.services.notify import outbox
from app.services.sales.customers import check_email, clean_address, clean_fields, party_tokens
from app.services.sales.entry import shipping_product
from app.services.sales.order_entry import MAX_LINES, line_values
from app.services.sales.orders import insert_new_orders, insert_timeline, timeline_rows

BATCH = 500
ADDRESSES = insert(Address.__table__)
_TOKENS = insert(PartyToken.__table__)
_LINES = insert(OrderLine.__table__)
_BLANK = {c.key: None for c in inspect(SalesOrder).columns}  # what the copy lacks reads None


@dataclass(eq=False)
class Customer:
    """An order's customer: one already in Kestrel (`party`), or one this import makes
    (`fields`, `address`; its id once written). Orders sharing an e-mail share one."""

    id: int | None
    name: str
    email: str
    phone: str
    fields: dict[str, Any] | None = None
    address: dict[str, object] | None = None
    party: Party | None = None


@dataclass(eq=False)
class Planned:
    """One order, checked and worked out, ready to insert."""

    order: ExternalOrder
    customer: Customer
    values: dict[str, Any]  # sales_orders columns but id, number and customer_id
    lines: list[dict[str, Any]]  # order_lines columns but order_id


@dataclass(frozen=True)
class Shop:
    channel: str
    currency: str
    inclusive: bool
    shipping: Product
    products: dict[str, Product]  # by lower-case SKU
    by_id: dict[int, Product]
    emails: dict[str, str]  # checked addresses, as written -> normalized

    def email(self, written: str) -> str:
        """check_email's answer, from the judge's when it has one."""
        found = self.emails.get(written)
        return check_email(written) if found is None else found


class Customers:
    """Customers by lower-case e-mail: found in Kestrel (one query per batch of e-mails)
    or made earlier in this import, as write_order would find them one by one."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_email: dict[str, Customer | None] = {}

    def load(self, emails: Sequence[str]) -> None:
        wanted = sorted({e.lower() for e in emails if e} - self.by_email.keys())
        if not wanted:
            return
        found = self.session.scalars(
            select(Party)
            .where(
                func.lower(Party.email).in_(wanted),
                Party.is_customer.is_(True),
                Party.merged_into_id.is_(None),
            )
            .order_by(Party.id)
        )
        for party in found:  # the lowest id of an e-mail, as write_order's LIMIT 1
            key = party.email.lower()
            if self.by_email.get(key) is None:
                kept = session_cache.keep(self.session, party)
                self.by_email[key] = Customer(
                    party.id, party.name, party.email, party.phone, party=kept
                )
        for key in wanted:
            self.by_email.setdefault(key, None)

    def find(self, email: str) -> Customer | None:
        return self.by_email.get(email.lower()) if email else None

    def made(self, customer: Customer) -> None:
        key = customer.email.lower()
        if key and self.by_email.get(key) is None:  # the first order of an e-mail makes it
            self.by_email[key] = customer


def _shop(
    session: Session, source: OrderSource, products: dict[str, Product], emails: dict[str, str]
) -> Shop:
    shipping = shipping_product(session)
    by_id = {p.id: p for p in products.values()} | {shipping.id: shipping}
    return Shop(
        channel=Channel(source.channel).value,
        currency=str(get_setting(session, "currency")),
        inclusive=bool(get_setting(session, "prices_include_tax")),
        shipping=shipping,
        products=products,
        by_id=by_id,
        emails=emails,
    )


def plan(
    session: Session,
    source: OrderSource,
    orders: Sequence[tuple[ExternalOrder, str]],
    products: dict[str, Product],
    emails: dict[str, str] | None = None,
) -> list[Planned | str]:
    """Each (order, fingerprint) worked out for `write`, or why Kestrel cannot store it
    (a value over its column's limit, a total too large): nothing is written here.
    `emails` (as written -> normalized) are the addresses the judge checked already:
    email-validator costs more than the rest of an order's plan, so once is enough."""
    shop = _shop(session, source, products, {} if emails is None else emails)
    customers = Customers(session)
    planned: list[Planned | str] = []
    for start in range(0, len(orders), BATCH):
        chunk = orders[start : start + BATCH]
        customers.load([order.email for order, _printed in chunk])
        for order, printed in chunk:
            try:
                one = plan_one(shop, customers, source, order, printed)
            except KestrelError as exc:
                planned.append(str(exc))
                continue
            customers.made(one.customer)
            planned.append(one)
    return planned


def _new_customer(shop: Shop, order: ExternalOrder) -> tuple[Customer, dict[str, str]]:
    """The customer the order makes, and its address cleaned: customer_input's address
    is ship_address(order), so it is the order's ship-to as well (cleaned once)."""
    data = customer_input(order)
    email = shop.email(data.email)  # what clean_fields would check again
    fields = {**clean_fields(replace(data, email="")), "email": email}
    fields |= {"is_customer": True, "is_supplier": False}
    fields["company_id"] = None
    assert data.address is not None
    ship = clean_address(data.address)
    address: dict[str, object] = {**ship, "is_default": True}
    customer = Customer(
        None, str(fields["name"]), str(fields["email"]), str(fields["phone"]), fields, address
    )
    return customer, ship


def plan_one(
    shop: Shop, customers: Customers, source: OrderSource, order: ExternalOrder, printed: str
) -> Planned:
    customer = customers.find(order.email)
    ship: dict[str, str] | None = None
    if customer is None:
        customer, ship = _new_customer(shop, order)
    inputs = priced_lines(order, shop.products, shop.inclusive, shop.shipping)
    if not inputs:
        raise ValidationError(_("An order needs at least one line."), "lines")
    if len(inputs) > MAX_LINES:
        raise ValidationError(
            _("An order holds at most {max_lines} lines.").format(max_lines=MAX_LINES), "lines"
        )
    lines = [
        line_values(number, shop.by_id[line.product_id], line, shop.inclusive)
        for number, line in enumerate(inputs, start=1)
    ]
    total = sum(ln["total"] for ln in lines)
    check_money(total, "The order's total")
    if ship is None:  # a known customer's order: its ship-to is checked here
        ship = clean_address(ship_address(order))
    values: dict[str, Any] = {
        "channel": shop.channel,
        "status": OrderStatus.NEW.value,
        "customer_name": customer.name,
        "email": shop.email(order.email or customer.email),
        "phone": clean_text(order.phone[:40] or customer.phone, "Phone", max_length=40),
        "note": clean_text(order_note(order)[:5000], "Note", max_length=5000),
        "external_ref": clean_text(order.number[:100], "External reference", max_length=100),
        "currency": shop.currency,
        "tracking_token": secrets.token_urlsafe(32),  # as create_order: the /track/TOKEN
        "ship_name": ship["name"] or customer.name,
        **{f"ship_{k}": ship[k] for k in ("line1", "line2", "city", "postcode", "region")},
        "ship_country": ship["country"],
        "subtotal": sum(ln["net"] for ln in lines),
        "tax_total": sum(ln["tax"] for ln in lines),
        "total": total,
        "source_id": source.id,
        "external_id": order.external_id,
        "source_fingerprint": printed,
        "created_at": order.created_at,
    }
    return Planned(order, customer, values, lines)


def write(
    session: Session, actor: Actor, source: OrderSource, planned: Sequence[Planned]
) -> list[tuple[str, bool]]:
    """The planned orders, batch by batch: (Kestrel's number, True) for each order written,
    (the number it already has, False) for one that is in Kestrel by now (written
    meanwhile by another import or a webhook, or twice in this file)."""
    require(actor, Permission.ORDERS_CREATE)
    done: dict[str, str] = {}
    answers: list[tuple[str, bool]] = []
    for start in range(0, len(planned), BATCH):
        answers.extend(_write_batch(session, actor, source, planned[start : start + BATCH], done))
    return answers


def _already(session: Session, source: OrderSource, ids: list[str]) -> dict[str, str]:
    rows = session.execute(
        select(SalesOrder.external_id, SalesOrder.number).where(
            SalesOrder.source_id == source.id, SalesOrder.external_id.in_(ids)
        )
    )
    return {str(external_id): number for external_id, number in rows}


def _write_batch(
    session: Session,
    actor: Actor,
    source: OrderSource,
    batch: Sequence[Planned],
    done: dict[str, str],
) -> list[tuple[str, bool]]:
    done.update(_already(session, source, [p.order.external_id for p in batch]))
    fresh: list[Planned] = []
    for one in batch:
        if one.order.external_id not in done:
            done[one.order.external_id] = ""  # taken: a repeat later in the file is a duplicate
            fresh.append(one)
    _write_customers(session, [p.customer for p in fresh])
    numbers = next_order_numbers(session, len(fresh))
    now = utcnow()
    rows = [
        {
            **p.values,
            "number": number,
            "customer_id": p.customer.id,
            "created_at": p.values["created_at"] or now,
            "updated_at": now,
            "created_by_id": actor.user_id,
        }
        for p, number in zip(fresh, numbers, strict=True)
    ]
    ids = insert_new_orders(session, rows)
    for p, number in zip(fresh, numbers, strict=True):
        done[p.order.external_id] = number
    lines = [
        {**line, "order_id": order_id}
        for p, order_id in zip(fresh, ids, strict=True)
        for line in p.lines
    ]
    if lines:
        session.execute(_LINES, lines)
    events: list[dict[str, object]] = []
    with outbox.held(session):
        for p, row, order_id in zip(fresh, rows, ids, strict=True):
            events.extend(timeline(session, actor, source, p, row, order_id, now))
    insert_timeline(session, events)
    if ids:
        changes.note(session, orders=ids, kind="orders")
        changes.note(session, kind=changes.ORDER_CREATED)
    taken = {id(p) for p in fresh}
    return [(done[p.order.external_id], id(p) in taken) for p in batch]


def _write_customers(session: Session, customers: list[Customer]) -> None:
    """The customers this batch is the first to need, with their addresses and words."""
    new = list({id(c): c for c in customers if c.id is None}.values())
    if not new:
        return
    fields = [c.fields or {} for c in new]
    for customer, party_id in zip(
        new, insert_with_ids(session, Party.__table__, fields), strict=True
    ):
        customer.id = party_id
        # the e-mail reads its opt-outs: a plain copy, as the order's (see timeline)
        party = cast(Party, SimpleNamespace(id=party_id, **(customer.fields or {})))
        customer.party = session_cache.keep(session, party, Party)
    session.execute(ADDRESSES, [{**(c.address or {}), "party_id": c.id} for c in new])
    words = [
        {"token": word, "party_id": c.id}
        for c in new
        for word in sorted(party_tokens(c.name, c.email, c.phone))
    ]
    if words:
        session.execute(_TOKENS, words)
    changes.note(session, kind="customers")


def timeline(
    session: Session,
    actor: Actor,
    source: OrderSource,
    planned: Planned,
    row: dict[str, Any],
    order_id: int,
    now: datetime,
) -> list[dict[str, object]]:
    """The order's "created" and "imported" entries with what they cause (audit lines,
    the customer's e-mail), from a plain copy of the row: the timeline writer only reads
    attributes, and 14,000 ORM instances for 2,000 orders cost more than their inserts.
    The e-mail is written as create_order's would be, dated now (write_order dates the
    order after it)."""
    copy = SimpleNamespace(**{**_BLANK, **row, "id": order_id, "created_at": now, "version": 1})
    copy.lines = [SimpleNamespace(**line, shipped=0) for line in planned.lines]
    order = cast(SalesOrder, copy)
    created = said("Order created ({channel})", channel=order.channel)
    entries = timeline_rows(session, order, actor, "created", created, "", OrderStatus.NEW.value)
    message = imported_message(source, planned.order)
    entries += timeline_rows(session, order, actor, "imported", message, "", "")
    return entries
