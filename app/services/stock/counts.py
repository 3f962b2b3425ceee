"""Cycle counts: start a count of bins, count them by scan on any number of workstations,
list the variances and let a manager apply them as adjustments.

The rule for movement during a count: a line's expected quantity is the book on-hand of
that product in that bin AT THE LINE'S FIRST SCAN (stored once, by a conditional UPDATE
`WHERE expected IS NULL`), not at the count's start. A sale from the bin before the first
scan is therefore in the expectation; a sale after it does not create a false variance,
because approval applies `counted - expected` as a delta to whatever the bin holds then.
A line nobody scanned is expected at its book quantity at approval and counted as zero.

Each scan is its own row (stock_count_scans) rather than `counted = counted + n`: inserts
from two workstations never contend or lose an update on either engine, every scan keeps
the book quantity it saw and who made it, and "undo the last scan" deletes one row.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import ConflictError, InvalidTransition, NotFound, ValidationError
from app.core.i18n import _
from app.core.validation import check_quantity, clean_text
from app.models import (
    Barcode,
    Location,
    LocationKind,
    Product,
    StockCount,
    StockCountBin,
    StockCountLine,
    StockCountScan,
    StockLevel,
    utcnow,
)
from app.services.stock import count_lots, inventory
from app.services.stock.scanning import Scan, parse_scan

PREFIX = "CNT-"


@dataclass(frozen=True)
class CountLine:
    sku: str
    bin: str
    expected: int | None  # None in a blind count's view, or not yet scanned
    counted: int
    variance: int | None
    value: int | None  # variance at product cost, minor units


@dataclass(frozen=True)
class ScanResult:
    sku: str
    bin: str
    added: int
    counted: int  # the line's total after this scan
    lot: str = ""  # the lot or serial the scan named ("" for a plain code)


def number(count_id: int) -> str:
    return f"{PREFIX}{count_id}"


def parse_number(text: str) -> int:
    raw = text.strip().upper().removeprefix(PREFIX)
    if not (raw.isascii() and raw.isdigit()):
        raise ValidationError(
            _("'{text}' is not a count number (like {prefix}12).").format(text=text, prefix=PREFIX),
            "count",
        )
    return int(raw)


def _open(session: Session, count_id: int) -> StockCount:
    count = session.get(StockCount, count_id)
    if count is None:
        raise NotFound(_("There is no count {value}.").format(value=number(count_id)))
    if count.state != "open":
        raise InvalidTransition(
            _("Count {value} is {state}, not open.").format(
                value=number(count_id), state=count.state
            )
        )
    return count


def _bin(session: Session, code: str) -> Location:
    code = clean_text(code, "Bin", max_length=40, required=True)
    loc = session.scalars(select(Location).where(Location.code == code)).first()
    if loc is None:
        raise NotFound(_("There is no location '{code}'.").format(code=code))
    return loc


def _bins_under(session: Session, root: Location) -> list[Location]:
    found, frontier = [], [root]
    while frontier:
        node = frontier.pop()
        if node.kind == LocationKind.INTERNAL:
            found.append(node)
        frontier.extend(session.scalars(select(Location).where(Location.parent_id == node.id)))
    return sorted(found, key=lambda loc: loc.code)


def _scope(
    session: Session, bin_code: str | None, zone_code: str | None, skus: list[str]
) -> tuple[list[Location], list[tuple[int, int]]]:
    """The bins held and the (bin, product) lines to start with."""
    if sum(bool(x) for x in (bin_code, zone_code, skus)) != 1:
        raise ValidationError(_("Count one bin, one zone or a list of products."), "scope")
    if skus:
        ids = []
        for raw in skus:
            sku = clean_text(raw, "SKU", max_length=64, required=True)
            pid = session.scalar(select(Product.id).where(Product.sku == sku))
            if pid is None:
                raise NotFound(_("There is no product with SKU '{sku}'.").format(sku=sku))
            ids.append(pid)
        rows = session.execute(
            select(StockLevel.location_id, StockLevel.product_id)
            .join(Location, Location.id == StockLevel.location_id)
            .where(StockLevel.product_id.in_(ids), Location.kind == LocationKind.INTERNAL)
        ).all()
        lines = [(r.location_id, r.product_id) for r in rows]
        bins = [session.get_one(Location, b) for b in sorted({b for b, _ in lines})]
        if not lines:
            raise ValidationError(_("None of these products is in any bin."), "sku")
        return bins, lines
    root = _bin(session, bin_code or zone_code or "")
    bins = [root] if bin_code else _bins_under(session, root)
    if not bins or (bin_code and root.kind != LocationKind.INTERNAL):
        raise ValidationError(_("'{code}' holds no bins to count.").format(code=root.code), "bin")
    rows = session.execute(
        select(StockLevel.location_id, StockLevel.product_id).where(
            StockLevel.location_id.in_([b.id for b in bins]), StockLevel.on_hand > 0
        )
    ).all()
    return bins, [(r.location_id, r.product_id) for r in rows]


def start(
    session: Session,
    actor: Actor,
    *,
    bin_code: str | None = None,
    zone_code: str | None = None,
    skus: list[str] | None = None,
    blind: bool = False,
) -> int:
    """Open a count; a bin already in an open count is refused by name."""
    require(actor, Permission.STOCK_RECEIVE)
    bins, lines = _scope(session, bin_code, zone_code, skus or [])
    held = session.execute(
        select(Location.code, StockCountBin.count_id)
        .join(Location, Location.id == StockCountBin.location_id)
        .where(StockCountBin.location_id.in_([b.id for b in bins]))
    ).first()
    if held is not None:
        raise ConflictError(
            _(
                "Bin {code} is already being counted in {value}; finish or cancel that count first."
            ).format(code=held.code, value=number(held.count_id))
        )
    scope = bin_code or zone_code or ", ".join(skus or [])
    count = StockCount(state="open", blind=blind, scope=scope[:200], created_by=actor.user_id)
    session.add(count)
    session.flush()
    try:
        with session.begin_nested():
            session.execute(
                insert(StockCountBin),
                [{"location_id": b.id, "count_id": count.id} for b in bins],
            )
    except IntegrityError as exc:  # another workstation started a count of it just now
        raise ConflictError(_("One of these bins was put in another count just now.")) from exc
    if lines:
        session.execute(
            insert(StockCountLine),
            [{"count_id": count.id, "location_id": b, "product_id": p} for b, p in lines],
        )
    return count.id


def _product_for(session: Session, code: str) -> tuple[int, int, Scan | None]:
    """(product, units, the GS1 scan when it was one: its lot, expiry and count)."""
    raw, code = code, clean_text(code, "Code", max_length=200, required=True)
    by_code = select(Barcode.product_id, Barcode.pack_qty)
    hit = session.execute(by_code.where(Barcode.code == code)).first()
    if hit is not None:
        return hit.product_id, hit.pack_qty, None
    pid = session.scalar(select(Product.id).where(Product.sku == code))
    if pid is not None:
        return pid, 1, None
    scan = parse_scan(raw)  # as scanned: clean_text would turn its GS separators to spaces
    if not scan.ok:
        raise ValidationError(scan.error, "code")
    for candidate in scan.codes if scan.kind == "gs1" else ():
        hit = session.execute(by_code.where(Barcode.code == candidate)).first()
        if hit is not None:
            return hit.product_id, hit.pack_qty * scan.quantity, scan
    raise NotFound(_("No product has the code '{code}'.").format(code=code))


def scan(
    session: Session, actor: Actor, count_id: int, bin_code: str, code: str, quantity: int = 1
) -> ScanResult:
    """Count `quantity` of the scanned product (case codes count their pack) in a bin."""
    require(actor, Permission.STOCK_RECEIVE)
    check_quantity(quantity, "Quantity")
    _open(session, count_id)
    loc = _bin(session, bin_code)
    if session.get(StockCountBin, loc.id) is None or (
        session.get_one(StockCountBin, loc.id).count_id != count_id
    ):
        raise ValidationError(
            _("Bin {code} is not part of {value}.").format(code=loc.code, value=number(count_id)),
            "bin",
        )
    product_id, pack, gs1 = _product_for(session, code)
    added = quantity * pack
    lot = count_lots.lot_of_scan(session, product_id, gs1)
    line_id = _line(session, count_id, loc.id, product_id)
    book = session.scalar(
        select(StockLevel.on_hand).where(
            StockLevel.product_id == product_id, StockLevel.location_id == loc.id
        )
    )
    book = book or 0
    session.execute(
        update(StockCountLine)
        .where(StockCountLine.id == line_id, StockCountLine.expected.is_(None))
        .values(expected=book)
    )
    session.execute(
        insert(StockCountScan).values(
            line_id=line_id,
            quantity=added,
            book_on_hand=book,
            user_id=actor.user_id,
            lot_id=lot.id if lot is not None else None,
        )
    )
    total = session.scalar(
        select(func.sum(StockCountScan.quantity)).where(StockCountScan.line_id == line_id)
    )
    sku = session.get_one(Product, product_id).sku
    return ScanResult(sku, loc.code, added, int(total or 0), lot.code if lot else "")


def _line(session: Session, count_id: int, location_id: int, product_id: int) -> int:
    where = (
        StockCountLine.count_id == count_id,
        StockCountLine.location_id == location_id,
        StockCountLine.product_id == product_id,
    )
    line_id = session.scalar(select(StockCountLine.id).where(*where))
    if line_id is None:  # a product found where the book has none
        try:
            with session.begin_nested():
                session.execute(
                    insert(StockCountLine).values(
                        count_id=count_id, location_id=location_id, product_id=product_id
                    )
                )
        except IntegrityError:  # another workstation added it at the same moment
            pass
        line_id = session.scalar(select(StockCountLine.id).where(*where))
    assert line_id is not None
    return line_id


def undo_last_scan(session: Session, actor: Actor, count_id: int) -> ScanResult | None:
    """Take back this user's last scan in the count; None when there is none."""
    require(actor, Permission.STOCK_RECEIVE)
    _open(session, count_id)
    last = session.execute(
        select(StockCountScan.id, StockCountScan.line_id, StockCountScan.quantity)
        .join(StockCountLine, StockCountLine.id == StockCountScan.line_id)
        .where(StockCountLine.count_id == count_id, StockCountScan.user_id == actor.user_id)
        .order_by(StockCountScan.id.desc())
        .limit(1)
    ).first()
    if last is None:
        return None
    session.execute(delete(StockCountScan).where(StockCountScan.id == last.id))
    line = session.get_one(StockCountLine, last.line_id)
    total = session.scalar(
        select(func.sum(StockCountScan.quantity)).where(StockCountScan.line_id == line.id)
    )
    sku = session.get_one(Product, line.product_id).sku
    bin_code = session.get_one(Location, line.location_id).code
    return ScanResult(sku, bin_code, -last.quantity, int(total or 0))


def _rows(session: Session, count_id: int) -> list[tuple[StockCountLine, int, int, str, str, int]]:
    """(line, counted, expected now, sku, bin, cost) per line."""
    counted = (
        select(StockCountScan.line_id, func.sum(StockCountScan.quantity).label("n"))
        .group_by(StockCountScan.line_id)
        .subquery()
    )
    rows = session.execute(
        select(StockCountLine, counted.c.n, StockLevel.on_hand, Product.sku, Location.code)
        .add_columns(Product.cost)
        .join(Product, Product.id == StockCountLine.product_id)
        .join(Location, Location.id == StockCountLine.location_id)
        .outerjoin(counted, counted.c.line_id == StockCountLine.id)
        .outerjoin(
            StockLevel,
            (StockLevel.product_id == StockCountLine.product_id)
            & (StockLevel.location_id == StockCountLine.location_id),
        )
        .where(StockCountLine.count_id == count_id)
        .order_by(Location.code, Product.sku)
    ).all()
    out = []
    for line, n, on_hand, sku, code, cost in rows:
        expected = line.expected if line.expected is not None else (on_hand or 0)
        out.append((line, int(n or 0), expected, sku, code, cost))
    return out


def show(session: Session, actor: Actor, count_id: int) -> tuple[StockCount, list[CountLine]]:
    """The count and its lines; a blind count hides expected quantities from counters
    (anyone who cannot adjust stock) while it is open."""
    require(actor, Permission.STOCK_RECEIVE)
    count = session.get(StockCount, count_id)
    if count is None:
        raise NotFound(_("There is no count {value}.").format(value=number(count_id)))
    hide = count.blind and count.state == "open" and not actor.can(Permission.STOCK_ADJUST)
    lines = []
    for _line_row, counted, expected, sku, code, cost in _rows(session, count_id):
        if hide:
            lines.append(CountLine(sku, code, None, counted, None, None))
        else:
            var = counted - expected
            lines.append(CountLine(sku, code, expected, counted, var, var * cost))
    return count, lines


def open_counts(session: Session, actor: Actor) -> list[tuple[int, str, bool]]:
    """(id, scope, blind) of the open counts, newest first."""
    require(actor, Permission.STOCK_RECEIVE)
    rows = session.execute(
        select(StockCount.id, StockCount.scope, StockCount.blind)
        .where(StockCount.state == "open")
        .order_by(StockCount.id.desc())
        .limit(200)
    ).all()
    return [(r.id, r.scope, r.blind) for r in rows]


def _close(session: Session, count: StockCount, state: str) -> None:
    count.state = state
    count.closed_at = utcnow()
    session.execute(delete(StockCountBin).where(StockCountBin.count_id == count.id))


def approve(session: Session, actor: Actor, count_id: int) -> int:
    """Apply every variance as an adjustment (reason "count") in the caller's transaction;
    zero-variance lines close too. A line counted by lot settles its lots as well
    (count_lots.py says how). Returns the number of adjustments made."""
    require(actor, Permission.STOCK_ADJUST)
    count = _open(session, count_id)
    made = 0
    for line, counted, expected, _sku, _code, _cost in _rows(session, count_id):
        by_lot = count_lots.settle(session, actor, line, counted, expected)
        if by_lot is not None:
            made += by_lot
        elif counted != expected:
            inventory.adjust(
                session, actor, line.product_id, line.location_id, counted - expected, "count"
            )
            made += 1
    _close(session, count, "approved")
    return made


def cancel(session: Session, actor: Actor, count_id: int) -> None:
    """Drop an open count: nothing moves, its bins are free again."""
    require(actor, Permission.STOCK_RECEIVE)
    _close(session, _open(session, count_id), "cancelled")
