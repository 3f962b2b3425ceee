"""One API call: rate-limited per key, authenticated for its scope, audited, and run in
one transaction (again once if a concurrent call with the same source + external id
won the race: the retry finds that order and answers it)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.api.errors import error_response
from app.api.limits import RateLimit
from app.core import audit
from app.core.auth import Actor
from app.core.errors import AuthenticationFailed, KestrelError
from app.db import Database
from app.services.channels import api_keys

T = TypeVar("T")


class RateLimited(Exception):
    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


@dataclass
class Context:
    database: Database
    limiter: RateLimit


def bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def bearer_check(context: Context) -> Callable[[Request], None]:
    """A dependency that runs before the body is even parsed: a call with no key, or
    with text that cannot be a key, is a 401 (not a 422 about its body), audited."""

    def bearer_present(request: Request) -> None:
        token = bearer(request)
        if token.startswith(api_keys.MARK) and len(token) <= api_keys.MAX_KEY_TEXT:
            return
        message = (
            "This needs an API key: send it as 'Authorization: Bearer KEY' "
            "(`kestrel api-key create` makes one)."
        )
        what = f"{request.method} {request.url.path}"[:200]
        with context.database.write() as session:
            audit.record(session, None, "api.refused", what, "no API key", "api")
        raise AuthenticationFailed(message)

    return bearer_present


def once_more_on_a_race(database: Database, work: Callable[[Session], T]) -> T:
    """`work` in a write transaction; again once if a unique key refused it (a concurrent
    call made the same order or claimed the same key first: the retry finds it)."""
    try:
        with database.write() as session:
            return work(session)
    except IntegrityError:
        with database.write() as session:
            return work(session)


def rate_limited(exc: RateLimited) -> Any:
    return error_response(
        429,
        "rate_limited",
        f"Too many calls with this key: try again in {exc.seconds} s.",
        None,
        **{"Retry-After": str(exc.seconds)},
    )


def run(
    context: Context,
    request: Request,
    scope: str,
    work: Callable[[Session, Actor, api_keys.KeyRow], T],
) -> T:
    token = bearer(request)
    bucket = hashlib.sha256(token.encode()).hexdigest()[:16]
    wait = context.limiter.wait_needed(bucket)
    if wait:
        raise RateLimited(wait)
    what = f"{request.method} {request.url.path}"[:200]
    actor: Actor | None = None

    def call(session: Session) -> T:
        nonlocal actor
        row = api_keys.authenticate(session, token, scope)
        actor = api_keys.key_actor(row)
        audit.record(session, actor, "api.call", what)
        return work(session, actor, row)

    try:
        return once_more_on_a_race(context.database, call)
    except KestrelError as exc:
        with context.database.write() as session:
            audit.record(session, actor, "api.refused", what, exc.message[:300], "api")
        raise
