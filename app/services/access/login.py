"""Signing in: a password checked against its Argon2 hash, under the back-off of
throttle.py, and recorded in the audit log (the successes in the same transaction, the
failures in one of their own).

The use case lives above app/core: it writes the audit log, which needs the actors and
permissions of core/auth, so auth itself stays at the bottom.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import audit, auth
from app.core.auth import MAX_PASSWORD_LENGTH, Actor, _actor, hash_password
from app.core.errors import AuthenticationFailed, TooManyAttempts
from app.core.i18n import _
from app.core.validation import clean_text
from app.models import User, utcnow
from app.services.access import throttle

if TYPE_CHECKING:
    from app.db import Database


@cache
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so an unknown name costs the same Argon2
    work as a known one and names cannot be told apart by the time an answer takes."""
    return auth._hasher.hash("no such user: " + secrets.token_hex(16))


def authenticate(
    session: Session,
    username: str,
    password: str,
    workstation: str = "",
    now: datetime | None = None,
) -> Actor:
    """Check a password; the same message, and the same work, for an unknown user and a
    wrong password. After repeated failures for the name or at the workstation, attempts
    are refused unchecked until the back-off is over (TooManyAttempts)."""
    name = clean_text(username, "User name", max_length=64).lower()
    workstation = clean_text(workstation, "Workstation", max_length=64)
    if not isinstance(password, str) or len(password) > MAX_PASSWORD_LENGTH:
        password = ""
    throttle.check(session, name, workstation, now)
    user = session.scalar(select(User).where(User.username == name)) if name else None
    failure = AuthenticationFailed(_("Wrong user name or password."))
    try:
        auth._hasher.verify(user.password_hash if user is not None else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        raise failure from None
    if user is None:
        raise failure
    if not user.active:  # the right password: saying so tells nothing new
        raise AuthenticationFailed(_("This user is disabled: ask an administrator."))
    if auth._hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    actor = _actor(user, workstation)
    audit.record(session, actor, "login", user.username)
    return actor


def expected_actor(session: Session, username: str, workstation: str = "") -> Actor | None:
    """Who `username` stands for if the password proves right, before it is checked (None
    for an unknown or disabled name): only so a caller can prepare what a sign-in shows
    while Argon2 runs (views/app.py builds the main window hidden). Never shown, never an
    answer to "may they": that is authenticate's actor, which the caller compares."""
    name = clean_text(username, "User name", max_length=64).lower()
    workstation = clean_text(workstation, "Workstation", max_length=64)
    user = session.scalar(select(User).where(User.username == name)) if name else None
    if user is None or not user.active:
        return None
    return _actor(user, workstation)


def sign_in(database: Database, username: str, password: str, workstation: str = "") -> Actor:
    """authenticate() in its own transaction; a failure is kept in the audit log (in a
    transaction of its own, since the failed one rolls back)."""
    try:
        with database.write() as session:
            return authenticate(session, username, password, workstation)
    except AuthenticationFailed as exc:
        blocked = isinstance(exc, TooManyAttempts)
        with database.write() as session:
            audit.record(
                session,
                None,
                throttle.BLOCKED if blocked else throttle.FAILED,
                clean_text(username, "User name", max_length=64).lower()[:60],
                exc.message if blocked else "",
                clean_text(workstation, "Workstation", max_length=64),
            )
        raise
