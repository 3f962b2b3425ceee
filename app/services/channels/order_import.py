"""Web-shop and marketplace orders into Kestrel: every order checked before anything is
written, then written as `new` orders of their source, never twice.

An order is refused (with its rows and reasons) when its lines are unknown or archived
SKUs, its currency is not the shop's, its totals do not add up beyond rounding, its
ship-to address or e-mail is unusable, or it has no lines. An order already imported
from the same source (source + the source's own order id) is a duplicate: unchanged, it
is counted and left; changed, it is reported and left (a later file never rewrites an
order silently). An order cancelled or fully refunded at the source before Kestrel knew
it is skipped. All or nothing by default; with `skip_bad` the good orders are written.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import audit
from app.core.auth import Actor, Permission, require
from app.core.errors import KestrelError, ValidationError
from app.core.i18n import _
from app.core.settings import get_setting
from app.core.validation import emails_remembered
from app.models import OrderSource, Product, SalesOrder
from app.services.channels import bulk_writer, formats, mapped
from app.services.channels.external import (
    CANCELLED,
    REFUNDED,
    ExternalOrder,
    Parsed,
    totals_problem,
)
from app.services.channels.order_writer import write_order
from app.services.channels.sources import source_named
from app.services.sales.customers import check_email

NEW, DUPLICATE, CHANGED, REFUSED, SKIPPED = "new", "duplicate", "changed", "refused", "skipped"


@dataclass
class Verdict:
    """What happens to one order of the file (`number` is Kestrel's once written)."""

    external_id: str
    reference: str  # the source's name for it: #1001, 727, 302-...
    rows: list[int]
    outcome: str
    reasons: list[str] = field(default_factory=list)
    number: str | None = None


@dataclass
class OrderImport:
    source: str
    format: str
    verdicts: list[Verdict]
    written: bool = False
    dry_run: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for v in self.verdicts if v.outcome == outcome)

    @property
    def refused(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.outcome == REFUSED]

    def as_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "format": self.format,
            "written": self.written,
            "dry_run": self.dry_run,
            "created": self.count(NEW) if self.written else 0,
            "would_create": self.count(NEW),
            "duplicates": self.count(DUPLICATE),
            "changed": self.count(CHANGED),
            "skipped": self.count(SKIPPED),
            "refused": self.count(REFUSED),
            "orders": [asdict(v) for v in self.verdicts],
        }


def fingerprint(order: ExternalOrder) -> str:
    """What the source said about an order, hashed: equal for the same order in two
    files, different when its lines, amounts, address or state changed."""
    facts = {
        "state": order.state,
        "lines": [(x.sku, x.quantity, x.net, x.tax) for x in order.lines],
        "shipping": order.shipping + order.shipping_tax,
        "total": order.total,
        "ship_to": dict(vars(order.ship_to)),  # asdict's dict: its fields are all text
        "email": order.email,
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def _known(session: Session, source: OrderSource, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """external id -> (Kestrel number, fingerprint) of the orders already imported."""
    found: dict[str, tuple[str, str]] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(SalesOrder.external_id, SalesOrder.number, SalesOrder.source_fingerprint).where(
                SalesOrder.source_id == source.id,
                SalesOrder.external_id.in_(ids[start : start + 500]),
            )
        )
        found.update({r.external_id: (r.number, r.source_fingerprint) for r in rows})
    return found


def _products(session: Session, orders: Sequence[ExternalOrder]) -> dict[str, Product]:
    skus = sorted({x.sku.lower() for o in orders for x in o.lines if x.sku})
    found: dict[str, Product] = {}
    for start in range(0, len(skus), 500):
        chunk = skus[start : start + 500]
        for product in session.scalars(select(Product).where(func.lower(Product.sku).in_(chunk))):
            found[product.sku.lower()] = product
    return found


def problems(
    order: ExternalOrder, products: dict[str, Product], currency: str, emails: dict[str, str]
) -> list[str]:
    reasons: list[str] = []
    if not order.lines:
        reasons.append("it has no lines")
    if order.currency != currency:
        reasons.append(f"it is in {order.currency}; the shop sells in {currency}")
    for line in order.lines:
        where = f"row {line.row}" if line.row else f"line '{line.name or line.external_id}'"
        product = products.get(line.sku.lower()) if line.sku else None
        if not line.sku:
            reasons.append(f"{where}: '{line.name}' has no SKU")
        elif product is None:
            reasons.append(f"{where}: SKU {line.sku} is not in the catalogue")
        elif not product.active:
            reasons.append(f"{where}: {product.sku} is archived")
    if problem := totals_problem(order):
        reasons.append(problem)
    ship = order.ship_to
    missing = [n for n, v in (("street", ship.line1), ("city", ship.city)) if not v]
    if missing:
        reasons.append(f"the ship-to address has no {' or '.join(missing)}")
    if len(ship.country) != 2 or not ship.country.isalpha():
        reasons.append(f"the ship-to country {ship.country or '(none)'} is not a country code")
    try:  # checked once a file: the plan and the customer take it from `emails`
        emails[order.email] = check_email(order.email)
    except ValidationError as exc:
        reasons.append(str(exc))
    return reasons


def judge(
    session: Session, source: OrderSource, parsed: Parsed, emails: dict[str, str] | None = None
) -> tuple[list[Verdict], dict[str, Product]]:
    """A verdict for every order the file holds and every one it could not read; the
    e-mail addresses it found valid go into `emails` (as written -> normalized)."""
    emails = {} if emails is None else emails
    currency = str(get_setting(session, "currency"))
    known = _known(session, source, [o.external_id for o in parsed.orders])
    products = _products(session, parsed.orders)
    verdicts: list[Verdict] = []
    for order in parsed.orders:
        verdict = Verdict(order.external_id, order.number, list(order.rows), NEW)
        if order.external_id in known:
            number, printed = known[order.external_id]
            verdict.number = number
            if printed == fingerprint(order):
                verdict.outcome = DUPLICATE
            else:
                verdict.outcome = CHANGED
                verdict.reasons.append(
                    f"imported before as {number}; the source changed it since: "
                    f"check it by hand (Kestrel did not change {number})"
                )
        elif order.state in (CANCELLED, REFUNDED):
            verdict.outcome = SKIPPED
            verdict.reasons.append(f"{order.state} at the source before it was imported")
        elif reasons := problems(order, products, currency, emails):
            verdict.outcome = REFUSED
            verdict.reasons = reasons
        verdicts.append(verdict)
    for problem in parsed.problems:  # a bad row refuses its whole order
        rows = [problem.row] if problem.row is not None else []
        verdicts.append(Verdict(problem.order, problem.order, rows, REFUSED, [str(problem)]))
    return verdicts, products


def import_parsed(
    session: Session,
    actor: Actor,
    source: OrderSource,
    fmt: str,
    parsed: Parsed,
    *,
    skip_bad: bool = False,
    dry_run: bool = False,
    bulk: bool = True,
) -> OrderImport:
    """Judge every order, then write the new ones unless one was refused (all or nothing)
    or `skip_bad`; `dry_run` writes nothing. `bulk` (the default) writes them in batches
    (bulk_writer.py); `bulk=False` one by one through write_order, the same rows."""
    require(actor, Permission.DATA_IMPORT)
    with emails_remembered():  # the judge's answers kept for the outbox's recipient check
        return _import_parsed(session, actor, source, fmt, parsed, skip_bad, dry_run, bulk)


def _import_parsed(
    session: Session,
    actor: Actor,
    source: OrderSource,
    fmt: str,
    parsed: Parsed,
    skip_bad: bool,
    dry_run: bool,
    bulk: bool,
) -> OrderImport:
    emails: dict[str, str] = {}
    verdicts, products = judge(session, source, parsed, emails)
    result = OrderImport(source.name, fmt, verdicts, dry_run=dry_run)
    by_id = {o.external_id: o for o in parsed.orders}
    fresh = [v for v in verdicts if v.outcome == NEW]
    plans: list[bulk_writer.Planned | str] = []
    if bulk and fresh:  # every refusal listed, those the plan finds too
        wanted = [(by_id[v.external_id], fingerprint(by_id[v.external_id])) for v in fresh]
        plans = bulk_writer.plan(session, source, wanted, products, emails)
        for verdict, plan in zip(fresh, plans, strict=True):
            if isinstance(plan, str):  # a value Kestrel cannot store: refused, with its rows
                verdict.outcome, verdict.reasons = REFUSED, [plan]
    if dry_run or (result.refused and not skip_bad):
        return result
    if bulk:
        good = [(v, p) for v, p in zip(fresh, plans, strict=True) if not isinstance(p, str)]
        written = bulk_writer.write(session, actor, source, [p for _v, p in good])
        for (verdict, _plan), (number, created) in zip(good, written, strict=True):
            verdict.number = number
            if not created:
                verdict.outcome = DUPLICATE
    else:
        for verdict in fresh:
            order = by_id[verdict.external_id]
            verdict.number = write_order(
                session, actor, source, order, products, fingerprint(order)
            )
    result.written = True
    record_import(session, actor, source.name, result, fmt)
    return result


def record_import(
    session: Session, actor: Actor, source: str, result: OrderImport, fmt: str
) -> None:
    """The audit line of an import, a file's or one order's (single_order): what it did."""
    audit.record(
        session,
        actor,
        "orders.import",
        source,
        f"{result.count(NEW)} new, {result.count(DUPLICATE)} duplicates, "
        f"{result.count(CHANGED)} changed, {result.count(REFUSED)} refused ({fmt})",
    )


def import_file(
    session: Session,
    actor: Actor,
    path: Path | str,
    source_name: str,
    fmt: str | None = None,
    *,
    skip_bad: bool = False,
    dry_run: bool = False,
    columns: dict[str, str] | None = None,
    bulk: bool = True,
) -> OrderImport:
    """`kestrel import orders FILE --source NAME`: the file read in its source's format
    (or `fmt`, or detected), then `import_parsed`. For the mapped format `columns`
    (field -> header) overlay the source's saved mapping, and are saved with it once the
    import is written."""
    require(actor, Permission.DATA_IMPORT)
    source = source_named(session, source_name)
    known = (*formats.FORMATS, mapped.MAPPED_FORMAT)
    wanted = fmt or (source.format if source.format in known else None)
    if columns and wanted is None:
        wanted = mapped.MAPPED_FORMAT
    mapping = mapped.mapping_from(source.mapping, columns)
    currency = str(get_setting(session, "currency"))
    try:
        locale = str(get_setting(session, "locale"))
        chosen, parsed = formats.read_file(path, wanted, mapping, currency, locale)
    except KestrelError:
        raise
    except (OSError, UnicodeError) as exc:
        raise ValidationError(
            _("{name} cannot be read: {exc}.").format(name=Path(path).name, exc=exc), "file"
        ) from exc
    result = import_parsed(
        session, actor, source, chosen, parsed, skip_bad=skip_bad, dry_run=dry_run, bulk=bulk
    )
    if columns and result.written:
        source.mapping = json.dumps(mapping, sort_keys=True)
    return result
