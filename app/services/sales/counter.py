"""The counter sale: the cart (cart.py) paid for, in one transaction.

`complete_sale` does the whole sale in the caller's transaction: the counter order with
its lines, the stock leaving the shop's shelves at once, the payments in the open cash
session, the timeline, and the receipt queued for the receipt printer (with a drawer
kick when cash was taken). A printer that is off delays the receipt; it never stops the
sale.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import changes, idempotency, session_cache
from app.core.auth import Actor, Permission, require
from app.core.errors import PermissionDenied, ValidationError
from app.core.money import format_money
from app.core.settings import get_setting
from app.core.validation import check_money, check_quantity, clean_text
from app.models import OrderStatus, Payment, Product, SalesOrder, Warehouse
from app.services.sales import gift_cards, order_entry, orders, till
from app.services.sales.cart import Cart
from app.services.sales.order_entry import LineInput, OrderInput
from app.services.sales.store_credit import reserve_credit, take_credit
from app.services.stock import inventory, lot_issue, lots

METHODS = ("cash", "card", "store_credit", "gift_card")
COUNTER_WAREHOUSE = "SHOP"


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
    order = _counter_order(session, actor, cart, warehouse_id)
    _issue_stock(session, actor, order, warehouse_id, shortfalls)
    session_id = cash_session.id if cash_session is not None else None
    _take_payments(session, actor, cart, settlement, order, session_id, credit)
    _record_sale(session, actor, cart, order, settlement, currency, till_name)
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


def _counter_order(session: Session, actor: Actor, cart: Cart, warehouse_id: int) -> SalesOrder:
    """The cart as a counter order, priced and totalled by order_entry like any order."""
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
    return order


def _issue_stock(
    session: Session,
    actor: Actor,
    order: SalesOrder,
    warehouse_id: int,
    shortfalls: dict[str, int] | None,
) -> None:
    """The goods leave the shop's shelves at once; offline, what the books lack is counted
    into `shortfalls` instead of refused."""
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
        ref = inventory.MoveRef(orders.LINE_REF, line.id)
        if quantity and product.tracking != lots.NONE:  # the cached row: no extra query
            lot_issue.issue_fefo(session, actor, product, warehouse_id, quantity, ref)
        elif quantity:
            inventory.issue_in_warehouse(
                session, actor, line.product_id, warehouse_id, quantity, ref
            )


def _record_sale(
    session: Session,
    actor: Actor,
    cart: Cart,
    order: SalesOrder,
    settlement: Settlement,
    currency: str,
    till_name: str,
) -> None:
    """The timeline: every approved price override, then the sale completed and how it
    was paid."""
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
