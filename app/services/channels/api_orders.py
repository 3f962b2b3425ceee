"""Orders pushed over the API (`POST /api/v1/orders`): the body checked field by field,
then judged and written by single_order.take, import_parsed for one order in a handful
of statements, so an order from the API is judged, de-duplicated and written exactly
like one from a file.

Idempotent twice over: the same Idempotency-Key (per API key) answers the first result
without looking at the body again; the same source + external id answers the order
already made. Neither ever writes a second order.

A source named in a body that Kestrel does not know yet is made on first use with the
format "api" (web channel), so an integration needs no set-up beyond its key.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import get_currency_precision
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import idempotency, tracking_links
from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound, ValidationError
from app.core.i18n import _
from app.core.settings import get_setting
from app.models import OrderSource, Product, SalesOrder
from app.services.channels import external, order_import, single_order, sources, tracking
from app.services.channels.external import ExternalAddress, ExternalLine, ExternalOrder
from app.services.sales.customers import check_email
from app.services.sales.order_entry import MAX_LINES

API_FORMAT = "api"
IDEMPOTENCY_KIND = "api.order"
DECIMAL = re.compile(r"\d{1,12}(\.\d{1,6})?")


@dataclass(frozen=True)
class LineIn:
    sku: str
    quantity: int
    unit_price: str  # a decimal string in the order's currency: "12.50"


@dataclass(frozen=True)
class AddressIn:
    name: str = ""
    line1: str = ""
    line2: str = ""
    city: str = ""
    postcode: str = ""
    region: str = ""
    country: str = ""


@dataclass(frozen=True)
class OrderIn:
    source: str
    external_id: str
    currency: str
    lines: tuple[LineIn, ...]
    customer_name: str = ""
    email: str = ""
    phone: str = ""
    ship_to: AddressIn = field(default_factory=AddressIn)
    shipping_method: str = ""
    shipping_price: str = "0"
    notes: str = ""


@dataclass(frozen=True)
class Created:
    created: bool  # False: an earlier call made it (HTTP 200 instead of 201)
    result: dict[str, Any]


def _text(value: str, label: str, where: str, limit: int, *, required: bool = False) -> str:
    cleaned = external.text(value)
    if required and not cleaned:
        raise ValidationError(_("{label} is missing.").format(label=label), where)
    if len(cleaned) > limit:
        raise ValidationError(
            _("{label} is longer than {limit} characters.").format(label=label, limit=limit), where
        )
    return cleaned


def _amount(value: str, currency: str, where: str) -> int:
    if not isinstance(value, str) or not DECIMAL.fullmatch(value.strip()):
        raise ValidationError(
            _(
                '{where}: {value!r} is not an amount; write it as a decimal string like "12.50".'
            ).format(where=where, value=value),
            where,
        )
    return external.minor(value.strip(), currency, where)


def _source(session: Session, actor: Actor, name: str) -> OrderSource:
    name = _text(name, "The source", "source", 60, required=True)
    found = sources.find_source(session, name)
    if found is None:
        if not sources.NAME.fullmatch(name):
            raise ValidationError(
                _("'{name}' cannot name a source: letters, digits, '.', '_' and '-' only.").format(
                    name=name
                ),
                "source",
            )
        sources.add_source(session, actor, name, API_FORMAT)
        found = sources.source_named(session, name)
    return found


def _lines(data: OrderIn, currency: str, found: dict[str, Product]) -> list[ExternalLine]:
    if not data.lines:
        raise ValidationError(_("An order needs at least one line."), "lines")
    if len(data.lines) > MAX_LINES:
        raise ValidationError(
            _("An order holds at most {max_lines} lines.").format(max_lines=MAX_LINES), "lines"
        )
    known = {sku for sku, product in found.items() if product.active}
    lines = []
    for index, line in enumerate(data.lines):
        where = f"lines[{index}]"
        sku = _text(line.sku, f"{where}: the SKU", f"{where}.sku", 64, required=True)
        if sku.lower() not in known:
            raise ValidationError(
                _("{where}: SKU {sku} is not in the catalogue.").format(where=where, sku=sku),
                f"{where}.sku",
            )
        quantity = external.quantity(line.quantity, f"{where}.quantity")
        unit = _amount(line.unit_price, currency, f"{where}.unit_price")
        lines.append(
            ExternalLine(sku, "", quantity, unit, unit * quantity, external_id=str(index + 1))
        )
    return lines


def order_products(session: Session, data: OrderIn) -> dict[str, Product]:
    """The body's products (and the shipping item) by lower-case SKU, in one query."""
    return single_order.products(session, {line.sku.strip().lower() for line in data.lines})


def external_order(
    session: Session, data: OrderIn, found: dict[str, Product] | None = None
) -> ExternalOrder:
    """The body as the one shape every channel's orders take; each refusal names its
    field as the API's error does (`lines[2].quantity`, `ship_to.country`). `found`:
    the body's products from order_products, if read already."""
    shop_currency = str(get_setting(session, "currency"))
    currency = external.currency_code(data.currency)
    if currency != shop_currency:
        raise ValidationError(
            _("The order is in {currency}; the shop sells in {shop_currency}.").format(
                currency=currency, shop_currency=shop_currency
            ),
            "currency",
        )
    ship = data.ship_to
    country = _text(ship.country, "The ship-to country", "ship_to.country", 2).upper()
    if len(country) != 2 or not country.isalpha():
        raise ValidationError(
            _("The ship-to country is a two-letter ISO code (IE, DE, US)."), "ship_to.country"
        )
    try:
        email = check_email(data.email)
    except ValidationError as exc:
        raise ValidationError(exc.message, "customer.email") from exc
    address = ExternalAddress(
        name=_text(ship.name, "The ship-to name", "ship_to.name", 200),
        line1=_text(ship.line1, "The street", "ship_to.line1", 200, required=True),
        line2=_text(ship.line2, "The second line", "ship_to.line2", 200),
        city=_text(ship.city, "The city", "ship_to.city", 100, required=True),
        postcode=_text(ship.postcode, "The postcode", "ship_to.postcode", 20),
        region=_text(ship.region, "The region", "ship_to.region", 100),
        country=country,
    )
    return ExternalOrder(
        source_format=API_FORMAT,
        external_id=_text(data.external_id, "The external id", "external_id", 100, required=True),
        number=_text(data.external_id, "The external id", "external_id", 100),
        currency=currency,
        customer_name=_text(data.customer_name, "The customer's name", "customer.name", 200),
        email=email,
        phone=_text(data.phone, "The phone number", "customer.phone", 40),
        ship_to=address,
        lines=_lines(data, currency, order_products(session, data) if found is None else found),
        shipping_method=_text(data.shipping_method, "The method", "shipping.method", 100),
        shipping=_amount(data.shipping_price or "0", currency, "shipping.price"),
        notes=_text(data.notes, "The notes", "notes", 5000),
    )


def _answer(session: Session, taken: single_order.Taken) -> tuple[int, dict[str, Any]]:
    """The order's id (for the idempotency row) and the call's answer."""
    number = taken.verdict.number
    if taken.order_id is None or not taken.tracking_token:  # an order from before tokens
        order = session.scalar(select(SalesOrder).where(SalesOrder.number == number))
        assert order is not None
        return order.id, {
            "number": order.number,
            "status": order.status,
            "tracking_url": tracking_links.tracking_url(session, order),
        }
    return taken.order_id, {
        "number": number,
        "status": taken.status,
        "tracking_url": tracking_links.url_for_token(session, taken.tracking_token),
    }


def _key(key_id: int, idempotency_key: str) -> str:
    """The stored key: per API key (two integrations may pick the same text), hashed to
    the table's 64 characters."""
    idempotency._checked(idempotency_key)  # refuse a bad header in words
    return hashlib.sha256(f"{IDEMPOTENCY_KIND}:{key_id}:{idempotency_key}".encode()).hexdigest()


def create_order(
    session: Session, actor: Actor, data: OrderIn, *, key_id: int = 0, idempotency_key: str = ""
) -> Created:
    """The order, or the one an earlier call with the same key or the same source and
    external id made. ValidationError names the field of the first problem."""
    require(actor, Permission.ORDERS_CREATE)
    stored = _key(key_id, idempotency_key) if idempotency_key else ""
    if stored and (earlier := idempotency.landed(session, stored)) is not None:
        return Created(False, earlier.result)
    source = _source(session, actor, data.source)
    found = order_products(session, data)
    taken = single_order.take(
        session, actor, source, API_FORMAT, external_order(session, data, found), found
    )
    verdict = taken.verdict
    if verdict.outcome == order_import.REFUSED:
        raise ValidationError(
            _("The order cannot be taken: {value}.").format(value="; ".join(verdict.reasons)),
            "body",
        )
    if verdict.outcome == order_import.SKIPPED or verdict.number is None:
        raise ValidationError(
            _("The order was not taken: {value}.").format(value="; ".join(verdict.reasons)), "body"
        )
    order_id, answer = _answer(session, taken)
    if stored:
        idempotency.claim(session, stored, IDEMPOTENCY_KIND, order_id, actor.workstation, answer)
    return Created(verdict.outcome == order_import.NEW, answer)


def order_view(session: Session, actor: Actor, number: str) -> dict[str, Any]:
    """`GET /api/v1/orders/{number}`: status, lines, shipments with tracking, the link."""
    require(actor, Permission.ORDERS_VIEW)
    number = external.text(number)[:20]
    order = session.scalar(
        select(SalesOrder).where(func.upper(SalesOrder.number) == number.upper())
    )
    if order is None:
        raise NotFound(_("There is no order {number}.").format(number=number))
    return {
        "number": order.number,
        "status": order.status,
        "currency": order.currency,
        "total": external_amount(order.total, order.currency),
        "external_id": order.external_id,
        "lines": [
            {
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": external_amount(line.unit_price, order.currency),
                "total": external_amount(line.total, order.currency),
                "shipped": line.shipped,
            }
            for line in order.lines
        ],
        "shipments": [
            {
                "carrier": s.carrier,
                "status": s.status,
                "tracking": [{"number": n, "url": url} for n, url in s.tracking],
            }
            for s in tracking.shipments(session, order.id)
        ],
        "tracking_url": tracking_links.tracking_url(session, order),
    }


def external_amount(value: int, currency: str) -> str:
    """Minor units as the API writes amounts: a decimal string ("12.50")."""
    places = get_currency_precision(currency)
    sign = "-" if value < 0 else ""
    whole, part = divmod(abs(value), 10**places)
    return f"{sign}{whole}.{part:0{places}d}" if places else f"{sign}{whole}"
