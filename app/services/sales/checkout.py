"""The counter's session-level use cases that the screen runs as one operation each
(views/ops.py): the keyed sale, the refund lookup, the gift card line and the shelf check
after a scan. Each takes the caller's session, so `Database.transact` can repeat it whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import ConflictError, ValidationError
from app.core.i18n import _
from app.services.sales import counter, gift_cards, order_detail, refunds
from app.services.sales.cart import Cart
from app.services.sales.counter import SaleResult, Tender
from app.services.sales.refunds import RefundableLine
from app.services.stock import catalogue, inventory
from app.services.stock.catalogue import ProductHit


class KeyInFlight(ConflictError):
    """The sale's key is committing elsewhere at this moment: run it again to get the answer."""


def sell(  # noqa: PLR0913
    session: Session,
    actor: Actor,
    cart: Cart,
    tenders: list[Tender],
    till: str,
    workstation: str,
    key: str,
) -> SaleResult:
    """The counter sale under `key` in the caller's transaction (a key that landed answers
    with the earlier sale). The unique key racing with another writer of the same key
    becomes KeyInFlight, so the screen asks again under the same key (as sell_online did)."""
    require(actor, Permission.SALE_COMPLETE)
    try:
        return counter.complete_sale(session, actor, cart, tenders, till, workstation, key=key)
    except IntegrityError as exc:
        raise KeyInFlight(_("This sale is being saved at this moment; asking again.")) from exc


@dataclass(frozen=True)
class RefundLookup:
    order_id: int | None  # None: no such order
    lines: list[RefundableLine]  # empty: nothing to take back at the counter


def refund_lookup(session: Session, number: str) -> RefundLookup:
    """A receipt scanned at the counter: its order and the lines that can come back
    (none for anything but a counter sale, which the Orders screen handles)."""
    order_id = order_detail.find_order_id(session, number)
    if order_id is None:
        return RefundLookup(None, [])
    try:
        return RefundLookup(order_id, refunds.refundable_lines(session, order_id))
    except ValidationError:
        return RefundLookup(order_id, [])


def gift_card_line(session: Session, code: str, amount: int) -> tuple[str, ProductHit]:
    """A gift card being sold: its code (a new one when none was scanned), checked free,
    and the product its cart line sells."""
    code = gift_cards.check_new_card(session, code.strip() or gift_cards.new_code(session), amount)
    return code, gift_cards.gift_card_product(session)


def shelf_shortfall(session: Session, product_id: int, quantity: int) -> int | None:
    """What the shop's stock shows of a tracked product when it cannot cover `quantity`
    (said at the scan, not at the payment); None when it can, or stock is not tracked."""
    tracked = catalogue.product_rows(session, [product_id])[0].track_stock
    if not tracked:
        return None
    free = inventory.free_in_warehouse(session, product_id, counter.counter_warehouse_id(session))
    return free if free < quantity else None
