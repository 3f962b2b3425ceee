"""Users, roles, Argon2 password hashes and the permission matrix.

Permissions are checked inside every service entry point (`require`), not only by
hiding buttons: a cashier calling a manager-only service gets PermissionDenied.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.errors import (
    PermissionDenied,
    ValidationError,
)
from app.core.i18n import _
from app.core.validation import clean_text
from app.models import User

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024  # Argon2 takes any length; this only bounds the work


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    CLERK = "clerk"
    CASHIER = "cashier"
    PICKER = "picker"


class Permission(StrEnum):
    ORDERS_VIEW = "orders.view"
    ORDERS_CREATE = "orders.create"
    ORDERS_ACCEPT = "orders.accept"
    ORDERS_HOLD = "orders.hold"
    ORDERS_CANCEL = "orders.cancel"
    CATALOGUE_VIEW = "catalogue.view"
    CATALOGUE_EDIT = "catalogue.edit"
    CUSTOMERS_EDIT = "customers.edit"
    # Folding a duplicate customer into another moves orders and credit: managers only.
    CUSTOMERS_MERGE = "customers.merge"
    SUPPLIERS_EDIT = "suppliers.edit"
    STOCK_RECEIVE = "stock.receive"
    STOCK_ADJUST = "stock.adjust"
    STOCK_TRANSFER = "stock.transfer"
    STOCK_RESERVE = "stock.reserve"
    USERS_MANAGE = "users.manage"
    SETTINGS_MANAGE = "settings.manage"
    DEMO_LOAD = "demo.load"
    TILL_OPERATE = "till.operate"
    SALE_COMPLETE = "sale.complete"
    PRICE_OVERRIDE = "price.override"
    AUDIT_VIEW = "audit.view"
    # Store credit or gift-card value with no sale or refund behind it (goodwill).
    CREDIT_GRANT = "credit.grant"
    # Whole files of products, customers, suppliers or stock in or out (managers).
    DATA_IMPORT = "data.import"
    DATA_EXPORT = "data.export"
    # Pick and pack an order without scanning anything (`kestrel order ship`): the checks
    # the bench makes by scan are skipped, so only administrators may.
    SHIP_UNVERIFIED = "fulfilment.unverified"
    # Buying: purchase orders drafted, sent, cancelled; reorder rules and runs (managers).
    # Receiving against an order is the stock keeper's STOCK_RECEIVE.
    PURCHASING = "purchasing.manage"
    # The dashboard and reports: sales, margins, stock value, till summaries (managers).
    REPORTS_VIEW = "reports.view"


P = Permission
_ALL = frozenset(Permission)
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: _ALL,
    Role.MANAGER: _ALL - {P.USERS_MANAGE, P.DEMO_LOAD, P.SHIP_UNVERIFIED},
    Role.CLERK: frozenset(
        {
            P.ORDERS_VIEW,
            P.ORDERS_CREATE,
            P.ORDERS_ACCEPT,
            P.ORDERS_HOLD,
            P.ORDERS_CANCEL,
            P.CATALOGUE_VIEW,
            P.CUSTOMERS_EDIT,
            P.STOCK_RESERVE,
        }
    ),
    Role.CASHIER: frozenset(
        {
            P.ORDERS_VIEW,
            P.ORDERS_CREATE,
            P.CATALOGUE_VIEW,
            P.CUSTOMERS_EDIT,
            P.STOCK_RESERVE,
            P.TILL_OPERATE,
            P.SALE_COMPLETE,
        }
    ),
    Role.PICKER: frozenset(
        {P.ORDERS_VIEW, P.CATALOGUE_VIEW, P.STOCK_TRANSFER, P.STOCK_RECEIVE, P.STOCK_RESERVE}
    ),
}

ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.MANAGER: "Manager",
    Role.CLERK: "Order clerk",
    Role.CASHIER: "Cashier",
    Role.PICKER: "Picker / packer",
}


@dataclass(frozen=True)
class Actor:
    """Who is acting, as services see it: a frozen copy, never a live ORM row."""

    user_id: int | None
    username: str
    display_name: str
    role: Role
    workstation: str = ""
    # The sign-in asks for a new password before the main window (a reset, a manager's say).
    must_change_password: bool = False
    # The user's own language for the screens ("" = the workstation's; core/i18n.py)
    language: str = ""

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]


SYSTEM = Actor(
    user_id=None, username="system", display_name="Kestrel (command line)", role=Role.ADMIN
)


def require(actor: Actor, permission: Permission) -> None:
    if not actor.can(permission):
        raise PermissionDenied(_refusal(actor, permission.value))


def require_any(actor: Actor, *permissions: Permission) -> None:
    """For a building block several use cases share: any one of their permissions will do."""
    if not any(actor.can(p) for p in permissions):
        needed = _("' or '").join(p.value for p in permissions)  # between quoted names
        raise PermissionDenied(_refusal(actor, needed))


def _refusal(actor: Actor, needed: str) -> str:
    return _(
        "{name} ({role}) may not do this: it needs the '{permission}' permission. Ask a manager."
    ).format(
        name=actor.display_name or actor.username,
        role=_(ROLE_LABELS[actor.role]),
        permission=needed,
    )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _actor(user: User, workstation: str) -> Actor:
    return Actor(
        user.id,
        user.username,
        user.display_name or user.username,
        Role(user.role),
        workstation,
        bool(user.must_change_password),
        user.language or "",
    )


def user_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def create_user(
    session: Session,
    actor: Actor | None,
    username: str,
    password: str,
    role: Role | str,
    display_name: str = "",
    min_length: int = MIN_PASSWORD_LENGTH,
) -> Actor:
    """Create a user. With no users yet the first admin may be created by nobody (first run).
    `min_length` is the shop's minimum (services/access/users.py reads it from settings)."""
    if actor is None:
        if user_count(session) > 0:
            raise PermissionDenied(_("Sign in as an administrator to add users."))
    else:
        require(actor, Permission.USERS_MANAGE)
    username = clean_text(username, "User name", max_length=64, required=True).lower()
    if not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise ValidationError(
            _("A user name uses letters, digits, '.', '-' or '_' only."), "username"
        )
    try:
        role = Role(role)
    except ValueError:
        raise ValidationError(_("'{role}' is not a role.").format(role=role), "role") from None
    if actor is None and role is not Role.ADMIN:
        raise ValidationError(_("The first user must be an administrator."), "role")
    check_password(password, min_length)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValidationError(
            _("The user name '{username}' is taken.").format(username=username), "username"
        )
    user = User(
        username=username,
        display_name=clean_text(display_name, "Display name", max_length=120) or username,
        role=role.value,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    return _actor(user, "")


def check_password(password: object, min_length: int = MIN_PASSWORD_LENGTH) -> str:
    """A new password: long enough (`min_length`, never under MIN_PASSWORD_LENGTH), not
    blank, not one of the shipped common passwords."""
    min_length = max(min_length, MIN_PASSWORD_LENGTH)
    if not isinstance(password, str):
        raise ValidationError(_("A password must be text."), "password")
    if len(password) < min_length or not password.strip():
        raise ValidationError(
            _("A password needs at least {count} characters, not only spaces.").format(
                count=min_length
            ),
            "password",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(
            _("A password has at most {count} characters.").format(count=MAX_PASSWORD_LENGTH),
            "password",
        )
    if len(set(password)) < 3 or password.lower() in common_passwords():
        raise ValidationError(
            _("That password is one of the first an attacker tries: choose another."),
            "password",
        )
    return password


@cache
def common_passwords() -> frozenset[str]:
    """The small list shipped in resources/ (lower case)."""
    from app import paths

    text = (paths.resources_dir() / "common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )
