"""/api/v1: orders in and out, stock per warehouse, the catalogue in pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from app.api import calls, schemas
from app.api.errors import AUTHED, described
from app.services.channels import api_orders, product_feed
from app.services.stock.overview import stock_for_sku


def router(context: calls.Context) -> APIRouter:
    api = APIRouter(
        prefix="/api/v1", responses=AUTHED, dependencies=[Depends(calls.bearer_check(context))]
    )

    @api.post(
        "/orders",
        status_code=201,
        response_model=schemas.OrderCreated,
        responses={
            200: {"model": schemas.OrderCreated, "description": "Made by an earlier call"},
            409: described("Another call is making this order right now."),
        },
    )
    def create_order(
        body: schemas.OrderBody,
        request: Request,
        response: Response,
        idempotency_key: Annotated[str | None, Header(max_length=64)] = None,
    ) -> Any:
        """Make an order (201), or answer the one an earlier call with the same
        Idempotency-Key or the same source + external_id made (200)."""
        data = body.as_input()

        def work(session: Any, actor: Any, key: Any) -> api_orders.Created:
            return api_orders.create_order(
                session, actor, data, key_id=key.id, idempotency_key=idempotency_key or ""
            )

        made = calls.run(context, request, "orders:write", work)
        response.status_code = 201 if made.created else 200
        return made.result

    @api.get(
        "/orders/{number}", response_model=schemas.OrderOut, responses={404: described("No such")}
    )
    def get_order(number: str, request: Request) -> Any:
        """An order's status, lines, shipments with tracking links, and its tracking page."""
        return calls.run(
            context, request, "orders:read", lambda s, a, _k: api_orders.order_view(s, a, number)
        )

    @api.get("/stock", response_model=schemas.StockOut, responses={404: described("No SKU")})
    def get_stock(sku: Annotated[str, Query(max_length=64)], request: Request) -> Any:
        """What is available of one SKU in each warehouse (on hand less reserved)."""
        return calls.run(context, request, "stock:read", lambda s, a, _k: stock_for_sku(s, a, sku))

    @api.get("/products", response_model=schemas.ProductPage)
    def get_products(
        request: Request,
        updated_since: Annotated[str, Query(max_length=40)] = "",
        cursor: Annotated[str, Query(max_length=200)] = "",
        limit: Annotated[int, Query(ge=1, le=product_feed.MAX_PAGE)] = 100,
    ) -> Any:
        """Products changed since a time, oldest change first; follow `next_cursor`."""

        def work(session: Any, actor: Any, _key: Any) -> dict[str, Any]:
            page = product_feed.products_page(session, actor, updated_since, cursor, limit)
            return {"items": page.items, "next_cursor": page.next_cursor}

        return calls.run(context, request, "stock:read", work)

    return api
