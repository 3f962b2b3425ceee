"""The offline counter: when the shared database cannot be reached, the till keeps selling.

Each workstation keeps a small local journal (its own SQLite file, plain sqlite3): a cache
of the shop's catalogue and prices, refreshed while online, and the sales made offline,
each with an idempotency key. When the server answers again, `sync` turns every journal
sale into a counter sale on the server, exactly once: the key is unique in
`idempotency_keys` (and `offline_sales`), written in the same transaction as the sale, and
the journal marks the sale synced only after that commit — a crash between the two is
healed by the next sync, which finds the key.

A sale begun online carries its key from the moment the cart is paid (`sell_online`). If
the connection breaks after its COMMIT was sent, the server may have it: the till asks
(the same sale again under the same key is answered by the key), and when the server
cannot be asked, the sale is journaled under that same key, so the sync finds it already
there instead of selling it twice.

Units sold offline that the books no longer show (another till sold
them meanwhile) do not fail the sale: they are listed for a manager (audit action
'offline.conflict', and `conflicts()`), not hidden.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from app.core import audit, idempotency
from app.core.auth import Actor, Permission, require
from app.core.errors import CommitUncertain, KestrelError
from app.core.i18n import _
from app.models import (
    Barcode,
    IdempotencyKey,
    Location,
    OfflineSale,
    Product,
    StockLevel,
    utcnow,
)
from app.services.sales.cart import Cart, CartLine
from app.services.sales.counter import (
    SaleResult,
    Tender,
    complete_sale,
    counter_warehouse_id,
    settle,
)
from app.services.stock.catalogue import ProductHit
from app.services.stock.scanning import parse_scan

if TYPE_CHECKING:
    from app.db import Database

log = logging.getLogger("kestrel.offline")

CACHE_CHUNK = 5_000  # rows of the catalogue read and written at a time

SCHEMA = """
CREATE TABLE IF NOT EXISTS products (
    code TEXT PRIMARY KEY, product_id INTEGER, sku TEXT, name TEXT,
    price INTEGER, tax_rate_bp INTEGER, pack_qty INTEGER);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS sales (
    key TEXT PRIMARY KEY, sold_at TEXT, till TEXT, workstation TEXT, cart TEXT,
    tenders TEXT, total INTEGER, synced_at TEXT, order_number TEXT, problem TEXT);
"""


@dataclass(frozen=True)
class SyncReport:
    synced: int
    already: int  # found on the server: an earlier sync got there, the journal now knows
    conflicts: list[str]
    failed: list[str]  # sales the server refused (kept in the journal, with the reason)
    parked: list[str] = field(default_factory=list)  # hit a bug: kept, not retried


class OfflineJournal:
    def __init__(self, path: Path) -> None:
        from app import paths

        paths.private_file(path)  # sales and prices: this user's only (0600, WAL alike)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(sales)")}
        if "parked_at" not in columns:  # a journal from before parking
            self._db.execute("ALTER TABLE sales ADD COLUMN parked_at TEXT")

    def close(self) -> None:
        self._db.close()

    # --- the catalogue, cached while online -------------------------------------------
    def remember(self, code: str, hit: ProductHit) -> None:
        if not hit.active:  # archived since it was cached: offline it must not sell either
            self._db.execute("DELETE FROM products WHERE code = ?", (code,))
            return
        self._db.execute(
            "INSERT OR REPLACE INTO products VALUES (?, ?, ?, ?, ?, ?, ?)",
            (code, hit.product_id, hit.sku, hit.name, hit.price, hit.tax_rate_bp, hit.pack_qty),
        )

    def cache_catalogue(self, session: Session, limit: int = 200_000) -> int:
        """Every barcode of what the shop's shelves hold, with today's prices. Read and
        written a few thousand rows at a time (issue 20, memory: 200,000 rows held at
        once left the GUI process ~50 MB bigger for the rest of the session)."""
        rows = session.execute(
            select(
                Barcode.code,
                Product.id,
                Product.sku,
                Product.name,
                Product.price,
                Product.tax_rate_bp,
                Barcode.pack_qty,
            )
            .join(Product, Product.id == Barcode.product_id)
            .join(StockLevel, StockLevel.product_id == Product.id)
            .join(Location, Location.id == StockLevel.location_id)
            .where(
                Location.warehouse_id == counter_warehouse_id(session),
                Location.kind == "internal",
                Product.active.is_(True),
            )
            .distinct()
            .limit(limit)
            .execution_options(yield_per=CACHE_CHUNK)
        )
        count = 0
        self._db.execute("BEGIN")
        for chunk in rows.partitions():
            self._db.executemany(
                "INSERT OR REPLACE INTO products VALUES (?, ?, ?, ?, ?, ?, ?)",
                [tuple(r) for r in chunk],
            )
            count += len(chunk)
        self._db.execute("COMMIT")
        return count

    def cache_shop(self, session: Session, workstation: str) -> None:
        """What an offline receipt needs: the shop's name, money format, receipt printer."""
        from app.core.settings import all_settings
        from app.models import Printer

        shared = all_settings(session)
        printer = session.execute(
            select(Printer.uri, Printer.profile, Printer.paper_width_mm)
            .where(Printer.workstation == workstation, Printer.role == "receipt")
            .order_by(Printer.is_default.desc(), Printer.id)
            .limit(1)
        ).first()
        shop = {
            "name": shared["company_name"],
            "address": shared["company_address"],
            "footer": shared["receipt_footer"],
            "currency": shared["currency"],
            "locale": shared["locale"],
            "prices_include_tax": shared["prices_include_tax"],
            "prices": shared["prices"],
            "timezone": shared["timezone"],
            "printer": list(printer) if printer else ["preview:", "default", 80],
        }
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('shop', ?)", (json.dumps(shop),))

    def _shop(self) -> dict[str, Any]:
        """The shop's details as last cached from the server (name, currency, printer)."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'shop'").fetchone()
        if row:
            shop: dict[str, Any] = json.loads(row[0])
            return shop
        return {"name": "Receipt", "printer": ["preview:", "default", 80]}

    def currency(self) -> str:
        """The shop's currency as cached; before any cache, the settings' own default."""
        from app.core.settings import DEFAULTS

        return str(self._shop().get("currency") or DEFAULTS["currency"])

    def receipt(self, cart: Cart, tenders: list[Tender], key: str) -> tuple[bytes, str]:
        """An offline sale's receipt, drawn here from the cached shop, and the address of
        the till's receipt printer (the print queue lives on the server)."""
        from app.core.money import line_amounts
        from app.printing import documents as layouts
        from app.printing.escpos import EscposTarget, render_receipt

        shop = self._shop()
        inclusive = bool(shop.get("prices_include_tax", True))
        lines = []
        for ln in cart.lines:
            amounts = line_amounts(
                ln.quantity, ln.unit_price, ln.discount, ln.tax_rate_bp, inclusive
            )
            lines.append(
                layouts.ReceiptLine(
                    ln.quantity, ln.name, ln.unit_price, amounts.total, ln.tax_rate_bp, amounts.tax
                )
            )
        net, tax, total = cart.totals(inclusive)
        paid = sum(t.amount for t in tenders)
        data = layouts.ReceiptData(
            number=f"OFFLINE {key[:8].upper()}",
            at=utcnow(),
            cashier="",
            lines=tuple(lines),
            subtotal=net,
            tax_total=tax,
            total=total,
            payments=tuple((t.method, t.amount) for t in tenders),
            change=max(0, paid - total),
            gross_stored=inclusive,
        )
        company = layouts.Company(
            str(shop.get("name", "")),
            str(shop.get("address", "")),
            "Sold offline: the order number follows when the till reconnects.",
            self.currency(),
            str(shop.get("locale", "en_IE")),
            timezone=str(shop.get("timezone", "Europe/Dublin")),
            prices=str(shop.get("prices", "inclusive")),
        )
        uri, profile, paper = shop["printer"]
        cash = any(t.method == "cash" for t in tenders)
        layout = layouts.receipt(company, data, open_drawer=cash)
        return render_receipt(layout, EscposTarget(profile, int(paper))), uri

    def find(self, code: str) -> ProductHit | None:
        scan = parse_scan(code)
        for candidate in scan.codes or (code.strip(),):
            row = self._db.execute(
                "SELECT product_id, sku, name, price, tax_rate_bp, pack_qty FROM products "
                "WHERE code = ? OR sku = ? LIMIT 1",
                (candidate, candidate),
            ).fetchone()
            if row is not None:
                product_id, sku, name, price, tax_rate_bp, pack_qty = row
                return ProductHit(product_id, sku, name, price, tax_rate_bp, pack_qty, "barcode")
        return None

    # --- sales made offline -----------------------------------------------------------
    def record_sale(
        self,
        cart: Cart,
        tenders: list[Tender],
        till: str,
        workstation: str,
        key: str | None = None,
    ) -> str:
        """Keep the sale (checked exactly as online: the payment must cover the total).
        `key` is the one an online attempt of this very sale already used, if any."""
        total = cart.totals()[2]
        settle(total, tenders, self.currency())
        key = key or idempotency.new_key()
        self._db.execute(
            "INSERT INTO sales (key, sold_at, till, workstation, cart, tenders, total) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                utcnow().isoformat(),
                till,
                workstation,
                json.dumps(
                    {"customer_id": cart.customer_id, "lines": [asdict(ln) for ln in cart.lines]}
                ),
                json.dumps([asdict(t) for t in tenders]),
                total,
            ),
        )
        return key

    def pending_count(self) -> int:
        """Sales that wait for the server (parked ones are not retried: see parked_count)."""
        return int(
            self._db.execute(
                "SELECT COUNT(*) FROM sales WHERE synced_at IS NULL AND parked_at IS NULL"
            ).fetchone()[0]
        )

    def parked_count(self) -> int:
        """Sales whose sync hit a bug: kept in the journal for a manager, never retried."""
        return int(
            self._db.execute(
                "SELECT COUNT(*) FROM sales WHERE synced_at IS NULL AND parked_at IS NOT NULL"
            ).fetchone()[0]
        )

    def sync(self, database, actor: Actor) -> SyncReport:  # type: ignore[no-untyped-def]
        """Every unsynced sale onto the server, each in its own transaction, exactly once.
        A sale the server refuses in words (a KestrelError) is kept with the reason and
        tried again next time; one that hits a bug is parked with its traceback in the log
        (retrying a bug fails the same way for ever); neither holds up the sales after it."""
        require(actor, Permission.SALE_COMPLETE)
        synced = already = 0
        conflicts: list[str] = []
        failed: list[str] = []
        parked: list[str] = []
        rows = self._db.execute(
            "SELECT key, sold_at, till, workstation, cart, tenders FROM sales "
            "WHERE synced_at IS NULL AND parked_at IS NULL ORDER BY sold_at"
        ).fetchall()
        for key, sold_at, till, workstation, cart_json, tenders_json in rows:
            try:
                number, shortfalls, was_there = _sync_one(
                    database, actor, key, sold_at, till, workstation, cart_json, tenders_json
                )
            except KestrelError as exc:  # kept with its reason, retried next time
                self._db.execute(
                    "UPDATE sales SET problem = ? WHERE key = ?", (exc.message[:500], key)
                )
                failed.append(f"{key[:8]}: {exc.message}")
                continue
            except OperationalError as exc:  # a deadlock or a busy server: retried next time
                reason = str(exc.orig or exc).strip().splitlines()[0]
                self._db.execute("UPDATE sales SET problem = ? WHERE key = ?", (reason[:500], key))
                failed.append(f"{key[:8]}: {reason}")
                continue
            except Exception as exc:  # noqa: BLE001 (a bug: parked, its traceback logged)
                log.error("offline sale %s parked: its sync hit a bug", key, exc_info=True)
                problem = f"bug: {type(exc).__name__}: {exc}"[:500]
                self._db.execute(
                    "UPDATE sales SET problem = ?, parked_at = ? WHERE key = ?",
                    (problem, utcnow().isoformat(), key),
                )
                parked.append(f"{key[:8]}: {problem}")
                continue
            self._db.execute(
                "UPDATE sales SET synced_at = ?, order_number = ?, problem = NULL WHERE key = ?",
                (utcnow().isoformat(), number, key),
            )
            if was_there:
                already += 1
            else:
                synced += 1
            conflicts += [
                f"{number}: {units} x {sku} sold offline, not in stock"
                for sku, units in shortfalls.items()
            ]
        return SyncReport(synced, already, conflicts, failed, parked)


def _sync_one(  # noqa: PLR0913
    database: Database,
    actor: Actor,
    key: str,
    sold_at: str,
    till: str,
    workstation: str,
    cart_json: str,
    tenders_json: str,
) -> tuple[str, dict[str, int], bool]:
    done = _synced_number(database, key)
    if done is not None:  # synced before, or the sale's online attempt landed after all
        return done, {}, True
    data = json.loads(cart_json)
    cart = Cart([CartLine(**ln) for ln in data["lines"]], data.get("customer_id"))
    tenders = [Tender(**t) for t in json.loads(tenders_json)]
    shortfalls: dict[str, int] = {}
    try:
        with database.write() as session:
            sale = complete_sale(
                session,
                actor,
                cart,
                tenders,
                till,
                workstation,
                print_receipt=False,
                shortfalls=shortfalls,
                key=key,
            )
            if sale.replayed:  # landed between our look and this transaction
                return sale.number, {}, True
            session.add(
                OfflineSale(
                    key=key,
                    order_id=sale.order_id,
                    workstation=workstation,
                    sold_at=datetime.fromisoformat(sold_at),
                    shortfalls=json.dumps(shortfalls) if shortfalls else "",
                )
            )
            for sku, units in shortfalls.items():
                audit.record(
                    session,
                    actor,
                    "offline.conflict",
                    sale.number,
                    f"{units} x {sku} sold offline at {till}; the books showed less: count it",
                )
            session.flush()  # the unique key decides here, before the commit
    except IntegrityError:  # another sync of the same journal got there first
        number = _synced_number(database, key)
        if number is None:
            raise
        return number, {}, True
    return sale.number, shortfalls, False


def _synced_number(database: Database, key: str) -> str | None:
    """The order a journal sale became on the server, if it is there already (synced, or
    its online attempt committed though the till never heard the answer)."""
    from app.models import SalesOrder

    with database.read() as session:
        return session.execute(
            select(SalesOrder.number)
            .join(IdempotencyKey, IdempotencyKey.order_id == SalesOrder.id)
            .where(IdempotencyKey.key == key)
        ).scalar()


def sell_online(  # noqa: PLR0913
    database: Database,
    actor: Actor,
    cart: Cart,
    tenders: list[Tender],
    till: str,
    workstation: str,
    key: str,
) -> SaleResult:
    """The counter sale on the server under `key`, exactly once.

    A deadlock or serialization abort is retried (nothing of it was kept). A break after
    COMMIT was sent is asked about: the same sale under the same key again, which answers
    with the committed sale if it landed (`replayed`) or sells it if it did not. Raises
    CommitUncertain when the server cannot be asked (journal the sale under `key`: the
    sync then finds it if it landed), DatabaseUnavailable when nothing was saved."""
    require(actor, Permission.SALE_COMPLETE)  # before anything touches the server
    done: list[SaleResult] = []

    def work(session: Session) -> None:
        done.append(complete_sale(session, actor, cart, tenders, till, workstation, key=key))

    try:
        idempotency.run_once(database, work)
    except CommitUncertain as exc:
        raise CommitUncertain(
            _(
                "The server stopped answering as this sale was being saved, so it may "
                "have been saved. It is kept on this till under the same key: when the "
                "server is back it is counted once, never twice. ({message})"
            ).format(message=exc.message)
        ) from exc
    except IntegrityError:  # the same key committing elsewhere at this very moment
        done.clear()
        database.transact(work)
    return done[-1]


def conflicts(session: Session, actor: Actor) -> list[tuple[str, str, dict[str, int]]]:
    """(order number, workstation, {sku: units}) of offline sales the stock did not cover."""
    from app.models import SalesOrder

    require(actor, Permission.AUDIT_VIEW)
    rows = session.execute(
        select(SalesOrder.number, OfflineSale.workstation, OfflineSale.shortfalls)
        .join(SalesOrder, SalesOrder.id == OfflineSale.order_id)
        .where(OfflineSale.shortfalls != "")
        .order_by(OfflineSale.id.desc())
        .limit(500)
    ).all()
    return [(n, w, json.loads(s)) for n, w, s in rows]
