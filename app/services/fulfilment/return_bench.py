"""Goods-in for returns as the bench sees it: each scan or key is one call that does its
part and hands back the return as it now stands (one transaction that may run again)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.services.fulfilment import returns
from app.services.fulfilment.returns import ReturnLineRow, ReturnRow
from app.services.stock.locations import order_bins


@dataclass(frozen=True)
class ReturnView:
    """A return opened at the bench, with the bins its units can go back to."""

    rma: ReturnRow
    bins: tuple[tuple[int, str], ...]  # (location id, code), in walking order


@dataclass(frozen=True)
class Received:
    line: ReturnLineRow
    rma: ReturnRow


@dataclass(frozen=True)
class Refunded:
    amount: int
    rma: ReturnRow


def open_return(session: Session, code: str) -> ReturnView:
    """The return a scanned label (RMA number) stands for."""
    rma = returns.get(session, returns.find(session, code))
    return ReturnView(rma, tuple(order_bins(session, rma.order_id)))


def receive(session: Session, actor: Actor, return_id: int, code: str) -> Received:
    require(actor, Permission.STOCK_RECEIVE)
    line = returns.receive_scan(session, actor, return_id, code)
    return Received(line, returns.get(session, return_id))


def inspect(
    session: Session,
    actor: Actor,
    return_id: int,
    line_id: int,
    decision: tuple[int, int],
    bin_id: int | None,
) -> ReturnRow:
    """One unit of a line decided: `decision` is (restock, scrap)."""
    require(actor, Permission.STOCK_RECEIVE)
    restock, scrap = decision
    returns.inspect(session, actor, line_id, restock, scrap, bin_id)
    return returns.get(session, return_id)


def refund(session: Session, actor: Actor, return_id: int, method: str) -> Refunded:
    require(actor, Permission.ORDERS_CANCEL)
    amount = returns.refund(session, actor, return_id, method)
    return Refunded(amount, returns.get(session, return_id))
