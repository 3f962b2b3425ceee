"""The counter sale: the cart (cart.py) paid for, in one transaction.

`complete_sale` does the whole sale in the caller's transaction: the counter order with
its lines, the stock leaving the shop's shelves at once, the payments in the open cash
session, the timeline, and the receipt queued for the receipt printer (with a drawer
kick when cash was taken). A printer that is off delays the receipt; it never stops the
sale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import changes, idempotency, session_cache
from app.core.auth import Actor, Permission, require
from app.core.errors import PermissionDenied, ValidationError
from app.core.i18n import _
from app.core.money import format_money
from app.core.sentence import Sentence, joined, said
from app.core.settings import get_setting
from app.core.validation import check_money, check_quantity, clean_text
from app.models import Channel, OrderStatus, Product, SalesOrder, Warehouse, utcnow
from app.services.sales import counter_rows, gift_cards, order_entry, orders, till
from app.services.sales.cart import Cart
from app.services.sales.order_entry import LineInput, OrderInput
from app.services.sales.store_credit import reserve_credit, take_credit
from app.services.stock import inventory, issuing, lot_issue, lots

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
        raise ValidationError(_("Choose how the customer pays."))
    for tender in tenders:
        if tender.method not in METHODS:
            raise ValidationError(
                _("'{method}' is not a way to pay here.").format(method=tender.method)
            )
        check_money(tender.amount, "Amount")
        if tender.method == "gift_card":
            gift_cards.normalise_code(tender.reference)
    non_cash = sum(t.amount for t in tenders if t.method != "cash")
    if non_cash > total:
        raise ValidationError(
            _(
                "Card, credit and gift card payments ({value}) are more than the total ({value2})."
            ).format(value=format_money(non_cash, currency), value2=format_money(total, currency))
        )
    cash_due = total - non_cash
    cash_tendered = sum(t.amount for t in tenders if t.method == "cash")
    if cash_tendered < cash_due:
        raise ValidationError(
            _("{value} still to pay.").format(
                value=format_money(cash_due - cash_tendered, currency)
            )
        )
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


@dataclass(frozen=True)
class CounterOrder:
    """The counter order just inserted, as the timeline, the receipt job and the payments
    read it (kept in the session's cache under SalesOrder: no ORM load of a row this
    transaction wrote)."""

    id: int
    number: str
    channel: str
    customer_id: int
    email: str
    total: int


@dataclass(frozen=True)
class SoldLine:
    id: int
    product_id: int
    sku: str
    quantity: int


def complete_sale(  # noqa: PLR0913
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
    nothing written again (a retry after a lost COMMIT answer, a journal synced twice).

    Every row goes through prebuilt Core statements (counter_rows, stock.issuing), and the
    stock levels, the rows every till shares, are changed last (see issuing.py)."""
    require(actor, Permission.SALE_COMPLETE)
    earlier = _replay(session, key)
    if earlier is not None:
        return earlier
    if not cart.lines:
        raise ValidationError(_("The cart is empty: scan something first."))
    _check_lines(cart)
    products = counter_rows.products(session, {ln.product_id for ln in cart.lines})
    _check_prices(actor, cart, products)
    offline = shortfalls is not None
    where = counter_rows.context(session, till_name, COUNTER_WAREHOUSE)
    if where.cash_session_id is None and not offline:
        raise till.not_open(till_name)
    currency = str(get_setting(session, "currency"))
    inclusive = bool(get_setting(session, "prices_include_tax"))
    _net, _tax, total = cart.totals(inclusive)
    settlement = settle(total, tenders, currency)
    credit = sum(applied for method, applied, *_ in settlement.payments if method == "store_credit")
    if credit:  # checked before anything is written
        reserve_credit(session, cart.customer_id, credit)
    order, lines = _counter_order(session, actor, cart, where, products, currency, inclusive)
    created = said("Order created ({channel})", channel="counter")
    timeline = _timeline(session, actor, order, "created", created, "new")
    takes = _issue_stock(session, actor, lines, products, where, shortfalls)
    _take_payments(session, actor, cart, settlement, order, where.cash_session_id, credit)
    _record_sale(session, actor, cart, order, settlement, currency, till_name, timeline)
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
    issuing.write(session, actor, takes, where.customers_location_id)  # shared rows last
    changes.note(session, orders=[order.id], kind="orders")
    changes.note(session, kind=changes.ORDER_CREATED)
    changes.note(session, orders=[order.id], kind=changes.ORDER_STATUS)
    changes.note(session, orders=[order.id], kind="sale")
    return SaleResult(order.id, order.number, total, settlement.change, job_id)


def _counter_order(  # noqa: PLR0913
    session: Session,
    actor: Actor,
    cart: Cart,
    where: counter_rows.Context,
    products: dict[int, counter_rows.SaleProduct],
    currency: str,
    inclusive: bool,
) -> tuple[CounterOrder, list[SoldLine]]:
    """The cart as a counter order, priced and totalled by order_entry like any order,
    written completed (the timeline says created, then completed, as before)."""
    require(actor, Permission.ORDERS_CREATE)
    data = OrderInput(
        channel="counter",
        customer_id=cart.customer_id,
        warehouse_id=where.warehouse_id,
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
    )
    order_entry.check_line_count(data.lines)
    customer = counter_rows.customer(session, cart.customer_id or where.walk_in_id)
    values = order_entry.header_values(actor, Channel.COUNTER, data, customer, currency)
    rows = order_entry.priced_lines(products, data.lines, inclusive)
    total = sum(row["total"] for row in rows)
    check_money(total, "The order's total")  # bounds every line's amounts too
    now = utcnow()
    values.update(
        number=counter_rows.order_number(session),
        status=OrderStatus.COMPLETED.value,
        subtotal=sum(row["net"] for row in rows),
        tax_total=sum(row["tax"] for row in rows),
        total=total,
        created_at=now,
        updated_at=now,
        version=2,  # made new, then completed: as the two steps through the ORM left it
    )
    order_id, line_ids = counter_rows.insert_order(session, values, rows)
    order = CounterOrder(order_id, values["number"], "counter", customer.id, values["email"], total)
    session_cache.keep(session, order, SalesOrder)
    lines = [
        SoldLine(line_id, row["product_id"], row["sku"], row["quantity"])
        for line_id, row in zip(line_ids, rows, strict=True)
    ]
    return order, lines


def _issue_stock(  # noqa: PLR0913
    session: Session,
    actor: Actor,
    lines: list[SoldLine],
    products: dict[int, counter_rows.SaleProduct],
    where: counter_rows.Context,
    shortfalls: dict[str, int] | None,
) -> list[issuing.Take]:
    """Where the goods leave the shop's shelves from (written at the end of the sale, see
    issuing.py); offline, what the books lack is counted into `shortfalls` instead
    of refused. A lot-tracked product goes through lot_issue, first expiry first."""
    tracked = [ln for ln in lines if products[ln.product_id].track_stock]
    bins = issuing.free_bins(
        session,
        sorted({ln.product_id for ln in tracked if products[ln.product_id].tracking == lots.NONE}),
        where.warehouse_id,
    )
    wanted: list[issuing.Wanted] = []
    asked: dict[int, int] = {}  # units earlier lines of the sale take of a product
    for line in sorted(tracked, key=lambda ln: (ln.product_id, ln.id)):
        product = products[line.product_id]
        quantity = line.quantity
        if shortfalls is not None:
            free = (
                bins.free(line.product_id)
                if product.tracking == lots.NONE
                else inventory.free_in_warehouse(session, line.product_id, where.warehouse_id)
            ) - asked.get(line.product_id, 0)
            if free < quantity:
                shortfalls[line.sku] = shortfalls.get(line.sku, 0) + quantity - max(free, 0)
                quantity = max(free, 0)
            asked[line.product_id] = asked.get(line.product_id, 0) + quantity
        ref = inventory.MoveRef(orders.LINE_REF, line.id)
        if quantity and product.tracking != lots.NONE:
            held = session_cache.row(session, Product, line.product_id)
            assert held is not None  # read a moment ago in this transaction
            lot_issue.issue_fefo(session, actor, held, where.warehouse_id, quantity, ref)
        elif quantity:
            words = f"{product.sku} '{product.name}'"
            wanted.append(issuing.Wanted(line.product_id, words, quantity, ref))
    return issuing.plan(actor, bins, wanted)


def _timeline(
    session: Session,
    actor: Actor,
    order: CounterOrder,
    kind: str,
    message: Sentence,
    to_status: str,
    from_status: str = "",
) -> list[dict[str, object]]:
    """orders.timeline_rows for the counter order (its audit line noted now)."""
    return orders.timeline_rows(
        session, cast(SalesOrder, order), actor, kind, message, from_status, to_status
    )


def _record_sale(  # noqa: PLR0913
    session: Session,
    actor: Actor,
    cart: Cart,
    order: CounterOrder,
    settlement: Settlement,
    currency: str,
    till_name: str,
    timeline: list[dict[str, object]],
) -> None:
    """The timeline: created (`timeline`), every approved price override, then the sale
    completed and how it was paid; one executemany."""
    paid = joined(
        [
            said(
                "{method} {amount} (change {change})",
                method=m,
                amount=format_money(a, currency),
                change=format_money(c, currency),
            )
            if c
            else said("{method} {amount}", method=m, amount=format_money(a, currency))
            for m, a, _t, c, _r in settlement.payments
        ],
        ", ",
    )
    for cart_line in cart.lines:
        if cart_line.approved_by:
            timeline += _timeline(
                session,
                actor,
                order,
                "override",
                said(
                    "Price of {name} set to {price} with {approver}'s approval",
                    name=cart_line.name,
                    price=format_money(cart_line.unit_price, currency),
                    approver=cart_line.approved_by,
                ),
                "",
            )
    timeline += _timeline(
        session,
        actor,
        order,
        "completed",
        said("Sold at {till}; paid {payments}", till=till_name, payments=paid),
        OrderStatus.COMPLETED.value,
        OrderStatus.NEW.value,
    )
    orders.insert_few_events(session, timeline)


def _replay(session: Session, key: str | None) -> SaleResult | None:
    """The sale an earlier attempt under `key` committed, if any."""
    earlier = idempotency.landed(session, key) if key is not None else None
    if earlier is None:
        return None
    if earlier.kind != SALE_KEY_KIND or earlier.order_id is None:
        raise ValidationError(_("This retry key belongs to another action, not a sale."))
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


def _check_lines(cart: Cart) -> None:
    """A cart built by hand (an API, a damaged journal) is checked before any sum."""
    for line in cart.lines:
        check_quantity(line.quantity)
        check_money(line.unit_price, "Price")
        check_money(line.discount, "Discount")
        check_quantity(line.tax_rate_bp, "Tax rate", allow_zero=True)


def _check_prices(actor: Actor, cart: Cart, products: dict[int, counter_rows.SaleProduct]) -> None:
    """A price below cost needs a manager's approval (check_price) here too, not only on
    screen; the costs come from the one read of the cart's products."""
    unapproved = [ln for ln in cart.lines if not ln.approved_by]
    if unapproved and not actor.can(Permission.PRICE_OVERRIDE):
        costs = {pid: p.cost for pid, p in products.items()}
        if any(ln.unit_price < costs.get(ln.product_id, 0) for ln in unapproved):
            raise PermissionDenied(_("A price below cost needs a manager: ask one to override."))


def _take_payments(  # noqa: PLR0913
    session: Session,
    actor: Actor,
    cart: Cart,
    settlement: Settlement,
    order: CounterOrder,
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
    counter_rows.insert_payments(
        session,
        [
            {
                "order_id": order.id,
                "cash_session_id": cash_session_id,
                "method": method,
                "kind": "payment",
                "amount": applied,
                "tendered": tendered,
                "change": change,
                "reference": reference,
                "refund_of_id": None,
                "user_id": actor.user_id,
            }
            for method, applied, tendered, change, reference in settlement.payments
        ],
    )
