"""/webhooks/{shop}/{source}: the raw body is what the signature covers, so it is read
as bytes here and handed to the service untouched."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from app.api import calls, schemas
from app.api.errors import COMMON, described
from app.services.channels import webhooks

BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}
RESPONSES: dict[int | str, dict[str, Any]] = {
    **COMMON,
    401: described("The signature is missing or does not match the body."),
    404: described("There is no source of that name."),
}


def _receive(context: calls.Context, shop: str, source: str, body: bytes, headers: Any) -> Any:
    if shop == "shopify":
        signed = headers.get("x-shopify-hmac-sha256", "")
        delivery = headers.get("x-shopify-event-id") or headers.get("x-shopify-webhook-id", "")
    else:
        signed = headers.get("x-wc-webhook-signature", "")
        delivery = headers.get("x-wc-webhook-delivery-id", "")
    return calls.once_more_on_a_race(
        context.database,
        lambda session: webhooks.receive(session, shop, source, body, signed, delivery).as_json(),
    )


def router(context: calls.Context) -> APIRouter:
    hooks = APIRouter(prefix="/webhooks", responses=RESPONSES)

    @hooks.post("/shopify/{source}", response_model=schemas.WebhookAnswer, openapi_extra=BODY)
    async def shopify(source: str, request: Request) -> Any:
        """A Shopify order webhook, signed with X-Shopify-Hmac-Sha256; a delivery seen
        before (X-Shopify-Event-Id / X-Shopify-Webhook-Id) is answered, not imported."""
        body = await request.body()
        return await run_in_threadpool(_receive, context, "shopify", source, body, request.headers)

    @hooks.post("/woocommerce/{source}", response_model=schemas.WebhookAnswer, openapi_extra=BODY)
    async def woocommerce(source: str, request: Request) -> Any:
        """A WooCommerce order webhook signed with X-WC-Webhook-Signature; the creation
        ping (`webhook_id=N`) is answered 200."""
        body = await request.body()
        return await run_in_threadpool(
            _receive, context, "woocommerce", source, body, request.headers
        )

    return hooks
