"""The order state machine and the one writer of an order's timeline.

TRANSITIONS says where each status may go; change_status (one order) and move_orders
(many at once) are the only ways a status changes, and record_event is the only writer of
OrderEvent rows, each with its audit line, in the caller's transaction — and, through it,
of the customer's e-mail that an entry calls for (services/notify/outbox.py writes the
outbox row in the same transaction; no change, no e-mail); record_email writes the
sender's "sent"/"failed" entries, which mail nobody, by the order's id. The clerk's actions
that use them live in order_actions.py, creating an order in order_entry.py, reading one in
order_detail.py.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import FromClause, Insert, bindparam, insert, literal, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from app.core import audit, changes, driver_sql, session_cache
from app.core.auth import Actor, Permission, require
from app.core.bulk_insert import insert_with_ids
from app.core.errors import (
    ConflictError,
    InvalidTransition,
)
from app.core.i18n import N_, _, label
from app.core.sentence import Sentence
from app.models import (
    OrderEvent,
    OrderStatus,
    Party,
    SalesOrder,
    utcnow,
)
from app.services.notify import outbox

S = OrderStatus
LINE_REF = "order_line"

# action -> (states it may start from, permission)
ACTIONS: dict[str, tuple[frozenset[OrderStatus], Permission]] = {
    "accept": (frozenset({S.NEW}), Permission.ORDERS_ACCEPT),
    "confirm": (frozenset({S.NEW, S.ACCEPTED, S.PARTLY_SHIPPED}), Permission.ORDERS_ACCEPT),
    "hold": (frozenset({S.NEW, S.ACCEPTED, S.CONFIRMED}), Permission.ORDERS_HOLD),
    "release": (frozenset({S.ON_HOLD}), Permission.ORDERS_HOLD),
    "cancel": (
        frozenset({S.NEW, S.ACCEPTED, S.CONFIRMED, S.PICKING, S.ON_HOLD}),
        Permission.ORDERS_CANCEL,
    ),
}
# The state machine: every status an order may go to from each status. Every status
# change goes through change_status (or move_orders for many at once), which checks it here.
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.NEW: frozenset({S.ACCEPTED, S.CONFIRMED, S.ON_HOLD, S.CANCELLED, S.COMPLETED}),
    S.ACCEPTED: frozenset({S.CONFIRMED, S.ON_HOLD, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.PICKING, S.ON_HOLD, S.CANCELLED}),
    S.ON_HOLD: frozenset({S.NEW, S.ACCEPTED, S.CONFIRMED, S.CANCELLED}),  # release: back
    S.PICKING: frozenset({S.PACKED, S.CANCELLED}),
    S.PACKED: frozenset({S.SHIPPED, S.PARTLY_SHIPPED}),
    S.PARTLY_SHIPPED: frozenset({S.CONFIRMED}),  # the backorder
    S.SHIPPED: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset(),
    S.CANCELLED: frozenset(),
    S.COMPLETED: frozenset({S.PARTLY_REFUNDED, S.REFUNDED}),  # a counter sale
    S.PARTLY_REFUNDED: frozenset({S.PARTLY_REFUNDED, S.REFUNDED}),
    S.REFUNDED: frozenset(),
}
# Status changes made for many orders at once (move_orders), and who may make them.
BULK_MOVES: dict[tuple[OrderStatus, OrderStatus], Permission] = {
    (S.CONFIRMED, S.PICKING): Permission.STOCK_TRANSFER,
}
STATUS_LABELS = {
    S.NEW: N_("New"),
    S.ACCEPTED: N_("Accepted"),
    S.CONFIRMED: N_("Confirmed"),
    S.PICKING: N_("Picking"),
    S.PARTLY_SHIPPED: N_("Partly shipped"),
    S.PACKED: N_("Packed"),
    S.SHIPPED: N_("Shipped"),
    S.DELIVERED: N_("Delivered"),
    S.ON_HOLD: N_("On hold"),
    S.CANCELLED: N_("Cancelled"),
    S.COMPLETED: N_("Completed"),
    S.PARTLY_REFUNDED: N_("Partly refunded"),
    S.REFUNDED: N_("Refunded"),
}


def status_label(status: str) -> str:
    """The status in the screen's language."""
    return label(STATUS_LABELS, status)


def allowed_actions(status: str, actor: Actor | None = None) -> tuple[str, ...]:
    return tuple(
        name
        for name, (sources, permission) in ACTIONS.items()
        if status in sources and (actor is None or actor.can(permission))
    )


ACTION_WORDS = {
    "accept": "accepted",
    "confirm": "confirmed",
    "hold": "put on hold",
    "release": "released",
    "cancel": "cancelled",
}


def refused_actions(status: str, actor: Actor | None = None) -> dict[str, str]:
    """Why each lifecycle action may not be taken now, in words — so a screen can keep the
    buttons in place, greyed with the reason, instead of moving them under the mouse."""
    if not any(status in sources for sources, _permission in ACTIONS.values()):
        return {}  # a closed order: no lifecycle row at all
    refused: dict[str, str] = {}
    for name, (sources, permission) in ACTIONS.items():
        if status not in sources:
            refused[name] = (
                f"An order that is {status_label(status)} cannot be {ACTION_WORDS[name]}."
            )
        elif actor is not None and not actor.can(permission):
            refused[name] = f"Your role may not have orders {ACTION_WORDS[name]}."
    return refused


def check_transition(order_number: str, source: str, to: OrderStatus) -> None:
    """Raises InvalidTransition, in words, unless TRANSITIONS lets `source` go to `to`."""
    try:
        allowed = TRANSITIONS[OrderStatus(source)]
    except ValueError:
        allowed = frozenset()
    if to not in allowed:
        raise InvalidTransition(
            _("Order {order_number} is {value}; it cannot become {value2}.").format(
                order_number=order_number,
                value=status_label(source).lower(),
                value2=status_label(to).lower(),
            )
        )


_LOCKED = (
    select(SalesOrder, Party)
    .outerjoin(Party, Party.id == SalesOrder.customer_id)
    .where(SalesOrder.id == bindparam("order_id"))
    .with_for_update(of=SalesOrder)
    .execution_options(populate_existing=True)
)


def locked_with_customer(session: Session, order_id: int) -> SalesOrder | None:
    """The order read afresh and locked for a change (FOR UPDATE on PostgreSQL), with its
    customer's row in the same statement, held for the transaction: the e-mail the change
    queues takes the customer's opt-out, address and language from it without a statement
    of its own (bench/outbox.py)."""
    found = session.execute(_LOCKED, {"order_id": order_id}).first()
    if found is None:
        return None
    order, party = found
    if party is not None:
        session_cache.keep(session, party)
    locked: SalesOrder = order
    return locked


def change_status(
    session: Session,
    actor: Actor,
    order: SalesOrder,
    to: OrderStatus,
    kind: str,
    message: Sentence,
    data: dict[str, object] | None = None,
) -> None:
    """The one place an order's status changes: checked against TRANSITIONS, with its
    timeline event (from and to status). The caller checked the permission, flushes and
    notes the change, in its own transaction."""
    before = order.status
    check_transition(order.number, before, to)
    order.status = to.value
    order.updated_at = utcnow()
    record_event(session, order, actor, kind, message, before, to.value, data)
    changes.note(session, orders=[order.id], kind=changes.ORDER_STATUS)


def _event_fields(
    actor: Actor,
    kind: str,
    message: Sentence | None,
    from_status: str,
    to_status: str,
    data: Mapping[str, object] | None,
) -> dict[str, object]:
    """The row's columns: the sentence in English in `message` (audit, search, old
    readers), and its msgid and fields in `data` beside the entry's own data, for each
    reader to see in their language (app/core/sentence.py)."""
    if message is not None:
        data = {**(data or {}), **message.as_data()}
    return {
        "user_id": actor.user_id,
        "user_name": actor.display_name or actor.username,
        "workstation": actor.workstation,
        "kind": kind,
        "from_status": from_status,
        "to_status": to_status,
        "message": message.english()[:500] if message is not None else "",
        "data": json.dumps(data) if data else "",
    }


_INSERT_EVENT = insert(OrderEvent.__table__)


def record_event(
    session: Session,
    order: SalesOrder,
    actor: Actor,
    kind: str,
    message: Sentence | None = None,
    from_status: str = "",
    to_status: str = "",
    data: dict[str, object] | None = None,
    audited: bool = True,
) -> None:
    """The only writer of an order's timeline (move_orders writes many through
    _record_events, the same fields). `audited=False`: the caller writes its own audit
    line (a print job). The entry and its e-mail entry go in one INSERT (Core, no unit of
    work: a status change with its e-mail must stay cheap, bench/outbox.py)."""
    rows = timeline_rows(
        session, order, actor, kind, message, from_status, to_status, data, audited
    )
    session.execute(_INSERT_EVENT, rows if len(rows) > 1 else rows[0])


def record_email(
    session: Session, order_id: int, actor: Actor, words: Sentence, data: dict[str, object]
) -> None:
    """An e-mail's entry on the order's timeline (sent, failed) by the order's id alone:
    such an entry mails nobody and the sender writes no audit line for it, so the
    sender's mark-sent transaction does not read the order (bench/outbox.py)."""
    fields = _event_fields(actor, "email", words, "", "", data)
    session.execute(_INSERT_EVENT, {"order_id": order_id, **fields})


def email_event_insert(
    source: FromClause, order_id: int, actor: Actor, words: Sentence, data: dict[str, object]
) -> Insert:
    """record_email's row as INSERT ... SELECT FROM `source`: one entry per row of it. The
    sender's one-statement mark on PostgreSQL (services/notify/marks.py) gives the
    RETURNING of its UPDATE, so the entry is written only if the UPDATE marked the row."""
    row = {"order_id": order_id, "at": utcnow()}
    row |= _event_fields(actor, "email", words, "", "", data)
    table = OrderEvent.__table__
    values = select(*(literal(v, table.c[k].type).label(k) for k, v in row.items()))
    return insert(table).from_select(list(row), values.select_from(source))


def timeline_rows(
    session: Session,
    order: SalesOrder,
    actor: Actor,
    kind: str,
    message: Sentence | None = None,
    from_status: str = "",
    to_status: str = "",
    data: dict[str, object] | None = None,
    audited: bool = True,
) -> list[dict[str, object]]:
    """record_event's timeline rows (the entry, then the e-mail entry if it calls for
    one), for the caller to insert; its audit line and outbox row are written here, as
    record_event writes them. A bulk import inserts thousands of these in one statement."""
    rows = [
        {"order_id": order.id, **_event_fields(actor, kind, message, from_status, to_status, data)}
    ]
    english = message.english() if message is not None else ""
    if audited:
        audit.record(session, actor, f"order.{kind}", order.number, english)
    said = outbox.on_order_event(session, order, kind, to_status, data, message)
    if said:  # the customer's e-mail (or why there is none), in the same transaction
        fields = _event_fields(actor, "email", said.words, "", "", said.data)
        rows.append({"order_id": order.id, **fields})
    return rows


def insert_new_orders(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Orders made whole by a bulk import (status new, every column given), inserted in one
    statement; their ids in order. Their timeline follows through insert_timeline."""
    if any(row.get("status") != S.NEW.value for row in rows):
        raise InvalidTransition(_("Orders are inserted as new orders only."))
    return insert_with_ids(session, SalesOrder.__table__, rows)


_INSERT_ORDER = insert(SalesOrder.__table__).returning(SalesOrder.__table__.c.id)
_INSERT_COUNTER_SALE = driver_sql.Prebuilt(_INSERT_ORDER)  # on the cursor: every sale
_INSERT_ORDER_ONCE = (  # no id when the source's order is in Kestrel already
    postgresql.insert(SalesOrder.__table__)
    .on_conflict_do_nothing(index_elements=["source_id", "external_id"])
    .returning(SalesOrder.__table__.c.id)
)


def insert_new_order(session: Session, values: dict[str, Any], *, once: bool = False) -> int | None:
    """One order made whole by the push API or a webhook (status new, every column
    given), in one statement; its id. `once` (PostgreSQL only): the unique (source,
    external id) index decides, and None means the source's order is there already
    (nothing inserted). Its timeline follows through insert_timeline."""
    if values.get("status") != S.NEW.value:
        raise InvalidTransition(_("Orders are inserted as new orders only."))
    order_id: int | None = session.execute(
        _INSERT_ORDER_ONCE if once else _INSERT_ORDER, values
    ).scalar()
    return order_id


def insert_counter_sale(session: Session, values: dict[str, Any]) -> int:
    """A counter sale's order (every column given) inserted as it ends, completed: new,
    then completed at once, the step TRANSITIONS allows (its caller writes both timeline
    entries). Its id."""
    if values.get("channel") != "counter" or values.get("status") != S.COMPLETED.value:
        raise InvalidTransition(_("Only a counter sale is inserted completed."))
    check_transition(str(values.get("number", "")), S.NEW.value, S.COMPLETED)
    ((order_id,),) = driver_sql.execute(session, _INSERT_COUNTER_SALE, values).fetchall()
    return int(order_id)


def insert_timeline(session: Session, rows: list[dict[str, object]]) -> None:
    """timeline_rows' rows of many orders in one statement (a bulk import)."""
    if rows:
        session.execute(insert(OrderEvent.__table__), rows)


_INSERT_EVENTS = driver_sql.Prebuilt(insert(OrderEvent.__table__))


def insert_few_events(session: Session, rows: list[dict[str, object]]) -> None:
    """timeline_rows' rows of one order (a sale's, a print's) in one executemany on the
    DBAPI cursor (core/driver_sql); a bulk import keeps insert_timeline's batched VALUES."""
    driver_sql.executemany(session, _INSERT_EVENTS, rows)


def _record_events(
    session: Session,
    actor: Actor,
    orders: list[tuple[int, str]],
    kind: str,
    message: Sentence,
    from_status: str,
    to_status: str,
    at: datetime,
) -> None:
    """record_event for many orders (id, number) in two statements."""
    fields = _event_fields(actor, kind, message, from_status, to_status, None)
    session.execute(
        insert(OrderEvent.__table__),
        [{"order_id": order_id, "at": at, **fields} for order_id, _number in orders],
    )
    english = message.english()
    audit.record_many(session, actor, [(f"order.{kind}", number, english) for _i, number in orders])


def move_orders(
    session: Session,
    actor: Actor,
    order_ids: list[int],
    source: OrderStatus,
    to: OrderStatus,
    message: Sentence,
) -> None:
    """Many orders from one status to the next in two statements (a wave of a thousand
    orders must not flush a thousand ORM objects). Raises ConflictError, changing nothing,
    if any of them is no longer in `source`. Only the moves in BULK_MOVES are allowed, each
    with its permission: a bulk move never skips the steps (and reservations) in between."""
    permission = BULK_MOVES.get((source, to))
    if permission is None:
        raise InvalidTransition(
            _("Orders cannot go from {value} to {value2} in one step.").format(
                value=status_label(source).lower(), value2=status_label(to).lower()
            )
        )
    require(actor, permission)
    check_transition("", source.value, to)  # BULK_MOVES holds only moves of the table
    if not order_ids:
        return
    table = SalesOrder.__table__
    now = utcnow()
    done = session.execute(
        update(table)
        .where(table.c.id.in_(order_ids), table.c.status == source.value)
        .values(status=to.value, version=table.c.version + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if done != len(set(order_ids)):
        raise ConflictError(
            _(
                "Another workstation changed some of these orders a moment ago. Reload "
                "and try again."
            )
        )
    numbers = {
        order_id: number
        for order_id, number in session.execute(
            select(SalesOrder.id, SalesOrder.number).where(SalesOrder.id.in_(order_ids))
        )
    }
    moved = [(order_id, numbers.get(order_id, str(order_id))) for order_id in order_ids]
    _record_events(session, actor, moved, to.value, message, source.value, to.value, now)
    changes.note(session, orders=order_ids, kind="orders")
    changes.note(session, kind=changes.ORDER_STATUS)
