"""One customer as the Customers screen shows it: fields and flags, addresses, contacts
(or the company of a contact), store credit, gift cards, open orders and returns, and the
order history a page at a time (ix_sales_orders_customer_id_id: newest first, never the
whole history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound
from app.core.i18n import _
from app.models import (
    Address,
    GiftCard,
    OrderStatus,
    Party,
    ReturnOrder,
    SalesOrder,
)
from app.services.sales.accounts import owed_on_account
from app.services.sales.store_credit import credit_balance

S = OrderStatus
OPEN_STATUSES = (
    S.NEW,
    S.ACCEPTED,
    S.CONFIRMED,
    S.PICKING,
    S.PACKED,
    S.ON_HOLD,
    S.PARTLY_SHIPPED,
)
LISTED = 50  # open orders, returns and cards shown at most (the history pages on)


@dataclass(frozen=True)
class AddressRow:
    id: int
    kind: str
    name: str
    line1: str
    line2: str
    city: str
    postcode: str
    region: str
    country: str
    is_default: bool

    def one_line(self) -> str:
        parts = (self.name, self.line1, self.line2, self.postcode, self.city, self.country)
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class ContactRow:
    id: int
    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class HistoryRow:
    id: int
    number: str
    created_at: datetime
    channel: str
    status: str
    total: int
    currency: str


@dataclass(frozen=True)
class ReturnRow:
    id: int
    number: str
    order_number: str
    status: str
    refunded: int
    created_at: datetime


@dataclass(frozen=True)
class CardRow:
    code: str
    balance: int
    active: bool
    order_number: str


@dataclass(frozen=True)
class CustomerDetail:
    id: int
    name: str
    email: str
    phone: str
    note: str
    tax_id: str
    is_company: bool
    is_customer: bool
    is_supplier: bool
    marketing_opt_out: bool
    email_opt_out: bool
    archived: bool
    merged_into_id: int | None
    company: ContactRow | None
    contacts: tuple[ContactRow, ...]
    addresses: tuple[AddressRow, ...]
    store_credit: int
    gift_cards: tuple[CardRow, ...]
    open_orders: tuple[HistoryRow, ...]
    returns: tuple[ReturnRow, ...]
    order_count: int
    credit_limit: int | None = None  # None: no account
    owed_on_account: int = 0


def get_customer(session: Session, actor: Actor, party_id: int) -> CustomerDetail:
    require(actor, Permission.ORDERS_VIEW)
    party = session.get(Party, party_id)
    if party is None:
        raise NotFound(_("Customer {party_id} does not exist.").format(party_id=party_id))
    company = session.get(Party, party.company_id) if party.company_id else None
    return CustomerDetail(
        id=party.id,
        name=party.name,
        email=party.email,
        phone=party.phone,
        note=party.note,
        tax_id=party.tax_id,
        is_company=party.is_company,
        is_customer=party.is_customer,
        is_supplier=party.is_supplier,
        marketing_opt_out=party.marketing_opt_out,
        email_opt_out=party.email_opt_out,
        archived=party.archived,
        merged_into_id=party.merged_into_id,
        company=ContactRow(company.id, company.name, company.email, company.phone)
        if company
        else None,
        contacts=tuple(contacts(session, party.id)),
        addresses=tuple(addresses(session, party.id)),
        store_credit=credit_balance(session, party.id),
        gift_cards=tuple(_cards(session, party.id)),
        open_orders=tuple(_orders(session, party.id, 0, LISTED, open_only=True)),
        returns=tuple(_returns(session, party.id)),
        order_count=int(
            session.scalar(
                select(func.count())
                .select_from(SalesOrder)
                .where(SalesOrder.customer_id == party.id)
            )
            or 0
        ),
        credit_limit=party.credit_limit,
        owed_on_account=owed_on_account(session, party.id),
    )


def order_history(
    session: Session, actor: Actor, party_id: int, offset: int = 0, limit: int = LISTED
) -> list[HistoryRow]:
    """A page of the customer's orders, newest first, with their status."""
    require(actor, Permission.ORDERS_VIEW)
    return _orders(session, party_id, max(0, offset), min(max(1, limit), 500), open_only=False)


def addresses(session: Session, party_id: int) -> list[AddressRow]:
    rows = session.scalars(
        select(Address).where(Address.party_id == party_id).order_by(Address.kind, Address.id)
    )
    return [
        AddressRow(
            a.id,
            a.kind,
            a.name,
            a.line1,
            a.line2,
            a.city,
            a.postcode,
            a.region,
            a.country,
            a.is_default,
        )
        for a in rows
    ]


def contacts(session: Session, company_id: int) -> list[ContactRow]:
    rows = session.execute(
        select(Party.id, Party.name, Party.email, Party.phone)
        .where(Party.company_id == company_id, Party.archived.is_(False))
        .order_by(Party.name, Party.id)
    )
    return [ContactRow(*row) for row in rows]


def _orders(
    session: Session, party_id: int, offset: int, limit: int, *, open_only: bool
) -> list[HistoryRow]:
    stmt = select(
        SalesOrder.id,
        SalesOrder.number,
        SalesOrder.created_at,
        SalesOrder.channel,
        SalesOrder.status,
        SalesOrder.total,
        SalesOrder.currency,
    ).where(SalesOrder.customer_id == party_id)
    if open_only:
        stmt = stmt.where(SalesOrder.status.in_([s.value for s in OPEN_STATUSES]))
    rows = session.execute(stmt.order_by(SalesOrder.id.desc()).offset(offset).limit(limit))
    return [HistoryRow(*row) for row in rows]


def _returns(session: Session, party_id: int) -> list[ReturnRow]:
    rows = session.execute(
        select(
            ReturnOrder.id,
            ReturnOrder.number,
            SalesOrder.number,
            ReturnOrder.status,
            ReturnOrder.refunded,
            ReturnOrder.created_at,
        )
        .join(SalesOrder, SalesOrder.id == ReturnOrder.order_id)
        .where(SalesOrder.customer_id == party_id)
        .order_by(ReturnOrder.id.desc())
        .limit(LISTED)
    )
    return [ReturnRow(*row) for row in rows]


def _cards(session: Session, party_id: int) -> list[CardRow]:
    """Gift cards bought on the customer's orders (a card is bearer value: it belongs to
    whoever holds it, so this is what they bought, which a merge carries with the orders)."""
    rows = session.execute(
        select(GiftCard.code, GiftCard.balance, GiftCard.active, SalesOrder.number)
        .join(SalesOrder, SalesOrder.id == GiftCard.order_id)
        .where(SalesOrder.customer_id == party_id)
        .order_by(GiftCard.id.desc())
        .limit(LISTED)
    )
    return [CardRow(*row) for row in rows]
