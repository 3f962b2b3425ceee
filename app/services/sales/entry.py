"""Phone and e-mail orders (issue 15): what a clerk types while the customer is on the
line, turned into a `new` order that then goes through the usual lifecycle (orders.py).

Lines name products by SKU. A price or a discount other than the catalogue's is an
override: it needs price.override and a reason, and it is on the order's timeline and in
the audit log. An archived product is refused by its SKU. Shipping is a carrier and a
cost line (the untracked SHIPPING item, made on first use). While an order is new or
accepted its lines, address and shipping may change, with the version check the order
screen uses; stock reserved for it follows the new lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.core import changes, sentence
from app.core.auth import Actor, Permission, require
from app.core.bootstrap import default_warehouse_id
from app.core.errors import ConflictError, InvalidTransition, NotFound, ValidationError
from app.core.i18n import _
from app.core.money import format_money, line_amounts
from app.core.sentence import Sentence
from app.core.settings import get_setting
from app.core.validation import check_money, check_quantity, clean_text
from app.models import Carrier, Channel, OrderLine, OrderStatus, Party, Product, SalesOrder, utcnow
from app.services.sales import accounts, order_actions, order_entry, orders
from app.services.sales.customers import AddressInput, check_email, clean_address
from app.services.stock import catalogue, inventory

ENTRY_CHANNELS = (Channel.PHONE, Channel.EMAIL)
EDITABLE = (OrderStatus.NEW.value, OrderStatus.ACCEPTED.value)
SHIPPING_SKU = "SHIPPING"
MAX_DELIVERY_DAYS = 366 * 2  # a requested day further away is a typing error


@dataclass(frozen=True)
class EntryLine:
    sku: str
    quantity: int
    unit_price: int | None = None  # None: the catalogue's price; another one is an override
    discount: int = 0  # off the whole line, minor units; above zero is an override


@dataclass(frozen=True)
class EntryInput:
    lines: tuple[EntryLine, ...]
    customer_email: str = ""
    customer_id: int | None = None  # instead of the e-mail
    channel: str = Channel.PHONE.value
    ship_to: AddressInput | None = None  # None: the customer's default shipping address
    carrier_code: str = ""
    shipping_cost: int = 0
    note: str = ""
    requested_delivery: date | None = None
    payment_terms: str = accounts.Terms.PREPAID.value
    override_reason: str = ""
    advance: int = 0  # paid now, against the order (accounts.record_payment)
    advance_method: str = "card"
    advance_reference: str = ""


@dataclass(frozen=True)
class EntryEdit:
    """What changes; None leaves it as it is."""

    lines: tuple[EntryLine, ...] | None = None
    ship_to: AddressInput | None = None
    carrier_code: str | None = None
    shipping_cost: int | None = None
    override_reason: str = ""


@dataclass(frozen=True)
class EntryInfo:
    """What the order screen and `kestrel order show` add for an entered order."""

    payment_terms: str
    requested_delivery: date | None
    carrier_code: str
    shipping_cost: int
    paid: int
    due: int


@dataclass(frozen=True)
class _Wanted:
    product: Product
    quantity: int
    unit_price: int
    discount: int


def find_customer(session: Session, email: str = "", customer_id: int | None = None) -> Party:
    """The customer by id, or by e-mail address (refused in words when none or two have it)."""
    if customer_id is not None:
        party = session.get(Party, customer_id)
        if party is None or party.is_walk_in or not party.is_customer:
            raise NotFound(_("There is no customer {customer_id}.").format(customer_id=customer_id))
        return party
    address = check_email(email, required=True)
    found = list(
        session.scalars(
            select(Party)
            .where(func.lower(Party.email) == address.lower(), Party.is_customer.is_(True))
            .order_by(Party.id)
            .limit(2)
        )
    )
    if not found:
        raise NotFound(
            _("No customer has the e-mail address {address}: add the customer first.").format(
                address=address
            )
        )
    if len(found) > 1:
        raise ValidationError(
            _(
                "Two customers have the e-mail address {address} ({name}, {name2}): "
                "choose the customer by number."
            ).format(address=address, name=found[0].name, name2=found[1].name),
            "customer",
        )
    return found[0]


def shipping_product(session: Session) -> Product:
    """The order line item shipping costs sell as: stock not tracked, made on first use
    (untaxed until a manager gives it a tax rate in the catalogue)."""
    product = session.scalar(select(Product).where(Product.sku == SHIPPING_SKU))
    if product is None:
        product = Product(sku=SHIPPING_SKU, name="Shipping", price=0, track_stock=False)
        session.add(product)
        session.flush()
    return product


def _products(session: Session, lines: tuple[EntryLine, ...]) -> dict[str, Product]:
    skus = {clean_text(ln.sku, "SKU", max_length=64, required=True) for ln in lines}
    found = {p.sku: p for p in session.scalars(select(Product).where(Product.sku.in_(skus)))}
    for number, line in enumerate(lines, start=1):
        sku = line.sku.strip()
        product = found.get(sku)
        if product is None:
            raise NotFound(
                _("Line {number}: there is no product with SKU {sku}.").format(
                    number=number, sku=sku
                )
            )
        if not product.active:
            raise ValidationError(
                _("Line {number}: {sku} '{name}' is archived and no longer sold.").format(
                    number=number, sku=sku, name=product.name
                ),
                "lines",
            )
        if sku == SHIPPING_SKU:
            raise ValidationError(_("Shipping is not a product line: give the shipping cost."))
    return found


def _wanted(
    session: Session,
    actor: Actor,
    lines: tuple[EntryLine, ...],
    reason: str,
    approved: dict[str, tuple[int, int]],
) -> tuple[list[_Wanted], list[Sentence]]:
    """The lines as products and prices, and the overrides in words. An override is a
    price or discount that is neither the catalogue's nor one already on this order
    (`approved`, by SKU): it needs price.override and a reason."""
    if not lines:
        raise ValidationError(_("An order needs at least one line."), "lines")
    products = _products(session, lines)
    money = _formatter(session)
    wanted: list[_Wanted] = []
    overrides: list[Sentence] = []
    for number, line in enumerate(lines, start=1):
        product = products[line.sku.strip()]
        quantity = check_quantity(line.quantity, f"Line {number} ({product.sku}) quantity")
        price = product.price if line.unit_price is None else check_money(line.unit_price, "Price")
        discount = check_money(line.discount, "Discount")
        if (price != product.price or discount) and approved.get(product.sku) != (price, discount):
            prices = {"sku": product.sku, "price": money(price), "list": money(product.price)}
            overrides.append(
                sentence.said(
                    "{sku} at {price} (list {list}) less {discount}",
                    discount=money(discount),
                    **prices,
                )
                if discount
                else sentence.said("{sku} at {price} (list {list})", **prices)
            )
        wanted.append(_Wanted(product, quantity, price, discount))
    if overrides:
        require(actor, Permission.PRICE_OVERRIDE)
        if not clean_text(reason, "Reason", max_length=300):
            raise ValidationError(_("A price or discount override needs a reason."), "reason")
    return wanted, overrides


def _formatter(session: Session) -> Callable[[int], str]:
    currency, locale = str(get_setting(session, "currency")), str(get_setting(session, "locale"))
    return lambda minor: format_money(minor, currency, locale)


def _carrier_id(session: Session, code: str | None) -> int | None:
    code = clean_text(code or "", "Carrier", max_length=20).upper()
    if not code:
        return None
    found = session.scalar(select(Carrier.id).where(Carrier.code == code))
    if found is None:
        raise NotFound(
            _("There is no carrier {code}: add it in Settings or with `kestrel carrier`.").format(
                code=code
            )
        )
    return found


def _check_delivery(value: date | None) -> date | None:
    if value is None:
        return None
    if not isinstance(value, date):
        raise ValidationError(_("The requested delivery is a date."), "requested_delivery")
    days = (value - utcnow().date()).days
    if days < 0:
        raise ValidationError(_("The requested delivery day has passed."), "requested_delivery")
    if days > MAX_DELIVERY_DAYS:
        raise ValidationError(_("The requested delivery is too far ahead."), "requested_delivery")
    return value


def create_entry_order(session: Session, actor: Actor, data: EntryInput) -> order_entry.OrderRef:
    """A phone or e-mail order as `new`; its overrides audited, its credit checked, an
    advance payment taken in the same transaction."""
    require(actor, Permission.ORDERS_CREATE)
    if data.channel not in ENTRY_CHANNELS:
        raise ValidationError(_("An entered order comes by phone or e-mail."), "channel")
    customer = find_customer(session, data.customer_email, data.customer_id)
    wanted, overrides = _wanted(session, actor, data.lines, data.override_reason, {})
    shipping = check_money(data.shipping_cost, "Shipping cost")
    terms = accounts.check_terms(data.payment_terms)
    requested = _check_delivery(data.requested_delivery)
    line_inputs = [
        order_entry.LineInput(w.product.id, w.quantity, w.unit_price, w.discount) for w in wanted
    ]
    if shipping:
        line_inputs.append(order_entry.LineInput(shipping_product(session).id, 1, shipping))
    ref = order_entry.create_order(
        session,
        actor,
        order_entry.OrderInput(
            channel=data.channel,
            lines=tuple(line_inputs),
            customer_id=customer.id,
            ship_to=data.ship_to,
            note=data.note,
            carrier_id=_carrier_id(session, data.carrier_code),
        ),
    )
    order = session.get(SalesOrder, ref.id)
    assert order is not None
    order.payment_terms = terms.value
    order.requested_delivery = requested
    _record_overrides(session, actor, order, overrides, data.override_reason)
    _flush(session, order)
    if data.advance:
        accounts.record_payment(
            session, actor, order.id, data.advance_method, data.advance, data.advance_reference
        )
    if terms is accounts.Terms.ON_ACCOUNT:  # what was paid now counts
        accounts.check_credit(session, order)
    return order_entry.OrderRef(order.id, order.number, order.version)


def _record_overrides(
    session: Session, actor: Actor, order: SalesOrder, overrides: list[Sentence], reason: str
) -> None:
    if overrides:
        reason = clean_text(reason, "Reason", max_length=300)
        text = sentence.said(
            "Price override: {overrides} — {reason}", overrides=overrides, reason=reason
        )
        orders.record_event(session, order, actor, "price_override", text)


def _flush(session: Session, order: SalesOrder) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(
            _(
                "Order {number} was changed on another workstation a moment ago. Reload "
                "it and try again."
            ).format(number=order.number)
        ) from None


def _load(session: Session, order_id: int, expected_version: int) -> SalesOrder:
    order = session.get(SalesOrder, order_id, with_for_update=True, populate_existing=True)
    if order is None:
        raise NotFound(_("Order {order_id} does not exist.").format(order_id=order_id))
    if order.version != expected_version:
        raise ConflictError(
            _("Order {number} was changed since you opened it. Reload it and try again.").format(
                number=order.number
            )
        )
    if order.status not in EDITABLE:
        raise InvalidTransition(
            _("Order {number} is {value}; only a new or accepted order can be changed.").format(
                number=order.number, value=orders.status_label(order.status).lower()
            )
        )
    return order


def edit_entry_order(
    session: Session, actor: Actor, order_id: int, edit: EntryEdit, expected_version: int
) -> int:
    """Change a new or accepted order's lines, address or shipping. Stock reserved for it
    is given back and reserved again for the new lines; an accepted order is verified
    again. Returns the order's new version."""
    require(actor, Permission.ORDERS_CREATE)
    order = _load(session, order_id, expected_version)
    said: list[Sentence] = []
    if edit.lines is not None or edit.shipping_cost is not None:
        said += _change_lines(session, actor, order, edit)
    if edit.ship_to is not None:
        _set_ship_to(order, edit.ship_to)
        said.append(sentence.said("ship-to address changed"))
    if edit.carrier_code is not None:
        order.carrier_id = _carrier_id(session, edit.carrier_code)
        said.append(
            sentence.said("ships with {carrier}", carrier=edit.carrier_code.strip().upper())
            if edit.carrier_code.strip()
            else sentence.said("ships with any carrier")
        )
    if not said:
        raise ValidationError(_("Nothing to change."))
    if order.payment_terms == accounts.Terms.ON_ACCOUNT.value:
        accounts.check_credit(session, order)
    held = inventory.reserved_moves_for(session, orders.LINE_REF, [ln.id for ln in order.lines])
    if order.status == OrderStatus.ACCEPTED.value and not held:  # a reservation proves stock
        problems, stock = order_actions.verification_problems(session, order)
        if problems or stock:
            raise ValidationError(
                f"Order {order.number} would no longer pass: " + "; ".join(problems + stock) + "."
            )
    order.updated_at = utcnow()
    words = sentence.said("Changed: {changes}", changes=said)
    orders.record_event(session, order, actor, "edited", words)
    _flush(session, order)
    changes.note(session, orders=[order.id], kind="orders")
    return order.version


def _change_lines(
    session: Session, actor: Actor, order: SalesOrder, edit: EntryEdit
) -> list[Sentence]:
    current = [ln for ln in order.lines if ln.sku != SHIPPING_SKU]
    shipping_now = sum(ln.unit_price for ln in order.lines if ln.sku == SHIPPING_SKU)
    approved = {ln.sku: (ln.unit_price, ln.discount) for ln in current}
    lines = edit.lines
    if lines is None:
        lines = tuple(EntryLine(ln.sku, ln.quantity, ln.unit_price, ln.discount) for ln in current)
    wanted, overrides = _wanted(session, actor, lines, edit.override_reason, approved)
    shipping = shipping_now if edit.shipping_cost is None else edit.shipping_cost
    shipping = check_money(shipping, "Shipping cost")
    if shipping:
        wanted.append(_Wanted(shipping_product(session), 1, shipping, 0))
    held = _release_reservations(session, actor, order)
    _replace_lines(session, order, wanted)
    if held:
        _reserve(session, actor, order)
    _record_overrides(session, actor, order, overrides, edit.override_reason)
    money = _formatter(session)
    said = [
        sentence.said_n(
            "{count} line, total {total}",
            "{count} lines, total {total}",
            len(wanted),
            total=money(order.total),
        )
    ]
    if shipping != shipping_now:
        said.append(sentence.said("shipping {amount}", amount=money(shipping)))
    return said


def _replace_lines(session: Session, order: SalesOrder, wanted: list[_Wanted]) -> None:
    """The order's lines become `wanted`, in place (a line keeps its row where it can)."""
    inclusive = bool(get_setting(session, "prices_include_tax"))
    rows = list(order.lines)
    for number, want in enumerate(wanted, start=1):
        product = want.product
        amounts = line_amounts(
            want.quantity, want.unit_price, want.discount, product.tax_rate_bp, inclusive
        )
        if number <= len(rows):
            row = rows[number - 1]
        else:
            row = OrderLine(line_no=number)
            order.lines.append(row)
        row.line_no, row.product_id, row.sku, row.name = (
            number,
            product.id,
            product.sku,
            product.name,
        )
        row.quantity, row.unit_price, row.discount = want.quantity, want.unit_price, want.discount
        row.tax_rate_bp, row.net, row.tax, row.total = (
            product.tax_rate_bp,
            amounts.net,
            amounts.tax,
            amounts.total,
        )
    for row in rows[len(wanted) :]:
        order.lines.remove(row)
    order.subtotal = sum(ln.net for ln in order.lines)
    order.tax_total = sum(ln.tax for ln in order.lines)
    order.total = sum(ln.total for ln in order.lines)
    check_money(order.total, "The order's total")
    session.flush()


def _set_ship_to(order: SalesOrder, ship_to: AddressInput) -> None:
    fields = clean_address(ship_to)
    order.ship_name = fields["name"] or order.customer_name
    order.ship_line1, order.ship_line2 = fields["line1"], fields["line2"]
    order.ship_city, order.ship_postcode = fields["city"], fields["postcode"]
    order.ship_region, order.ship_country = fields["region"], fields["country"]


def _release_reservations(session: Session, actor: Actor, order: SalesOrder) -> bool:
    moves = inventory.reserved_moves_for(session, orders.LINE_REF, [ln.id for ln in order.lines])
    for move in moves:
        inventory.release(session, actor, move.id)
    return bool(moves)


def _reserve(session: Session, actor: Actor, order: SalesOrder) -> None:
    warehouse_id = order.warehouse_id or default_warehouse_id(session)
    tracked = catalogue.tracked_ids(session, (ln.product_id for ln in order.lines))
    for line in order.lines:
        if line.product_id in tracked:
            inventory.reserve_in_warehouse(
                session,
                actor,
                line.product_id,
                warehouse_id,
                line.quantity,
                inventory.MoveRef(orders.LINE_REF, line.id),
            )


def entry_info(session: Session, order_id: int) -> EntryInfo:
    order = session.get(SalesOrder, order_id)
    if order is None:
        raise NotFound(_("Order {order_id} does not exist.").format(order_id=order_id))
    code = ""
    if order.carrier_id is not None:
        code = session.scalar(select(Carrier.code).where(Carrier.id == order.carrier_id)) or ""
    paid = accounts.paid_on(session, order.id)
    return EntryInfo(
        payment_terms=order.payment_terms,
        requested_delivery=order.requested_delivery,
        carrier_code=code,
        shipping_cost=sum(ln.total for ln in order.lines if ln.sku == SHIPPING_SKU),
        paid=paid,
        due=order.total - paid,
    )
