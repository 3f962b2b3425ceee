"""The audit log: who did what, when, on which workstation — logins (and failed ones),
order state changes, stock moves, prints, drawer opens, till counts.

Entries are written in the same transaction as what they describe (so a rolled-back sale
leaves no entry), in one statement at the end of the chain (audit_chain.py). Nobody edits
them: the database itself refuses UPDATE and DELETE on the table (triggers, migration
0006; on PostgreSQL the workstations' role may only INSERT and SELECT), and the hash chain
shows in `kestrel check` whatever was changed around both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import event, or_, select
from sqlalchemy.orm import Session

from app.core import audit_chain
from app.core.auth import Actor, Permission, require
from app.core.i18n import N_, label
from app.core.validation import clean_text
from app.models import AuditEntry, Product, utcnow

PRODUCT = "product "  # a stock move's subject: "product 12", the id is cheap to write
PRODUCT_MATCHES = 200  # products a search by SKU or name looks for in the log
ACTIONS = (
    "login",
    "login.failed",
    "login.blocked",
    "user",
    "settings",
    "order",
    "product.price",
    "stock.move",
    "print",
    "drawer.open",
    "till",
    "product",
    "category",
    "import",
)
ACTION_LABELS = {  # what the audit log's filter offers, in words
    "login": N_("Sign-ins"),
    "login.failed": N_("Failed sign-ins"),
    "login.blocked": N_("Blocked sign-ins"),
    "user": N_("Users"),
    "settings": N_("Settings"),
    "order": N_("Orders"),
    "product.price": N_("Price changes"),
    "stock.move": N_("Stock moves"),
    "print": N_("Printing"),
    "drawer.open": N_("Drawer opened"),
    "till": N_("Till"),
    "product": N_("Products"),
    "category": N_("Categories"),
    "import": N_("Imports"),
}


def action_label(action: str) -> str:
    """An action of the log in the screen's language."""
    return label(ACTION_LABELS, action)


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    user_name: str
    workstation: str
    action: str
    subject: str
    detail: str


_PENDING = "kestrel_audit"


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    subject: str = "",
    detail: str = "",
    workstation: str | None = None,
) -> None:
    """Note an entry; all entries of a transaction are written in one statement just
    before it commits (a sale makes seven), and vanish with it if it rolls back."""
    where = workstation if workstation is not None else (actor.workstation if actor else "")
    session.info.setdefault(_PENDING, []).append(
        {
            "at": utcnow(),
            "user_id": actor.user_id if actor else None,
            "user_name": (actor.display_name or actor.username) if actor else "",
            "workstation": where[:64],
            "action": action[:40],
            "subject": subject[:60],
            "detail": detail[:500],
        }
    )


def record_many(session: Session, actor: Actor, rows: list[tuple[str, str, str]]) -> None:
    """(action, subject, detail) rows (a wave of a thousand orders)."""
    for action, subject, detail in rows:
        record(session, actor, action, subject, detail)


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    rows = session.info.pop(_PENDING, None)
    if rows:
        audit_chain.append(session, rows)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


def search(
    session: Session,
    actor: Actor,
    text: str = "",
    action: str = "",
    offset: int = 0,
    limit: int = 200,
) -> list[AuditRow]:
    """Newest first. `action` matches a family ('order' finds 'order.confirmed'); `text`
    looks in the subject, the user and the workstation, and finds a product's entries by
    its SKU or name. Products are named by SKU and name, not by their id."""
    require(actor, Permission.AUDIT_VIEW)
    stmt = select(
        AuditEntry.id,
        AuditEntry.at,
        AuditEntry.user_name,
        AuditEntry.workstation,
        AuditEntry.action,
        AuditEntry.subject,
        AuditEntry.detail,
    )
    if action:
        stmt = stmt.where(or_(AuditEntry.action == action, AuditEntry.action.like(f"{action}.%")))
    words = clean_text(text, "Search", max_length=60)
    action = clean_text(action, "Action", max_length=40)
    if words:
        like = f"%{words}%"
        products = session.scalars(
            select(Product.id)
            .where(or_(Product.sku.ilike(like), Product.name.ilike(like)))
            .limit(PRODUCT_MATCHES)
        ).all()
        stmt = stmt.where(
            or_(
                AuditEntry.subject.ilike(like),
                AuditEntry.user_name.ilike(like),
                AuditEntry.workstation.ilike(like),
                AuditEntry.subject.in_([f"{PRODUCT}{pid}" for pid in products]),
            )
        )
    rows = session.execute(stmt.order_by(AuditEntry.id.desc()).offset(offset).limit(limit)).all()
    return _products_named(session, [AuditRow(*r) for r in rows])


def _products_named(session: Session, rows: list[AuditRow]) -> list[AuditRow]:
    """'product 12' -> 'MUG-01 Blue enamel mug', one query for the page."""
    ids = {
        int(r.subject.removeprefix(PRODUCT))
        for r in rows
        if r.subject.startswith(PRODUCT) and r.subject.removeprefix(PRODUCT).isdigit()
    }
    if not ids:
        return rows
    names = {
        f"{PRODUCT}{pid}": f"{sku} {name}"
        for pid, sku, name in session.execute(
            select(Product.id, Product.sku, Product.name).where(Product.id.in_(ids))
        )
    }
    return [replace(r, subject=names.get(r.subject, r.subject)) for r in rows]
