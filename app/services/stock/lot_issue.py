"""A counter sale of a lot-tracked product: the units leave in their lots, first to expire
first out, without asking the cashier.

Why it never refuses: a cashier scans the shelf's EAN, which names no lot, and the
customer is at the till with the goods in hand; the shelf is the truth, not the lot books.
So the sale takes the lots the books hold in the bin, the ones still good first (FEFO),
then expired ones (they are on the shelf if they were sold), and what the lot levels lack
(stock received before the product tracked lots, a miscount) leaves untagged rather than
stopping the sale. The lot books never claim more than the bin holds, which
`kestrel check` verifies.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require_any
from app.models import Lot, Product
from app.services.stock import inventory, lots
from app.services.stock.inventory import MoveRef


def issue_fefo(
    session: Session,
    actor: Actor,
    product: Product,
    warehouse_id: int,
    quantity: int,
    ref: MoveRef,
) -> list[int]:
    """Free units leave the warehouse bin by bin (pick sequence) and, in each bin, lot by
    lot first-expiry-first-out; one move per lot, tagged. The move ids."""
    require_any(actor, Permission.SALE_COMPLETE, Permission.STOCK_ADJUST)
    moves: list[int] = []
    for location_id, units in inventory.issue_plan(session, product.id, warehouse_id, quantity):
        left = units
        for held in lots.good_first(session, product.id, location_id):
            if left == 0:
                break
            take = min(held.on_hand, left)
            lot = session.get_one(Lot, held.lot_id)
            move_id = inventory.issue(session, actor, product.id, location_id, take, ref)
            lots.tag_move(session, move_id, lot)
            lots.change_lot_level(session, lot, location_id, -take)
            moves.append(move_id)
            left -= take
        if left:
            moves.append(inventory.issue(session, actor, product.id, location_id, left, ref))
    return moves
