"""The application: `create_app(database)` for `kestrel serve` and for the tests."""

from __future__ import annotations

import os

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from app import __version__
from app.api import calls, errors, orders, tracking, webhooks
from app.api.limits import MAX_BODY, BodyLimit, RateLimit
from app.db import Database

RATE_PER_SECOND = 300.0
BURST = 600


def create_app(
    database: Database,
    *,
    rate: float = RATE_PER_SECOND,
    burst: int = BURST,
    max_body: int = MAX_BODY,
) -> FastAPI:
    """The API, its webhooks and the tracking page over `database`. `rate`/`burst`: the
    per-key limit (calls a second, calls at once)."""
    app = FastAPI(
        title="Kestrel",
        version=__version__,
        description="Orders in, order status and stock out. Authorization: Bearer KEY.",
    )
    context = calls.Context(database, RateLimit(rate, burst))
    errors.install(app)

    @app.exception_handler(calls.RateLimited)
    async def limited(_request: Request, exc: calls.RateLimited) -> JSONResponse:
        response: JSONResponse = calls.rate_limited(exc)
        return response

    app.include_router(orders.router(context))
    app.include_router(webhooks.router(context))
    app.include_router(tracking.router(context))
    app.add_middleware(BodyLimit, limit=max_body)
    return app


def environment(url: str, rate: float) -> dict[str, str]:
    """What `from_environment` reads: `kestrel serve --workers N` sets it before uvicorn
    starts the processes (each keeps its own per-key limit: the rate is shared out)."""
    return {"KESTREL_SERVE_DATABASE": url, "KESTREL_SERVE_RATE": repr(rate)}


def from_environment() -> FastAPI:
    """The app in one of `kestrel serve --workers N`'s processes, its own connections."""
    rate = float(os.environ["KESTREL_SERVE_RATE"])
    database = Database.open(os.environ["KESTREL_SERVE_DATABASE"])
    return create_app(database, rate=rate, burst=max(1, int(rate * 2)))
