"""Cash sessions: one till from its opening float to its counted close and Z report.

Cash in the drawer is derived, never typed: opening float + cash sales - cash refunds
+ cash in - cash out. At the close the cashier counts per denomination and the Z report
shows the difference.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, require
from app.core.errors import InvalidTransition, NotFound, ValidationError
from app.core.i18n import _
from app.core.money import format_money
from app.core.settings import get_setting
from app.core.validation import check_money, check_quantity, clean_text
from app.models import CashSession, Payment, utcnow

# Notes and coins a drawer is counted in, per currency, in minor units (data, not code).
DENOMINATIONS: dict[str, tuple[int, ...]] = {
    "EUR": (50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1),
    "GBP": (5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1),
    "USD": (10000, 5000, 2000, 1000, 500, 200, 100, 50, 25, 10, 5, 1),
    "CHF": (100000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5),
    "SEK": (100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100),
    "NOK": (100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 100),
    "DKK": (100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50),
    "PLN": (50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1),
    "CZK": (500000, 200000, 100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100),
    "CAD": (10000, 5000, 2000, 1000, 500, 200, 100, 25, 10, 5),
    "AUD": (10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5),
}


def denominations(currency: str) -> tuple[int, ...]:
    """What a drawer in `currency` holds; a currency not listed counts like the euro."""
    return DENOMINATIONS.get(currency.upper(), DENOMINATIONS["EUR"])


def _money(session: Session) -> Callable[[int], str]:
    """Amounts for the audit log, in the shop's currency."""
    currency = get_setting(session, "currency")
    return lambda minor: format_money(minor, currency)


@dataclass(frozen=True)
class TillState:
    session_id: int
    till: str
    opened_at: datetime
    opened_by: str
    opening_float: int
    expected_cash: int


@dataclass(frozen=True)
class ZReport:
    session_id: int
    till: str
    opened_at: datetime
    closed_at: datetime
    opening_float: int
    sales_by_method: dict[str, int] = field(default_factory=dict)
    refunds_by_method: dict[str, int] = field(default_factory=dict)
    cash_in: int = 0
    cash_out: int = 0
    sales_count: int = 0
    expected_cash: int = 0
    counted_cash: int = 0

    @property
    def difference(self) -> int:
        return self.counted_cash - self.expected_cash


def open_session(
    session: Session, actor: Actor, till: str, opening_float: int, workstation: str = ""
) -> int:
    require(actor, Permission.TILL_OPERATE)
    till = clean_text(till, "Till", max_length=40, required=True)
    check_money(opening_float, "Opening float")
    workstation = clean_text(workstation, "Workstation", max_length=64)
    if current(session, till) is not None:
        raise InvalidTransition(
            _("Till {till} is already open; close it before opening it again.").format(till=till)
        )
    row = CashSession(
        till=till,
        workstation=workstation,
        status="open",
        opened_by_id=actor.user_id,
        opening_float=opening_float,
    )
    session.add(row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # another workstation opened it a moment ago
        raise InvalidTransition(
            _("Till {till} was just opened on another workstation.").format(till=till)
        ) from None
    money = _money(session)
    audit.record(session, actor, "till.open", till, f"float {money(opening_float)}")
    changes.note(session, kind="till")
    return row.id


def current(session: Session, till: str) -> CashSession | None:
    return session.scalar(
        select(CashSession).where(CashSession.till == till, CashSession.status == "open")
    )


def require_open(session: Session, till: str) -> CashSession:
    row = current(session, till)
    if row is None:
        raise not_open(till)
    return row


def not_open(till: str) -> InvalidTransition:
    return InvalidTransition(
        _("Till {till} is not open: open it with a float to start selling.").format(till=till)
    )


def _movement(
    session: Session, actor: Actor, till: str, kind: str, amount: int, reason: str
) -> None:
    require(actor, Permission.TILL_OPERATE)
    row = require_open(session, till)
    if check_money(amount, "Amount") == 0:
        raise ValidationError(_("An amount of zero moves no cash."))
    reason = clean_text(reason, "Reason", max_length=100, required=True)
    if kind == "cash_out" and amount > expected_cash(session, row.id):
        raise ValidationError(_("There is not that much cash in the drawer."))
    session.add(
        Payment(
            cash_session_id=row.id,
            method="cash",
            kind=kind,
            amount=amount,
            reference=reason,
            user_id=actor.user_id,
        )
    )
    session.flush()
    audit.record(session, actor, f"till.{kind}", till, f"{_money(session)(amount)}: {reason}")
    changes.note(session, kind="till")


def cash_in(session: Session, actor: Actor, till: str, amount: int, reason: str) -> None:
    _movement(session, actor, till, "cash_in", amount, reason)


def cash_out(session: Session, actor: Actor, till: str, amount: int, reason: str) -> None:
    _movement(session, actor, till, "cash_out", amount, reason)


def _sums(session: Session, session_id: int) -> dict[tuple[str, str], tuple[int, int]]:
    rows = session.execute(
        select(Payment.kind, Payment.method, func.sum(Payment.amount), func.count())
        .where(Payment.cash_session_id == session_id)
        .group_by(Payment.kind, Payment.method)
    ).all()
    return {(kind, method): (int(total or 0), int(count)) for kind, method, total, count in rows}


def expected_cash(session: Session, session_id: int) -> int:
    row = session.get(CashSession, session_id)
    if row is None:
        raise NotFound(_("Cash session {session_id} does not exist.").format(session_id=session_id))
    sums = _sums(session, session_id)

    def cash(kind: str) -> int:
        return sums.get((kind, "cash"), (0, 0))[0]

    return row.opening_float + cash("payment") - cash("refund") + cash("cash_in") - cash("cash_out")


def state(session: Session, till: str) -> TillState | None:
    row = current(session, till)
    if row is None:
        return None
    from app.models import User

    opened_by = session.scalar(select(User.display_name).where(User.id == row.opened_by_id)) or ""
    return TillState(
        row.id,
        row.till,
        row.opened_at,
        opened_by,
        row.opening_float,
        expected_cash(session, row.id),
    )


def close_session(session: Session, actor: Actor, till: str, counted: dict[int, int]) -> ZReport:
    """Count the drawer per denomination (minor units -> how many) and close the till."""
    require(actor, Permission.TILL_OPERATE)
    row = require_open(session, till)
    money = _money(session)
    drawer = denominations(get_setting(session, "currency"))
    total = 0
    for value, count in counted.items():
        if value not in drawer:
            raise ValidationError(
                _("{amount} is not a coin or note Kestrel counts.").format(amount=money(value))
            )
        check_quantity(count, "Count", allow_zero=True)
        total += value * count
    report = z_report(session, row.id, counted_cash=total)
    row.status = "closed"
    row.closed_by_id = actor.user_id
    row.closed_at = report.closed_at
    row.expected_cash = report.expected_cash
    row.counted_cash = total
    row.counted_detail = json.dumps({str(k): v for k, v in sorted(counted.items()) if v})
    session.flush()
    audit.record(
        session,
        actor,
        "till.close",
        till,
        f"expected {money(report.expected_cash)}, counted {money(total)}",
    )
    changes.note(session, kind="till")
    return report


def z_report(session: Session, session_id: int, counted_cash: int | None = None) -> ZReport:
    row = session.get(CashSession, session_id)
    if row is None:
        raise NotFound(_("Cash session {session_id} does not exist.").format(session_id=session_id))
    sums = _sums(session, session_id)
    sales: dict[str, int] = defaultdict(int)
    refunds: dict[str, int] = defaultdict(int)
    sales_count = int(
        session.scalar(
            select(func.count(func.distinct(Payment.order_id))).where(
                Payment.cash_session_id == session_id, Payment.kind == "payment"
            )
        )
        or 0
    )
    for (kind, method), (amount, _count) in sums.items():
        if kind == "payment":
            sales[method] += amount
        elif kind == "refund":
            refunds[method] += amount
    return ZReport(
        session_id=row.id,
        till=row.till,
        opened_at=row.opened_at,
        closed_at=row.closed_at or utcnow(),
        opening_float=row.opening_float,
        sales_by_method=dict(sales),
        refunds_by_method=dict(refunds),
        cash_in=sums.get(("cash_in", "cash"), (0, 0))[0],
        cash_out=sums.get(("cash_out", "cash"), (0, 0))[0],
        sales_count=sales_count,
        expected_cash=expected_cash(session, session_id),
        counted_cash=row.counted_cash if counted_cash is None else counted_cash,  # type: ignore[arg-type]
    )
