"""API keys: one per integration, with scopes, shown once, stored hashed, revocable.

A key is 32 random bytes (256 bits) in URL-safe text behind a `kst_` mark. Only its
SHA-256 is stored: for a secret that high in entropy a fast hash is right (there is
nothing to guess, so a slow password hash such as Argon2 would only slow every request),
and the lookup is one indexed equality. The first characters are kept as a prefix so a
list can tell keys apart without showing them.

A key that was found is remembered for KEY_CACHE_SECONDS (one second) in this process,
so a busy integration costs one key query a second, not one a call: a key revoked on
another workstation (or by another `kestrel serve`) is refused within that second, one
revoked in this process at once. Unknown keys are never remembered.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, Role, require
from app.core.errors import (
    AuthenticationFailed,
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from app.core.i18n import _
from app.core.validation import clean_text
from app.models import ApiKey
from app.models.base import utcnow

SCOPES = ("orders:write", "orders:read", "stock:read")
MARK = "kst_"
PREFIX_LENGTH = 12
MAX_KEY_TEXT = 100
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,59}")
# last_used_at is written at most this often per key: a busy integration does not turn
# every read into a write
USE_GRANULARITY = timedelta(seconds=60)
KEY_CACHE_SECONDS = 1.0
_CACHE_MOST = 1000


@dataclass(frozen=True)
class _Found:
    """A key as the database held it a moment ago (monotonic `at`)."""

    at: float
    row: KeyRow
    revoked: bool
    last_used: datetime | None


_found: dict[str, _Found] = {}  # by digest
_found_lock = threading.Lock()


def forget_keys() -> None:
    """Forget every remembered key (a revocation here; tests)."""
    with _found_lock:
        _found.clear()


@dataclass(frozen=True)
class KeyRow:
    id: int
    name: str
    prefix: str
    scopes: tuple[str, ...]
    created_at: str
    last_used_at: str | None
    revoked_at: str | None


@dataclass(frozen=True)
class NewKey:
    row: KeyRow
    key: str  # shown once: only its hash is kept


def _row(key: ApiKey) -> KeyRow:
    def iso(value: object) -> str | None:
        return value.isoformat() if value is not None else None  # type: ignore[attr-defined]

    return KeyRow(
        key.id,
        key.name,
        key.prefix,
        tuple(key.scopes.split()),
        key.created_at.isoformat(),
        iso(key.last_used_at),
        iso(key.revoked_at),
    )


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def parse_scopes(text: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """'orders:write,stock:read' -> the scopes in SCOPES order; an unknown one refused."""
    items = text.replace(",", " ").split() if isinstance(text, str) else list(text)
    unknown = sorted(set(items) - set(SCOPES))
    if unknown:
        raise ValidationError(
            _("{value} is not a scope (scopes: {value2}).").format(
                value=", ".join(unknown), value2=", ".join(SCOPES)
            ),
            "scopes",
        )
    if not items:
        raise ValidationError(
            _("Give the key at least one scope ({value}).").format(value=", ".join(SCOPES)),
            "scopes",
        )
    return tuple(s for s in SCOPES if s in items)


def create_key(session: Session, actor: Actor, name: str, scopes: str | list[str]) -> NewKey:
    """A new key for an integration; the key itself is in the answer and nowhere else."""
    require(actor, Permission.SETTINGS_MANAGE)
    name = clean_text(name, "Key name", max_length=60, required=True)
    if not NAME.fullmatch(name):
        raise ValidationError(
            _("'{name}' cannot name a key: letters, digits, '.', '_' and '-' only.").format(
                name=name
            ),
            "name",
        )
    wanted = parse_scopes(scopes)
    if session.scalar(select(ApiKey.id).where(func.lower(ApiKey.name) == name.lower())):
        raise ConflictError(_("There is an API key named {name} already.").format(name=name))
    key = MARK + secrets.token_urlsafe(32)
    row = ApiKey(
        name=name, key_hash=digest(key), prefix=key[:PREFIX_LENGTH], scopes=" ".join(wanted)
    )
    session.add(row)
    session.flush()
    audit.record(session, actor, "api_key.create", name, " ".join(wanted))
    changes.note(session, kind="api_keys")
    return NewKey(_row(row), key)


def list_keys(session: Session, actor: Actor) -> list[KeyRow]:
    require(actor, Permission.SETTINGS_MANAGE)
    return [_row(k) for k in session.scalars(select(ApiKey).order_by(ApiKey.name))]


def revoke_key(session: Session, actor: Actor, name: str) -> KeyRow:
    """The key stops working at once; it stays listed (revoked) for the audit's sake."""
    require(actor, Permission.SETTINGS_MANAGE)
    row = session.scalar(select(ApiKey).where(func.lower(ApiKey.name) == name.lower()))
    if row is None:
        raise NotFound(_("There is no API key named {name!r}.").format(name=name))
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
        audit.record(session, actor, "api_key.revoke", row.name)
        changes.note(session, kind="api_keys")
    forget_keys()
    return _row(row)


def authenticate(session: Session, key: str, scope: str) -> KeyRow:
    """The key's row if it may act in `scope`. AuthenticationFailed (HTTP 401) without a
    key or with one Kestrel did not issue; PermissionDenied (403) for a revoked key or
    one without the scope."""
    if not key:
        raise AuthenticationFailed(
            _(
                "This needs an API key: send it as 'Authorization: Bearer KEY' "
                "(`kestrel api-key create` makes one)."
            )
        )
    if len(key) > MAX_KEY_TEXT or not key.startswith(MARK):
        raise AuthenticationFailed(_("That is not a Kestrel API key."))
    hashed, now = digest(key), utcnow()
    found = _found.get(hashed)
    fresh = found is not None and time.monotonic() - found.at < KEY_CACHE_SECONDS
    if found is None or not fresh or _use_due(found.last_used, now):
        found = _look_up(session, hashed, now)
    if found.revoked:
        raise PermissionDenied(
            _("The API key {name} was revoked; ask for a new one.").format(name=found.row.name)
        )
    if scope not in found.row.scopes:
        raise PermissionDenied(
            _(
                "The API key {name} may not do this: it needs the {scope} scope (it has {value})."
            ).format(name=found.row.name, scope=scope, value=", ".join(found.row.scopes))
        )
    return found.row


def _use_due(last_used: datetime | None, now: datetime) -> bool:
    return last_used is None or now - last_used > USE_GRANULARITY


def _look_up(session: Session, hashed: str, now: datetime) -> _Found:
    """The key's row (its last use written when due), remembered for the next second."""
    row = session.scalar(select(ApiKey).where(ApiKey.key_hash == hashed))
    if row is None:
        raise AuthenticationFailed(_("That API key is not known here (it may be mistyped)."))
    if row.revoked_at is None and _use_due(row.last_used_at, now):
        row.last_used_at = now
        session.flush()
    found = _Found(time.monotonic(), _row(row), row.revoked_at is not None, row.last_used_at)
    with _found_lock:
        if len(_found) >= _CACHE_MOST:
            _found.clear()
        _found[hashed] = found
    return found


def key_actor(row: KeyRow) -> Actor:
    """Who an API call acts as in the services: the integration, by its key's name. The
    key's scopes (checked by `authenticate`) are what limit it; the role only lets the
    service calls behind those scopes through."""
    return Actor(None, f"api:{row.name}", f"API key {row.name}", Role.MANAGER, "api")
