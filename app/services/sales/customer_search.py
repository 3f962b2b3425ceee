"""Finding a customer: by words of the name, e-mail or phone, or "where is my order" by an
order number or a parcel's tracking number.

Each way is one indexed look-up, so a search costs the same on a million orders as on ten:
an order number is the unique index on sales_orders.number, a tracking number the index
ix_packages_tracking_number, and words the (token, party_id) primary key of party_tokens
(prefix range scans, services/stock/search.py). A list without search text walks the
parties' primary key backwards (the newest first). The counter's walk-in customer and
archived (merged) records are never listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.validation import clean_text
from app.models import Address, Package, Party, PartyToken, SalesOrder
from app.services.stock.scanning import parse_scan
from app.services.stock.search import matching_ids

PAGE = 50
MAX_PAGE = 500


@dataclass(frozen=True)
class CustomerHit:
    id: int
    name: str
    email: str
    phone: str
    city: str
    is_company: bool
    matched: str  # how it was found: "" for words, else "order SO-000042" / "parcel KS1..."


def find_customers(
    session: Session, actor: Actor, text: str, offset: int = 0, limit: int = PAGE
) -> list[CustomerHit]:
    """One page of customers matching `text`, an order number's or a parcel's customer
    first (alone: the clerk asked about that order)."""
    require(actor, Permission.ORDERS_VIEW)
    text = clean_text(text, "Search", max_length=200)
    offset, limit = max(0, int(offset)), min(max(1, int(limit)), MAX_PAGE)
    if not text:
        page = {"offset": offset, "limit": limit}
        ids = list(session.connection().scalars(_NEWEST, page))
        return sorted(_hits(session, ids, ""), key=lambda h: -h.id)
    by_order = _by_order(session, text)
    if by_order is not None:
        return _hits(session, [by_order[0]], by_order[1]) if offset == 0 else []
    ids = matching_ids(session, PartyToken.token, PartyToken.party_id, text, offset, limit)
    return sorted(_hits(session, ids, ""), key=lambda h: (h.name.casefold(), h.id))


def _by_order(session: Session, text: str) -> tuple[int, str] | None:
    """(customer id, how) when `text` is an order number or a tracking number."""
    scan = parse_scan(text)
    if scan.kind == "order":
        found = session.execute(
            select(SalesOrder.customer_id, SalesOrder.number).where(
                SalesOrder.number == scan.order_number
            )
        ).first()
        if found is not None:
            return found[0], f"order {found[1]}"
    code = "".join(text.split())
    if len(code) < 6 or len(code) > 60:
        return None
    for form in dict.fromkeys((code, code.upper())):
        found = session.execute(
            select(SalesOrder.customer_id, SalesOrder.number)
            .join(Package, Package.order_id == SalesOrder.id)
            .where(Package.tracking_number == form)
            .limit(1)
        ).first()
        if found is not None:
            return found[0], f"parcel {form} of {found[1]}"
    return None


# Built once (issue 20): a list page runs these, it does not build them.
_LISTED = (
    Party.is_customer.is_(True),
    Party.archived.is_(False),
    Party.is_walk_in.is_(False),  # the counter's anonymous buyer is nobody to look up
)
_NEWEST = (
    select(Party.id)
    .where(*_LISTED)
    .order_by(Party.id.desc())
    .offset(bindparam("offset"))
    .limit(bindparam("limit"))
)
_HITS = select(Party.id, Party.name, Party.email, Party.phone, Party.is_company).where(
    Party.id.in_(bindparam("ids", expanding=True)), *_LISTED
)
_CITIES = (
    select(Address.party_id, Address.city, Address.is_default)
    .where(Address.party_id.in_(bindparam("ids", expanding=True)))
    .order_by(Address.is_default, Address.id.desc())
)


def _hits(session: Session, ids: list[int], matched: str) -> list[CustomerHit]:
    if not ids:
        return []
    connection = session.connection()
    rows = connection.execute(_HITS, {"ids": ids}).all()
    cities: dict[int, str] = {}
    for party_id, city, _default in connection.execute(_CITIES, {"ids": ids}):
        cities[party_id] = city  # the default (sorted last) wins
    return [
        CustomerHit(r.id, r.name, r.email, r.phone, cities.get(r.id, ""), r.is_company, matched)
        for r in rows
    ]
