"""What needs a clerk's eye before a new order is accepted: the acceptance queue's flags.

Flags are worked out for a whole page of orders at once, with one query per kind of
fact (lines, stock per warehouse, catalogue prices, look-alike customers, look-alike
orders), so a page costs the same whether the shop has a hundred orders or a million.
A flag warns; it does not refuse. `order_actions.accept` still refuses what cannot pass.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.core.errors import ValidationError
from app.core.money import format_money
from app.core.settings import get_setting
from app.models import (
    Address,
    Location,
    LocationKind,
    OrderLine,
    OrderStatus,
    Party,
    PartyToken,
    Product,
    SalesOrder,
    StockLevel,
)
from app.services.sales.customers import check_email
from app.services.sales.entry import SHIPPING_SKU
from app.services.sales.order_actions import EMAIL_CHANNELS
from app.services.stock.search import MAX_TOKEN, fold

STOCK_SHORT = "stock_short"
ADDRESS_INCOMPLETE = "address_incomplete"
EMAIL_INVALID = "email_invalid"
PRICE_DIFFERS = "price_differs"
DUPLICATE_CUSTOMER = "duplicate_customer"
DUPLICATE_ORDER = "duplicate_order"
CODES = (
    STOCK_SHORT,
    ADDRESS_INCOMPLETE,
    EMAIL_INVALID,
    PRICE_DIFFERS,
    DUPLICATE_CUSTOMER,
    DUPLICATE_ORDER,
)
DUPLICATE_WINDOW = timedelta(hours=24)
LOOKALIKE_CAP = 20_000  # look-alike rows read per page at most


@dataclass(frozen=True)
class Flag:
    code: str
    message: str


@dataclass(frozen=True)
class _Line:
    product_id: int
    sku: str
    quantity: int
    unit_price: int
    discount: int


def _lines(session: Session, order_ids: Sequence[int]) -> dict[int, list[_Line]]:
    found: dict[int, list[_Line]] = defaultdict(list)
    if not order_ids:
        return found
    rows = session.execute(
        select(
            OrderLine.order_id,
            OrderLine.product_id,
            OrderLine.sku,
            OrderLine.quantity,
            OrderLine.unit_price,
            OrderLine.discount,
        )
        .where(OrderLine.order_id.in_(order_ids))
        .order_by(OrderLine.order_id, OrderLine.line_no)
    )
    for r in rows:
        found[r.order_id].append(_Line(r.product_id, r.sku, r.quantity, r.unit_price, r.discount))
    return found


def _free_stock(session: Session, product_ids: set[int]) -> dict[int, dict[int, int]]:
    """product -> warehouse -> free units, in one aggregate query."""
    free: dict[int, dict[int, int]] = defaultdict(dict)
    if not product_ids:
        return free
    rows = session.execute(
        select(
            StockLevel.product_id,
            Location.warehouse_id,
            func.sum(StockLevel.on_hand - StockLevel.reserved),
        )
        .join(Location, Location.id == StockLevel.location_id)
        .where(
            StockLevel.product_id.in_(product_ids),
            Location.kind == LocationKind.INTERNAL,
            Location.active.is_(True),
        )
        .group_by(StockLevel.product_id, Location.warehouse_id)
    )
    for product_id, warehouse_id, units in rows:
        if warehouse_id is not None:
            free[product_id][warehouse_id] = int(units or 0)
    return free


def _products(session: Session, product_ids: set[int]) -> dict[int, tuple[int, bool]]:
    """product -> (catalogue price, stock tracked)."""
    if not product_ids:
        return {}
    rows = session.execute(
        select(Product.id, Product.price, Product.track_stock).where(Product.id.in_(product_ids))
    )
    return {r.id: (r.price, r.track_stock) for r in rows}


def _stock_flags(
    order: SalesOrder,
    lines: list[_Line],
    products: dict[int, tuple[int, bool]],
    free: dict[int, dict[int, int]],
) -> list[Flag]:
    wanted: Counter[int] = Counter()
    skus: dict[int, str] = {}
    for line in lines:
        if products.get(line.product_id, (0, False))[1]:
            wanted[line.product_id] += line.quantity
            skus[line.product_id] = line.sku
    flags = []
    for product_id, quantity in wanted.items():
        per_warehouse = free.get(product_id, {})
        if order.warehouse_id is not None:
            best = per_warehouse.get(order.warehouse_id, 0)
        else:
            best = max(per_warehouse.values(), default=0)
        if best < quantity:
            flags.append(
                Flag(STOCK_SHORT, f"{skus[product_id]}: {quantity} ordered, {max(best, 0)} free")
            )
    return flags


def _price_flags(
    lines: list[_Line], products: dict[int, tuple[int, bool]], money: Callable[[int], str]
) -> list[Flag]:
    flags = []
    for line in lines:
        if line.sku == SHIPPING_SKU or line.product_id not in products:
            continue
        listed = products[line.product_id][0]
        charged = line.unit_price * line.quantity - line.discount
        if abs(charged - listed * line.quantity) > line.quantity:  # beyond a cent a unit
            flags.append(
                Flag(
                    PRICE_DIFFERS,
                    f"{line.sku}: {money(charged)} for {line.quantity}, "
                    f"the catalogue says {money(listed * line.quantity)}",
                )
            )
    return flags


def _address_flags(order: SalesOrder) -> list[Flag]:
    missing = [
        name
        for name, value in (
            ("street", order.ship_line1),
            ("city", order.ship_city),
            ("postcode", order.ship_postcode),
            ("country", order.ship_country),
        )
        if not value.strip()
    ]
    if not missing:
        return []
    return [Flag(ADDRESS_INCOMPLETE, "the ship-to address has no " + ", ".join(missing))]


def _email_flags(order: SalesOrder) -> list[Flag]:
    if not order.email:
        if order.channel in {c.value for c in EMAIL_CHANNELS}:
            return [Flag(EMAIL_INVALID, "there is no e-mail address")]
        return []
    try:
        check_email(order.email)
    except ValidationError as exc:
        return [Flag(EMAIL_INVALID, exc.message)]
    return []


def _email_token(email: str) -> str | None:
    """The word the customer index keeps an e-mail address under (None: too long for it)."""
    word = fold(email).replace(" ", "")
    return word if len(word) <= MAX_TOKEN else None


def _live() -> tuple[ColumnElement[bool], ...]:
    return (
        Party.is_customer.is_(True),
        Party.merged_into_id.is_(None),
        Party.archived.is_(False),
    )


def _same_email(session: Session, orders: Sequence[SalesOrder]) -> dict[str, set[tuple[int, str]]]:
    """lower(e-mail) -> customers with it, found through the customer word index
    (party_tokens keeps a whole address as one word) instead of a scan of every customer."""
    words = {w for o in orders if o.email and (w := _email_token(o.email))}
    long_emails = {o.email.lower() for o in orders if o.email and not _email_token(o.email)}
    found: dict[str, set[tuple[int, str]]] = defaultdict(set)
    stmt = select(Party.id, Party.name, Party.email)
    queries = []
    if words:
        indexed = stmt.join(PartyToken, PartyToken.party_id == Party.id)
        queries.append(indexed.where(PartyToken.token.in_(words), *_live()))
    if long_emails:  # too long for the index: compared directly (rare)
        queries.append(stmt.where(func.lower(Party.email).in_(long_emails), *_live()))
    for query in queries:
        for pid, name, email in session.execute(query.limit(LOOKALIKE_CAP)):
            if email:
                found[email.lower()].add((pid, name))
    return found


def _same_name_and_postcode(
    session: Session, orders: Sequence[SalesOrder]
) -> dict[tuple[str, str], set[tuple[int, str]]]:
    """(lower(name), postcode) -> customers with both: the page's postcodes through the
    postcode index, the names compared in the same query."""
    pairs = {(o.customer_name.lower(), o.ship_postcode) for o in orders if o.ship_postcode}
    found: dict[tuple[str, str], set[tuple[int, str]]] = defaultdict(set)
    if not pairs:
        return found
    rows = session.execute(
        select(Party.id, Party.name, Address.postcode)
        .join(Address, Address.party_id == Party.id)
        .where(
            Address.postcode.in_({postcode for _name, postcode in pairs}),
            func.lower(Party.name).in_({name for name, _postcode in pairs}),
            *_live(),
        )
        .limit(LOOKALIKE_CAP)
    )
    for pid, name, postcode in rows:
        found[(name.lower(), postcode)].add((pid, name))
    return found


def _twin_customers(session: Session, orders: Sequence[SalesOrder]) -> dict[int, list[str]]:
    """order id -> names of other live customers with its e-mail, or its name and postcode."""
    by_email = _same_email(session, orders)
    by_pair = _same_name_and_postcode(session, orders)
    twins: dict[int, list[str]] = {}
    for order in orders:
        found = set(by_email.get(order.email.lower(), set())) if order.email else set()
        if order.ship_postcode:
            found |= by_pair.get((order.customer_name.lower(), order.ship_postcode), set())
        names = sorted({f"{name} (no. {pid})" for pid, name in found if pid != order.customer_id})
        if names:
            twins[order.id] = names
    return twins


def _signature(lines: list[_Line]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((ln.sku, ln.quantity) for ln in lines if ln.sku != SHIPPING_SKU))


def _twin_orders(
    session: Session, orders: Sequence[SalesOrder], lines: dict[int, list[_Line]]
) -> dict[int, list[str]]:
    """order id -> numbers of the same customer's orders of the same lines within 24 h."""
    if not orders:
        return {}
    customers = {o.customer_id for o in orders}
    start = min(o.created_at for o in orders) - DUPLICATE_WINDOW
    end = max(o.created_at for o in orders) + DUPLICATE_WINDOW
    near = list(
        session.execute(
            select(SalesOrder.id, SalesOrder.number, SalesOrder.customer_id, SalesOrder.created_at)
            .where(
                SalesOrder.customer_id.in_(customers),
                SalesOrder.created_at.between(start, end),
                SalesOrder.status != OrderStatus.CANCELLED.value,
            )
            .limit(5000)
        )
    )
    page = {o.id for o in orders}
    extra = _lines(session, [r.id for r in near if r.id not in page])
    signatures = {r.id: _signature(lines.get(r.id) or extra.get(r.id, [])) for r in near}
    by_customer: dict[int, list[Any]] = defaultdict(list)  # each order meets its own only
    for r in near:
        by_customer[r.customer_id].append(r)
    twins: dict[int, list[str]] = {}
    for order in orders:
        mine = _signature(lines.get(order.id, []))
        if not mine:
            continue
        same = [
            r.number
            for r in by_customer[order.customer_id]
            if r.id != order.id
            and abs(r.created_at - order.created_at) <= DUPLICATE_WINDOW
            and signatures[r.id] == mine
        ]
        if same:
            twins[order.id] = sorted(same)
    return twins


def _money(minor: int, currency: str, locale: str) -> str:
    return format_money(minor, currency, locale)


def flags_for(session: Session, orders: Sequence[SalesOrder]) -> dict[int, list[Flag]]:
    """Every flag of every order given (order id -> flags, in CODES order)."""
    ids = [o.id for o in orders]
    lines = _lines(session, ids)
    product_ids = {ln.product_id for found in lines.values() for ln in found}
    products = _products(session, product_ids)
    free = _free_stock(session, {p for p, (_price, tracked) in products.items() if tracked})
    customers = _twin_customers(session, orders)
    twins = _twin_orders(session, orders, lines)
    locale = str(get_setting(session, "locale"))
    result: dict[int, list[Flag]] = {}
    for order in orders:
        mine = lines.get(order.id, [])
        flags = _stock_flags(order, mine, products, free)
        flags += _address_flags(order)
        flags += _email_flags(order)
        flags += _price_flags(
            mine, products, partial(_money, currency=order.currency, locale=locale)
        )
        if order.id in customers:
            said = ", ".join(customers[order.id])
            flags.append(Flag(DUPLICATE_CUSTOMER, f"another customer looks the same: {said}"))
        if order.id in twins:
            said = ", ".join(twins[order.id])
            flags.append(Flag(DUPLICATE_ORDER, f"the same lines were ordered within 24 h: {said}"))
        result[order.id] = flags
    return result
