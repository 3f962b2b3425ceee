"""Web-shop webhooks: a delivery is taken only when its HMAC-SHA256 signature (base64,
over the raw body, keyed with the source's secret) is right; then its one order is
judged and written as a file's would be (single_order.take), so a repeated delivery
never makes a second order.

Shopify redelivers until it gets a 2xx, so each delivery's id (X-Shopify-Event-Id, else
X-Shopify-Webhook-Id; X-WC-Webhook-Delivery-ID for WooCommerce) is stored in
idempotency_keys (kind "webhook") with its answer: a replay is answered from there
before the body is read again. Without an id, (source, the shop's order id) still
de-duplicates. The import of one order takes milliseconds, so it runs in the request:
nothing is queued, and the sender has its answer well within its timeout.

WooCommerce's creation ping (a form body `webhook_id=N`) is answered without writing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.core import idempotency
from app.core.auth import Actor, Role
from app.core.errors import AuthenticationFailed, ValidationError
from app.core.i18n import _
from app.models import OrderSource
from app.services.channels import formats, order_import, shopify, single_order, woocommerce
from app.services.channels.sources import source_named

SHOPS = {"shopify": shopify.JSON_FORMAT, "woocommerce": woocommerce.JSON_FORMAT}
KIND = "webhook"
WOO_PING = re.compile(rb"webhook_id=\d{1,20}")


@dataclass(frozen=True)
class Delivery:
    outcome: str  # new, duplicate, changed, skipped, replayed, ping
    number: str | None = None
    reasons: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {"outcome": self.outcome, "number": self.number, "reasons": list(self.reasons)}


def signature(secret: str, body: bytes) -> str:
    """What the shop puts in X-Shopify-Hmac-Sha256 / X-WC-Webhook-Signature."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def verify(source: OrderSource, body: bytes, signed: str) -> None:
    if not source.secret:
        raise AuthenticationFailed(
            _(
                "The source {name} has no webhook secret: set one (`kestrel source add "
                "... --secret S`) before sending webhooks."
            ).format(name=source.name)
        )
    if not signed or not hmac.compare_digest(signature(source.secret, body), signed.strip()):
        raise AuthenticationFailed(_("The webhook's signature does not match its body."))


def webhook_actor(source: OrderSource) -> Actor:
    """Who a webhook's order is written by: the source itself (its signature proves it)."""
    return Actor(None, f"webhook:{source.name}", f"Webhook {source.name}", Role.MANAGER, KIND)


def _stored_key(source: OrderSource, delivery_id: str) -> str:
    return hashlib.sha256(f"{KIND}:{source.id}:{delivery_id}".encode()).hexdigest()


def receive(
    session: Session, shop: str, source_name: str, body: bytes, signed: str, delivery_id: str = ""
) -> Delivery:
    """One delivery from `shop` (shopify or woocommerce) for the named source."""
    if shop not in SHOPS:
        raise ValidationError(
            _("Kestrel takes webhooks from {value}.").format(value=", ".join(SHOPS)), "shop"
        )
    source = source_named(session, source_name)
    if shop == "woocommerce" and WOO_PING.fullmatch(body.strip()):
        return Delivery("ping")
    verify(source, body, signed)
    stored = _stored_key(source, delivery_id[:200]) if delivery_id else ""
    if stored and (earlier := idempotency.landed(session, stored)) is not None:
        number = earlier.result.get("number")
        return Delivery("replayed", str(number) if number else None)
    actor = webhook_actor(source)
    fmt = SHOPS[shop]
    parsed = formats.read_body(fmt, body)
    if len(parsed.orders) == 1 and not parsed.problems:  # the one order, in few statements
        verdict = single_order.take(session, actor, source, fmt, parsed.orders[0]).verdict
    else:
        verdict = order_import.import_parsed(session, actor, source, fmt, parsed).verdicts[0]
    if verdict.outcome == order_import.REFUSED:
        raise ValidationError(
            _("The order cannot be taken: {value}.").format(value="; ".join(verdict.reasons)),
            "body",
        )
    delivery = Delivery(verdict.outcome, verdict.number, tuple(verdict.reasons))
    if stored:
        idempotency.claim(session, stored, KIND, None, KIND, delivery.as_json())
    return delivery
