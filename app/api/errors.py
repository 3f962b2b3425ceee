"""Every error the API answers is one JSON shape, `{"error": {"code", "message",
"field"}}`, declared in the OpenAPI document for every route that can give it."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from app.core.errors import (
    AuthenticationFailed,
    ConflictError,
    DatabaseUnavailable,
    InvalidTransition,
    KestrelError,
    NotFound,
    OutOfStock,
    PermissionDenied,
    ValidationError,
)


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


# domain error -> (HTTP status, code); the first match wins (subclasses first)
STATUSES: tuple[tuple[type[KestrelError], int, str], ...] = (
    (AuthenticationFailed, 401, "unauthorized"),
    (PermissionDenied, 403, "forbidden"),
    (NotFound, 404, "not_found"),
    (ValidationError, 422, "invalid"),
    (OutOfStock, 409, "out_of_stock"),
    (InvalidTransition, 409, "invalid_transition"),
    (ConflictError, 409, "conflict"),
    (DatabaseUnavailable, 503, "unavailable"),
)
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
}


def described(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


COMMON: dict[int | str, dict[str, Any]] = {
    413: described("The body is over 1 MB."),
    422: described("The request is not acceptable; `field` names what."),
    503: described("The database is not answering."),
}
AUTHED: dict[int | str, dict[str, Any]] = {
    **COMMON,
    401: described("No API key, or one Kestrel did not issue."),
    403: described("The key was revoked or lacks the scope."),
    429: {
        **described("Too many calls with this key; try again after Retry-After seconds."),
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    },
}


def error_response(
    status: int, code: str, message: str, field: str | None = None, **headers: str
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "field": field or None}}
    return JSONResponse(body, status_code=status, headers=headers or None)


def for_domain_error(exc: KestrelError) -> JSONResponse:
    for kind, status, code in STATUSES:
        if isinstance(exc, kind):
            field = exc.field if isinstance(exc, ValidationError) else None
            extra = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
            return error_response(status, code, exc.message, field, **extra)
    return error_response(500, "error", exc.message)


def _field(loc: tuple[Any, ...]) -> str:
    """('body', 'lines', 2, 'quantity') -> 'lines[2].quantity'."""
    text = ""
    for part in loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or (str(loc[0]) if loc else "")


def install(app: FastAPI) -> None:
    @app.exception_handler(KestrelError)
    async def domain(_request: Request, exc: KestrelError) -> JSONResponse:
        return for_domain_error(exc)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        field = _field(tuple(first.get("loc", ())))
        message = f"{field or 'The request'}: {first.get('msg', 'is not acceptable')}."
        return error_response(422, "invalid", message, field)

    @app.exception_handler(HTTPException)
    async def http(_request: Request, exc: HTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "error")
        headers = dict(exc.headers or {})
        return error_response(exc.status_code, code, str(exc.detail), None, **headers)
