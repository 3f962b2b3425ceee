"""The counter: a cart that scans fill, and the sale that pays for it.

`complete_sale` does the whole sale in the caller's transaction: the counter order with
its lines, the stock leaving the shop's shelves at once, the payments in the open cash
session, the timeline, and the receipt queued for the receipt printer (with a drawer
kick when cash was taken). A printer that is off delays the receipt; it never stops the
sale.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import changes, idempotency, session_cache
from app.core.auth import Actor, Permission, require, require_any
from app.core.errors import PermissionDenied, ValidationError
from app.core.money import div_round_half_up, format_money, line_amounts
from app.core.settings import get_setting
from app.core.validation import check_money, check_quantity, clean_text
from app.models import OrderStatus, Payment, Product, SalesOrder, Warehouse
from app.services.sales import gift_cards, order_entry, orders, till
from app.services.sales.backing import require_backing
from app.services.sales.order_entry import LineInput, OrderInput
from app.services.stock import inventory
from app.services.stock.catalogue import ProductHit

METHODS = ("cash", "card", "store_credit", "gift_card")
COUNTER_WAREHOUSE = "SHOP"


@dataclass
class CartLine:
    product_id: int
    sku: str
    name: str
    unit_price: int
    tax_rate_bp: int
    quantity: int = 1
    discount: int = 0
    approved_by: str = ""  # the manager who allowed a price below cost
    gift_card_code: str = ""  # set on a line that sells a gift card

    @property
    def is_gift_card(self) -> bool:
        return bool(self.gift_card_code)


@dataclass
class Cart:
    """What is on the counter. Plain data: the screen shows it, the service sells it."""

    lines: list[CartLine] = field(default_factory=list)
    customer_id: int | None = None

    def add(self, hit: ProductHit, quantity: int = 1) -> CartLine:
        """A scan adds a line, or counts up the line of the same product and price."""
        check_quantity(quantity)
        for line in self.lines:
            if line.is_gift_card:
                continue
            if line.product_id == hit.product_id and line.unit_price == hit.price:
                line.quantity = check_quantity(line.quantity + quantity)
                return line
        line = CartLine(hit.product_id, hit.sku, hit.name, hit.price, hit.tax_rate_bp, quantity)
        self.lines.append(line)
        return line

    def add_gift_card(self, hit: ProductHit, code: str, amount: int) -> CartLine:
        """A gift card is a line of its own: one card, its code, its amount, no tax."""
        if any(ln.gift_card_code == code for ln in self.lines):
            raise ValidationError(f"Gift card {code} is already in this sale.")
        line = CartLine(hit.product_id, hit.sku, f"Gift card {code}", amount, 0, 1)
        line.gift_card_code = code
        self.lines.append(line)
        return line

    def totals(self, prices_include_tax: bool = True) -> tuple[int, int, int]:
        """(net, tax, total), computed exactly as the order will be."""
        net = tax = total = 0
        for line in self.lines:
            amounts = line_amounts(
                line.quantity, line.unit_price, line.discount, line.tax_rate_bp, prices_include_tax
            )
            net, tax, total = net + amounts.net, tax + amounts.tax, total + amounts.total
        return net, tax, total


@dataclass(frozen=True)
class Tender:
    method: str
    amount: int  # for cash: what the customer handed over
    reference: str = ""


@dataclass(frozen=True)
class Settlement:
    payments: tuple[
        tuple[str, int, int | None, int | None, str], ...
    ]  # method, applied, tendered, change, ref
    change: int
    cash_taken: bool


@dataclass(frozen=True)
class SaleResult:
    order_id: int
    number: str
    total: int
    change: int
    receipt_job_id: int | None
    replayed: bool = False  # its key had landed already: this is the earlier sale, unchanged


SALE_KEY_KIND = "sale"


def settle(total: int, tenders: list[Tender], currency: str) -> Settlement:
    """Split a total across cash and card. Only cash gives change; card never pays more
    than is due."""
    if not tenders:
        raise ValidationError("Choose how the customer pays.")
    for tender in tenders:
        if tender.method not in METHODS:
            raise ValidationError(f"'{tender.method}' is not a way to pay here.")
        check_money(tender.amount, "Amount")
        if tender.method == "gift_card":
            gift_cards.normalise_code(tender.reference)
    non_cash = sum(t.amount for t in tenders if t.method != "cash")
    if non_cash > total:
        raise ValidationError(
            f"Card, credit and gift card payments ({format_money(non_cash, currency)}) "
            f"are more than the total ({format_money(total, currency)})."
        )
    cash_due = total - non_cash
    cash_tendered = sum(t.amount for t in tenders if t.method == "cash")
    if cash_tendered < cash_due:
        raise ValidationError(f"{format_money(cash_due - cash_tendered, currency)} still to pay.")
    change = cash_tendered - cash_due
    payments: list[tuple[str, int, int | None, int | None, str]] = [
        (t.method, t.amount, None, None, clean_text(t.reference, "Reference", max_length=100))
        for t in tenders
        if t.method != "cash" and t.amount
    ]
    if cash_tendered:
        payments.append(("cash", cash_due, cash_tendered, change, ""))
    return Settlement(tuple(payments), change, cash_tendered > 0)


def counter_warehouse_id(session: Session, code: str = COUNTER_WAREHOUSE) -> int:
    from app.core.bootstrap import default_warehouse_id

    found = session.scalar(select(Warehouse.id).where(Warehouse.code == code))
    return found if found is not None else default_warehouse_id(session)


def check_price(session: Session, actor: Actor, product_id: int, price: int) -> int:
    """A price typed at the counter: below cost needs a manager's permission."""
    check_money(price, "Price")
    cost = session.scalar(select(Product.cost).where(Product.id == product_id)) or 0
    if price < cost and not actor.can(Permission.PRICE_OVERRIDE):
        raise PermissionDenied("A price below cost needs a manager: ask one to override.")
    return price


def complete_sale(
    session: Session,
    actor: Actor,
    cart: Cart,
    tenders: list[Tender],
    till_name: str,
    workstation: str,
    print_receipt: bool = True,
    shortfalls: dict[str, int] | None = None,
    key: str | None = None,
) -> SaleResult:
    """`shortfalls` is for a sale made while the counter was offline (offline.py): the
    goods are gone already, so units the books do not show are not refused but counted
    into it, per SKU, for a manager to look at.

    `key` is the sale's idempotency key, made when the cart was paid: it is stored with the
    sale, and a sale whose key landed already is answered as it was (`replayed`), with
    nothing written again (a retry after a lost COMMIT answer, a journal synced twice)."""
    require(actor, Permission.SALE_COMPLETE)
    earlier = _replay(session, key)
    if earlier is not None:
        return earlier
    if not cart.lines:
        raise ValidationError("The cart is empty: scan something first.")
    _check_lines(session, actor, cart)
    offline = shortfalls is not None
    cash_session = (
        till.current(session, till_name) if offline else till.require_open(session, till_name)
    )
    currency = str(get_setting(session, "currency"))
    _net, _tax, total = cart.totals(bool(get_setting(session, "prices_include_tax")))
    settlement = settle(total, tenders, currency)
    credit = sum(applied for method, applied, *_ in settlement.payments if method == "store_credit")
    if credit:  # checked before anything is written
        reserve_credit(session, cart.customer_id, credit)
    warehouse_id = counter_warehouse_id(session)
    ref = order_entry.create_order(
        session,
        actor,
        OrderInput(
            channel="counter",
            customer_id=cart.customer_id,
            warehouse_id=warehouse_id,
            lines=tuple(
                LineInput(
                    ln.product_id,
                    ln.quantity,
                    ln.unit_price,
                    ln.discount,
                    ln.name if ln.is_gift_card else "",
                )
                for ln in cart.lines
            ),
        ),
    )
    order = session.get(SalesOrder, ref.id)
    assert order is not None
    # One lock order for every till (products by id, bins in pick sequence), so two sales
    # of the same items wait for each other instead of deadlocking.
    for line in sorted(order.lines, key=lambda ln: (ln.product_id, ln.id)):
        product = session_cache.row(session, Product, line.product_id)
        if product is None or not product.track_stock:
            continue
        quantity = line.quantity
        if shortfalls is not None:
            free = inventory.free_in_warehouse(session, line.product_id, warehouse_id)
            if free < quantity:
                shortfalls[line.sku] = shortfalls.get(line.sku, 0) + quantity - free
                quantity = free
        if quantity:
            inventory.issue_in_warehouse(
                session,
                actor,
                line.product_id,
                warehouse_id,
                quantity,
                inventory.MoveRef(orders.LINE_REF, line.id),
            )
    session_id = cash_session.id if cash_session is not None else None
    _take_payments(session, actor, cart, settlement, order, session_id, credit)
    paid = ", ".join(
        f"{m} {format_money(a, currency)}" + (f" (change {format_money(c, currency)})" if c else "")
        for m, a, _t, c, _r in settlement.payments
    )
    for cart_line in cart.lines:
        if cart_line.approved_by:
            orders.record_event(
                session,
                order,
                actor,
                "override",
                f"Price of {cart_line.name} set to {format_money(cart_line.unit_price, currency)} "
                f"with {cart_line.approved_by}'s approval",
            )
    orders.change_status(
        session,
        actor,
        order,
        OrderStatus.COMPLETED,
        "completed",
        f"Sold at {till_name}; paid {paid}",
    )
    session.flush()
    job_id = None
    if print_receipt:
        from app.services.printing.documents import print_document

        job_id = print_document(
            session,
            actor,
            workstation,
            order.id,
            "receipt",
            open_drawer=settlement.cash_taken,
            deferred=True,
        )
    if key is not None:
        idempotency.claim(
            session,
            key,
            SALE_KEY_KIND,
            order.id,
            workstation,
            {"change": settlement.change, "receipt_job_id": job_id},
        )
    changes.note(session, orders=[order.id], kind="sale")
    return SaleResult(order.id, order.number, total, settlement.change, job_id)


def _replay(session: Session, key: str | None) -> SaleResult | None:
    """The sale an earlier attempt under `key` committed, if any."""
    earlier = idempotency.landed(session, key) if key is not None else None
    if earlier is None:
        return None
    if earlier.kind != SALE_KEY_KIND or earlier.order_id is None:
        raise ValidationError("This retry key belongs to another action, not a sale.")
    order = session.get(SalesOrder, earlier.order_id)
    assert order is not None  # a foreign key holds it
    return SaleResult(
        order.id,
        order.number,
        order.total,
        int(earlier.result.get("change", 0)),
        earlier.result.get("receipt_job_id"),
        replayed=True,
    )


def _check_lines(session: Session, actor: Actor, cart: Cart) -> None:
    """A cart built by hand (an API, a damaged journal) is checked before any sum, and a
    price below cost needs a manager's approval (check_price) here too, not only on screen."""
    for line in cart.lines:
        check_quantity(line.quantity)
        check_money(line.unit_price, "Price")
        check_money(line.discount, "Discount")
        check_quantity(line.tax_rate_bp, "Tax rate", allow_zero=True)
    unapproved = [ln for ln in cart.lines if not ln.approved_by]
    if unapproved and not actor.can(Permission.PRICE_OVERRIDE):
        wanted = {ln.product_id for ln in unapproved}
        costs = {
            pid: cost
            for pid, cost in session.execute(
                select(Product.id, Product.cost).where(Product.id.in_(wanted))
            )
        }
        if any(ln.unit_price < costs.get(ln.product_id, 0) for ln in unapproved):
            raise PermissionDenied("A price below cost needs a manager: ask one to override.")


def _take_payments(
    session: Session,
    actor: Actor,
    cart: Cart,
    settlement: Settlement,
    order: SalesOrder,
    cash_session_id: int | None,
    credit: int,
) -> None:
    """Store credit and gift cards spent, gift cards sold, and a Payment per method."""
    if credit:
        take_credit(session, actor, cart.customer_id, credit, order.id, f"Paid {order.number}")
    for method, applied, _tendered, _change, reference in settlement.payments:
        if method == "gift_card":
            gift_cards.redeem(session, actor, reference, applied, order.id, f"Paid {order.number}")
    for line in cart.lines:
        if line.is_gift_card:
            gift_cards.issue(session, actor, line.gift_card_code, line.unit_price, order.id)
    for method, applied, tendered, change, reference in settlement.payments:
        session.add(
            Payment(
                order_id=order.id,
                cash_session_id=cash_session_id,
                method=method,
                kind="payment",
                amount=applied,
                tendered=tendered,
                change=change,
                reference=reference,
                user_id=actor.user_id,
            )
        )


@dataclass(frozen=True)
class RefundableLine:
    line_id: int
    product_id: int
    name: str
    sold: int
    refunded: int
    line_total: int  # what the line cost, tax included, after its discount

    @property
    def refundable(self) -> int:
        return self.sold - self.refunded

    def amount_for(self, quantity: int) -> int:
        """The money for `quantity` more units back: partial refunds add up to the line's
        total exactly, whatever its discount's cents."""
        before = self.line_total * self.refunded // self.sold
        return self.line_total * (self.refunded + quantity) // self.sold - before


def refundable_lines(session: Session, order_id: int) -> list[RefundableLine]:
    """What of a counter sale can still come back: sold minus already returned, per line."""
    from sqlalchemy import func

    from app.models import OrderEvent, OrderLine, StockMove

    order = session.get(SalesOrder, order_id)
    if order is not None and order.status == OrderStatus.REFUNDED:
        raise ValidationError(f"{order.number} has been refunded in full already.")
    if order is None or order.status not in REFUNDABLE:
        raise ValidationError("Only a completed counter sale can be refunded here.")
    from_events: dict[int, int] = {}
    returned = dict(
        session.execute(
            select(StockMove.origin_id, func.sum(StockMove.quantity))
            .where(StockMove.origin_type == REFUND_REF, StockMove.state == "done")
            .where(StockMove.origin_id.in_([ln.id for ln in order.lines]))
            .group_by(StockMove.origin_id)
        ).all()
    )
    # Untracked items (a service, a loose item) move no stock: their refunds are counted
    # from the refund events, which name every line and quantity that came back.
    for data in session.scalars(
        select(OrderEvent.data).where(
            OrderEvent.order_id == order_id, OrderEvent.kind == "refunded", OrderEvent.data != ""
        )
    ):
        counted: dict[int, int] = {}
        for key, quantity in json.loads(data).get("lines", {}).items():
            counted[int(key)] = counted.get(int(key), 0) + int(quantity)
        for line_id, quantity in counted.items():
            from_events[line_id] = from_events.get(line_id, 0) + quantity
    notes = dict(
        session.execute(
            select(OrderLine.id, OrderLine.total).where(OrderLine.order_id == order_id)
        ).all()
    )
    return [
        RefundableLine(
            ln.id,
            ln.product_id,
            ln.name,
            ln.quantity,
            max(int(returned.get(ln.id, 0)), from_events.get(ln.id, 0)),
            notes[ln.id],
        )
        for ln in order.lines
    ]


REFUND_REF = "refund_line"
REFUNDABLE = frozenset({OrderStatus.COMPLETED, OrderStatus.PARTLY_REFUNDED})
REFUND_KEY_KIND = "refund"


def refund_sale(
    session: Session,
    actor: Actor,
    order_id: int,
    quantities: dict[int, int],
    till_name: str,
    method: str | None = None,
    key: str | None = None,
) -> int:
    """Take items back at the counter: they go back on the shop's shelves, the money goes
    back by the sale's own method (or cash), in the open till. Returns the amount refunded.
    `key`: the refund's idempotency key; a refund whose key landed answers its amount again
    and changes nothing (a retry after a lost COMMIT answer pays out once)."""
    require(actor, Permission.SALE_COMPLETE)
    earlier = idempotency.landed(session, key) if key is not None else None
    if earlier is not None:
        if earlier.kind != REFUND_KEY_KIND or earlier.order_id != order_id:
            raise ValidationError("This retry key belongs to another action, not this refund.")
        return int(earlier.result["amount"])
    amount = _refund(session, actor, order_id, quantities, till_name, method)
    if key is not None:
        idempotency.claim(session, key, REFUND_KEY_KIND, order_id, till_name, {"amount": amount})
    return amount


def _refund(
    session: Session,
    actor: Actor,
    order_id: int,
    quantities: dict[int, int],
    till_name: str,
    method: str | None,
) -> int:
    cash_session = till.require_open(session, till_name)
    lines = {ln.line_id: ln for ln in refundable_lines(session, order_id)}
    order = session.get(SalesOrder, order_id)
    assert order is not None
    warehouse_id = order.warehouse_id or counter_warehouse_id(session)
    shelf = _counter_shelf(session, warehouse_id)
    tracked = set(
        session.scalars(
            select(Product.id).where(
                Product.id.in_({ln.product_id for ln in lines.values()}),
                Product.track_stock.is_(True),
            )
        )
    )
    gift_card_id = session.scalar(select(Product.id).where(Product.sku == gift_cards.GIFT_CARD_SKU))
    slip_lines: list[tuple[int, str, int]] = []
    for line_id, quantity in quantities.items():
        if quantity == 0:
            continue
        line = lines.get(line_id)
        if line is None:
            raise ValidationError(f"Line {line_id} is not part of {order.number}.")
        check_quantity(quantity)
        if line.product_id == gift_card_id:
            raise ValidationError("A sold gift card is not refunded at the counter.")
        if quantity > line.refundable:
            raise ValidationError(
                f"Only {line.refundable} of {line.name} can come back "
                f"({line.refunded} already did)."
            )
        if line.product_id in tracked:
            inventory.receive_return(
                session,
                actor,
                line.product_id,
                shelf,
                quantity,
                inventory.MoveRef(REFUND_REF, line_id),
            )
        slip_lines.append((quantity, line.name, line.amount_for(quantity)))
    amount = sum(back for _q, _n, back in slip_lines)
    if amount == 0:
        raise ValidationError("Choose what comes back.")
    original = session.execute(
        select(Payment.method, Payment.reference)
        .where(Payment.order_id == order_id, Payment.kind == "payment")
        .order_by(Payment.amount.desc())
        .limit(1)
    ).first()
    method = method or (original.method if original else "cash")
    reference = ""
    if method == "gift_card":
        card = session.scalar(
            select(Payment.reference).where(
                Payment.order_id == order_id, Payment.method == "gift_card"
            )
        )
        if not card:
            raise ValidationError(f"{order.number} was not paid with a gift card.")
        reference = card
        gift_cards.top_up(session, actor, card, amount, order.id, f"Refund of {order.number}")
    if method not in METHODS:
        raise ValidationError(f"'{method}' is not a way to refund here.")
    if method == "store_credit":
        give_credit(
            session, actor, order.customer_id, amount, order.id, f"Refund of {order.number}"
        )
    if method == "cash" and amount > till.expected_cash(session, cash_session.id):
        raise ValidationError("There is not enough cash in the drawer for this refund.")
    session.add(
        Payment(
            order_id=order_id,
            cash_session_id=cash_session.id,
            method=method,
            kind="refund",
            amount=amount,
            reference=reference,
            user_id=actor.user_id,
        )
    )
    currency = order.currency
    left = sum(
        ln.refundable - quantities.get(ln.line_id, 0)
        for ln in lines.values()
        if ln.product_id != gift_card_id
    )
    orders.change_status(
        session,
        actor,
        order,
        OrderStatus.REFUNDED if left == 0 else OrderStatus.PARTLY_REFUNDED,
        "refunded",
        f"Refunded {format_money(amount, currency)} by {method} at {till_name}",
        data={"lines": {str(k): v for k, v in quantities.items() if v}},
    )
    session.flush()
    from app.services.printing.documents import print_refund_slip

    print_refund_slip(session, actor, order_id, slip_lines, amount, method)
    changes.note(session, orders=[order_id], kind="sale")
    return amount


def _counter_shelf(session: Session, warehouse_id: int) -> int:
    from app.models import Location

    shelf = session.scalar(
        select(Location.id)
        .where(
            Location.warehouse_id == warehouse_id,
            Location.kind == "internal",
            Location.active.is_(True),
        )
        .order_by(Location.pick_sequence, Location.id)
        .limit(1)
    )
    if shelf is None:
        raise ValidationError("The shop has no shelf to put returned items on.")
    return shelf


CASHIER_DISCOUNT_LIMIT_BP = 1000  # a cashier may give up to 10 % on their own


def check_discount(actor: Actor, gross: int, discount: int) -> int:
    """A discount on `gross`: up to 10 % at the cashier's word, more with a manager's."""
    check_money(discount, "Discount")
    if discount > gross:
        raise ValidationError("A discount cannot be more than the amount.")
    limit = div_round_half_up(gross * CASHIER_DISCOUNT_LIMIT_BP, 10_000)  # 10 %, to the cent
    if discount > limit and not actor.can(Permission.PRICE_OVERRIDE):
        raise PermissionDenied("A discount above 10 % needs a manager: ask one to approve it.")
    return discount


def spread_discount(cart: Cart, amount: int) -> None:
    """An order discount, spread over the lines in proportion to their amounts, to the cent
    (largest remainders get the odd cents), so tax stays right per line."""
    grosses = [ln.quantity * ln.unit_price - ln.discount for ln in cart.lines]
    total = sum(grosses)
    if amount > total:
        raise ValidationError("The discount is more than the sale.")
    if total == 0 or amount == 0:
        return
    shares = [amount * g // total for g in grosses]
    remainders = sorted(
        range(len(grosses)), key=lambda i: (amount * grosses[i]) % total, reverse=True
    )
    for i in remainders[: amount - sum(shares)]:
        shares[i] += 1
    for line, share in zip(cart.lines, shares, strict=True):
        line.discount += share


def credit_balance(session: Session, party_id: int | None) -> int:
    from sqlalchemy import func

    from app.models import CreditEntry

    if party_id is None:
        return 0
    return int(
        session.scalar(
            select(func.coalesce(func.sum(CreditEntry.amount), 0)).where(
                CreditEntry.party_id == party_id
            )
        )
        or 0
    )


def _named_customer(session: Session, party_id: int | None) -> int:
    from app.models import Party

    party = session.get(Party, party_id) if party_id else None
    if party is None or party.is_walk_in:
        raise ValidationError("Store credit belongs to a named customer: choose one first (F5).")
    return party.id


def give_credit(
    session: Session,
    actor: Actor,
    party_id: int | None,
    amount: int,
    order_id: int | None,
    reason: str,
) -> None:
    """Credit a refund (at the counter or of a return) to the customer; with no order
    behind it, it is goodwill and needs the CREDIT_GRANT permission."""
    from app.models import CreditEntry

    require_any(actor, Permission.SALE_COMPLETE, Permission.ORDERS_CANCEL)
    check_money(amount, "Credit")
    require_backing(session, actor, order_id, amount, "Store credit")
    party = _named_customer(session, party_id)
    session.add(
        CreditEntry(
            party_id=party,
            amount=amount,
            order_id=order_id,
            reason=reason[:200],
            user_id=actor.user_id,
        )
    )


def reserve_credit(session: Session, party_id: int | None, amount: int) -> int:
    """Check the credit is there, locking the customer's row so two tills cannot spend the
    same credit twice before either commits."""
    from app.models import Party

    party = _named_customer(session, party_id)
    session.get(Party, party, with_for_update=True)
    balance = credit_balance(session, party)
    if amount > balance:
        currency = get_setting(session, "currency")
        raise ValidationError(
            f"The customer has {format_money(balance, currency)} of store credit, "
            f"not {format_money(amount, currency)}."
        )
    return party


def take_credit(
    session: Session,
    actor: Actor,
    party_id: int | None,
    amount: int,
    order_id: int | None,
    reason: str,
) -> None:
    """Spend store credit (checked again under the lock taken by reserve_credit)."""
    from app.models import CreditEntry

    require(actor, Permission.SALE_COMPLETE)
    party = reserve_credit(session, party_id, amount)
    session.add(
        CreditEntry(
            party_id=party,
            amount=-amount,
            order_id=order_id,
            reason=reason[:200],
            user_id=actor.user_id,
        )
    )
